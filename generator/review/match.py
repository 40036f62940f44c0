"""Each review element found, weak or missing in the vendor's passages, with the sentence that
shows it — pure functions of the passages and the elements (no file, no Word)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..answers.model import Language
from ..library.review import CompiledElement, Element, Judgement, Status, fold
from .read import Passage

QUOTE_MAX_CHARS = 170
_SENTENCE_END = re.compile(r"(?<=[.;!?])\s+")
_HEADING_JOIN = " | "
# French function words that English text hardly uses, and the reverse: enough to tell a
# DPA's language from a few paragraphs.
_FRENCH = frozenset(
    ("le", "la", "les", "des", "du", "et", "est", "une", "dans", "pour", "que", "qui", "aux",
     "sur", "par", "au", "ou")
)  # fmt: skip
_ENGLISH = frozenset(
    ("the", "and", "of", "to", "is", "shall", "any", "with", "for", "by", "this", "that", "or",
     "be")
)  # fmt: skip


@dataclass(frozen=True)
class Result:
    """One element's verdict: its status, the passage that shows it and the sentence quoted."""

    element: Element
    judgement: Judgement
    passage: Passage | None = None
    quote: str = ""

    @property
    def status(self) -> Status:
        return self.judgement.status


def detect_language(passages: Sequence[Passage]) -> Language:
    """French when its function words outnumber English ones."""
    words = re.findall(r"[a-z]+", fold(" ".join(p.text for p in passages[:400])))
    french = sum(w in _FRENCH for w in words)
    english = sum(w in _ENGLISH for w in words)
    return Language.FR if french > english else Language.EN


def searched(passage: Passage) -> str:
    """What patterns see of a passage: its heading, then its text, folded — so a heading
    « Audits » helps a paragraph that only says « le Prestataire s'y soumet »."""
    text = fold(passage.text)
    if passage.heading and passage.heading != passage.text:
        return fold(passage.heading) + _HEADING_JOIN + text
    return text


def review_passages(
    passages: Sequence[Passage], language: Language, elements: Sequence[CompiledElement]
) -> list[Result]:
    """Every element's verdict, in the order of the elements."""
    folded = [searched(p) for p in passages]
    headings = [len(text) - len(fold(p.text)) for text, p in zip(folded, passages)]
    results = []
    for element in elements:
        judgement = element.judge(language, folded, headings)
        if judgement.passage is None or judgement.span is None:
            results.append(Result(element.element, judgement))
            continue
        passage = passages[judgement.passage]
        start, end = (offset - headings[judgement.passage] for offset in judgement.span)
        # A match that begins in the heading is quoted where it ends, in the paragraph.
        start = start if start >= 0 else max(end - 1, 0)
        results.append(Result(element.element, judgement, passage, quote(passage.text, start)))
    return results


def quote(text: str, folded_start: int) -> str:
    """The sentence of `text` holding the folded offset `folded_start`, shortened to
    QUOTE_MAX_CHARS."""
    sentences = _SENTENCE_END.split(" ".join(text.split()))
    position, chosen = 0, sentences[0]
    for sentence in sentences:
        position += len(fold(sentence)) + 1
        if folded_start < position:
            chosen = sentence
            break
    return shorten(chosen)


def shorten(text: str, limit: int = QUOTE_MAX_CHARS) -> str:
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0] + "…"
