"""The words of the findings: the legal layer's codes and values, worded by the library
(clauses/messages.yaml) in the language asked for — the same codes in every language."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from jinja2 import TemplateError

from ..answers.model import Language
from ..errors import LibraryError
from ..legal.findings import Finding, Phrase
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
        return f"  [{finding.severity.value}] {finding.code}: {self.cited(finding)}"

    def cited(self, finding: Finding) -> str:
        """The message, then the articles it applies in brackets, if any."""
        articles = f" ({', '.join(finding.articles)})" if finding.articles else ""
        return self.text(finding) + articles

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
