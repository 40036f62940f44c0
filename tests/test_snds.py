"""Issue 13 item 7: the PMSI and SNDS reference methodologies (MR-005 to MR-008), the SNDS
security framework, and the national health insurance fund receiving the NIR for matching."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import ROOT, docx_text, run_cli

SNDS_ONLY = "research-snds-methodology"  # main SNDS database, no linkage, public interest
SNDS_LINKED = "research-snds-authorisation"  # SNDS linkage on the NIR: authorisation
REUSE = "research-joint-reuse"  # three hospitals reusing their own data: MR-004

FRAMEWORK_FR = (
    "est conforme au référentiel de sécurité applicable au SNDS, fixé par l'arrêté du 6 mai "
    "2024 (JO du 8 mai 2024), qui a abrogé et remplacé l'arrêté du 22 mars 2017"
)
FRAMEWORK_EN = (
    "complies with the security framework applicable to the SNDS, set by the arrêté of 6 May "
    "2024 (Official Journal of 8 May 2024), which repealed and replaced the arrêté of 22 March "
    "2017"
)
CNAM_FR = (
    "la Caisse nationale de l'assurance maladie (CNAM), pour le seul appariement avec le SNDS : "
    "elle ne reçoit que le NIR des Participants et les autres données strictement nécessaires"
)
CNAM_EN = (
    "the national health insurance fund (Caisse nationale de l'assurance maladie, CNAM), for "
    "the linkage with the SNDS only: it receives only the Participants' NIR"
)

# Table 2's row of the bilingual edition, each cell in French then English: sender,
# recipient, data, pseudonymised.
TABLE_ROW = (
    "Centre hospitalier universitaire de Garonne Caisse nationale de l'assurance maladie (CNAM) "
    "National health insurance fund (Caisse nationale de l'assurance maladie, CNAM) "
    "NIR des personnes concernées, associé à leur numéro d'étude, et seules données "
    "d'identification que requiert l'appariement avec le SNDS (section 5) the data subjects' "
    "NIR, associated with their study number, and only the identification data the linkage "
    "with the SNDS requires (section 5) Non No"
)

# And the linked SNDS data the CNAM deposits in the CRO's enclave.
RETURN_ROW = (
    "Caisse nationale de l'assurance maladie (CNAM) National health insurance fund (Caisse "
    "nationale de l'assurance maladie, CNAM) Épistat Conseil données du SNDS des personnes "
    "appariées, sous leur seul numéro d'étude (section 5) the SNDS data of the persons linked, "
    "under their study number only (section 5) Oui Yes"
)


def _example(name: str, **research: Any) -> dict[str, Any]:
    data = yaml.safe_load((ROOT / "examples" / f"{name}.yaml").read_text("utf-8"))
    data["research"].update(research)
    return data


def _assess(tmp_path: Path, capsys: pytest.CaptureFixture[str], data: dict[str, Any]) -> dict:
    file = tmp_path / "study.yaml"
    file.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    assert run_cli("assess", file, "--json") in (0, 1)
    return json.loads(capsys.readouterr().out)


def _codes(result: dict[str, Any]) -> set[str]:
    return {f["code"] for f in result["findings"]}


@pytest.mark.parametrize(
    ("name", "research", "route"),
    [
        # PMSI data from the ATIH platform: by who the sponsor is.
        ("pmsi-establishment", {"pmsi_data": True}, "MR-005"),
        ("pmsi-industry", {"pmsi_data": True, "commercial": True}, "MR-006"),
        # The main SNDS database: by the sponsor's lawful basis.
        ("snds-public-interest", {"snds_data": True}, "MR-007"),
        (
            "snds-legitimate-interest",
            {"snds_data": True, "lawful_basis": "legitimate_interest"},
            "MR-008",
        ),
        ("snds-on-consent", {"snds_data": True, "lawful_basis": "consent"}, "authorisation"),
        # SNDS data linked with other data: outside every methodology.
        ("snds-linkage", {"snds_data": True, "snds_linkage": True}, "authorisation"),
        ("pmsi-with-nir", {"pmsi_data": True, "nir_used": True}, "authorisation"),
        # Reusing a hospital's own data, no PMSI or SNDS: MR-004 as before.
        ("own-data", {}, "MR-004"),
    ],
)
def test_assess_json_gives_the_pmsi_and_snds_routes(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    name: str,
    research: dict[str, Any],
    route: str,
) -> None:
    """A study reusing existing data (MR-004 otherwise) takes the PMSI or SNDS methodology
    when it uses those data: the specific methodology comes first."""
    data = _example(REUSE, intended_route=None, **research)
    result = _assess(tmp_path, capsys, data)
    assert result["research_route"] == route, name
    codes = _codes(result)
    assert ("METHODOLOGY" in codes) is route.startswith("MR-")
    assert ("SNDS_METHODOLOGY_DUTIES" in codes) is (route in ("MR-007", "MR-008"))
    assert ("PMSI_SPONSOR" in codes) is (route in ("MR-005", "MR-006"))
    # The Health Data Hub directory is asserted for MR-004 and authorisation only.
    assert ("HDH_DIRECTORY" in codes) is (route in ("MR-004", "authorisation"))


def test_the_snds_examples_take_their_routes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    only = _assess(tmp_path, capsys, _example(SNDS_ONLY))
    assert only["research_route"] == "MR-007"
    assert {"SNDS_SECURITY", "SNDS_METHODOLOGY_DUTIES"} <= _codes(only)
    assert "SNDS_NIR_CNAM" not in _codes(only)
    assert not [f for f in only["findings"] if f["severity"] == "blocker"]
    linked = _assess(tmp_path, capsys, _example(SNDS_LINKED))
    assert linked["research_route"] == "authorisation"
    assert {"SNDS_SECURITY", "SNDS_NIR_CNAM", "BEYOND_METHODOLOGY"} <= _codes(linked)


def test_an_intended_mr_004_for_an_snds_only_study_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A study reusing only SNDS data is MR-007 or MR-008, not MR-004."""
    result = _assess(tmp_path, capsys, _example(SNDS_ONLY, intended_route="MR-004"))
    assert result["research_route"] == "MR-007"
    (mismatch,) = [f for f in result["findings"] if f["code"] == "ROUTE_MISMATCH"]
    assert mismatch["severity"] == "blocker"


