"""The legal rules: each finding fires on a crafted case, and blockers stop the build."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import (
    MINIMAL,
    ROOT,
    answers_with,
    docx_paragraphs,
    docx_text,
    draft_marks,
    run_cli,
    write,
)
from docx_check import check_docx

from generator.answers.load import load_answers
from generator.answers.model import Answers, Language, Safeguard
from generator.legal.assessment import DocumentKind, Finding, Severity, assess
from generator.library.load import default_library
from generator.library.messages import Messages

# The tests on a DPA's text build it alone, not the pack that travels with it.
DPA = ("--only", "dpa")


def _answers(**changes: Any) -> Answers:
    return answers_with(MINIMAL, **changes)


def _codes(answers: Answers) -> dict[str, Severity]:
    return {f.code: f.severity for f in assess(answers).findings}


def test_minimal_case_has_no_blocker() -> None:
    result = assess(_answers())
    assert [(d.kind, d.parties) for d in result.documents] == [
        (DocumentKind.DPA, ("chu", "vendor")),
        (DocumentKind.PROCESSING_RECORD, ("chu", "vendor")),
        (DocumentKind.DPIA, ("chu", "vendor")),
    ]
    assert not result.blockers
    assert result.roles == {"chu": ("controller",), "vendor": ("processor",)}


def test_health_data_with_uncertified_host_is_blocked() -> None:
    codes = _codes(_answers(hosting__hds_certified=False))
    assert codes["HDS_NOT_CERTIFIED"] is Severity.BLOCKER


def test_uncertified_sub_processor_storing_health_data_is_blocked() -> None:
    sub = {
        "name": "Cheap Cloud",
        "service": "stockage",
        "address": "Lille",
        "country": "FR",
        "hosts_data": True,
        "hosts_health_data": True,
        "hds_certified": False,
    }
    assert _codes(_answers(sub_processors=[sub]))["HDS_NOT_CERTIFIED"] is Severity.BLOCKER


def test_no_hds_rule_without_health_data() -> None:
    answers = _answers(hosting__hds_certified=False, processing__data_categories=["contact"])
    assert "HDS_NOT_CERTIFIED" not in _codes(answers)


def test_hds_storage_outside_eea_is_blocked() -> None:
    codes = _codes(_answers(hosting__storage_country="US"))
    assert codes["HDS_OUTSIDE_EEA"] is Severity.BLOCKER
    # Storage in the US is also a transfer, and none was given a ground.
    assert codes["TRANSFER_NO_SAFEGUARD"] is Severity.BLOCKER


def test_transfer_without_safeguard_is_blocked() -> None:
    transfer = {"recipient": "Support Inc.", "country": "IN", "purpose": "support"}
    assert _codes(_answers(transfers=[transfer]))["TRANSFER_NO_SAFEGUARD"] is Severity.BLOCKER
    transfer["safeguard"] = "scc_2021_914"
    assert "TRANSFER_NO_SAFEGUARD" not in _codes(_answers(transfers=[transfer]))


def test_sub_processor_outside_eea_points_to_the_transfer() -> None:
    sub = {
        "name": "HelpDesk Corp",
        "service": "support",
        "address": "Austin",
        "country": "US",
        "transfer_safeguard": "scc_2021_914",
    }
    answers = _answers(sub_processors=[sub])
    result = assess(answers)
    finding = next(f for f in result.findings if f.code == "SUBPROCESSOR_OUTSIDE_EEA")
    assert finding.values == {
        "recipient": "HelpDesk Corp",
        "country": "US",
        "safeguard": Safeguard.SCC,
    }
    text = _words(finding, Language.FR)
    assert "HelpDesk Corp" in text and "États-Unis" in text
    assert [t.recipient for t in result.outside_eea_transfers] == ["HelpDesk Corp"]
    del sub["transfer_safeguard"]
    assert _codes(_answers(sub_processors=[sub]))["TRANSFER_NO_SAFEGUARD"] is Severity.BLOCKER


def test_missing_controller_dpo_is_a_warning() -> None:
    data = yaml.safe_load(MINIMAL)
    del data["parties"][0]["dpo"]
    codes = _codes(Answers.model_validate(data))
    assert codes["DPO_MISSING"] is Severity.WARNING


def test_processor_deciding_purposes_is_a_warning() -> None:
    finding = next(
        f
        for f in assess(_answers(parties__1__determines_purposes=True)).findings
        if f.code == "PROCESSOR_DECIDES"
    )
    assert finding.severity is Severity.WARNING and finding.articles == ("GDPR 28(10)",)


def test_messages_follow_the_language() -> None:
    answers = _answers(hosting__hds_certified=False)
    finding = next(f for f in assess(answers).findings if f.code == "HDS_NOT_CERTIFIED")
    assert "n'est pas certifié" in _words(finding, Language.FR)
    assert "is not a certified" in _words(finding, Language.EN)


def _words(finding: Finding, language: Language) -> str:
    return Messages(default_library(), language).text(finding)


def test_two_processors_block_the_dpa() -> None:
    data = yaml.safe_load(MINIMAL)
    data["parties"][0]["roles"] = ["processor"]
    result = assess(Answers.model_validate(data))
    assert result.documents == ()
    assert [f.code for f in result.blockers] == ["DPA_ROLES"]


def test_assess_json_shape(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    answers = write(
        tmp_path / "a.yaml", MINIMAL.replace("hds_certified: true", "hds_certified: false")
    )
    assert run_cli("assess", answers, "--json") == 1
    result = json.loads(capsys.readouterr().out)
    assert result["documents"] == ["dpa", "processing-record", "dpia"]
    assert result["roles"] == {"chu": ["controller"], "vendor": ["processor"]}
    assert result["research_route"] is None
    blocker = next(f for f in result["findings"] if f["code"] == "HDS_NOT_CERTIFIED")
    assert blocker["severity"] == "blocker" and blocker["articles"] == ["CSP L.1111-8"]
    assert blocker["fields"] == ["hosting.hds_certified"]  # the answer that settles it


@pytest.mark.parametrize(
    ("change", "code"),
    [
        (("hds_certified: true", "hds_certified: false"), "HDS_NOT_CERTIFIED"),
        (("storage_country: FR", "storage_country: US"), "HDS_OUTSIDE_EEA"),
        (
            (
                "security_measures:",
                "transfers:\n  - {recipient: X, country: IN, purpose: y}\nsecurity_measures:",
            ),
            "TRANSFER_NO_SAFEGUARD",
        ),
    ],
)
def test_build_refuses_blockers_unless_draft(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], change: tuple[str, str], code: str
) -> None:
    answers = write(tmp_path / "a.yaml", MINIMAL.replace(*change))
    out = tmp_path / "out"
    assert run_cli("build", answers, "--out", out) == 1
    assert code in capsys.readouterr().err
    assert not out.exists() or not any(out.iterdir())

    assert run_cli("build", answers, "--out", out, "--draft") == 0
    # The whole set is built, each document marked with its kind's draft mark.
    marks = draft_marks(answers)
    assert marks["accord-sous-traitance-sante-cloud-fr.docx"] == "PROJET – NE PAS SIGNER"
    assert sorted(p.name for p in out.glob("*.docx")) == sorted(marks)
    for name, mark in marks.items():
        assert mark in docx_text(out / name), name
        assert check_docx(out / name) == [], name


def test_load_answers_then_assess_is_pure(tmp_path: Path) -> None:
    answers = load_answers(write(tmp_path / "a.yaml", MINIMAL))
    assert assess(answers) == assess(answers)


def test_law_outside_the_eea_is_blocked() -> None:
    assert _codes(_answers(options__governing_law="US"))["GOVERNING_LAW"] is Severity.BLOCKER
    assert "GOVERNING_LAW" not in _codes(_answers(options__governing_law="DE"))


def test_processor_outside_the_eea_is_a_transfer() -> None:
    answers = _answers(parties__1__country="CH", hosting=None)
    assert _codes(answers)["TRANSFER_NO_SAFEGUARD"] is Severity.BLOCKER
    transfer = {
        "recipient": "Santé Cloud",
        "country": "CH",
        "purpose": "service",
        "safeguard": "adequacy",
        "details": "décision d'adéquation Suisse",
    }
    result = assess(_answers(parties__1__country="CH", hosting=None, transfers=[transfer]))
    assert not result.blockers
    assert [t.recipient for t in result.outside_eea_transfers] == ["Santé Cloud"]


def test_french_and_english_findings_come_from_the_same_codes(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The assessment has no language: French and English word the same findings (parties
    not bound to French, so both editions may be built)."""
    example = ROOT / "examples" / "clinic-lab-results.yaml"
    outputs = {}
    for language in ("fr", "en"):
        run_cli("assess", example, "--json", "--lang", language)
        outputs[language] = json.loads(capsys.readouterr().out)
    strip = [
        [{k: v for k, v in f.items() if k != "message"} for f in outputs[lang]["findings"]]
        for lang in ("fr", "en")
    ]
    assert strip[0] == strip[1] and strip[0]
    messages = [[f["message"] for f in outputs[lang]["findings"]] for lang in ("fr", "en")]
    assert all(fr != en for fr, en in zip(*messages))


