"""The Word templates fit their documents: every tag a name the renderer provides, every annex
of _document.yaml placed, and the committed templates what tools/make_templates.py makes. A
fault is one line naming the template, from `clausier check` and from a build alike."""

from __future__ import annotations

import importlib.util
import shutil
import zipfile
from collections.abc import Iterator
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from conftest import AGREEMENTS, ROOT, run_cli

from generator import resources
from generator.library.plan import ANNEX_NAMES, CONTRACT_NAMES, TEMPLATE_NAMES
from generator.word import render, templates

KINDS = sorted(p.parent.name for p in (ROOT / "clauses").glob("*/_document.yaml"))
EXAMPLE = ROOT / "examples" / "clinic-lab-results.yaml"  # one DPA
PROVIDED = ", ".join(sorted(TEMPLATE_NAMES))


def _clear_caches() -> None:
    for cached in (templates.template_bytes, templates._uses, templates._problems):
        cached.cache_clear()


@pytest.fixture
def template_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A copy of the templates, which Clausier then uses."""
    copy = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", copy)
    real = resources.data_dir
    monkeypatch.setattr(
        resources, "data_dir", lambda name: copy if name == "templates" else real(name)
    )
    _clear_caches()
    yield copy
    _clear_caches()


def _edit_part(docx: Path, part: str, old: str, new: str) -> None:
    """Change a part's XML inside a .docx, as a lawyer's edit in Word would."""
    with zipfile.ZipFile(docx) as package:
        items = [(info, package.read(info)) for info in package.infolist()]
    with zipfile.ZipFile(docx, "w", zipfile.ZIP_DEFLATED) as package:
        for info, data in items:
            if info.filename == part:
                assert old.encode() in data, f"{old!r} not in {part}"
                data = data.replace(old.encode(), new.encode())
            package.writestr(info, data)


def _check_lines(capsys: pytest.CaptureFixture[str], *args: str | Path) -> list[str]:
    """The problems `clausier check` reports about templates; it must exit 2."""
    assert run_cli("check", *args) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and "internal error" not in err
    return [line for line in err.splitlines() if ".docx: " in line]


def _build_error(capsys: pytest.CaptureFixture[str], out: Path, *args: str | Path) -> str:
    """What a refused build prints: exit 2, one line, no traceback."""
    capsys.readouterr()
    assert run_cli("build", EXAMPLE, "--out", out, *args) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and "internal error" not in err
    assert not out.exists() or not any(out.iterdir())
    return err


def test_shipped_templates_fit_the_library() -> None:
    from generator.library.load import default_library

    assert templates.check_templates(default_library()) == []


def test_misspelt_tag_is_one_line(template_dir: Path, tmp_path: Path, capsys: Any) -> None:
    dpa = template_dir / "dpa.docx"
    _edit_part(dpa, "word/document.xml", "contents_label", "contents_lable")
    line = f"{dpa}: unknown name 'contents_lable' (the renderer provides: {PROVIDED})"
    assert _check_lines(capsys) == [line]
    assert _build_error(capsys, tmp_path / "out") == f"clausier: {line}\n"


def test_annex_without_a_place_is_one_line(tmp_path: Path, capsys: Any) -> None:
    library = tmp_path / "clauses"
    shutil.copytree(ROOT / "clauses", library)
    document = library / "dpa" / "_document.yaml"
    text = document.read_text(encoding="utf-8")
    annex = (
        "annexes:\n  foo:\n    title: {fr: Annexe V – Foo, en: Annex V – Foo}\n"
        "    paragraphs:\n      - {fr: Texte., en: Text.}\n"
    )
    document.write_text(text.replace("annexes:\n", annex, 1), encoding="utf-8")
    problem = "annex 'foo' of dpa/_document.yaml has no place in the template"
    lines = [
        f"{ROOT / 'templates' / name}: {problem} (run tools/make_templates.py)"
        for name in ("dpa.docx", "dpa-bilingual.docx")
    ]
    assert _check_lines(capsys, "--clauses", library) == lines
    err = _build_error(capsys, tmp_path / "out", "--clauses", library)
    assert err == f"clausier: {lines[0]}\n"
    err = _build_error(capsys, tmp_path / "out", "--clauses", library, "--lang", "bilingual")
    assert err == f"clausier: {lines[1]}\n"


def test_template_annex_unknown_to_the_document_is_reported(tmp_path: Path) -> None:
    """A firm's _document.yaml is held to Clausier's templates, which it uses."""
    from generator.library.load import default_library

    firm = tmp_path / "firm"
    shutil.copytree(ROOT / "clauses" / "protocol-annex", firm / "protocol-annex")
    document = firm / "protocol-annex" / "_document.yaml"
    key = next(iter(default_library().documents["protocol-annex"].texts.annexes))
    text = document.read_text(encoding="utf-8")
    assert f"\n  {key}:\n" in text
    document.write_text(text.replace(f"\n  {key}:\n", f"\n  {key}_bis:\n", 1), "utf-8")
    problems = templates.check_templates(default_library(firm))
    remake = "(run tools/make_templates.py)"
    assert problems == [
        line
        for name in ("protocol-annex.docx", "protocol-annex-bilingual.docx")
        for line in (
            f"{ROOT / 'templates' / name}: annex '{key}_bis' of protocol-annex/_document.yaml "
            f"has no place in the template {remake}",
            f"{ROOT / 'templates' / name}: annex '{key}' of the template is not in "
            f"protocol-annex/_document.yaml {remake}",
        )
    ]


def test_deeper_names_are_checked(template_dir: Path, capsys: Any) -> None:
    dpa = template_dir / "dpa.docx"
    _edit_part(dpa, "word/document.xml", "contract.between", "contract.betwen")
    _edit_part(dpa, "word/document.xml", ".headers[0]", ".header[0]")
    assert _check_lines(capsys) == [
        f"{dpa}: unknown name 'contract.betwen' "
        f"(a contract provides: {', '.join(sorted(CONTRACT_NAMES))})",
        f"{dpa}: unknown name 'annexes.sub_processors.header' "
        f"(an annex provides: {', '.join(sorted(ANNEX_NAMES))})",
    ]


def _template_module() -> Any:
    spec = importlib.util.spec_from_file_location(
        "make_templates", ROOT / "tools" / "make_templates.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("bilingual", [False, True], ids=["single", "bilingual"])
@pytest.mark.parametrize("kind", KINDS)
def test_committed_templates_are_current(kind: str, bilingual: bool) -> None:
    """Every part equals what tools/make_templates.py makes (the zip's own times differ)."""
    made = BytesIO()
    _template_module().build(kind, bilingual).save(made)
    name = templates.template_name(kind, bilingual)
    with zipfile.ZipFile(made) as new, zipfile.ZipFile(ROOT / "templates" / f"{name}.docx") as old:
        assert sorted(new.namelist()) == sorted(old.namelist())
        stale = [part for part in old.namelist() if new.read(part) != old.read(part)]
    assert not stale, f"templates/{name}.docx is stale in {stale}: run tools/make_templates.py"


def test_names_are_those_a_plan_holds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """TEMPLATE_NAMES, CONTRACT_NAMES and ANNEX_NAMES are the keys plans give templates, with a
    contract and without, in one language and both."""
    contexts: list[dict[str, Any]] = []
    agreements: list[dict[str, Any]] = []
    original = render.render

    def recording(plan: Any, answers: Any) -> bytes:
        contexts.append(plan.template_context)
        if plan.kind.value in AGREEMENTS.split(","):
            agreements.append(plan.template_context)
        return original(plan, answers)

    monkeypatch.setattr(render, "render", recording)
    for example in ("research-joint-reuse", "research-snds-authorisation"):
        for edition in ("fr", "bilingual"):
            out = tmp_path / f"{example}-{edition}"
            answers = ROOT / "examples" / f"{example}.yaml"
            assert run_cli("build", answers, "--out", out, "--lang", edition) == 0
    # Every agreement has its annexes; the pack built with them is held to the same names.
    assert {len(c["annexes"]) > 0 for c in agreements} == {True}
    assert len(contexts) > len(agreements)
    assert {c["contract"] is None for c in contexts} == {True, False}
    for context in contexts:
        assert set(context) == TEMPLATE_NAMES
        if context["contract"] is not None:
            assert set(context["contract"]) == CONTRACT_NAMES
        for annex in context["annexes"].values():
            assert set(annex) == ANNEX_NAMES
