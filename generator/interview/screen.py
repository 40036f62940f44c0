"""The interview's screen: prompts in the interface language, lines wrapped at word boundaries
at the terminal's width, a pointer seen on dark and light terminals, and each answer echoed in
the interface language once its prompt is erased (so Ctrl+B can erase that echo too).

questionary's confirm, select and checkbox write English of their own ("(Y/n)", "Yes", "(Use
arrow keys)", "done (7 selections)") and let the terminal cut long lines mid-word; these prompts
are built from its parts (InquirerControl, its layout, Question) and prompt_toolkit's, with
the words of the language given.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from prompt_toolkit import PromptSession, print_formatted_text
from prompt_toolkit.application import Application
from prompt_toolkit.application.current import get_app_session
from prompt_toolkit.document import Document
from prompt_toolkit.formatted_text import FormattedText
from prompt_toolkit.key_binding import KeyBindings
from prompt_toolkit.keys import Keys
from prompt_toolkit.layout.processors import Processor, Transformation, TransformationInput
from prompt_toolkit.layout.utils import explode_text_fragments
from prompt_toolkit.lexers import SimpleLexer
from questionary import Choice, Question, Separator, Style
from questionary.prompts.common import InquirerControl, build_validator, create_inquirer_layout
from questionary.styles import merge_styles_default

Fragments = list[tuple[str, str]]

# Reverse video and bold, not a colour: the pointed line shows on any terminal background.
STYLE = merge_styles_default(
    [
        Style(
            [
                ("qmark", "bold"),
                ("question", "bold"),
                ("answer", "bold"),
                ("instruction", "fg:#777777 italic"),
                ("pointer", "noinherit bold reverse"),
                ("highlighted", "noinherit bold reverse"),
                ("selected", "noinherit bold"),
            ]
        )
    ]
)
QMARK = "›"
INDENT = "  "


@dataclass(frozen=True)
class Words:
    """The interface language's words for the prompts' own chrome. The keys of a yes/no
    question are the first letters of its two words: o/n in French, y/n in English."""

    yes: str
    no: str
    pick: str  # how to answer a single choice
    pick_or_key: str  # the same, when choices have keys of their own
    tick: str  # how to answer several
    none: str  # an answer left empty, or nothing ticked

    @classmethod
    def of(cls, gettext: Callable[[str], str]) -> Words:
        return cls(
            gettext("Yes"),
            gettext("No"),
            gettext("arrow keys to move, Enter to choose"),
            gettext("a choice's key or arrow keys, then Enter"),
            gettext("Space ticks or unticks, Enter confirms"),
            gettext("(none)"),
        )

    @property
    def keys(self) -> tuple[str, str]:
        return self.yes[0].lower(), self.no[0].lower()

    def hint(self, default: bool) -> str:
        yes, no = self.keys
        return f"({yes.upper()}/{no})" if default else f"({yes}/{no.upper()})"


def columns() -> int:
    """The terminal's width, less one column (a full last column makes some terminals wrap)."""
    return max(20, get_app_session().output.get_size().columns - 1)


def wrap(fragments: Fragments, width: int) -> Fragments:
    """Styled text broken at spaces so that no line is wider than `width` (a longer word stays
    whole); continuation lines are indented. No-break spaces never break."""
    out: Fragments = []
    column, words_on_line, space = 0, False, ("", "")
    for style, text in fragments:
        for piece in re.split(r"(\n| +)", text):
            if not piece:
                continue
            if piece == "\n":
                out.append((style, "\n"))
                column, words_on_line, space = 0, False, ("", "")
            elif piece.startswith(" "):
                space = (style, piece)
            else:
                if words_on_line and column + len(space[1]) + len(piece) > width:
                    out.append(("", "\n" + INDENT))
                    column = len(INDENT)
                elif space[1]:
                    out.append(space)
                    column += len(space[1])
                out.append((style, piece))
                column += len(piece)
                words_on_line, space = True, ("", "")
    if space[1]:
        out.append(space)
    return out


def rows(fragments: Fragments, width: int) -> int:
    """The terminal rows that text takes at `width` columns (+1 for the rows' ends)."""
    lines = "".join(text for _style, text in fragments).split("\n")
    return sum(max(1, math.ceil(len(line) / (width + 1))) for line in lines)


