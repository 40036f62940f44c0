"""The interview: its state machine driven directly, and two full runs at the keyboard.

Most tests drive the interview's own loop (generator/interview/app.py: the steps, Ctrl+B, the
review, the findings, the files, the state saved after each answer) with a `User` in place of
the terminal's prompts: it answers each question with what prompt_toolkit would return for a
target answers file. The prompt layer itself (keys, validation, defaults, Ctrl+B, Ctrl+C with
a half-typed answer) is typed through prompt_toolkit pipe input by two full keyboard runs and a
few single questions; tests/test_terminal.py runs it in a real terminal.

The keystrokes of a keyboard run are computed from a target answers file by replaying the
interview's own steps, so it types exactly what a user would type to produce that file. The
pipe is closed once the keys are sent: keys that run out end the interview (EOFError, exit 2)
instead of leaving it waiting for input.
"""

from __future__ import annotations

import copy
import datetime as dt
import errno
import functools
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from enum import Enum
from pathlib import Path
from typing import Any

import pytest
import questionary
import yaml
from conftest import ROOT, docx_text, draft_marks, make_run_env, run_cli
from prompt_toolkit.application import create_app_session
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput
from pydantic import Field, ValidationError

from generator.answers.languages import in_language
from generator.answers.load import load_answers
from generator.answers.model import Answers, Language, Translations
from generator.answers.yamlfile import read_yaml
from generator.errors import OutputError
from generator.interview import session
from generator.interview.app import _CONFIRM as CONFIRM
from generator.interview.app import _SECTIONS as SECTIONS
from generator.interview.app import Prompter, resume_command, run_interview
from generator.interview.i18n import translator
from generator.interview.prompts import BACK, Interrupted, ask, parse
from generator.interview.prompts import _label as prompt_label
from generator.interview.questions import LIST_END, LIST_KEEP, LIST_NONE, SPECS, gather
from generator.interview.session import STATE_FILE, State, collect, pending
from generator.interview.walk import Step, Walker, get, meta_key

DOWN, UP, CLEAR, ENTER, CTRL_B, CTRL_C = "\x1b[B", "\x1b[A", "\x15", "\r", "\x02", "\x03"
PASTE_START, PASTE_END = "\x1b[200~", "\x1b[201~"  # a terminal's bracketed paste
# The example most tests answer: a private clinic and a lab-results service (read, never changed).
CLINIC = ROOT / "examples" / "clinic-lab-results.yaml"
CLINIC_ANSWERS = yaml.safe_load(CLINIC.read_text("utf-8"))
# The shortest interview (a study inside one hospital): the English keyboard run.
INTERNAL = ROOT / "examples" / "research-internal-study.yaml"


# What a user answers ---------------------------------------------------------------------


def _wanted(step: Step, target: dict[str, Any], offered: Any) -> Any:
    """The value `target` gives `step`, as the interview state records it (a data flow sent
    alike by several parties is asked once, with its senders)."""
    target = gather(target)
    if step.kind == "has":
        return get(target, step.path[:-1]) is not None
    if step.kind == "more":
        return step.path[-1] < len(get(target, step.path[:-2]) or [])
    value = get(target, step.path)
    if step.free_text and isinstance(value, dict):  # {fr, en}: typed in the documents' language
        value = value.get(target.get("language", "fr"))
    if value is None and step.info is not None and not step.optional:
        return offered  # absent from the file: the model's default, as the question offers it
    return value.isoformat() if isinstance(value, dt.date) else value


def _returned(step: Step, value: Any, gettext: Callable[[str], str]) -> Any:
    """What the step's prompt returns when the user answers `value`: typed text goes through
    the prompt's own parsing and validation (a value the prompt would refuse fails the test)."""
    if step.kind in ("text", "int", "date"):
        return parse(step, "" if value is None else str(value), gettext)
    if step.kind == "choice":
        return None if value is None or value == "" else step.value_of(str(value))
    if step.kind == "choices":
        wanted = {str(v) for v in value or []}
        return [c for c in step.choices if c in wanted]  # a checkbox gives the list's order
    return bool(value)


def _accepted(step: Step, offered: Any, gettext: Callable[[str], str]) -> Any:
    """What the step's prompt returns when the user presses Enter on what it offers."""
    if step.kind == "choice" and (offered is None or str(offered) not in step.choices):
        return None if step.optional else step.value_of(step.choices[0])
    return _returned(step, offered, gettext)


Hook = Callable[[Step, Any], Any]  # (the step, what it offers) -> the prompt's result, or raise


class User:
    """Answers the interview's questions as a user at the keyboard would, without a terminal:
    each step gets the value the target answers file gives it (target None: Enter on whatever
    is offered); `at` replaces the answer to the n-th question asked (from 0) — another value,
    BACK, or an exception (Interrupted for Ctrl+C, EOFError for a closed terminal). The review
    screen gets the `review` picks (a section's number, and the start of an answer's line in
    it, as shown), then "Confirm"; the findings menu the `findings` picks (a value, or the start
    of a choice's title)."""

    def __init__(
        self,
        target: dict[str, Any] | None,
        at: dict[int, Hook] | None = None,
        review: Sequence[tuple[int, str]] = (),
        findings: Sequence[Any] = (),
        replace: bool | None = None,
        start: Sequence[str | bool] = (),
    ):
        self.target, self.at = target, dict(at or {})
        self.review, self.findings, self.replace = list(review), list(findings), replace
        self.start = list(start)  # where an interview is saved: "resume"/"anew", confirmations
        self.asked: list[tuple[Step, Any, str]] = []  # each question: step, offered, instruction
        self.confirmations: list[str] = []
        self.menus: list[tuple[str, list[Any]]] = []  # each menu shown: message, choices
        self.section = CONFIRM  # the review's section shown

    def prompter(self) -> Prompter:
        return Prompter(ask=self.ask, select=self.select, confirm=self.confirm)

    def ask(
        self,
        step: Step,
        message: str,
        instruction: str,
        offered: Any,
        language: str,
        gettext: Callable[[str], str],
    ) -> Any:
        number = len(self.asked)
        self.asked.append((step, offered, instruction))
        if number in self.at:
            return self.at.pop(number)(step, offered)
        if self.target is None:
            return _accepted(step, offered, gettext)
        return _returned(step, _wanted(step, self.target, offered), gettext)

    def select(self, message: str, choices: Sequence[questionary.Choice]) -> Any:
        self.menus.append((message, list(choices)))
        options = [c for c in choices if not isinstance(c, questionary.Separator)]
        values = [c.value for c in options]
        if values == ["resume", "anew"]:  # an interview is saved where this one starts
            assert self.start, f"unexpected menu: {message}"
            return self.start.pop(0)
        if CONFIRM in values:  # the review's sections: the next pick's, or "Confirm"
            self.section = self.review[0][0] if self.review else CONFIRM
            return self.section
        if SECTIONS in values:  # one section's answers: the next pick in it, or back
            if not self.review or self.review[0][0] != self.section:
                return SECTIONS
            wording = self.review.pop(0)[1]
            titles = {c.value: re.sub(r"\n +", " ", str(c.title)) for c in options}
            return next(v for v, title in titles.items() if title.startswith(wording))
        assert self.findings, f"unexpected menu: {message}"
        pick = self.findings.pop(0)
        if pick not in values:
            pick = next(c.value for c in options if str(c.title).startswith(pick))
        return pick

    def confirm(self, message: str, default: bool) -> bool:
        self.confirmations.append(message)
        if self.start and isinstance(self.start[0], bool):  # confirms starting anew, or not
            return bool(self.start.pop(0))
        assert self.replace is not None, f"unexpected question: {message}"
        return self.replace

    def count_until(self, key: str) -> int:
        """How many questions come before the first one of `key` (e.g. "parties.*.name")."""
        assert self.target is not None
        state = State(language="fr")
        count = 0
        while (step := pending(state)[0]) is not None and step.key != key:
            state.record(step, _wanted(step, self.target, state.offered(step)))
            count += 1
        assert step is not None, key
        return count


