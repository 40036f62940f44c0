"""Building documents: every example in both languages, read back and checked as a lawyer would."""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import (
    ALL_DOCUMENTS,
    BILINGUAL_DOCUMENTS,
    EXAMPLES,
    MINIMAL,
    ROOT,
    Case,
    docx_paragraphs,
    docx_text,
    run_cli,
    write,
)
from docx_check import check_docx, leftover_template_tags

from generator.answers.load import load_answers
from generator.answers.model import Language
from generator.cli import demo_editions
from generator.legal.assessment import DUE_FROM_ANSWERS, DocumentKind
from generator.library.checks import ART28_ELEMENTS
from generator.library.load import default_library
from generator.library.wording import enumerate_words, format_date

DPAS = [d for d in ALL_DOCUMENTS if d.due.kind is DocumentKind.DPA]
# How a DPA's file name starts, to find it among the documents a build writes.
_DPA_PREFIX = {
    lang: default_library().documents["dpa"].texts.filename.in_(Language(lang))
    for lang in ("fr", "en")
}


def _id(case: Case) -> str:
    return case.name


def test_demo_builds_every_document_of_every_example(demo_dir: Path) -> None:
    assert len(EXAMPLES) >= 9
    built = sorted(p.name for p in demo_dir.glob("*.docx"))
    assert built == sorted([*(d.name for d in ALL_DOCUMENTS), *BILINGUAL_DOCUMENTS])


@pytest.mark.parametrize("case", DPAS, ids=_id)
def test_dpa_reads_as_a_complete_agreement(demo_dir: Path, case: Case) -> None:
    answers, language, due, name = case.answers, case.language, case.due, case.name
    document = demo_dir / name
    text = docx_text(document)
    paragraphs = docx_paragraphs(document)

    clauses = default_library().documents["dpa"].clauses
    for element in ART28_ELEMENTS:
        titles = [c.spec.title.in_(language) for c in clauses if element in c.spec.covers]
        # A French heading's text is "– Title": the dash follows Word's "Article 4".
        assert any(p.endswith(t) for p in paragraphs for t in titles), f"Art. {element} missing"

    controller, processor = (answers.party(pid) for pid in due.parties)
    for party in (controller, processor):
        assert party.name in text
        assert party.signatory.name in text
    for sub in answers.sub_processors:
        if sub.processor in (None, processor.id):
            assert sub.name in text
        elif sub.name != processor.name:  # another's host may be this DPA's processor itself
            assert sub.name not in text
    for measure in answers.security_measures:
        if not measure.parties or processor.id in measure.parties:
            assert measure.description in text

    if answers.signature.date:
        assert format_date(answers.signature.date, language) in text
    if language is Language.FR:
        assert "IL A ÉTÉ CONVENU CE QUI SUIT" in text and "ENTRE LES SOUSSIGNÉS" in text
    else:
        assert "IT IS AGREED AS FOLLOWS" in text and " shall " in text


@pytest.mark.parametrize("case", ALL_DOCUMENTS, ids=_id)
def test_every_document_is_clean(demo_dir: Path, case: Case) -> None:
    document = demo_dir / case.name
    assert check_docx(document) == []
    text = docx_text(document)
    # Python's None leaking into the text; "None of its provisions" is English.
    assert not re.search(r"\bNone\b(?! of\b)", text)
    assert "{{" not in text and "{%" not in text and "%}" not in text
    assert "\ue000" not in text and "\ue001" not in text and "**" not in text
    # Agreement written around, never « immatriculé(e) » or « représenté(e) ».
    assert not re.search(r"\w\(e\)", text)
    # One citation style: « L. 1111-7 », the letter held to the number by a no-break space.
    assert not re.search(r"\b[LRD]\.[ ]?\d{4}-\d", text)


