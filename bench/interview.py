"""`make interview-bench`: how much each example's interview asks of its user, measured.

For each answers file in examples/, the interview is run from scratch (not `--from`) through
its own step loop — `run_interview` with a `Prompter` — by an answerer that gives each step the
value the example has: for "is there …?" whether the section exists, for "add another?"
whether the example has another item, for a free text the text in the documents' language (an
item of a list of texts past the example's last: empty, which ends the list). The
walk therefore follows exactly the example; the answers file written at the end is compared
with the example ("matches"; an answer no question asks and the interview leaves empty, as a
study's processing.retention, can only come from a file edited by hand: it is not compared, and
noted). The review screen is confirmed; a findings menu that blocks signature gets "build a
draft" (noted). The keys of every prompt are kept (`answer`, `keystrokes`): tests/test_screen.py
types them to see a whole interview on screen. Counted, per example:

- prompts: every question the user answers (steps, menus, confirmations);
- keystrokes, under this model of a user who knows the keys and takes the shortest way:
  - text, number, date: Enter alone if the offered text is already the answer; otherwise one
    Ctrl+U to clear an offered text (none if the field is empty), one key per character typed
    (no paste, no completion), then Enter;
  - one choice (a select): Up or Down presses from where the pointer starts (the offered
    answer, else the first entry; the list wraps around, so the shorter way), then Enter;
  - several choices (a checkbox): the pointer starts on the first entry; the fewest Up/Down
    presses that visit every entry whose tick must change (wrapping around), one Space on each,
    then Enter (the `a`/`i` select-all/invert shortcuts are not used);
  - yes/no: one key (Enter when the offered answer is the one wanted, else the letter);
  - a menu (review screen, findings): arrows to the entry from the first one, then Enter.

A step the answerer cannot answer (an unknown kind, a value the step does not offer, a text the
prompt refuses) is not a crash: it gets Enter on what the step offers, and is reported as
skipped. A step asked again and again, or a review screen shown again and again, ends that
example's run (reported) rather than looping.

For a few examples (by default one DPA and one research study), the same keystrokes are then
typed through a prompt_toolkit pipe into the real prompts, as tests/test_interview.py does, and
the wall time of the whole interview is measured, from the first question to the documents
written, with this process's CPU time (steadier on a shared machine); "reproduced" says whether
that run wrote the same answers file as the step loop (so the keystroke model is what the
prompts accept). The table is printed and written as JSON (default out/bench/interview.json);
`--before FILE` shows the change against an earlier JSON.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import io
import itertools
import json
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from questionary import Separator

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as `python bench/interview.py` from anywhere
    sys.path.insert(0, str(ROOT))

from generator.interview.app import _CONFIRM, Prompter, run_interview  # noqa: E402
from generator.interview.prompts import parse  # noqa: E402
from generator.interview.walk import Step  # noqa: E402
from generator.interview.walk import get as _get  # noqa: E402

EXAMPLES = ROOT / "examples"
TIMED = ("chu-teleconsultation", "research-drug-trial")  # the DPA and multi-centre study
DOWN, UP, CLEAR, ENTER, SPACE = "\x1b[B", "\x1b[A", "\x15", "\r", " "
ASKED_AT_MOST = 3  # the same step asked more often: the answerer is going round in circles
MENUS_AT_MOST = 10
Where = tuple[str | int, ...]  # a field's place in the answers
PREFERRED = (_CONFIRM, "draft")  # the review screen's "Confirm"; with blockers, "build a draft"


class Unanswerable(Exception):
    """A step the example gives no value the step can take."""


def _wanted(step: Step, target: dict[str, Any], offered: Any, gettext: Callable[[str], str]) -> Any:
    """What the step's prompt returns when the user answers as the example does."""
    if step.kind == "has":
        return _get(target, step.path[:-1]) is not None
    if step.kind == "more":
        return step.path[-1] < len(_get(target, step.path[:-2]) or [])
    value = _get(target, step.path)
    if step.free_text and isinstance(value, dict):  # {fr, en}: typed in the documents' language
        value = value.get(target.get("language", "fr"))
    if value is None and not step.optional:
        value = offered  # absent from the file: the default, as the question offers it
    if isinstance(value, dt.date):
        value = value.isoformat()
    if step.kind == "bool":
        return bool(value)
    if step.kind in ("text", "int", "date"):
        try:
            return parse(step, "" if value is None else str(value), gettext)
        except ValueError as refused:
            raise Unanswerable(f"the prompt refuses {value!r}: {refused}") from None
    if step.kind == "choice":
        if value in (None, ""):
            if step.optional:
                return None
            raise Unanswerable("no value and no default")
        if str(value) not in step.choices:
            raise Unanswerable(f"{value!r} is not among its choices")
        return step.value_of(str(value))
    if step.kind == "choices":
        wanted = {str(v) for v in (value if isinstance(value, list) else [value] if value else [])}
        if not wanted <= set(step.choices):
            raise Unanswerable(f"{sorted(wanted - set(step.choices))} not among its choices")
        return [c for c in step.choices if c in wanted]  # a checkbox gives the list's order
    raise Unanswerable(f"unknown kind of step {step.kind!r}")


