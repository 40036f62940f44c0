"""`clausier check` proves the clause library whole, and catches what a careless edit breaks."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import ROOT, docx_text, run_cli, write

from generator.library.checks import check_library, check_loaded
from generator.library.load import load_library


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
    assert run_cli("build", answers, "--out", out, "--clauses", firm.parent, "--only", "dpa") == 0
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


def test_a_fixed_choice_compared_with_an_unknown_value_is_refused(library: Path) -> None:
    """`route == 'MR-03'` is always false: the paragraph would silently vanish."""
    (file,) = library.glob("protocol-annex/*-route.yaml")
    _edit(file, "route == 'MR-001'", "route == 'MR-03'")
    (roles,) = library.glob("protocol-annex/_document.yaml")
    _edit(roles, "'controller' in r.roles", "'controler' in r.roles")
    problems = check_library(library)
    assert any(
        p.startswith(f"{file}:") and "'route' is compared with 'MR-03', which is not one" in p
        for p in problems
    ), problems
    assert any(
        p.startswith(f"{roles}:") and "'r.roles' is compared with 'controler'" in p
        for p in problems
    ), problems


def _messages_problems(library: Path) -> list[str]:
    """The messages file is laid over Clausier's by a firm library; load the copy alone."""
    return check_loaded(load_library(library))


def test_every_finding_has_its_message_and_none_is_orphaned(library: Path) -> None:
    file = library / "messages.yaml"
    text = file.read_text("utf-8")
    start = text.index("  NO_ENCRYPTION:")
    end = text.index("  NO_AUTHENTICATION:")
    file.write_text(text[:start] + text[end:].replace("  DPIA_DUE:", "  DPIA_DONE:", 1), "utf-8")
    problems = _messages_problems(library)
    assert (
        f"{file}:11: findings: no message for 'NO_ENCRYPTION', which the assessment can raise"
        in problems
    )
    assert any("no message for 'DPIA_DUE'" in p for p in problems), problems
    assert any(
        p.startswith(f"{file}:") and "findings.DPIA_DONE: no finding of the assessment" in p
        for p in problems
    ), problems


def test_a_message_may_use_only_the_values_its_finding_declares(library: Path) -> None:
    file = library / "messages.yaml"
    _edit(file, "given for {{ party }}; one", "given for {{ partie }}; one")
    _edit(file, 'en: "a CRO takes part', 'en: "a CRO ({{ country }}) takes part')
    problems = _messages_problems(library)
    assert any("findings.DPO_MISSING.en: unknown placeholder 'partie'" in p for p in problems)
    assert any("phrases.cro_takes_part.en: unknown placeholder 'country'" in p for p in problems)
    assert any(
        "findings.DPO_MISSING: French and English use different placeholders" in p for p in problems
    ), problems


def test_the_shipped_messages_word_every_finding() -> None:
    assert _messages_problems(ROOT / "clauses") == []


def _firm_clause(tmp_path: Path, fr: str, en: str) -> Path:
    firm = tmp_path / "firm" / "dpa"
    firm.mkdir(parents=True)
    (firm / "238-extra.yaml").write_text(
        "id: dpa.extra\norder: 238\narticles: [none]\ntitle: {fr: X, en: X}\nparagraphs:\n"
        f'  - fr: "{fr}"\n    en: "{en}"\n',
        "utf-8",
    )
    return firm.parent


