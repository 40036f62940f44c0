"""What changed between the signed version of an agreement and the new one, as the articles of
an amendment state it: a sub-clause replaced, a clause replaced, inserted or deleted, a row
added to, replaced in or removed from an annex.

Both versions are planned from their answers in the same language (library/plan.py); clauses
are matched by id, so a clause renumbered because another was inserted before it is no change.
Numbers are the signed version's, as an amendment refers to the agreement it amends — but for
an inserted clause, which takes its number in the new version.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ConfigDict

from .wording import REF_END, REF_START


class Change(BaseModel):
    """One article of the amendment. `kind` is one of KINDS."""

    model_config = ConfigDict(frozen=True)

    kind: str
    number: str = ""  # the clause or sub-clause changed ("14", "14.1"), or the one inserted
    after: str = ""  # an inserted clause: the number of the clause it follows ("": the first)
    title: str = ""  # the clause's title, the annex's label ("Annexe IV")
    paragraphs: tuple[str, ...] = ()  # the new text, a paragraph each
    row: str = ""  # an annex row or measure: its words ("Nom : X ; Pays : France")
    label: str = ""  # the row changed or removed: its first cell, or its label
    heading: str = ""  # the group it belongs to: a party's name, a category of measures
    annex: str = ""  # the annex's key in the library ("sub_processors")


KINDS = (
    "sub_clause_replaced",
    "clause_replaced",
    "clause_inserted",
    "clause_deleted",
    "row_added",
    "row_replaced",
    "row_removed",
    "annex_paragraphs_replaced",
    "measure_added",
    "measure_removed",
)


@dataclass(frozen=True)
class Clause:
    """A planned clause, as compared: its id, title and paragraphs (text, level)."""

    id: str
    title: str
    paragraphs: tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class Version:
    clauses: tuple[Clause, ...]
    annexes: Mapping[str, Mapping[str, Any]]  # the template context's annexes
    measure_groups: Sequence[Mapping[str, Any]] = field(default_factory=tuple)
    measures_annex: str = ""  # the label of the annex listing the measures ("Annexe III")
    french: bool = False  # « Nom : X ; Pays : France », with French typography's spaces
    # What each [[clause.id]] or [[annex.key]] mark of its text prints ("Article 14",
    # "Annexe IV"): compared, the marks stand for their clause whatever its number; quoted in
    # the amendment, the new version's numbers.
    references: Mapping[str, str] = field(default_factory=dict)


class Amended(BaseModel):
    """The signed agreement an amendment amends, as the amendment names it."""

    model_config = ConfigDict(frozen=True)

    title: str
    date: dt.date | None
    reference: str


def renumbered(changes: Iterable[Change]) -> bool:
    """Whether the amendment inserts or deletes a clause, so that those after it renumber."""
    return any(c.kind in ("clause_inserted", "clause_deleted") for c in changes)


def changes(old: Version, new: Version) -> list[Change]:
    """The amendment's articles, in the order of the agreement: its clauses, then annexes."""
    found = [*_clause_changes(old, new), *_annex_changes(old, new)]
    return [_referring(change, new.references, new.french) for change in found]


def _referring(change: Change, references: Mapping[str, str], french: bool) -> Change:
    """The change's text with each cross-reference mark as the new version prints it, and
    its quotation marks the inner ones of a quotation (“ ” in French, ' ' in English): the
    amendment quotes it."""

    def resolved(text: str) -> str:
        text = _MARK.sub(lambda m: references.get(m.group(1), m.group(1)), text)
        if french:
            return _FRENCH_QUOTE.sub("“\\1”", text)
        return _ENGLISH_QUOTE.sub("'\\1'", text)

    return change.model_copy(
        update={
            "paragraphs": tuple(resolved(p) for p in change.paragraphs),
            "row": resolved(change.row),
        }
    )


_MARK = re.compile(f"{REF_START}(.*?){REF_END}")
_FRENCH_QUOTE = re.compile("«\\s*(.*?)\\s*»")
_ENGLISH_QUOTE = re.compile('"(.*?)"')


# Clauses.


def _numbers(clauses: Sequence[Clause]) -> dict[str, str]:
    return {c.id: str(i) for i, c in enumerate(clauses, 1)}


def _clause_changes(old: Version, new: Version) -> Iterator[Change]:
    old_by_id = {c.id: c for c in old.clauses}
    new_ids = {c.id for c in new.clauses}
    old_numbers, new_numbers = _numbers(old.clauses), _numbers(new.clauses)
    previous = ""  # the signed number of the last clause kept, before an inserted one
    for clause in new.clauses:
        before = old_by_id.get(clause.id)
        if before is None:
            yield Change(
                kind="clause_inserted",
                number=new_numbers[clause.id],
                after=previous,
                title=clause.title,
                paragraphs=_numbered(clause, new_numbers[clause.id]),
            )
            continue
        previous = old_numbers[clause.id]
        yield from _clause_changed(before, clause, previous)
    for clause in old.clauses:
        if clause.id not in new_ids:
            yield Change(kind="clause_deleted", number=old_numbers[clause.id], title=clause.title)


