"""Free text in each edition's language.

A free-text answer (model.FreeText) is a plain string, written in the answers' `language`, or
{fr: ..., en: ...}. An edition prints the text of its language; where only the other language
was given it prints that one, and the assessment says which fields (legal/assessment.py).
"""

from __future__ import annotations

import typing
from collections.abc import Iterator
from functools import cache
from typing import Any, TypeVar

from pydantic import BaseModel

from .model import Answers, Language, Translations
from .yamlfile import format_path

T = TypeVar("T")

FieldPath = tuple[str | int, ...]


def text_in(value: str | Translations, language: Language) -> str:
    """The text of `value` in `language`; the other language's when it has none. A plain
    string (in the answers' language) is printed as it is."""
    if isinstance(value, str):
        return value
    other = Language.EN if language is Language.FR else Language.FR
    return value.in_(language) or value.in_(other) or ""


def in_language(value: T, language: Language) -> T:
    """`value` (answers, or part of them) with every free text as a plain string in
    `language`: what the documents of that edition print. Unchanged parts are shared."""
    return _localised(value, language)


def _localised(value: Any, language: Language) -> Any:
    if isinstance(value, Translations):
        return text_in(value, language)
    if isinstance(value, BaseModel):
        changes = {}
        for name in type(value).model_fields:
            item = getattr(value, name)
            new = _localised(item, language)
            if new is not item:
                changes[name] = new
        return value.model_copy(update=changes) if changes else value
    if isinstance(value, (list, tuple)):
        items = [_localised(item, language) for item in value]
        if all(new is old for new, old in zip(items, value)):
            return value
        return type(value)(items)
    return value


def missing_in(answers: Answers, language: Language) -> list[FieldPath]:
    """Where the answers give a free text only in the other language than `language`."""
    return [path for path, value in free_texts(answers, ()) if not _has(value, language, answers)]


def field_names(paths: list[FieldPath]) -> list[str]:
    """The paths as the answers file spells them, the items of one list field in one name:
    `security_measures[0-15].description`, `processing.purposes[0, 2]`."""
    groups: dict[FieldPath, list[int]] = {}
    for path in paths:
        ints = [i for i, part in enumerate(path) if isinstance(part, int)]
        if not ints:
            groups[path] = []
            continue
        last = ints[-1]  # the other indices stay: parties[0].x and parties[1].x differ
        groups.setdefault((*path[:last], -1, *path[last + 1 :]), []).append(int(path[last]))
    names = []
    for key, indices in groups.items():
        name = format_path(key)
        names.append(name.replace("[-1]", f"[{_ranges(indices)}]") if indices else name)
    return names


def _ranges(indices: list[int]) -> str:
    """0, 1, 2, 5 -> '0-2, 5'."""
    out: list[str] = []
    start = previous = indices[0]
    for i in [*indices[1:], None]:
        if i is not None and i == previous + 1:
            previous = i
            continue
        out.append(str(start) if start == previous else f"{start}-{previous}")
        if i is not None:
            start = previous = i
    return ", ".join(out)


def _has(value: str | Translations, language: Language, answers: Answers) -> bool:
    if isinstance(value, str):
        return answers.language is language
    return value.in_(language) is not None


def free_texts(value: Any, path: FieldPath = ()) -> Iterator[tuple[FieldPath, str | Translations]]:
    """Every free-text value in `value`, with its path. A field is free text when its
    annotation is model.FreeText (possibly in a list, or optional)."""
    if isinstance(value, BaseModel):
        free = _free_text_fields(type(value))
        for name in type(value).model_fields:
            item = getattr(value, name)
            if name in free:
                items = item if isinstance(item, list) else [item]
                indexed = isinstance(item, list)
                for i, text in enumerate(items):
                    if text is not None:
                        yield ((*path, name, i) if indexed else (*path, name)), text
            else:
                yield from free_texts(item, (*path, name))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from free_texts(item, (*path, i))


@cache
def _free_text_fields(model: type[BaseModel]) -> frozenset[str]:
    return frozenset(
        name for name, info in model.model_fields.items() if is_free_text(info.annotation)
    )


def is_free_text(annotation: Any) -> bool:
    """Whether a type annotation admits Translations (FreeText, list[FreeText], ... | None)."""
    return annotation is Translations or any(
        is_free_text(arg) for arg in typing.get_args(annotation)
    )
