"""The interview from start to documents: questions, review, findings, files."""

from __future__ import annotations

import datetime as dt
import functools
import os
import re
import shlex
import shutil
import sys
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import questionary

from ..answers.load import validate_answers
from ..answers.model import FORMAT_VERSION, Language
from ..answers.yamlfile import dump_yaml, parse_yaml, read_yaml
from ..errors import EXIT_BLOCKED, EXIT_INPUT, EXIT_INTERRUPTED, InputError
from . import prompts, screen
from .i18n import interface_language, translator
from .prompts import BACK, Interrupted
from .questions import SECTIONS, SPECS, derived_roles, gather
from .session import STATE_FILE, State, collect, is_group_marker, pending, progress
from .walk import Step, get, meta_key


class _Stop(Exception):
    """The user chose to stop after seeing the findings; the answers are saved."""


Menu = Sequence[questionary.Choice | questionary.Separator]


@dataclass(frozen=True)
class Prompter:
    """How the interview asks: one step (its value, or BACK), a menu (the value picked), a
    yes/no. The terminal's prompts, unless a caller answers instead (the tests drive the step
    loop, the review and the findings this way, without prompt_toolkit). Each may raise
    KeyboardInterrupt (Interrupted, with the text typed so far) or EOFError, as prompts do."""

    ask: Callable[[Step, str, str, Any, str, Callable[[str], str]], Any]
    select: Callable[[str, Menu], Any]
    confirm: Callable[[str, bool], bool]

    @classmethod
    def terminal(cls, gettext: Callable[[str], str]) -> Prompter:
        """The terminal's prompts, their own words in the interface language."""
        return cls(
            prompts.ask,
            functools.partial(prompts.select, gettext=gettext),
            functools.partial(prompts.confirm, gettext=gettext),
        )


def run_interview(
    language: str | None,
    source: Path | None,
    resume: bool,
    out: Path,
    prompter: Prompter | None = None,
) -> int:
    saved = State.load(out) if resume or (out / STATE_FILE).exists() else None
    # The interface language: --lang, else the saved interview's, else the locale's.
    ui = interface_language(language or (saved.language if saved else None))
    _ = translator(ui)
    if prompter is None:
        if not sys.stdin.isatty() and not _reads_pipe():
            problem = unfinished(out, _) if saved and not resume else not_a_terminal(_)
            print(f"clausier: {problem}", file=sys.stderr)
            return EXIT_INPUT
        prompter = Prompter.terminal(_)
    if saved is not None and not resume:
        try:
            resume = _resume_or_anew(saved, out, _, prompter)
        except KeyboardInterrupt:
            return _interrupted(out, _)
        except EOFError:
            print(f"\nclausier: {unfinished(out, _)}", file=sys.stderr)
            return EXIT_INPUT
    if saved is not None and resume:
        state = saved
        state.language = ui  # an explicit --lang on resume changes the interface language
    else:
        state = _start(ui, source)
        if source is not None:
            _take_answers(state, out)  # amending a file: its answers stand, the review first
    try:
        _questions(state, out, _, prompter)
        while True:
            answers = _review_and_validate(state, out, _, prompter)
            outcome = _findings(answers, state, out, _, prompter)
            if outcome is not None:
                return _write(answers, state, out, outcome, _, prompter)
    except KeyboardInterrupt:
        state.save(out)
        return _interrupted(out, _)
    except EOFError:
        state.save(out)
        print(f"\nclausier: {not_a_terminal(_)}", file=sys.stderr)
        return EXIT_INPUT
    except _Stop:
        state.save(out)
        print(_("Stopped. Your answers are saved; to continue, run:"))
        print(f"  {resume_command(out)}")
        return EXIT_BLOCKED


def _interrupted(out: Path, _: Callable[[str], str]) -> int:
    print("\n" + _("Interrupted. Everything you typed is saved; to continue, run:"))
    print(f"  {resume_command(out)}")
    return EXIT_INTERRUPTED


