"""What a reader sees: the documents converted by LibreOffice, then read with pdftotext.

Skips when LibreOffice is absent, unless CLAUSIER_REQUIRE_LIBREOFFICE=1 (set by .ci/run), which
turns the skip into a failure so CI cannot pass without running these checks.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import EXAMPLES

from generator.answers import load_answers


def _tools() -> tuple[str, str]:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    pdftotext = shutil.which("pdftotext")
    if soffice and pdftotext:
        return soffice, pdftotext
    message = (
        "LibreOffice (soffice) and pdftotext are needed: apt-get install "
        "libreoffice-writer-nogui poppler-utils"
    )
    if os.environ.get("CLAUSIER_REQUIRE_LIBREOFFICE") == "1":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="module")
def pdf_texts(demo_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    soffice, pdftotext = _tools()
    out = tmp_path_factory.mktemp("pdf")
    documents = sorted(demo_dir.glob("*.docx"))
    profile = out / "profile"
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            *map(str, documents),
        ],
        check=True,
        capture_output=True,
        timeout=600,
    )
    texts = {}
    for document in documents:
        pdf = out / f"{document.stem}.pdf"
        result = subprocess.run(
            [pdftotext, "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
        )
        texts[document.stem] = result.stdout
    return texts


def test_every_document_converts(pdf_texts: dict[str, str]) -> None:
    assert len(pdf_texts) == 2 * len(EXAMPLES)


def test_numbering_footers_and_signatures_are_visible(pdf_texts: dict[str, str]) -> None:
    for stem, text in pdf_texts.items():
        french = stem.endswith("-fr")
        assert re.search(r"^\s*2\.1\s", text, re.M), f"{stem}: no clause 2.1"
        assert re.search(r"^\s*\(a\)\s", text, re.M), f"{stem}: no sub-item (a)"
        heading = r"^\s*Article 2 – \S" if french else r"^\s*2\. \S"
        assert re.search(heading, text, re.M), f"{stem}: no numbered heading"
        pages = text.count("\f")
        footer = "Page 1 sur" if french else "Page 1 of"
        assert f"{footer} {pages}" in text, f"{stem}: no footer '{footer} {pages}'"
        assert ("Signature :" if french else "Signature:") in text


def test_parties_appear_in_the_signature_block(pdf_texts: dict[str, str]) -> None:
    for example in EXAMPLES:
        answers = load_answers(example)
        for stem, text in pdf_texts.items():
            if not any(p.name in text for p in answers.parties):
                continue
            word = "Pour" if stem.endswith("-fr") else "For"
            for party in answers.parties:
                assert f"{word} {party.name}" in " ".join(text.split()), (stem, party.name)
