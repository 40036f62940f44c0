"""One language on screen from start to end (issue 14 items 2 and 3).

A whole interview is run through prompt_toolkit pipe input with a VT100 output written to a
string: that stream is what a terminal would show (every prompt, its instructions, the echoes,
the findings), so a French interview fails here on any English word of the interface, and an
English one on any French word. Each example's interview is run from scratch and answered key
by key with the example's values, as a user types them (the keys bench/interview.py computes):
its yes/no questions, single and multiple choices, texts, the review screen and the findings
are all shown. `clausier assess` is checked the same way, and the prompt chrome itself (o/n,
wrapping, pointer, Ctrl+B) in a real terminal (tmux).
"""

from __future__ import annotations

import io
import os
import re
import sys
import time
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, interview_bench, run_cli
from prompt_toolkit.application import create_app_session
from prompt_toolkit.data_structures import Size
from prompt_toolkit.document import Document
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.layout.processors import TransformationInput
from prompt_toolkit.output.vt100 import Vt100_Output
from test_terminal import Terminal, _tmux

from generator.answers.model import Language
from generator.interview.app import run_interview
from generator.interview.i18n import translator
from generator.interview.screen import Words, WordWrap, wrap
from generator.legal.assessment import ALL_RULES
from generator.legal.findings import Finding, Severity
from generator.library.load import default_library
from generator.library.messages import Messages, cite

DPA = ROOT / "examples" / "clinic-lab-results.yaml"
RESEARCH = ROOT / "examples" / "research-observational-cro.yaml"

# Words of the interface (prompts, menus, findings, headings), never those of the user's answers
# or of the answers file's field names and codes. Matched as whole words, case-sensitive.
ENGLISH = (
    "Yes", "No", "done", "selections", "Use arrow keys", "arrow keys", "Space", "Enter", "Tick",
    "blocker", "warning", "info", "GDPR", "Review", "Confirm", "Change an answer", "Build",
    "Stop here", "Answers written", "none", "documents due", "research route", "Regulation",
    "Law", "Civil Code", "Interrupted", "General", "Section \\d+ of",
)  # fmt: skip
FRENCH = (
    "Oui", "Non", "aucun", "aucune", "Espace", "Entrée", "flèches", "coche", "Cochez",
    "bloquant", "avertissement", "\\[information\\]", "RGPD", "Relisez", "Confirmer",
    "Modifier une réponse", "Réponses écrites", "documents à établir", "règlement", "loi",
    "Généralités", "Section \\d+ sur",
)  # fmt: skip
ESCAPES = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07]*\x07|\x1b[()][0-9A-Za-z]|\x1b[=>]")


def _foreign(text: str, words: tuple[str, ...]) -> list[str]:
    """Each word found, with what surrounds it."""
    found = (re.search(rf"(?<![\w.-]){w}(?![\w-])", text) for w in words)
    return [text[max(0, m.start() - 60) : m.end() + 60] for m in found if m]


def _screen(source: Path, language: str, out: Path, capsys: pytest.CaptureFixture[str]) -> str:
    """Everything a terminal shows of an interview started from scratch and typed key by key
    with `source`'s answers (Confirm on the review screen, a DRAFT if a finding blocks)."""
    bench = interview_bench()
    (out / "answered").mkdir()
    answerer, _status = bench.answer(source, out / "answered", language)
    keys = bench.keystrokes(answerer, language)
    capsys.readouterr()  # the screen is the typed run's alone
    stream = io.StringIO()
    output = Vt100_Output(
        stream, lambda: Size(rows=40, columns=100), term="xterm", enable_cpr=False
    )
    with create_pipe_input() as pipe, create_app_session(input=pipe, output=output):
        pipe.send_text(keys)
        pipe.close()
        status = run_interview(language, None, False, out)
    printed = capsys.readouterr()
    screen = " ".join(ESCAPES.sub(" ", stream.getvalue() + printed.out + printed.err).split())
    assert status in (0, 1), screen[-2000:]
    typed, answered = (folder / "answers.yaml" for folder in (out, out / "answered"))
    assert typed.read_text("utf-8") == answered.read_text("utf-8")  # every key was taken
    for answer in sorted(_texts(yaml.safe_load(source.read_text("utf-8"))), key=len, reverse=True):
        screen = screen.replace(answer, " ")  # the user's own words, in the documents' language
    return screen


def _texts(value: object) -> set[str]:
    if isinstance(value, dict):
        return {text for item in value.values() for text in _texts(item)}
    if isinstance(value, list):
        return {text for item in value for text in _texts(item)}
    return {" ".join(value.split())} if isinstance(value, str) else set()


