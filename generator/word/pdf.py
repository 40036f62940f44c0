"""PDF copies through LibreOffice, headless, with the table of contents filled in first (plain
--convert-to leaves it empty).

LibreOffice converts on one core, and starting it costs about a second, a document a few
tenths: so the documents are shared among N LibreOffice processes run at once, each with its
own user profile (two processes cannot share one) converting its share in one run. A document
LibreOffice cannot convert, or a run that crashes, costs only those documents' PDFs, each
reported on its own line.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import time
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from ..errors import OutputError

INSTALL_HINT = (
    "LibreOffice is needed for --pdf (on Debian or Ubuntu: apt-get install "
    "libreoffice-writer-nogui); the .docx files are written"
)

# Opens each document hidden (as Word, so a file that is not one fails rather than printing as
# text), updates its indexes (the table of contents) and fields, and exports it next to the
# .docx. An error skips that document alone: its PDF is missing and Python reports it.
_MACRO = """
Sub ExportPdf(listFile As String)
    Dim n As Integer : n = FreeFile
    Open listFile For Input As #n
    Do While Not EOF(n)
        Dim path As String
        Line Input #n, path
        If path <> "" Then ExportOne(path)
    Loop
    Close #n
End Sub

Sub ExportOne(path As String)
    On Error Resume Next
    Dim load(1) As New com.sun.star.beans.PropertyValue
    load(0).Name = "Hidden" : load(0).Value = True
    load(1).Name = "FilterName" : load(1).Value = "MS Word 2007 XML"
    Dim export(0) As New com.sun.star.beans.PropertyValue
    export(0).Name = "FilterName" : export(0).Value = "writer_pdf_Export"
    Dim doc As Object
    doc = StarDesktop.loadComponentFromURL(ConvertToURL(path), "_blank", 0, load())
    If Err <> 0 Or IsNull(doc) Then Exit Sub
    UpdateIndexes(doc)
    doc.getTextFields().refresh()
    ' Twice: after the first update LibreOffice left the bilingual table laid out as before
    ' the contents grew (three-quarters of a page blank); the second pass lays it out again.
    UpdateIndexes(doc)
    If Err = 0 Then doc.storeToURL(ConvertToURL(Left(path, Len(path) - 5) & ".pdf"), export())
    doc.close(True)
End Sub

Sub UpdateIndexes(doc As Object)
    Dim i As Integer
    For i = 0 To doc.getDocumentIndexes().getCount() - 1
        doc.getDocumentIndexes().getByIndex(i).update()
    Next i
End Sub
"""

_MODULE = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<!DOCTYPE script:module PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" '
    '"module.dtd">\n'
    '<script:module xmlns:script="http://openoffice.org/2000/script" script:name="Module1" '
    'script:language="StarBasic">{code}</script:module>\n'
)


@dataclass(frozen=True)
class Conversion:
    """What a conversion wrote, and one line for each document it could not convert."""

    pdfs: list[Path]
    failures: list[str]


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def to_pdf(documents: list[Path], processes: int = 1, timeout: float | None = None) -> Conversion:
    """Write DOCUMENT.pdf beside each DOCUMENT.docx with up to `processes` LibreOffice processes
    at once. `timeout`: seconds a LibreOffice run may take (default 60 plus 10 a document)."""
    program = soffice()
    if program is None:
        raise OutputError(INSTALL_HINT)
    for document in documents:  # a stale copy must not pass for the new one
        document.with_suffix(".pdf").unlink(missing_ok=True)
    shares = _shares(documents, processes)
    with tempfile.TemporaryDirectory(prefix="clausier-lo-") as work:
        runs = [_Run(program, Path(work) / f"run-{i}", share) for i, share in enumerate(shares)]
        # First start: LibreOffice creates the profile, where the macro then goes.
        _together([run.command("--terminate_after_init") for run in runs], 60)
        ready = [run for run in runs if run.add_macro()]
        limit = timeout or 60 + 10 * max((len(run.documents) for run in ready), default=0)
        _together([run.command(run.macro_call()) for run in ready], limit)
    pdfs: list[Path] = []
    failures: list[str] = []
    for document in documents:
        pdf = document.with_suffix(".pdf")
        if pdf.exists():
            pdfs.append(pdf)
        else:
            failures.append(f"{document}: LibreOffice did not write the PDF; the .docx is written")
    return Conversion(pdfs, failures)


def _shares(documents: list[Path], processes: int) -> list[list[Path]]:
    """The documents in `processes` shares of about the same total size (the largest first,
    each to the lightest share), so that the runs end together."""
    count = max(1, min(processes, len(documents)))
    shares: list[list[Path]] = [[] for _ in range(count)]
    sizes = [0] * count
    for document in sorted(documents, key=_size, reverse=True):
        lightest = sizes.index(min(sizes))
        shares[lightest].append(document)
        sizes[lightest] += _size(document)
    return [share for share in shares if share]


def _size(document: Path) -> int:
    try:
        return document.stat().st_size
    except OSError:  # missing: LibreOffice will not convert it either, and it is reported
        return 0


class _Run:
    """One LibreOffice process: its own profile, and the list of documents it converts."""

    def __init__(self, program: str, folder: Path, documents: list[Path]):
        self.documents, self.folder = documents, folder
        folder.mkdir()
        self.profile = folder / "profile"
        self.base = [program, f"-env:UserInstallation={self.profile.as_uri()}", "--headless"]

    def command(self, *arguments: str) -> list[str]:
        return [*self.base, "--norestore", *arguments]

    def add_macro(self) -> bool:
        """Put the macro in the profile; False when LibreOffice did not create it."""
        module = self.profile / "user" / "basic" / "Standard" / "Module1.xba"
        if not module.parent.is_dir():
            return False
        module.write_text(_MODULE.format(code=escape(_MACRO)), encoding="utf-8")
        return True

    def macro_call(self) -> str:
        listing = self.folder / "documents.txt"
        listing.write_text("".join(f"{d.resolve()}\n" for d in self.documents), "utf-8")
        return f'macro:///Standard.Module1.ExportPdf("{listing}")'


def _together(commands: list[list[str]], timeout: float) -> None:
    """Run the commands at once and wait for them all. One still running after `timeout`
    seconds, or when we are interrupted, is killed with its children (soffice starts
    soffice.bin): its documents are then missing their PDFs."""
    started: list[subprocess.Popen[bytes]] = []
    deadline = time.monotonic() + timeout
    try:
        for command in commands:
            started.append(
                subprocess.Popen(
                    command,
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                    start_new_session=True,  # its own process group, to kill it whole
                )
            )
        for process in started:
            with suppress(subprocess.TimeoutExpired):
                process.wait(max(0.0, deadline - time.monotonic()))
    finally:
        for process in started:
            _kill(process)


def _kill(process: subprocess.Popen[bytes]) -> None:
    """Kill a run still going, with its process group: LibreOffice's soffice.bin outlives its
    launcher otherwise. One that ended is left alone (its id may be another's by now)."""
    if process.poll() is not None:
        return
    with suppress(ProcessLookupError):
        if hasattr(os, "killpg"):
            os.killpg(process.pid, signal.SIGKILL)
        else:
            process.kill()
    process.wait()