def test_a_derived_hosting_transfer_is_worded_in_each_column(tmp_path: Path) -> None:
    """Storage outside the EEA is a transfer the assessment derives; its purpose is worded by
    the clause in each language (the English column once read 'purpose: hébergement des
    données')."""
    data = yaml.safe_load((ROOT / "examples" / "chu-teleconsultation.yaml").read_text("utf-8"))
    data["hosting"]["backup_country"] = "CH"
    answers = write(tmp_path / "answers.yaml", yaml.safe_dump(data, allow_unicode=True))
    out = tmp_path / "out"
    assert run_cli("build", answers, "--out", out, "--lang", "bilingual", "--draft", *DPA) == 0
    (document,) = out.glob("*.docx")
    text = docx_text(document)
    assert "finalité\u00a0: hébergement des données" in text
    assert "purpose: hosting of the data" in text
    assert "purpose: hébergement" not in text


def _tele() -> dict[str, Any]:
    return yaml.safe_load((ROOT / "examples" / "chu-teleconsultation.yaml").read_text("utf-8"))


def test_a_host_given_twice_is_told_once() -> None:
    """The host, listed again as a sub-processor storing health data: one host, one finding."""
    data = _tele()
    data["hosting"]["hds_certified"] = False
    host = data["hosting"]["provider"]
    assert any(s["name"] == host and s.get("hosts_health_data") for s in data["sub_processors"])
    findings = assess(Answers.model_validate(data)).findings
    assert [f.values for f in findings if f.code == "HDS_NOT_CERTIFIED"] == [{"host": host}]


