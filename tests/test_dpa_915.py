"""The DPA lines up with the EU controller-processor clauses (Decision (EU) 2021/915) where a
hospital's counsel compares (issue 12, item 8): the controller's third-party-beneficiary right
against sub-processors (7.7(e)), inaccurate or outdated data (8(c)(3)), and, only with a
transfer outside the EEA, the SCC module, the transfer impact assessment and requests from
foreign public authorities. Each is read back from the built .docx, in both languages."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from conftest import MINIMAL, ROOT, docx_text, run_cli, write

EXAMPLES = ROOT / "examples"
GLUCOSE, CHU, CLINIC = "glucose-telemonitoring", "chu-teleconsultation", "clinic-lab-results"

BENEFICIARY = {
    "fr": "en qualité de tiers bénéficiaire (stipulation pour autrui)",
    "en": "may enforce directly against the Sub-processor as a third-party beneficiary",
}
INSOLVENCY = {
    "fr": "aurait disparu de fait, n'aurait plus d'existence juridique ou serait devenu insolvable",
    "en": "disappeared in fact, no longer exist as a legal person or have become insolvent",
}
INACCURATE = {
    "fr": "Données qu'il traite sont inexactes ou ne sont plus à jour",
    "en": "Personal Data it processes are inaccurate or out of date",
}
INS = {
    "fr": "identité nationale de santé (INS) prévue à l'article L. 1111-8-1",
    "en": '(identité nationale de santé, "INS") provided for in Article L. 1111-8-1',
}
TIA_DONE = {
    "fr": "le Sous-traitant déclare avoir réalisé l'évaluation de l'impact du transfert",
    "en": "the Processor represents that it has carried out the transfer impact assessment",
}
MODULE_2 = {
    "fr": "Les clauses contractuelles types applicables sont celles du module 2",
    "en": "The applicable standard contractual clauses are those of Module 2",
}
MODULE_3 = {
    "fr": "Les clauses contractuelles types applicables sont celles du module 3",
    "en": "The applicable standard contractual clauses are those of Module 3",
}
MODULE_OPEN = {
    "fr": "conclues dans le module qui correspond à la qualité de l'exportateur et de cet",
    "en": "entered into in the module that matches the roles of the data exporter and of that",
}
AUTHORITY = {
    "fr": "reçoit d'une autorité publique d'un pays situé hors de l'EEE une demande",
    "en": "receives a request from a public authority of a country outside the EEA",
}
CHALLENGE = {
    "fr": "il la conteste par les voies de recours disponibles",
    "en": "shall challenge it through the available remedies",
}
DOCUMENTED = {
    "fr": "Le Sous-traitant consigne par écrit chaque demande reçue",
    "en": "The Processor shall record in writing each request received",
}
MINIMUM = {
    "fr": "il se limite aux Données strictement nécessaires",
    "en": "it shall disclose only the Personal Data strictly necessary",
}
TRANSFER_ONLY = (TIA_DONE, MODULE_2, MODULE_3, MODULE_OPEN, AUTHORITY, CHALLENGE, DOCUMENTED)


def _flat(text: str) -> str:
    """French typography puts no-break spaces where the library typed ordinary ones."""
    return text.replace("\u00a0", " ").replace("\u202f", " ")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], str]:
    """The three example DPAs, French and bilingual: their text by (example, edition)."""
    out = tmp_path_factory.mktemp("dpa915")
    texts = {}
    for example in (GLUCOSE, CHU, CLINIC):
        for edition in ("fr", "bilingual"):
            folder = out / example / edition
            args = ("--out", folder, "--lang", edition, "--only", "dpa")
            assert run_cli("build", EXAMPLES / f"{example}.yaml", *args) == 0
            (document,) = folder.glob("*.docx")
            texts[example, edition] = _flat(docx_text(document))
    return texts


def _languages(edition: str) -> tuple[str, ...]:
    return ("fr",) if edition == "fr" else ("fr", "en")


@pytest.mark.parametrize("edition", ["fr", "bilingual"])
@pytest.mark.parametrize("example", [GLUCOSE, CHU, CLINIC])
def test_sub_processor_contracts_give_the_controller_a_beneficiary_right(
    built: dict[tuple[str, str], str], example: str, edition: str
) -> None:
    text = built[example, edition]
    for language in _languages(edition):
        assert BENEFICIARY[language] in text
        assert INSOLVENCY[language] in text
    if edition == "fr":
        assert BENEFICIARY["en"] not in text


@pytest.mark.parametrize("edition", ["fr", "bilingual"])
@pytest.mark.parametrize("example", [GLUCOSE, CHU, CLINIC])
def test_processor_reports_inaccurate_data_and_respects_the_ins(
    built: dict[tuple[str, str], str], example: str, edition: str
) -> None:
    """Every example identifies patients whose health data are processed: the INS applies."""
    text = built[example, edition]
    for language in _languages(edition):
        assert INACCURATE[language] in text
        assert INS[language] in text


@pytest.mark.parametrize("edition", ["fr", "bilingual"])
def test_moroccan_support_sub_processor_is_under_module_3(
    built: dict[tuple[str, str], str], edition: str
) -> None:
    text = built[GLUCOSE, edition]
    for language in _languages(edition):
        for provision in (TIA_DONE, MODULE_3, AUTHORITY, CHALLENGE, DOCUMENTED, MINIMUM):
            assert provision[language] in text, provision[language]
        assert MODULE_2[language] not in text
        assert MODULE_OPEN[language] not in text
    assert "Pour le transfert à Atlas Contact Services SARL (Maroc)" in text
    # The impact assessment is summarised in the deed, not only said to exist.
    assert "Cette évaluation se résume ainsi : droit marocain examiné" in _flat(text)
    if edition == "bilingual":
        assert "For the transfer to Atlas Contact Services SARL (Morocco)" in text
        assert "That assessment is summarised as follows: Moroccan law assessed" in _flat(text)


@pytest.mark.parametrize("edition", ["fr", "bilingual"])
@pytest.mark.parametrize("example", [CHU, CLINIC])
def test_no_transfer_no_module_assessment_or_foreign_authority(
    built: dict[tuple[str, str], str], example: str, edition: str
) -> None:
    """Their sub-processors are all in the EEA (France, the Netherlands, Belgium)."""
    text = built[example, edition]
    for provision in TRANSFER_ONLY:
        for language in ("fr", "en"):
            assert provision[language] not in text, provision[language]


def _build(tmp_path: Path, answers: dict, edition: str = "bilingual") -> str:
    source = write(tmp_path / "answers.yaml", yaml.safe_dump(answers, allow_unicode=True))
    out = tmp_path / edition
    args = ("--out", out, "--lang", edition, "--draft", "--only", "dpa")
    assert run_cli("build", source, *args) in (0, 1)
    (document,) = out.glob("*.docx")
    return _flat(docx_text(document))


def _minimal() -> dict:
    return yaml.safe_load(MINIMAL)


def _transfer(recipient: str, country: str, purpose: str, safeguard: str) -> dict[str, str]:
    """A declared transfer of the answers file."""
    return {"recipient": recipient, "country": country, "purpose": purpose, "safeguard": safeguard}


def test_processor_established_outside_the_eea_is_under_module_2(tmp_path: Path) -> None:
    answers = _minimal()
    answers["parties"][1]["country"] = "CH"
    answers["transfers"] = [
        _transfer("Santé Cloud", "CH", "exploitation du service", "scc_2021_914")
    ]
    text = _build(tmp_path, answers)
    for language in ("fr", "en"):
        assert MODULE_2[language] in text
        assert MODULE_3[language] not in text
        assert TIA_DONE[language] in text
        assert AUTHORITY[language] in text
    assert "conclues entre le Responsable du traitement, exportateur, et le Sous-traitant" in text


def test_host_outside_the_eea_is_a_sub_processor_under_module_3(tmp_path: Path) -> None:
    answers = _minimal()
    answers["hosting"] = {
        "provider": "Northwind Hosting Inc.",
        "hds_certified": True,
        "storage_country": "US",
    }
    answers["transfers"] = [
        _transfer("Northwind Hosting Inc.", "US", "hébergement", "scc_2021_914")
    ]
    text = _build(tmp_path, answers)
    for language in ("fr", "en"):
        assert MODULE_3[language] in text
        assert MODULE_2[language] not in text


def test_other_recipient_leaves_the_module_to_the_roles(tmp_path: Path) -> None:
    answers = _minimal()
    answers["transfers"] = [_transfer("Laboratoire Tiers Ltd", "GB", "analyses", "scc_2021_914")]
    text = _build(tmp_path, answers)
    for language in ("fr", "en"):
        assert MODULE_OPEN[language] in text
        assert MODULE_2[language] not in text
        assert MODULE_3[language] not in text


def test_adequacy_needs_no_assessment_statement_nor_module(tmp_path: Path) -> None:
    answers = _minimal()
    answers["transfers"] = [_transfer("Laboratoire Tiers Ltd", "GB", "analyses", "adequacy")]
    text = _build(tmp_path, answers)
    for language in ("fr", "en"):
        assert AUTHORITY[language] in text  # still a transfer
        for provision in (TIA_DONE, MODULE_2, MODULE_3, MODULE_OPEN):
            assert provision[language] not in text


def test_ins_only_where_patients_are_identified(tmp_path: Path) -> None:
    answers = _minimal()
    answers["processing"]["data_subjects"] = ["users"]
    answers["processing"]["data_categories"] = ["contact"]
    answers["security_measures"] = answers["security_measures"][:2]
    text = _build(tmp_path, answers)
    for language in ("fr", "en"):
        assert INS[language] not in text
        assert INACCURATE[language] in text
        assert BENEFICIARY[language] in text