def resume_command(out: Path) -> str:
    """The command that continues the interview saved in `out`, as it works when typed where
    the interview was started: `make run` sets CLAUSIER_MAKE_RUN (the make variables, run from
    the project folder); otherwise the program as it was started (`.venv/bin/clausier`, or
    `clausier` when that is the one on the PATH)."""
    folder = shlex.quote(str(out))
    if os.environ.get("CLAUSIER_MAKE_RUN"):
        return f"make run OUT={folder} RESUME=1"
    return f"{_program()} interview --resume --out {folder}"


def _program() -> str:
    started = Path(sys.argv[0])
    if started.name == "__main__.py":  # python -m generator
        return f"{shlex.quote(sys.executable)} -m generator"
    on_path = shutil.which(started.name)
    if on_path and started.exists() and Path(on_path).resolve() == started.resolve():
        return started.name
    return shlex.quote(str(started))


def unfinished(out: Path, gettext: Callable[[str], str]) -> str:
    """Why an interview that cannot ask (no terminal, input closed) refuses to start over."""
    return gettext(
        "an unfinished interview is saved in {file}; nothing was overwritten. To continue it, "
        "run in a terminal: {command}"
    ).format(file=out / STATE_FILE, command=resume_command(out))


def _resume_or_anew(saved: State, out: Path, _: Callable[[str], str], prompter: Prompter) -> bool:
    """A saved interview is never replaced silently: resume it (the default), or start anew
    after a confirmation, the saved state kept in a dated backup. True to resume."""
    saved_at = dt.datetime.fromtimestamp((out / STATE_FILE).stat().st_mtime)
    where = _("An unfinished interview is saved in {file} (answers: {count}; last saved: {time}).")
    message = where.format(
        file=out / STATE_FILE, count=len(saved.history), time=saved_at.strftime("%Y-%m-%d %H:%M")
    )
    while True:
        choice = prompter.select(
            message,
            [
                questionary.Choice(_("Resume it"), value="resume"),
                questionary.Choice(_("Start anew"), value="anew"),
            ],
        )
        if choice == "resume":
            return True
        question = _(
            "Start anew? The unfinished interview will be kept in a backup file; its answers "
            "will not be used."
        )
        if prompter.confirm(question, False):
            backup = State.set_aside(out)
            print(_("The unfinished interview is kept in {file}.").format(file=backup))
            return False


def not_a_terminal(gettext: Callable[[str], str]) -> str:
    return gettext(
        "the interview needs a terminal; to build from an answers file without questions, "
        "run: clausier build ANSWERS --out DIR"
    )


def _reads_pipe() -> bool:
    """Prompts read a prompt_toolkit pipe (how tests drive the interview), not stdin. The
    session's `input` property would create a terminal input, which warns "Input is not a
    terminal" before our own one-line error: only the input given to the session is looked at."""
    from prompt_toolkit.application.current import get_app_session
    from prompt_toolkit.input.base import PipeInput

    return isinstance(get_app_session()._input, PipeInput)


def _start(ui: str, source: Path | None) -> State:
    state = State(language=ui)
    if source is not None:
        located = read_yaml(source)
        validate_answers(located)  # a file to amend must be valid; errors name file:line:field
        state.data = gather(located.data)  # as asked: a flow sent alike by several, once
    state.data["format_version"] = FORMAT_VERSION
    return state


def _questions(state: State, out: Path, _: Callable[[str], str], prompter: Prompter) -> None:
    """Ask every step not answered yet, saving after each answer. Ctrl+B erases the answer it
    takes back from the screen (with any heading printed since), so the question is seen once."""
    shown_section = None
    # Per answer on screen: the heading shown before its question, the rows it took.
    answered: list[tuple[str | None, int]] = []
    while True:
        step, _steps = pending(state)
        if step is None:
            return
        before, rows = shown_section, 0
        heading = progress(step, _)
        if heading and heading != shown_section:
            rows += screen.say(f"\n── {heading} ──")
            shown_section = heading
        screen.Echo.rows = 0
        try:
            value = _ask(step, state, _, prompter)
        except Interrupted as interrupt:
            if interrupt.typed.strip() and step.kind in ("text", "int", "date"):
                state.typed[meta_key(step.path)] = interrupt.typed
            raise
        if value is BACK:
            if state.history:
                state.history.pop()
                shown_section, taken = answered.pop() if answered else (None, 0)
                screen.erase(rows + taken)
            continue
        answered.append((before, rows + screen.Echo.rows))
        state.record(step, value)
        if step.key == "parties.*.roles":
            _keep_reasoning(state, step, _)
        state.save(out)
        warning = _ground_warning(state, step, _)
        if warning:
            print(f"  ⚠ {warning}")


