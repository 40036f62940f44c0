"""The interview, driven with prompt_toolkit pipe input: full runs, back, review, resume.

Keystrokes are computed from a target answers file by replaying the interview's own steps, so
a full run types exactly what a user would type to produce that file.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from enum import Enum
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import ROOT
from prompt_toolkit.application import create_app_session
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

from generator.answers.load import load_answers
from generator.errors import OutputError
from generator.interview.app import run_interview
from generator.interview.session import STATE_FILE, State, pending
from generator.interview.walk import Step, get

DOWN, UP, CLEAR, ENTER, CTRL_B, CTRL_C = "\x1b[B", "\x1b[A", "\x15", "\r", "\x02", "\x03"
# The example most tests type: a private clinic and a lab-results service (read, never changed).
CLINIC = ROOT / "examples" / "clinic-lab-results.yaml"
CLINIC_ANSWERS = yaml.safe_load(CLINIC.read_text("utf-8"))


def _wanted(step: Step, target: dict[str, Any], state: State) -> Any:
    if step.kind == "has":
        return get(target, step.path[:-1]) is not None
    if step.kind == "more":
        return step.path[-1] < len(get(target, step.path[:-2]) or [])
    value = get(target, step.path)
    if value is None and step.info is not None and not step.optional:
        return state.value(step)  # absent from the file: the model's default
    return value.isoformat() if isinstance(value, dt.date) else value


def _keys(step: Step, current: Any, value: Any) -> str:
    if step.kind in ("has", "more", "bool"):
        return "y" if value else "n"
    if step.kind in ("text", "int", "date"):
        return CLEAR + ("" if value is None else str(value)) + ENTER
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


def answer_keys(target: dict[str, Any], language: str) -> list[str]:
    """What a user types at each question to answer the whole interview with `target`."""
    state = State(language=language)
    keys = []
    while True:
        step, _ = pending(state)
        if step is None:
            return keys
        value = _wanted(step, target, state)
        keys.append(_keys(step, state.value(step), value))
        state.record(step, value)


def keystrokes(target: dict[str, Any], language: str, stop_after: int | None = None) -> str:
    """What a user types to answer the whole interview with `target` and confirm it, or only
    the first `stop_after` questions."""
    keys = answer_keys(target, language)
    if stop_after is None:
        return "".join(keys) + ENTER  # the review screen: "Confirm" is first
    return "".join(keys[:stop_after])


def interview(keys: str, out: Path, language: str = "fr", **options: Any) -> int:
    with create_pipe_input() as pipe:
        pipe.send_text(keys)
        with create_app_session(input=pipe, output=DummyOutput()):
            return run_interview(language, options.get("source"), options.get("resume", False), out)


def _same(written: Path, example: Path) -> None:
    """Equal answers; a multiple choice comes back in the list's order, not the file's."""

    def canonical(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: canonical(v) for k, v in value.items()}
        if isinstance(value, list):
            items = [canonical(v) for v in value]
            return sorted(items) if all(isinstance(v, Enum) for v in value) else items
        return value

    def plain(path: Path) -> Any:
        answers = load_answers(path)
        return canonical(answers.model_dump(exclude={"parties": {"__all__": {"role_reasoning"}}}))

    assert plain(written) == plain(example)


@pytest.mark.parametrize(
    ("example", "language"),
    [
        ("chu-teleconsultation.yaml", "fr"),
        ("glucose-telemonitoring.yaml", "en"),
        ("research-observational-cro.yaml", "fr"),
    ],
)
def test_full_run_writes_the_example_and_its_documents(
    tmp_path: Path, example: str, language: str
) -> None:
    source = ROOT / "examples" / example
    target = yaml.safe_load(source.read_text("utf-8"))
    assert interview(keystrokes(target, language), tmp_path, language) == 0
    _same(tmp_path / "answers.yaml", source)
    documents = sorted(p.name for p in tmp_path.glob("*.docx"))
    assert documents and all(name.endswith(f"-{target['language']}.docx") for name in documents)
    assert not (tmp_path / STATE_FILE).exists()
    text = (tmp_path / "answers.yaml").read_text("utf-8")
    assert text.startswith("#") and "clausier build" in text


def test_roles_come_from_facts_with_their_reasoning(tmp_path: Path) -> None:
    source = ROOT / "examples" / "chu-teleconsultation.yaml"
    target = yaml.safe_load(source.read_text("utf-8"))
    hospital = target["parties"][0]
    hospital["determines_purposes"] = hospital["determines_essential_means"] = True
    keys = keystrokes(target, "en")
    assert interview(keys, tmp_path, "en") == 0
    written = load_answers(tmp_path / "answers.yaml")
    assert written.parties[0].roles == ["controller"]
    assert "controller (Art. 4(7))" in (written.parties[0].role_reasoning or "")
    assert "processor" in (written.parties[1].role_reasoning or "")


def test_invalid_answer_is_refused_and_asked_again(tmp_path: Path) -> None:
    keys = keystrokes(CLINIC_ANSWERS, "fr")
    # The first party's country: type an unknown code first; Enter is refused, the prompt stays.
    country = f"{CLEAR}FR{ENTER}"
    assert country in keys
    keys = keys.replace(country, f"{CLEAR}XX{ENTER}{CLEAR}FR{ENTER}", 1)
    assert interview(keys, tmp_path, "fr") == 0
    _same(tmp_path / "answers.yaml", CLINIC)


def test_ctrl_b_goes_back_with_the_previous_answer(tmp_path: Path) -> None:
    keys = keystrokes(CLINIC_ANSWERS, "fr")
    name = CLINIC_ANSWERS["parties"][0]["name"]
    typed = f"{CLEAR}{name}{ENTER}"
    # Type a wrong name, go back from the next question, retype it.
    wrong = f"{CLEAR}Wrong name{ENTER}{CTRL_B}{CLEAR}{name}{ENTER}"
    keys = keys.replace(typed, wrong, 1)
    assert interview(keys, tmp_path, "fr") == 0
    _same(tmp_path / "answers.yaml", CLINIC)


def test_review_screen_changes_an_answer(tmp_path: Path) -> None:
    keys = keystrokes(CLINIC_ANSWERS, "fr")[: -len(ENTER)]  # stop at the review screen
    # The first entry after "Confirm" is the language: switch it to English, then confirm.
    keys += DOWN + ENTER + DOWN + ENTER + ENTER
    assert interview(keys, tmp_path, "fr") == 0
    written = load_answers(tmp_path / "answers.yaml")
    assert written.language == "en"
    assert list(tmp_path.glob("*-en.docx"))


def test_ctrl_c_then_resume_loses_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    everything = keystrokes(CLINIC_ANSWERS, "fr")
    first = keystrokes(CLINIC_ANSWERS, "fr", stop_after=25)
    assert interview(first + CTRL_C, tmp_path, "fr") == 130
    assert "--resume" in capsys.readouterr().out
    saved = json.loads((tmp_path / STATE_FILE).read_text("utf-8"))
    assert len(saved["history"]) == 25
    assert interview(everything[len(first) :], tmp_path, "fr", resume=True) == 0
    _same(tmp_path / "answers.yaml", CLINIC)


def test_from_an_answers_file_every_answer_is_the_default(tmp_path: Path) -> None:
    source = ROOT / "examples" / "research-joint-reuse.yaml"
    assert interview(ENTER * 600, tmp_path, "fr", source=source) == 0
    _same(tmp_path / "answers.yaml", source)


def test_existing_answers_are_not_replaced_without_asking(tmp_path: Path) -> None:
    (tmp_path / "answers.yaml").write_text("signed", "utf-8")
    # Enter through everything, then refuse to replace ("n").
    assert interview(ENTER * 400 + "n", tmp_path, "fr", source=CLINIC) == 1
    assert (tmp_path / "answers.yaml").read_text("utf-8") == "signed"
    assert (tmp_path / STATE_FILE).exists()


def test_not_a_terminal_points_to_build(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "generator", "interview", "--out", str(tmp_path)],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert result.returncode == 2
    assert "clausier build" in result.stderr


def test_closed_input_keeps_the_answers(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Input that ends mid-interview (a closed terminal, EOF) saves what was typed."""
    with create_pipe_input() as pipe:
        pipe.send_text(keystrokes(CLINIC_ANSWERS, "fr", stop_after=6))
        pipe.close()
        with create_app_session(input=pipe, output=DummyOutput()):
            assert run_interview("fr", None, False, tmp_path) == 2
    assert "clausier build" in capsys.readouterr().err
    saved = json.loads((tmp_path / STATE_FILE).read_text("utf-8"))
    assert len(saved["history"]) == 6