@pytest.mark.parametrize("source", [DPA, RESEARCH], ids=["dpa", "research"])
def test_a_french_interview_shows_no_english_word(
    source: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    screen = _screen(source, "fr", tmp_path, capsys)
    assert "(O/n)" in screen or "(o/N)" in screen
    assert "Espace coche ou décoche, Entrée valide" in screen
    assert "flèches pour se déplacer, Entrée pour choisir" in screen
    assert re.search(r"\? (Oui|Non) ", screen)  # a yes/no answer echoed in French
    assert "[avertissement]" in screen or "[information]" in screen
    assert "Relisez vos réponses" in screen and "Confirmer ces réponses" in screen
    assert "Réponses écrites dans" in screen
    assert "{'fr'" not in screen  # a signatory's question is headed by its party's name
    assert re.search(r"› [^›{]+ — Nom du signataire pour cette partie", screen)
    # A list of texts goes item after item, an empty answer ending it: no "add another?".
    assert "Laisser vide s'il n'y en a pas d'autre." in screen
    assert "Ajouter une autre finalité" not in screen
    assert _foreign(screen, ENGLISH) == []


@pytest.mark.parametrize("source", [DPA, RESEARCH], ids=["dpa", "research"])
def test_an_english_interview_shows_no_french_word(
    source: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    screen = _screen(source, "en", tmp_path, capsys)
    assert "(Y/n)" in screen or "(y/N)" in screen
    assert "Space ticks or unticks, Enter confirms" in screen
    assert re.search(r"\? (Yes|No) ", screen)
    assert "[warning]" in screen or "[info]" in screen
    assert "Review your answers: pick a section, or confirm." in screen
    assert "Confirm these answers" in screen and "Answers written to" in screen
    assert "Leave empty if there is no other." in screen and "Add another task" not in screen
    assert _foreign(screen, FRENCH) == []


def test_yes_no_keys_are_the_languages_words() -> None:
    french, english = Words.of(translator("fr")), Words.of(translator("en"))
    assert (french.yes, french.no, french.keys) == ("Oui", "Non", ("o", "n"))
    assert (french.hint(True), french.hint(False)) == ("(O/n)", "(o/N)")
    assert (english.keys, english.hint(True)) == (("y", "n"), "(Y/n)")


def test_wrapping_breaks_at_spaces_never_inside_a_word() -> None:
    text = "Le fichier de réponses et tous les documents l'utiliseront ; l'autre langue pourra"
    lines = "".join(t for _s, t in wrap([("", text)], 30)).split("\n")
    assert all(len(line) <= 30 for line in lines) and len(lines) > 2
    assert [w for line in lines for w in line.split()] == text.split()
    assert "\u00a0" not in "".join(lines)  # plain spaces here; a no-break space never breaks


def test_a_typed_answer_wraps_between_words() -> None:
    """The first row starts after a 4-column prompt; "bbbb" would cross the 10th column: the
    space before it is widened to the row's end, and the cursor still maps to the source."""
    text = "aaaa bbbb cccc"
    document = Document(text)
    given = TransformationInput(None, document, 0, lambda i: i, [("", text)], 10, 1)  # type: ignore[arg-type]
    shown = WordWrap(lambda: 4).apply_transformation(given)
    display = "".join(piece for _style, piece, *_ in shown.fragments)
    assert display == "aaaa  bbbb cccc"  # 4 + "aaaa  " fills the first row of 10
    assert shown.source_to_display(5) == 6 and shown.display_to_source(6) == 5
    assert shown.display_to_source(5) == 5 and shown.source_to_display(14) == 15


def test_every_article_is_cited_in_each_language() -> None:
    articles = {a for rule in ALL_RULES.values() for a in rule.articles}
    french = {a: cite(a, Language.FR) for a in articles}
    english = {a: cite(a, Language.EN) for a in articles}
    assert french["GDPR 4(9)"] == "RGPD art. 4(9)"
    assert french["Arrêté 6 May 2024 (SNDS)"] == "arrêté du 6 mai 2024 (SNDS)"
    assert french["CSP L.1111-8"] == "CSP art. L. 1111-8"
    assert (
        english["GDPR 4(9)"] == "GDPR 4(9)" and english["Loi 78-17 art. 73"] == "Law 78-17 art. 73"
    )
    assert _foreign(" ; ".join(french.values()), (*ENGLISH, "May")) == []
    assert _foreign(" ; ".join(english.values()), (*FRENCH, "mai", "Loi")) == []


def test_a_blocker_is_bloquant_in_french() -> None:
    finding = Finding(
        Severity.BLOCKER, "DPA_ROLES", ("GDPR 28(3)",), {"controllers": 2, "processors": 0}
    )
    french = Messages(default_library(), Language.FR).line(finding)
    english = Messages(default_library(), Language.EN).line(finding)
    assert french.startswith("  [bloquant] DPA_ROLES: ") and french.endswith("(RGPD art. 28(3))")
    assert english.startswith("  [blocker] DPA_ROLES: ") and english.endswith("(GDPR 28(3))")


@pytest.mark.parametrize("language", ["fr", "en"])
def test_assess_speaks_one_language(language: str, capsys: pytest.CaptureFixture[str]) -> None:
    """Headings, roles, document kinds, severities and citations: the language asked for (the
    finding codes and the answers file's field names stay as they are)."""
    examples = sorted((ROOT / "examples").glob("*.yaml"))
    for example in examples:
        run_cli("assess", example, "--lang", language)
    text = capsys.readouterr().out
    text = re.sub(r"\b[A-Z0-9]+(_[A-Z0-9]+)+\b", "", text)  # finding codes
    text = "\n".join(line for line in text.splitlines() if not line.startswith(str(ROOT)))
    if language == "fr":
        assert "RGPD art. 28(3)" in text and "documents à établir" in text
        assert _foreign(text, (*ENGLISH, "controller", "processor", "sponsor")) == []
    else:
        assert "GDPR 28(3)" in text and "[info]" in text
        assert _foreign(text, (*FRENCH, "promoteur", "sous-traitant")) == []


# A real terminal: the chrome of the prompts -----------------------------------------------------


@pytest.fixture
def terminal(tmp_path: Path):
    screen = Terminal(_tmux(), f"clausier-screen-{os.getpid()}")
    yield screen
    screen.close()


def _start(terminal: Terminal, tmp_path: Path, language: str = "fr", columns: int = 60) -> None:
    command = f"{sys.executable} -m generator interview --lang {language} --out {tmp_path}"
    terminal.run(f"cd {ROOT} && exec {command}")
    terminal.resize(columns, 40)


def test_help_wraps_at_word_boundaries_and_the_pointer_is_reversed(
    terminal: Terminal, tmp_path: Path
) -> None:
    _start(terminal, tmp_path)
    terminal.wait_for("français (fr)")
    for _attempt in range(50):  # redrawn at the new width
        screen = terminal.screen()
        if all(len(line) < 60 for line in screen.splitlines()):
            break
        time.sleep(0.1)
    assert all(len(line) < 60 for line in screen.splitlines()), screen
    help_text = translator("fr")(
        "The answers file and every document will use it; you can build the other later."
    )
    help_text = help_text.replace("\u00a0", " ")  # a terminal shows a no-break space as a space
    assert len(help_text) > 60 and help_text in " ".join(screen.split())  # each word whole
    styled = subprocess_capture(terminal)
    pointed = next(line for line in styled.splitlines() if "français (fr)" in line)
    assert "\x1b[7m" in pointed or ";7m" in pointed  # reverse video, seen on any background


def subprocess_capture(terminal: Terminal) -> str:
    import subprocess

    return subprocess.run(
        [*terminal.tmux, "capture-pane", "-e", "-p", "-t", terminal.name],
        capture_output=True,
        text=True,
    ).stdout


def test_a_french_yes_no_answers_to_o_and_echoes_oui(terminal: Terminal, tmp_path: Path) -> None:
    _start(terminal, tmp_path, columns=100)
    terminal.wait_for("français (fr)")
    terminal.keys("Enter")
    screen = terminal.wait_for("(o/N)")
    assert "Y/n" not in screen and "y/N" not in screen
    terminal.keys("y")  # not a key of this language: nothing happens
    terminal.keys("o")
    screen = terminal.wait_for("Oui")
    assert re.search(r"centres\) \? Oui", " ".join(screen.split()))


def test_ctrl_b_shows_the_question_again_once(terminal: Terminal, tmp_path: Path) -> None:
    _start(terminal, tmp_path, columns=100)
    terminal.wait_for("français (fr)")
    terminal.keys("Enter")
    terminal.wait_for("(o/N)")
    terminal.keys("n")
    terminal.wait_for("Identifiant court")
    terminal.keys("chu-test", "Enter")
    terminal.wait_for("Nom de la partie")
    terminal.keys("CHU de Test", "Enter")
    terminal.wait_for("Forme juridique")
    terminal.keys("C-b")
    screen = terminal.wait_for("> CHU de Test")
    assert screen.count("Nom de la partie") == 1
    assert "Forme juridique" not in screen
    assert screen.count("Section 1 sur") == 1
    terminal.keys("C-b")  # back again, over the section heading, to the research question
    terminal.keys("C-b")
    screen = terminal.wait_for("(o/N)")
    assert "Identifiant court" not in screen and "Section 1 sur" not in screen
    assert screen.count("projet de recherche") == 1
