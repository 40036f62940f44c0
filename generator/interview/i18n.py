"""The interface language (generator/i18n.py: the command line says mistakes in it too)."""

from __future__ import annotations

from ..i18n import DOMAIN, interface_language, translator

__all__ = ["DOMAIN", "interface_language", "translator"]