def _arrows(start: int, to: int, count: int) -> list[str]:
    """The shorter way from one entry to another of a list that wraps around."""
    down = (to - start) % count
    return [DOWN] * down if down <= count - down else [UP] * (count - down)


def _checkbox_keys(count: int, toggles: set[int]) -> list[str]:
    """From the first entry, the shortest walk (wrapping around) that visits every entry to
    toggle, a Space on each, then Enter."""
    far = sorted(t for t in toggles if t)
    routes: list[list[int]] = [[]]  # waypoints on the unrolled list: down positive, up negative
    if far:
        routes = [[far[-1]], [far[0] - count]]
        for low, high in itertools.pairwise(far):
            routes += [[low, high - count], [high - count, low]]
    best: list[str] | None = None
    for route in routes:
        keys, at, done = [], 0, set()
        if 0 in toggles:
            keys.append(SPACE)
            done.add(0)
        for waypoint in route:
            while at != waypoint:
                move = 1 if waypoint > at else -1
                at += move
                keys.append(DOWN if move > 0 else UP)
                if at % count in toggles and at % count not in done:
                    keys.append(SPACE)
                    done.add(at % count)
        if best is None or len(keys) < len(best):
            best = keys
    return [*(best or []), ENTER]


def _text_keys(text: str, offered: Any) -> list[str]:
    shown = "" if offered is None else str(offered)
    if text == shown:
        return [ENTER]
    return ([CLEAR] if shown else []) + list(text) + [ENTER]


def _keys(step: Step, offered: Any, value: Any, typed: str) -> list[str]:
    """The keys that give `value` at the step's prompt (see the module's model)."""
    if step.kind in ("has", "more", "bool"):
        return [ENTER] if bool(offered) == bool(value) else ["yes" if value else "no"]
    if step.kind in ("text", "int", "date"):
        return _text_keys(typed, offered)
    if step.kind == "choice":
        options = ([""] if step.optional else []) + list(step.choices)
        start = options.index(str(offered)) if str(offered) in step.choices else 0
        to = options.index("" if value is None else str(value))
        return [*_arrows(start, to, len(options)), ENTER]
    ticked = {str(v) for v in offered or []}
    toggles = {i for i, c in enumerate(step.choices) if (c in value) != (c in ticked)}
    return _checkbox_keys(len(step.choices), toggles)


def _typed(step: Step, target: dict[str, Any], offered: Any, value: Any) -> str:
    """The text typed for a text step: the example's, as it stands in the file."""
    raw = _get(target, step.path)
    if step.free_text and isinstance(raw, dict):
        raw = raw.get(target.get("language", "fr"))
    if raw is None:
        raw = offered if value is not None else ""
    return raw.isoformat() if isinstance(raw, dt.date) else str(raw)