def _take_answers(state: State, out: Path) -> None:
    """Every question the file answers counts as answered, as if Enter had been pressed at it
    (and saved so); a question it leaves without an answer (a field new since) is still asked."""
    skipped: set[str] = set()
    while True:  # again while an answer taken makes other questions apply
        steps = pending(state)[1]
        waiting = [s for s in steps if s.kind != "derived" and not state.answered(s)]
        waiting = [s for s in waiting if meta_key(s.path) not in skipped]
        if not waiting:
            state.save(out)
            return
        for step in waiting:
            value = state.value(step)
            # An item of a list given only in the other language is asked, not removed.
            other = step.ends and get(state.data, step.path) is not None
            if value is None and (other or not (step.optional or step.kind in ("has", "more"))):
                skipped.add(meta_key(step.path))
            else:
                state.record(step, value)


# The questions of a transfer's ground: where its data go is named by the item's fields.
_GROUNDS = ("transfers.*.safeguard", "sub_processors.*.transfer_safeguard")
_FLOW_GROUND = "research.data_flows.*.safeguard"


def _ground_warning(state: State, step: Step, _: Callable[[str], str]) -> str | None:
    """A transfer out of the EEA left on no ground: the blocker the assessment will raise
    (legal.assessment.without_ground), said as soon as the ground is answered."""
    if step.key not in (*_GROUNDS, _FLOW_GROUND) or state.value(step) is not None:
        return None
    from ..answers.yamlfile import format_path
    from ..legal.assessment import ALL_PHRASES, ALL_RULES, without_ground
    from ..legal.findings import Findings
    from ..library.load import default_library
    from ..library.messages import Messages

    item = get(state.data, step.path[:-1]) or {}
    if step.key == _FLOW_GROUND:  # to the recipient's country, or where it stores them
        party = _parties(state).get(item.get("recipient"), {})
        places = [
            (party.get("name"), party.get("country")),
            (party.get("name"), item.get("country")),
        ]
    else:
        places = [(item.get("recipient") or item.get("name"), item.get("country"))]
    out = Findings(ALL_RULES, ALL_PHRASES)
    at = (format_path(step.path),)
    if not any(r and c and without_ground(out, str(r), str(c), None, at) for r, c in places):
        return None
    messages = Messages(default_library(), Language(state.language))
    return _("This will block signature: {finding}").format(finding=messages.cited(out.items[0]))


def _parties(state: State) -> dict[Any, dict[str, Any]]:
    return {p.get("id"): p for p in state.data.get("parties") or [] if isinstance(p, dict)}


def _question(step: Step, state: State, _: Callable[[str], str]) -> str:
    """A question's wording, a party's questions after the party's name (its DPO's too)."""
    message = _(step.spec.text)
    if step.key.startswith("parties.*.") and step.key != "parties.*.name":
        name = (get(state.data, step.path[:2]) or {}).get("name")
        message = f"{name} — {message}" if name else message
    return message


def _ask(step: Step, state: State, _: Callable[[str], str], prompter: Prompter) -> Any:
    message = _question(step, state, _)
    instruction = _(step.spec.help)
    if step.ends:  # an item of a list of texts: what an empty answer does
        instruction = f"{instruction} {_(step.ends)}".strip()
    if step.key == "parties.*.roles":
        instruction = _reasoning(state, step, _) or instruction
    other = state.other_text(step)
    if other and state.value(step) is None:  # to be written in this language too
        instruction = f"{instruction} [{other[0]}] {other[1]}".strip()
    return prompter.ask(step, message, instruction, state.offered(step), state.language, _)


