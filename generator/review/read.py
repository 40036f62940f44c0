"""The vendor's document as passages: each paragraph or table row, with where it is (its
heading, its number) — from a .docx through python-docx, or from a PDF through `pdftotext
-layout`. Reading is the only input; matching never opens a file."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import InputError

# A heading a vendor numbers by hand: « Article 12 – Audits », "12.3 Audits", "CLAUSE 9".
_NUMBERED_HEADING = re.compile(
    r"^\s*((article|clause|section|annexe?|schedule|appendix)\s+[\dIVXLC]+[\d.]*|\d+(\.\d+)*\.?)"
    r"(\s*[-–—.:)]\s*|\s+)\S",
    re.I,
)
_HEADING_STYLES = ("heading", "titre", "title")
_CONTENTS_STYLES = ("toc", "contents", "table des matières", "sommaire")  # not the text itself
HEADING_MAX_CHARS = 120


@dataclass(frozen=True)
class Passage:
    """A paragraph (or table row, its cells joined by « | ») of the vendor's document, in
    reading order from 1; `heading` is the nearest heading above it; `cell` is (table, row)
    from 1 for a table row; `page` is known for a PDF."""

    text: str
    number: int  # counts paragraphs and table rows
    heading: str = ""
    cell: tuple[int, int] | None = None
    page: int | None = None


@dataclass
class VendorDocument:
    """The passages read, and for a .docx the python-docx objects to comment on (one list of
    paragraphs per passage, in the same order)."""

    path: Path
    passages: list[Passage]
    docx: Any = None
    paragraphs: list[list[Any]] = field(default_factory=list)


def is_heading(text: str, style: str = "") -> bool:
    """A short paragraph in a heading style, or numbered like a clause heading."""
    text = text.strip()
    if not text or len(text) > HEADING_MAX_CHARS:
        return False
    if style.lower().startswith(_HEADING_STYLES):
        return True
    return bool(_NUMBERED_HEADING.match(text)) and not text.rstrip().endswith((".", ";", ","))


def read_vendor_document(path: Path) -> VendorDocument:
    """The passages of a .docx or a .pdf; anything else, or an unreadable file, is one line."""
    if not path.is_file():
        raise InputError(path, None, None, "no such file")
    if path.suffix.lower() == ".pdf":
        return VendorDocument(path, _pdf_passages(path))
    from docx.opc.exceptions import PackageNotFoundError
    from lxml.etree import XMLSyntaxError

    try:
        return _read_docx(path)
    except (PackageNotFoundError, zipfile.BadZipFile, XMLSyntaxError, KeyError, ValueError):
        raise InputError(path, None, None, "not a readable Word (.docx) or PDF document") from None


def _read_docx(path: Path) -> VendorDocument:
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    document = docx.Document(str(path))
    passages: list[Passage] = []
    paragraphs: list[list[Any]] = []
    heading, tables, chapters = "", 0, 0
    body = document.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            paragraph = Paragraph(child, document)
            text = paragraph.text.strip()
            if not text:
                continue
            style = paragraph.style.name if paragraph.style is not None else ""
            if style.lower().startswith(_CONTENTS_STYLES):
                continue
            if is_heading(text, style):
                heading = text
                if _numbered_chapter(paragraph):
                    chapters += 1
                    heading = f"{chapters} {text}"
            passages.append(Passage(text, len(passages) + 1, heading))
            paragraphs.append([paragraph])
        elif tag == "tbl":  # a row is a passage: « Finalités | … » reads as one
            tables += 1
            for r, row in enumerate(Table(child, document).rows, start=1):
                # A merged cell comes once per column it spans: keep it once.
                cells = list({id(c._tc): c for c in row.cells}.values())
                texts = [" ".join(p.text for p in c.paragraphs).strip() for c in cells]
                text = " | ".join(t for t in texts if t)
                if text:
                    passages.append(Passage(text, len(passages) + 1, heading, (tables, r)))
                    paragraphs.append([p for c in cells for p in c.paragraphs])
    return VendorDocument(path, passages, document, paragraphs)


def _numbered_chapter(paragraph: Any) -> bool:
    """A first-level heading Word numbers itself (its number is in no text): its own
    numbering, or its style's, or a base style's."""
    if not paragraph.style.name.lower().startswith(("heading 1", "titre 1")):
        return False
    if paragraph._p.pPr is not None and paragraph._p.pPr.numPr is not None:
        return True
    style = paragraph.style
    while style is not None:
        if style.element.pPr is not None and style.element.pPr.numPr is not None:
            return True
        style = style.base_style
    return False


def _pdf_passages(path: Path) -> list[Passage]:
    """A PDF's text by `pdftotext -layout`: a passage per block of lines between blank lines,
    its page counted from the form feeds."""
    pdftotext = shutil.which("pdftotext")
    if not pdftotext:
        raise InputError(path, None, None, "reading a PDF needs pdftotext (poppler-utils)")
    result = subprocess.run(
        [pdftotext, "-layout", str(path), "-"], capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise InputError(path, None, None, "not a readable PDF document")
    passages: list[Passage] = []
    heading = ""
    for page, text in enumerate(result.stdout.split("\f"), start=1):
        for block in re.split(r"\n\s*\n", text):
            lines = [line.strip() for line in block.splitlines() if line.strip()]
            if not lines:
                continue
            if is_heading(lines[0]):  # alone, or the first line of its clause
                heading = lines[0]
            passages.append(Passage("\n".join(lines), len(passages) + 1, heading, page=page))
    return passages