def test_ctrl_c_at_every_question_loses_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Interrupted at each question in turn, resumed each time: the answers file at the end is
    the one an uninterrupted run writes."""
    assert interview(CTRL_C, tmp_path, "fr") == 130
    for answered, key in enumerate(answer_keys(CLINIC_ANSWERS, "fr"), 1):
        assert interview(key + CTRL_C, tmp_path, "fr", resume=True) == 130
        saved = json.loads((tmp_path / STATE_FILE).read_text("utf-8"))
        assert len(saved["history"]) == answered, f"question {answered + 1}"
    capsys.readouterr()
    assert interview(ENTER, tmp_path, "fr", resume=True) == 0
    _same(tmp_path / "answers.yaml", CLINIC)


def test_full_disk_mid_interview_keeps_the_earlier_answers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A save that fails (disk full) is one clear error; the state on disk is the one of the
    answer before, with no temporary file, and --resume goes on from there."""
    import errno
    import os

    keys = answer_keys(CLINIC_ANSWERS, "fr")
    real_fsync, calls = os.fsync, []

    def fsync(fd: int) -> None:
        calls.append(fd)
        if len(calls) == 4:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    with pytest.raises(OutputError) as caught:
        interview("".join(keys[:6]), tmp_path, "fr")
    assert "No space left on device" in str(caught.value) and "\n" not in str(caught.value)
    assert len(json.loads((tmp_path / STATE_FILE).read_text("utf-8"))["history"]) == 3
    assert [p.name for p in tmp_path.iterdir()] == [STATE_FILE]

    monkeypatch.setattr(os, "fsync", real_fsync)
    assert interview("".join(keys[3:]) + ENTER, tmp_path, "fr", resume=True) == 0
    _same(tmp_path / "answers.yaml", CLINIC)


def test_ctrl_c_mid_answer_keeps_what_was_typed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Interrupted while typing a party's name: --resume offers the half-typed name."""
    keys = answer_keys(CLINIC_ANSWERS, "fr")
    name = CLINIC_ANSWERS["parties"][0]["name"]
    state, count = State(language="fr"), 0  # count: the questions before the first name
    while (step := pending(state)[0]) is not None and step.key != "parties.*.name":
        state.record(step, _wanted(step, CLINIC_ANSWERS, state))
        count += 1
    assert interview("".join(keys[:count]) + name[:5] + CTRL_C, tmp_path, "fr") == 130
    saved = json.loads((tmp_path / STATE_FILE).read_text("utf-8"))
    assert saved["typed"] == {"parties/0/name": name[:5]}
    # Resumed: the five letters are there; typing the rest completes the name.
    rest = "".join(keys[count + 1 :]) + ENTER
    assert interview(name[5:] + ENTER + rest, tmp_path, "fr", resume=True) == 0
    _same(tmp_path / "answers.yaml", CLINIC)
