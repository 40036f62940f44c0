"""Writing files whole or not at all, and never over a file unless asked.

Every output (documents, answers files, the interview's state) goes through write_new: a
temporary file in the same folder, flushed to disk, then renamed, so a crash or a full disk
leaves either the old file or the new one, never half of one. The file gets the permissions
any program would give it — 0666 less the user's umask (and the folder's default ACL) — so a
colleague reads it on a shared folder.
"""

from __future__ import annotations

import errno
import os
import secrets
from pathlib import Path

from ..errors import OutputError


def write_new(path: Path, data: bytes, force: bool = False) -> None:
    """Write `data` to `path` whole or not at all; never replace a file unless `force`."""
    if path.exists() and not force:
        raise OutputError(f"{path}: already exists (use --force to replace it)")
    directory = path.parent
    try:
        directory.mkdir(parents=True, exist_ok=True)
        fd, temporary = _create_temporary(directory, path.name)
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
            move_without_replacing(temporary, path)
    except FileExistsError:
        os.unlink(temporary)
        raise OutputError(f"{path}: already exists (use --force to replace it)") from None
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise OutputError(f"{path}: could not be written ({exc.strerror})") from None
    except BaseException:  # Ctrl+C mid-write: no temporary file left behind
        Path(temporary).unlink(missing_ok=True)
        raise


# tempfile.mkstemp's flags, write only; its mode 0600 is what left documents unreadable
# to colleagues, so the mode here is 0666 and the kernel applies the umask, as open() does:
# no os.umask() call, which would change the umask of the whole process for a moment.
_FLAGS = (
    os.O_WRONLY
    | os.O_CREAT
    | os.O_EXCL
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)


def _create_temporary(directory: Path, name: str) -> tuple[int, str]:
    """A new hidden file beside the target, open for writing: (descriptor, path)."""
    for _ in range(100):
        temporary = str(directory / f".{name}.{secrets.token_hex(4)}.tmp")
        try:
            return os.open(temporary, _FLAGS, 0o666), temporary
        except FileExistsError:
            continue
    raise OSError(errno.EEXIST, "no free temporary file name")


def move_without_replacing(source: str | Path, path: Path) -> None:
    """Move `source` to `path`, which must not exist (FileExistsError). link() refuses an
    existing target, so no other writer is clobbered between check and rename; filesystems
    without hard links fall back to a checked rename."""
    try:
        os.link(source, path)
    except FileExistsError:
        raise
    except OSError:
        if path.exists():
            raise FileExistsError(path) from None
        os.replace(source, path)
    else:
        os.unlink(source)