@pytest.mark.parametrize(
    ("fr", "en", "words"),
    [
        # An expression applied to the wrong kind of value fails when filled in.
        (
            "{{ options.breach_notice_hours + 'h' }}",
            "{{ options.breach_notice_hours + 'h' }}",
            "238-extra.yaml: the clause text cannot be filled in: unsupported operand",
        ),
        # A reference to a clause this document leaves out (no HDS clause without a host).
        ("Voir [[dpa.hds]].", "See [[dpa.hds]].", "refers to [[dpa.hds]], which this document"),
    ],
)
def test_a_faulty_firm_clause_is_one_line_never_an_internal_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], fr: str, en: str, words: str
) -> None:
    firm = _firm_clause(tmp_path, fr, en)
    data = (ROOT / "examples" / "clinic-lab-results.yaml").read_text("utf-8")
    answers = write(tmp_path / "a.yaml", data)
    text = answers.read_text("utf-8")
    if "[[" in fr:  # a DPA without hosting has no HDS clause
        start = text.index("\nhosting:")
        end = text.index("\n\n", start)
        answers.write_text(text[:start] + text[end:], "utf-8")
    assert run_cli("build", answers, "--out", tmp_path / "out", "--clauses", firm) == 2
    err = capsys.readouterr().err
    assert words in err and "internal error" not in err, err
    assert len(err.strip().splitlines()) == 1, err
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_an_english_sentence_deleted_while_the_french_stays_is_reported(library: Path) -> None:
    """The two languages must say the same thing: a paragraph whose English lost a sentence
    is far shorter than its French."""
    file = _clause(library, "breach")
    _edit(
        file,
        " The\n      Processor shall require each Sub-processor to inform it of any Personal Data "
        "Breach in\n      time for the Processor to meet the notice period set out in this "
        "Clause.",
        "",
    )
    problems = check_library(library)
    assert any(
        p.startswith(f"{file}:") and "paragraphs[1]: the English is 0.29 times" in p
        for p in problems
    ), problems


def _review(library: Path) -> Path:
    return library / "review" / "elements.yaml"


def test_article_28_element_without_review_element_is_reported(library: Path) -> None:
    file = _review(library)
    text = file.read_text("utf-8")
    start = text.index('  - id: "28(3)(b)"')
    end = text.index("\n  - id:", start)
    file.write_text(text[:start] + text[end + 1 :], "utf-8")
    problems = check_library(library)
    assert problems == [f"{file}: no review element for the Art. 28 element 28(3)(b)"]


def test_review_pattern_that_is_no_regex_is_reported(library: Path) -> None:
    file = _review(library)
    _edit(file, r"'\bsecret (professionnel|medical)\b'", r"'\bsecret (professionnel|medical\b'")
    (problem,) = check_library(library)
    assert problem.startswith(f"{file}:") and "elements[25].patterns.fr[0]" in problem
    assert "not a regular expression" in problem


def test_review_example_misjudged_is_reported(library: Path) -> None:
    file = _review(library)
    _edit(file, "Les Parties protègent le secret des affaires", "Le secret médical protège")
    (problem,) = check_library(library)
    assert "elements[25].examples.fr.missing[0]" in problem
    assert problem.endswith("judged found, not missing")


def test_review_proposed_clause_must_exist(library: Path) -> None:
    file = _review(library)
    _edit(file, "proposed: dpa.special_categories", "proposed: dpa.secrecy")
    (problem,) = check_library(library)
    assert problem.endswith("no DPA clause has the id 'dpa.secrecy'")


def test_review_element_needs_both_languages(library: Path) -> None:
    file = _review(library)
    text = file.read_text("utf-8")
    start = text.index('  - id: "secrecy"')
    en = text.index("      en:\n", start)
    end = text.index("    examples:", en)
    file.write_text(text[:en] + text[end:], "utf-8")
    (problem,) = check_library(library)
    assert problem.startswith(f"{file}:")
    assert problem.endswith("elements[25].patterns.en: required field missing")


def test_review_article_needs_a_citation_style(library: Path) -> None:
    file = _review(library)
    _edit(file, 'articles: ["CSP L.1110-4"]', 'articles: ["CSP L.1110-4", "Code pénal 226-13"]')
    (problem,) = check_library(library)
    assert problem.endswith("elements[25].articles[1]: no citation style for 'Code pénal 226-13'")


def test_review_proposed_answers_must_exist(library: Path) -> None:
    file = _review(library)
    _edit(file, "proposed_from: proposed.yaml", "proposed_from: neutral.yaml")
    (problem,) = check_library(library)
    assert problem.endswith("proposed_from: no answers file neutral.yaml beside this one")
