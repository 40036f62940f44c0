"""One set, one story: the documents built from one answers file — the agreements, the protocol
annex, the participants' notice, the record entries, the DPIA outline — state the same
retention, the same recipients, the same countries and the same contacts. Each example's whole
set is built by the demo and read back here."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import EXAMPLES, docx_text

from generator.answers.countries import country_name
from generator.answers.languages import in_language
from generator.answers.load import load_answers
from generator.answers.model import Answers, Language
from generator.cli import demo_editions
from generator.legal.assessment import DocumentKind, assess
from generator.library.load import default_library
from generator.library.plan import document_filename

RESEARCH = [e for e in EXAMPLES if load_answers(e).research]
CARE = [e for e in EXAMPLES if not load_answers(e).research]
# The documents that describe the whole processing, each of which must say every fact below.
DESCRIBING = {
    DocumentKind.PROTOCOL_ANNEX,
    DocumentKind.INFORMATION_NOTICE,
    DocumentKind.PROCESSING_RECORD,
    DocumentKind.DPIA,
}


def _flat(text: str) -> str:
    """Text compared as read: no-break spaces as spaces, lines joined."""
    return " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").split())


def _set(demo_dir: Path, example: Path, language: Language) -> dict[DocumentKind, list[str]]:
    """The texts of the example's documents the demo built in `language`, by kind."""
    answers = load_answers(example)
    library = default_library()
    texts: dict[DocumentKind, list[str]] = {}
    for due in assess(answers).documents:
        name = document_filename(due, answers, library.documents[due.kind.value], language)
        texts.setdefault(due.kind, []).append(_flat(docx_text(demo_dir / name)))
    return texts


def _describing(texts: dict[DocumentKind, list[str]]) -> dict[DocumentKind, str]:
    return {kind: " ".join(found) for kind, found in texts.items() if kind in DESCRIBING}


def _retention(answers: Answers) -> list[str]:
    r = answers.research
    if r:
        return [r.retention.active, *([r.retention.archive] if r.retention.archive else [])]
    return [answers.processing.retention] if answers.processing.retention else []


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: e.stem)
@pytest.mark.parametrize("language", [Language.FR, Language.EN], ids=lambda x: x.value)
def test_every_document_states_the_same_retention_contacts_and_countries(
    demo_dir: Path, example: Path, language: Language
) -> None:
    if language.value not in demo_editions(example):
        pytest.skip("a party contracts in French: the demo builds the bilingual edition")
    answers = in_language(load_answers(example), language)
    texts = _describing(_set(demo_dir, example, language))
    assert DocumentKind.PROCESSING_RECORD in texts, "every set has its record entries"
    assessment = assess(answers)
    controller = answers.party(assessment.documents[0].parties[0])
    wanted: dict[str, list[str]] = {
        "retention": [_flat(t) for t in _retention(answers)],
        "contact": [controller.dpo.email] if controller.dpo else [],
        "country": sorted(
            {
                _flat(country_name(t.country, language.value))
                for t in assessment.outside_eea_transfers
            }
        ),
    }
    for kind, text in texts.items():
        for fact, values in wanted.items():
            own_words = answers.processing.patient_retention
            if kind is DocumentKind.INFORMATION_NOTICE and fact == "retention" and own_words:
                values = [_flat(own_words)]  # the care notice's, in the patient's words
            for value in values:
                assert value in text, f"{kind.value} does not state the {fact} {value!r}"


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: e.stem)
def test_the_record_and_the_dpia_name_every_processor(demo_dir: Path, example: Path) -> None:
    answers = load_answers(example)
    assessment = assess(answers)
    texts = _describing(_set(demo_dir, example, Language.FR))
    record = next(d for d in assessment.documents if d.kind is DocumentKind.PROCESSING_RECORD)
    for kind in (DocumentKind.PROCESSING_RECORD, DocumentKind.DPIA):
        if kind not in texts:
            continue
        for pid in record.parties[1:]:
            name = _flat(answers.party(pid).name)
            assert name in texts[kind], f"{kind.value} does not name the processor {name}"
