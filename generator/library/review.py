"""What `clausier review` looks for in a vendor's DPA, as data a lawyer edits
(clauses/review/elements.yaml), and what one passage says of each element.

The patterns' meaning lives here, below the command, so that `clausier check` tries every
element's examples with the very function the review applies to a document: `judge` over a
list of passages (a document's paragraphs, or one example) gives found, weak or missing.
Text and patterns are compared folded — accents, case, typographic apostrophes and PDF line
breaks set aside — so a lawyer writes « securite » or « sécurité » alike.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from functools import cache
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from ..answers.errors import input_error
from ..answers.model import Language
from ..answers.yamlfile import Located, format_path, read_yaml
from ..errors import InputError
from .load import Bilingual
from .messages import cite

NonEmpty = Annotated[str, StringConstraints(min_length=1)]
REVIEW_FILE = Path("review") / "elements.yaml"


class Status(str, Enum):
    FOUND = "found"
    WEAK = "weak"
    MISSING = "missing"


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Patterns(_Spec):
    """Regular expressions per language; any one matching is enough."""

    fr: list[NonEmpty] = Field(min_length=1)
    en: list[NonEmpty] = Field(min_length=1)

    def in_(self, language: Language) -> list[str]:
        return self.fr if language is Language.FR else self.en


class Weakness(_Spec):
    """What makes a passage that covers the element too weak for a hospital, and what to ask
    instead (said in the comment and the report)."""

    ask: Bilingual
    patterns: Patterns | None = Field(
        None, description="A passage matching one of these anywhere makes the element weak."
    )
    delay: bool = Field(
        False,
        description="Weak unless a passage that covers the element sets a delay, in hours or "
        "days, within the file's `max_delay_hours`.",
    )


class ExampleSet(_Spec):
    """Passages the patterns must find, must find weak, and must not find (near misses)."""

    found: list[NonEmpty] = Field(min_length=1)
    weak: list[NonEmpty] = Field(default_factory=list)
    missing: list[NonEmpty] = Field(min_length=1)


class Examples(_Spec):
    fr: ExampleSet
    en: ExampleSet

    def in_(self, language: Language) -> ExampleSet:
        return self.fr if language is Language.FR else self.en


class Element(_Spec):
    id: NonEmpty = Field(description="An Art. 28 code of checks.ART28_ELEMENTS, or a name.")
    label: Bilingual
    articles: list[NonEmpty] = Field(min_length=1)
    proposed: NonEmpty = Field(description="The id of Clausier's DPA clause to propose.")
    patterns: Patterns
    weak: Weakness | None = None
    examples: Examples


class ReviewSpec(_Spec):
    """clauses/review/elements.yaml."""

    max_delay_hours: int = Field(
        gt=0, description="The longest breach notice a hospital accepts from its processor."
    )
    proposed_from: NonEmpty = Field(
        description="The answers file, beside this one, the proposed wording is rendered for."
    )
    words: dict[str, Bilingual]
    elements: list[Element] = Field(min_length=1)


@dataclass(frozen=True)
class LoadedReview:
    spec: ReviewSpec
    file: Path
    located: Located


def load_review(root: Path) -> LoadedReview:
    """The review elements of the clause library at `root` (shape checked, line located)."""
    file = root / REVIEW_FILE
    located = read_yaml(file)
    try:
        return LoadedReview(ReviewSpec.model_validate(located.data), file, located)
    except ValidationError as exc:
        raise input_error(located, exc, model=ReviewSpec) from None


@cache
def default_review() -> LoadedReview:
    from ..resources import data_dir

    return load_review(data_dir("clauses"))


_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u00a0": " "})


def fold(text: str) -> str:
    """Text as patterns see it: no accents, one kind of apostrophe, lower case, words cut at a
    PDF line end joined, every run of white space one space."""
    text = re.sub(r"(\w)-\s*\n\s*(\w)", r"\1\2", text.translate(_APOSTROPHES))
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"\s+", " ", plain).casefold().strip()


def compile_pattern(pattern: str) -> re.Pattern[str]:
    """A lawyer's pattern, accents folded as the text is (re.error when it is no regex)."""
    decomposed = unicodedata.normalize("NFKD", pattern.translate(_APOSTROPHES))
    return re.compile("".join(c for c in decomposed if not unicodedata.combining(c)), re.I)


