"""Shared fixtures: the examples, built once per test session, and ways to read a .docx back;
the answers files tests share (tests/answers/); the CI switches that turn skips into failures."""

from __future__ import annotations

import importlib.util
import os
import re
import shlex
import shutil
import sys
import zipfile
from pathlib import Path
from types import ModuleType
from typing import Any, NamedTuple, NoReturn

import pytest
import yaml
from docx_check import paragraph_texts
from lxml import etree

from generator.answers.languages import in_language
from generator.answers.load import load_answers
from generator.answers.model import Answers, Language
from generator.cli import demo_editions, main
from generator.legal.assessment import DocumentDue, assess
from generator.library.load import default_library
from generator.library.plan import document_filename

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
ANSWERS = Path(__file__).resolve().parent / "answers"
# The smallest complete answers file; tests change one line of it at a time (line numbers count).
MINIMAL = (ANSWERS / "minimal.yaml").read_text("utf-8")
# The agreements a build writes, without the pack that travels with them (notice, poster,
# record, DPIA): tests about an agreement's text build these only (`build --only`).
AGREEMENTS = "dpa,protocol-annex,joint-controllers,convention-unique-description"
_TEXT_PARTS = re.compile(r"^word/(document|header\d*|footer\d*)\.xml$")


class Case(NamedTuple):
    """One document `clausier demo` builds: from which example, in which language. `answers`
    are as the document prints them: each free text in its language (answers.languages)."""

    example: Path
    answers: Answers
    language: Language
    due: DocumentDue
    name: str


def expected_documents(example: Path) -> list[Case]:
    """The single-language documents `clausier demo` builds of an example: French, and
    English where no party must contract in French."""
    answers = load_answers(example)
    library = default_library()
    return [
        Case(
            example,
            in_language(answers, Language(edition)),
            Language(edition),
            due,
            document_filename(due, answers, library.documents[due.kind.value], Language(edition)),
        )
        for edition in demo_editions(example)
        if edition != "bilingual"
        for due in assess(answers).documents
    ]


def bilingual_documents(example: Path) -> list[str]:
    """The side-by-side documents the demo builds instead of English ones, where a party must
    contract in French."""
    if "bilingual" not in demo_editions(example):
        return []
    answers = load_answers(example)
    return [
        document_filename(
            due, answers, default_library().documents[due.kind.value], Language.FR
        ).removesuffix("-fr.docx")
        + "-fr-en.docx"
        for due in assess(answers).documents
    ]


ALL_DOCUMENTS = [case for example in EXAMPLES for case in expected_documents(example)]
BILINGUAL_DOCUMENTS = [name for example in EXAMPLES for name in bilingual_documents(example)]


def docx_paragraphs(path: Path) -> list[str]:
    """Every paragraph's text — body, tables, headers and footers — runs joined, with tabs and
    line breaks as \\t and \\n."""
    out: list[str] = []
    with zipfile.ZipFile(path) as package:
        for name in sorted(n for n in package.namelist() if _TEXT_PARTS.match(n)):
            root = etree.fromstring(package.read(name))
            out.extend(text for _, text in paragraph_texts(root))
    return out


def docx_text(path: Path) -> str:
    return "\n".join(docx_paragraphs(path))


def built_text(answers: Path, out: Path, lang: str, *extra: str, only: str = AGREEMENTS) -> str:
    """The text of the one document of the kinds `only` that `clausier build` writes (the one
    agreement, by default), no-break spaces (normal and narrow) read as spaces."""
    args = ("--out", out, "--force", "--lang", lang, "--only", only, *extra)
    assert run_cli("build", answers, *args) == 0
    (document,) = out.glob("*.docx")
    return docx_text(document).replace("\u00a0", " ").replace("\u202f", " ")


def draft_marks(answers: Path) -> dict[str, str]:
    """The file name of each document a --draft build of `answers` writes in their language
    (the agreements and the pack), with the draft mark of its kind."""
    loaded, library = load_answers(answers), default_library()
    return {
        document_filename(d, loaded, library.documents[d.kind.value], loaded.language): (
            library.documents[d.kind.value].texts.page["draft"].in_(loaded.language)
        )
        for d in assess(loaded).documents
    }


