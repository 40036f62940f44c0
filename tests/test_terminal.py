"""The interview in a real terminal (tmux): Ctrl+C, a resize, a crash; each leaves a state that
--resume continues with nothing lost.

Skips without tmux, unless CLAUSIER_REQUIRE_TERMINAL (set by .ci/run to 1; true, yes or on do too)
turns that into a failure. Each terminal has its own tmux server (-L), so tests running in
parallel (pytest -n) never share or shut down each other's server.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import (
    REQUIRE_LIBREOFFICE,
    REQUIRE_TERMINAL,
    ROOT,
    make_run_env,
    missing_tool,
    normalise_switches,
    required,
    switch_on,
)

from generator.interview.session import STATE_FILE


def _tmux() -> str:
    tmux = shutil.which("tmux")
    if not tmux:
        missing_tool(REQUIRE_TERMINAL, "tmux is needed: apt-get install tmux")
    return tmux


class Terminal:
    def __init__(self, tmux: str, name: str):
        self.name, self.started = name, False
        self.tmux = [tmux, "-L", name]  # a server of its own (its socket named after the test)

    def run(self, command: str) -> None:
        """Run `command` in the terminal; a second run reuses the pane, so the tmux server
        never shuts down between two runs (a new session racing a server on its way out
        fails with "server exited unexpectedly")."""
        if self.started:
            subprocess.run([*self.tmux, "respawn-pane", "-k", "-t", self.name, command], check=True)
            return
        subprocess.run(
            [*self.tmux, "new-session", "-d", "-s", self.name, "-x", "120", "-y", "40", command],
            check=True,
        )
        subprocess.run([*self.tmux, "set-option", "-t", self.name, "remain-on-exit", "on"])
        self.started = True

    def screen(self, joined: bool = False) -> str:
        """What the terminal shows; `joined`: lines wrapped at its width joined back."""
        capture = [*self.tmux, "capture-pane", "-p", *(["-J"] if joined else []), "-t", self.name]
        return subprocess.run(capture, capture_output=True, text=True).stdout

    def wait_for(self, text: str, seconds: float = 20) -> str:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.1)
        raise AssertionError(f"{text!r} never appeared:\n{self.screen()}")

    def keys(self, *keys: str) -> None:
        subprocess.run([*self.tmux, "send-keys", "-t", self.name, *keys], check=True)

    def resize(self, columns: int, lines: int) -> None:
        subprocess.run(
            [*self.tmux, "resize-window", "-t", self.name, "-x", str(columns), "-y", str(lines)],
            check=True,
        )

    def pid(self) -> int:
        result = subprocess.run(
            [*self.tmux, "list-panes", "-t", self.name, "-F", "#{pane_pid}"],
            capture_output=True,
            text=True,
            check=True,
        )
        return int(result.stdout.split()[0])

    def close(self) -> None:
        """Stop this terminal's server and remove its socket (tmux leaves it behind)."""
        where = [*self.tmux, "display-message", "-p", "-t", self.name, "#{socket_path}"]
        socket = subprocess.run(where, capture_output=True, text=True).stdout.strip()
        subprocess.run([*self.tmux, "kill-server"], capture_output=True)
        if socket:
            Path(socket).unlink(missing_ok=True)


def _interview(tmp_path: Path, *options: str) -> str:
    """The interview as the terminal's only process (exec), so its pid is the pane's."""
    extra = "".join(f" {option}" for option in options)
    interview = f"{sys.executable} -m generator interview --lang en{extra} --out {tmp_path}"
    return f"cd {ROOT} && exec {interview}"


def _saved(tmp_path: Path) -> dict:
    return json.loads((tmp_path / STATE_FILE).read_text("utf-8"))


def _up_to_the_first_name(terminal: Terminal, command: str) -> None:
    """Start the interview; answer the language, the research question and the first party's
    id (chu-test); stop at its name."""
    terminal.run(command)
    terminal.wait_for("In which language")
    terminal.keys("Enter")
    terminal.wait_for("Is this a research project")
    terminal.keys("n")
    terminal.wait_for("Short identifier")
    terminal.keys("chu-test", "Enter")
    terminal.wait_for("Name of the party")


