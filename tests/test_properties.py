"""Property-based tests: whatever text users paste into their answers, Clausier either refuses
it with a one-line message naming the file, the line and the field, or builds documents that
are sound Word files holding that text exactly as typed.

`make test` runs a small budget; `make fuzz` (CLAUSIER_FUZZ=1) runs a large one.
"""

from __future__ import annotations

import copy
import os
import re
import tempfile
from pathlib import Path
from typing import Any

import yaml
from conftest import AGREEMENTS, EXAMPLES, docx_text, switch_on
from docx_check import check_docx, leftover_template_tags
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from generator.answers.load import validate_answers
from generator.answers.model import Answers, Language
from generator.answers.yamlfile import dump_yaml, format_path, parse_yaml
from generator.errors import InputError, InputErrors
from generator.interview.walk import get, put
from generator.legal.assessment import assess
from generator.library.load import default_library
from generator.library.plan import plan_document, slug
from generator.word.bilingual import plan_bilingual
from generator.word.provenance import read_answers
from generator.word.render import render

FUZZ = switch_on(os.environ.get("CLAUSIER_FUZZ"))  # 1, true, yes or on


def budget(small: int) -> Any:
    """Settings for a test: `small` examples in `make test`, fifty times more in `make fuzz`."""
    return settings(
        max_examples=small * 50 if FUZZ else small,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


# What legal teams paste: XML specials, template and Word field syntax, our own markup, scripts
# written right to left, emoji with joiners, combining accents, every kind of space and break,
# and characters no Word document can hold.
PIECES = [
    "&", "<", ">", '"', "'", "&amp;", "]]>", "<w:t>", "{{ 7*7 }}", "{%", "%}", "{{", "}}", "{#",
    "{% for x in range(9**9) %}", "{{ ''.__class__.__mro__ }}", "{ MERGEFIELD Nom }",
    "{ DOCPROPERTY Title \\* MERGEFORMAT }", "**gras**", "[[dpa.subject]]", "${name}",
    "مستشفى الجامعة", "בית החולים", "病院", "Ελλάδα", "🏥", "👩🏽‍⚕️", "e\u0301", "\u200d", "\u200f",
    "\u202e", "\u2028", "\u2029", "\u0085", "\t", "\n", "\r\n", "\r", "  ", "\u00a0", "\u202f",
    "\ufeff", "\x00", "\x07", "\x0b", "\x1f", "\ufffe", "\ue000", "\ue003", "\U0010fffd",
    "l'hôpital « Sud » : ", "Œuvre", "ß", "İ",
]  # fmt: skip
_WORD_REFUSES = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ue000-\ue003]")

pasted = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=12)), max_size=8).map("".join)
user_text = st.one_of(pasted, pasted, pasted, st.text(min_size=1990, max_size=2010))


# Unicode White_Space, which the model trims (Python's str.strip also trims U+001C to U+001F,
# control characters the model must refuse rather than drop).
WHITE_SPACE = "\t\n\x0b\x0c\r \x85\xa0\u1680\u2028\u2029\u202f\u205f\u3000" + "".join(
    map(chr, range(0x2000, 0x200B))
)


def trimmed(value: str) -> str:
    return value.strip(WHITE_SPACE)


def printed(value: str) -> str:
    """How a value reads in Word: trimmed, every kind of line break one break."""
    return re.sub(r"\r\n?", "\n", trimmed(value))


def accepted(value: str) -> bool:
    """What the model must accept: non-blank, at most 2000 characters once trimmed, and only
    characters a Word document can hold."""
    kept = trimmed(value)
    return 0 < len(kept) <= 2000 and not _WORD_REFUSES.search(kept)


# The text fields each example prints in every document it calls for.
PRINTED = {
    "chu-teleconsultation.yaml": [
        ("parties", 0, "name"),
        ("parties", 1, "name"),
        ("parties", 1, "address"),
        ("parties", 1, "signatory", "name"),
        ("processing", "subject_matter"),
        ("processing", "purposes", 0),
        ("processing", "retention"),
        ("hosting", "provider"),
        ("sub_processors", 0, "name"),
        ("sub_processors", 0, "service"),
        ("security_measures", 0, "description"),
        ("options", "courts"),
        ("parties", 0, "address"),  # signed electronically: no place is printed
        ("reference",),
    ],
    # A DPA's Annex I lists its two parties: the sponsor is in every document, a site only in
    # its own and in the protocol annex.
    "research-observational-cro.yaml": [
        ("parties", 0, "name"),
        ("parties", 0, "address"),
        ("research", "title"),
    ],
}
EXAMPLE_DATA = {
    path.name: yaml.safe_load(path.read_text(encoding="utf-8"))
    for path in EXAMPLES
    if path.name in PRINTED
}


def _load(data: dict[str, Any]) -> Answers:
    """The answers of `data` written as the interview writes them, and read back."""
    located = parse_yaml(dump_yaml(data), "answers.yaml")
    assert located.data == data, "YAML changed the text on the way through"
    return validate_answers(located)


Typed = dict[tuple[str | int, ...], str]
ADDRESS, TITLE = ("parties", 1, "address"), ("research", "title")


