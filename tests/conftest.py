"""Shared fixtures: the examples, built once per test session, and ways to read a .docx back."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any, NamedTuple

import pytest
import yaml
from docx_check import paragraph_texts
from lxml import etree

from generator.answers.load import load_answers
from generator.answers.model import Answers, Language
from generator.cli import main
from generator.legal.assessment import DocumentDue, assess
from generator.library.load import default_library
from generator.library.plan import document_filename

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
_TEXT_PARTS = re.compile(r"^word/(document|header\d*|footer\d*)\.xml$")


class Case(NamedTuple):
    """One document `clausier demo` builds: from which example, in which language."""

    example: Path
    answers: Answers
    language: Language
    due: DocumentDue
    name: str


def expected_documents(example: Path) -> list[Case]:
    answers = load_answers(example)
    library = default_library()
    return [
        Case(
            example,
            answers,
            language,
            due,
            document_filename(due, answers, library.documents[due.kind.value], language),
        )
        for language in Language
        for due in assess(answers, language).documents
    ]


ALL_DOCUMENTS = [case for example in EXAMPLES for case in expected_documents(example)]


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


def run_cli(*args: str | Path) -> int:
    return main([str(a) for a in args])


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
