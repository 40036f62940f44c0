"""Issue 13 item 8: every party of a study has a place — a funder, a host or secure environment
processing for the sponsor, a recipient controlling data for its own purposes — and a party no
document binds or describes is a warning naming it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import ROOT, docx_text, run_cli

from generator.answers.model import Answers
from generator.legal.assessment import assess

EXAMPLE = ROOT / "examples" / "research-funded-reuse.yaml"
SPONSOR, CENTRE, HOST, FUNDER = "chu-armor-vilaine", "chr-cornouaille", "securis", "velmora"


def _data() -> dict[str, Any]:
    return yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))


def _codes(data: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    found: dict[str, list[dict[str, Any]]] = {}
    for f in assess(Answers.model_validate(data)).findings:
        found.setdefault(f.code, []).append(f.values)
    return found


def _flat(path: Path) -> str:
    return " ".join(docx_text(path).replace("\u00a0", " ").replace("\u202f", " ").split())


def _build(data: dict[str, Any], out: Path, lang: str) -> Path:
    file = out.parent / f"{out.name}.yaml"
    file.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    # English alone is refused with the public hospitals: read as a draft.
    assert run_cli("build", file, "--out", out, "--lang", lang, "--draft", "--force") == 0
    return out


def test_the_host_has_its_dpa_and_the_funder_none(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_cli("assess", EXAMPLE, "--json") == 0
    result = json.loads(capsys.readouterr().out)
    assert [(d["kind"], d["parties"]) for d in result["document_set"]] == [
        ("protocol-annex", [SPONSOR]),
        ("dpa", [SPONSOR, CENTRE]),
        ("dpa", [SPONSOR, HOST]),
    ]
    assert result["roles"][HOST] == ["processor"]
    assert result["roles"][FUNDER] == ["funder", "controller"]
    codes = {f["code"] for f in result["findings"]}
    assert "RECIPIENT_CONTROLLER" in codes
    assert not codes & {"PARTY_IN_NO_DOCUMENT", "RECIPIENT_WITHOUT_ROLE", "FLOW_NOT_HDS"}


def test_a_party_placed_nowhere_is_named() -> None:
    data = _data()
    data["parties"].append({**data["parties"][2], "id": "stray", "name": "Stray Conseil"})
    data["parties"][-1]["roles"] = ["sub_processor"]
    assert _codes(data)["PARTY_IN_NO_DOCUMENT"] == [{"party": "Stray Conseil"}]
    # A controller of nothing the study sends it has no place either.
    data = _data()
    data["parties"][3]["roles"] = ["controller"]
    data["research"]["data_flows"] = data["research"]["data_flows"][:2]
    assert _codes(data)["PARTY_IN_NO_DOCUMENT"] == [{"party": "Velmora Pharma France"}]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_annex_places_the_funder_as_a_separate_controller(tmp_path: Path, lang: str) -> None:
    out = _build(_data(), tmp_path / "out", lang)
    annex = _flat(next(out.glob("*-jak-vie-*.docx")))
    expected = {
        "fr": (
            # Table 1: the funder's row with its roles, after its address.
            "Velmora Pharma France, 41 quai de Dion-Bouton, 92800 Puteaux (France) financeur de"
            " la recherche et responsable du traitement, pour ses propres finalités, des Données"
            " qu'il reçoit",
            "Securis Data Santé, 7 rue des Forges, 44200 Nantes (France) sous-traitant ",
            "Ce financement ne confère à Velmora Pharma France aucun pouvoir de décision",
            "Velmora Pharma France reçoit les Données indiquées au Tableau 2 – Flux de données"
            " en qualité de responsable du traitement distinct, pour ses propres finalités",
            "ces Données ne font l'objet d'aucun contrat de sous-traitance avec le Promoteur",
            "Securis Data Santé agit en qualité de sous-traitant du Promoteur",
            # Table 3: the host is not a centre, the funder not the sponsor.
            "Securis Data Santé Sous-traitant du promoteur : traite les données uniquement sur"
            " ses instructions documentées et pour les seules prestations que décrit son contrat",
            "Velmora Pharma France Responsable du traitement distinct des données de la"
            " recherche qu'il reçoit",
        ),
        "en": (
            "Velmora Pharma France, 41 quai de Dion-Bouton, 92800 Puteaux (France) funder of the"
            " research and controller, for its own purposes, of the Research Data it receives",
            "Securis Data Santé, 7 rue des Forges, 44200 Nantes (France) processor ",
            "That funding gives Velmora Pharma France no power to decide",
            "Velmora Pharma France receives the Research Data stated in Table 2 – Data flows as"
            " a separate controller, for its own purposes",
            "those data are not subject to any processing agreement with the Sponsor",
            "Securis Data Santé acts as the Sponsor's processor",
            "Securis Data Santé Processor of the sponsor: processes the data only on its"
            " documented instructions and only for the services its contract describes",
            "Velmora Pharma France Separate controller of the research data it receives",
        ),
    }[lang]
    for text in expected:
        assert text in annex, text
    centre_duties = {
        "fr": "des dossiers des personnes qu'il inclut",
        "en": "records of the persons it includes",
    }
    assert annex.count(centre_duties[lang]) == 1  # the centre's, not the host's
    no_data = {"fr": "Aucune Donnée ne lui est communiquée", "en": "No Research Data are disclosed"}
    assert no_data[lang] not in annex
    # No DPA for the funder; the host's states its own services, neither a site's nor a CRO's.
    assert not [p for p in out.glob("*velmora*")]
    host = _flat(next(out.glob("*-securis-data-sante-*.docx")))
    own = {
        "fr": "prestations suivantes : la mise à disposition et l'exploitation, pour le compte"
        " du promoteur, d'un espace d'analyse sécurisé certifié HDS",
        "en": "services: the provision and operation, on the sponsor's behalf, of an"
        " HDS-certified secure analysis environment",
    }[lang]
    assert own in host
    for other in {
        "fr": ("Codage des données des participants", "des tâches suivantes", "Velmora"),
        "en": ("Coding of participants' data", "of the following tasks", "Velmora"),
    }[lang]:
        assert other not in host, other


def test_a_funder_receiving_aggregated_results_only(tmp_path: Path) -> None:
    data = _data()
    data["parties"][3]["roles"] = ["funder"]
    data["research"]["data_flows"] = data["research"]["data_flows"][:2]
    codes = _codes(data)
    assert not codes.keys() & {"PARTY_IN_NO_DOCUMENT", "RECIPIENT_CONTROLLER"}
    annex = _flat(next(_build(data, tmp_path / "out", "fr").glob("annexe-*.docx")))
    assert (
        "Velmora Pharma France, 41 quai de Dion-Bouton, 92800 Puteaux (France) financeur de la"
        " recherche Mme Laetitia Vasseur"
    ) in annex
    assert "Aucune Donnée ne lui est communiquée : seuls lui sont remis les résultats agrégés" in (
        annex
    )
    assert "responsable du traitement distinct" not in annex


def test_a_recipient_without_a_role_is_asked_for_one() -> None:
    data = _data()
    data["parties"][3]["roles"] = ["funder"]
    assert _codes(data)["RECIPIENT_WITHOUT_ROLE"] == [{"party": "Velmora Pharma France"}]
