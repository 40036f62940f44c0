"""`clausier build NEW.yaml --against SIGNED.docx`: the new version with its changes as Word
revisions, which accepted give exactly the fresh build."""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, missing_tool, run_cli
from docx_check import check_docx
from lxml import etree

from generator.word.revisions import AUTHOR, accept_all, paragraph_texts

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
EXAMPLE = ROOT / "examples" / "chu-teleconsultation.yaml"
# A public hospital contracts in French: its English edition is the clinic's.
EXAMPLES = {
    "fr": EXAMPLE,
    "bilingual": EXAMPLE,
    "en": ROOT / "examples" / "clinic-lab-results.yaml",
}
# The breach delay's words before and after it becomes 12 hours, in each edition.
HOURS = {
    "fr": [("vingt-quatre", "douze", "24")],
    "bilingual": [("vingt-quatre", "douze", "24"), ("twenty-four", "twelve", "24")],
    "en": [("thirty-six", "twelve", "36")],
}


def changed(path: Path, example: Path = EXAMPLE, **edits: object) -> Path:
    """The example's answers with a sub-processor added and the breach delay at 12 hours,
    or with `edits` (dotted paths) instead."""
    data = yaml.safe_load(example.read_text(encoding="utf-8"))
    if not edits:
        data["sub_processors"].append(
            {
                "name": "Assistia",
                "service": {
                    "fr": "assistance téléphonique de premier niveau aux utilisateurs "
                    "professionnels de la plateforme, sans accès aux données de santé",
                    "en": "first-level telephone support to the platform's professional "
                    "users, without access to health data",
                },
                "address": "5 rue Lafayette, 31000 Toulouse",
                "contact": "dpo@assistia.fr",
                "country": "FR",
            }
        )
        edits = {"options.breach_notice_hours": 12}
    for dotted, value in edits.items():
        *parents, last = dotted.split(".")
        node = data
        for key in parents:
            node = node[key]
        node[last] = value
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    return path


def build(answers: Path, out: Path, edition: str, *extra: str | Path) -> list[Path]:
    args = ("--out", out, "--lang", edition, "--only", "dpa", "--force", *extra)
    assert run_cli("build", answers, *args) == 0
    return sorted(out.glob("*.docx"))