@pytest.fixture
def out(tmp_path: Path) -> Iterator[Path]:
    """The interview's output folder, on a RAM disk where there is one: the state is saved and
    fsync'd after every answer, a few thousand times in this module (milliseconds each on a
    disk). Saving itself is the same code either way."""
    shm = Path("/dev/shm")
    if not (shm.is_dir() and os.access(shm, os.W_OK)):
        yield tmp_path
        return
    with tempfile.TemporaryDirectory(dir=shm, prefix="clausier-interview-") as folder:
        yield Path(folder)


def interview(user: User, out: Path, language: str = "fr", **options: Any) -> int:
    source, resume = options.get("source"), options.get("resume", False)
    return run_interview(language, source, resume, out, user.prompter())


def ctrl_c(typed: str = "") -> Hook:
    """Ctrl+C at a question, with `typed` half typed (what the prompt raises)."""

    def hook(step: Step, offered: Any) -> Any:
        raise Interrupted(typed)

    return hook


def _saved(folder: Path) -> dict[str, Any]:
    return json.loads((folder / STATE_FILE).read_text("utf-8"))


def _same(written: Path, expected: Path | dict[str, Any], both_languages: bool = False) -> None:
    """Equal answers; a multiple choice comes back in the list's order, not the file's. A user
    types free text in the documents' language: unless the interview started from a file that
    gave both (`both_languages`), the expected free text is that language's."""

    def canonical(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: canonical(v) for k, v in value.items()}
        if isinstance(value, list):
            items = [canonical(v) for v in value]
            return sorted(items) if all(isinstance(v, Enum) for v in value) else items
        return value

    def plain(answers: Answers) -> Any:
        if not both_languages:
            answers = in_language(answers, answers.language)
        dump = canonical(answers.model_dump(exclude={"parties": {"__all__": {"role_reasoning"}}}))
        if dump["research"]:  # a flow asked once for its senders comes back sender by sender
            dump["research"]["data_flows"].sort(key=repr)
        return dump

    wanted = (
        load_answers(expected) if isinstance(expected, Path) else Answers.model_validate(expected)
    )
    assert plain(load_answers(written)) == plain(wanted)


def interviewed(example: Path) -> dict[str, Any]:
    """The answers a from-scratch interview writes for an example: a study's retention is
    asked once, in its own section, so the processor's (processing.retention) is left out."""
    answers = yaml.safe_load(example.read_text("utf-8"))
    if answers.get("research"):
        del answers["processing"]["retention"]
    return answers


# The interview's state machine -------------------------------------------------------------


@pytest.mark.parametrize(
    ("example", "language"),
    [
        ("chu-teleconsultation.yaml", "fr"),
        ("clinic-lab-results.yaml", "en"),
        ("research-observational-cro.yaml", "fr"),
    ],
)
def test_full_run_writes_the_example_and_its_documents(
    out: Path, example: str, language: str
) -> None:
    source = ROOT / "examples" / example
    target = yaml.safe_load(source.read_text("utf-8"))
    assert interview(User(target), out, language) == 0
    _same(out / "answers.yaml", interviewed(source))
    documents = sorted(p.name for p in out.glob("*.docx"))
    assert documents and all(name.endswith(f"-{target['language']}.docx") for name in documents)
    assert not (out / STATE_FILE).exists()
    text = (out / "answers.yaml").read_text("utf-8")
    assert text.startswith("#") and "clausier build" in text


def test_roles_come_from_facts_with_their_reasoning(out: Path) -> None:
    source = ROOT / "examples" / "chu-teleconsultation.yaml"
    target = yaml.safe_load(source.read_text("utf-8"))
    hospital = target["parties"][0]
    hospital["determines_purposes"] = hospital["determines_essential_means"] = True
    user = User(target)
    assert interview(user, out, "en") == 0
    written = load_answers(out / "answers.yaml")
    assert written.parties[0].roles == ["controller"]
    assert "controller (Art. 4(7))" in (written.parties[0].role_reasoning or "")
    assert "processor" in (written.parties[1].role_reasoning or "")
    # The roles question shows the reasoning, and offers the roles the facts give.
    (roles_asked, *_) = [(o, i) for s, o, i in user.asked if s.path == ("parties", 0, "roles")]
    assert roles_asked[0] == ["controller"] and "controller (Art. 4(7))" in roles_asked[1]


def test_invalid_answer_is_refused_and_asked_again() -> None:
    """An unknown country code typed at the prompt: Enter is refused, the prompt stays, and the
    next answer is the one taken. (The keyboard run below types one too, mid-interview.)"""
    state = State(language="fr")
    while (step := pending(state)[0]) is not None and step.key != "parties.*.country":
        state.record(step, _wanted(step, CLINIC_ANSWERS, state.offered(step)))
    assert step is not None
    _ = translator("fr")
    with pytest.raises(ValueError, match="ISO 3166"):
        parse(step, "XX", _)
    keys = f"{CLEAR}XX{ENTER}{CLEAR}FR{ENTER}"
    assert _typed(keys, step, state.offered(step)) == "FR"


def test_ctrl_b_goes_back_with_the_previous_answer(out: Path) -> None:
    name = CLINIC_ANSWERS["parties"][0]["name"]
    at_name = User(CLINIC_ANSWERS).count_until("parties.*.name")

    def again(step: Step, offered: Any) -> Any:
        assert step.key == "parties.*.name" and offered == "Wrong name"
        return name

    hooks: dict[int, Hook] = {
        at_name: lambda step, offered: "Wrong name",
        at_name + 1: lambda step, offered: BACK,  # Ctrl+B at the next question
        at_name + 2: again,
    }
    user = User(CLINIC_ANSWERS, at=hooks)
    assert interview(user, out, "fr") == 0
    assert not user.at  # every hook ran
    _same(out / "answers.yaml", CLINIC)


def test_review_screen_changes_an_answer(out: Path) -> None:
    """Picked on the review screen, the language is asked again (French offered); English."""

    def english(step: Step, offered: Any) -> Any:
        assert (step.key, offered) == ("language", "fr")
        return "en"

    wording = translator("fr")(SPECS["language"].text)
    after_the_last = len(_questions_of(CLINIC_ANSWERS))
    user = User(CLINIC_ANSWERS, at={after_the_last: english}, review=[(0, wording)])
    assert interview(user, out, "fr") == 0
    assert not user.at and not user.review
    written = load_answers(out / "answers.yaml")
    assert written.language == "en"
    assert list(out.glob("*-en.docx")) and not list(out.glob("*-fr.docx"))