def _reasoning(state: State, step: Step, _: Callable[[str], str]) -> str:
    """Why the facts give these roles, in the interface language (GDPR Arts 4, 26, 28)."""
    party = step.item or {}
    roles = derived_roles(state.data, step.path)
    name = party.get("name", "")
    if state.data.get("research") is not None:
        return _(
            "For a study, tick its research roles (sponsor, CRO, investigating centre, "
            "funder): Clausier derives controller, processor or joint controller from them. "
            "For any other party, tick its own role: processor for a host working for the "
            "sponsor, controller for a recipient using the data for its own purposes."
        )
    if "joint_controller" in roles:
        text = _("{name} decides the purposes with another party: joint controller (Art. 26).")
    elif "controller" in roles:
        text = _("{name} decides why the data are processed: controller (Art. 4(7)).")
    elif "processor" in roles:
        text = _(
            "{name} acts for the party that decides and does not reuse the data: processor "
            "(Art. 4(8), 28)."
        )
    elif party.get("reuses_data_for_own_purposes"):
        text = _("{name} reuses the data for itself: a controller for that use (Art. 28(10)).")
    else:
        return ""
    return text.format(name=name)


def _keep_reasoning(state: State, step: Step, _: Callable[[str], str]) -> None:
    reasoning = _reasoning(state, step, _)
    chosen = set(state.value(step) or [])
    if chosen != set(derived_roles(state.data, step.path)):
        reasoning = (reasoning + " " if reasoning else "") + _("Roles set by the user.")
    parties = state.data.get("parties") or []
    index = step.path[1]
    if isinstance(index, int) and index < len(parties) and reasoning:
        parties[index]["role_reasoning"] = reasoning


_CONFIRM, _SECTIONS = -1, -2  # the review's menu values besides a section or an answer


def _review_and_validate(
    state: State, out: Path, _: Callable[[str], str], prompter: Prompter
) -> Any:
    """The review screen until the user confirms — its sections, each with its answers to
    change — then the whole model validated again."""
    while True:
        _step, steps = pending(state)
        shown = _reviewed(steps)
        choices = [questionary.Choice(_("Confirm these answers"), value=_CONFIRM, shortcut_key="c")]
        for section in dict.fromkeys(s.spec.section for s in shown):
            key = str(section) if section else "g"  # numbered as the interview numbers them
            choices.append(
                questionary.Choice(_section(section, _), value=section, shortcut_key=key)
            )
        picked = prompter.select(_("Review your answers: pick a section, or confirm."), choices)
        if picked != _CONFIRM:
            _review_section(state, picked, out, _, prompter)
            continue
        try:
            return _validated(state, steps)
        except InputError as error:
            print(_("This answer needs a change: {problem}").format(problem=error.message))
            _reopen(state, error.field)
            _questions(state, out, _, prompter)


def _reviewed(steps: list[Step]) -> list[Step]:
    """The questions the review shows: those asked, without "is there / add another?" nor the
    answers the interview fixes itself."""
    return [s for s in steps if not is_group_marker(s) and s.spec.text and s.kind != "derived"]


def _section(section: int, _: Callable[[str], str]) -> str:
    return _(SECTIONS[section - 1]) if section else _("General")


def _review_section(
    state: State, section: int, out: Path, _: Callable[[str], str], prompter: Prompter
) -> None:
    """One section's answers, under the name of the party or item they belong to; the one
    picked is asked again, then the section is shown anew, until the user goes back."""
    while True:
        shown = [s for s in _reviewed(pending(state)[1]) if s.spec.section == section]
        choices: list[questionary.Choice] = [
            questionary.Choice(_("Back to the sections"), value=_SECTIONS)
        ]
        group = None
        for index, step in enumerate(shown):
            if _group(step) != group:
                group = _group(step)
                if group:
                    choices.append(questionary.Separator(f"── {_item_name(state, group)} ──"))
            label = f"{_question(step, state, _)} → {_answer(step, state)}"
            choices.append(questionary.Choice(_wrapped(label), value=index))
        picked = prompter.select(
            _("{section}: pick an answer to change.").format(section=_section(section, _)), choices
        )
        if picked == _SECTIONS:
            return
        _change(state, shown[picked], out, _, prompter)


