"""Reading the answers model's type annotations: the one place that knows how `X | None` and
`Annotated[X, ...]` are spelt, for the library checks and the interview alike."""

from __future__ import annotations

import types
import typing
from typing import Any


def bare(annotation: Any) -> Any:
    """The type without its Annotated constraints."""
    while typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    return annotation


def split_optional(annotation: Any) -> tuple[Any, bool]:
    """(the type without None, whether None is allowed)."""
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        args = typing.get_args(annotation)
        rest = [a for a in args if a is not type(None)]
        return (rest[0] if len(rest) == 1 else annotation), len(rest) < len(args)
    return annotation, False


def plain(annotation: Any) -> Any:
    """The type a value has once present: no None, no constraints."""
    return bare(split_optional(bare(annotation))[0])
