"""Filling clause text: a sandboxed Jinja environment per language, with contract filters.

Clause text comes from the library (lawyers, or a firm's own clauses), so it is rendered in a
sandbox with StrictUndefined: a misspelt placeholder fails loudly instead of printing nothing.
No autoescape here: docxtpl escapes once, when the text goes into Word. Values from the answers
are inserted as data and never parsed as templates.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping
from enum import Enum
from functools import lru_cache, partial
from typing import TYPE_CHECKING

from jinja2 import StrictUndefined, Template
from jinja2.sandbox import ImmutableSandboxedEnvironment

from ..answers.countries import country_name, supervisory_authority
from ..answers.model import Language

if TYPE_CHECKING:
    from .load import Bilingual, Library, UnitWords

Labels = Mapping[str, Mapping[str, Mapping[str, str]]]

_AND = {Language.FR: "et", Language.EN: "and"}


def format_date(value: dt.date, language: Language) -> str:
    """A date as a contract writes it: « 1er mars 2027 », "1 March 2027"."""
    from babel.dates import format_date as babel_format

    if language is Language.FR:
        text = babel_format(value, "d MMMM y", locale="fr_FR")
        return "1er" + text[1:] if value.day == 1 else text
    return babel_format(value, "d MMMM y", locale="en_GB")


def number_in_words(value: int, language: Language, unit: UnitWords | None = None) -> str:
    """Words and figures, as contracts state delays: « vingt et une (21) heures »,
    "twenty-four (24) hours", "one (1) day" — with the unit agreed in number and gender."""
    from num2words import num2words

    words = num2words(value, lang=language.value)
    if unit is None:
        return f"{words} ({value})"
    if unit.feminine and words.endswith("un"):
        words += "e"  # « vingt et une heures », « une heure »
    return f"{words} ({value}) {unit.singular if value == 1 else unit.plural}"


def make_label(labels: Labels, language: Language) -> Callable[[object], str]:
    def label(value: object) -> str:
        if isinstance(value, Enum):
            return labels[type(value).__name__][value.value][language.value]
        return str(value)

    return label


def enumerate_words(items: Iterable[str], language: Language) -> str:
    """« a, b et c » / "a, b and c"; items with commas of their own are set apart by
    semicolons, as a drafter does (« a, x ; b ; et c » / "a, x; b; and c")."""
    words = list(items)
    if len(words) <= 1:
        return "".join(words)
    if any("," in w for w in words):
        # French holds « ; » to the word before it, as the library's own text does.
        semicolon = "\u00a0; " if language is Language.FR else "; "
        return f"{semicolon.join(words[:-1])}{semicolon}{_AND[language]} {words[-1]}"
    return f"{', '.join(words[:-1])} {_AND[language]} {words[-1]}"


FILTERS = ("date", "words", "country", "authority", "label", "enumerate")

# Private-use characters marking bold in rendered library text; answers may not contain them.
BOLD_START, BOLD_END = "\ue000", "\ue001"
REF_START, REF_END = "\ue002", "\ue003"
# Starts a paragraph of the bilingual edition's English column that shares the French one's
# style in the template (an annex's paragraphs): the renderer gives it the English style.
ENGLISH = "\ue004"
# Followed by an annex's key, stands where the renderer puts that annex's diagram.
DIAGRAM = "\ue005"


class Wording:
    """Renders library text in one language, compiling each distinct text once."""

    def __init__(self, library: Library, language: Language):
        self.language = language
        labels, units = library.labels, library.units
        self.units = units
        env = ImmutableSandboxedEnvironment(
            undefined=StrictUndefined, autoescape=False, keep_trailing_newline=False
        )
        label = make_label(labels, language)
        env.filters.update(
            date=lambda d: format_date(d, language),
            words=lambda n, unit=None: number_in_words(
                n, language, units[unit].in_(language) if unit else None
            ),
            country=lambda c: country_name(c, language.value),
            authority=lambda c: supervisory_authority(c, language.value),
            label=label,
            enumerate=lambda xs: enumerate_words((label(x) for x in xs), language),
        )
        self.env = env
        self._template: Callable[[str], Template | str] = lru_cache(maxsize=None)(
            lambda source: _compiled(env, _tidy(source, language))
        )
        self._message: Callable[[str], Template] = lru_cache(maxsize=None)(
            lambda source: env.from_string(_spaces(source))
        )
        self._expression: Callable[[str], Callable[..., object]] = lru_cache(maxsize=None)(
            partial(env.compile_expression, undefined_to_none=False)
        )

    def render(self, source: str, context: Mapping[str, object]) -> str:
        template = self._template(source)
        return template if isinstance(template, str) else template.render(context).strip()

    def message(self, text: Bilingual, values: Mapping[str, object]) -> str:
        """A message for the terminal: filled in, without the document's typography."""
        return self._message(text.in_(self.language)).render(values).strip()

    def text(self, text: Bilingual, context: Mapping[str, object]) -> str:
        """A library text, in this Wording's language, filled in."""
        return self.render(text.in_(self.language), context)

    def evaluate(self, expression: str, context: Mapping[str, object]) -> object:
        return self._expression(expression)(**context)

    def condition(self, expression: str | None, context: Mapping[str, object]) -> bool:
        return not expression or bool(self.evaluate(expression, context))

    def items(
        self, each: str | None, context: Mapping[str, object]
    ) -> Iterable[Mapping[str, object]]:
        """The contexts of an `each: "x in expression"`, one per item; without one, `context`."""
        if not each:
            return (context,)
        name, expression = (part.strip() for part in each.split(" in ", 1))
        items = self.evaluate(expression, context) or ()
        return ({**context, name: item} for item in items)  # type: ignore[union-attr]