def test_ctrl_c_in_a_terminal_then_resume(tmp_path: Path) -> None:
    terminal = Terminal(_tmux(), f"clausier-{os.getpid()}")
    command = _interview(tmp_path)
    try:
        _up_to_the_first_name(terminal, command)
        terminal.keys("CHU de Test", "Enter")
        terminal.wait_for("Legal form")
        terminal.keys("C-c")
        screen = terminal.wait_for("--resume")
        assert "Everything you typed is saved" in screen
        assert _saved(tmp_path)["data"]["parties"][0] == {"id": "chu-test", "name": "CHU de Test"}

        hint = _hint(terminal)  # run as printed, from the project folder (no --lang: kept)
        assert hint == f"{sys.executable} -m generator interview --resume --out {tmp_path}"
        terminal.run(f"cd {ROOT} && {hint}")
        screen = terminal.wait_for("Legal form")
        assert "Short identifier" not in screen
    finally:
        terminal.close()


def test_resizing_the_terminal_mid_answer_loses_nothing(tmp_path: Path) -> None:
    """A window made narrow, then wide again, while an answer is half typed."""
    terminal = Terminal(_tmux(), f"clausier-resize-{os.getpid()}")
    try:
        _up_to_the_first_name(terminal, _interview(tmp_path))
        terminal.keys("CHU de")
        terminal.resize(44, 12)
        terminal.wait_for("CHU de")
        terminal.keys(" Test", "Enter")
        terminal.wait_for("Legal form")
        terminal.resize(120, 40)
        terminal.keys("EPS", "Enter")
        terminal.wait_for("Registered office")
        terminal.keys("C-c")
        terminal.wait_for("--resume")
        party = {"id": "chu-test", "name": "CHU de Test", "legal_form": "EPS"}
        assert _saved(tmp_path)["data"]["parties"][0] == party
    finally:
        terminal.close()


def test_crash_between_two_answers_loses_nothing(tmp_path: Path) -> None:
    """The process killed outright (SIGKILL: no handler runs) after an answer: every answer
    given so far is on disk, and --resume asks the next question."""
    terminal = Terminal(_tmux(), f"clausier-crash-{os.getpid()}")
    try:
        _up_to_the_first_name(terminal, _interview(tmp_path))
        terminal.keys("CHU de Test", "Enter")
        terminal.wait_for("Legal form")
        os.kill(terminal.pid(), signal.SIGKILL)
        assert _saved(tmp_path)["data"]["parties"][0] == {"id": "chu-test", "name": "CHU de Test"}
        assert [p.name for p in tmp_path.iterdir()] == [STATE_FILE]  # no temporary file

        terminal.run(_interview(tmp_path, "--resume"))
        screen = terminal.wait_for("Legal form")
        assert "Name of the party" not in screen
    finally:
        terminal.close()


def _hint(terminal: Terminal) -> str:
    """The command the interview printed to continue (the line after "to continue, run:")."""
    lines = terminal.screen(joined=True).splitlines()
    where = max(i for i, line in enumerate(lines) if "to continue, run:" in line)
    return lines[where + 1].strip()


