"""Issue 13 item 5: the convention unique. An industry-sponsored category 1 or 2 study in a
health establishment in France, public or private (the model of the arrêté of 29 July 2024
covers any establishment, maison or centre de santé), is contracted through the convention
unique, whose model cannot be modified and holds its own personal-data terms: each
establishment gets the description of the processing that model leaves the parties to fill
in, which yields to the convention, instead of a DPA; academic research keeps its DPAs."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from conftest import AGREEMENTS, ROOT, docx_text, run_cli

EXAMPLE = ROOT / "examples" / "research-convention-unique.yaml"
DESCRIPTION = (
    "description-traitements-convention-unique-centre-hospitalier-universitaire-de-forez-velay"
)
CLINIC = "description-traitements-convention-unique-clinique-du-parc-de-villeurbanne"


def _text(path: Path) -> str:
    """The document's text on one line, no-break spaces read as spaces."""
    text = docx_text(path).replace("\u00a0", " ").replace("\u202f", " ")
    return " ".join(text.split())


def test_assess_gives_the_chu_and_the_clinic_their_descriptions(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert run_cli("assess", EXAMPLE, "--json") == 0
    result = json.loads(capsys.readouterr().out)
    assert result["document_set"] == [
        {"kind": "protocol-annex", "parties": ["heliance"]},
        {"kind": "dpa", "parties": ["heliance", "clinactis"]},
        {"kind": "convention-unique-description", "parties": ["heliance", "chu-forez"]},
        {"kind": "convention-unique-description", "parties": ["heliance", "clinique-parc"]},
        {"kind": "dpa", "parties": ["heliance", "santelia"]},  # the sponsor's own host
        # The pack, the sponsor's: its notice, its record entries, the DPIA outline.
        {"kind": "information-notice", "parties": ["heliance"]},
        {"kind": "processing-record", "parties": ["heliance"]},
        {"kind": "dpia", "parties": ["heliance"]},
    ]
    (finding,) = [f for f in result["findings"] if f["code"] == "CONVENTION_UNIQUE"]
    assert finding["severity"] == "info"
    assert finding["articles"] == ["CSP L.1121-16-1", "CSP R.1121-3-1"]
    assert "Centre hospitalier universitaire de Forez-Velay" in finding["message"]
    assert "Clinique du Parc de Villeurbanne" in finding["message"]
    assert "arrêté du 29 juillet 2024" in finding["message"]  # the assessment speaks French here


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("convention-unique")
    for edition in ("fr", "bilingual"):  # the agreements (and descriptions) only
        args = ("--out", out / edition, "--lang", edition, "--only", AGREEMENTS)
        assert run_cli("build", EXAMPLE, *args) == 0
    return out


def test_neither_the_chu_nor_the_clinic_has_a_dpa(built: Path) -> None:
    names = sorted(p.name for p in (built / "fr").glob("*.docx"))
    assert names == [
        "accord-sous-traitance-clinactis-fr.docx",
        "accord-sous-traitance-santelia-cloud-fr.docx",
        "annexe-rgpd-protocole-cardio-qol-fr.docx",
        f"{DESCRIPTION}-fr.docx",
        f"{CLINIC}-fr.docx",
    ]


def test_the_french_description_completes_the_convention_and_yields_to_it(built: Path) -> None:
    text = _text(built / "fr" / f"{DESCRIPTION}-fr.docx")
    for provision in (
        "Description des traitements de données à caractère personnel – Annexe à la convention "
        "unique",
        "la convention unique prévue aux articles L. 1121-16-1 et R. 1121-3-1 du Code de la "
        "santé publique, établie selon le modèle fixé par l'arrêté du 29 juillet 2024",
        "La Description complète, sans les modifier, les stipulations de la Convention",
        "En cas de contradiction entre la Description et la Convention, la Convention prévaut.",
        "sont celles que fixe la Convention, dans la mesure où elle les prévoit. La Description ne "
        "les reprend pas et y renvoie.",
        # The roles, the structures and what each does, where.
        "L'Établissement traite les Données pour le compte du Promoteur, en qualité de "
        "sous-traitant",
        "demeure seul responsable des traitements qu'il met en œuvre pour la prise en charge",
        "investigateur coordonnateur : Pr Antoine Delorme, Chef du service de cardiologie",
        "la transmission à Clinactis des données suivantes",
        "eCRF Clinactis EDC, hébergé par Santélia Cloud (hébergeur certifié HDS)",
        "Santélia Cloud, 40 rue de la Villette, 69003 Lyon Clinactis",
        # The key table, archiving and security at the site; the contacts.
        "La table de correspondance entre le code de chaque Participant et son identité est "
        "établie et conservée au sein de l'Établissement",
        # CARDIO-QOL is a low-intervention clinical trial: the master file's 25 years.
        "puis les archive dans ses propres locaux d'archives pendant au moins vingt-cinq (25) ans "
        "après la fin de l'essai",
        "Chiffrement intégral des disques des postes du centre",
        "Mme Nadia Benali – dpo@chu-forez-velay.fr",
        "M. Olivier Besson – dpo@heliance-pharma.fr",
    ):
        assert provision in text, provision
    # Nothing makes the description prevail over the convention; the only precedence stated
    # is the convention's.
    assert re.findall(r"\w+ prévaut", text) == ["Convention prévaut"]
    assert "Le présent Accord" not in text and "Sous-traitant ultérieur" not in text
    # Another centre's flows are not this establishment's business, nor are the CRO's own
    # security measures (its audit trail).
    assert "Clinique du Parc" not in text
    assert "Piste d'audit" not in text


def test_the_bilingual_description_says_the_same_in_english(built: Path) -> None:
    text = _text(built / "bilingual" / f"{DESCRIPTION}-fr-en.docx")
    for provision in (
        "Description of the Personal Data Processing – Schedule to the Convention Unique",
        "The Description completes, without modifying them, the terms of the Convention",
        "If the Description and the Convention conflict, the Convention prevails.",
        "The Establishment's obligations as the Sponsor's processor",
        "The Establishment processes the Research Data on the Sponsor's behalf, as a processor",
        "Clinactis EDC eCRF, hosted by Santélia Cloud (certified health-data host)",
        "The key table linking each Participant's code to their identity is drawn up and kept "
        "at the Establishment",
        "Only the French version is authentic.",
    ):
        assert provision in text, provision
    assert re.findall(r"\w+ prevails", text) == ["Convention prevails"]
    assert re.findall(r"\w+ prévaut", text) == ["Convention prévaut"]


def test_the_protocol_annex_names_the_convention_as_the_chus_contract(built: Path) -> None:
    text = _text(built / "fr" / "annexe-rgpd-protocole-cardio-qol-fr.docx")
    said = (
        "Pour chacun des établissements ou centres de santé suivants, ce contrat est la convention "
        "unique prévue à l'article L. 1121-16-1 du Code de la santé publique, établie selon le "
        "modèle fixé par arrêté, que complète la description des traitements établie entre le "
        "Promoteur et cet établissement : "
    )
    assert said in text
    listed = text[text.index(said) + len(said) :]
    # The CHU and the private clinic alike (the 2024 model covers private establishments).
    assert listed.startswith(
        "Centre hospitalier universitaire de Forez-Velay. Clinique du Parc de Villeurbanne."
    )


def test_the_clinics_description_is_its_own(built: Path) -> None:
    """The private clinic signs the convention unique too: its description names it, not the
    CHU, and yields to its convention."""
    text = _text(built / "fr" / f"{CLINIC}-fr.docx")
    assert "Clinique du Parc de Villeurbanne" in text
    assert "Forez-Velay" not in text
    assert re.findall(r"\w+ prévaut", text) == ["Convention prévaut"]


@pytest.mark.parametrize("commercial", [True, False])
def test_a_joint_arrangement_yields_to_the_convention_unique(
    tmp_path: Path, commercial: bool
) -> None:
    """A CHU that wrote the protocol with an industry sponsor still signs the convention
    unique (CONVENTION_UNIQUE_JOINT_CONTROL): the Art. 26 arrangement, which prevails over the
    parties' other agreements, does not claim to prevail over it."""
    data = yaml.safe_load(EXAMPLE.read_text("utf-8"))
    data["research"]["protocol_drafted_by"] = "sponsor_and_centres"
    data["research"]["commercial"] = commercial
    file = tmp_path / "joint.yaml"
    file.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert run_cli("build", file, "--out", tmp_path / "out", "--lang", "fr") == 0
    (arrangement,) = (tmp_path / "out").glob("accord-responsables-conjoints-*.docx")
    text = _text(arrangement)
    assert "l'Accord prévaut" in text
    yields = (
        "sauf sur la convention unique conclue en application de l'article L. 1121-16-1 du Code "
        "de la santé publique, dont le modèle, fixé par arrêté, ne peut être modifié et qui "
        "prévaut sur l'Accord"
    )
    assert (yields in text) is commercial
    assert not list((tmp_path / "out").glob("description-*.docx"))
