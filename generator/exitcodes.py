"""The exit codes of every command (DESIGN.md's command-line contract)."""

EXIT_OK = 0  # done
EXIT_BLOCKED = 1  # blocking legal findings: nothing built unless --draft
EXIT_INPUT = 2  # bad input: unreadable or invalid file, unknown option, unwritable output
EXIT_INTERRUPTED = 130  # Ctrl+C; the interview's answers are saved