def _group(step: Step) -> tuple[str | int, ...]:
    """The item of a group (a party, a sub-processor, a data flow) a question belongs to;
    () for a question of no item, or one that is a whole item (a purpose)."""
    first = next((i for i, p in enumerate(step.path) if isinstance(p, int)), None)
    if first is None or not any(isinstance(p, str) for p in step.path[first + 1 :]):
        return ()
    return step.path[: first + 1]


def _item_name(state: State, group: tuple[str | int, ...]) -> str:
    """A group item as the user knows it: its name, or the parties it concerns."""
    item = get(state.data, group)
    item = item if isinstance(item, dict) else {}
    names = {pid: p.get("name") or pid for pid, p in _parties(state).items()}
    if item.get("name"):
        return str(item["name"])
    if item.get("source") and item.get("recipient"):
        source, recipient = item["source"], item["recipient"]
        return f"{names.get(source, source)} → {names.get(recipient, recipient)}"
    for key in ("recipient", "party"):
        if item.get(key):
            return str(names.get(item[key], item[key]))
    return f"#{int(group[-1]) + 1}"


def _answer(step: Step, state: State) -> str:
    """An answer in words: a choice by its label in the interface language, a party by its
    name, yes or no, a free text given only in the other language marked so."""
    value = state.value(step)
    other = state.other_text(step)
    if value is None and other:
        return f"[{other[0]}] {other[1]}"
    if isinstance(value, bool):
        return "✓" if value else "✗"
    values = value if isinstance(value, list) else [value]
    words = [_word(step, v, state) for v in values if v not in (None, "")]
    return "; ".join(words) or "—"


def _word(step: Step, value: Any, state: State) -> str:
    from ..library.load import default_labels

    if step.spec.parties:
        return str(_parties(state).get(value, {}).get("name") or value)
    label = default_labels().get(step.labels or "", {}).get(str(value))
    return label[state.language] if label else str(value)


def _wrapped(label: str) -> str:
    """A review line wrapped at word boundaries to the terminal's width, continuation lines
    under the text (a menu line is not wrapped by the terminal: it would be cut)."""
    width = max(40, shutil.get_terminal_size().columns - 6)
    lines = textwrap.wrap(label, width, subsequent_indent="     ", break_on_hyphens=False)
    return "\n".join(lines) or label


def _change(
    state: State, step: Step, out: Path, _: Callable[[str], str], prompter: Prompter
) -> None:
    state.history.remove(meta_key(step.path))
    _questions(state, out, _, prompter)


def _validated(state: State, steps: list[Step]) -> Any:
    text = dump_yaml(collect(state, steps))
    return validate_answers(parse_yaml(text, "interview"))


def _reopen(state: State, field_path: str | None) -> None:
    """Forget the answer the validation points at, so it is asked again."""
    if not field_path:
        return
    wanted = field_path.replace("[", ".").replace("]", "")
    for key in list(state.history):
        if key.replace("/", ".") == wanted or key.replace("/", ".").startswith(wanted + "."):
            state.history.remove(key)


