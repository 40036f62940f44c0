"""Issue 13 item 4: a clinical trial of a medicinal product (Regulation 536/2014) and what a
medical-device study gets where its regulation differs — the findings `assess --json` gives,
and what the built protocol annex, site DPA and joint-controller arrangement say."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import ROOT, docx_text, run_cli

DRUG = ROOT / "examples" / "research-drug-trial.yaml"
DEVICE = ROOT / "examples" / "research-device-investigation.yaml"

# What the annex of a trial under Regulation 536/2014 says, and no other study's annex does.
TRIAL_WORDING = {
    "fr": {
        "route": "Le Promoteur dépose la demande d'autorisation de l'essai dans le système "
        "d'information sur les essais cliniques de l'Union européenne (« CTIS »)",
        "parts": "évalue la partie I du dossier, un comité de protection des personnes (« CPP ») "
        "en évalue la partie II, et l'ANSM notifie au Promoteur",
        "withdrawal": "ce retrait n'affecte ni les activités déjà menées ni l'utilisation des "
        "Données obtenues sur la base de son consentement avant le retrait",
        "no new data": "Après son retrait, aucune nouvelle Donnée n'est recueillie auprès du "
        "Participant pour l'essai",
        "told": "La note d'information en avertit le Participant avant qu'il ne donne son "
        "consentement.",
        "archiving": "le Promoteur et chaque investigateur archivent le contenu du dossier "
        "permanent de l'essai clinique",
        "25 years": "pendant au moins vingt-cinq (25) ans après la fin de l'essai (article 58 "
        "de ce règlement)",
        "vigilance": "Ces obligations résultent des articles 41 à 43 du règlement (UE) n° 536/2014",
        "publication": "Aucun de ces documents ne contient de données à caractère personnel des "
        "Participants",
        "article 81": "rendus publics dans les conditions de l'article 81 du règlement (UE) "
        "n° 536/2014",
    },
    "en": {
        "route": "The Sponsor files the application for authorisation of the trial in the EU "
        'Clinical Trials Information System ("CTIS")',
        "parts": "assesses Part I of the dossier, a research ethics committee (comité de "
        'protection des personnes, "CPP") assesses Part II, and the ANSM notifies the Sponsor',
        "withdrawal": "that withdrawal affects neither the activities already carried out nor "
        "the use of the Research Data obtained on the basis of their consent before the "
        "withdrawal",
        "no new data": "After the withdrawal, no new Research Data are collected from the "
        "Participant for the trial",
        "told": "The participant information sheet tells the Participant so before they give "
        "their consent.",
        "archiving": "the Sponsor and each investigator archive the content of the clinical "
        "trial master file",
        "25 years": "for at least twenty-five (25) years after the end of the trial (Article 58 "
        "of that Regulation)",
        "vigilance": "Those obligations arise under Articles 41 to 43 of Regulation (EU) No "
        "536/2014",
        "publication": "None of those documents contains personal data of the Participants",
        "article 81": "made public on the terms of Article 81 of Regulation (EU) No 536/2014",
    },
}
# The vigilance paragraph: a legal obligation with Art. 9(2)(i), in every study that has one.
LEGAL_OBLIGATION = {
    "fr": (
        "reposent sur le respect d'une obligation légale (article 6, paragraphe 1, point c), "
        "du RGPD)",
        "(article 9, paragraphe 2, point i), du RGPD)",
    ),
    "en": (
        "is based on compliance with a legal obligation (Article 6(1)(c) of the GDPR)",
        "(Article 9(2)(i) of the GDPR)",
    ),
}


def _flat(path: Path) -> str:
    text = docx_text(path).replace("\u00a0", " ").replace("\u202f", " ")
    return " ".join(text.split())


def _write(tmp_path: Path, example: Path, **research: Any) -> Path:
    data = yaml.safe_load(example.read_text("utf-8"))
    data["research"].update(research)
    file = tmp_path / example.name
    file.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    return file


def _build(answers: Path, out: Path, lang: str) -> dict[str, str]:
    """Every document built, by file name, read flat (English as a draft: the public
    hospitals contract in French)."""
    assert run_cli("build", answers, "--out", out, "--lang", lang, "--force", "--draft") == 0
    return {p.name: _flat(p) for p in out.glob("*.docx")}


def _one(texts: dict[str, str], prefix: str) -> str:
    (name,) = [n for n in texts if n.startswith(prefix)]
    return texts[name]


def _findings(capsys: pytest.CaptureFixture[str], answers: Path) -> dict[str, dict[str, Any]]:
    """The findings by code. The drug trial's answers are in English: its one blocker is that
    the public hospitals contract in French (the exit status says there is a blocker)."""
    status = run_cli("assess", answers, "--json")
    findings = {f["code"]: f for f in json.loads(capsys.readouterr().out)["findings"]}
    blockers = {code for code, f in findings.items() if f["severity"] == "blocker"}
    assert blockers <= {"FRENCH_REQUIRED"} and status == (1 if blockers else 0)
    return findings


def test_a_drug_trial_is_authorised_through_ctis(capsys: pytest.CaptureFixture[str]) -> None:
    findings = _findings(capsys, DRUG)
    ctis = findings["CLINICAL_TRIAL_CTIS"]
    assert ctis["severity"] == "info"
    assert ctis["articles"] == [
        "Regulation 536/2014 art. 5",
        "Regulation 536/2014 art. 8",
        "CSP L.1124-1",
    ]
    assert "RIPH_CPP" not in findings  # not the CPP alone
    assert "CLINICAL_TRIAL_SAFETY_REPORTING" not in findings  # the example states its duties
    assert not {"DEVICE_INVESTIGATION", "MEDICINAL_NON_INTERVENTIONAL"} & set(findings)


def test_a_device_investigation_keeps_the_cpp_and_names_its_regulation(
    capsys: pytest.CaptureFixture[str],
) -> None:
    findings = _findings(capsys, DEVICE)
    device = findings["DEVICE_INVESTIGATION"]
    assert device["severity"] == "info"
    assert "Regulation 2017/745 art. 62" in device["articles"]
    assert findings["RIPH_CPP"]["severity"] == "info"
    assert not {"CLINICAL_TRIAL_CTIS", "CLINICAL_TRIAL_SAFETY_REPORTING"} & set(findings)
    assert "FRENCH_REQUIRED" not in findings  # French answers: no blocker at all


def test_a_trial_without_stated_vigilance_duties_is_warned_and_still_states_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """One rule (research.safety_reporting): the warning and the annex agree that a trial's
    vigilance rests on a legal obligation, whatever the answers said."""
    answers = _write(tmp_path, DRUG, safety_reporting=False)
    warning = _findings(capsys, answers)["CLINICAL_TRIAL_SAFETY_REPORTING"]
    assert warning["severity"] == "warning"
    assert {"GDPR 6(1)(c)", "GDPR 9(2)(i)"} <= set(warning["articles"])
    annex = _one(_build(answers, tmp_path / "out", "fr"), "annexe-rgpd-protocole")
    for provision in (*LEGAL_OBLIGATION["fr"], TRIAL_WORDING["fr"]["vigilance"]):
        assert provision in annex, provision


def test_a_non_interventional_drug_study_is_no_trial(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = _write(tmp_path, DRUG, riph_category=3)
    findings = _findings(capsys, answers)
    assert findings["MEDICINAL_NON_INTERVENTIONAL"]["severity"] == "info"
    assert "category 3" in findings["RIPH_CPP"]["message"]
    assert "CLINICAL_TRIAL_CTIS" not in findings
    annex = _one(_build(answers, tmp_path / "out", "fr"), "annexe-rgpd-protocole")
    for name, provision in TRIAL_WORDING["fr"].items():
        assert provision not in annex, name


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], dict[str, str]]:
    """The drug trial and the device investigation, built in French and English."""
    out = tmp_path_factory.mktemp("trials")
    return {
        (example.stem, lang): _build(example, out / f"{example.stem}-{lang}", lang)
        for example in (DRUG, DEVICE)
        for lang in ("fr", "en")
    }


ANNEX = {"fr": "annexe-rgpd-protocole", "en": "protocol-gdpr-annex"}
DPA = {"fr": "accord-sous-traitance", "en": "data-processing-agreement"}


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_trials_annex_states_the_regulation(
    built: dict[tuple[str, str], dict[str, str]], lang: str
) -> None:
    annex = _one(built[DRUG.stem, lang], ANNEX[lang])
    for name, provision in TRIAL_WORDING[lang].items():
        assert provision in annex, name
    for provision in LEGAL_OBLIGATION[lang]:
        assert provision in annex, provision


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_device_studys_annex_says_none_of_it(
    built: dict[tuple[str, str], dict[str, str]], lang: str
) -> None:
    annex = _one(built[DEVICE.stem, lang], ANNEX[lang])
    for name, provision in TRIAL_WORDING[lang].items():
        assert provision not in annex, name
    assert {"fr": "536/2014", "en": "536/2014"}[lang] not in annex
    device = {
        "fr": (
            "la Recherche est une investigation clinique régie par le règlement (UE) 2017/745",
            "Outre l'avis du CPP, le Promoteur obtient l'autorisation de l'Agence nationale",
            "Ces obligations résultent du règlement (UE) 2017/745 relatif aux dispositifs "
            "médicaux et du Code de la santé publique",
        ),
        "en": (
            "the Research is a clinical investigation governed by Regulation (EU) 2017/745",
            "Besides the CPP's opinion, the Sponsor obtains the authorisation of the French "
            "medicines agency",
            "Those obligations arise under Regulation (EU) 2017/745 on medical devices and the "
            "French Public Health Code",
        ),
    }[lang]
    for provision in (*device, *LEGAL_OBLIGATION[lang]):
        assert provision in annex, provision


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_trial_sites_dpa_archives_for_twenty_five_years(
    built: dict[tuple[str, str], dict[str, str]], lang: str, tmp_path: Path
) -> None:
    archive = {
        "fr": "les documents propres à la recherche pendant au moins vingt-cinq (25) ans après "
        "la fin de l'essai, durée d'archivage du dossier permanent de l'essai clinique "
        "qu'impose l'article 58",
        "en": "for at least twenty-five (25) years after the end of the trial, the archiving "
        "period of the clinical trial master file required by Article 58",
    }[lang]
    protocol = {
        "fr": "pendant la durée d'archivage que fixe le protocole pour les centres",
        "en": "for the archiving period the protocol sets for the sites",
    }[lang]
    drug = built[DRUG.stem, lang]
    # An industry trial's sites sign the convention unique: a site's DPA is an academic trial's.
    academic = _build(_write(tmp_path, DRUG, commercial=False), tmp_path / "out", lang)
    site = _one(academic, f"{DPA[lang]}-groupe-hospitalier-saint-aubert")
    cro = _one(drug, f"{DPA[lang]}-medrion-clinical")
    # The device study's public sites are under the convention unique: no DPA, and their
    # description says nothing of a medicinal product's 25 years.
    device = built[DEVICE.stem, lang]
    assert not [n for n in device if n.startswith(f"{DPA[lang]}-hospices-civils-de-la-saone")]
    description = {
        "fr": "description-traitements-convention-unique",
        "en": "convention-unique-processing-description",
    }[lang]
    device_site = _one(device, f"{description}-hospices-civils")
    assert archive in site and protocol not in site
    assert archive not in cro  # a CRO returns and deletes
    assert archive not in device_site and "vingt-cinq (25) ans" not in device_site


def test_joint_controllers_of_a_trial_archive_for_twenty_five_years(tmp_path: Path) -> None:
    answers = _write(tmp_path, DRUG, protocol_drafted_by="sponsor_and_centres")
    texts = _build(answers, tmp_path / "out", "fr")
    arrangement = _one(texts, "accord-responsables-conjoints")
    for provision in (
        "le Promoteur et chaque Centre investigateur archivent le contenu du dossier permanent "
        "de l'essai clinique qu'ils détiennent, y compris la table de correspondance",
        "pendant au moins vingt-cinq (25) ans après la fin de l'essai (article 58 de ce règlement)",
        "et des articles 41 à 43 du règlement (UE) n° 536/2014",
    ):
        assert provision in arrangement, provision


def test_a_device_investigation_words_withdrawal_cautiously(tmp_path: Path) -> None:
    """A device investigation borrows no certainty from the drug regulation: the effect of a
    withdrawal on data already obtained is said as far as Regulation 2017/745 provides, in
    the annex and in each public site's description, with no drafting note left in."""
    texts = _build(DEVICE, tmp_path / "out", "fr")
    annex = _one(texts, "annexe-rgpd-protocole")
    described = _one(texts, "description-traitements-convention-unique-hospices-civils")
    for text in (annex, described):
        assert "Dans la mesure où le règlement (UE) 2017/745 le prévoit, " in text
        assert "à confirmer" not in text
        assert "536/2014" not in text.split("2017/745 le prévoit")[1][:400]