@dataclass
class Answerer:
    """Answers every prompt as the example does, and writes down the keys it would take."""

    target: dict[str, Any]
    keys: list[list[str]] = field(default_factory=list)  # one list per prompt, in order
    questions: int = 0
    menus: int = 0
    skipped: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    asked: Counter[str] = field(default_factory=Counter)
    yes_no: Step | None = None  # one yes/no step, to find which letters answer it

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
        *_more: Any,
    ) -> Any:
        where = "/".join(map(str, step.path))
        self.asked[where] += 1
        if self.asked[where] > ASKED_AT_MOST:
            self.notes.append(f"stopped: {where} asked {ASKED_AT_MOST} times")
            raise EOFError
        self.questions += 1
        if step.kind in ("has", "more", "bool") and self.yes_no is None:
            self.yes_no = step
        try:
            value = _wanted(step, self.target, offered, gettext)
            typed = _typed(step, self.target, offered, value)
            self.keys.append(_keys(step, offered, value, typed))
        except Unanswerable as why:
            self.skipped.append(f"{where}: {why}")
            self.keys.append([ENTER])
            return _enter(step, offered, gettext)
        return value

    def select(self, message: str, choices: Sequence[Any], *_more: Any) -> Any:
        self.menus += 1
        if self.menus > MENUS_AT_MOST:
            self.notes.append(f"stopped: {MENUS_AT_MOST} menus shown")
            raise EOFError
        values = [c.value for c in choices if _selectable(c)]
        if not values:
            self.notes.append(f"stopped: a menu with no entry to pick ({message})")
            raise EOFError
        pick = next((v for v in PREFERRED if v in values), values[0])
        if pick == "draft":
            self.notes.append("findings block signature: a draft was built")
        self.keys.append([*_arrows(0, values.index(pick), len(values)), ENTER])
        return pick

    def confirm(self, message: str, default: bool, *_more: Any) -> bool:
        self.menus += 1
        self.notes.append(f"confirmed with Enter: {message}")
        self.keys.append([ENTER])
        return default


def _selectable(choice: Any) -> bool:
    return hasattr(choice, "value") and not isinstance(choice, Separator) and not choice.disabled


def _enter(step: Step, offered: Any, gettext: Callable[[str], str]) -> Any:
    """What Enter on what the step offers gives, as far as it can be known."""
    if step.kind == "choice":
        if offered is not None and str(offered) in step.choices:
            return step.value_of(str(offered))
        return None if step.optional or not step.choices else step.value_of(step.choices[0])
    if step.kind in ("text", "int", "date"):
        try:
            return parse(step, "" if offered is None else str(offered), gettext)
        except ValueError:
            return offered
    return bool(offered) if step.kind in ("has", "more", "bool") else offered


def _canonical(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _canonical(v) for k, v in value.items() if k != "role_reasoning"}
    if isinstance(value, list):
        return [_canonical(v) for v in value]
    return value


def _steps(example: dict[str, Any]) -> list[Step]:
    """The interview's steps for the example's answers."""
    from generator.interview.questions import gather
    from generator.interview.session import State, pending

    state = State(language=str(example.get("language", "fr")))
    state.data = gather(example)
    return pending(state)[1]


def unasked(example: dict[str, Any], written: Path) -> list[Where]:
    """The example's answers that no question asks and the interview leaves empty (a study's
    processing.retention): only a file edited by hand has them, so they are not compared."""
    data = yaml.safe_load(written.read_text("utf-8")) if written.exists() else {}
    return [
        step.path
        for step in _steps(example)
        if step.kind == "derived"
        and _get(example, step.path) is not None
        and _get(data, step.path) is None
    ]


