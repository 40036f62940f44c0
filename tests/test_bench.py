"""`make bench` keeps working: a tiny run prints every figure (its verdicts are not asserted —
timings are checked by the benchmark on a quiet machine, never by the test suite). The PDF
figure converts two documents here, or says it is skipped without LibreOffice."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import yaml
from conftest import ROOT, interview_bench


def test_bench_prints_every_figure() -> None:
    tiny = ["--runs", "1", "--files", "4", "--pdf-docs", "2"]
    result = subprocess.run(
        [sys.executable, ROOT / "bench" / "run.py", *tiny],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode in (0, 1), result.stderr  # 1: a target missed on a busy machine
    for figure in ("(a)", "(b)", "(c)", "(d)", "(e)", "(f)", "(g)", "(h)"):
        assert f"  {figure} " in result.stdout, result.stdout
    assert "docs/s" in result.stdout and "MB" in result.stdout


def test_interview_bench_counts_the_prompts_of_an_example(tmp_path: Path) -> None:
    """`make interview-bench` on the shortest example: its interview answered from scratch
    writes the example's answers, and the keystrokes counted, typed into the real prompts,
    write them again (the keystroke model is what the prompts accept). No timing asserted."""
    report = tmp_path / "interview.json"
    example = "research-internal-study"
    result = subprocess.run(
        [sys.executable, ROOT / "bench" / "interview.py", "--examples", example,
         "--timed", example, "--json", report],
        capture_output=True,
        text=True,
        timeout=600,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert f"\n{example} " in result.stdout and "keystrokes" in result.stdout
    (measured,) = json.loads(report.read_text("utf-8"))["examples"]
    assert measured["prompts"] > 0 and measured["keystrokes"] > measured["prompts"]
    assert measured["matches"] and measured["reproduced"] and not measured["skipped"]
    assert "not asked, not compared: processing/retention" in measured["notes"]  # a study's
    assert measured["seconds"] is not None


def test_interview_bench_skips_a_step_it_cannot_answer(tmp_path: Path) -> None:
    """An answer the prompt refuses (a country code that is not ISO 3166) is reported as
    skipped, and the run goes on instead of failing."""
    bench = interview_bench()
    target = yaml.safe_load((ROOT / "examples" / "clinic-lab-results.yaml").read_text("utf-8"))
    target["parties"][0]["country"] = "XX"
    example = tmp_path / "refused-country.yaml"
    example.write_text(yaml.safe_dump(target, allow_unicode=True), "utf-8")
    measured = bench.measure(example, timed=False)
    assert measured.prompts > 0
    assert [s for s in measured.skipped if s.startswith("parties/0/country: ")], measured.skipped
    assert not measured.matches


def test_interview_bench_keystroke_model() -> None:
    """The shorter way round a list that wraps; a checkbox's fewest moves, a Space on each
    entry to toggle."""
    bench = interview_bench()
    down, up, space, enter = bench.DOWN, bench.UP, bench.SPACE, bench.ENTER
    assert bench._arrows(0, 2, 5) == [down, down]
    assert bench._arrows(0, 4, 5) == [up]
    assert bench._checkbox_keys(5, set()) == [enter]
    assert bench._checkbox_keys(5, {0, 4}) == [space, up, space, enter]
    assert bench._checkbox_keys(6, {1, 5}) == [down, space, up, up, space, enter]
    assert bench._checkbox_keys(4, {1, 2}) == [down, space, down, space, enter]
