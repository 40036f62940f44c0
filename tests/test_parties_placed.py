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


# Parties a sponsor meets in real studies, added to two examples: the IVD study's reference
# laboratory (a university hospital's national reference centre) and the industry study's own
# certified host. Each is the sponsor's processor, with its DPA and its rows in the annex.
IVD = ROOT / "examples" / "research-ivd-performance.yaml"
CU = ROOT / "examples" / "research-convention-unique.yaml"
REFERENCE_LAB = "Centre hospitalier universitaire de Lyon-Confluence"


@pytest.mark.parametrize(
    ("example", "sponsor", "party"),
    [(IVD, "serenia", "chu-lyon-confluence"), (CU, "heliance", "santelia")],
)
def test_the_new_party_is_the_sponsors_processor_with_its_dpa(
    capsys: pytest.CaptureFixture[str], example: Path, sponsor: str, party: str
) -> None:
    assert run_cli("assess", example, "--json", "--lang", "fr") == 0
    result = json.loads(capsys.readouterr().out)
    assert {"kind": "dpa", "parties": [sponsor, party]} in result["document_set"]
    assert result["roles"][party] == ["processor"]
    assert [f["code"] for f in result["findings"] if f["severity"] != "info"] == []


@pytest.fixture(scope="module")
def new_parties(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("new-parties")
    for example in (IVD, CU):
        for edition in ("fr", "bilingual"):
            target = out / f"{example.stem}-{edition}"
            assert run_cli("build", example, "--out", target, "--lang", edition) == 0
    return out


def test_the_reference_laboratory_has_its_place(new_parties: Path) -> None:
    out = new_parties / "research-ivd-performance-fr"
    annex = _flat(next(out.glob("annexe-*.docx")))
    # Table 1: its row; Table 2: the coded aliquots it receives and the results it returns.
    assert f"{REFERENCE_LAB}, 18 quai Rambaud, 69002 Lyon (France) sous-traitant " in annex
    aliquots = (
        f"Centre hospitalier régional Loire-Océan {REFERENCE_LAB} aliquotes codées des"
        " échantillons discordants"
    )
    assert aliquots in annex
    assert f"{REFERENCE_LAB} Biostatim Data Services résultats codés de la méthode de" in annex
    assert f"{REFERENCE_LAB} agit en qualité de sous-traitant du Promoteur" in annex
    # The study's host hosts the data except as Table 2 says (the laboratory's own host).
    assert "Sauf indication contraire au Tableau 2 – Flux de données, les Données sont" in annex
    dpa = _flat(next(out.glob("*-lyon-confluence-fr.docx")))
    assert "prestations suivantes : l'analyse, pour le compte du promoteur" in dpa
    assert "des tâches suivantes" not in dpa  # not a CRO's
    assert "Codage des données des participants" not in dpa  # not a site's
    # Annex I: its two parties only; Annex IV: its certified host.
    annex_i = dpa[dpa.index("Annexe I – Liste des Parties") : dpa.index("Annexe II –")]
    assert "Sérénia Diagnostics" in annex_i and REFERENCE_LAB in annex_i
    assert "Biostatim" not in annex_i and "Bretagne-Ouest" not in annex_i
    assert "Rhodanis Santé, 27 rue Garibaldi, 69003 Lyon" in dpa
    assert "Certifié HDS" in dpa


def test_the_sponsors_host_has_its_place(new_parties: Path) -> None:
    out = new_parties / "research-convention-unique-fr"
    annex = _flat(next(out.glob("annexe-*.docx")))
    assert "Santélia Cloud, 40 rue de la Villette, 69003 Lyon (France) sous-traitant " in annex
    assert "Clinactis Santélia Cloud jeux de données codés de la recherche" in annex
    dpa = _flat(next(out.glob("*-santelia-cloud-fr.docx")))
    assert "prestations suivantes : l'hébergement, pour le compte du promoteur" in dpa
    # Its DPA is its hosting contract: the certificate, every activity its own.
    assert "Les Données de santé sont hébergées par Santélia Cloud, hébergeur de données" in dpa
    assert "(activité 1) : le Sous-traitant" in dpa
    assert "tient lieu de contrat d'hébergement des Données de santé" in dpa
    assert "Aucun Sous-traitant ultérieur n'est autorisé à la date de signature" in dpa
    assert "Comptes eCRF individuels" not in dpa  # the sites' and the CRO's measure
    annex_i = dpa[dpa.index("Annexe I – Liste des Parties") : dpa.index("Annexe II –")]
    assert "Laboratoires Héliance" in annex_i and "Clinactis" not in annex_i
    # The CRO still engages it as the eCRF's host, under the CRO's own contract.
    cro = _flat(next(out.glob("*-clinactis-fr.docx")))
    assert "Le contrat d'hébergement conclu par le Sous-traitant avec Santélia Cloud" in cro
    # The CHU's description: the host is among the structures, and the sponsor processes
    # what its host receives for it.
    description = _flat(next(out.glob("description-*.docx")))
    structures = description[description.index("Tableau 1 – Structures") :]
    assert (
        "Laboratoires Héliance, 24 avenue Jean-Jaurès, 69007 Lyon (France) promoteur et"
        " responsable du traitement jeux de données codés de la recherche"
    ) in structures
    assert "Santélia Cloud, 40 rue de la Villette, 69003 Lyon (France) sous-traitant" in structures
    assert "aucune Donnée ne lui est transmise" not in structures


@pytest.mark.parametrize(
    ("example", "file", "sponsor_name"),
    [
        ("research-ivd-performance", "*-lyon-confluence-fr-en.docx", "Sérénia Diagnostics"),
        ("research-convention-unique", "*-santelia-cloud-fr-en.docx", "Laboratoires Héliance"),
    ],
)
def test_the_new_dpas_read_in_english_too(
    new_parties: Path, example: str, file: str, sponsor_name: str
) -> None:
    dpa = _flat(next((new_parties / f"{example}-bilingual").glob(file)))
    assert "The Controller has engaged the Processor to provide the following services: the" in dpa
    assert sponsor_name in dpa
    assert "of the following tasks" not in dpa


def test_the_new_processors_receive_coded_data_only(tmp_path: Path) -> None:
    """Were the study's data to hold identities (kept at the sites), the reference laboratory,
    which receives coded aliquots only, would still receive none: only its categories."""
    data = yaml.safe_load(IVD.read_text(encoding="utf-8"))
    data["processing"]["data_categories"] += ["identification", "contact"]
    out = _build(data, tmp_path / "ivd", "fr")
    lab = _flat(next(out.glob("*-lyon-confluence-fr.docx")))
    site = _flat(next(out.glob("*-bretagne-ouest-fr.docx")))
    for label in ("données d'identification", "coordonnées"):
        assert label in site, label
        assert label not in lab.split("Annexe II – Description du traitement")[1], label
    assert "données concernant la santé" in lab