def _matches(written: Path, example: Path, ignored: list[Where]) -> bool:
    """The answers file written holds the example's answers (free text in the documents'
    language: the one a user types; a multiple choice in any order), but those `ignored`."""
    from generator.answers.languages import in_language
    from generator.answers.load import load_answers
    from generator.errors import InputError

    target = yaml.safe_load(example.read_text("utf-8"))
    several = [s.path for s in _steps(target) if s.kind == "choices"]

    def plain(file: Path) -> Any:
        answers = load_answers(file)
        data = in_language(answers, answers.language).model_dump()
        for path in ignored:
            parent = _get(data, path[:-1])
            if isinstance(parent, dict):
                parent.pop(path[-1], None)
        for path in several:
            parent, chosen = _get(data, path[:-1]), _get(data, path)
            if isinstance(parent, dict) and isinstance(chosen, list):
                parent[path[-1]] = sorted(chosen, key=str)
        return _canonical(data)

    try:
        return plain(written) == plain(example)
    except InputError:  # an answers file the model refuses does not match
        return False


def _same_text(one: Path, other: Path) -> bool:
    return one.exists() and other.exists() and one.read_text("utf-8") == other.read_text("utf-8")


@contextlib.contextmanager
def _quiet_terminal(keys: str = "") -> Any:
    """A prompt_toolkit pipe holding `keys`, then closed: any prompt that reads past them ends
    with EOFError (the interview saves and exits 2) rather than waiting on the real terminal."""
    from prompt_toolkit.application import create_app_session
    from prompt_toolkit.input import create_pipe_input
    from prompt_toolkit.output import DummyOutput

    with create_pipe_input() as pipe:
        pipe.send_text(keys)
        pipe.close()
        with create_app_session(input=pipe, output=DummyOutput()):
            sink = io.StringIO()
            with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
                yield


def _yes_no(step: Step | None, language: str) -> dict[str, str]:
    """The key that answers yes, and no, at this interface language's yes/no prompts: tried on
    the real prompt with one of the interview's yes/no steps (a French interface may take `o`
    for oui)."""
    from generator.interview.i18n import translator

    if step is None:
        return {}
    letters: dict[str, str] = {}
    for word, value, candidates in (("yes", True, "yo"), ("no", False, "n")):
        for letter in candidates:
            with _quiet_terminal(letter), contextlib.suppress(EOFError):
                gettext = translator(language)
                asked = Prompter.terminal(gettext).ask(step, "?", "", not value, language, gettext)
                if asked is value:
                    letters[word] = letter
                    break
        else:
            letters[word] = {"yes": "y", "no": "n"}[word] + ENTER
    return letters


@dataclass
class Measure:
    example: str
    language: str
    kind: str
    prompts: int
    questions: int
    keystrokes: int
    enter_only: int
    exit: int
    matches: bool
    skipped: list[str]
    notes: list[str]
    seconds: float | None = None
    cpu_seconds: float | None = None  # this process's CPU time: steadier on a busy machine
    reproduced: bool | None = None


def answer(example: Path, out: Path, language: str | None = None) -> tuple[Answerer, int]:
    """The example's interview answered from scratch through the step loop, in the interface
    `language` (default: the example's), its answers written in `out`: the answerer holds the
    keys of every prompt, and the exit code."""
    target = yaml.safe_load(example.read_text("utf-8"))
    answerer = Answerer(target)
    with _quiet_terminal():
        code = run_interview(
            language=language or str(target.get("language", "fr")),
            source=None,
            resume=False,
            out=out,
            prompter=answerer.prompter(),
        )
    return answerer, code


def keystrokes(answerer: Answerer, language: str) -> str:
    """Every key the answerer's prompts take, as typed at the terminal's prompts in the
    interface `language` (its yes/no letters)."""
    letters = _yes_no(answerer.yes_no, language)
    return "".join(letters.get(k, k) for keys in answerer.keys for k in keys)


