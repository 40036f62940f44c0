"""What a reader sees: the documents converted by LibreOffice, then read with pdftotext.

Skips when LibreOffice is absent, unless CLAUSIER_REQUIRE_LIBREOFFICE=1 (set by .ci/run), which
turns the skip into a failure so CI cannot pass without running these checks.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import AGREEMENTS, ALL_DOCUMENTS, BILINGUAL_DOCUMENTS, ROOT, Case, run_cli
from docx_check import check_docx

from generator.answers.model import Language
from generator.legal.assessment import DocumentKind
from generator.library.load import default_library
from generator.word import pdf as pdf_module
from generator.word.pdf import to_pdf


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


# Converting every demo document (some 240 with the pack) takes LibreOffice minutes on a busy
# machine: the first test using the module's fixtures waits for it, beyond the usual limit.
pytestmark = pytest.mark.timeout(1200)


@pytest.fixture(scope="module")
def pdf_texts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Every demo document as `clausier demo --pdf --jobs 2` makes it (two LibreOffice
    processes at once), as text."""
    _, pdftotext = _tools()
    out = tmp_path_factory.mktemp("demo-pdf")
    assert run_cli("demo", "--out", out, "--pdf", "--jobs", "2") == 0
    assert sorted(p.stem for p in out.glob("*.pdf")) == sorted(p.stem for p in out.glob("*.docx"))
    texts = {}
    for pdf in sorted(out.glob("*.pdf")):
        result = subprocess.run(
            [pdftotext, "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
        )
        texts[pdf.stem] = result.stdout
    return texts


def test_every_document_converts(pdf_texts: dict[str, str]) -> None:
    names = [*(d.name for d in ALL_DOCUMENTS), *BILINGUAL_DOCUMENTS]
    assert sorted(pdf_texts) == sorted(Path(name).stem for name in names)


@pytest.mark.parametrize("case", ALL_DOCUMENTS, ids=lambda c: c.name)
def test_numbering_footers_and_signatures_are_visible(
    pdf_texts: dict[str, str], case: Case
) -> None:
    answers, language, due, name = case.answers, case.language, case.due, case.name
    text = pdf_texts[Path(name).stem]
    french = language is Language.FR
    document = default_library().documents[due.kind.value]
    texts = document.texts
    # Only a contract has « Article » headings and signature blocks: not the annexes (the
    # protocol's, the convention unique's), signed with what they complete, nor the pack.
    contract = texts.contract is not None
    if texts.plain:  # written for patients: no clause nor paragraph numbers
        assert not re.search(r"^\s*\d+\.\d+\s", text, re.M), "a numbered paragraph"
        for clause in document.clauses:
            title = re.escape(clause.spec.title.in_(language)[:16])  # titles wrap
            assert not re.search(rf"^\s*(Article )?\d+\s+(– )?{title}", text, re.M), title
    else:
        assert re.search(r"^\s*2\.1\s", text, re.M), "no clause 2.1"
        heading = r"^\s*Article 2 – \S" if french and contract else r"^\s*2\s+\S"
        assert re.search(heading, text, re.M), "no numbered heading"
    if due.kind is DocumentKind.DPA:
        assert re.search(r"^\s*\(a\)\s", text, re.M), "no sub-item (a)"
    pages = text.count("\f")
    footer = "Page 1 sur" if french else "Page 1 of"
    assert f"{footer} {pages}" in text, f"no footer '{footer} {pages}'"
    if contract:
        assert ("Signature :" if french else "Signature:") in text
        # A long name wraps in its cell, and -layout interleaves the next cell's "Signature:".
        flat = " ".join(text.replace("Signature :", " ").replace("Signature:", " ").split())
        flat = re.sub(r"(\w-) (\w)", r"\1\2", flat)
        # "Pour le Sous-traitant", then the party's name on the next line.
        signing = r"Pour le [A-Z][\w -]+" if french else r"For the [A-Z][\w -]+"
        for party_id in due.parties:
            name_ = answers.party(party_id).name
            assert re.search(f"{signing} {re.escape(name_)}", flat), name_


@pytest.mark.parametrize("case", ALL_DOCUMENTS, ids=lambda c: c.name)
def test_table_of_contents_is_filled(pdf_texts: dict[str, str], case: Case) -> None:
    text = pdf_texts[Path(case.name).stem]
    document = default_library().documents[case.due.kind.value]
    if document.texts.plain:  # written for patients: no contents, no dotted lines to a page
        assert not re.search(r"\.{5,}\s*\d+\s*$", text, re.M), "a table of contents"
        return
    contents = "Sommaire" if case.language is Language.FR else "Contents"
    assert contents in text
    first = document.clauses[0].spec.title
    number = r"(Article 1 –|1)"  # French contracts number « Article 1 – », the rest "1"
    assert re.search(rf"{number}\s+{re.escape(first.in_(case.language))}\.{{3,}}\s*\d+", text)


def test_pdf_without_libreoffice_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    answers = ROOT / "examples" / "clinic-lab-results.yaml"
    assert run_cli("build", answers, "--out", tmp_path, "--pdf") == 2
    assert "apt-get install libreoffice-writer-nogui" in capsys.readouterr().err
    assert list(tmp_path.glob("*.docx")) and not list(tmp_path.glob("*.pdf"))


def test_a_document_libreoffice_cannot_read_fails_alone(demo_dir: Path, tmp_path: Path) -> None:
    """A .docx that is not one (text, a truncated zip) gets its line; the others convert."""
    _tools()
    good = tmp_path / "good.docx"
    shutil.copy(next(demo_dir.glob("*.docx")), good)
    text = tmp_path / "a-text.docx"
    text.write_text("not a Word document", encoding="utf-8")
    truncated = tmp_path / "b-truncated.docx"
    truncated.write_bytes(good.read_bytes()[:20000])
    conversion = to_pdf([text, good, truncated], processes=2)
    assert conversion.pdfs == [tmp_path / "good.pdf"]
    assert conversion.failures == [
        f"{document}: LibreOffice did not write the PDF; the .docx is written"
        for document in (text, truncated)
    ]
    assert not text.with_suffix(".pdf").exists() and not truncated.with_suffix(".pdf").exists()


# Stands in for LibreOffice: creates the profile on the first start; on the macro run, waits
# until the other run has started too (so the runs must be concurrent), then writes a PDF for
# each document of its list — or none, when the list holds CRASH (a LibreOffice crash).
_FAKE_SOFFICE = """#!{python}
import sys, time
from pathlib import Path
from urllib.parse import unquote, urlparse

log = Path({log!r})
args = sys.argv[1:]
profile = next(a.split("=", 1)[1] for a in args if a.startswith("-env:UserInstallation="))
if "--terminate_after_init" in args:
    (Path(unquote(urlparse(profile).path)) / "user/basic/Standard").mkdir(parents=True)
    sys.exit(0)
listing = Path(args[-1].split('"')[1])
documents = listing.read_text(encoding="utf-8").split()
(log / listing.parent.name).write_text(profile, encoding="utf-8")
deadline = time.monotonic() + 60
while len(list(log.iterdir())) < 2:
    if time.monotonic() > deadline:
        sys.exit("the other LibreOffice run did not start")
    time.sleep(0.05)
if any({crash!r} in d for d in documents):
    (log.parent / "crashed.txt").write_text("\\n".join(documents), encoding="utf-8")
    sys.exit(1)
for document in documents:
    Path(document[:-5] + ".pdf").write_bytes(b"%PDF-1.4")
"""


def test_pdf_jobs_2_runs_two_libreoffices_and_a_crash_fails_only_its_documents(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Two LibreOffice processes at once, each with its own profile; the one that crashes
    costs only its own documents' PDFs, one line each, and exit code 2."""
    log = tmp_path / "runs"
    log.mkdir()
    fake = tmp_path / "soffice"
    crash = "annexe-rgpd-protocole-crohnix-2-fr.docx"
    fake.write_text(_FAKE_SOFFICE.format(python=sys.executable, log=str(log), crash=crash))
    fake.chmod(0o755)
    monkeypatch.setattr(pdf_module, "soffice", lambda: str(fake))
    out = tmp_path / "out"
    assert run_cli("demo", "--out", out, "--pdf", "--jobs", "2") == 2
    profiles = {run.read_text(encoding="utf-8") for run in log.iterdir()}
    assert len(profiles) == 2
    documents = sorted(out.glob("*.docx"))
    crashed = {Path(d) for d in (tmp_path / "crashed.txt").read_text(encoding="utf-8").split()}
    assert out.resolve() / crash in crashed and len(crashed) < len(documents)
    for document in documents:
        assert document.with_suffix(".pdf").exists() is (document.resolve() not in crashed)
    # Besides the findings each build reports, one line per PDF not written.
    errors = [line for line in capsys.readouterr().err.splitlines() if "LibreOffice" in line]
    assert sorted(errors) == sorted(
        f"clausier: {d}: LibreOffice did not write the PDF; the .docx is written"
        for d in documents
        if d.resolve() in crashed
    )


@pytest.fixture(scope="module")
def bilingual_pdfs(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[Path, str]]:
    _, pdftotext = _tools()
    out = tmp_path_factory.mktemp("bilingual")
    for example in ("chu-teleconsultation.yaml", "research-joint-reuse.yaml"):
        args = ("--out", out, "--lang", "bilingual", "--only", AGREEMENTS)
        assert run_cli("build", ROOT / "examples" / example, *args) == 0
    documents = sorted(out.glob("*.docx"))
    conversion = to_pdf(documents)  # one LibreOffice process
    assert conversion.failures == []
    pdfs = conversion.pdfs
    return [
        (
            docx,
            subprocess.run(
                [pdftotext, "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
            ).stdout,
        )
        for docx, pdf in zip(documents, pdfs)
    ]


def test_bilingual_edition_has_both_languages_on_the_same_pages(
    bilingual_pdfs: list[tuple[Path, str]],
) -> None:
    library = default_library()
    assert len(bilingual_pdfs) == 3  # a DPA; a protocol annex and a joint-controller arrangement
    for docx, text in bilingual_pdfs:
        assert check_docx(docx) == []
        kind = next(
            k
            for k in library.documents
            if docx.name.startswith(library.documents[k].texts.filename.fr)
        )
        # Each page without the table of contents' dotted lines.
        pages = ["\n".join(x for x in p.splitlines() if "....." not in x) for p in text.split("\f")]
        titles = [c.spec.title for c in library.documents[kind].clauses if c.spec.when is None]
        for title in titles:
            # Titles wrap in their column: compare the beginnings, as pdftotext lays them out.
            french, english = title.fr[:16], title.en[:16]
            heading = rf"(Article (\d+) –|(\d+))\s+{re.escape(french)}"
            found = [(p, m) for p in pages if (m := re.search(heading, p))]
            assert found, f"{docx.name}: {title.fr} not found"
            page, match = found[0]
            number = match.group(2) or match.group(3)
            assert f"{number} {english}" in page, f"{docx.name}: {title.en} not beside it"
        assert "Langues" in text and "Languages" in text
        # Which text governs: the one that prevails, or the French alone between French
        # parties, one bound to French (Loi 94-665 art. 5).
        prevails = "prévaut" in text and "prevails" in text
        assert prevails or ("fait foi" in text and "authentic" in text)


@pytest.mark.parametrize("case", ALL_DOCUMENTS, ids=lambda c: c.name)
def test_cross_references_show_the_clause_numbers(pdf_texts: dict[str, str], case: Case) -> None:
    """[[clause.id]] marks become REF fields: LibreOffice shows the referred heading's number."""
    text = " ".join(pdf_texts[Path(case.name).stem].split())
    if case.due.kind is DocumentKind.DPA:
        wanted = (
            "l'Article \\d+ \\(« Fin des Prestations »\\)"
            if case.language is Language.FR
            else ('Clause \\d+ \\("End of the Services"\\)')
        )
        assert re.search(wanted, text), wanted
    assert "Error" not in text and "Erreur" not in text


# The file names (French prefix) of the kinds whose body may end on page 2.
SHORT_BODIES = tuple(
    default_library().documents[kind].texts.filename.fr + "-"
    for kind in ("information-notice", "information-poster", "processing-record")
)


@pytest.mark.parametrize("name", BILINGUAL_DOCUMENTS)
def test_the_bilingual_body_runs_on_from_the_contents(pdf_texts: dict[str, str], name: str) -> None:
    """The page after the contents is full: LibreOffice, updating the contents once, had left
    the side-by-side table laid out as before, three-quarters of page 2 blank."""
    if Path(name).name.startswith(SHORT_BODIES):
        pytest.skip("a body shorter than a page: a notice, a poster, the record's two clauses")
    pages = pdf_texts[Path(name).stem].split("\f")
    second = [line for line in pages[1].splitlines() if line.strip()]
    assert len(second) > 30, f"page 2 holds {len(second)} lines"
