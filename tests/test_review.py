"""`clausier review`: a DPA Clausier did not write, read element by element — Clausier's own
DPAs find every element, a DPA without its audit clause lacks 28(3)(h), a longer breach notice
is weak, the outputs are sound Word files, and three public DPAs give the findings pinned here
(tests/data/review/README.md)."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from conftest import EXAMPLES, ROOT, docx_text, missing_tool, run_cli
from docx_check import check_docx

from generator.answers.model import Language
from generator.library.review import Status, compiled_elements, default_review, fold
from generator.review.match import detect_language, review_passages
from generator.review.read import read_vendor_document

DATA = ROOT / "tests" / "data" / "review"
# Hospitals that process a study's data as research sites in their own information system:
# their DPA names no host, so it does not say where the data are stored — a true gap.
AUDITS = {"fr": "Documentation et audits", "en": "Documentation and audits"}
BREACH = {"fr": "Violation de données", "en": "Personal data breaches"}


def statuses(path: Path, language: str | None = None) -> dict[str, Status]:
    """Each element's status in the document at `path`, as `review` judges it."""
    document = read_vendor_document(path)
    lang = Language(language) if language else detect_language(document.passages)
    results = review_passages(document.passages, lang, compiled_elements(default_review()))
    return {r.element.id: r.status for r in results}


def not_found(path: Path) -> dict[str, str]:
    return {k: v.value for k, v in statuses(path).items() if v is not Status.FOUND}


@pytest.fixture(scope="module")
def dpas(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[Path]]:
    """Every example's DPAs, French and English (drafts where English is not allowed)."""
    out = tmp_path_factory.mktemp("dpas")
    built = {}
    for lang in ("fr", "en"):
        folder = out / lang
        args = ("--only", "dpa", "--lang", lang, "--out", folder, "--draft")
        assert run_cli("build", *EXAMPLES, *args) in (0, 1)
        built[lang] = sorted(folder.glob("*.docx"))
    assert len(built["fr"]) == len(built["en"]) > 20
    return built


def _glyceo(dpas: dict[str, list[Path]], lang: str) -> Path:
    (path,) = [p for p in dpas[lang] if "glyceo" in p.name]
    return path


