"""The interview's translations: every message of the source is translated, placeholders kept,
and the committed .mo files are compiled from the current .po files (`make locales`)."""

from __future__ import annotations

import gettext
import io
import string
from functools import cache
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from generator.interview.i18n import DOMAIN, translator

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "generator" / "interview"
LOCALES = ROOT / "locales"
LANGUAGES = ("fr", "en")
KEYWORDS = {"_": None, "N_": None, "gettext": None}  # as in `make locales`
FIX = "run `make locales`, translate in locales/{language}/LC_MESSAGES/clausier.po, rerun it"


@cache
def source_messages() -> dict[str | tuple[str, ...], str]:
    """The message ids the interview uses, as `make locales` extracts them, with a location."""
    with (ROOT / "babel.cfg").open(encoding="utf-8") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    found: dict[str | tuple[str, ...], str] = {}
    for filename, line, message, _comments, _context in extract_from_dir(
        SOURCE, method_map, options_map, keywords=KEYWORDS
    ):
        found.setdefault(message, f"{filename}:{line}")
    return found


def catalog(language: str) -> Catalog:
    with (LOCALES / language / "LC_MESSAGES" / f"{DOMAIN}.po").open("rb") as po:
        return read_po(po, locale=language)


def fields(text: str) -> list[str]:
    """The {placeholder} names in a message, in order (ValueError on a stray brace)."""
    return [name for _text, name, _spec, _conv in string.Formatter().parse(text) if name]


def problem(message_id: str | tuple[str, ...], translated: object, fuzzy: bool) -> str | None:
    ids = [message_id] if isinstance(message_id, str) else list(message_id)
    forms = [translated] if isinstance(translated, str) else list(translated or ())
    if not forms or not all(forms):
        return "untranslated (or a plural form missing)"
    if fuzzy:
        return "fuzzy: check the translation and remove the fuzzy flag"
    try:
        wanted = [sorted(fields(i)) for i in ids]
        for form in forms:
            if sorted(fields(form)) not in wanted:
                return f"placeholders {fields(form)} instead of {fields(ids[-1])}"
    except ValueError as error:
        return f"bad braces: {error}"
    return None


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated(language: str) -> None:
    messages = source_messages()
    assert len(messages) > 200, "the extraction found too few messages: check babel.cfg"
    translations = catalog(language)
    problems = []
    for message_id, where in messages.items():
        entry = translations.get(message_id)
        issue = (
            "missing from the catalog"
            if entry is None
            else problem(message_id, entry.string, entry.fuzzy)
        )
        if issue:
            problems.append(f"  {message_id!r} ({where}): {issue}")
    fix = FIX.format(language=language)
    assert not problems, (
        f"{len(problems)} message(s) not translated in {language} ({fix}):\n" + "\n".join(problems)
    )


def test_english_is_the_source() -> None:
    wrong = [m.id for m in catalog("en") if m.id and m.string != m.id]
    assert not wrong, f"English translations differ from their message id: {wrong}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_compiled_catalogs_are_up_to_date(language: str) -> None:
    compiled = io.BytesIO()
    write_mo(compiled, catalog(language))
    compiled.seek(0)
    expected = gettext.GNUTranslations(compiled)
    with (LOCALES / language / "LC_MESSAGES" / f"{DOMAIN}.mo").open("rb") as mo:
        committed = gettext.GNUTranslations(mo)
    # _catalog: every message id (the header under "") and its translation, as gettext reads them.
    assert committed._catalog == expected._catalog, (
        f"locales/{language}/LC_MESSAGES/{DOMAIN}.mo is stale: run `make locales` and commit it"
    )


def test_translator_uses_the_catalogs() -> None:
    french, english = translator("fr"), translator("en")
    assert french("Parties") == "Parties"  # the same word in French
    assert french("Hosting") == "Hébergement"
    assert french("Transfers outside the EEA") == "Transferts hors de l'EEE"
    assert english("Parties") == "Parties"
    assert english("Hosting") == "Hosting"
