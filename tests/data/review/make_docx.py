"""Builds each public DPA kept here (its .md, the text as published) into the .docx that
`clausier review` reads in tests/test_review.py: `#` lines become headings, `- ` and `1. `
lines list items, other lines paragraphs; `**` marks are dropped. Run from this folder:
`python make_docx.py` (python-docx), then commit the .docx."""

from __future__ import annotations

import re
from pathlib import Path

import docx

HERE = Path(__file__).resolve().parent


def build(source: Path) -> None:
    document = docx.Document()
    document.core_properties.author = "tests/data/review/make_docx.py"
    for line in source.read_text("utf-8").splitlines():
        text = line.strip().replace("**", "")
        if not text:
            continue
        heading = re.match(r"^(#+)\s+(.*)$", text)
        if heading:
            document.add_heading(heading.group(2), level=min(len(heading.group(1)), 4))
        elif text.startswith("- "):
            document.add_paragraph(text[2:], style="List Bullet")
        elif re.match(r"^\d+\.\s", text):
            document.add_paragraph(re.sub(r"^\d+\.\s+", "", text), style="List Number")
        else:
            document.add_paragraph(text)
    document.save(str(source.with_suffix(".docx")))


if __name__ == "__main__":
    for source in sorted(HERE.glob("*.md")):
        if source.name != "README.md":
            build(source)