def _built(tmp_path: Path, data: dict[str, Any], lang: str) -> dict[str, str]:
    """Each document built, by its file name's beginning, its text with spaces normalised."""
    tmp_path.mkdir(exist_ok=True)
    file = tmp_path / "study.yaml"
    file.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    out = tmp_path / f"out-{lang}"
    assert run_cli("build", file, "--out", out, "--lang", lang) == 0
    return {p.name: " ".join(docx_text(p).split()) for p in out.glob("*.docx")}


def _annex(texts: dict[str, str]) -> str:
    (annex,) = [t for n, t in texts.items() if n.startswith(("annexe", "protocol"))]
    return annex


def _dpas(texts: dict[str, str]) -> list[str]:
    return [t for n, t in texts.items() if n.startswith(("accord-sous", "data-processing"))]


def test_an_snds_only_study_says_its_methodology_and_security_framework(tmp_path: Path) -> None:
    texts = _built(tmp_path, _example(SNDS_ONLY), "bilingual")
    annex = _annex(texts)
    assert "conformes à la méthodologie de référence MR-007, adoptée par la CNIL en 2023" in annex
    assert "par les organismes agissant dans le cadre d'une mission d'intérêt public" in annex
    assert "complies with the reference methodology MR-007, adopted by the CNIL in 2023" in annex
    assert "inscrit la Recherche sur la liste des études conduites selon cette" in annex
    assert FRAMEWORK_FR in annex and FRAMEWORK_EN in annex
    assert "Ce référentiel s'impose, au plus tard le 8 mai 2026" in annex
    assert "Comme l'exige la méthodologie de référence applicable" in annex  # its DPIA
    # No NIR, no linkage: the CNAM is no recipient; the directory is not asserted.
    assert "Caisse nationale de l'assurance maladie (CNAM), pour le seul" not in annex
    assert "Health Data Hub" not in annex
    (dpa,) = _dpas(texts)
    assert "le Sous-traitant s'assure que leur traitement, y compris par ses" in dpa
    assert "référentiel de sécurité applicable au SNDS, fixé par l'arrêté du 6 mai 2024" in dpa
    assert "the Processor shall ensure that their processing, including by its" in dpa