def test_the_host_is_a_sub_processor_of_annex_iv_even_when_not_listed(tmp_path: Path) -> None:
    data = _tele()
    host = data["hosting"]["provider"]
    data["sub_processors"] = [s for s in data["sub_processors"] if s["name"] != host]
    answers = write(tmp_path / "answers.yaml", yaml.safe_dump(data, allow_unicode=True))
    assert run_cli("build", answers, "--out", tmp_path / "out", "--lang", "bilingual", *DPA) == 0
    (document,) = (tmp_path / "out").glob("*.docx")
    cells = docx_paragraphs(document)
    # Annex IV's row for the host: its name, then the service in French and, on the next line,
    # in English, then where.
    at = cells.index(host)
    assert cells[at + 1] == "Hébergement des Données\nHosting of the Personal Data"
    assert cells[at + 2] == "France"


def test_an_electronic_deed_prints_no_fixed_place_and_date(tmp_path: Path) -> None:
    """Signed electronically, each Party signs where and when it does: the deed takes the
    date of the last signature, and no « Signé à Orléans, le … » stands beside the blocks."""
    data = _tele()
    assert data["signature"]["electronic"]
    answers = write(tmp_path / "answers.yaml", yaml.safe_dump(data, allow_unicode=True))
    assert run_cli("build", answers, "--out", tmp_path / "out", "--lang", "bilingual", *DPA) == 0
    (document,) = (tmp_path / "out").glob("*.docx")
    text = docx_text(document)
    assert "Signé à" not in text and "Signed at" not in text
    assert "dernière des signatures électroniques" in text
    assert "last of the Parties' electronic signatures" in text


def test_the_dpa_governs_the_processing_from_the_start_of_the_services(tmp_path: Path) -> None:
    data = _tele()
    assert data["processing"]["main_agreement"]["services_start"] < data["signature"]["date"]
    answers = write(tmp_path / "answers.yaml", yaml.safe_dump(data, allow_unicode=True))
    assert run_cli("build", answers, "--out", tmp_path / "out", "--lang", "bilingual", *DPA) == 0
    text = " ".join(docx_text(next((tmp_path / "out").glob("*.docx"))).split())
    assert "depuis leur commencement, le 1er janvier 2027, y compris avant sa signature" in text
    assert "from their start, on 1 January 2027, including before its signature" in text
