"""Findings: what the assessment tells the user, each with its severity, code and articles."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum

from ..answers.countries import country_name
from ..answers.model import Language


class Severity(str, Enum):
    BLOCKER = "blocker"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True)
class Finding:
    severity: Severity
    code: str
    message: str
    articles: tuple[str, ...]

    def as_dict(self) -> dict[str, object]:
        return {
            "severity": self.severity.value,
            "code": self.code,
            "message": self.message,
            "articles": list(self.articles),
        }


# A rule's message: severity, articles, French text, English text; {fields} filled by the rule.
Message = tuple[Severity, tuple[str, ...], str, str]


class Findings:
    """Collects findings, writing each message in the document language."""

    def __init__(self, language: Language, messages: Mapping[str, Message]):
        self.language = language
        self.messages = messages
        self.items: list[Finding] = []

    def add(self, code: str, **fields: object) -> None:
        severity, articles, fr, en = self.messages[code]
        text = fr if self.language is Language.FR else en
        self.items.append(Finding(severity, code, text.format(**fields), articles))

    def pick(self, fr: str, en: str) -> str:
        return fr if self.language is Language.FR else en

    def label(self, value: Enum) -> str:
        """The words of clauses/labels.yaml for a fixed choice of the answers."""
        from ..library.load import default_labels

        return default_labels()[type(value).__name__][value.value][self.language.value]

    def country(self, code: str) -> str:
        return country_name(code, self.language.value)

    def sorted(self) -> tuple[Finding, ...]:
        order = list(Severity)
        return tuple(sorted(self.items, key=lambda f: order.index(f.severity)))
