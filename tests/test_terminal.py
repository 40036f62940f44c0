"""The interview in a real terminal (tmux): type a few answers, Ctrl+C, resume where it stopped.

Skips without tmux, unless CLAUSIER_REQUIRE_TERMINAL=1 (set by .ci/run) turns that into a failure.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT

from generator.interview.session import STATE_FILE


def _tmux() -> str:
    tmux = shutil.which("tmux")
    if tmux:
        return tmux
    if os.environ.get("CLAUSIER_REQUIRE_TERMINAL") == "1":
        pytest.fail("tmux is needed: apt-get install tmux")
    pytest.skip("tmux is not installed")


class Terminal:
    def __init__(self, tmux: str, name: str):
        self.tmux, self.name = tmux, name

    def run(self, command: str) -> None:
        subprocess.run([self.tmux, "kill-session", "-t", self.name], capture_output=True)
        subprocess.run(
            [self.tmux, "new-session", "-d", "-s", self.name, "-x", "120", "-y", "40", command],
            check=True,
        )
        subprocess.run([self.tmux, "set-option", "-t", self.name, "remain-on-exit", "on"])

    def screen(self) -> str:
        result = subprocess.run(
            [self.tmux, "capture-pane", "-p", "-t", self.name], capture_output=True, text=True
        )
        return result.stdout

    def wait_for(self, text: str, seconds: float = 20) -> str:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.1)
        raise AssertionError(f"{text!r} never appeared:\n{self.screen()}")

    def keys(self, *keys: str) -> None:
        subprocess.run([self.tmux, "send-keys", "-t", self.name, *keys], check=True)

    def close(self) -> None:
        subprocess.run([self.tmux, "kill-session", "-t", self.name], capture_output=True)


def test_ctrl_c_in_a_terminal_then_resume(tmp_path: Path) -> None:
    terminal = Terminal(_tmux(), f"clausier-{os.getpid()}")
    command = f"cd {ROOT} && {sys.executable} -m generator interview --lang en --out {tmp_path}"
    try:
        terminal.run(command)
        terminal.wait_for("In which language")
        terminal.keys("Enter")
        terminal.wait_for("Is this a research project")
        terminal.keys("n")
        terminal.wait_for("Short identifier")
        terminal.keys("chu-test", "Enter")
        terminal.wait_for("Name of the party")
        terminal.keys("CHU de Test", "Enter")
        terminal.wait_for("Legal form")
        terminal.keys("C-c")
        screen = terminal.wait_for("--resume")
        assert "Everything you typed is saved" in screen
        state = json.loads((tmp_path / STATE_FILE).read_text("utf-8"))
        assert state["data"]["parties"][0] == {"id": "chu-test", "name": "CHU de Test"}

        terminal.run(command.replace("--lang en", "--lang en --resume"))
        screen = terminal.wait_for("Legal form")
        assert "Short identifier" not in screen
    finally:
        terminal.close()
