"""Asking one step in the terminal: the right questionary prompt for its kind, the previous
answer as default, validation with the model's own constraints, and Ctrl+B to go back."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from typing import Annotated, Any

import questionary
from prompt_toolkit.key_binding import KeyBindings, merge_key_bindings
from pydantic import TypeAdapter, ValidationError

from ..answers.model import EMAIL_PATTERN
from ..library.load import default_labels
from . import screen
from .walk import Step

BACK = object()  # what a prompt returns when the user pressed Ctrl+B


class Interrupted(KeyboardInterrupt):
    """Ctrl+C at a question, with what was typed of the answer so far."""

    def __init__(self, typed: str):
        super().__init__()
        self.typed = typed


def _with_back(question: questionary.Question) -> questionary.Question:
    bindings = KeyBindings()

    @bindings.add("c-b", eager=True)
    def _(event: Any) -> None:
        event.app.exit(result=BACK)

    @bindings.add("c-c", eager=True)
    def _interrupt(event: Any) -> None:
        # A half-typed answer is kept: --resume offers it again.
        event.app.exit(exception=Interrupted(event.app.current_buffer.text), style="class:aborting")

    app = question.application
    app.key_bindings = merge_key_bindings([app.key_bindings, bindings])  # type: ignore[list-item]
    return question


def _adapter(step: Step) -> TypeAdapter[Any]:
    metadata = step.info.metadata if step.info else []
    annotation = Annotated[(step.annotation, *metadata)] if metadata else step.annotation
    return TypeAdapter(annotation)


def _message(error: ValidationError, gettext: Callable[[str], str]) -> str:
    """The model's constraint, said in the interface language."""
    first = error.errors()[0]
    kind, context = first["type"], first.get("ctx") or {}
    if kind in ("greater_than_equal", "less_than_equal"):
        bound = context.get("ge", context.get("le"))
        words = (
            gettext("At least {number}.")
            if kind == "greater_than_equal"
            else gettext("At most {number}.")
        )
        return words.format(number=bound)
    if kind == "string_too_long":
        return gettext("Too long: at most {number} characters.").format(
            number=context.get("max_length")
        )
    if kind == "string_pattern_mismatch":
        if context.get("pattern") == EMAIL_PATTERN:
            return gettext("This is not an e-mail address.")
        return gettext("Use lower-case letters, digits and hyphens (e.g. chu-tours).")
    if "ISO 3166" in str(first["msg"]):
        return gettext("Not an ISO 3166 country code (e.g. FR, DE, US).")
    return str(first["msg"]).removeprefix("Value error, ")


def parse(step: Step, raw: str, gettext: Callable[[str], str]) -> Any:
    """The value of a typed answer, or a ValueError whose text is shown to the user."""
    text = raw.strip()
    if not text:
        if step.optional:
            return None
        raise ValueError(gettext("An answer is required."))
    if step.kind == "int":
        if not re.fullmatch(r"[0-9]+", text):
            raise ValueError(gettext("Please type a whole number."))
        value: Any = int(text)
    elif step.kind == "date":
        value = _date(text)
        if value is None:
            raise ValueError(gettext("Please type a date as YYYY-MM-DD or DD/MM/YYYY."))
    else:
        value = text
    if step.annotation is not None:
        try:
            value = _adapter(step).validate_python(value)
        except ValidationError as exc:
            raise ValueError(_message(exc, gettext)) from None
    return value.isoformat() if isinstance(value, dt.date) else value


def _date(text: str) -> dt.date | None:
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def _label(step: Step, value: str, language: str) -> str:
    if value in step.titles:  # a party: its name, its id being only the answers' reference
        return step.titles[value]
    words = default_labels().get(step.labels or "", {}).get(value)
    return f"{words[language]} ({value})" if words else value


def ask(
    step: Step,
    message: str,
    instruction: str,
    default: Any,
    language: str,
    gettext: Callable[[str], str],
) -> Any:
    """Ask one step; return its value, or BACK. The answer is echoed in the interface
    language once the prompt is erased."""
    words = screen.Words.of(gettext)
    choices: list[questionary.Choice] = []
    if step.kind in ("has", "more", "bool"):
        question = screen.confirm(message, bool(default), instruction, words)
    elif step.kind == "choice":
        choices = [questionary.Choice(_label(step, c, language), value=c) for c in step.choices]
        if step.optional:
            choices.insert(0, questionary.Choice(gettext("(none)"), value=""))
        offered = str(default) if default is not None and str(default) in step.choices else None
        question = screen.select(message, choices, offered, instruction, words)
    elif step.kind == "choices":
        chosen = {str(v) for v in default or []}
        choices = [
            questionary.Choice(_label(step, c, language), value=c, checked=c in chosen)
            for c in step.choices
        ]

        def enough(values: list[str]) -> bool | str:
            try:
                if step.annotation is not None:
                    _adapter(step).validate_python(values)
            except ValidationError:
                return gettext("Tick at least one.")
            return True

        question = screen.checkbox(message, choices, instruction, enough, words)
    else:

        def valid(raw: str) -> bool | str:
            try:
                parse(step, raw, gettext)
            except ValueError as exc:
                return str(exc)
            return True

        question = screen.text(message, "" if default is None else str(default), instruction, valid)
    value = _with_back(question).unsafe_ask()
    if value is BACK:
        return BACK
    screen.echo(message, _said(step, value, choices, words))
    if step.kind == "choice":
        return step.value_of(value) if value else None
    if step.kind in ("text", "int", "date"):
        return parse(step, value, gettext)
    return value


def _said(step: Step, value: Any, choices: list[questionary.Choice], words: screen.Words) -> str:
    """An answer as the echo shows it, in the interface language."""
    if step.kind in ("has", "more", "bool"):
        return words.yes if value else words.no
    if step.kind == "choice":
        return screen.title(choices, value)
    if step.kind == "choices":
        return "; ".join(screen.title(choices, v) for v in value) or words.none
    return str(value).strip() or words.none


def select(
    message: str,
    choices: Sequence[questionary.Choice | questionary.Separator],
    gettext: Callable[[str], str],
) -> Any:
    """A menu (the review screen, the findings): the value of the choice picked. Choices given
    a key of their own (the review's sections, by number) are reached by pressing it."""
    value = screen.select(message, choices, None, "", screen.Words.of(gettext)).unsafe_ask()
    screen.echo(message, screen.title(choices, value))
    return value


def confirm(message: str, default: bool, gettext: Callable[[str], str]) -> bool:
    words = screen.Words.of(gettext)
    value = bool(screen.confirm(message, default, "", words).unsafe_ask())
    screen.echo(message, words.yes if value else words.no)
    return value
