"""Everything Clausier reports to a user, and the exit code of each (docs/design.md, "The
command line").

One root, `ClausierError`: a user sees its one line (file, line, field, message), never a
traceback. Its branches are the kinds of fault a user can fix — their answers, the place they
write to, their clause library or template. Anything else that escapes is a bug of ours, and
only that is reported as "internal error".
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

EXIT_OK = 0  # done
EXIT_BLOCKED = 1  # blocking legal findings: nothing built unless --draft
EXIT_INPUT = 2  # bad input: unreadable or invalid file, unknown option, unwritable output
EXIT_INTERRUPTED = 130  # Ctrl+C; the interview's answers are saved


class ClausierError(Exception):
    """A fault the user can fix, printed as one line."""

    exit_code = EXIT_INPUT


class InputError(ClausierError):
    """A problem in a file the user gave us (answers, parties table, clause library, template),
    located at its line and field when known."""

    def __init__(self, file: str | Path, line: int | None, field: str | None, message: str):
        self.file, self.line, self.field, self.message = str(file), line, field, message
        super().__init__(str(self))

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return (
            f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"
        )


class LibraryError(InputError):
    """The clause library, its messages or a Word template is faulty (a lawyer's edit): the
    same one line, from `clausier check` and from a build."""


class OutputError(ClausierError):
    """A file could not be written (exists, unwritable directory, full disk)."""


class InputErrors(InputError):
    """Several mistakes in one file, reported together so that one run shows them all: a
    heading, then each mistake on a line of its own. Its fields are the first mistake's."""

    def __init__(self, heading: str, errors: Sequence[InputError]):
        self.heading, self.errors = heading, tuple(errors)
        first = errors[0]
        super().__init__(first.file, first.line, first.field, first.message)

    def __str__(self) -> str:
        return "\n".join([self.heading, *(str(error) for error in self.errors)])


def N_(message: str) -> str:
    """Marks a message for translation (`make locales`); it is translated where it is said."""
    return message