def header(message: str, hint: str = "", help_text: str = "") -> Fragments:
    """The question, what keys answer it, and its help on the lines below, wrapped."""
    fragments = [("class:qmark", QMARK), ("class:question", f" {message} ")]
    if hint:
        fragments.append(("class:instruction", hint))
    if help_text:
        fragments += [("", "\n"), ("class:instruction", INDENT + help_text)]
    return wrap(fragments, columns())


class Echo:
    """Rows the last answer's echo took, which Ctrl+B at the next question erases."""

    rows = 0


def echo(message: str, answer: str) -> None:
    """The answered question, one line (wrapped): the prompt itself is erased when done."""
    width = columns()
    fragments = wrap(
        [("class:qmark", QMARK), ("class:question", f" {message} "), ("class:answer", answer)],
        width,
    )
    print_formatted_text(FormattedText(fragments), style=STYLE)
    Echo.rows = rows(fragments, width)


def say(text: str) -> int:
    """Print a line of the interview (a section heading), wrapped; the rows it took."""
    width = columns()
    fragments = wrap([("", text)], width)
    print_formatted_text(FormattedText(fragments), style=STYLE)
    return rows(fragments, width)


def erase(count: int) -> None:
    """Erase the `count` rows above the cursor (what Ctrl+B takes back)."""
    if count <= 0:
        return
    output = get_app_session().output
    output.cursor_up(count)
    output.erase_down()
    output.flush()


def _interruptible(bindings: KeyBindings) -> None:
    @bindings.add(Keys.ControlC, eager=True)
    def _(event: Any) -> None:
        event.app.exit(exception=KeyboardInterrupt, style="class:aborting")

    @bindings.add(Keys.Any)
    def _ignore(event: Any) -> None:
        """No typing into a choice."""


def confirm(message: str, default: bool, help_text: str, words: Words) -> Question:
    """Yes or no, answered by the language's keys (o/n, y/n) or Enter for the default."""
    bindings = KeyBindings()
    _interruptible(bindings)
    for key, value in zip(words.keys, (True, False)):
        for case in {key, key.upper()}:
            bindings.add(case)(lambda event, value=value: event.app.exit(result=value))

    @bindings.add(Keys.ControlM, eager=True)
    def _enter(event: Any) -> None:
        event.app.exit(result=default)

    session: PromptSession[Any] = PromptSession(
        lambda: header(message, words.hint(default), help_text),
        key_bindings=bindings,
        style=STYLE,
        erase_when_done=True,
    )
    return Question(session.app)


class WordWrap(Processor):
    """Wraps a typed answer between words (prompt_toolkit wraps it at any character): the space
    before a word that would cross the row's end is widened to that end. The first row starts
    after the prompt's last line, `first_row()` columns wide."""

    def __init__(self, first_row: Callable[[], int]):
        self.first_row = first_row

    def apply_transformation(self, ti: TransformationInput) -> Transformation:
        fragments = explode_text_fragments(ti.fragments)
        text = "".join(piece for _style, piece, *_rest in fragments)
        width, column = max(ti.width, 1), self.first_row() if ti.lineno == 0 else 0
        pads: list[tuple[int, int]] = []  # (before which character, how many spaces)
        for match in re.finditer(r" +|[^ ]+", text):
            length, end = len(match.group()), column + len(match.group())
            crossing = end > width or (end == width and match.end() < len(text))
            if match.group()[0] != " " and column and crossing:  # (not a space at a row start)
                pads.append((match.start(), width - column))
                column = 0
            column = (column + length) % width
        if not pads:
            return Transformation(ti.fragments)
        out = list(fragments)
        for index, count in reversed(pads):
            out[index:index] = [("", " ")] * count

        def to_display(position: int) -> int:
            return position + sum(count for index, count in pads if index <= position)

        def to_source(position: int) -> int:
            shift = 0
            for index, count in pads:
                if position < index + shift:
                    break
                if position < index + shift + count:
                    return index
                shift += count
            return position - shift

        return Transformation(out, to_display, to_source)


def _last_row(fragments: Fragments) -> int:
    return len("".join(piece for _style, piece in fragments).rsplit("\n", 1)[-1])


