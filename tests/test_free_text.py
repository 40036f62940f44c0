"""Free text in each edition's language: a free-text answer is a plain string (in the answers'
language) or {fr: ..., en: ...}; an edition prints its language's text, the bilingual edition
each language in its own column, and the assessment names every field an edition lacks."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import (
    ALL_DOCUMENTS,
    EXAMPLES,
    MINIMAL,
    Case,
    bilingual_documents,
    docx_text,
    run_cli,
    write,
)
from docx_check import paragraph_texts
from lxml import etree

from generator.answers.languages import field_names, free_texts, in_language, missing_in
from generator.answers.load import load_answers
from generator.answers.model import Answers, Language, Translations
from generator.errors import InputError
from generator.interview.app import _ask
from generator.interview.session import State, pending
from generator.interview.walk import Step, get
from generator.legal.assessment import DocumentKind

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _translated(answers: Answers) -> list[tuple[str, Translations]]:
    """The free texts given in both languages, worded differently, by field name."""
    return [
        (field_names([path])[0], value)
        for path, value in free_texts(answers)
        if isinstance(value, Translations) and value.fr and value.en and value.fr != value.en
    ]


def _foreign(value: Translations, language: Language) -> str | None:
    """The other language's text, when finding it in a document proves it is misplaced: not
    when this language's text contains it (an English legal form names the French one)."""
    other = Language.EN if language is Language.FR else Language.FR
    theirs, mine = value.in_(other), value.in_(language)
    return None if theirs is None or mine is None or theirs in mine else theirs


# --- the examples ----------------------------------------------------------------------------


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_every_example_gives_its_free_text_in_both_languages(example: Path) -> None:
    answers = load_answers(example)
    assert not missing_in(answers, Language.FR)
    assert not missing_in(answers, Language.EN)
    assert _translated(answers), "an example written twice the same is no example"


@pytest.mark.parametrize("case", ALL_DOCUMENTS, ids=lambda c: c.name)
def test_an_edition_prints_the_free_text_of_its_language(demo_dir: Path, case: Case) -> None:
    text = docx_text(demo_dir / case.name)
    for name, value in _translated(load_answers(case.example)):
        foreign = _foreign(value, case.language)
        assert foreign is None or foreign not in text, f"{name} in the other language"
    mine = case.answers  # as printed: each free text in the document's language
    if case.due.kind is DocumentKind.DPA:
        for measure in mine.security_measures:
            if not measure.parties or case.due.parties[1] in measure.parties:
                assert measure.description in text
    if mine.research is None:
        # The agreement and the DPIA state the service; the record and the patients' notice
        # name the processing by its purposes, in the patients' words.
        if case.due.kind in (DocumentKind.DPA, DocumentKind.DPIA):
            assert mine.processing.subject_matter in text
    else:  # every research document, a site's or a CRO's DPA among them, names the study
        assert mine.research.title in text


def _style(cell: etree._Element) -> str:
    return str(cell.xpath("string(w:p[1]/w:pPr/w:pStyle/@w:val)", namespaces={"w": W[1:-1]}))


def _cells(row: etree._Element) -> list[str]:
    return ["\n".join(t for _, t in paragraph_texts(c)) for c in row.findall(f"{W}tc")]


def _columns(document: Path) -> list[tuple[str, str]]:
    """The bilingual edition's (French, English) cells: the two columns of the body (its
    first table), and the two value columns of an annex's label/value table."""
    with zipfile.ZipFile(document) as package:
        body = etree.fromstring(package.read("word/document.xml"))
    first, *others = body.iter(f"{W}tbl")
    pairs = [(a, b) for a, b in (_cells(r) for r in first.findall(f"{W}tr"))]
    for table in others:
        for row in table.findall(f"{W}tr"):
            cells = row.findall(f"{W}tc")
            if len(cells) == 3 and _style(cells[0]) == "TableHeading":
                _, french, english = _cells(row)
                pairs.append((french, english))
    return pairs


BILINGUAL = [(example, name) for example in EXAMPLES for name in bilingual_documents(example)]


@pytest.mark.parametrize(("example", "name"), BILINGUAL, ids=[n for _, n in BILINGUAL])
def test_the_bilingual_edition_keeps_each_language_in_its_column(
    demo_dir: Path, example: Path, name: str
) -> None:
    answers = load_answers(example)
    columns = _columns(demo_dir / name)
    assert len(columns) > 5  # the columns were found (a one-page poster has some ten rows)
    checked = 0
    for field, value in _translated(answers):
        english_in_french = _foreign(value, Language.FR)
        french_in_english = _foreign(value, Language.EN)
        for french, english in columns:
            assert english_in_french is None or english_in_french not in french, field
            assert french_in_english is None or french_in_english not in english, field
            checked += value.fr in french and value.en in english
    assert checked, "no free text found side by side"


# --- the assessment and the build --------------------------------------------------------------


def test_the_fields_are_named_as_the_file_spells_them() -> None:
    paths: list[tuple[str | int, ...]] = [
        ("processing", "purposes", 0),
        ("processing", "purposes", 1),
        ("processing", "purposes", 2),
        ("processing", "purposes", 5),
        ("parties", 1, "signatory", "title"),
        ("options", "courts"),
    ]
    assert field_names(paths) == [
        "processing.purposes[0-2, 5]",
        "parties[1].signatory.title",
        "options.courts",
    ]


