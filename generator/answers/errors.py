"""What is wrong in an answers file, said in the user's language: every mistake of a file at
once, each on its own line (file:line: field: message), so one run shows all there is to fix.

A misspelt field is named as written, with the field it most likely stands for; a value that
is not one of the choices gets the closest choice and the list of choices, with their words
(clauses/labels.yaml) in the user's language. The English messages are gettext msgids,
translated in locales/ (`make locales`).
"""

from __future__ import annotations

import difflib
import types
import typing
from collections.abc import Callable, Iterator
from enum import Enum
from functools import cache
from typing import Any, Literal, get_args

from pydantic import BaseModel, ValidationError

from ..errors import N_, InputError, InputErrors
from ..i18n import translator
from ..resources import data_dir
from .yamlfile import Located, PathKey, format_path, read_yaml

Say = Callable[[str], str]

# Pydantic's errors, by type, as a user reads them: English msgids, translated where said.
_SAID = {
    "bool_parsing": N_("expected true or false, not '{value}'"),
    "bool_type": N_("expected true or false, not '{value}'"),
    "int_parsing": N_("expected a whole number, not '{value}'"),
    "int_type": N_("expected a whole number, not '{value}'"),
    "int_from_float": N_("expected a whole number, not '{value}'"),
    "greater_than_equal": N_("at least {ge}"),
    "less_than_equal": N_("at most {le}"),
    "string_type": N_("expected a text"),
    "string_too_short": N_("empty: write the text, or remove the field"),
    "string_too_long": N_("too long: at most {max_length} characters"),
    "list_type": N_("expected a list, e.g. [a, b]"),
    "too_short": N_("the list is empty: give at least one"),
    "date_type": N_("expected a date as YYYY-MM-DD, not '{value}'"),
    "date_parsing": N_("expected a date as YYYY-MM-DD, not '{value}'"),
    "date_from_datetime_parsing": N_("expected a date as YYYY-MM-DD, not '{value}'"),
    "date_from_datetime_inexact": N_("expected a date as YYYY-MM-DD, not '{value}'"),
    "model_type": N_("expected fields (name: value) under this one"),
    "model_attributes_type": N_("expected fields (name: value) under this one"),
    "dict_type": N_("expected fields (name: value) under this one"),
}


def input_error(
    located: Located,
    exc: ValidationError,
    prefix: PathKey = (),
    model: type[BaseModel] | None = None,
    language: str = "en",
) -> InputError:
    """Every error of `exc`, located in the file (`prefix`: where the validated value sits in
    it; `model`: the model validated, whose fields and choices the suggestions come from)."""
    return several(located.file, list(_errors(located, exc, prefix, model, language)), language)


def several(file: str, errors: list[InputError], language: str) -> InputError:
    """One error as it is; several under a heading that counts them, in the order of the file."""
    if len(errors) == 1:
        return errors[0]
    ordered = sorted(errors, key=lambda e: e.line or 0)
    _ = translator(language)
    heading = _("{file}: {count} mistakes to correct:")
    return InputErrors(heading.format(file=file, count=len(errors)), ordered)


def _errors(
    located: Located,
    exc: ValidationError,
    prefix: PathKey,
    model: type[BaseModel] | None,
    language: str,
) -> Iterator[InputError]:
    _ = translator(language)
    found = [(_path(e["loc"]), e) for e in exc.errors(include_url=False)]
    missing = {path: e for path, e in found if e["type"] == "missing"}
    meant: dict[PathKey, str] = {}  # a misspelt field's path: the field it stands for
    for path, error in found:
        if error["type"] == "extra_forbidden":
            parent, key = path[:-1], str(path[-1])
            absent = [str(p[-1]) for p in missing if p[:-1] == parent]
            close = _closest(key, absent)
            if close:
                del missing[(*parent, close)]
                meant[path] = close
    reported: set[PathKey] = set()
    for path, error in found:
        where = prefix + path
        if error["type"] == "missing":
            if path not in missing or path[:-1] in reported:
                continue
            siblings = [p for p in missing if p[:-1] == path[:-1]]
            if len(siblings) > 1:  # a section with several fields missing: one line
                reported.add(path[:-1])
                names = ", ".join(str(p[-1]) for p in siblings)
                message = _("required fields missing: {names}").format(names=names)
                yield _at(located, prefix + path[:-1], message)
                continue
            yield _at(located, where, _("required field missing"))
        elif error["type"] == "extra_forbidden":
            if path in meant:
                message = _("unknown field; did you mean '{name}'? It is required and missing.")
                yield _at(located, where, message.format(name=meant[path]))
                continue
            fields = _fields(model, error["loc"][:-1])
            close = _closest(str(path[-1]), [f for f in fields if f not in _keys(located, where)])
            message = _("unknown field; did you mean '{name}'?") if close else _("unknown field")
            yield _at(located, where, message.format(name=close))
        else:
            yield _at(located, where, _message(error, model, _, language))


def _at(located: Located, path: PathKey, message: str) -> InputError:
    return InputError(located.file, located.line_of(path), format_path(path) or None, message)


