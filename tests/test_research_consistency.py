"""No research document contradicts itself (issue 13, item 11): what the facts of the study
say — no archiving, an internal study, no person taking part, no case report form, no CRO —
no sentence of its annex, arrangement or DPA says otherwise.

Each research document the demo builds (French, English, bilingual) is read back whole, tables
included, and searched for the phrases that would contradict the study's facts.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ALL_DOCUMENTS, Case, docx_text

from generator.answers.model import Answers, Route
from generator.legal.assessment import assess
from generator.legal.research import uses_case_report_form

# The phrases each fact rules out, French and English.
_NO_ARCHIVE = (
    "Pendant cet archivage",
    "durée d'archivage",
    "issue de leur archivage",
    "During that archiving",
    "archiving period",
    "end of their archiving",
)
_INTERNAL = ("accomplit la formalité applicable", "completes the applicable formality")
_NO_PERSON = ("retire son consentement à participer", "withdraws his or her consent to take part")
_NO_CRF = ("cahier d'observation", "case report form")
_NO_CRO = ("(CRO, hébergement)", "(CRO, hosting)")
_EXISTING_DATA = ("attribué lors de son inclusion", "assigned when the Participant is included")


def contradictions(text: str, answers: Answers) -> list[str]:
    """The phrases of `text` that its study's facts rule out, each with the fact."""
    research = answers.research
    assert research is not None
    flat = " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").split())
    ruled_out = {
        "no intermediate archiving": () if research.retention.archive else _NO_ARCHIVE,
        "internal study": _INTERNAL if assess(answers).research_route is Route.INTERNAL else (),
        "nobody takes part in person": () if research.involves_human_person else _NO_PERSON,
        "no case report form": () if uses_case_report_form(research) else _NO_CRF,
        "no CRO": () if research.cros else _NO_CRO,
        "existing data only": _EXISTING_DATA if research.reuses_existing_data_only else (),
    }
    return [f"{fact}: {p!r}" for fact, phrases in ruled_out.items() for p in phrases if p in flat]


RESEARCH_DOCUMENTS = [d for d in ALL_DOCUMENTS if d.answers.research is not None]


@pytest.mark.parametrize("case", RESEARCH_DOCUMENTS, ids=lambda c: c.name)
def test_no_research_document_contradicts_its_facts(demo_dir: Path, case: Case) -> None:
    assert contradictions(docx_text(demo_dir / case.name), case.answers) == []


def test_a_contradiction_is_found() -> None:
    """The check is not blind: the sentences the issue found are reported."""
    internal = next(d.answers for d in RESEARCH_DOCUMENTS if "delai-st" in d.name)
    text = (
        "Elles ne font l'objet d'aucun archivage intermédiaire. Pendant cet archivage, … "
        "Le Promoteur accomplit la formalité applicable auprès de la CNIL ; "
        "Lorsqu'un Participant retire son consentement à participer … "
        "un code attribué lors de son inclusion."
    )
    assert [c.split(":")[0] for c in contradictions(text, internal)] == [
        "no intermediate archiving",
        "internal study",
        "nobody takes part in person",
        "existing data only",
    ]


def test_pooled_data_are_open_to_the_research_team_the_protocol_names(demo_dir: Path) -> None:
    """Joint controllers pool their coded data: the recipients say who sees all of them, not
    only each site's own participants (the reviewers' point against the BACTÉ annex)."""
    (annex,) = [d for d in RESEARCH_DOCUMENTS if d.name.startswith("annexe-rgpd-protocole-bacte")]
    text = " ".join(docx_text(demo_dir / annex.name).replace("\u00a0", " ").split())
    assert (
        "pour les seuls Participants dont il fournit les données, ainsi que les membres de "
        "l'équipe de recherche désignés par le protocole, pour les Données codées de l'ensemble "
        "des Centres réunies pour la Recherche" in text
    )
