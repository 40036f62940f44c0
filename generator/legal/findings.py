"""Findings: what the assessment tells the user, as codes and values — never words.

Each rule declares its code once (severity, articles, and the values its message needs, with
their types); the words, in French and English, are the clause library's (clauses/messages.yaml,
checked by `clausier check` against these declarations). A reason or fact the rule chooses
inside a message is a Phrase, worded by the library too.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Any


class Severity(str, Enum):
    BLOCKER = "blocker"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True)
class Phrase:
    """A piece of a message the rule chose (a reason, a fact), by its code and values."""

    code: str
    values: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Rule:
    """What a finding code is: its severity, the articles it applies, and the names and types
    of the values its message may use (a list of Phrase is worded as a list of strings)."""

    severity: Severity
    articles: tuple[str, ...]
    values: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Finding:
    severity: Severity
    code: str
    articles: tuple[str, ...]
    values: Mapping[str, Any] = field(default_factory=dict)
    # The answers a user changes to settle it, as the answers file spells them
    # ("transfers[0].safeguard"; a list field alone, "transfers": add an item to it). The
    # interview reopens these questions after a blocker; empty where no answer is at fault.
    fields: tuple[str, ...] = ()


class Findings:
    """Collects the findings of one assessment, each checked against its declared rule."""

    def __init__(self, rules: Mapping[str, Rule], phrases: Mapping[str, Mapping[str, Any]]):
        self.rules, self.phrases = rules, phrases
        self.items: list[Finding] = []

    def add(self, code: str, *, at: Iterable[str] = (), **values: Any) -> None:
        """Add a finding; `at`: the answers fields it concerns (Finding.fields)."""
        rule = self.rules[code]
        _same_names(code, rule.values, values)
        self.items.append(Finding(rule.severity, code, rule.articles, values, tuple(at)))

    def phrase(self, code: str, **values: Any) -> Phrase:
        _same_names(code, self.phrases[code], values)
        return Phrase(code, values)

    def sorted(self) -> tuple[Finding, ...]:
        order = list(Severity)
        return tuple(sorted(self.items, key=lambda f: order.index(f.severity)))


def _same_names(code: str, declared: Mapping[str, Any], given: Mapping[str, Any]) -> None:
    """A rule that passes other values than it declares is a bug, caught by any test."""
    if set(declared) != set(given):
        raise TypeError(f"{code}: values {sorted(given)}, declared {sorted(declared)}")