@st.composite
def pasted_answers(draw: st.DrawFn) -> tuple[str, Typed]:
    """An example, and pasted text for some of the fields it prints."""
    example = draw(st.sampled_from(sorted(PRINTED)))
    fields = draw(st.lists(st.sampled_from(PRINTED[example]), min_size=1, max_size=5, unique=True))
    return example, {path: draw(user_text) for path in fields}


def with_text(example: str, typed: Typed) -> dict[str, Any]:
    """The example's answers with the `typed` text in its fields."""
    data = copy.deepcopy(EXAMPLE_DATA[example])
    for path, value in typed.items():
        put(data, path, value)
    return data


@budget(300)
@given(pasted_answers())
def test_pasted_text_is_kept_exactly_or_refused_with_its_place(case: tuple[str, Typed]) -> None:
    example, typed = case
    data = with_text(example, typed)
    if all(accepted(value) for value in typed.values()):
        answers = _load(data)
        for path, value in typed.items():
            assert get(answers.model_dump(), path) == printed(value)
        return
    try:
        _load(data)
    except InputError as error:
        # Several mistakes are said together, each on a line of its own with its place.
        said = error.errors if isinstance(error, InputErrors) else (error,)
        for one in said:
            assert "\n" not in str(one) and str(one).startswith("answers.yaml:")
            assert one.line is not None and one.field is not None
        refused = [format_path(path) for path, v in typed.items() if not accepted(v)]
        assert any(one.field in refused for one in said)
    else:
        raise AssertionError("text Word cannot hold was accepted")


@budget(12)
@given(pasted_answers(), st.sampled_from(["fr", "en", "bilingual"]))
@example(("chu-teleconsultation.yaml", {ADDRESS: "1 rue X\r\n\t75009  Paris\n"}), "fr")
@example(
    ("research-observational-cro.yaml", {TITLE: "{{ 7*7 }} & <b> مستشفى 👩🏽‍⚕️ { REF x }"}), "en"
)
def test_documents_hold_pasted_text_exactly(case: tuple[str, Typed], edition: str) -> None:
    example, typed = case
    data = with_text(example, {path: v for path, v in typed.items() if accepted(v)})
    languages = ("fr", "en") if edition == "bilingual" else (edition,)
    texts = [
        printed(value[language] if isinstance(value, dict) else value)  # {fr, en}: each edition's
        for value in (get(data, path) for path in PRINTED[example])
        for language in languages
    ]
    _assert_documents_hold(_load(data), texts, edition)


def _assert_documents_hold(
    answers: Answers, texts: list[str], edition: str, typed: tuple[str, ...] = ()
) -> None:
    """Every document due is a sound .docx holding the answers themselves, every agreement
    `texts` exactly (the pack built with them words only what its reader needs); template
    syntax may appear only inside the texts and the `typed` words."""
    library = default_library()
    language = answers.language if edition == "bilingual" else Language(edition)
    assessment = assess(answers)
    assert assessment.documents and not assessment.blockers
    with tempfile.TemporaryDirectory() as folder:
        for due in assessment.documents:
            if edition == "bilingual":
                plan = plan_bilingual(due, answers, assessment, library, False)
            else:
                plan = plan_document(due, answers, assessment, library, language, False)
            path = Path(folder) / plan.filename
            path.write_bytes(render(plan, answers))
            assert check_docx(path, template_tags=False) == []
            assert leftover_template_tags(path, allowed=[*texts, *typed]) == []
            text = docx_text(path)
            for value in texts if due.kind.value in AGREEMENTS.split(",") else ():
                assert value in text, f"{value!r} is not in {plan.filename}"
            back = parse_yaml(read_answers(path), "provenance")
            assert validate_answers(back) == answers


@budget(6)
@given(
    st.integers(min_value=0, max_value=120),
    st.integers(min_value=0, max_value=60),
    st.integers(min_value=1, max_value=80),
    pasted,
)
def test_long_and_empty_lists(purposes: int, sub_processors: int, measures: int, word: str) -> None:
    """Empty lists the model requires are refused at their place; long ones build."""
    data = copy.deepcopy(EXAMPLE_DATA["chu-teleconsultation.yaml"])
    word = printed(word) if accepted(word) else "x"
    processing = data["processing"]
    processing["purposes"] = [f"{word} finalité {i}" for i in range(purposes)]
    template = data["sub_processors"][0]
    data["sub_processors"] = [
        {**template, "name": f"{word} sous-traitant {i}"} for i in range(sub_processors)
    ]
    categories = ["encryption", "logging", "backup", "access_control"]
    data["security_measures"] = [
        {"category": categories[i % 4], "description": f"{word} mesure {i}"}
        for i in range(measures)
    ]
    if purposes == 0:
        try:
            _load(data)
        except InputError as error:
            assert error.field == "processing.purposes" and error.line is not None
            return
        raise AssertionError("an empty list of purposes was accepted")
    answers = _load(data)
    texts = [f"{word} finalité {purposes - 1}", f"{word} mesure {measures - 1}"]
    if sub_processors:
        texts.append(f"{word} sous-traitant {sub_processors - 1}")
    _assert_documents_hold(answers, texts, "fr", typed=(word,))


@budget(300)
@given(user_text)
def test_file_names_from_party_names_are_safe(name: str) -> None:
    """No separator, traversal, reserved name or stray character reaches a file name."""
    part = slug(name)
    assert re.fullmatch(r"([a-z0-9]+(-[a-z0-9]+)*)?", part) and len(part) <= 60