def test_the_same_make_run_again_resumes_or_starts_anew_with_a_backup(tmp_path: Path) -> None:
    """The state-loss scenario, typed as a user types it in the project folder: `make run`,
    a few answers, Ctrl+C; the printed hint resumes; the same `make run` again offers to
    resume (Enter: the answers are there) or to start anew, which asks for a confirmation and
    keeps the old answers in a backup file. (make runs this checkout through a stand-in
    virtual environment: conftest.make_run_env.)"""
    out = tmp_path / "out"
    env = make_run_env(tmp_path)
    terminal = Terminal(_tmux(), f"clausier-make-{os.getpid()}")

    def typed(command: str) -> str:
        flags = shlex.quote(env["MAKEFLAGS"])  # the stand-in venv, as a make variable
        return f"cd {ROOT} && unset MAKELEVEL MFLAGS && export MAKEFLAGS={flags} && {command}"

    def run(command: str) -> None:
        terminal.run(typed(command))

    same = f"make run OUT={out} UI=en"
    try:
        _up_to_the_first_name(terminal, typed(same))
        terminal.keys("CHU de Test", "Enter")
        terminal.wait_for("Legal form")
        terminal.keys("C-c")
        terminal.wait_for("RESUME=1")
        hint = _hint(terminal)
        assert hint == f"make run OUT={out} RESUME=1"
        party = {"id": "chu-test", "name": "CHU de Test"}
        assert _saved(out)["data"]["parties"][0] == party

        run(hint)  # as printed: resumes, in English (the interview's language, not UI's)
        terminal.wait_for("Legal form")
        terminal.keys("EPS", "Enter")
        terminal.wait_for("Registered office")
        terminal.keys("C-c")
        terminal.wait_for("RESUME=1")
        party["legal_form"] = "EPS"
        assert _saved(out)["data"]["parties"][0] == party

        run(same)  # the same command again: resume is offered first
        # The menu's message is wrapped at spaces, never inside the path: words, not lines.
        screen = " ".join(terminal.wait_for("Start anew").split())
        assert f"An unfinished interview is saved in {out / STATE_FILE} (answers: 5;" in screen
        terminal.keys("Enter")
        terminal.wait_for("Registered office")
        terminal.keys("C-c")
        terminal.wait_for("RESUME=1")
        assert _saved(out)["data"]["parties"][0] == party
        assert not list(out.glob(f"{STATE_FILE}.bak-*"))

        run(same)  # start anew: a confirmation (no: back to the menu), then a backup
        terminal.wait_for("Start anew")
        terminal.keys("Down", "Enter")
        terminal.wait_for("kept in a backup file")
        terminal.keys("n")
        terminal.wait_for("Resume it")
        terminal.keys("Down", "Enter")
        terminal.wait_for("kept in a backup file")
        terminal.keys("y")
        terminal.wait_for("In which language")
        screen = terminal.screen(joined=True)
        (backup,) = out.glob(f"{STATE_FILE}.bak-*")
        assert f"The unfinished interview is kept in {backup}." in screen
        assert json.loads(backup.read_text("utf-8"))["data"]["parties"][0] == party
        terminal.keys("Enter")
        terminal.wait_for("Is this a research project")
        terminal.keys("C-c")
        terminal.wait_for("RESUME=1")
        assert "parties" not in _saved(out)["data"]  # the new interview's own state
    finally:
        terminal.close()


@pytest.mark.parametrize("value", ["1", "true", "True", "YES", "yes", "on", "On", " 1 "])
def test_ci_switch_accepts_any_true_value(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    """CLAUSIER_REQUIRE_TERMINAL / _LIBREOFFICE: any true value turns a missing tool's skip
    into a failure."""
    for variable in (REQUIRE_TERMINAL, REQUIRE_LIBREOFFICE):
        monkeypatch.setenv(variable, value)
        assert required(variable)
        with pytest.raises(pytest.fail.Exception, match="apt-get"):
            missing_tool(variable, "apt-get install it")


@pytest.mark.parametrize("value", [None, "", "0", "false", "No", "OFF"])
def test_ci_switch_off_skips(monkeypatch: pytest.MonkeyPatch, value: str | None) -> None:
    if value is None:
        monkeypatch.delenv(REQUIRE_TERMINAL, raising=False)
    else:
        monkeypatch.setenv(REQUIRE_TERMINAL, value)
    assert not required(REQUIRE_TERMINAL)
    with pytest.raises(pytest.skip.Exception):
        missing_tool(REQUIRE_TERMINAL, "apt-get install it")


def test_ci_switch_with_another_value_is_a_mistake() -> None:
    """A value that is neither yes nor no ("required", "2") stops the run rather than skip."""
    assert switch_on("Yes") and not switch_on(None)
    for value in ("required", "2", "y e s"):
        with pytest.raises(pytest.UsageError, match="not a yes/no value"):
            switch_on(value)


@pytest.mark.parametrize(("value", "seen"), [("TRUE", "1"), ("on", "1"), ("no", "0"), ("1", "1")])
def test_ci_switches_reach_tests_that_compare_with_1(
    monkeypatch: pytest.MonkeyPatch, value: str, seen: str
) -> None:
    """A test reading the switch as `== "1"` (test_pdf.py) sees any true value as "1"."""
    monkeypatch.setenv(REQUIRE_LIBREOFFICE, value)
    normalise_switches()
    assert os.environ[REQUIRE_LIBREOFFICE] == seen
