"""`clausier interview`: the step loop, saving after every answer, going back, the review
screen, the findings, then the answers file and the documents.

The state — answers so far, the "is there / add another" choices, the order in which questions
were answered — is saved atomically after every answer, so Ctrl+C, a closed terminal or a crash
loses nothing and `--resume` continues at the same question. Started again without it, the
interview offers to resume; starting anew moves the state to a dated backup (State.set_aside).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..answers.model import Answers
from ..errors import InputError, OutputError
from ..word.files import move_without_replacing, write_new
from .questions import SECTIONS, spread
from .walk import HAS, MORE, Step, Walker, get, meta_key, put

STATE_FILE = ".clausier-interview.json"


@dataclass
class State:
    language: str
    data: dict[str, Any] = field(default_factory=dict)
    meta: dict[str, Any] = field(default_factory=dict)
    history: list[str] = field(default_factory=list)  # keys of the steps answered, in order
    typed: dict[str, str] = field(default_factory=dict)  # answers half-typed at Ctrl+C
    # Sections answered "no" after they were filled: kept, should the answer become "yes" again.
    stash: dict[str, Any] = field(default_factory=dict)

    def save(self, folder: Path) -> None:
        """Write the state whole or not at all: a crash or a full disk mid-way leaves the state
        as it was after the previous answer."""
        text = json.dumps(self.__dict__, ensure_ascii=False, indent=1, default=str)
        write_new(folder / STATE_FILE, text.encode(), force=True)

    @classmethod
    def load(cls, folder: Path) -> State:
        file = folder / STATE_FILE
        try:
            raw = json.loads(file.read_text(encoding="utf-8"))
            return cls(**raw)
        except FileNotFoundError:
            raise InputError(file, None, None, "no interview to resume here") from None
        except (ValueError, TypeError) as exc:
            raise InputError(file, None, None, f"unreadable interview state ({exc})") from None

    @staticmethod
    def set_aside(folder: Path) -> Path:
        """Move the saved state to a dated backup beside it, never over an earlier backup (a
        second one in the same second gets "-2")."""
        file = folder / STATE_FILE
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        for number in range(1, 100):
            backup = folder / f"{STATE_FILE}.bak-{stamp}{f'-{number}' if number > 1 else ''}"
            try:
                move_without_replacing(file, backup)
            except FileExistsError:
                continue
            except OSError as exc:
                raise OutputError(f"{file}: could not be set aside ({exc.strerror})") from None
            return backup
        raise OutputError(f"{file}: could not be set aside (too many backups this second)")

    def answered(self, step: Step) -> bool:
        return meta_key(step.path) in self.history

    @property
    def documents_language(self) -> str:
        """The language free text is typed in: the documents'."""
        return str(self.data.get("language") or self.language)

    def value(self, step: Step) -> Any:
        if step.kind in ("has", "more"):
            return self.meta.get(meta_key(step.path), step.default)
        current = get(self.data, step.path)
        if step.free_text and isinstance(current, dict):  # {fr: ..., en: ...}: this one's
            current = current.get(self.documents_language)
        if current is None and step.key == "language":
            return self.language  # documents default to the language the user is asked in
        return step.default if current is None else current

    def offered(self, step: Step) -> Any:
        """What the question shows to start from: the answer half-typed when the interview
        was interrupted there, else the current value."""
        return self.typed.get(meta_key(step.path), self.value(step))

    def other_text(self, step: Step) -> tuple[str, str] | None:
        """A free text's other language and its text, when it has one."""
        current = get(self.data, step.path) if step.free_text else None
        if not isinstance(current, dict):
            return None
        return next(((k, v) for k, v in current.items() if k != self.documents_language), None)

    def record(self, step: Step, value: Any) -> None:
        key = meta_key(step.path)
        self.typed.pop(key, None)
        current = get(self.data, step.path)
        if step.kind == "has":
            self.meta[key] = bool(value)
            self._section_there(step.path[:-1], key, bool(value))
        elif step.kind == "more":
            self.meta[key] = bool(value)
        elif step.ends and value is None:  # an item of a list of texts left empty
            self._remove_item(step.path)
        elif step.free_text and isinstance(current, dict):
            # Typed in the documents' language: the other language's text stays.
            texts = {k: v for k, v in current.items() if k != self.documents_language}
            if value is not None:
                texts[self.documents_language] = value
            put(self.data, step.path, texts or None)
        else:
            if step.key == "language" and current not in (None, value):
                self._pin_free_text(str(current))
            put(self.data, step.path, value)
        if step.spec.then is not None:
            step.spec.then(self.data, step.path)
        if key in self.history:
            self.history.remove(key)
        self.history.append(key)

    def _remove_item(self, path: tuple[str | int, ...]) -> None:
        """An empty answer at an item of a list of texts removes that item alone: the next
        ones move up and stay (at the end of the list it only ends it)."""
        items, index = get(self.data, path[:-1]), path[-1]
        if isinstance(items, list) and isinstance(index, int) and index < len(items):
            del items[index]

    def _section_there(self, path: tuple[str | int, ...], key: str, there: bool) -> None:
        """An optional section is in the answers exactly when the user said it is there, so the
        questions that depend on it (a study's, a DPO's) read the answers, not the choice."""
        current = get(self.data, path)
        if there and current is None:
            put(self.data, path, self.stash.pop(key, {}))
        elif not there and current is not None:
            self.stash[key] = current
            put(self.data, path, None)

    def _pin_free_text(self, language: str) -> None:
        """The documents' language changes: free text typed so far stays marked as written
        in the former one ({fr: ...}), instead of passing for the new one."""
        for step in Walker(self.data, self.meta).steps():
            current = get(self.data, step.path)
            if step.free_text and isinstance(current, str):
                put(self.data, step.path, {language: current})


def pending(state: State) -> tuple[Step | None, list[Step]]:
    """The first step not yet answered, and every step as things stand. An answer the earlier
    ones leave no choice about (the one sponsor ticked) is written as the steps come."""
    steps = []
    for step in Walker(state.data, state.meta).steps():
        if step.kind == "derived" and step.default is not None:
            put(state.data, step.path, step.default)
            state.meta[meta_key(step.path)] = step.default  # written here, not by the user
        steps.append(step)
    asked = (s for s in steps if s.kind != "derived" and not state.answered(s))
    return next(asked, None), steps


def collect(state: State, steps: list[Step]) -> dict[str, Any]:
    """The answers file: only the values of the steps that apply, in the model's order."""
    out: dict[str, Any] = {}
    for step in steps:
        if step.kind in ("has", "more"):
            continue
        value = get(state.data, step.path)
        if value is None or value == [] or value == "":
            continue
        if step.kind == "date" and isinstance(value, str):
            value = dt.date.fromisoformat(value)  # written as a YAML date, not a string
        put(out, step.path, value)
    # Top-level keys in the model's order, as `clausier schema` documents them.
    return spread({name: out[name] for name in Answers.model_fields if name in out})


def progress(step: Step, gettext: Callable[[str], str]) -> str | None:
    if not step.spec.section:
        return None
    name = gettext(SECTIONS[step.spec.section - 1])
    return gettext("Section {number} of {total}: {name}").format(
        number=step.spec.section, total=len(SECTIONS), name=name
    )


def is_group_marker(step: Step) -> bool:
    return step.path[-1] == HAS or (len(step.path) > 1 and step.path[-2] == MORE)
