"""PDF copies through LibreOffice, headless: one LibreOffice run for all the documents of a
build, with the table of contents filled in first (plain --convert-to leaves it empty)."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path
from xml.sax.saxutils import escape

from ..errors import OutputError

INSTALL_HINT = (
    "LibreOffice is needed for --pdf (on Debian or Ubuntu: apt-get install "
    "libreoffice-writer-nogui); the .docx files are written"
)

# Opens each document hidden, updates its indexes (the table of contents) and fields, and
# exports it next to the .docx.
_MACRO = """
Sub ExportPdf(listFile As String)
    Dim hidden(0) As New com.sun.star.beans.PropertyValue
    hidden(0).Name = "Hidden" : hidden(0).Value = True
    Dim export(0) As New com.sun.star.beans.PropertyValue
    export(0).Name = "FilterName" : export(0).Value = "writer_pdf_Export"
    Dim n As Integer : n = FreeFile
    Open listFile For Input As #n
    Do While Not EOF(n)
        Dim path As String
        Line Input #n, path
        If path <> "" Then
            Dim doc As Object
            doc = StarDesktop.loadComponentFromURL(ConvertToURL(path), "_blank", 0, hidden())
            Dim i As Integer
            For i = 0 To doc.getDocumentIndexes().getCount() - 1
                doc.getDocumentIndexes().getByIndex(i).update()
            Next i
            doc.getTextFields().refresh()
            doc.storeToURL(ConvertToURL(Left(path, Len(path) - 5) & ".pdf"), export())
            doc.close(True)
        End If
    Loop
    Close #n
End Sub
"""

_MODULE = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<!DOCTYPE script:module PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" '
    '"module.dtd">\n'
    '<script:module xmlns:script="http://openoffice.org/2000/script" script:name="Module1" '
    'script:language="StarBasic">{code}</script:module>\n'
)


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def to_pdf(documents: list[Path], timeout: float = 600) -> list[Path]:
    """Write DOCUMENT.pdf beside each DOCUMENT.docx; return the PDFs."""
    program = soffice()
    if program is None:
        raise OutputError(INSTALL_HINT)
    if not documents:
        return []
    with tempfile.TemporaryDirectory(prefix="clausier-lo-") as work:
        profile = Path(work) / "profile"
        base = [program, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore"]
        subprocess.run([*base, "--terminate_after_init"], capture_output=True, timeout=timeout)
        module = profile / "user" / "basic" / "Standard" / "Module1.xba"
        if not module.parent.is_dir():
            raise OutputError("LibreOffice did not start; the .docx files are written")
        module.write_text(_MODULE.format(code=escape(_MACRO)), encoding="utf-8")
        listing = Path(work) / "documents.txt"
        listing.write_text("\n".join(str(d.resolve()) for d in documents) + "\n", "utf-8")
        subprocess.run(
            [*base, f'macro:///Standard.Module1.ExportPdf("{listing}")'],
            capture_output=True,
            timeout=timeout,
        )
    pdfs = [d.with_suffix(".pdf") for d in documents]
    missing = [p.name for p in pdfs if not p.exists()]
    if missing:
        raise OutputError(
            f"LibreOffice did not write {', '.join(missing)}; the .docx files are written"
        )
    return pdfs