# Delays as vendors write them: « quarante-huit (48) heures », "72 hours", "two business days".
_NUMBER_WORDS = {
    "un": 1, "une": 1, "one": 1, "deux": 2, "two": 2, "trois": 3, "three": 3, "cinq": 5,
    "five": 5, "sept": 7, "seven": 7, "dix": 10, "ten": 10, "douze": 12, "twelve": 12,
    "vingt-quatre": 24, "twenty-four": 24, "trente-six": 36, "thirty-six": 36,
    "quarante-huit": 48, "forty-eight": 48, "soixante-douze": 72, "seventy-two": 72,
}  # fmt: skip
_DELAY = re.compile(
    r"(?:(\d+)|(" + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True)) + r"))"
    r"\s*(?:\(\d+\)\s*)?"
    r"(heures?|hours?|h\b|jours?|days?|business days?|working days?|calendar days?)"
)


# « si possible, 48 heures au plus tard », "where feasible, within 24 hours": no firm delay.
_QUALIFIED = re.compile(
    r"(si possible|dans la mesure du possible|if possible|where (possible|feasible)"
    r"|when feasible),?\s*(au plus tard\s*|no later than\s*|within\s*|dans un delai de\s*)?$"
)


def delays_in_hours(folded: str) -> list[int]:
    """Every firm delay a folded passage states, in hours (a day counts 24 hours, working or
    not); a delay only "if possible" is none."""
    out = []
    for match in _DELAY.finditer(folded):
        if _QUALIFIED.search(folded[max(0, match.start() - 40) : match.start()]):
            continue
        digits, word, unit = match.groups()
        number = int(digits) if digits else _NUMBER_WORDS[word]
        out.append(number * (1 if unit.startswith("h") else 24))
    return out


@dataclass(frozen=True)
class Judgement:
    """An element's status in a list of passages, and the passage that shows it (its index,
    the matched span in the folded passage); no passage when missing."""

    status: Status
    passage: int | None = None
    span: tuple[int, int] | None = None
    hours: int | None = None  # the shortest delay of the passage, for a delay rule


class CompiledElement:
    """An element with its patterns compiled, per language."""

    def __init__(self, element: Element, max_delay_hours: int):
        self.element, self.max_delay_hours = element, max_delay_hours
        self.patterns = {
            lang: [compile_pattern(p) for p in element.patterns.in_(lang)] for lang in Language
        }
        weak = element.weak.patterns if element.weak and element.weak.patterns else None
        self.weak = {
            lang: [compile_pattern(p) for p in (weak.in_(lang) if weak else [])]
            for lang in Language
        }

    def judge(
        self, language: Language, folded: Sequence[str], headings: Sequence[int] = ()
    ) -> Judgement:
        """Found, weak or missing in these folded passages: weak when a passage matches a weak
        pattern, or when the element has a delay rule and no passage covering it sets a delay
        within the threshold; found when a passage matches a pattern; else missing.

        `headings[i]` is the length of the heading that prefixes passage i (0 without one).
        The passage shown is the first in the clause the element is about — its heading
        matches too — then the first matching in its own text, then any."""
        for i, text in enumerate(folded):
            for pattern in self.weak[language]:
                if match := pattern.search(text):
                    return Judgement(Status.WEAK, i, match.span())
        found: list[tuple[tuple[bool, bool, int], Judgement]] = []
        for i, text in enumerate(folded):
            match = next((m for p in self.patterns[language] if (m := p.search(text))), None)
            if match:
                heading = headings[i] if i < len(headings) else 0
                in_text = next(
                    (m for p in self.patterns[language] if (m := p.search(text, heading))), None
                )
                about = in_text is not None and any(
                    p.search(text[:heading]) for p in self.patterns[language]
                )
                shown = in_text or match
                hours = min(delays_in_hours(text), default=None)
                rank = (not about, in_text is None, i)
                found.append((rank, Judgement(Status.FOUND, i, shown.span(), hours)))
        if not found:
            return Judgement(Status.MISSING)
        ranked = [j for _, j in sorted(found, key=lambda pair: pair[0])]
        if self.element.weak and self.element.weak.delay:
            within = [j for j in ranked if j.hours is not None and j.hours <= self.max_delay_hours]
            if not within:
                first = ranked[0]
                return Judgement(Status.WEAK, first.passage, first.span, first.hours)
            return within[0]
        return ranked[0]


