"""The words of the findings: the legal layer's codes and values, worded by the library
(clauses/messages.yaml) in the language asked for — the same codes in every language."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from typing import Any

from jinja2 import TemplateError

from ..answers.model import Language
from ..errors import LibraryError
from ..legal.findings import Finding, Phrase, Severity
from .load import Bilingual, Library
from .wording import wording_for


class Messages:
    """Words findings in one language."""

    def __init__(self, library: Library, language: Language):
        self.library, self.language = library, language
        self.wording = wording_for(library, language)

    def text(self, finding: Finding) -> str:
        return self._say(self.library.messages.findings, finding.code, finding.values)

    def line(self, finding: Finding) -> str:
        """A finding as the command line prints it: severity, code, message, articles."""
        return f"  [{self.severity(finding)}] {finding.code}: {self.cited(finding)}"

    def severity(self, finding: Finding) -> str:
        return SEVERITY[finding.severity][self.language.value]

    def cited(self, finding: Finding) -> str:
        """The message, then the articles it applies in brackets, if any."""
        cited = ", ".join(cite(article, self.language) for article in finding.articles)
        return self.text(finding) + (f" ({cited})" if cited else "")

    def _say(self, texts: Mapping[str, Bilingual], code: str, values: Mapping[str, Any]) -> str:
        words = {name: self._value(value) for name, value in values.items()}
        if code not in texts:  # `clausier check` reports it; a build says which code
            raise LibraryError(self._file, None, code, "no message for this finding")
        try:
            return self.wording.message(texts[code], words)
        except TemplateError as exc:
            raise LibraryError(self._file, None, code, f"cannot be filled in: {exc}") from None

    def _value(self, value: Any) -> Any:
        if isinstance(value, Phrase):
            return self._say(self.library.messages.phrases, value.code, value.values)
        if isinstance(value, list):
            return [self._value(v) for v in value]
        return value

    @property
    def _file(self) -> str:
        return str(self.library.messages_file)


# The command line's own words around the findings (severities, `assess` headings), per language.
SEVERITY: dict[Severity, dict[str, str]] = {
    Severity.BLOCKER: {"fr": "bloquant", "en": "blocker"},
    Severity.WARNING: {"fr": "avertissement", "en": "warning"},
    Severity.INFO: {"fr": "information", "en": "info"},
}
HEADINGS: dict[str, dict[str, str]] = {
    "route": {"fr": "formalité de la recherche", "en": "research route"},
    "due": {"fr": "documents à établir", "en": "documents due"},
    "none": {"fr": "aucun", "en": "none"},
    "dpa": {"fr": "accord de sous-traitance", "en": "processing agreement"},
    "protocol-annex": {"fr": "annexe RGPD du protocole", "en": "GDPR annex to the protocol"},
    "joint-controllers": {
        "fr": "accord entre responsables conjoints",
        "en": "joint-controller arrangement",
    },
    "convention-unique-description": {
        "fr": "description des traitements (convention unique)",
        "en": "description of the processing (convention unique)",
    },
    "information-notice": {"fr": "note d'information", "en": "information notice"},
    "information-poster": {
        "fr": "affiche d'information collective",
        "en": "collective-information poster",
    },
    "processing-record": {
        "fr": "fiches du registre des traitements",
        "en": "record of processing entries",
    },
    "dpia": {"fr": "trame d'analyse d'impact (AIPD)", "en": "DPIA outline"},
}


def _date(language: str) -> Callable[[re.Match[str]], str]:
    """An arrêté's date, written in the language (« arrêté du 6 mai 2024 »)."""

    def said(match: re.Match[str]) -> str:
        from babel.dates import format_date

        day = dt.datetime.strptime(match[1], "%d %B %Y").date()  # the code's month is English
        date = format_date(day, "d MMMM y", locale="fr_FR" if language == "fr" else "en_GB")
        if language == "fr":
            return "arrêté du " + re.sub(r"^1 ", "1er ", date) + match[2]
        return f"arrêté of {date}{match[2]}"  # the messages' own English word

    return said


# How each source of the legal layer's article codes ("GDPR 4(9)", "CSP L.1111-8", "Arrêté 6 May
# 2024 (SNDS)") is cited in each language: the codes stay the same (assess --json), the words
# do not (« RGPD art. 4(9) », « CSP art. L. 1111-8 », « arrêté du 6 mai 2024 (SNDS) »).
_CITATIONS: tuple[tuple[re.Pattern[str], dict[str, Any]], ...] = tuple(
    (re.compile(pattern), said)
    for pattern, said in (
        (r"GDPR (.+)", {"fr": r"RGPD art. \1", "en": r"GDPR \1"}),
        (r"(CSP|CCP) ([LRD])\.(.+)", {"fr": r"\1 art. \2. \3", "en": r"\1 \2.\3"}),
        (r"C\. civ\. (.+)", {"fr": r"C. civ. art. \1", "en": r"Civil Code art. \1"}),
        (r"Loi (.+)", {"fr": r"loi n° \1", "en": r"Law \1"}),
        (r"Regulation (.+)", {"fr": r"règlement (UE) \1", "en": r"Regulation (EU) \1"}),
        (r"CJEU (.+)", {"fr": r"CJUE \1", "en": r"CJEU \1"}),
        (r"CNIL (.+)", {"fr": r"CNIL \1", "en": r"CNIL \1"}),
        (r"(WP\d+) rev\.(.+)", {"fr": r"\1 rév. \2", "en": r"\1 rev.\2"}),
        (r"Arrêté (\d+ [A-Z][a-z]+ \d{4})(.*)", {"fr": _date("fr"), "en": _date("en")}),
    )
)


def cite(article: str, language: Language) -> str:
    """An article code of the legal layer as a lawyer cites it in `language`."""
    for pattern, said in _CITATIONS:
        if pattern.fullmatch(article):
            return pattern.sub(said[language.value], article)
    raise ValueError(f"no citation style for {article!r}")
