"""Loading an answers file into the Answers model, with errors that point at file:line:field."""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from ..errors import InputError
from .model import FORMAT_VERSION, Answers
from .yamlfile import Located, format_path, read_yaml, validation_error


def load_answers(file: str | Path) -> Answers:
    located = read_yaml(file)
    return validate_answers(located)


def validate_answers(located: Located) -> Answers:
    data = located.data
    if not isinstance(data, dict):
        raise InputError(located.file, 1, None, "an answers file is a mapping of fields")
    version = data.get("format_version")
    if version is not None and version != FORMAT_VERSION:
        raise InputError(
            located.file,
            located.line_of(("format_version",)),
            "format_version",
            f"this Clausier reads format version {FORMAT_VERSION}, not {version!r}",
        )
    try:
        answers = Answers.model_validate(data)
    except ValidationError as exc:
        raise validation_error(located, exc) from None
    known = {p.id for p in answers.parties}
    for path, party_id in answers.party_references():
        if party_id not in known:
            raise InputError(
                located.file,
                located.line_of(path),
                format_path(path),
                f"no party has the id '{party_id}' (known: {', '.join(sorted(known))})",
            )
    return answers