def _without_clause(source: Path, title: str, target: Path) -> Path:
    """A copy of a built DPA with one clause's heading and paragraphs removed."""
    document = docx.Document(str(source))
    inside = False
    for paragraph in list(document.paragraphs):
        if paragraph.style.name.startswith("Heading"):
            inside = paragraph.text.strip(" –") == title
        if inside:
            paragraph._element.getparent().remove(paragraph._element)
    document.save(str(target))
    return target


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_example_dpa_has_every_element(dpas: dict[str, list[Path]], lang: str) -> None:
    for path in dpas[lang]:
        assert detect_language(read_vendor_document(path).passages).value == lang, path.name
        assert not_found(path) == {}, path.name


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_cli_finds_everything_and_exits_0(
    dpas: dict[str, list[Path]], lang: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_cli("review", _glyceo(dpas, lang), "--out", tmp_path) == 0
    out = capsys.readouterr().out
    assert "found 26, weak 0, missing 0" in out
    assert sorted(p.name.split("-")[-1] for p in tmp_path.glob("*.docx")) == [
        "annotated.docx",
        f"{lang}.docx",
    ]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_without_its_audit_clause_28_3_h_is_missing(
    dpas: dict[str, list[Path]], lang: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    vendor = _without_clause(_glyceo(dpas, lang), AUDITS[lang], tmp_path / "vendor.docx")
    assert run_cli("review", vendor, "--out", tmp_path / "out") == 1
    out = capsys.readouterr().out
    assert re.search(r"missing +28\(3\)\(h\)", out), out
    assert not_found(vendor) == {"28(3)(h)": "missing", "on-site-audit": "missing"}
    report = docx_text(tmp_path / "out" / f"vendor-review-{lang}.docx")
    words = default_review().spec.words
    assert words["missing"].in_(Language(lang)) in report
    # Clausier's own audit clause, rendered, is the proposed wording.
    proposed = {
        "fr": "Le Sous-traitant permet la réalisation d'audits, y compris d'inspections sur place",
        "en": "The Processor shall allow for and contribute to audits, including on-site",
    }
    assert proposed[lang] in report.replace("\u00a0", " ")
    comments = zipfile.ZipFile(tmp_path / "out" / "vendor-annotated.docx").read("word/comments.xml")
    assert b"28(3)(h)" in comments


@pytest.mark.parametrize(
    ("lang", "old", "new"),
    [
        ("fr", "quarante-huit (48) heures", "soixante-douze (72) heures"),
        ("en", "forty-eight (48) hours", "seventy-two (72) hours"),
    ],
)
def test_a_longer_breach_notice_is_weak_and_commented(
    dpas: dict[str, list[Path]], lang: str, old: str, new: str, tmp_path: Path
) -> None:
    document = docx.Document(str(_glyceo(dpas, lang)))
    (paragraph,) = [p for p in document.paragraphs if old in p.text]
    paragraph.text = paragraph.text.replace(old, new)
    vendor = tmp_path / "vendor.docx"
    document.save(str(vendor))
    assert not_found(vendor) == {"breach-delay": "weak"}
    assert run_cli("review", vendor, "--out", tmp_path / "out") == 0  # weak is not missing
    comments = docx_text_of_comments(tmp_path / "out" / "vendor-annotated.docx")
    label = {"fr": "Délai de notification d'une violation", "en": "Breach notice"}[lang]
    assert label in comments and "72 h" in comments and "48" in comments


def docx_text_of_comments(path: Path) -> str:
    """The text of a document's comments (python-docx 1.2)."""
    return "\n".join(p.text for c in docx.Document(str(path)).comments for p in c.paragraphs)


def test_the_outputs_are_sound_word_files(dpas: dict[str, list[Path]], tmp_path: Path) -> None:
    vendor = _without_clause(_glyceo(dpas, "en"), AUDITS["en"], tmp_path / "vendor.docx")
    out = tmp_path / "out"
    assert run_cli("review", vendor, "--out", out) == 1
    for path in sorted(out.glob("*.docx")):
        assert check_docx(path, template_tags=False) == [], path.name
    comments = docx_text_of_comments(out / "vendor-annotated.docx")
    assert comments.startswith(default_review().spec.words["missing_comment"].en)
    assert "Information and audits, inspections included (GDPR 28(3)(h))" in comments
    assert {c.author for c in docx.Document(str(out / "vendor-annotated.docx")).comments} == {
        "Clausier"
    }


def test_outputs_open_in_libreoffice_the_table_on_one_page(
    dpas: dict[str, list[Path]], tmp_path: Path
) -> None:
    """The report converts and its table ends on page 1 (the proposed wording on the next);
    a vendor's PDF is read as its .docx is."""
    soffice, pdftotext = shutil.which("soffice"), shutil.which("pdftotext")
    if not (soffice and pdftotext):
        missing_tool(
            "CLAUSIER_REQUIRE_LIBREOFFICE",
            "LibreOffice (soffice) and pdftotext are needed: apt-get install "
            "libreoffice-writer-nogui poppler-utils",
        )
    from generator.word.pdf import to_pdf

    vendor = _without_clause(_glyceo(dpas, "fr"), AUDITS["fr"], tmp_path / "vendor.docx")
    out = tmp_path / "out"
    assert run_cli("review", vendor, "--out", out) == 1
    words = sorted(out.glob("*.docx"))
    conversion = to_pdf([*words, vendor], 1)
    assert not conversion.failures and len(conversion.pdfs) == 3
    report = out / "vendor-review-fr.pdf"
    pages = subprocess.run(
        [pdftotext, "-layout", str(report), "-"], capture_output=True, text=True, check=True
    ).stdout.split("\f")
    assert "Secret professionnel et médical" in pages[0]  # the table's last row
    assert "Annexe – rédaction proposée" in pages[1]
    # The vendor's document as a PDF: read through pdftotext, judged the same.
    assert not_found(tmp_path / "vendor.pdf") == not_found(vendor)

    # Exported with its comments as PDF notes, the annotated copy shows what is missing.
    profile = (tmp_path / "profile").as_uri()
    export = 'pdf:writer_pdf_Export:{"ExportNotes":{"type":"boolean","value":"true"}}'
    subprocess.run(
        [soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", export,
         "--outdir", str(tmp_path / "notes"), str(out / "vendor-annotated.docx")],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    notes = pdf_notes(tmp_path / "notes" / "vendor-annotated.pdf")
    assert any(n.startswith("Clausier – éléments absents") and "28(3)(h)" in n for n in notes)


def pdf_notes(pdf: Path) -> list[str]:
    """The text of a PDF's annotations (LibreOffice writes it as UTF-16 hex strings, in
    compressed object streams or not)."""
    import zlib

    data = pdf.read_bytes()
    parts = [data]
    for stream in re.finditer(rb"stream\r?\n(.*?)endstream", data, re.S):
        try:
            parts.append(zlib.decompress(stream.group(1)))
        except zlib.error:
            continue
    notes = []
    for part in parts:
        for value in re.findall(rb"/Contents\s*<([0-9A-Fa-f]+)>", part):
            raw = bytes.fromhex(value.decode())
            notes.append(raw.decode("utf-16") if raw[:2] == b"\xfe\xff" else raw.decode("latin-1"))
    return notes


def test_a_file_that_is_not_a_document_is_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "vendor.docx"
    bad.write_text("not a Word document", "utf-8")
    assert run_cli("review", bad, "--out", tmp_path / "out") == 2
    err = capsys.readouterr().err
    assert err == f"clausier: {bad}: not a readable Word (.docx) or PDF document\n"
    assert not (tmp_path / "out").exists()


def test_an_existing_report_is_kept_without_force(
    dpas: dict[str, list[Path]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    vendor = _glyceo(dpas, "en")
    assert run_cli("review", vendor, "--out", tmp_path) == 0
    before = {p: p.read_bytes() for p in tmp_path.glob("*.docx")}
    assert run_cli("review", vendor, "--out", tmp_path) == 2
    assert "already exists (use --force to replace it)" in capsys.readouterr().err
    assert {p: p.read_bytes() for p in tmp_path.glob("*.docx")} == before
    assert run_cli("review", vendor, "--out", tmp_path, "--force", "--lang", "en") == 0


# What the review finds in each public DPA kept in tests/data/review/ (README.md there):
# every element not found, with its status. A hospital's reading of each is in the README.
PUBLIC = {
    "cloud-temple-dpa-fr.docx": {
        "28(3)-subject-duration": "weak",
        "28(3)-nature-purpose": "weak",
        "28(3)-data-types-subjects": "weak",
        "28(3)(a)": "weak",
        "28(3)-unlawful-instruction": "missing",
        "28(3)(e)": "missing",
        "sub-processor-objection": "missing",
        "breach-delay": "weak",
        "on-site-audit": "missing",
        "deletion-certificate": "missing",
        "hds": "missing",
        "eea-storage": "missing",
        "secrecy": "missing",
    },
    "common-paper-dpa-en.docx": {
        "28(3)-subject-duration": "weak",
        "28(3)-nature-purpose": "weak",
        "28(3)-data-types-subjects": "weak",
        "28(3)-unlawful-instruction": "missing",
        "28(3)(b)": "missing",
        "28(3)(c)": "missing",
        "28(3)(f)": "missing",
        "28(3)(g)": "weak",
        "28(3)(h)": "weak",
        "sub-processor-objection": "weak",
        "breach-delay": "weak",
        "on-site-audit": "missing",
        "deletion-certificate": "weak",
        "hds": "missing",
        "eea-storage": "missing",
        "secrecy": "missing",
    },
    "researchequals-dpa-en.docx": {
        "28(3)(c)": "weak",
        "sub-processor-objection": "weak",
        "breach-delay": "weak",
        "hds": "missing",
        "eea-storage": "missing",
        "secrecy": "missing",
    },
}


@pytest.mark.parametrize("name", sorted(PUBLIC))
def test_public_dpas(name: str) -> None:
    assert not_found(DATA / name) == PUBLIC[name]


def test_public_dpas_are_documented() -> None:
    readme = (DATA / "README.md").read_text("utf-8")
    for name in PUBLIC:
        assert f"`{name.removesuffix('.docx')}.md` / `.docx`" in readme


def test_matching_ignores_accents_case_and_pdf_line_breaks() -> None:
    assert fold("Le Sous-traitant PERMET les audits,\ny compris les inspec-\ntions sur place") == (
        "le sous-traitant permet les audits, y compris les inspections sur place"
    )


def _examples() -> list[tuple[str, str, str, str]]:
    review = default_review()
    return [
        (element.id, lang.value, status.value, text)
        for element in review.spec.elements
        for lang in Language
        for status in Status
        for text in getattr(element.examples.in_(lang), status.value)
    ]


@pytest.mark.parametrize(("element", "lang", "status", "text"), _examples())
def test_each_example_is_judged_as_it_says(element: str, lang: str, status: str, text: str) -> None:
    (compiled,) = [c for c in compiled_elements(default_review()) if c.element.id == element]
    assert compiled.judge(Language(lang), [fold(text)]).status.value == status


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_proposed_clause_is_rendered_with_placeholders(lang: str) -> None:
    """The wording proposed for each element is Clausier's clause for the neutral answers of
    clauses/review/proposed.yaml: facts in brackets, no party of an example."""
    from generator.review.command import proposals

    review = default_review()
    offered = proposals(review, Language(lang))
    assert {e.proposed for e in review.spec.elements} <= set(offered)
    text = " ".join(t for p in offered.values() for _, t in p.paragraphs)
    assert "[Prestataire]" in text and "[Sous-traitant ultérieur]" in text
    assert "{{" not in text and "\ue002" not in text  # filled in, references resolved