def compiled_elements(review: LoadedReview) -> list[CompiledElement]:
    return [CompiledElement(e, review.spec.max_delay_hours) for e in review.spec.elements]


# Words the report and the comments need; the file must give each in both languages.
REQUIRED_WORDS = (
    "title", "element", "status", "passage", "found", "weak", "missing", "where",
    "proposed", "annex", "footnote", "missing_comment", "threshold", "paragraph", "table",
    "page", "summary",
)  # fmt: skip


def check_review(root: Path, dpa_clause_ids: frozenset[str], art28: Sequence[str]) -> list[str]:
    """Every problem of the review elements, one line each: patterns that do not compile, a
    proposed clause the DPA library lacks, an example the patterns misjudge, an Art. 28
    element the review does not look for."""
    file = root / REVIEW_FILE
    if not file.exists():
        return [f"{file}: missing"]
    try:
        review = load_review(root)
    except InputError as exc:
        return [str(exc)]
    out: list[str] = []

    def add(path: tuple[str | int, ...], message: str) -> None:
        line = review.located.line_of(path)
        out.append(str(InputError(file, line, format_path(path), message)))

    if not (file.parent / review.spec.proposed_from).is_file():
        add(("proposed_from",), f"no answers file {review.spec.proposed_from} beside this one")
    for key in REQUIRED_WORDS:
        if key not in review.spec.words:
            add(("words",), f"no words for '{key}'")
    seen: set[str] = set()
    for i, element in enumerate(review.spec.elements):
        here: tuple[str | int, ...] = ("elements", i)
        if element.id in seen:
            add((*here, "id"), f"id '{element.id}' already used")
        seen.add(element.id)
        for j, article in enumerate(element.articles):
            try:
                for lang in Language:
                    cite(article, lang)
            except ValueError as exc:
                add((*here, "articles", j), str(exc))
        if element.proposed not in dpa_clause_ids:
            add((*here, "proposed"), f"no DPA clause has the id '{element.proposed}'")
        groups: list[tuple[tuple[str | int, ...], Patterns]] = [
            ((*here, "patterns"), element.patterns)
        ]
        if element.weak and element.weak.patterns:
            groups.append(((*here, "weak", "patterns"), element.weak.patterns))
        broken = False
        for path, patterns in groups:
            for lang in Language:
                for j, pattern in enumerate(patterns.in_(lang)):
                    try:
                        compile_pattern(pattern)
                    except re.error as exc:
                        broken = True
                        add((*path, lang.value, j), f"not a regular expression ({exc})")
        if broken:
            continue
        compiled = CompiledElement(element, review.spec.max_delay_hours)
        for lang in Language:
            examples = element.examples.in_(lang)
            for status in Status:
                for j, example in enumerate(getattr(examples, status.value)):
                    got = compiled.judge(lang, [fold(example)]).status
                    if got is not status:
                        add(
                            (*here, "examples", lang.value, status.value, j),
                            f"judged {got.value}, not {status.value}",
                        )
    for code in art28:
        if code not in seen:
            out.append(f"{file}: no review element for the Art. 28 element {code}")
    return out