@pytest.mark.parametrize("name", BILINGUAL_DOCUMENTS)
def test_every_side_by_side_demo_document_is_clean(demo_dir: Path, name: str) -> None:
    """Where a party must contract in French, the demo builds French and English side by side
    instead of an English deed; between French parties only the French text is authentic."""
    document = demo_dir / name
    assert check_docx(document) == []
    text = docx_text(document)
    assert not re.search(r"\bNone\b(?! of\b)", text)
    assert "{{" not in text and "{%" not in text and "\ue000" not in text and "**" not in text
    # The English column refers to clauses, annexes and tables in English ("Clause 4", "Annex
    # II", "Table 2").
    assert "Clause Article" not in text
    assert not re.search(r"\b(in|of|to|under) (Annexe|Tableau)\b", text)
    if "Seule la version française fait foi" in text:
        assert "Only the French version is authentic" in text
        assert "la version française prévaut" not in text
    # The public hospital's DPA with a French company: French alone is authentic.
    if name == "accord-sous-traitance-agendo-sante-fr-en.docx":
        assert "Seule la version française fait foi" in text


def _library_texts(node: Any, language: str) -> Iterator[str]:
    """Every text of a clause file in one language (the `fr:` or `en:` strings)."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == language and isinstance(value, str):
                yield value
            else:
                yield from _library_texts(value, language)
    elif isinstance(node, list):
        for value in node:
            yield from _library_texts(value, language)


@functools.cache
def _defined_terms(kind: str, language: str) -> frozenset[str]:
    """The terms the library marks **like this** for one kind of document, as they print
    (French no-break spaces inside « »); those holding an answer ({{ }}) left out."""
    terms = set()
    for file in sorted((ROOT / "clauses" / kind).glob("*.yaml")):
        for text in _library_texts(yaml.safe_load(file.read_text("utf-8")), language):
            for term in re.findall(r"\*\*(.+?)\*\*", re.sub(r"[ \t\n]+", " ", text)):
                if "{" in term:
                    continue
                if language == "fr":
                    term = re.sub(r" ([:;?!»])", "\u00a0\\1", term).replace("« ", "«\u00a0")
                terms.add(term)
    return frozenset(terms)


def _bold_spans(document: Path) -> list[str]:
    """The text of each stretch of bold runs (w:b set) in the document's body."""
    import zipfile

    from lxml import etree

    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    with zipfile.ZipFile(document) as package:
        root = etree.fromstring(package.read("word/document.xml"))
    spans = []
    for paragraph in root.iter(f"{w}p"):
        span = ""
        for run in paragraph.iter(f"{w}r"):
            bold = run.find(f"{w}rPr/{w}b")
            if bold is not None and bold.get(f"{w}val") not in ("0", "false"):
                span += "".join(t.text or "" for t in run.iter(f"{w}t"))
            elif span:
                spans.append(span)
                span = ""
        if span:
            spans.append(span)
    return spans


def _assert_terms_bold(document: Path, languages: tuple[str, ...], kind: str) -> None:
    text = docx_text(document)
    defined = {t for language in languages for t in _defined_terms(kind, language) if t in text}
    # A document written for patients (plain), or a register's entries, need define no term;
    # the others define theirs.
    if not default_library().documents[kind].texts.plain and _defined_terms(kind, languages[0]):
        assert len(defined) >= 5, f"{document.name}: only {sorted(defined)} of the library's terms"
    spans = _bold_spans(document)
    not_bold = sorted(t for t in defined if t not in spans)
    assert not not_bold, f"{document.name}: not set in bold: {not_bold}"


@pytest.mark.parametrize("case", ALL_DOCUMENTS, ids=_id)
def test_defined_terms_are_bold_where_defined(demo_dir: Path, case: Case) -> None:
    """Every term the library marks **like this** that a document defines is a run of its own
    in bold: every kind of document, in French and in English."""
    _assert_terms_bold(demo_dir / case.name, (case.language.value,), case.due.kind.value)


BILINGUAL = {  # an example for each kind of document, for the side-by-side edition
    kind: next(c.example for c in ALL_DOCUMENTS if c.due.kind is kind)
    for kind in DUE_FROM_ANSWERS  # an amendment is built against a signed DPA: test_amendment
}


