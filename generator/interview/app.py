"""The interview from start to documents: questions, review, findings, files."""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import questionary

from ..answers.load import validate_answers
from ..answers.model import FORMAT_VERSION, Language
from ..answers.yamlfile import dump_yaml, parse_yaml, read_yaml
from ..errors import EXIT_BLOCKED, EXIT_INPUT, EXIT_INTERRUPTED, InputError
from . import prompts
from .i18n import interface_language, translator
from .prompts import BACK, Interrupted
from .questions import N_, SECTIONS, SPECS, derived_roles, gather
from .session import STATE_FILE, State, collect, describe, is_group_marker, pending, progress
from .walk import Step, meta_key

SEVERITY = {"blocker": N_("blocker"), "warning": N_("warning"), "info": N_("info")}


class _Stop(Exception):
    """The user chose to stop after seeing the findings; the answers are saved."""


Menu = Sequence[questionary.Choice | questionary.Separator]


@dataclass(frozen=True)
class Prompter:
    """How the interview asks: one step (its value, or BACK), a menu (the value picked), a
    yes/no. The terminal's prompts, unless a caller answers instead (the tests drive the step
    loop, the review and the findings this way, without prompt_toolkit). Each may raise
    KeyboardInterrupt (Interrupted, with the text typed so far) or EOFError, as prompts do."""

    ask: Callable[[Step, str, str, Any, str, Callable[[str], str]], Any] = prompts.ask
    select: Callable[[str, Menu], Any] = prompts.select
    confirm: Callable[[str, bool], bool] = prompts.confirm


def run_interview(
    language: str | None,
    source: Path | None,
    resume: bool,
    out: Path,
    prompter: Prompter | None = None,
) -> int:
    ui = interface_language(language)
    _ = translator(ui)
    if prompter is None:
        if not sys.stdin.isatty() and not _reads_pipe():
            print(f"clausier: {not_a_terminal(_)}", file=sys.stderr)
            return EXIT_INPUT
        prompter = Prompter()
    state = _start(ui, source, resume, out)
    try:
        _questions(state, out, _, prompter)
        while True:
            answers = _review_and_validate(state, out, _, prompter)
            outcome = _findings(answers, state, out, _, prompter)
            if outcome is not None:
                return _write(answers, state, out, outcome, _, prompter)
    except KeyboardInterrupt:
        state.save(out)
        print("\n" + _("Interrupted. Everything you typed is saved; to continue, run:"))
        print(f"  clausier interview --resume --out {out}")
        return EXIT_INTERRUPTED
    except EOFError:
        state.save(out)
        print(f"\nclausier: {not_a_terminal(_)}", file=sys.stderr)
        return EXIT_INPUT
    except _Stop:
        state.save(out)
        print(_("Stopped. Your answers are saved; resume with: clausier interview --resume"))
        return EXIT_BLOCKED


def not_a_terminal(gettext: Callable[[str], str]) -> str:
    return gettext(
        "the interview needs a terminal; to build from an answers file without questions, "
        "run: clausier build ANSWERS --out DIR"
    )


def _reads_pipe() -> bool:
    """Prompts read a prompt_toolkit pipe (how tests drive the interview), not stdin."""
    from prompt_toolkit.application.current import get_app_session
    from prompt_toolkit.input.base import PipeInput

    return isinstance(get_app_session().input, PipeInput)


def _start(ui: str, source: Path | None, resume: bool, out: Path) -> State:
    if resume:
        return State.load(out)
    state = State(language=ui)
    if source is not None:
        located = read_yaml(source)
        validate_answers(located)  # a file to amend must be valid; errors name file:line:field
        state.data = gather(located.data)  # as asked: a flow sent alike by several, once
    state.data["format_version"] = FORMAT_VERSION
    return state


def _questions(state: State, out: Path, _: Callable[[str], str], prompter: Prompter) -> None:
    """Ask every step not answered yet, saving after each answer."""
    shown_section = None
    while True:
        step, _steps = pending(state)
        if step is None:
            return
        heading = progress(step, _)
        if heading and heading != shown_section:
            print(f"\n── {heading} ──")
            shown_section = heading
        try:
            value = _ask(step, state, _, prompter)
        except Interrupted as interrupt:
            if interrupt.typed.strip() and step.kind in ("text", "int", "date"):
                state.typed[meta_key(step.path)] = interrupt.typed
            raise
        if value is BACK:
            if state.history:
                state.history.pop()
                shown_section = None
            continue
        state.record(step, value)
        if step.key == "parties.*.roles":
            _keep_reasoning(state, step, _)
        state.save(out)


def _ask(step: Step, state: State, _: Callable[[str], str], prompter: Prompter) -> Any:
    name = (step.item or {}).get("name")
    message = _(step.spec.text)
    if name and step.key.startswith("parties.*.") and step.key != "parties.*.name":
        message = f"{name} — {message}"
    instruction = _(step.spec.help)
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


def _review_and_validate(
    state: State, out: Path, _: Callable[[str], str], prompter: Prompter
) -> Any:
    """The review screen until the user confirms, then the whole model validated again."""
    while True:
        _step, steps = pending(state)
        shown = [s for s in steps if not is_group_marker(s) and s.spec.text and s.kind != "derived"]
        choices = [questionary.Choice(_("Confirm these answers"), value=-1)]
        section = None
        for index, step in enumerate(shown):
            if step.spec.section != section:
                section = step.spec.section
                title = _(SECTIONS[section - 1]) if section else _("General")
                choices.append(questionary.Separator(f"── {title} ──"))
            label = f"{_(step.spec.text)[:60]}: {describe(step, state)[:60]}"
            choices.append(questionary.Choice(label, value=index))
        picked = prompter.select(_("Review your answers: pick one to change, or confirm."), choices)
        if picked != -1:
            _change(state, shown[picked], out, _, prompter)
            continue
        try:
            return _validated(state, steps)
        except InputError as error:
            print(_("This answer needs a change: {problem}").format(problem=error.message))
            _reopen(state, error.field)
            _questions(state, out, _, prompter)


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
        severity = _(SEVERITY[finding.severity.value])
        print(f"  [{severity}] {messages.cited(finding)}")
    if not assessment.blockers:
        return False
    choice = prompter.select(
        _("Some findings block signature. What do you want to do?"),
        [
            questionary.Choice(_("Change an answer"), value="fix"),
            questionary.Choice(_("Build a DRAFT anyway"), value="draft"),
            questionary.Choice(_("Stop here (answers are saved)"), value="stop"),
        ],
    )
    if choice == "stop":
        raise _Stop
    return True if choice == "draft" else None


def _write(
    answers: Any,
    state: State,
    out: Path,
    draft: bool,
    gettext: Callable[[str], str],
    prompter: Prompter,
) -> int:
    from ..errors import OutputError
    from ..pipeline import Settings, build, report
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
            print(_("Nothing written. Your answers are saved; resume with --resume."))
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
    (out / STATE_FILE).unlink(missing_ok=True)
    return report([outcome])


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