def run_cli(*args: str | Path) -> int:
    return main([str(a) for a in args])


def interview_bench() -> ModuleType:
    """bench/interview.py (a script, not a package): its answerer gives the keys that answer
    an example's whole interview."""
    name = "interview_bench"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, ROOT / "bench" / "interview.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module  # its dataclasses look their module up
        spec.loader.exec_module(module)
    return sys.modules[name]


@pytest.fixture(scope="session")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every example built in French and English, once for the whole session."""
    out = tmp_path_factory.mktemp("demo")
    assert run_cli("demo", "--out", out) == 0
    return out


def answers_with(text: str, **changes: Any) -> Answers:
    """The answers of a YAML text with some fields changed: `parties__1__country="CH"`."""
    data = yaml.safe_load(text)
    for dotted, value in changes.items():
        *parents, last = dotted.split("__")
        target = data
        for key in parents:
            target = target[int(key)] if key.isdigit() else target[key]
        target[last] = value
    return Answers.model_validate(data)


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


# CI switches: set to a true value, a test that would skip for want of a tool fails instead.
REQUIRE_LIBREOFFICE = "CLAUSIER_REQUIRE_LIBREOFFICE"
REQUIRE_TERMINAL = "CLAUSIER_REQUIRE_TERMINAL"
_TRUE, _FALSE = {"1", "true", "yes", "on"}, {"", "0", "false", "no", "off"}


def switch_on(value: str | None) -> bool:
    """1, true, yes, on (any case, spaces around) are on; unset, empty, 0, false, no, off are
    off; anything else is a mistake worth stopping for, not a silent skip."""
    word = (value or "").strip().lower()
    if word in _TRUE:
        return True
    if word in _FALSE:
        return False
    raise pytest.UsageError(f"not a yes/no value: {value!r} (use 1, true, yes or on)")


def required(variable: str) -> bool:
    """Whether the CI switch `variable` is on: a missing tool fails the test, not skips it."""
    return switch_on(os.environ.get(variable))


def missing_tool(variable: str, message: str) -> NoReturn:
    """A test cannot run for want of a tool: skip it, or fail it when CI requires the tool."""
    if required(variable):
        pytest.fail(message)
    pytest.skip(message)


def make_run_env(tmp_path: Path) -> dict[str, str]:
    """The environment in which `make run ...`, typed in the project folder as a user types
    it, runs this checkout's interview (python -m generator) through a stand-in virtual
    environment given to make in MAKEFLAGS: the project's .venv is never created, installed
    into or used. Make's variables inherited from `make test` are left out."""
    if not shutil.which("make"):
        missing_tool(REQUIRE_TERMINAL, "make is needed: apt-get install make")
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    clausier = venv / "bin" / "clausier"
    clausier.write_text(f'#!/bin/sh\nexec {shlex.quote(sys.executable)} -m generator "$@"\n')
    clausier.chmod(0o755)
    (venv / ".installed-stamp").touch()  # newer than pyproject.toml: nothing to install
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
    return {**env, "MAKEFLAGS": f"VENV={venv}"}


# The slowest test files, slowest first (--durations). `make test` runs each file whole on one
# worker, in collection order (pytest -n auto --dist loadfile --no-loadscope-reorder): the long
# files start first and the many short ones fill in at the end, rather than a long one last.
SLOWEST_FIRST = (
    "test_pdf.py",
    "test_properties.py",
    "test_build.py",
    "test_interview.py",
    "test_bench.py",
    "test_check.py",
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    rank = {name: place for place, name in enumerate(SLOWEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))  # stable: others keep order


def normalise_switches() -> None:
    """Set each CI switch to "1" or "0" (an unknown value stops the run): test_pdf.py compares
    its switch with "1", and must see any true value as on until it calls required() itself."""
    for variable in (REQUIRE_LIBREOFFICE, REQUIRE_TERMINAL):
        if variable in os.environ:
            os.environ[variable] = "1" if required(variable) else "0"


def pytest_configure(config: pytest.Config) -> None:
    normalise_switches()