def test_an_mr_008_study_names_the_legitimate_interest(tmp_path: Path) -> None:
    data = _example(SNDS_ONLY, lawful_basis="legitimate_interest", intended_route="MR-008")
    data["parties"][0]["public_body"] = False  # a public body could not rely on it
    annex = _annex(_built(tmp_path, data, "fr"))
    assert "méthodologie de référence MR-008, adoptée par la CNIL en 2023" in annex
    assert "par les organismes poursuivant un intérêt légitime" in annex


@pytest.mark.parametrize(
    ("research", "expected"),
    [
        ({"pmsi_data": True}, "méthodologie de référence MR-005 adoptée par la CNIL, qui encadre"),
        (
            {"pmsi_data": True, "commercial": True},
            "méthodologie de référence MR-006, fixée par la délibération de la CNIL n° 2018-257",
        ),
    ],
)
def test_a_pmsi_study_names_its_methodology(
    tmp_path: Path, research: dict[str, Any], expected: str
) -> None:
    annex = _annex(_built(tmp_path, _example(REUSE, intended_route=None, **research), "fr"))
    assert expected in annex
    assert "Comme l'exige la méthodologie de référence applicable" in annex
    assert "méthodologie de référence MR-004" not in annex
    assert "arrêté du 6 mai 2024" not in annex  # PMSI data alone are not SNDS data here


def test_an_snds_linkage_on_the_nir_names_the_cnam_as_recipient(tmp_path: Path) -> None:
    texts = _built(tmp_path, _example(SNDS_LINKED), "bilingual")
    annex = _annex(texts)
    assert CNAM_FR in annex and CNAM_EN in annex
    assert FRAMEWORK_FR in annex and FRAMEWORK_EN in annex
    (dpa,) = _dpas(texts)
    assert "référentiel de sécurité applicable au SNDS" in dpa
    assert "Caisse nationale de l'assurance maladie (CNAM), pour le seul" not in dpa
    # Table 2 draws the NIR's flow to the CNAM, from the key table's holder, in both languages.
    assert TABLE_ROW in annex
    assert RETURN_ROW in annex
    # Without the NIR, the CNAM receives nothing from the study.
    no_nir = _annex(_built(tmp_path / "no-nir", _example(SNDS_LINKED, nir_used=False), "fr"))
    assert "Caisse nationale de l'assurance maladie (CNAM), pour le seul" not in no_nir
    assert "NIR des personnes concernées, associé" not in no_nir
    assert FRAMEWORK_FR in no_nir


@pytest.mark.parametrize("name", ["research-joint-reuse", "research-observational-cro"])
def test_a_study_without_snds_data_says_nothing_of_the_snds(tmp_path: Path, name: str) -> None:
    texts = _built(tmp_path, _example(name), "bilingual")
    assert texts
    for text in texts.values():
        assert "arrêté du 6 mai 2024" not in text and "arrêté of 6 May 2024" not in text
        assert "Caisse nationale de l'assurance maladie" not in text
        assert "MR-007" not in text and "MR-005" not in text


@pytest.mark.parametrize("lang", ["fr", "bilingual"])
def test_an_snds_only_study_has_no_key_table_nor_inclusion(tmp_path: Path, lang: str) -> None:
    """Data that come pseudonymised from the SNDS: nobody is included or coded at a site, no
    key table exists, the persons are informed publicly (14(5)(b)) and identified only by what
    they provide (11(2)); the annex says so and nothing to the contrary."""
    example = ROOT / "examples" / "research-snds-methodology.yaml"
    assert run_cli("build", example, "--out", tmp_path, "--lang", lang) == 0
    (annex,) = tmp_path.glob("annexe-rgpd-protocole-*.docx")
    text = " ".join(docx_text(annex).replace("\u00a0", " ").replace("\u202f", " ").split())
    assert "sous l'identifiant pseudonymisé propre au SNDS" in text
    assert "article 14, paragraphe 5, point b), du RGPD" in text
    assert "article 11, paragraphe 2, du RGPD" in text
    for absent in (
        "table de correspondance",
        "attribué lors de son inclusion",
        "l'investigateur de son",
    ):
        assert absent not in text, absent
    if lang == "bilingual":
        assert "key table" not in text and "SNDS's own pseudonymised identifier" in text
