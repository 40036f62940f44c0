"""Parties tables: one answers file and a CSV (or YAML list) of the parties that vary — one
DPA per vendor, one per investigating centre. Each row replaces the details of one party of
the answers file (its id and the references to it stay), and becomes one job of a batch.

A CSV's header names party fields, nested ones dotted (`signatory.name`, `dpo.email`); a
column named after a section of the answers file sets that field instead, for what varies
with the party (`hosting.provider`, `reference`). An empty cell keeps the answers file's value.
Errors name the table, the row's line and the column.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..errors import InputError
from .errors import input_error
from .model import Answers, Party, Role
from .yamlfile import Located, PathKey, read_text, read_yaml

_DELIMITERS = ",;\t"  # French spreadsheets export with semicolons


@dataclass(frozen=True)
class Variant:
    """The answers of one row: `base` with the details of party `party` replaced."""

    base: dict[str, Any]
    party: str
    row: Located  # the row's fields, nested, with their lines in the table

    def answers(self, language: str = "en") -> Answers:
        """The row's answers; its mistakes said in `language` (the interface's)."""
        from .load import validate_answers

        sections = {k: v for k, v in self.row.data.items() if k in Answers.model_fields}
        details = {k: v for k, v in self.row.data.items() if k not in sections}
        parties = self.base["parties"]
        index = next(i for i, p in enumerate(parties) if p.get("id") == self.party)
        party = _merged(parties[index], details)
        try:
            Party.model_validate(party)
        except ValidationError as exc:
            row = Located(details, self.row.lines, self.row.file)
            raise input_error(row, exc, model=Party, language=language) from None
        data = _merged(self.base, sections)
        data["parties"] = [*parties[:index], party, *parties[index + 1 :]]
        # Whatever else fails is the row's doing (a section's field, two parties with one
        # name): name its line.
        return validate_answers(Located(data, self.row.lines, self.row.file), language)


def variants(
    answers: Located, table: Path, party: str | None, language: str = "en"
) -> list[Variant]:
    """One Variant per row of `table`, replacing `party` (default: the answers' only processor).

    The answers file is validated here, once: its own errors name it, not every row."""
    from .load import validate_answers

    model = validate_answers(answers, language)
    if party is None:
        processors = model.parties_with(Role.PROCESSOR)
        if len(processors) != 1:
            message = "which party do the rows replace? name it with --vary ID"
            raise InputError(answers.file, None, None, message)
        party = processors[0].id
    ids = [p.id for p in model.parties]
    if party not in ids:
        raise InputError(table, None, None, f"--vary {party}: no such party ({', '.join(ids)})")
    rows = _yaml_rows(table) if table.suffix in (".yaml", ".yml") else _csv_rows(table)
    if not rows:
        raise InputError(table, None, None, "the table has no rows")
    for row in rows:
        if "id" in row.data:
            message = "a row replaces a party's details; its id stays"
            raise InputError(row.file, row.line_of(("id",)), "id", message)
    return [Variant(answers.data, party, row) for row in rows]


def _merged(party: dict[str, Any], details: dict[str, Any]) -> dict[str, Any]:
    out = dict(party)
    for key, value in details.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merged(out[key], value)
        else:
            out[key] = value
    return out


def _csv_rows(table: Path) -> list[Located]:
    text = read_text(table)
    lines = text.splitlines()
    if not lines:
        raise InputError(table, None, None, "the table is empty")
    try:
        dialect = csv.Sniffer().sniff(lines[0], delimiters=_DELIMITERS)
    except csv.Error:
        dialect = csv.excel  # one column: nothing to sniff
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        header = [name.strip() for name in next(reader)]
        seen: set[str] = set()
        for name in header:
            if not name or name in seen:
                raise InputError(table, 1, name or None, "each column needs a distinct name")
            seen.add(name)
        rows = []
        start = reader.line_num + 1
        for cells in reader:
            if any(cell.strip() for cell in cells):
                rows.append(_csv_row(table, start, header, cells))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise InputError(table, reader.line_num, None, f"malformed CSV: {exc}") from None
    return rows


def _csv_row(table: Path, line: int, header: list[str], cells: list[str]) -> Located:
    if len(cells) > len(header):
        raise InputError(table, line, None, f"{len(cells)} cells for {len(header)} columns")
    data: dict[str, Any] = {}
    lines: dict[PathKey, int] = {(): line}
    for name, cell in zip(header, cells):
        if not cell.strip():
            continue  # an empty cell keeps the answers file's value
        *parents, last = name.split(".")
        target = data
        for i, key in enumerate(parents):
            target = target.setdefault(key, {})
            lines[tuple(parents[: i + 1])] = line
        target[last] = cell
        lines[tuple(name.split("."))] = line
    return Located(data, lines, str(table))


def _yaml_rows(table: Path) -> list[Located]:
    located = read_yaml(table)
    if not isinstance(located.data, list) or not all(isinstance(r, dict) for r in located.data):
        raise InputError(table, 1, None, "a parties table is a list of parties' details")
    return [
        Located(
            row,
            {path[1:]: line for path, line in located.lines.items() if path[:1] == (i,)},
            str(table),
        )
        for i, row in enumerate(located.data)
    ]
