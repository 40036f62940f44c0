"""Every field of the answers model is worded in the interview, in both languages."""

from __future__ import annotations

import typing
from enum import Enum

from pydantic import BaseModel

from generator.answers.annotations import bare, split_optional
from generator.answers.model import Answers, MeasureCategory
from generator.interview.questions import SPECS
from generator.interview.walk import HAS, MORE


def _keys(model: type[BaseModel], prefix: tuple[str, ...] = ()) -> list[str]:
    """The questions.py key of every field, optional section and group of sections."""
    keys = []
    for name, info in model.model_fields.items():
        path = (*prefix, name)
        inner, optional = split_optional(info.annotation)
        base = bare(inner)
        if isinstance(base, type) and issubclass(base, BaseModel):
            keys += [".".join((*path, HAS))] if optional else []
            keys += _keys(base, path)
        elif typing.get_origin(base) is list:
            element = bare(typing.get_args(base)[0])
            if isinstance(element, type) and issubclass(element, BaseModel):
                keys += [".".join((*path, MORE, "*")), *_keys(element, (*path, "*"))]
            elif isinstance(element, type) and issubclass(element, Enum):
                keys.append(".".join(path))
            else:  # a list of texts: asked item after item, an empty answer ending it
                keys.append(".".join(path))
        else:
            keys.append(".".join(path))
    return keys


def test_every_field_has_its_question() -> None:
    missing = [key for key in _keys(Answers) if key not in SPECS]
    assert not missing, f"add these to generator/interview/questions.py: {missing}"


def test_every_asked_question_has_text_and_help() -> None:
    """Its other wording too (asked where the first does not apply), and the help lines that
    depend on the answers (a kind of measure)."""
    specs = list(SPECS.items())
    specs += [(f"{key} (otherwise)", spec.otherwise) for key, spec in specs if spec.otherwise]
    empty = [key for key, spec in specs if not spec.derived and not (spec.text and spec.help)]
    assert not empty, empty
    measures = [m.value for m in MeasureCategory]
    hint = SPECS["security_measures.*.description"].hint
    assert hint is not None
    helps = [
        hint({"security_measures": [{"category": m}]}, ("security_measures", 0, "x"))
        for m in measures
    ]
    assert all(helps) and len(set(helps)) == len(measures)


def test_no_question_for_a_field_that_does_not_exist() -> None:
    known = set(_keys(Answers)) | {"research.?"}
    stale = [key for key in SPECS if key not in known]
    assert not stale, f"questions.py words fields the model no longer has: {stale}"
