"""Writing files whole or not at all, and never over a file unless asked.

Every output (documents, answers files, the interview's state) goes through write_new: a
temporary file in the same folder, flushed to disk, then renamed, so a crash or a full disk
leaves either the old file or the new one, never half of one.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from ..errors import OutputError


def write_new(path: Path, data: bytes, force: bool = False) -> None:
    """Write `data` to `path` whole or not at all; never replace a file unless `force`."""
    if path.exists() and not force:
        raise OutputError(f"{path}: already exists (use --force to replace it)")
    directory = path.parent
    try:
        directory.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise OutputError(f"{directory}: cannot write here ({exc.strerror})") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if force:
            os.replace(temporary, path)
        else:
            _publish_without_replacing(temporary, path)
    except FileExistsError:
        os.unlink(temporary)
        raise OutputError(f"{path}: already exists (use --force to replace it)") from None
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise OutputError(f"{path}: could not be written ({exc.strerror})") from None
    except BaseException:  # Ctrl+C mid-write: no temporary file left behind
        Path(temporary).unlink(missing_ok=True)
        raise


def _publish_without_replacing(temporary: str, path: Path) -> None:
    """link() refuses an existing target, so no other writer is clobbered between check and
    rename; filesystems without hard links fall back to a checked rename."""
    try:
        os.link(temporary, path)
    except FileExistsError:
        raise
    except OSError:
        if path.exists():
            raise FileExistsError(path) from None
        os.replace(temporary, path)
    else:
        os.unlink(temporary)
