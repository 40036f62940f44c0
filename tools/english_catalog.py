"""Make the English catalog complete: every translation is its message id (English is the source).

Run by `make locales` after `pybabel update`, so the English catalog never has an empty or fuzzy
entry: .venv/bin/python tools/english_catalog.py locales/en/LC_MESSAGES/clausier.po
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po


def fill(path: Path) -> None:
    with path.open("rb") as handle:
        catalog = read_po(handle)
    for message in catalog:
        if not message.id:
            continue  # the header
        message.string = message.id  # a (singular, plural) pair for plural messages
        message.flags.discard("fuzzy")
    with path.open("wb") as handle:
        write_po(handle, catalog, ignore_obsolete=True)


if __name__ == "__main__":
    for argument in sys.argv[1:]:
        fill(Path(argument))
