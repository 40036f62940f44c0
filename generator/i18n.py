"""The interface language: gettext catalogs compiled from locales/ (English is the source),
for the interview and for what the command line says of a mistaken answers file."""

from __future__ import annotations

import gettext as gettext_module
import locale
import os
from collections.abc import Callable

from .resources import data_dir

DOMAIN = "clausier"


def interface_language(requested: str | None) -> str:
    """--lang, else the system locale, else French."""
    if requested:
        return requested
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(variable, "")
        if value[:2] in ("fr", "en"):
            return value[:2]
    code = (locale.getlocale()[0] or "")[:2]
    return code if code in ("fr", "en") else "fr"


def translator(language: str) -> Callable[[str], str]:
    catalog = gettext_module.translation(
        DOMAIN, localedir=data_dir("locales"), languages=[language], fallback=True
    )
    return catalog.gettext
