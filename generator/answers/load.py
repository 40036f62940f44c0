"""Loading an answers file into the Answers model, with errors that point at file:line:field,
all of a file's at once, in the user's language (answers/errors.py)."""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from ..errors import InputError
from .errors import input_error, several, translator
from .model import FORMAT_VERSION, Answers
from .yamlfile import Located, format_path, read_yaml


def load_answers(file: str | Path, language: str = "en") -> Answers:
    """The answers of `file`; its mistakes are said in `language` (the interface's)."""
    located = read_yaml(file, language)
    return validate_answers(located, language)


def validate_answers(located: Located, language: str = "en") -> Answers:
    _ = translator(language)
    data = located.data
    if not isinstance(data, dict):
        raise InputError(located.file, 1, None, _("an answers file is a mapping of fields"))
    version = data.get("format_version")
    if version is not None and version != FORMAT_VERSION:
        raise InputError(
            located.file,
            located.line_of(("format_version",)),
            "format_version",
            _("this Clausier reads format version {expected}, not {found}").format(
                expected=FORMAT_VERSION, found=repr(version)
            ),
        )
    try:
        answers = Answers.model_validate(data)
    except ValidationError as exc:
        raise input_error(located, exc, model=Answers, language=language) from None
    known = {p.id for p in answers.parties}
    unknown = [
        InputError(
            located.file,
            located.line_of(path),
            format_path(path),
            _("no party has the id '{id}' (known: {known})").format(
                id=party_id, known=", ".join(sorted(known))
            ),
        )
        for path, party_id in answers.party_references()
        if party_id not in known
    ]
    if unknown:
        raise several(located.file, unknown, language)
    return answers