def _path(loc: tuple[Any, ...]) -> PathKey:
    """The path in the file: pydantic's location without its validator and union tags."""
    from .model import UNION_TAGS

    return tuple(
        p
        for p in loc
        if not (isinstance(p, str) and (p.startswith("function-") or p in UNION_TAGS))
    )


def _keys(located: Located, path: PathKey) -> set[str]:
    """The keys written next to `path` in the file."""
    parent = path[:-1]
    return {str(p[-1]) for p in located.lines if len(p) == len(path) and p[:-1] == parent}


def _closest(word: str, candidates: list[str]) -> str | None:
    close = difflib.get_close_matches(word.casefold(), candidates, n=1, cutoff=0.6)
    return close[0] if close else None


def _annotation(model: type[BaseModel] | None, loc: tuple[Any, ...]) -> Any:
    """The type of the field at pydantic location `loc` under `model`, or None."""
    current: Any = model
    annotation: Any = model
    for part in loc:
        if isinstance(part, int):
            annotation = _inner(annotation)
            continue
        if not isinstance(current, type) or not issubclass(current, BaseModel):
            return None
        if part not in current.model_fields:
            continue  # a union tag or a validator's name
        annotation = current.model_fields[part].annotation
        current = _submodel(annotation)
    return annotation


def _inner(annotation: Any) -> Any:
    """A list's item type (through Optional)."""
    for arg in get_args(annotation):
        if typing.get_origin(arg) is list:
            return get_args(arg)[0]
    return get_args(annotation)[0] if typing.get_origin(annotation) is list else annotation


def _submodel(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in get_args(annotation):
        found = _submodel(arg)
        if found is not None:
            return found
    return None


def _fields(model: type[BaseModel] | None, loc: tuple[Any, ...]) -> list[str]:
    """The fields of the section at `loc`: what a misspelt key may have meant."""
    section = _submodel(_annotation(model, loc)) if loc else model
    return list(section.model_fields) if section else []


def _choices(annotation: Any) -> tuple[type[Enum] | None, list[Any]]:
    """The enum (for its labels) and the values a field with a fixed set of choices takes."""
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return annotation, [member.value for member in annotation]
    if typing.get_origin(annotation) is Literal:
        return None, list(get_args(annotation))
    if typing.get_origin(annotation) in (typing.Union, types.UnionType, list):
        for arg in get_args(annotation):
            found = _choices(arg)
            if found[1]:
                return found
    if typing.get_origin(annotation) is typing.Annotated:
        return _choices(get_args(annotation)[0])
    return None, []


def _wrong_choice(error: Any, model: type[BaseModel] | None, _: Say, language: str) -> str:
    enum, values = _choices(_annotation(model, error["loc"]))
    given = error["input"]
    if not values:  # not from the answers model: pydantic's own list
        expected = (error.get("ctx") or {}).get("expected", "")
        return _("'{value}' is not one of the choices: {choices}").format(
            value=given, choices=expected
        )
    labels = _labels(enum, language)
    listed = " | ".join(
        f"{value} — {labels[value]}" if labels.get(value, value) != value else str(value)
        for value in values
    )
    # What was typed may be close to a value, or to the words of one.
    words = {str(v).casefold(): str(v) for v in values}
    words.update({label.casefold(): value for value, label in labels.items()})
    close = _closest(str(given), list(words))
    if close:
        return _(
            "'{value}' is not one of the choices; did you mean '{close}'? Choices: {choices}"
        ).format(value=given, close=words[close], choices=listed)
    return _("'{value}' is not one of the choices: {choices}").format(value=given, choices=listed)


def _labels(enum: type[Enum] | None, language: str) -> dict[str, str]:
    """The words of an enum's values in `language` (clauses/labels.yaml, which `clausier
    check` keeps complete)."""
    if enum is None:
        return {}
    words = _all_labels().get(enum.__name__) or {}
    return {value: (texts or {}).get(language, value) for value, texts in words.items()}


@cache
def _all_labels() -> dict[str, Any]:
    return read_yaml(data_dir("clauses") / "labels.yaml").data or {}


def _message(error: Any, model: type[BaseModel] | None, _: Say, language: str) -> str:
    """Pydantic's error, in the user's words and language."""
    kind, context, given = error["type"], error.get("ctx") or {}, error.get("input")
    if kind in ("enum", "literal_error"):
        return _wrong_choice(error, model, _, language)
    if kind == "string_pattern_mismatch":
        from .model import EMAIL_PATTERN

        if context.get("pattern") == EMAIL_PATTERN:
            return _("'{value}' is not an e-mail address").format(value=given)
        return _("'{value}': use lower-case letters, digits and hyphens (e.g. chu-tours)").format(
            value=given
        )
    from .model import MESSAGES

    if kind in MESSAGES:  # the answers model's own rules
        return _(MESSAGES[kind]).format(**context)
    if kind in _SAID:
        return _(_SAID[kind]).format(value=given, **context)
    return str(error["msg"]).removeprefix("Value error, ")