def test_ctrl_c_then_resume_loses_nothing(out: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert interview(User(CLINIC_ANSWERS, at={25: ctrl_c()}), out, "fr") == 130
    assert "--resume" in capsys.readouterr().out
    assert len(_saved(out)["history"]) == 25
    user = User(CLINIC_ANSWERS)
    assert interview(user, out, "fr", resume=True) == 0
    assert meta_key(user.asked[0][0].path) == _questions_of(CLINIC_ANSWERS)[25]
    _same(out / "answers.yaml", CLINIC)


def test_from_an_answers_file_opens_on_the_review(out: Path) -> None:
    """Amending a file: its answers stand, no question is asked, the review screen comes
    first; confirmed as it is, the file written is the one given."""
    source = ROOT / "examples" / "research-joint-reuse.yaml"
    user = User(None)  # "Confirm" on the review screen
    assert interview(user, out, "fr", source=source) == 0
    assert user.asked == []
    assert [message for message, _ in user.menus] == [
        translator("fr")("Review your answers: pick a section, or confirm.")
    ]
    _same(out / "answers.yaml", source, both_languages=True)


def test_existing_answers_are_not_replaced_without_asking(out: Path) -> None:
    (out / "answers.yaml").write_text("signed", "utf-8")
    user = User(None, replace=False)  # Enter through everything, then refuse to replace
    assert interview(user, out, "fr", source=CLINIC) == 1
    assert len(user.confirmations) == 1 and "answers.yaml" in user.confirmations[0]
    assert (out / "answers.yaml").read_text("utf-8") == "signed"
    assert (out / STATE_FILE).exists() and not list(out.glob("*.docx"))


def _without_terminal(out: Path) -> subprocess.CompletedProcess[str]:
    """`clausier interview --out OUT` run with no terminal: stdin is /dev/null."""
    return subprocess.run(
        [sys.executable, "-m", "generator", "interview", "--out", str(out)],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )


def test_not_a_terminal_points_to_build(out: Path) -> None:
    result = _without_terminal(out)
    assert result.returncode == 2
    assert "clausier build" in result.stderr


def test_closed_input_keeps_the_answers(out: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Input that ends mid-interview (a closed terminal, EOF) saves what was typed."""

    def closed(step: Step, offered: Any) -> Any:
        raise EOFError

    assert interview(User(CLINIC_ANSWERS, at={6: closed}), out, "fr") == 2
    assert "clausier build" in capsys.readouterr().err
    assert len(_saved(out)["history"]) == 6


def test_ctrl_c_at_every_question_loses_nothing(
    out: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Interrupted at each question in turn, resumed each time: the answers file at the end is
    the one an uninterrupted run writes."""
    questions = _questions_of(CLINIC_ANSWERS)
    assert interview(User(CLINIC_ANSWERS, at={0: ctrl_c()}), out, "fr") == 130
    for answered in range(1, len(questions) + 1):
        user = User(CLINIC_ANSWERS, at={1: ctrl_c()})  # answer one question, Ctrl+C at the next
        code = interview(user, out, "fr", resume=True)
        assert meta_key(user.asked[0][0].path) == questions[answered - 1]
        if answered < len(questions):
            assert code == 130, f"question {answered + 1}"
            assert _saved(out)["history"] == questions[:answered]
        else:
            assert code == 0  # the last answer, then the review screen and the files
    capsys.readouterr()
    _same(out / "answers.yaml", CLINIC)


class Crash(BaseException):
    """The process dying between two questions: no handler of the interview runs."""


def test_every_answer_is_on_disk_before_the_next_question(out: Path) -> None:
    """At each question, the state file holds every answer given before it (what a crash, a
    closed terminal or SIGKILL leaves); a crash there, then --resume, loses nothing."""
    answered: list[tuple[Step, Any]] = []
    user = User(CLINIC_ANSWERS)

    def asking(step: Step, *rest: Any) -> Any:
        if answered:
            saved = State(**_saved(out))
            assert saved.history == [meta_key(s.path) for s, _ in answered], step.key
            for earlier, value in answered:
                assert saved.value(earlier) == (earlier.default if value is None else value)
        if len(answered) == 40:
            raise Crash
        value = user.ask(step, *rest)
        answered.append((step, value))
        return value

    prompter = Prompter(ask=asking, select=user.select, confirm=user.confirm)
    with pytest.raises(Crash):
        run_interview("fr", None, False, out, prompter)
    assert len(_saved(out)["history"]) == 40
    resumed = User(CLINIC_ANSWERS)
    assert interview(resumed, out, "fr", resume=True) == 0
    assert meta_key(resumed.asked[0][0].path) == _questions_of(CLINIC_ANSWERS)[40]
    _same(out / "answers.yaml", CLINIC)


def test_full_disk_mid_interview_keeps_the_earlier_answers(
    out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A save that fails (disk full) is one clear error; the state on disk is the one of the
    answer before, with no temporary file, and --resume goes on from there."""
    real_fsync, calls = os.fsync, []

    def fsync(fd: int) -> None:
        calls.append(fd)
        if len(calls) == 4:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    with pytest.raises(OutputError) as caught:
        interview(User(CLINIC_ANSWERS, at={6: ctrl_c()}), out, "fr")
    assert "No space left on device" in str(caught.value) and "\n" not in str(caught.value)
    assert len(_saved(out)["history"]) == 3
    assert [p.name for p in out.iterdir()] == [STATE_FILE]

    monkeypatch.setattr(os, "fsync", real_fsync)
    user = User(CLINIC_ANSWERS)
    assert interview(user, out, "fr", resume=True) == 0
    assert meta_key(user.asked[0][0].path) == _questions_of(CLINIC_ANSWERS)[3]
    _same(out / "answers.yaml", CLINIC)


def test_ctrl_c_mid_answer_keeps_what_was_typed(
    out: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Interrupted while typing a party's name: --resume offers the half-typed name."""
    name = CLINIC_ANSWERS["parties"][0]["name"]
    at_name = User(CLINIC_ANSWERS).count_until("parties.*.name")
    assert interview(User(CLINIC_ANSWERS, at={at_name: ctrl_c(name[:5])}), out, "fr") == 130
    assert _saved(out)["typed"] == {"parties/0/name": name[:5]}
    # Resumed: the question offers the five letters; the answer completes the name.
    user = User(CLINIC_ANSWERS)
    assert interview(user, out, "fr", resume=True) == 0
    step, offered, _ = user.asked[0]
    assert (step.key, offered) == ("parties.*.name", name[:5])
    _same(out / "answers.yaml", CLINIC)


def test_findings_that_block_offer_a_draft_or_a_stop(
    out: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """With a blocker, "stop" keeps the answers for --resume; "draft" builds DRAFT documents."""
    target = yaml.safe_load(CLINIC.read_text("utf-8"))
    target["hosting"]["hds_certified"] = False  # health data with an uncertified host
    assert interview(User(target, findings=["stop"]), out, "fr") == 1
    assert (out / STATE_FILE).exists() and not (out / "answers.yaml").exists()
    assert interview(User(target, findings=["draft"]), out, "fr", resume=True) == 0
    marks = draft_marks(out / "answers.yaml")  # the DPA and the pack, each marked
    assert "PROJET – NE PAS SIGNER" in marks.values()
    assert sorted(p.name for p in out.glob("*.docx")) == sorted(marks)
    for name, mark in marks.items():
        assert mark in docx_text(out / name), name
    assert not (out / STATE_FILE).exists()


# Starting where an interview is saved: never over it ------------------------------------------


def _interrupted_after(answers: int, out: Path, language: str = "fr") -> dict[str, Any]:
    """An interview stopped by Ctrl+C after `answers` answers: its saved state."""
    assert interview(User(CLINIC_ANSWERS, at={answers: ctrl_c()}), out, language) == 130
    return _saved(out)


def test_the_same_command_again_offers_to_resume(
    out: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Started again without --resume where an interview is saved: a menu names the state file
    and its answers; resuming (the first choice) asks the next question, with every earlier
    answer kept."""
    _interrupted_after(7, out)
    user = User(CLINIC_ANSWERS, start=["resume"])
    assert interview(user, out, "fr") == 0
    assert str(out / STATE_FILE) in user.menus[0][0] and "réponses\u00a0: 7" in user.menus[0][0]
    assert meta_key(user.asked[0][0].path) == _questions_of(CLINIC_ANSWERS)[7]
    _same(out / "answers.yaml", CLINIC)


def test_starting_anew_asks_first_and_keeps_a_backup(
    out: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """ "Start anew" asks for a confirmation (no: back to the menu); confirmed, the saved state
    moves to a dated backup, never over an earlier one, and the first question comes."""
    before = _interrupted_after(7, out)
    user = User(CLINIC_ANSWERS, at={0: ctrl_c()}, start=["anew", False, "resume"])
    assert interview(user, out, "fr") == 130
    assert len(user.confirmations) == 1 and "Recommencer" in user.confirmations[0]
    assert _saved(out)["history"] == before["history"]
    assert not list(out.glob(f"{STATE_FILE}.bak-*"))

    user = User(CLINIC_ANSWERS, at={2: ctrl_c()}, start=["anew", True])
    assert interview(user, out, "fr") == 130
    (backup,) = out.glob(f"{STATE_FILE}.bak-*")
    assert re.fullmatch(rf"{re.escape(STATE_FILE)}\.bak-\d{{8}}-\d{{6}}", backup.name)
    assert json.loads(backup.read_text("utf-8")) == before
    assert str(backup) in capsys.readouterr().out
    assert meta_key(user.asked[0][0].path) == _questions_of(CLINIC_ANSWERS)[0]
    assert len(_saved(out)["history"]) == 2

    user = User(CLINIC_ANSWERS, at={0: ctrl_c()}, start=["anew", True])
    assert interview(user, out, "fr") == 130
    backups = set(out.glob(f"{STATE_FILE}.bak-*"))
    assert len(backups) == 2 and json.loads(backup.read_text("utf-8")) == before
    (second,) = backups - {backup}
    assert len(json.loads(second.read_text("utf-8"))["history"]) == 2


def test_a_backup_never_replaces_an_earlier_one(out: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Three states set aside in the same second: three backups."""

    class Frozen(dt.datetime):
        @classmethod
        def now(cls, tz: Any = None) -> Frozen:
            return cls(2026, 11, 30, 9, 45, 1)

    monkeypatch.setattr(session.dt, "datetime", Frozen)
    names = []
    for text in ("first", "second", "third"):
        (out / STATE_FILE).write_text(text, "utf-8")
        names.append(State.set_aside(out).name)
    stamp = f"{STATE_FILE}.bak-20261130-094501"
    assert names == [stamp, f"{stamp}-2", f"{stamp}-3"]
    assert [(out / name).read_text("utf-8") for name in names] == ["first", "second", "third"]
    assert not (out / STATE_FILE).exists()


def test_no_choice_possible_refuses_rather_than_start_over(
    out: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Where an interview is saved, input that ends before the choice is made, or no terminal
    at all: one line naming the state file and the command that continues it; the state is
    left as it was."""
    _interrupted_after(7, out, "en")
    saved = (out / STATE_FILE).read_bytes()
    assert keyboard("", out, "en") == 2
    error = capsys.readouterr().err.strip()
    assert str(out / STATE_FILE) in error and "--resume" in error and "\n" not in error
    assert (out / STATE_FILE).read_bytes() == saved

    result = _without_terminal(out)
    command = f"{shlex.quote(sys.executable)} -m generator interview --resume --out {out}"
    assert result.returncode == 2
    assert result.stderr == (
        f"clausier: an unfinished interview is saved in {out / STATE_FILE}; nothing was "
        f"overwritten. To continue it, run in a terminal: {command}\n"
    )
    assert (out / STATE_FILE).read_bytes() == saved


def test_resuming_keeps_the_interface_language(
    out: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Started in English on a French system: resumed in English, with --resume or from the
    menu; an explicit --lang on resume wins, and is kept."""
    monkeypatch.setenv("LC_ALL", "fr_FR.UTF-8")
    _interrupted_after(3, out, "en")
    capsys.readouterr()
    assert run_interview(None, None, True, out, User(None, at={0: ctrl_c()}).prompter()) == 130
    assert "\nInterrupted." in capsys.readouterr().out
    user = User(None, at={0: ctrl_c()}, start=["resume"])
    assert run_interview(None, None, False, out, user.prompter()) == 130
    assert user.menus[0][0].startswith("An unfinished interview")
    assert "\nInterrupted." in capsys.readouterr().out
    assert interview(User(None, at={0: ctrl_c()}), out, "fr", resume=True) == 130
    assert "\nInterrompu." in capsys.readouterr().out
    assert _saved(out)["language"] == "fr"


def test_every_resume_hint_prints_the_make_command_under_make(
    out: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Under `make run` (which sets CLAUSIER_MAKE_RUN), Ctrl+C, "stop" after the findings and
    "Nothing written" each print, in the interface language, `make run OUT=DIR RESUME=1`."""
    monkeypatch.setenv("CLAUSIER_MAKE_RUN", "1")
    hint = f"  make run OUT={shlex.quote(str(out))} RESUME=1\n"
    target = yaml.safe_load(CLINIC.read_text("utf-8"))
    target["hosting"]["hds_certified"] = False  # a blocker
    (out / "answers.yaml").write_text("signed", "utf-8")
    assert interview(User(target, at={3: ctrl_c()}), out, "fr") == 130
    assert capsys.readouterr().out.endswith(f"pour reprendre, lancez\u00a0:\n{hint}")
    assert interview(User(target, findings=["stop"]), out, "fr", resume=True) == 1
    assert capsys.readouterr().out.endswith(f"Arrêté. {_fr_saved()}{hint}")
    user = User(target, findings=["draft"], replace=False)
    assert interview(user, out, "fr", resume=True) == 1
    assert capsys.readouterr().out.endswith(f"Rien n'a été écrit. {_fr_saved()}{hint}")


def _fr_saved() -> str:
    return "Vos réponses sont enregistrées\u00a0; pour reprendre, lancez\u00a0:\n"


def test_resume_hint_names_the_program_as_started(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Outside make: the program as it was started (a path works from where it was typed), or
    its bare name when that is the one on the PATH."""
    monkeypatch.delenv("CLAUSIER_MAKE_RUN", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(sys, "argv", [".venv/bin/clausier", "interview"])
    assert resume_command(Path("out/my case")) == (
        ".venv/bin/clausier interview --resume --out 'out/my case'"
    )
    program = tmp_path / "clausier"
    program.write_text("#!/bin/sh\n", "utf-8")
    program.chmod(0o755)
    monkeypatch.setattr(sys, "argv", [str(program), "interview"])
    assert resume_command(Path("out/x")) == "clausier interview --resume --out out/x"


def _make_run(*variables: str, env: dict[str, str] | None = None) -> list[str]:
    """The interview command `make run` runs with these variables (make -n: nothing runs)."""
    if env is None:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("MAKE", "MFLAGS"))}
    if not shutil.which("make"):
        pytest.skip("make is needed: apt-get install make")
    shown = subprocess.run(
        ["make", "-n", "run", *variables], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert shown.returncode == 0, shown.stderr
    (line,) = [x for x in shown.stdout.replace("\\\n", " ").splitlines() if " interview " in x]
    return shlex.split(line)


def test_make_run_takes_resume_and_the_interface_language() -> None:
    """RESUME=1 passes --resume; UI=fr|en (or LANG=fr|en) the interface language, while a
    locale in LANG (C.UTF-8, inherited from the shell) passes nothing."""
    locale = {k: v for k, v in os.environ.items() if not k.startswith(("MAKE", "MFLAGS"))}
    locale["LANG"] = "C.UTF-8"
    command = _make_run("OUT=out/x", "RESUME=1", env=locale)
    assert command[:3] == ["CLAUSIER_MAKE_RUN=1", ".venv/bin/clausier", "interview"]
    assert command[3:] == ["--out", "out/x", "--resume"]
    assert _make_run("OUT=out/my case", env=locale)[3:] == ["--out", "out/my case"]
    assert _make_run("UI=en", env=locale)[3:] == ["--out", "out", "--lang", "en"]
    assert _make_run("LANG=fr", env=locale)[3:] == ["--out", "out", "--lang", "fr"]
    assert _make_run("UI=en", "LANG=fr", env=locale)[5:] == ["--lang", "en"]
    assert _make_run("RESUME=0", env={**locale, "LANG": "en_GB.UTF-8"})[3:] == ["--out", "out"]
    assert _make_run("ANSWERS=a.yaml", env=locale)[5:] == ["--from", "a.yaml"]


def test_make_run_without_a_terminal_names_the_state_and_its_make_command(
    out: Path, tmp_path: Path
) -> None:
    """`make run OUT=DIR` with no terminal where an interview is saved: the one line names the
    state and the make command that continues it; the state is untouched."""
    _interrupted_after(7, out)
    saved = (out / STATE_FILE).read_bytes()
    result = subprocess.run(
        ["make", "--no-print-directory", "run", f"OUT={out}", "UI=en"],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=make_run_env(tmp_path),
    )
    assert result.returncode == 2
    assert (
        f"clausier: an unfinished interview is saved in {out / STATE_FILE}; nothing was "
        f"overwritten. To continue it, run in a terminal: make run OUT={out} RESUME=1\n"
    ) in result.stderr
    assert (out / STATE_FILE).read_bytes() == saved


# The prompt layer: prompt_toolkit pipe input ------------------------------------------------


def _answer_keys(target: dict[str, Any], language: str, paste: bool = False) -> list[str]:
    """What a user types at each question to answer the whole interview with `target`; with
    `paste`, longer texts are pasted (one bracketed paste) rather than typed key by key."""
    state = State(language=language)
    keys = []
    while True:
        step, _ = pending(state)
        if step is None:
            return keys
        value = _wanted(step, target, state.offered(step))
        keys.append(_keys(step, state.value(step), value, paste, language))
        state.record(step, value)


def _questions_of(target: dict[str, Any]) -> list[str]:
    """The keys of the questions a from-scratch interview asks for `target`, in order."""
    if target is CLINIC_ANSWERS:
        return list(_clinic_questions())
    state, keys = State(language="fr"), []
    while (step := pending(state)[0]) is not None:
        keys.append(meta_key(step.path))
        state.record(step, _wanted(step, target, state.offered(step)))
    return keys


@functools.cache
def _clinic_questions() -> tuple[str, ...]:
    return tuple(_questions_of(copy.deepcopy(CLINIC_ANSWERS)))


def _text_keys(text: str, paste: bool = False) -> str:
    """Clear the offered text, type (or paste, if long) another, Enter."""
    if paste and len(text) > 20:
        text = PASTE_START + text + PASTE_END
    return CLEAR + text + ENTER


def _keys(step: Step, current: Any, value: Any, paste: bool = False, language: str = "fr") -> str:
    if step.kind in ("has", "more", "bool"):
        return ("o" if language == "fr" else "y") if value else "n"
    if step.kind in ("text", "int", "date"):
        return _text_keys("" if value is None else str(value), paste)
    if step.kind == "choice":
        options = ([""] if step.optional else []) + list(step.choices)
        at = options.index(str(current)) if current is not None and str(current) in options else 0
        to = options.index("" if value is None else str(value))
        return (DOWN * (to - at) if to >= at else UP * (at - to)) + ENTER
    checked = {str(v) for v in current or []}
    wanted = {str(v) for v in value or []}
    keys = ""
    for choice in step.choices:
        keys += (" " if (choice in wanted) != (choice in checked) else "") + DOWN
    return keys + ENTER


def keyboard(keys: str, out: Path, language: str, **options: Any) -> int:
    """The interview at the keyboard: every key sent up front, then the input closed."""
    with create_pipe_input() as pipe:
        pipe.send_text(keys)
        pipe.close()  # keys that run out end the interview rather than hang it
        with create_app_session(input=pipe, output=DummyOutput()):
            source, resume = options.get("source"), options.get("resume", False)
            return run_interview(language, source, resume, out)


def _typed(keys: str, step: Step, offered: Any, language: str = "fr") -> Any:
    """One question at the keyboard: what its prompt returns for `keys`."""
    with create_pipe_input() as pipe:
        pipe.send_text(keys)
        pipe.close()
        with create_app_session(input=pipe, output=DummyOutput()):
            return ask(step, "?", "", offered, language, translator(language))


def test_keyboard_run_with_a_refused_answer_a_step_back_and_a_review(out: Path) -> None:
    """The whole interview typed in French, longer texts pasted: an unknown country code
    refused then corrected, a wrong name undone with Ctrl+B, the language changed on the review
    screen."""
    keys = "".join(_answer_keys(CLINIC_ANSWERS, "fr", paste=True))
    country = _text_keys("FR")
    assert country in keys
    keys = keys.replace(country, _text_keys("XX") + country, 1)
    name = _text_keys(CLINIC_ANSWERS["parties"][0]["name"], paste=True)
    assert name in keys
    keys = keys.replace(name, _text_keys("Wrong name") + CTRL_B + name, 1)
    # Review: the first section after "Confirm" is the general one, its first answer the
    # language; switch it to English, back to the sections, confirm.
    keys += DOWN + ENTER + DOWN + ENTER + DOWN + ENTER + ENTER + ENTER
    assert keyboard(keys, out, "fr") == 0
    # What was typed in French stays French ({fr: ...}) once the documents are in English.
    typed = in_language(Answers.model_validate(CLINIC_ANSWERS), Language.FR)
    _same(out / "answers.yaml", {**typed.model_dump(mode="json"), "language": "en"})
    written = load_answers(out / "answers.yaml")
    assert written.processing.subject_matter == Translations(fr=typed.processing.subject_matter)
    assert list(out.glob("*-en.docx")) and not (out / STATE_FILE).exists()


def test_keyboard_ctrl_c_mid_answer_then_resume(out: Path) -> None:
    """The whole interview typed in English (longer texts pasted), interrupted while typing
    the first party's name: --resume shows the half-typed name, typing the rest completes it."""
    target = yaml.safe_load(INTERNAL.read_text("utf-8"))
    keys = _answer_keys(target, "en", paste=True)
    count = User(target).count_until("parties.*.name")
    name = target["parties"][0]["name"]
    assert keyboard("".join(keys[:count]) + name[:5] + CTRL_C, out, "en") == 130
    saved = _saved(out)
    assert len(saved["history"]) == count
    assert saved["typed"] == {"parties/0/name": name[:5]}
    rest = "".join(keys[count + 1 :]) + ENTER  # Enter: "Confirm" on the review screen
    assert keyboard(name[5:] + ENTER + rest, out, "en", resume=True) == 0
    _same(out / "answers.yaml", interviewed(INTERNAL))


def test_enter_keeps_what_each_kind_of_question_offers() -> None:
    """Enter at a question gives back what it offers: yes/no, one choice, several, a number, a
    date, text (what amending an answers file, every answer a default, relies on)."""
    data = read_yaml(ROOT / "examples" / "research-joint-reuse.yaml").data
    state = State(language="fr", data=data)  # as `clausier interview --from` starts
    _, steps = pending(state)
    seen: set[str] = set()
    for step in steps:
        offered = state.offered(step)
        if step.kind in seen or step.kind == "derived" or offered in (None, "", []):
            continue
        if step.kind == "choice" and str(offered) not in step.choices:
            continue
        seen.add(step.kind)
        assert _typed(ENTER, step, offered) == _accepted(step, offered, translator("fr")), step
    assert seen == {"has", "more", "bool", "choice", "choices", "int", "date", "text"}


def test_closed_input_at_a_question_is_the_end_of_input() -> None:
    """A terminal closed at a question ends the prompt with EOFError (the interview saves and
    exits 2), rather than waiting for keys that will never come."""
    step = pending(State(language="fr"))[0]
    assert step is not None
    with pytest.raises(EOFError):
        _typed("", step, None)


# A blocker fixed where it is (issue 14 item 5) ---------------------------------------------


def _no_ground(finding_values: dict[str, str], language: str = "fr") -> str:
    """The line said when a transfer ground is left empty: the assessment's own finding."""
    from generator.legal.assessment import ALL_RULES
    from generator.legal.findings import Finding, Severity
    from generator.library.load import default_library
    from generator.library.messages import Messages

    rule = ALL_RULES["TRANSFER_NO_SAFEGUARD"]
    finding = Finding(Severity.BLOCKER, "TRANSFER_NO_SAFEGUARD", rule.articles, finding_values)
    cited = Messages(default_library(), Language(language)).cited(finding)
    return "  ⚠ " + translator(language)("This will block signature: {finding}").format(
        finding=cited
    )


def _support_transfer(safeguard: str | None = None) -> dict[str, Any]:
    """The clinic's answers with a transfer to a support desk in the United States."""
    target = copy.deepcopy(CLINIC_ANSWERS)
    transfer = {"recipient": "Support Inc.", "country": "US", "purpose": {"fr": "support"}}
    target["transfers"] = [{**transfer, "safeguard": safeguard} if safeguard else transfer]
    return target


def _outside(example: str, changes: Callable[[dict[str, Any]], None]) -> dict[str, Any]:
    target = yaml.safe_load((ROOT / "examples" / example).read_text("utf-8"))
    changes(target)
    return target


def _streamwave_in_us(target: dict[str, Any]) -> None:
    target["sub_processors"][2].update(country="US", transfer_safeguard=None)


def _flow_to_us(target: dict[str, Any]) -> None:
    target["research"]["data_flows"][4].update(country="US", safeguard=None)


@pytest.mark.parametrize(
    ("target", "key", "said"),
    [
        pytest.param(
            _support_transfer(),
            "transfers.*.safeguard",
            {"recipient": "Support Inc.", "country": "US"},
            id="declared-transfer",
        ),
        pytest.param(
            _outside("chu-teleconsultation.yaml", _streamwave_in_us),
            "sub_processors.*.transfer_safeguard",
            {"recipient": "Streamwave B.V.", "country": "US"},
            id="sub-processor",
        ),
        pytest.param(
            _outside("research-observational-cro.yaml", _flow_to_us),
            "research.data_flows.*.safeguard",
            {"recipient": "Centre hospitalier universitaire de Val-de-Loire", "country": "US"},
            id="research-flow",
        ),
    ],
)
def test_a_transfer_left_on_no_ground_is_said_to_block_when_answered(
    out: Path,
    capsys: pytest.CaptureFixture[str],
    target: dict[str, Any],
    key: str,
    said: dict[str, str],
) -> None:
    """ "(none)" for a transfer's ground: right after the answer, before the next question, one
    line in the interface language says it will block signature, and why (the assessment's
    TRANSFER_NO_SAFEGUARD, worded by the library); the findings at the end say it again."""
    at_ground = User(target).count_until(key)
    user = User(target, findings=["stop"])
    printed: list[str] = []

    def next_question(step: Step, offered: Any) -> Any:
        printed.extend(capsys.readouterr().out.splitlines())
        return _returned(step, _wanted(step, target, offered), translator("fr"))

    user.at[at_ground + 1] = next_question
    assert interview(user, out, "fr") == 1
    assert user.asked[at_ground][0].key == key
    assert printed[-1] == _no_ground(said)
    assert said["recipient"] in capsys.readouterr().out  # the findings, at the end


def test_a_transfer_on_a_ground_is_not_said_to_block(
    out: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = _support_transfer("scc_2021_914")
    target["transfers"][0]["assessment"] = {"fr": "Droit américain évalué : risque faible."}
    assert interview(User(target), out, "fr") == 0
    assert "⚠" not in capsys.readouterr().out


def test_a_blocker_reopens_the_question_at_fault_then_the_review(
    out: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """After the findings, "Change: <question>" for each blocker asks that question again (of
    its item, with what follows from the new answer), then shows the review screen."""
    _ = translator("fr")
    target = _support_transfer()
    ground = _(SPECS["transfers.*.safeguard"].text)
    change = _("Change: {question}").format(question=f"{ground} (Support Inc.)")

    def scc(step: Step, offered: Any) -> Any:
        assert step.path == ("transfers", 0, "safeguard") and offered is None
        return "scc_2021_914"

    after_the_last = len(_questions_of(target))
    user = User(target, at={after_the_last: scc}, findings=[change])
    assert interview(user, out, "fr") == 0
    asked_again = [meta_key(s.path) for s, _o, _i in user.asked[after_the_last:]]
    # The ground, then the impact assessment that clauses call for (in its item).
    assert asked_again == ["transfers/0/safeguard", "transfers/0/assessment"]
    messages = [message for message, _choices in user.menus]
    review = _("Review your answers: pick a section, or confirm.")
    findings = _("Some findings block signature. What do you want to do?")
    assert messages == [review, findings, review]
    menu = [str(c.title) for c in user.menus[1][1]]
    assert menu[0] == change and _("Change an answer") in menu
    written = load_answers(out / "answers.yaml")
    assert written.transfers[0].safeguard == "scc_2021_914"


def test_each_blocker_offers_its_own_question(out: Path) -> None:
    """Three blockers, three questions offered, in the findings' order: the host's certificate,
    the question that declares a transfer (the vendor is established outside the EEA), the
    governing law."""
    _ = translator("fr")
    target = copy.deepcopy(CLINIC_ANSWERS)
    target["hosting"]["hds_certified"] = False
    target["parties"][1]["country"] = "CH"
    target["options"]["governing_law"] = "US"
    user = User(target, findings=["stop"])
    assert interview(user, out, "fr") == 1
    (_message, choices), *_rest = [m for m in user.menus if m[0] != user.menus[0][0]]
    titles = [str(c.title) for c in choices]
    change = _("Change: {question}")
    assert titles[:4] == [
        change.format(question=_(SPECS["hosting.hds_certified"].text)),
        change.format(question=_(SPECS["transfers.+.*"].text)),
        change.format(question=_(SPECS["options.governing_law"].text)),
        _("Change an answer"),
    ]


def _unwrapped(title: Any) -> str:
    return re.sub(r"\n +", " ", str(title))


def test_review_goes_by_section_and_party_in_words(
    out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The review screen: first its sections (by number, as the interview numbers them), then
    a section's answers under each party's name, each party's rows after its name (the two
    DPOs apart), choices in words (roles, end of contract) and parties by name, long lines
    wrapped at the terminal's width, never cut."""
    monkeypatch.setenv("COLUMNS", "60")
    _ = translator("fr")
    clinic, lab = (p["name"] for p in CLINIC_ANSWERS["parties"])
    dpo = _(SPECS["parties.*.dpo.name"].text)
    end = _(SPECS["options.end_of_contract"].text)
    same: Hook = lambda step, offered: offered  # noqa: E731 - the answer kept as it is
    after_the_last = len(_questions_of(CLINIC_ANSWERS))
    user = User(
        CLINIC_ANSWERS,
        at={after_the_last: same, after_the_last + 1: same},
        review=[(1, f"{lab} — {dpo}"), (9, end)],
    )
    assert interview(user, out, "fr") == 0
    _same(out / "answers.yaml", CLINIC)
    sections = user.menus[0][1]
    assert [(c.shortcut_key, c.title) for c in sections[:4]] == [
        ("c", _("Confirm these answers")),
        ("g", _("General")),
        ("1", _("Parties")),
        ("2", _("Processing")),
    ]
    parties = [c for m, choices in user.menus if m.startswith(_("Parties")) for c in choices]
    rows = [_unwrapped(c.title) for c in parties if not isinstance(c, questionary.Separator)]
    separators = [c.title for c in parties if isinstance(c, questionary.Separator)]
    assert f"── {clinic} ──" in separators and f"── {lab} ──" in separators
    assert f"{clinic} — {dpo} → Mme Isabelle Renaud" in rows
    assert f"{lab} — {dpo} → M. Yannick Colas" in rows
    roles = _(SPECS["parties.*.roles"].text)
    assert f"{clinic} — {roles} → responsable du traitement" in rows
    assert f"{lab} — {roles} → sous-traitant" in rows
    options = [
        c for m, choices in user.menus if m.startswith(_("Contract options")) for c in choices
    ]
    assert f"{end} → restitution des données puis suppression de toutes les copies" in [
        _unwrapped(c.title) for c in options
    ]
    for choice in (*parties, *options):
        assert all(len(line) <= 60 for line in str(choice.title).splitlines()), choice.title
    assert any("\n" in str(c.title) for c in parties)  # some were long enough to wrap


def _presses(keys: str) -> int:
    """Keys pressed: an arrow is one key, though the terminal sends three characters."""
    return len(re.findall(r"\x1b\[[AB]|.", keys, re.DOTALL))


def test_amending_a_file_at_the_keyboard_changes_an_answer_in_a_few_keys(
    out: Path, tmp_path: Path
) -> None:
    """--from opens on the review: "9" jumps to the contract options, arrows to the place of
    signature, the new place typed, Enter back to the sections, Enter to confirm. From the
    file, every answer stands: no question is asked on the way (was: Enter at each of the 150
    or so questions, then the change)."""
    _ = translator("fr")
    place = _(SPECS["signature.place"].text)
    # Where the review shows the place of signature in its section.
    dry = User(None, at={0: lambda step, offered: offered}, review=[(9, place)])
    assert interview(dry, tmp_path, "fr", source=CLINIC) == 0
    section = next(c for m, c in dry.menus if m.startswith(_("Contract options")))
    rows = [c for c in section if not isinstance(c, questionary.Separator)]
    down = next(i for i, c in enumerate(rows) if _unwrapped(c.title).startswith(place))
    keys = "9" + ENTER + DOWN * down + ENTER + _text_keys("Villeurbanne") + ENTER + ENTER
    assert keyboard(keys, out, "fr", source=CLINIC) == 0
    written = load_answers(out / "answers.yaml")
    assert written.signature.place == "Villeurbanne"
    _same(out / "answers.yaml", {**CLINIC_ANSWERS, "signature": written.signature.model_dump()})
    assert _presses(keys) <= 20 + down


# Nothing asked twice, nothing that does not apply (issue 14 item 4) -------------------------

OBSERVATIONAL = ROOT / "examples" / "research-observational-cro.yaml"


def _walked(target: dict[str, Any], language: str = "fr") -> tuple[list[Step], State]:
    """The questions a from-scratch interview asks to write `target`, and its final state."""
    state, asked = State(language=language), []
    while (step := pending(state)[0]) is not None:
        asked.append(step)
        state.record(step, _wanted(step, target, state.offered(step)))
    return asked, state


@pytest.mark.parametrize("example", sorted(p.name for p in (ROOT / "examples").glob("*.yaml")))
def test_sections_only_go_forward(example: str) -> None:
    """The section shown only increases: a study's processor questions are asked in their own
    sections (hosting, sub-processors, measures), not once the study's title is known."""
    target = yaml.safe_load((ROOT / "examples" / example).read_text("utf-8"))
    sections = [step.spec.section for step in _walked(target)[0]]
    assert sections == sorted(sections)


def _study_target() -> dict[str, Any]:
    return yaml.safe_load(OBSERVATIONAL.read_text("utf-8"))


def test_research_roles_ticked_on_the_parties_are_not_asked_again() -> None:
    """Sponsor, centres and CRO ticked on the parties fill the study's section: neither asked
    nor offered empty; the coordinating investigator's centre is picked among the centres."""
    target = _study_target()
    asked, state = _walked(target)
    keys = [step.key for step in asked]
    for key in ("research.sponsor", "research.centres", "research.cros.*.party"):
        assert key not in keys
    assert "research.cros.+.*" not in keys  # the CRO ticked is the only one
    study = state.data["research"]
    assert study["sponsor"] == "chu-val-de-loire"
    assert study["centres"] == target["research"]["centres"]
    assert [c["party"] for c in study["cros"]] == ["cliniqa"]
    (centre,) = [s for s in asked if s.key == "research.coordinating_investigator.centre"]
    assert set(centre.choices) == set(target["research"]["centres"])


def test_a_party_picked_in_the_study_takes_its_role() -> None:
    """No research role ticked: the study's section asks, and the parties picked take the
    role (sponsor, centre, CRO) — one place, one answer."""
    target = _study_target()
    for party in target["parties"]:
        party["roles"] = ["processor"] if party["id"] == "cliniqa" else ["controller"]
    asked, state = _walked(target)
    keys = [step.key for step in asked]
    assert {"research.sponsor", "research.centres", "research.cros.*.party"} <= set(keys)
    roles = {p["id"]: p["roles"] for p in state.data["parties"]}
    assert "sponsor" in roles["chu-val-de-loire"]
    assert all("investigating_centre" in roles[c] for c in target["research"]["centres"])
    assert "cro" in roles["cliniqa"]


def test_a_flow_sent_by_several_sites_is_asked_once(out: Path) -> None:
    """Five sites sending the same data to the CRO: one flow asked, its senders ticked; the
    answers file has one flow per sender."""
    asked, _state = _walked(_study_target())
    sources = [s for s in asked if s.key == "research.data_flows.*.source"]
    assert len(sources) == 2 and all(s.kind == "choices" for s in sources)
    target = _study_target()
    assert interview(User(target), out, "fr") == 0
    written = load_answers(out / "answers.yaml").research
    assert written is not None and len(written.data_flows) == len(target["research"]["data_flows"])
    assert sorted(f.source for f in written.data_flows) == sorted(
        f["source"] for f in target["research"]["data_flows"]
    )


def test_party_choices_show_names_and_only_parties_that_fit() -> None:
    """A choice of party shows its name (the answer stays its id); the sponsor is never
    offered as a processor, nor a flow's sender as its recipient."""
    asked, state = _walked(_study_target())
    names = {p["id"]: p["name"] for p in state.data["parties"]}
    places = [s for s in asked if s.spec.parties]
    assert places
    for step in places:
        assert all(prompt_label(step, c, "fr") == names[c] for c in step.choices)
    for key in ("hosting.processor", "sub_processors.*.processor", "security_measures.*.parties"):
        offered = {c for s in asked if s.key == key for c in s.choices}
        assert offered and "chu-val-de-loire" not in offered, key
    for step in asked:
        if step.key == "research.data_flows.*.recipient":
            senders = get(state.data, (*step.path[:-1], "source"))
            assert not set(senders) & set(step.choices)


def test_what_does_not_apply_is_not_asked() -> None:
    """No number of originals after an electronic signature (nor in the answers); no HDS
    question for a sub-processor storing no health data; a party without a DPO is asked for a
    contact, not one « other than the DPO »; a RIPH is not asked whether it only reuses data;
    a plain DPA offers no research roles."""
    clinic = copy.deepcopy(CLINIC_ANSWERS)
    clinic["signature"] = {"place": "Lyon", "electronic": True}
    clinic["sub_processors"][0]["hosts_health_data"] = False
    clinic["sub_processors"][0]["hds_certified"] = False
    del clinic["parties"][1]["dpo"]
    asked, state = _walked(clinic)
    keys = [meta_key(s.path) for s in asked]
    assert "signature/copies" not in keys
    assert "sub_processors/0/hds_certified" not in keys
    _, steps = pending(state)
    assert "copies" not in collect(state, steps)["signature"]
    contact = {s.path[1]: s.spec.text for s in asked if s.key == "parties.*.contact.?"}
    assert "other than the DPO" in contact[0] and "other than the DPO" not in contact[1]
    (roles, *_) = [s for s in asked if s.key == "parties.*.roles"]
    assert "controller" in roles.choices
    assert not {"sponsor", "cro", "investigating_centre", "funder"} & set(roles.choices)

    study = _study_target()
    asked, _state = _walked(study)
    assert study["research"]["involves_human_person"]
    assert "research.reuses_existing_data_only" not in [s.key for s in asked]
    (roles, *_) = [s for s in asked if s.key == "parties.*.roles"]
    assert {"sponsor", "cro", "investigating_centre"} <= set(roles.choices)


def test_a_study_is_asked_its_retention_once() -> None:
    """A study's retention is its own section's (active, archive): the processing's is not
    asked, and a file that gives it keeps it."""
    asked, _state = _walked(_study_target())
    keys = [s.key for s in asked]
    assert "processing.retention" not in keys
    assert {"research.retention.active", "research.retention.archive"} <= set(keys)
    data = read_yaml(OBSERVATIONAL).data
    from_file = State(language="fr", data=data)
    _, steps = pending(from_file)
    assert collect(from_file, steps)["processing"]["retention"] == data["processing"]["retention"]


def test_each_kind_of_measure_has_its_own_help(out: Path) -> None:
    """The description of a measure is helped by words on its own kind: the sanction for
    missing encryption is not quoted under logging or access control."""
    user = User(_study_target())
    assert interview(user, out, "en") == 0
    helps: dict[str, set[str]] = {}
    for step, _offered, instruction in user.asked:
        if step.key == "security_measures.*.description":
            category = get(user.target, (*step.path[:-1], "category"))
            helps.setdefault(category, set()).add(instruction)
    assert all(len(h) == 1 for h in helps.values()), helps
    assert len({h for hs in helps.values() for h in hs}) == len(helps)
    assert "encryption" in " ".join(helps["encryption"])
    for kind in ("logging", "access_control", "pseudonymisation"):
        assert "encryption" not in " ".join(helps[kind]), kind


@pytest.mark.parametrize(
    ("lang", "row"),
    [
        (
            "fr",
            "Conservation pendant la durée des Prestations, et au plus tard jusqu'au terme de la "
            "conservation en base active que fixe le protocole (jusqu'à deux ans après la "
            "dernière publication",
        ),
        (
            "en",
            "Retention for the duration of the Services, and no longer than the active-database "
            "period the protocol sets (until two years after the last publication",
        ),
    ],
)
def test_a_cros_dpa_states_the_protocols_retention(tmp_path: Path, lang: str, row: str) -> None:
    """A study written by the interview gives no processing.retention: the CRO's DPA then
    states the protocol's active period and sends to its end-of-services clause. Outside a
    study, the processing's retention stays required."""
    answers = interviewed(OBSERVATIONAL)
    source = tmp_path / "study.yaml"
    source.write_text(yaml.safe_dump(answers, allow_unicode=True), "utf-8")
    assert run_cli("build", source, "--out", tmp_path, "--lang", lang, "--draft") == 0
    (cro,) = tmp_path.glob("*cliniqa*.docx")
    text = " ".join(docx_text(cro).replace("\u00a0", " ").split())
    assert row in text
    assert ("Article 19" if lang == "fr" else "Clause 19") in text.split(row)[1][:400]
    plain = copy.deepcopy(CLINIC_ANSWERS)
    del plain["processing"]["retention"]
    with pytest.raises(ValidationError) as refused:
        Answers.model_validate(plain)
    (error,) = refused.value.errors()
    assert error["loc"] == ("processing", "retention") and "research" in error["msg"]


def test_the_senders_of_a_flow_are_ticked_at_the_keyboard() -> None:
    """The senders' question is a checkbox of party names: Enter with none ticked is refused,
    three ticked give their ids."""
    target = _study_target()
    state = State(language="fr")
    while (step := pending(state)[0]) is not None and step.key != "research.data_flows.*.source":
        state.record(step, _wanted(step, target, state.offered(step)))
    assert step is not None and step.kind == "choices"
    keys = ENTER + " " + DOWN + " " + DOWN + " " + ENTER
    assert _typed(keys, step, state.offered(step)) == list(step.choices[:3])


def test_an_amended_file_whose_roles_disagree_is_asked_not_overwritten() -> None:
    """A file naming one sponsor in the study and ticking another party's role: amending it
    asks the sponsor, offering the file's, rather than replace it with the party ticked."""
    data = read_yaml(OBSERVATIONAL).data
    data["parties"][0]["roles"] = ["investigating_centre"]
    data["parties"][1]["roles"] = ["sponsor", "investigating_centre"]
    state = State(language="fr", data=gather(data))
    _, steps = pending(state)
    (sponsor,) = [s for s in steps if s.key == "research.sponsor"]
    assert sponsor.kind == "choice" and state.offered(sponsor) == "chu-val-de-loire"
    assert state.data["research"]["sponsor"] == "chu-val-de-loire"


# A list of texts, item after item (issue 14 item 4) ----------------------------------------


def test_a_list_of_texts_is_asked_item_after_item(out: Path) -> None:
    """Purposes, other categories, return formats: one question per item, with no "add
    another?" between them: n items take n + 1 questions, the last one left empty; its help
    says so in the interface language, and the items the model requires say nothing of it."""
    _ = translator("fr")
    user = User(CLINIC_ANSWERS)
    assert interview(user, out, "fr") == 0
    _same(out / "answers.yaml", CLINIC)
    asked = [(s, instruction) for s, _offered, instruction in user.asked]
    assert not [s for s, _i in asked if s.kind == "more" and "purposes" in s.path]
    lists = {
        "processing.purposes": len(CLINIC_ANSWERS["processing"]["purposes"]),
        "processing.other_data_subjects": len(CLINIC_ANSWERS["processing"]["other_data_subjects"]),
        "options.hospital.reversibility_formats": len(
            CLINIC_ANSWERS["options"]["hospital"]["reversibility_formats"]
        ),
    }
    for key, count in lists.items():
        items = [(s, i) for s, i in asked if s.key == f"{key}.*"]
        assert [s.path[-1] for s, _i in items] == list(range(count + 1)), key
        assert items[-1][1].endswith(_(LIST_END)) and items[-1][0].optional
    (first, *_more) = [i for s, i in asked if s.key == "processing.purposes.*"]
    assert first == _(SPECS["processing.purposes"].help)  # required: never empty
    assert _(LIST_END) != LIST_END and "vide" in _(LIST_END)
    with pytest.raises(ValueError):  # the first purpose cannot be left empty
        parse(next(s for s, _i in asked if s.key == "processing.purposes.*"), "", _)


def test_an_empty_list_of_texts_takes_one_question() -> None:
    """No other category of data subjects: one question, its help saying that empty is none."""
    clinic = copy.deepcopy(CLINIC_ANSWERS)
    del clinic["processing"]["other_data_subjects"]
    asked, state = _walked(clinic)
    (only,) = [s for s in asked if s.key == "processing.other_data_subjects.*"]
    assert only.ends == LIST_NONE and only.optional
    assert "other_data_subjects" not in collect(state, pending(state)[1])["processing"]


def test_an_empty_answer_at_an_item_removes_it_alone(out: Path) -> None:
    """On the review, the second purpose erased: it alone goes, the third moves up; the row
    left empty at the end of the list adds a purpose, and is shown again (to add another)."""
    _ = translator("fr")
    purposes = [p["fr"] for p in CLINIC_ANSWERS["processing"]["purposes"]]
    question = _(SPECS["processing.purposes"].text)
    after_the_last = len(_questions_of(CLINIC_ANSWERS))
    user = User(
        CLINIC_ANSWERS,
        at={
            after_the_last: lambda step, offered: None,
            after_the_last + 1: lambda step, offered: "hébergement des comptes rendus",
        },
        review=[(2, f"{question} → {purposes[1][:40]}"), (2, f"{question} → —")],
    )
    assert interview(user, out, "fr") == 0
    assert not user.at and not user.review
    removed, added = user.asked[after_the_last], user.asked[after_the_last + 1]
    assert removed[0].ends == LIST_KEEP and removed[2].endswith(_(LIST_KEEP))
    assert added[0].path[-1] == len(purposes) - 1 and added[1] is None
    written = read_yaml(out / "answers.yaml").data["processing"]["purposes"]
    texts = [p if isinstance(p, str) else p["fr"] for p in written]
    assert texts == [purposes[0], *purposes[2:], "hébergement des comptes rendus"]


def test_an_item_given_only_in_the_other_language_is_asked_not_removed(out: Path) -> None:
    """Amending a file whose purpose is only in French, in an English interview: the purpose
    is asked (its French shown), not taken as an empty answer that would remove it."""
    clinic = copy.deepcopy(CLINIC_ANSWERS)
    clinic["language"] = "en"
    clinic["processing"]["purposes"][1] = {"fr": clinic["processing"]["purposes"][1]["fr"]}
    source = out / "amended.yaml"
    (out / "run").mkdir()
    source.write_text(yaml.safe_dump(clinic, allow_unicode=True), "utf-8")
    user = User(None, at={0: lambda step, offered: "delivery of the reports"})
    assert interview(user, out / "run", "en", source=source) == 0
    assert [meta_key(s.path) for s, _o, _i in user.asked] == ["processing/purposes/1"]
    written = read_yaml(out / "run" / "answers.yaml").data["processing"]["purposes"]
    assert len(written) == len(clinic["processing"]["purposes"])
    both = {"fr": clinic["processing"]["purposes"][1]["fr"], "en": "delivery of the reports"}
    assert written[1] == both


def test_a_full_list_of_texts_asks_no_further_item() -> None:
    """A list the model caps (max_length): once full, no empty item is asked to end it."""
    capped = Field(min_length=1, max_length=2)
    walker = Walker({"processing": {"purposes": ["a", "b"]}}, {})
    steps = list(walker._texts(("processing", "purposes"), str, capped, {}))
    assert [s.path[-1] for s in steps] == [0, 1] and steps[1].ends == LIST_KEEP
    walker = Walker({"processing": {"purposes": ["a"]}}, {})
    steps = list(walker._texts(("processing", "purposes"), str, capped, {}))
    assert [s.path[-1] for s in steps] == [0, 1] and steps[1].ends == LIST_END
