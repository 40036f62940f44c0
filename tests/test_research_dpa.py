"""Issue 13: each research DPA describes its own processor — the data it receives (item 2),
the transfers it makes to a recipient outside the EEA (item 6), the law of the State where a
site is established (item 10)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from conftest import AGREEMENTS, ROOT, docx_text, run_cli
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


OBSERVATIONAL = ROOT / "examples" / "research-observational-cro.yaml"
GERMAN_SITE = "Universitätsklinikum Rheinhessen"


def test_a_site_outside_france_is_told_to_apply_its_own_law(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Issue 13 item 10: the German site raises SITE_OUTSIDE_FRANCE (information), naming it
    and its country; the French sites raise nothing of the kind."""
    for lang, country in (("fr", "Allemagne"), ("en", "Germany")):
        # In English, the public hospitals' FRENCH_REQUIRED blocks (exit 1).
        assert run_cli("assess", OBSERVATIONAL, "--json", "--lang", lang) == (lang == "en")
        findings = json.loads(capsys.readouterr().out)["findings"]
        (found,) = [f for f in findings if f["code"] == "SITE_OUTSIDE_FRANCE"]
        assert found["severity"] == "info"
        assert GERMAN_SITE in found["message"] and country in found["message"]
        assert "Blois" not in found["message"]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_site_outside_france_has_no_french_health_law(tmp_path: Path, lang: str) -> None:
    """Issue 13 item 10: the German site's DPA cites none of the Public Health Code's
    provisions — its own State's law instead — while a French site's still does."""
    assert run_cli("build", OBSERVATIONAL, "--out", tmp_path, "--lang", lang, "--draft") == 0
    german = _flat(tmp_path / f"{PREFIX[lang]}-universitatsklinikum-rheinhessen-{lang}.docx")
    french = _flat(tmp_path / f"{PREFIX[lang]}-centre-hospitalier-de-blois-sologne-{lang}.docx")
    for article in ("L. 1110-4", "L. 1111-7", "L. 1111-8", "L. 1142-2", "PGSSI-S"):
        assert article not in german.replace("L.1", "L. 1"), article
        assert article in french.replace("L.1", "L. 1"), article
    own_law = {
        "fr": (
            "secret médical que prévoit le droit de l'État dans lequel il est établi (Allemagne)",
            "dans les conditions et délais que fixe le droit de l'État dans lequel il est établi",
            "signalements d'incidents de sécurité que le droit de l'État dans lequel il est établi",
            "met ce registre à la disposition de l'autorité de contrôle compétente",
        ),
        "en": (
            "medical secrecy laid down by the law of the State in which it is established "
            "(Germany)",
            "on the terms and within the periods set by the law of the State in which it is "
            "established",
            "security-incident reports that the law of the State in which it is established",
            "make that record available to the competent supervisory authority",
        ),
    }[lang]
    for text in own_law:
        assert text in german, text
        assert text not in french, text
    # The Controller's own supervisory authority stays the CNIL, whoever the site.
    assert "CNIL" in german


US_SPONSOR = ROOT / "examples" / "research-us-sponsor.yaml"