def _clause_changed(before: Clause, after: Clause, number: str) -> Iterator[Change]:
    """Each sub-clause that changed, when the clause keeps its title and its sub-clauses;
    else the whole clause, replaced."""
    if (before.title, before.paragraphs) == (after.title, after.paragraphs):
        return
    old_units, new_units = _units(before), _units(after)
    same_shape = before.title == after.title and len(old_units) == len(new_units)
    if same_shape and all(o[0] is not None for o, n in zip(old_units, new_units) if o != n):
        for (sub, old_text), (_, new_text) in zip(old_units, new_units):
            if old_text != new_text:
                sub_clause = f"{number}.{sub}"
                yield Change(kind="sub_clause_replaced", number=sub_clause, paragraphs=new_text)
        return
    paragraphs = _numbered(after, number)
    yield Change(kind="clause_replaced", number=number, title=after.title, paragraphs=paragraphs)


def _units(clause: Clause) -> list[tuple[int | None, tuple[str, ...]]]:
    """The clause's numbered sub-clauses (level 1), each with its lettered items (level 2)
    and unnumbered paragraphs after it; unnumbered paragraphs before the first, unit None."""
    units: list[tuple[int | None, list[str]]] = []
    count, letter = 0, 0
    for text, level in clause.paragraphs:
        if level == 1:
            count, letter = count + 1, 0
            units.append((count, [text]))
            continue
        if level == 2:
            letter += 1
            text = f"({chr(96 + letter)}) {text}"
        if not units:
            units.append((None, []))
        units[-1][1].append(text)
    return [(sub, tuple(texts)) for sub, texts in units]


def _numbered(clause: Clause, number: str) -> tuple[str, ...]:
    """A whole clause's text as printed: "14.1 …", "(a) …"."""
    out = []
    for sub, texts in _units(clause):
        first, *rest = texts
        out += [f"{number}.{sub} {first}" if sub is not None else first, *rest]
    return tuple(out)


# Annexes.


def _annex_changes(old: Version, new: Version) -> Iterator[Change]:
    for key, after in new.annexes.items():
        before = old.annexes.get(key)
        if before is None:
            continue  # an annex the signed version lacked: its clause says so
        label = annex_label(after["title"])
        found = [*_table_changes(before, after, label, new.french)]
        found += _rows_changes(before, after, label, new.french)
        if before["paragraphs"] != after["paragraphs"]:
            paragraphs = tuple(after["paragraphs"])
            found.append(
                Change(kind="annex_paragraphs_replaced", title=label, paragraphs=paragraphs)
            )
        yield from (change.model_copy(update={"annex": key}) for change in found)
    yield from _measure_changes(old, new)


def annex_label(title: str) -> str:
    """« Annexe IV – Sous-traitants ultérieurs » → « Annexe IV »."""
    return title.split(" – ", 1)[0]


def _join(pairs: Iterable[tuple[str, str]], french: bool) -> str:
    """« Nom : X ; Pays : France » / "Name: X; Country: France"."""
    colon, semicolon = ("\u00a0: ", "\u00a0; ") if french else (": ", "; ")
    return semicolon.join(f"{name}{colon}{value}" for name, value in pairs)


def _table_changes(
    before: Mapping[str, Any], after: Mapping[str, Any], label: str, french: bool
) -> Iterator[Change]:
    """A table of columns (the sub-processors): rows told apart by their first cell."""
    headers = after["headers"]
    old_rows = {r[0]: tuple(r) for r in before["table"] if r}
    new_rows = {r[0]: tuple(r) for r in after["table"] if r}
    for first, row in new_rows.items():
        words = _join(zip(headers, row), french)
        if first not in old_rows:
            yield Change(kind="row_added", title=label, row=words)
        elif old_rows[first] != row:
            yield Change(kind="row_replaced", title=label, row=words, label=first)
    for first in old_rows:
        if first not in new_rows:
            yield Change(kind="row_removed", title=label, label=first)


def _rows_changes(
    before: Mapping[str, Any], after: Mapping[str, Any], label: str, french: bool
) -> Iterator[Change]:
    """A table of labels and values (the description, the parties): rows told apart by their
    label within their group."""
    old_rows, new_rows = _keyed(before["rows"]), _keyed(after["rows"])
    for key, value in new_rows.items():
        heading, name = key
        words = _join([(name, value)], french)
        if key not in old_rows:
            yield Change(kind="row_added", title=label, row=words, heading=heading)
        elif old_rows[key] != value:
            yield Change(kind="row_replaced", title=label, row=words, label=name, heading=heading)
    for key in old_rows:
        if key not in new_rows:
            yield Change(kind="row_removed", title=label, label=key[1], heading=key[0])


def _keyed(rows: Sequence[Mapping[str, Any]]) -> dict[tuple[str, str], str]:
    keyed: dict[tuple[str, str], str] = {}
    heading = ""
    for row in rows:
        if row["header"]:
            heading = row["label"]
        else:
            keyed[(heading, row["label"])] = row["value"]
    return keyed


def _measure_changes(old: Version, new: Version) -> Iterator[Change]:
    """The security measures of the annex that lists them, grouped by category."""
    old_measures = _measures(old.measure_groups)
    new_measures = _measures(new.measure_groups)
    label = new.measures_annex
    for group, measure in new_measures:
        if (group, measure) not in old_measures:
            yield Change(kind="measure_added", title=label, heading=group, row=measure)
    for group, measure in old_measures:
        if (group, measure) not in new_measures:
            yield Change(kind="measure_removed", title=label, heading=group, row=measure)


def _measures(groups: Sequence[Mapping[str, Any]]) -> list[tuple[str, str]]:
    return [(g["title"], str(m)) for g in groups for m in g["measures"]]
