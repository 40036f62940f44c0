"""Countries: ISO codes, their names in each language, and the European Economic Area."""

from __future__ import annotations

from functools import cache

# EU member states plus Iceland, Liechtenstein and Norway (EEA Agreement). GDPR Chapter V
# applies to transfers to any other country.
_EU = "AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK"
EU = frozenset(_EU.split())
EEA = frozenset((*EU, "IS", "LI", "NO"))

# Codes CLDR lists as territories that are not countries.
_NOT_COUNTRIES = frozenset({"EU", "EZ", "UN", "QO", "ZZ"})


@cache
def _names(language: str) -> dict[str, str]:
    from babel import Locale

    return {
        code: name
        for code, name in Locale.parse(language).territories.items()
        if len(code) == 2 and code.isalpha() and code not in _NOT_COUNTRIES
    }


def is_country_code(code: str) -> bool:
    return code in _names("en")


def in_eea(code: str) -> bool:
    return code in EEA


def in_eu(code: str) -> bool:
    return code in EU


def country_name(code: str, language: str) -> str:
    return _names(language)[code]