def test_a_flow_to_a_us_sponsor_is_a_transfer_of_the_cro(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 13 item 6: the CRO's flow of coded data to the sponsor established in the United
    States is a transfer, on its flow's ground and assessment: nothing is missing; without the
    assessment, TRANSFER_ASSESSMENT_MISSING; without a ground, TRANSFER_NO_SAFEGUARD."""
    assert run_cli("assess", US_SPONSOR, "--json") == 0
    codes = {f["code"] for f in json.loads(capsys.readouterr().out)["findings"]}
    assert not codes & {
        "TRANSFER_NO_SAFEGUARD",
        "TRANSFER_ASSESSMENT_MISSING",
        "SPONSOR_REPRESENTATIVE_MISSING",
    }
    data = yaml.safe_load(US_SPONSOR.read_text("utf-8"))
    flow = data["research"]["data_flows"][2]
    for missing, code in (
        ("assessment", "TRANSFER_ASSESSMENT_MISSING"),
        ("safeguard", "TRANSFER_NO_SAFEGUARD"),
    ):
        del flow[missing]
        file = tmp_path / f"no-{missing}.yaml"
        file.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        run_cli("assess", file, "--json")
        findings = json.loads(capsys.readouterr().out)["findings"]
        (found,) = [f for f in findings if f["code"] == code]
        assert "Norwell Therapeutics, Inc." in found["message"]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_only_the_cros_dpa_authorises_its_transfer_to_the_controller(
    tmp_path: Path, lang: str
) -> None:
    """Issue 13 item 6: the CRO's DPA authorises the transfer to the Controller itself, on
    the standard contractual clauses' module 4 (processor to controller) with its assessment;
    the sites, which send nothing abroad, authorise none; the protocol annex lists it with its
    ground."""
    args = ("--out", tmp_path, "--lang", lang, "--draft", "--only", AGREEMENTS)
    assert run_cli("build", US_SPONSOR, *args) == 0
    cro = _flat(tmp_path / f"{PREFIX[lang]}-vigilis-recherche-clinique-{lang}.docx")
    sites = [
        _flat(tmp_path / f"{PREFIX[lang]}-{name}-{lang}.docx")
        for name in ("centre-hospitalier-universitaire-de-l-estuaire", "clinique-du-parc-beaulieu")
    ]
    annex = _flat(next(tmp_path.glob("*-real-hf-*.docx")))
    expected = {
        "fr": (
            "destinataire : le Responsable du traitement lui-même (Norwell Therapeutics, Inc.) "
            "; pays de destination : États-Unis ; finalité : conduite de la recherche REAL-HF "
            "; données transférées : base d'analyse gelée, codée",
            "fondement : clauses contractuelles types",
            "Pour le transfert au Responsable du traitement (États-Unis)",
            "celles du module 4 (transfert d'un sous-traitant à un responsable du traitement), "
            "conclues entre le Sous-traitant, exportateur, et le Responsable du traitement, "
            "importateur",
            "Cette évaluation se résume ainsi : droit et pratiques des États-Unis",
        ),
        "en": (
            "recipient: the Controller itself (Norwell Therapeutics, Inc.); country of "
            "destination: United States; purpose: conduct of the research REAL-HF; data "
            "transferred: locked, coded analysis dataset",
            "ground: standard contractual clauses",
            "For the transfer to the Controller (United States)",
            "those of Module 4 (transfer from a processor to a controller), entered into "
            "between the Processor, as data exporter, and the Controller, as data importer",
            "That assessment is summarised as follows: United States law and practice",
        ),
    }[lang]
    for text in expected:
        assert text in cro, text
        for site in sites:
            assert text not in site, text
    listed = {
        "fr": "destinataire : Norwell Therapeutics, Inc. ; pays de destination : États-Unis ; "
        "finalité : la Recherche ; données transférées : base d'analyse gelée, codée, et "
        "résultats statistiques ; fondement : clauses contractuelles types",
        "en": "recipient: Norwell Therapeutics, Inc.; country of destination: United States; "
        "purpose: the Research; data transferred: locked, coded analysis dataset and "
        "statistical results; ground: standard contractual clauses",
    }[lang]
    assert listed in annex


@pytest.mark.parametrize("lang", ["fr", "bilingual"])
def test_annex_i_gives_each_partys_role_in_the_agreement(tmp_path: Path, lang: str) -> None:
    """Annex I says who is controller and who processor in this agreement, then each party's
    roles in the study: a site's DPA does not call the site a mere "investigational site".
    (Public hospitals contract in French: the English text is read in the bilingual one.)"""
    example = ROOT / "examples" / "research-funded-reuse.yaml"
    assert run_cli("build", example, "--out", tmp_path, "--lang", lang) == 0
    site = _flat(next(tmp_path.glob("accord-sous-traitance-centre-hospitalier-regional*.docx")))
    expected = {
        "fr": ("responsable du traitement, promoteur et centre investigateur",
               "sous-traitant et centre investigateur"),
        "bilingual": ("controller, sponsor and investigational site",
                      "processor and investigational site"),
    }[lang]  # fmt: skip
    for roles in expected:
        assert roles in site, roles


def test_the_annex_names_the_foreign_sites_ethics_committee_and_the_sponsors_representative(
    tmp_path: Path,
) -> None:
    """A site in another State runs the study after its own ethics committee's opinion and
    under its own law; a sponsor outside the EU is named with its representative there."""
    observational = ROOT / "examples" / "research-observational-cro.yaml"
    assert run_cli("build", observational, "--out", tmp_path / "obs", "--lang", "fr") == 0
    (annex,) = (tmp_path / "obs").glob("annexe-rgpd-protocole-*.docx")
    text = _flat(annex)
    assert "Dans les Centres investigateurs établis hors de France (Universitätsklinikum" in text
    assert "avis favorable du comité d'éthique compétent de l'État concerné" in text
    us = ROOT / "examples" / "research-us-sponsor.yaml"
    assert run_cli("build", us, "--out", tmp_path / "us", "--lang", "bilingual") == 0
    (annex,) = (tmp_path / "us").glob("annexe-rgpd-protocole-*.docx")  # a public CHU: French
    text = _flat(annex)
    assert "Promoteur : Norwell Therapeutics, Inc., représenté dans l'Union européenne par" in text
    assert "Sponsor: Norwell Therapeutics, Inc., represented in the European Union by" in text
    assert "of its representative in the European Union and of its data protection officer" in text


def test_module_4_to_a_sponsor_subject_to_the_gdpr_is_worded_with_its_fallback(
    tmp_path: Path,
) -> None:
    """A sponsor with an EU representative is itself subject to the GDPR (Art. 3(2)), which
    in principle rules out the 2021/914 clauses (recital 7): the CRO's DPA says why they are
    used and what replaces them, rather than stating module 4 as settled — and no drafting
    note in a text to sign."""
    assert run_cli("build", US_SPONSOR, "--out", tmp_path, "--lang", "fr", "--draft") == 0
    cro = _flat(tmp_path / "accord-sous-traitance-vigilis-recherche-clinique-fr.docx")
    assert "considérant 7 de la décision 2021/914" in cro
    assert "les remplacent par de telles clauses dès leur adoption par la Commission" in cro
    assert "à confirmer" not in cro


def test_a_site_abroad_has_the_court_agreed_with_it(tmp_path: Path) -> None:
    """A party's own court (parties[].courts) replaces the contract options' in its DPA: a
    German public hospital is not sent to a French administrative court; the French sites
    keep the options' court."""
    example = ROOT / "examples" / "research-observational-cro.yaml"
    assert run_cli("build", example, "--out", tmp_path, "--lang", "fr") == 0
    german = _flat(next(tmp_path.glob("accord-sous-traitance-universitatsklinikum*.docx")))
    french = _flat(next(tmp_path.glob("accord-sous-traitance-centre-hospitalier-de-blois*.docx")))
    court = "les juridictions françaises compétentes siégeant à Orléans"
    assert court in german and "tribunal administratif d'Orléans" not in german
    assert court not in french and "tribunal administratif d'Orléans" in french


def test_a_research_dpa_serves_the_sponsors_purposes_without_taking_on_its_duties(
    tmp_path: Path,
) -> None:
    """A CRO processes for the sponsor's research purposes only within its services; the
    sponsor's own duties those purposes carry (vigilance, reporting) stay the sponsor's."""
    assert run_cli("build", US_SPONSOR, "--out", tmp_path, "--lang", "fr", "--draft") == 0
    cro = _flat(tmp_path / "accord-sous-traitance-vigilis-recherche-clinique-fr.docx")
    assert "dans la seule mesure nécessaire aux prestations décrites" in cro
    assert "ne sont pas transférées au Sous-traitant" in cro
    assert "Le traitement a pour finalités, à l'exclusion de toute autre" not in cro


DRUG = ROOT / "examples" / "research-drug-trial.yaml"


@pytest.mark.parametrize(
    ("example", "cro", "reports"),
    [(SNDS, "epistat-conseil", True), (DRUG, "medrion-clinical", False)],
)
def test_only_a_health_establishments_processor_serves_its_incident_reports(
    tmp_path: Path, example: Path, cro: str, reports: bool
) -> None:
    """CSP L.1111-8-2 binds health establishments: a CRO tells a hospital sponsor of serious
    incidents so that it can report them, not an industrial sponsor, which has no such duty."""
    assert run_cli("build", example, "--out", tmp_path, "--lang", "en", "--draft") == 0
    dpa = _flat(tmp_path / f"{PREFIX['en']}-{cro}-en.docx")
    assert ("the report required by Article L. 1111-8-2" in dpa) is reports


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("fr", "exportateur : Vigilis Recherche Clinique ; destinataire : Norwell Therapeutics"),
        ("en", "exporter: Vigilis Recherche Clinique; recipient: Norwell Therapeutics"),
    ],
)
def test_the_annex_names_the_exporter_of_a_research_transfer(
    tmp_path: Path, lang: str, expected: str
) -> None:
    """A research flow leaving the EEA is its source's transfer: the annex says whose."""
    assert run_cli("build", US_SPONSOR, "--out", tmp_path, "--lang", lang, "--draft") == 0
    prefix = {"fr": "annexe-rgpd-protocole", "en": "protocol-gdpr-annex"}[lang]
    (annex,) = tmp_path.glob(f"{prefix}-*.docx")
    assert expected in _flat(annex)


def test_a_cro_monitoring_at_the_sites_sees_source_documents_there_only(tmp_path: Path) -> None:
    """Its categories are coded data, yet a CRO's monitors read identifying source documents
    at the sites: its DPA says so, on site and without copies; a site's DPA does not."""
    assert run_cli("build", US_SPONSOR, "--out", tmp_path, "--lang", "en", "--draft") == 0
    cro = _flat(tmp_path / f"{PREFIX['en']}-vigilis-recherche-clinique-en.docx")
    assert "consult on site, at the Investigational Sites and without taking copies" in cro
    site = _flat(tmp_path / f"{PREFIX['en']}-clinique-du-parc-beaulieu-en.docx")
    assert "without taking copies" not in site


def test_the_exporter_assesses_the_law_of_the_destination(tmp_path: Path) -> None:
    assert run_cli("build", US_SPONSOR, "--out", tmp_path, "--lang", "en", "--draft") == 0
    (annex,) = tmp_path.glob("protocol-gdpr-annex-*.docx")
    assert "the exporter — the Sponsor or, for the transfers it makes, the processor" in _flat(
        annex
    )
