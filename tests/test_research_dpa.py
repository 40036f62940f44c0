"""Issue 13: each research DPA describes its own processor — the data it receives (item 2),
the transfers it makes to a recipient outside the EEA (item 6), the law of the State where a
site is established (item 10)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from conftest import ROOT, docx_text, run_cli
from test_research import STUDY

from generator.answers.model import Answers, DataCategory
from generator.legal.research import data_categories_of

SNDS = ROOT / "examples" / "research-snds-authorisation.yaml"
PREFIX = {"fr": "accord-sous-traitance", "en": "data-processing-agreement"}


def _flat(path: Path) -> str:
    return " ".join(docx_text(path).replace("\u00a0", " ").replace("\u202f", " ").split())


def _study(categories: list[str], **research: object) -> Answers:
    data = yaml.safe_load(STUDY)
    data["processing"]["data_categories"] = categories
    data["research"].update(research)
    return Answers.model_validate(data)


def test_a_cro_receives_no_directly_identifying_data() -> None:
    """The methodologies keep identities at the site: a CRO receives coded data; a centre
    keeps every category; identities sent to the CRO (a flow not pseudonymised, or identifying
    data leaving the centres with no flow described) or the key table give it them."""
    every = ["identification", "contact", "nir", "health"]
    answers = _study(every)
    assert data_categories_of(answers, "cro") == [DataCategory.HEALTH]
    assert data_categories_of(answers, "ch-nord") == [DataCategory(c) for c in every]
    coded_flow = _study(every, identifying_data_leave_centres=True)
    assert data_categories_of(coded_flow, "cro") == [DataCategory.HEALTH]
    flow = {**yaml.safe_load(STUDY)["research"]["data_flows"][0], "pseudonymised": False}
    for identified in (
        _study(every, identifying_data_leave_centres=True, data_flows=[flow]),
        _study(every, identifying_data_leave_centres=True, data_flows=[]),
        _study(every, key_table_holder="cro"),
    ):
        assert data_categories_of(identified, "cro") == [DataCategory(c) for c in every]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_snds_cros_dpa_lists_no_nir(tmp_path: Path, lang: str) -> None:
    """Issue 13 item 2: « Le NIR n'est jamais transmis à la CRO »: the CRO's DPA neither lists
    the NIR nor identification data among its categories, nor binds it to the NIR's rules."""
    assert run_cli("build", SNDS, "--out", tmp_path, "--lang", lang, "--draft") == 0
    cro = _flat(tmp_path / f"{PREFIX[lang]}-epistat-conseil-{lang}.docx")
    clause, row, *absent = {
        "fr": (
            "Les Données relèvent des catégories suivantes : données concernant la santé",
            "Catégories de données données concernant la santé",
            "données d'identification",
            "répertoire national d'identification",
            "Le Sous-traitant ne traite le NIR que",
        ),
        "en": (
            "The Personal Data fall within the following categories: data concerning health",
            "Categories of personal data data concerning health",
            "identification data",
            "French social security number",
            "The Processor shall process the NIR only",
        ),
    }[lang]
    assert clause in cro and row in cro  # the clause and Annex II
    for text in absent:
        assert text not in cro, text
    annex_ii = cro[cro.index(row) : cro.index(row) + 600]
    assert "NIR" not in annex_ii