def _compiled(env: ImmutableSandboxedEnvironment, text: str) -> Template | str:
    """The template of `text`; text without any Jinja syntax is its own rendering (most
    of a document's paragraphs: rendering them cost a tenth of a DPA's build)."""
    if not any(mark in text for mark in ("{{", "{%", "{#")):
        return text.strip()
    return env.from_string(text)


def _tidy(source: str, language: Language) -> str:
    """Library text as it should print, before any answer is inserted (user text is untouched).

    Folded YAML leaves double spaces around tags. French typography wants a no-break space
    inside « » and before : ; ? ! — lawyers may type ordinary spaces, the library sets them.
    A defined term is marked **like this**; [[clause.id]] stands for that clause's number.
    """
    text = _spaces(source)
    # **term**: a term defined here, set in bold by the renderer (see render.embolden).
    text = re.sub(r"\*\*(.+?)\*\*", f"{BOLD_START}\\1{BOLD_END}", text)
    # [[clause.id]]: that clause's number as a Word cross-reference (render.cross_reference).
    text = re.sub(r"\[\[([a-z0-9_.-]+)\]\]", f"{REF_START}\\1{REF_END}", text)
    # One citation style for codes' articles, in both languages: « L. 1111-7 », "R. 1111-9",
    # the letter held to its number by a no-break space.
    text = re.sub(r"\b([LRD])\. ?(\d{3,4}-\d)", "\\1.\u00a0\\2", text)
    if language is Language.FR:
        text = re.sub(r" ([:;?!»])", "\u00a0\\1", text)
        text = text.replace("« ", "«\u00a0")
    return text


def _spaces(source: str) -> str:
    """Folded YAML leaves double spaces around tags."""
    return re.sub(r" {2,}", " ", source).strip()


_WORDINGS: dict[tuple[int, Language], Wording] = {}


def wording_for(library: Library, language: Language) -> Wording:
    """One Wording per library and language per process, so compiled text is reused."""
    key = (id(library), language)
    if key not in _WORDINGS:
        _WORDINGS[key] = Wording(library, language)
    return _WORDINGS[key]