def text(message: str, default: str, help_text: str, validate: Callable[[str], Any]) -> Question:
    """A typed answer; under a help text, typed on a line of its own."""

    def prompt() -> Fragments:
        if not help_text:
            return header(message)
        return [*header(message, "", help_text), ("", "\n"), ("class:instruction", INDENT + "> ")]

    session: PromptSession[str] = PromptSession(
        prompt,
        input_processors=[WordWrap(lambda: _last_row(prompt()))],
        style=STYLE,
        validator=build_validator(validate),
        lexer=SimpleLexer("class:answer"),
        erase_when_done=True,
    )
    session.default_buffer.reset(Document(default))
    return Question(session.app)


def _moves(bindings: KeyBindings, control: InquirerControl) -> None:
    @bindings.add(Keys.Down, eager=True)
    def _down(event: Any) -> None:
        control.select_next()
        while not control.is_selection_valid():
            control.select_next()

    @bindings.add(Keys.Up, eager=True)
    def _up(event: Any) -> None:
        control.select_previous()
        while not control.is_selection_valid():
            control.select_previous()


def select(
    message: str,
    choices: Sequence[Choice | Separator],
    default: Any,
    help_text: str,
    words: Words,
) -> Question:
    """One choice with the arrow keys, the pointer starting on `default`; a choice given a key
    of its own (the review's sections, by number) is also pointed at by pressing that key."""
    keyed = [
        c
        for c in choices
        if not isinstance(c, Separator) and not c.auto_shortcut and c.shortcut_key
    ]
    control = InquirerControl(
        list(choices),
        pointer="»",
        use_indicator=False,
        use_shortcuts=bool(keyed),
        initial_choice=default,
    )
    hint = words.pick_or_key if keyed else words.pick
    layout = create_inquirer_layout(control, lambda: header(message, f"({hint})", help_text))
    bindings = KeyBindings()
    _interruptible(bindings)
    _moves(bindings, control)
    for choice in keyed:  # as questionary's shortcuts: the key points, Enter picks

        @bindings.add(str(choice.shortcut_key), eager=True)
        def _key(event: Any, index: int = control.choices.index(choice)) -> None:
            control.pointed_at = index

    @bindings.add(Keys.ControlM, eager=True)
    def _enter(event: Any) -> None:
        control.is_answered = True
        event.app.exit(result=control.get_pointed_at().value)

    application: Application[Any] = Application(
        layout=layout, key_bindings=bindings, style=STYLE, erase_when_done=True
    )
    return Question(application)


def checkbox(
    message: str,
    choices: Sequence[Choice],
    help_text: str,
    validate: Callable[[list[Any]], bool | str],
    words: Words,
) -> Question:
    """Several choices: Space ticks or unticks the pointed one, Enter confirms (if valid)."""
    control = InquirerControl(list(choices), pointer="»")
    layout = create_inquirer_layout(control, lambda: header(message, f"({words.tick})", help_text))
    bindings = KeyBindings()
    _interruptible(bindings)
    _moves(bindings, control)

    def ticked() -> list[Any]:
        return [c.value for c in control.get_selected_values()]

    def valid() -> bool:
        verdict = validate(ticked())
        control.error_message = (  # type: ignore[assignment]
            None
            if verdict is True or not control.submission_attempted
            else FormattedText([("class:validation-toolbar", str(verdict))])
        )
        return verdict is True

    @bindings.add(" ", eager=True)
    def _toggle(event: Any) -> None:
        pointed = control.get_pointed_at().value
        if pointed in control.selected_options:
            control.selected_options.remove(pointed)
        else:
            control.selected_options.append(pointed)
        valid()

    @bindings.add(Keys.ControlM, eager=True)
    def _enter(event: Any) -> None:
        control.submission_attempted = True
        if valid():
            control.is_answered = True
            event.app.exit(result=ticked())

    application: Application[Any] = Application(
        layout=layout, key_bindings=bindings, style=STYLE, erase_when_done=True
    )
    return Question(application)


def title(choices: Sequence[Choice | Separator], value: Any) -> str:
    """What a choice reads as, for the echo of the answer."""
    return next(
        (str(c.title) for c in choices if not isinstance(c, Separator) and c.value == value),
        str(value),
    )
