"""`clausier check` proves the clause library whole, and catches what a careless edit breaks."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import ROOT, docx_text, run_cli

from generator.library.checks import check_library


@pytest.fixture
def library(tmp_path: Path) -> Path:
    copy = tmp_path / "clauses"
    shutil.copytree(ROOT / "clauses", copy)
    return copy


def _edit(file: Path, old: str, new: str) -> None:
    text = file.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {file.name}"
    file.write_text(text.replace(old, new, 1), encoding="utf-8")


def _clause(library: Path, stem: str) -> Path:
    (file,) = library.glob(f"dpa/*-{stem}.yaml")
    return file


def test_shipped_library_is_sound(capsys: pytest.CaptureFixture[str]) -> None:
    assert check_library(ROOT / "clauses") == []
    assert run_cli("check") == 0


def test_missing_english_text_is_reported(library: Path) -> None:
    file = _clause(library, "confidentiality")
    lines = file.read_text(encoding="utf-8").splitlines(keepends=True)
    # Drop the English of the clause title.
    start = next(i for i, line in enumerate(lines) if line.startswith("title:"))
    en = next(i for i in range(start, len(lines)) if lines[i].strip().startswith("en:"))
    del lines[en]
    file.write_text("".join(lines), encoding="utf-8")
    (problem,) = check_library(library)
    assert problem == f"{file}:{start + 1}: title.en: required field missing"


def test_unknown_placeholder_is_reported(library: Path) -> None:
    file = _clause(library, "breach")
    _edit(file, "options.breach_notice_hours", "options.breach_hours")
    problems = check_library(library)
    assert any(
        str(file) in p and "unknown placeholder 'options.breach_hours'" in p for p in problems
    ), problems


def test_stale_translation_is_reported(library: Path) -> None:
    file = _clause(library, "breach")
    text = file.read_text(encoding="utf-8")
    en = text.index("\n    en:", text.index("options.breach_notice_hours"))
    file.write_text(
        text[:en] + text[en:].replace("options.breach_notice_hours | words", "'24'", 1),
        encoding="utf-8",
    )
    assert any("different placeholders" in p for p in check_library(library))


def test_invalid_condition_is_reported(library: Path) -> None:
    file = _clause(library, "hds")
    _edit(file, "when: ", "when: processing.health_data and and ")
    assert any(str(file) in p and "condition" in p for p in check_library(library))


def test_uncovered_article_28_element_is_reported(library: Path) -> None:
    file = _clause(library, "confidentiality")
    _edit(file, '"28(3)(b)"', '"28(3)(a)"')
    problems = check_library(library)
    assert any("28(3)(b)" in p and "no clause covers" in p for p in problems), problems


def test_incomplete_firm_label_is_reported(tmp_path: Path) -> None:
    firm = tmp_path / "firm"
    firm.mkdir()
    (firm / "labels.yaml").write_text("DataCategory:\n  nir:\n    fr: NIR\n", "utf-8")
    (problem,) = check_library(firm)
    assert problem == f"{firm / 'labels.yaml'}:2: DataCategory.nir.en: required field missing"


def test_firm_clause_overrides_and_adds(tmp_path: Path) -> None:
    firm = tmp_path / "firm" / "dpa"
    firm.mkdir(parents=True)
    shutil.copy(ROOT / "clauses" / "dpa" / "070-confidentiality.yaml", firm)
    _edit(firm / "070-confidentiality.yaml", "Confidentialité", "Secret et confidentialité")
    (firm / "235-insurance.yaml").write_text(
        "id: dpa.insurance\norder: 235\narticles: [Code civil 1231-1]\n"
        "title: {fr: Assurance, en: Insurance}\nparagraphs:\n"
        "  - fr: Le Sous-traitant maintient une assurance de responsabilité civile.\n"
        "    en: The Processor shall maintain liability insurance.\n",
        "utf-8",
    )
    assert check_library(firm.parent) == []
    answers = ROOT / "examples" / "clinic-lab-results.yaml"
    out = tmp_path / "out"
    assert run_cli("build", answers, "--out", out, "--clauses", firm.parent) == 0
    (document,) = out.glob("*.docx")
    text = docx_text(document)
    assert "Secret et confidentialité" in text and "Assurance" in text


def test_firm_clause_reaching_python_internals_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    firm = tmp_path / "firm" / "dpa"
    firm.mkdir(parents=True)
    (firm / "236-evil.yaml").write_text(
        "id: dpa.evil\norder: 236\narticles: [none]\ntitle: {fr: X, en: X}\nparagraphs:\n"
        '  - fr: "{{ processor.__class__.__mro__ }}"\n'
        '    en: "{{ processor.__class__.__mro__ }}"\n',
        "utf-8",
    )
    assert any("unknown placeholder" in p for p in check_library(firm.parent))
    answers = ROOT / "examples" / "clinic-lab-results.yaml"
    assert run_cli("build", answers, "--out", tmp_path / "out", "--clauses", firm.parent) == 2
    err = capsys.readouterr().err
    assert "236-evil.yaml" in err and "Traceback" not in err


def test_check_command_exits_2_on_a_broken_library(
    library: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _edit(_clause(library, "breach"), "options.breach_notice_hours", "options.nope")
    assert run_cli("check", "--clauses", library) == 2
    assert "options.nope" in capsys.readouterr().err


def test_unclosed_bold_marker_is_reported(library: Path) -> None:
    file = _clause(library, "definitions")
    _edit(file, "**«\u00a0RGPD\u00a0»**", "**«\u00a0RGPD\u00a0»")
    assert any("not closed" in p for p in check_library(library))


def test_reference_to_an_unknown_clause_is_reported(library: Path) -> None:
    file = _clause(library, "law")
    _edit(file, "[[dpa.termination]]", "[[dpa.termnation]]")
    assert any("unknown clause or annex: dpa.termnation" in p for p in check_library(library))


def test_firm_clause_that_never_ends_is_stopped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from generator.library import plan

    monkeypatch.setattr(plan, "TEXT_SECONDS", 0.5)
    firm = tmp_path / "firm" / "dpa"
    firm.mkdir(parents=True)
    loop = "{% for i in range(99999) %}{% for j in range(99999) %}{% endfor %}{% endfor %}"
    (firm / "237-loop.yaml").write_text(
        "id: dpa.loop\norder: 237\narticles: [none]\ntitle: {fr: X, en: X}\nparagraphs:\n"
        f'  - fr: "{loop}"\n    en: "{loop}"\n',
        "utf-8",
    )
    answers = ROOT / "examples" / "clinic-lab-results.yaml"
    assert run_cli("build", answers, "--out", tmp_path / "out", "--clauses", firm.parent) == 2
    err = capsys.readouterr().err
    assert "237-loop.yaml" in err and "runaway loop" in err
