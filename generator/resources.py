"""Where the clause library, the templates and the examples are.

Installed from a wheel they sit inside the package (generator/_data/, see pyproject.toml); in a
source checkout or an editable install they are the folders at the top of the repository.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    installed = _PACKAGE / "_data" / name
    return installed if installed.is_dir() else _PACKAGE.parent / name