@pytest.mark.parametrize("kind", BILINGUAL, ids=lambda k: k.value)
def test_defined_terms_are_bold_in_the_bilingual_edition(
    tmp_path: Path, kind: DocumentKind
) -> None:
    assert run_cli("build", BILINGUAL[kind], "--out", tmp_path, "--lang", "bilingual") == 0
    prefix = default_library().documents[kind.value].texts.filename.in_(Language.FR)
    documents = sorted(tmp_path.glob(f"{prefix}-*-fr-en.docx"))
    assert documents
    for document in documents:
        _assert_terms_bold(document, ("fr", "en"), kind.value)


def test_dates_are_written_as_contracts_write_them() -> None:
    first = dt.date(2027, 3, 1)
    assert format_date(first, Language.FR) == "1er mars 2027"
    assert format_date(first, Language.EN) == "1 March 2027"
    assert format_date(dt.date(2027, 11, 28), Language.FR) == "28 novembre 2027"


def test_lists_are_written_as_drafters_write_them() -> None:
    """Commas between items, unless an item has commas of its own: then semicolons, so that
    "safety tests, calprotectin and genotyping" stays one item."""
    assert enumerate_words(["a", "b", "c"], Language.FR) == "a, b et c"
    assert enumerate_words(["a", "b"], Language.EN) == "a and b"
    items = ["NFS, ionogramme", "calprotectine", "génotypage"]
    french = "NFS, ionogramme\u00a0; calprotectine\u00a0; et génotypage"  # no break before « ; »
    assert enumerate_words(items, Language.FR) == french
    items = ["blood count, electrolytes", "calprotectin"]
    assert enumerate_words(items, Language.EN) == "blood count, electrolytes; and calprotectin"


def test_user_text_comes_out_exactly_as_typed(tmp_path: Path) -> None:
    name = "Dupont & Fils <SARL> {{ 7*7 }}"
    answers = write(
        tmp_path / "a.yaml",
        MINIMAL.replace("name: Santé Cloud", f'name: "{name}"').replace(
            "provider: Santé Cloud", "provider: \"{% raw %}R&D 'Cloud'\""
        ),
    )
    for language in ("fr", "en"):
        out = tmp_path / language
        assert run_cli("build", answers, "--out", out, "--lang", language) == 0
        (dpa,) = out.glob(f"{_DPA_PREFIX[language]}-*.docx")
        text = docx_text(dpa)
        assert name in text
        assert "{% raw %}R&D 'Cloud'" in text
        for document in out.glob("*.docx"):  # the DPA and the pack built with it
            assert "Dupont & Fils <SARL> 49" not in docx_text(document), document.name
            assert check_docx(document, template_tags=False) == [], document.name
            allowed = [name, "{% raw %}R&D 'Cloud'"]
            assert leftover_template_tags(document, allowed=allowed) == [], document.name