def _findings(
    answers: Any, state: State, out: Path, _: Callable[[str], str], prompter: Prompter
) -> bool | None:
    """Show the findings; None to go back to the review, else whether to build a draft."""
    from ..legal.assessment import assess
    from ..library.load import default_library
    from ..library.messages import Messages

    assessment = assess(answers)
    messages = Messages(default_library(), Language(state.language))
    for finding in assessment.findings:
        print(f"  [{messages.severity(finding)}] {messages.cited(finding)}")
    if not assessment.blockers:
        return False
    steps = pending(state)[1]
    at_fault = [_asked_for(f, steps) for b in assessment.blockers for f in b.fields]
    questions = list({meta_key(s.path): s for s in at_fault if s is not None}.values())
    choice = prompter.select(
        _("Some findings block signature. What do you want to do?"),
        [
            *(
                questionary.Choice(_("Change: {question}").format(question=_fault(s, state, _)), i)
                for i, s in enumerate(questions)
            ),
            questionary.Choice(_("Change an answer"), value="fix"),
            questionary.Choice(_("Build a DRAFT anyway"), value="draft"),
            questionary.Choice(_("Stop here (answers are saved)"), value="stop"),
        ],
    )
    if choice == "stop":
        raise _Stop
    if isinstance(choice, int):  # that question asked again, then back to the review
        _change(state, questions[choice], out, _, prompter)
    return True if choice == "draft" else None


def _asked_for(field: str, steps: list[Step]) -> Step | None:
    """The question that answers a field a finding names ("transfers[0].safeguard"), or for a
    list ("transfers") the question that adds an item to it (of a list of texts, its last
    item's: empty until typed); None if it is not asked."""
    path = tuple(int(p) if p.isdigit() else p for p in re.split(r"[.\[\]]+", field) if p)
    adds = [
        s
        for s in steps
        if (s.kind == "more" and s.path[:-2] == path) or (s.ends and s.path[:-1] == path)
    ]
    return next((s for s in steps if s.path == path), adds[-1] if adds else None)


def _fault(step: Step, state: State, _: Callable[[str], str]) -> str:
    """The question at fault, with the item it belongs to unless its wording names it."""
    group = _group(step)
    if not group or group[0] == "parties":
        return _question(step, state, _)
    return f"{_question(step, state, _)} ({_item_name(state, group)})"


def _write(
    answers: Any,
    state: State,
    out: Path,
    draft: bool,
    gettext: Callable[[str], str],
    prompter: Prompter,
) -> int:
    from ..errors import OutputError
    from ..pipeline import Settings, build
    from ..word.files import write_new

    _ = gettext
    _step, steps = pending(state)
    target = out / "answers.yaml"
    force = False
    if target.exists():
        force = prompter.confirm(
            _("{file} exists. Replace it and the documents?").format(file=target), False
        )
        if not force:
            print(_("Nothing written. Your answers are saved; to continue, run:"))
            print(f"  {resume_command(out)}")
            return EXIT_BLOCKED
    write_new(target, answers_yaml(collect(state, steps), _).encode(), force=force)
    print(_("Answers written to {file}").format(file=target))
    try:
        outcome = build(answers, str(target), Settings(out, draft=draft, force=force))
    except OutputError as error:
        print(f"clausier: {error}", file=sys.stderr)
        return EXIT_INPUT
    for document in outcome.documents:
        print(f"  {document}")
    if not outcome.documents:
        print(_("No document is due for these answers."))
    (out / STATE_FILE).unlink(missing_ok=True)
    return outcome.status  # the findings were shown before the draft was offered


def answers_yaml(data: dict[str, Any], _: Callable[[str], str]) -> str:
    """The answers as a readable YAML file that `clausier build` accepts unchanged."""
    header = _("Answers written by `clausier interview`. Edit freely, then: clausier build")
    schema = _("JSON Schema of this file: clausier schema")
    lines = [f"# {header} {{file}} --out DIR", f"# {schema}", ""]
    for key, value in data.items():
        section = _section_of(key)
        if section:
            lines.append(f"# {_(SECTIONS[section - 1])}")
        lines.append(dump_yaml({key: value}).rstrip())
        lines.append("")
    return "\n".join(lines).replace("{file}", "answers.yaml")


def _section_of(top: str) -> int:
    """The section a top-level field's questions belong to (0: none)."""
    return next(
        (spec.section for key, spec in SPECS.items() if key.split(".")[0] == top and spec.section),
        0,
    )