def test_plain_text_is_in_the_answers_language() -> None:
    answers = Answers.model_validate(yaml.safe_load(MINIMAL))
    assert missing_in(answers, Language.FR) == []
    english = field_names(missing_in(answers, Language.EN))
    assert "processing.subject_matter" in english and "options.courts" in english
    assert "parties[0-1].signatory.title" in english
    # Names, addresses and references read the same in both languages: never asked twice.
    assert not any(n.endswith((".address", ".name]", "signature.place")) for n in english)


def test_an_edition_falls_back_on_the_other_language() -> None:
    data = yaml.safe_load(MINIMAL)
    data["processing"]["subject_matter"] = {"en": "online appointments"}
    answers = Answers.model_validate(data)
    french = in_language(answers, Language.FR)
    assert french.processing.subject_matter == "online appointments"
    assert french.processing.purposes == ["prise de rendez-vous"]
    assert answers.processing.subject_matter == Translations(en="online appointments")


# The tests on what a build of the minimal answers says read its DPA, built alone.
ONLY_DPA = ("--only", "dpa")


def test_build_names_the_fields_an_edition_lacks(tmp_path: Path, capsys: Any) -> None:
    answers = write(tmp_path / "a.yaml", MINIMAL)
    assert run_cli("build", answers, "--out", tmp_path / "en", "--lang", "en", *ONLY_DPA) == 0
    said = capsys.readouterr().err
    assert "[warning] FREE_TEXT_OTHER_LANGUAGE" in said
    assert "processing.subject_matter" in said and "security_measures[0-1].description" in said
    (document,) = (tmp_path / "en").glob("*.docx")
    assert "gestion des rendez-vous en ligne" in docx_text(document)


def test_the_bilingual_edition_is_refused_with_one_language(tmp_path: Path, capsys: Any) -> None:
    answers = write(tmp_path / "a.yaml", MINIMAL)
    out = tmp_path / "bilingual"
    assert run_cli("build", answers, "--out", out, "--lang", "bilingual") == 1
    said = capsys.readouterr().err
    assert "[bloquant] FREE_TEXT_UNTRANSLATED" in said and "processing.subject_matter" in said
    assert not out.exists() or not any(out.iterdir())
    # Given in both languages, it is built, each column in its language.
    data = yaml.safe_load(MINIMAL)
    for path, value in free_texts(Answers.model_validate(data)):
        target: Any = data
        for part in path[:-1]:
            target = target[part]
        target[path[-1]] = {"fr": value, "en": f"EN {value}"}
    both = tmp_path / "both.yaml"
    both.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert run_cli("build", both, "--out", out, "--lang", "bilingual", *ONLY_DPA) == 0
    assert "FREE_TEXT" not in capsys.readouterr().err
    (document,) = out.glob("*.docx")
    assert any(
        "gestion des rendez-vous en ligne" in french
        and "EN gestion" not in french
        and "EN gestion des rendez-vous en ligne" in english
        for french, english in _columns(document)
    )


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("{de: Terminverwaltung}", "processing.subject_matter.de: unknown field"),
        ("{}", "give the text in French (fr), in English (en) or in both"),
        ("{fr: ''}", "processing.subject_matter.fr"),
        ("[a, b]", "processing.subject_matter"),
    ],
)
def test_a_wrong_translation_is_one_line_naming_its_field(
    tmp_path: Path, value: str, message: str
) -> None:
    original = "  subject_matter: gestion des rendez-vous en ligne"
    line = MINIMAL.splitlines().index(original) + 1
    text = MINIMAL.replace(original, f"  subject_matter: {value}")
    with pytest.raises(InputError) as raised:
        load_answers(write(tmp_path / "a.yaml", text))
    said = str(raised.value)
    assert f"a.yaml:{line}:" in said and message in said and "text:" not in said


# --- the interview ---------------------------------------------------------------------------


def _step(state: State, key: str) -> Step:
    return next(s for s in pending(state)[1] if s.key == key)


def _state(**subject_matter: str) -> State:
    state = State(language="fr")
    state.data = yaml.safe_load(MINIMAL)
    state.data["processing"]["subject_matter"] = dict(subject_matter)
    return state


def test_the_interview_edits_one_language_and_keeps_the_other() -> None:
    state = _state(fr="gestion des rendez-vous", en="appointment management")
    step = _step(state, "processing.subject_matter")
    assert step.free_text and state.offered(step) == "gestion des rendez-vous"
    state.record(step, "prise de rendez-vous en ligne")
    assert get(state.data, step.path) == {
        "fr": "prise de rendez-vous en ligne",
        "en": "appointment management",
    }


def test_the_interview_shows_the_other_language_to_write_this_one() -> None:
    state = _state(en="appointment management")
    step = _step(state, "processing.subject_matter")
    assert state.offered(step) is None
    shown: list[str] = []

    class Shows:
        @staticmethod
        def ask(step: Step, message: str, instruction: str, *_: Any) -> str:
            shown.append(instruction)
            return "gestion des rendez-vous"

    _ask(step, state, lambda text: text, Shows())  # type: ignore[arg-type]
    assert "[en] appointment management" in shown[0]
    state.record(step, "gestion des rendez-vous")
    assert get(state.data, step.path) == {
        "en": "appointment management",
        "fr": "gestion des rendez-vous",
    }


def test_changing_the_documents_language_keeps_what_was_typed_as_typed() -> None:
    state = State(language="fr")
    state.data = yaml.safe_load(MINIMAL)
    state.record(_step(state, "language"), "en")
    assert state.data["processing"]["subject_matter"] == {"fr": "gestion des rendez-vous en ligne"}
    assert state.data["parties"][0]["name"] == "Centre hospitalier de Test"  # a name: as is