def measure(example: Path, timed: bool) -> Measure:
    target = yaml.safe_load(example.read_text("utf-8"))
    language = str(target.get("language", "fr"))
    with tempfile.TemporaryDirectory(prefix="clausier-bench-") as work:
        steps_out, keys_out = Path(work, "steps"), Path(work, "keys")
        steps_out.mkdir()
        keys_out.mkdir()
        answerer, code = answer(example, steps_out)
        written = steps_out / "answers.yaml"
        ignored = unasked(target, written)
        answerer.notes += [f"not asked, not compared: {'/'.join(map(str, p))}" for p in ignored]
        result = Measure(
            example=example.stem,
            language=language,
            kind="research" if target.get("research") else "dpa",
            prompts=len(answerer.keys),
            questions=answerer.questions,
            keystrokes=sum(map(len, answerer.keys)),
            enter_only=sum(keys == [ENTER] for keys in answerer.keys),
            exit=code,
            matches=written.exists() and _matches(written, example, ignored),
            skipped=answerer.skipped,
            notes=answerer.notes,
        )
        if timed:
            typed = keystrokes(answerer, language)
            start, cpu = time.perf_counter(), time.process_time()
            with _quiet_terminal(typed):
                code = run_interview(language=language, source=None, resume=False, out=keys_out)
            result.seconds = time.perf_counter() - start
            result.cpu_seconds = time.process_time() - cpu
            again = keys_out / "answers.yaml"
            result.reproduced = code == 0 and _same_text(written, again)
            if not result.reproduced:
                result.notes.append(
                    f"the keystrokes typed into the prompts did not write the same answers "
                    f"(exit {code}): the keystroke model is off"
                )
    return result


def table(results: list[Measure], before: dict[str, dict[str, Any]]) -> str:
    def cell(result: Measure, name: str) -> str:
        value = getattr(result, name)
        text = "—" if value is None else f"{value:.2f}" if isinstance(value, float) else str(value)
        old = before.get(result.example, {}).get(name)
        if old is not None and value is not None:
            text += f" (was {old:.2f})" if isinstance(old, float) else f" (was {old})"
        return text

    columns = ("prompts", "keystrokes", "seconds", "cpu_seconds")
    rows = [("example", "prompts", "keystrokes", "seconds", "cpu seconds")]
    rows += [(r.example, *(cell(r, c) for c in columns)) for r in results]
    width = [max(len(row[i]) for row in rows) for i in range(len(columns) + 1)]
    lines = [
        "  ".join(
            v.ljust(width[i]) if i == 0 else v.rjust(width[i]) for i, v in enumerate(row)
        ).rstrip()
        for row in rows
    ]
    for r in results:
        problems = [*r.notes, *(f"skipped {s}" for s in r.skipped)]
        if not r.matches:
            problems.append("the answers written differ from the example")
        if r.exit:
            problems.append(f"interview exit code {r.exit}")
        lines += [f"  {r.example}: {p}" for p in problems]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", default="", help="comma-separated names (default: all)")
    parser.add_argument(
        "--timed", default=",".join(TIMED), help="examples typed into the prompts, timed"
    )
    parser.add_argument("--json", type=Path, default=ROOT / "out" / "bench" / "interview.json")
    parser.add_argument("--before", type=Path, help="an earlier JSON, to show the change")
    args = parser.parse_args(argv)
    names = [n for n in args.examples.split(",") if n]
    files = [EXAMPLES / f"{n}.yaml" for n in names] or sorted(EXAMPLES.glob("*.yaml"))
    timed = {n for n in args.timed.split(",") if n}
    results, failed = [], []
    for file in files:
        try:
            results.append(measure(file, file.stem in timed))
        except Exception as error:  # one example that fails is said, and the others measured
            failed.append(f"{file.stem}: {type(error).__name__}: {error}")
    before = {}
    if args.before:
        before = {r["example"]: r for r in json.loads(args.before.read_text("utf-8"))["examples"]}
    print("Interview of each example, answered from scratch (model: bench/interview.py)")
    print(table(results, before))
    args.json.parent.mkdir(parents=True, exist_ok=True)
    report = {"examples": [r.__dict__ for r in results]}
    args.json.write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n", "utf-8")
    print(f"written to {args.json}")
    for failure in failed:
        print(f"failed: {failure}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