def test_existing_document_is_not_overwritten(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = write(tmp_path / "a.yaml", MINIMAL)
    out = tmp_path / "out"
    assert run_cli("build", answers, "--out", out) == 0
    (document,) = out.glob(f"{_DPA_PREFIX['fr']}-*.docx")
    document.write_bytes(b"signed version")
    before = {p.name: p.read_bytes() for p in out.iterdir()}  # the DPA and its pack

    assert run_cli("build", answers, "--out", out) == 2
    assert "already exists" in capsys.readouterr().err
    # Nothing rewritten, no temporary left behind.
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before

    assert run_cli("build", answers, "--out", out, "--force") == 0
    assert document.read_bytes().startswith(b"PK")


def test_same_answers_give_the_same_file(tmp_path: Path) -> None:
    answers = write(tmp_path / "a.yaml", MINIMAL)
    assert run_cli("build", answers, "--out", tmp_path / "one") == 0
    assert run_cli("build", answers, "--out", tmp_path / "two") == 0
    one = {p.name: p.read_bytes() for p in (tmp_path / "one").iterdir()}
    assert len(one) > 1  # the DPA and the pack built with it
    assert {p.name: p.read_bytes() for p in (tmp_path / "two").iterdir()} == one


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_answers_come_back_out_of_every_document(
    demo_dir: Path, tmp_path: Path, example: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`clausier answers` gives back answers that rebuild the very same files."""
    original = load_answers(example)
    for case in (c for c in ALL_DOCUMENTS if c.example == example):
        assert run_cli("answers", demo_dir / case.name) == 0
        answers = write(tmp_path / "back.yaml", capsys.readouterr().out)
        assert load_answers(answers) == original
    # The answers' own language, unless the law wants French: then the side-by-side edition.
    editions = demo_editions(example)
    edition = original.language.value if original.language.value in editions else "bilingual"
    assert run_cli("build", answers, "--out", tmp_path / "again", "--lang", edition) == 0
    for rebuilt in (tmp_path / "again").iterdir():
        assert rebuilt.read_bytes() == (demo_dir / rebuilt.name).read_bytes(), rebuilt.name


def test_answers_of_a_foreign_document_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import docx

    foreign = tmp_path / "foreign.docx"
    docx.Document().save(foreign)
    assert run_cli("answers", foreign) == 2
    assert "no Clausier provenance" in capsys.readouterr().err


def test_language_is_tagged_for_spell_checking(demo_dir: Path) -> None:
    import zipfile

    for document in demo_dir.glob("*.docx"):
        styles = zipfile.ZipFile(document).read("word/styles.xml").decode()
        expected = "fr-FR" if document.stem.endswith("-fr") else "en-GB"
        assert f'w:lang w:val="{expected}"' in styles
        settings = zipfile.ZipFile(document).read("word/settings.xml").decode()
        assert "proofState" not in settings


def test_references_are_word_fields_to_bookmarks(demo_dir: Path) -> None:
    """Clause and annex references are REF fields on bookmarked headings and annex labels."""
    import zipfile

    xml = (
        zipfile.ZipFile(demo_dir / "accord-sous-traitance-agendo-sante-fr.docx")
        .read("word/document.xml")
        .decode()
    )
    bookmarks = set(re.findall(r'w:bookmarkStart w:id="\d+" w:name="([^"]+)"', xml))
    references = re.findall(r"REF (_Ref\w+) (\\r )?\\h", xml)
    assert references and {name for name, _ in references} <= bookmarks
    assert any(name.startswith("_RefAnnex") for name, _ in references)
    assert any(switch for _, switch in references)  # clause numbers


def test_unwritable_output_folder_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = write(tmp_path / "a.yaml", MINIMAL)
    blocker = write(tmp_path / "not-a-folder", "")
    assert run_cli("build", answers, "--out", blocker / "out") == 2
    err = capsys.readouterr().err
    assert "cannot write here" in err and len(err.strip().splitlines()) == 1


def test_full_disk_leaves_the_old_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Rebuilt over an existing document with different answers (--force) on a full disk: the
    old document is left byte for byte, with no temporary beside it. The new document differs,
    so a write that is not atomic (truncate, then write in place) cannot pass."""
    import errno
    import os

    out = tmp_path / "out"
    assert run_cli("build", write(tmp_path / "a.yaml", MINIMAL), "--out", out) == 0
    (document,) = out.glob(f"{_DPA_PREFIX['fr']}-*.docx")
    before = document.read_bytes()
    set_before = {p.name: p.read_bytes() for p in out.iterdir()}  # the DPA and its pack
    changed = write(tmp_path / "b.yaml", MINIMAL.replace("place: Paris", "place: Lyon"))
    assert run_cli("build", changed, "--out", tmp_path / "elsewhere") == 0
    assert (tmp_path / "elsewhere" / document.name).read_bytes() != before
    capsys.readouterr()

    def no_space(*_: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", no_space)
    assert run_cli("build", changed, "--out", out, "--force") == 2
    assert "No space left on device" in capsys.readouterr().err
    assert document.read_bytes() == before
    assert {p.name: p.read_bytes() for p in out.iterdir()} == set_before  # no temporary