@pytest.fixture(scope="module", params=list(EXAMPLES))
def versions(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    """(signed, fresh build of the new answers, the new version with tracked changes)."""
    edition = request.param
    root = tmp_path_factory.mktemp(f"revisions-{edition}")
    (signed,) = build(EXAMPLES[edition], root / "signed", edition)
    new = changed(root / "new.yaml", EXAMPLES[edition])
    out = root / "out"
    assert run_cli("build", new, "--against", signed, "--out", out) == 0
    tracked = [*out.glob("*-modifications-suivies.docx"), *out.glob("*-tracked-changes.docx")]
    (redline,) = tracked
    (fresh,) = [p for p in out.glob("*.docx") if redline.stem.startswith(p.stem + "-")]
    return edition, signed, fresh, redline


def body(path: Path) -> etree._Element:
    with zipfile.ZipFile(path) as package:
        return etree.fromstring(package.read("word/document.xml")).find(f"{W}body")


def marks(path: Path, tag: str) -> list[str]:
    """The text of each run-level revision of kind `tag` ("ins" or "del")."""
    found = []
    for mark in body(path).iter(f"{W}{tag}"):
        if mark.getparent().tag not in (f"{W}rPr", f"{W}trPr"):
            found.append("".join(mark.itertext()))
    return found


def test_accepting_every_change_gives_the_fresh_build(versions) -> None:
    _, _, fresh, redline = versions
    accepted = body(redline)
    accept_all(accepted)
    assert paragraph_texts(accepted) == paragraph_texts(body(fresh))


def test_the_breach_delay_is_changed_word_by_word(versions) -> None:
    edition, _, _, redline = versions
    deleted, inserted = marks(redline, "del"), marks(redline, "ins")
    for old, new, figure in HOURS[edition]:
        assert old in deleted and new in inserted
        assert figure in deleted and "12" in inserted
    # Only the words that changed: never a whole paragraph out and in again.
    assert all(len(text) < 40 for text in deleted)


def test_the_new_sub_processor_is_an_inserted_row(versions) -> None:
    _, _, _, redline = versions
    rows = body(redline).xpath(".//w:tr[w:trPr/w:ins]", namespaces={"w": W[1:-1]})
    assert len(rows) == 1
    assert "Assistia" in "".join(rows[0].itertext())


def test_revisions_are_clausier_s_dated_and_tracking_stays_on(versions) -> None:
    _, _, _, redline = versions
    revisions = list(body(redline).iter(f"{W}ins", f"{W}del"))
    assert {r.get(f"{W}author") for r in revisions} == {AUTHOR}
    # Undated until the answers date the amendment that makes the changes (test_amendment).
    assert {r.get(f"{W}date") for r in revisions} == {None}
    ids = [r.get(f"{W}id") for r in revisions]
    assert len(ids) == len(set(ids))
    with zipfile.ZipFile(redline) as package:
        assert b"<w:trackRevisions/>" in package.read("word/settings.xml")


def test_the_redline_passes_the_schema_and_integrity_check(versions) -> None:
    _, _, _, redline = versions
    assert check_docx(redline) == []


def test_a_removed_clause_is_deleted_and_the_renumbered_ones_are_not(tmp_path: Path) -> None:
    """Without the patient application, Article 13 goes: it is shown deleted, and the
    articles after it, renumbered, and every reference to them are not marked at all."""
    (signed,) = build(EXAMPLE, tmp_path / "signed", "fr")
    new = changed(tmp_path / "new.yaml", **{"options.hospital.patient_app": False})
    assert run_cli("build", new, "--against", signed, "--out", tmp_path / "out") == 0
    (redline,) = (tmp_path / "out").glob("*-modifications-suivies.docx")
    assert marks(redline, "ins") == []
    deleted = marks(redline, "del")
    assert deleted[0] == "– Application destinée aux patients"
    assert all("patient" in text or "INS" in text for text in deleted), deleted


def test_a_moved_clause_is_compared_with_itself(tmp_path: Path) -> None:
    """A firm's library moving the confidentiality clause after the security one: nothing
    is deleted or inserted."""
    (signed,) = build(EXAMPLE, tmp_path / "signed", "fr")
    library = tmp_path / "clauses"
    shutil.copytree(ROOT / "clauses", library)
    clause = library / "dpa" / "070-confidentiality.yaml"
    text = clause.read_text(encoding="utf-8")
    assert "\norder: 70\n" in "\n" + text
    clause.write_text(text.replace("order: 70", "order: 85", 1), encoding="utf-8")
    out = tmp_path / "out"
    args = ("--against", signed, "--out", out, "--clauses", library)
    assert run_cli("build", EXAMPLE, *args) == 0
    (redline,) = out.glob("*-modifications-suivies.docx")
    assert marks(redline, "ins") == [] and marks(redline, "del") == []


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda tmp: Path(__file__), "not a readable .docx"),
        (lambda tmp: _plain_docx(tmp), "no Clausier provenance in this document"),
    ],
)
def test_a_document_clausier_did_not_build_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], make, expected: str
) -> None:
    signed = make(tmp_path)
    status = run_cli("build", EXAMPLE, "--against", signed, "--out", tmp_path / "out")
    assert status == 2
    error = capsys.readouterr().err.strip()
    assert error.count("\n") == 0 and expected in error
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def _plain_docx(folder: Path) -> Path:
    from docx import Document

    document = Document()
    document.add_paragraph("Accord de sous-traitance")
    path = folder / "vendor.docx"
    document.save(path)
    return path


def test_another_edition_than_the_signed_one_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (signed,) = build(EXAMPLE, tmp_path / "signed", "fr")
    status = run_cli("build", EXAMPLE, "--against", signed, "--lang", "en", "--out", tmp_path)
    assert status == 2
    assert "compare like with like" in capsys.readouterr().err


def test_the_redline_shows_its_marks_in_libreoffice(versions, tmp_path: Path) -> None:
    """LibreOffice opens it and prints the deleted and inserted words (struck and underlined
    in colour; the text holds both)."""
    edition, _, _, redline = versions
    soffice, pdftotext = shutil.which("soffice"), shutil.which("pdftotext")
    if not (soffice and pdftotext):
        missing_tool("CLAUSIER_REQUIRE_LIBREOFFICE", "LibreOffice and pdftotext are needed")
    profile = f"-env:UserInstallation=file://{tmp_path / 'profile'}"
    subprocess.run(
        [soffice, profile, "--headless", "--convert-to", "pdf", "--outdir", tmp_path, redline],
        check=True,
        capture_output=True,
        timeout=300,
    )
    pdf = tmp_path / redline.with_suffix(".pdf").name
    text = subprocess.run(
        [pdftotext, "-layout", pdf, "-"], check=True, capture_output=True, text=True
    ).stdout
    old, new, _ = HOURS[edition][0]
    assert f"{old}{new}" in text.replace("\n", " ").replace(" ", "") or (
        old in text and new in text
    )
    assert "Assistia" in text


def test_a_signed_version_whose_articles_were_changed_by_hand_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from docx import Document

    (signed,) = build(EXAMPLE, tmp_path / "signed", "fr")
    document = Document(str(signed))
    heading = next(p for p in document.paragraphs if p.style.style_id == "Heading1")
    heading._element.getparent().remove(heading._element)
    document.save(str(signed))
    status = run_cli("build", EXAMPLE, "--against", signed, "--out", tmp_path / "out")
    assert status == 2
    error = capsys.readouterr().err.strip().splitlines()[-1]
    assert "articles no longer match" in error and "added or removed by hand" in error
