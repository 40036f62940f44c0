"""The questions, derived from the answers model: one step per field, in the model's order
within each section (so the section numbers shown only increase).

Nothing here is written per field: the walker reads each field's type (text, number, yes/no,
date, one choice, several choices, a nested section, a repeating group) and its constraints, so
a field added to the model is asked by the interview with no change here — only its wording in
questions.py. Steps are generated afresh from the answers given so far, so skipping (no HDS
questions without health data), repeating groups ("add another?"; a list of texts item after
item until an empty answer), the choices that can apply and the answers the earlier ones leave
no choice about (one sponsor ticked) follow the answers.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import typing
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from enum import Enum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

from ..answers.annotations import bare, split_optional
from ..answers.languages import is_free_text
from ..answers.model import Answers
from .questions import LIST_END, LIST_KEEP, LIST_NONE, ORDER, SPECS, Spec

Path = tuple[str | int, ...]
Kind = Literal["text", "int", "bool", "date", "choice", "choices", "has", "more", "derived"]

HAS, MORE = "?", "+"  # synthetic path parts: "is there one?", "add another?"
_GROUP = Spec("", "")


@dataclass(frozen=True)
class Step:
    """One question: where its answer goes, what kind of answer, what it may be."""

    path: Path
    kind: Kind
    key: str  # the path with list indices as "*": its wording in questions.py
    spec: Spec
    annotation: Any = None  # the field's type, for validation
    info: FieldInfo | None = None
    choices: tuple[str, ...] = ()  # as shown and stored; `values` holds the typed values
    optional: bool = False
    default: Any = None
    item: Mapping[str, Any] = field(default_factory=dict)  # the group item it belongs to
    labels: str | None = None  # the enum whose words (clauses/labels.yaml) name the choices
    titles: Mapping[str, str] = field(default_factory=dict)  # a choice's words, e.g. a party's name
    free_text: bool = False  # a FreeText: typed in the documents' language, the other kept
    ends: str = ""  # an item of a list of texts: what an empty answer does (its help says so)

    def value_of(self, choice: str) -> Any:
        """A Literal[1, 2, 3] choice is stored as the number, an enum choice as its value."""
        base = bare(split_optional(self.annotation)[0])
        if typing.get_origin(base) is Literal:
            return next(a for a in typing.get_args(base) if str(a) == choice)
        return choice


def pattern(path: Path) -> str:
    return ".".join("*" if isinstance(p, int) else str(p) for p in path)


def get(data: Any, path: Path) -> Any:
    for part in path:
        if (isinstance(data, list) and isinstance(part, int) and part < len(data)) or (
            isinstance(data, dict) and part in data
        ):
            data = data[part]
        else:
            return None
    return data


def put(data: dict[str, Any], path: Path, value: Any) -> None:
    target: Any = data
    for part, following in itertools.pairwise(path):
        empty: Any = [] if isinstance(following, int) else {}
        if isinstance(part, int):
            while len(target) <= part:
                target.append(None)
            if target[part] is None:
                target[part] = empty
        elif target.get(part) is None:
            target[part] = empty
        target = target[part]
    last = path[-1]
    if isinstance(last, int):
        while len(target) <= last:
            target.append(None)
    target[last] = value


def _default(info: FieldInfo | None) -> Any:
    if info is None:
        return None
    if info.default is not PydanticUndefined:
        value = info.default
        return value.value if isinstance(value, Enum) else value
    if info.default_factory is not None:
        return info.default_factory()  # type: ignore[call-arg]
    return None


def _min_items(info: FieldInfo | None) -> int:
    for meta in info.metadata if info else ():
        if getattr(meta, "min_length", None) is not None:
            return int(meta.min_length)
    return 0


def _max_items(info: FieldInfo | None) -> int | None:
    for meta in info.metadata if info else ():
        if getattr(meta, "max_length", None) is not None:
            return int(meta.max_length)
    return None


class Walker:
    """Yields the steps of the interview for the answers given so far."""

    def __init__(self, data: dict[str, Any], meta: Mapping[str, Any]):
        self.data, self.meta = data, meta

    def steps(self) -> Iterator[Step]:
        fields = Answers.model_fields
        for name in ORDER:
            if name == f"research.{HAS}":
                yield from self._has(("research",), fields["research"], BaseModel)
                continue
            yield from self._field((name,), fields[name].annotation, fields[name], {})

    def _spec(self, path: Path) -> Spec:
        # A group of sections ("parties") is worded by its "add another?" entry, not itself.
        spec = SPECS.get(pattern(path))
        return spec.resolved(self.data, path) if spec else _GROUP

    def _field(
        self, path: Path, annotation: Any, info: FieldInfo | None, item: Mapping[str, Any]
    ) -> Iterator[Step]:
        spec = self._spec(path)
        if not spec.applies(self.data, path):
            return
        fixed = spec.fixed(self.data, path) if spec.fixed else None
        current = get(self.data, path)
        if current not in (None, fixed, self.meta.get(_key(path))):
            fixed = None  # the answers (a file amended) say otherwise: asked, not overwritten
        if spec.derived or fixed is not None:  # written by the interview, never asked
            yield Step(
                path, "derived", pattern(path), spec, annotation, info, item=item, default=fixed
            )
            return
        inner, optional = split_optional(annotation)
        base = bare(inner)
        origin = typing.get_origin(base)
        if spec.parties:  # one party, or several, among those already named
            names = {
                str(p["id"]): str(p.get("name") or p["id"])
                for p in self.data.get("parties") or []
                if p and p.get("id")
            }
            offered = set(spec.offer(self.data, path)) if spec.offer else set(names)
            ids = tuple(i for i in names if i in offered)
            kind: Kind = "choices" if origin is list or spec.several else "choice"
            if spec.several:  # one item per party ticked: at least one
                inner, info = Annotated[list[inner], Field(min_length=1)], None  # type: ignore[valid-type]
            step = self._step(path, kind, inner, info, item, ids, optional)
            yield replace(step, titles={i: names[i] for i in ids})
        elif isinstance(base, type) and issubclass(base, BaseModel):
            if optional and not (yield from self._has(path, info, base)):
                return
            yield from self._model(path, base)
        elif origin is list:
            element = bare(typing.get_args(base)[0])
            if isinstance(element, type) and issubclass(element, Enum):
                choices = _choices(element)
                if spec.offer:
                    offered = set(spec.offer(self.data, path))
                    choices = tuple(c for c in choices if c in offered)
                yield replace(
                    self._step(path, "choices", base, info, item, choices, optional),
                    labels=element.__name__,
                )
            else:
                yield from self._group(path, element, info, item)
        else:
            kind, choices = _scalar(base)
            labels = base.__name__ if isinstance(base, type) and issubclass(base, Enum) else None
            yield replace(
                self._step(path, kind, inner, info, item, choices, optional),
                labels=labels,
                free_text=is_free_text(base),
            )

    def _has(self, path: Path, info: FieldInfo | None, model: type) -> Iterator[Step]:
        """Ask whether an optional section is there; the generator returns the answer."""
        step_path = (*path, HAS)
        default = get(self.data, path) is not None
        yield Step(step_path, "has", pattern(step_path), self._spec(step_path), default=default)
        return bool(self.meta.get(_key(step_path), default))

    def _model(self, path: Path, model: type[BaseModel]) -> Iterator[Step]:
        """The fields in the model's order within each section, so that the section numbers
        shown only increase."""
        item = get(self.data, path) or {}
        fields = sorted(model.model_fields.items(), key=lambda f: _section(pattern((*path, f[0]))))
        for name, info in fields:
            yield from self._field((*path, name), info.annotation, info, item)

    def _group(
        self, path: Path, element: Any, info: FieldInfo | None, item: Mapping[str, Any]
    ) -> Iterator[Step]:
        """A repeating group: the first item (if required), then "add another?" after each;
        a list of texts item after item, until an empty answer (see `_texts`)."""
        if not (isinstance(element, type) and issubclass(element, BaseModel)):
            yield from self._texts(path, element, info, item)
            return
        existing = get(self.data, path) or []
        required = _min_items(info)
        index = 0
        while True:
            if index >= required:
                more = (*path, MORE, index)
                spec = self._spec(more)
                fixed = spec.fixed(self.data, more) if spec.fixed else None
                if fixed is False and index < len(existing):
                    fixed = None  # one more in the answers than the roles give: asked
                if fixed is None:
                    default = index < len(existing)
                    yield Step(more, "more", pattern(more), spec, default=default)
                    fixed = self.meta.get(_key(more), default)
                if not fixed:
                    return
            yield from self._model((*path, index), element)
            index += 1

    def _texts(
        self, path: Path, element: Any, info: FieldInfo | None, item: Mapping[str, Any]
    ) -> Iterator[Step]:
        """A list of texts (purposes, tasks, return formats): one question per item, no "add
        another?" — an empty answer ends the list (the items the model requires cannot be
        empty), and at an item already there removes that item alone (State.record)."""
        required, most = _min_items(info), _max_items(info)
        kind, choices = _scalar(element)
        spec = self._spec(path)
        index = 0
        while most is None or index < most:
            child = (*path, index)
            present = get(self.data, child) is not None
            end = "" if index < required else LIST_KEEP if present else LIST_END
            if end == LIST_END and not index:
                end = LIST_NONE  # an empty list: "none"
            yield Step(
                child,
                kind,
                pattern(child),
                spec,
                element,
                None,
                choices,
                index >= required,
                None,
                item,
                free_text=is_free_text(element),
                ends=end,
            )
            if index >= required and not present:
                return
            index += 1

    def _step(
        self,
        path: Path,
        kind: Kind,
        annotation: Any,
        info: FieldInfo | None,
        item: Mapping[str, Any],
        choices: tuple[str, ...],
        optional: bool,
    ) -> Step:
        spec = self._spec(path)
        default = spec.default(self.data, path) if spec.default else _default(info)
        return Step(
            path, kind, pattern(path), spec, annotation, info, choices, optional, default, item
        )


def _key(path: Path) -> str:
    return "/".join(map(str, path))


@functools.cache
def _section(key: str) -> int:
    """The section a field's questions belong to: its own, or its first question's."""
    for candidate in (key, f"{key}.{HAS}", f"{key}.{MORE}.*"):
        if candidate in SPECS and SPECS[candidate].section:
            return SPECS[candidate].section
    return next((s.section for k, s in SPECS.items() if k.startswith(key + ".")), 0)


def _choices(enum: type[Enum]) -> tuple[str, ...]:
    return tuple(str(m.value) for m in enum)


def _scalar(base: Any) -> tuple[Kind, tuple[str, ...]]:
    if isinstance(base, type) and issubclass(base, Enum):
        return "choice", _choices(base)
    if typing.get_origin(base) is Literal:
        return "choice", tuple(str(a) for a in typing.get_args(base))
    if base is bool:
        return "bool", ()
    if base is int:
        return "int", ()
    if base is dt.date:
        return "date", ()
    return "text", ()


meta_key = _key
