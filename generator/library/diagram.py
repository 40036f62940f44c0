"""A picture of the flows, planned: its boxes grouped by role, its arrows, and their words in
the document's language, all from the library's `diagram:` spec of an annex (load.Diagram).
word/diagram.py draws it; nothing here knows about pixels."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from .load import Diagram, DiagramGroup
from .wording import Wording


@dataclass(frozen=True)
class Box:
    key: str
    label: str
    note: str  # a line under the label: a country
    outside: bool  # dashed border: outside the EEA


@dataclass(frozen=True)
class Group:
    title: str
    boxes: tuple[Box, ...]


@dataclass(frozen=True)
class Arrow:
    """Data sent from each of `sources` to each of `recipients` (one of the two is one box):
    flows alike but for their sender, or their recipient, are one arrow."""

    sources: tuple[str, ...]
    recipients: tuple[str, ...]
    data: str
    means: str
    dashed: bool  # the data identify the persons directly


@dataclass(frozen=True)
class PlannedDiagram:
    name: str  # its title, for the alternative text
    alt: str  # the same in words
    groups: tuple[Group, ...]
    arrows: tuple[Arrow, ...]
    legend: tuple[tuple[str, str], ...]  # (style: "solid", "dashed" or "outside", its words)
    wide: bool  # on a landscape page


def plan_diagram(
    spec: Diagram,
    wording: Wording,
    context: Mapping[str, Any],
    wide: bool,
) -> PlannedDiagram | None:
    """The diagram of `spec` for this document; None when it has no arrow (no flow)."""
    if not wording.condition(spec.when, context):
        return None
    raw: list[tuple[str, str, str, str, bool]] = []
    for arrows in spec.arrows:
        for local in wording.items(arrows.each, context):
            if not wording.condition(arrows.when, local):
                continue
            raw.append(
                (
                    str(wording.evaluate(arrows.source, local)),
                    str(wording.evaluate(arrows.recipient, local)),
                    wording.text(arrows.data, local),
                    wording.text(arrows.means, local) if arrows.means else "",
                    bool(arrows.identifying and wording.evaluate(arrows.identifying, local)),
                )
            )
    if not raw:
        return None
    used = {key for source, recipient, *_ in raw for key in (source, recipient)}
    groups: list[Group] = []
    shown: dict[str, str] = {}  # a box's key -> the key of the box drawn for it
    for index, group in enumerate(spec.groups):
        boxes = _boxes(group, wording, context, used - set(shown))
        boxes, merged = _collapsed(group, index, boxes, wording, context)
        shown.update(merged)
        shown.update((box.key, box.key) for box in boxes)
        if boxes:
            groups.append(Group(wording.text(group.title, context), tuple(boxes)))
    missing = sorted(used - set(shown))
    if missing:
        raise ValueError(f"an arrow of the diagram names {missing[0]!r}, which no group holds")
    arrows = _merged(
        [(shown[s], shown[r], data, means, dashed) for s, r, data, means, dashed in raw]
    )
    if not arrows:  # only flows between centres drawn as one box
        return None
    legend = spec.legend
    drawn = {
        "solid": any(not a.dashed for a in arrows),
        "dashed": any(a.dashed for a in arrows),
        "outside": any(b.outside for g in groups for b in g.boxes),
    }
    return PlannedDiagram(
        name=wording.text(spec.name, context),
        alt=wording.text(spec.alt, context),
        groups=tuple(groups),
        arrows=tuple(arrows),
        legend=tuple(
            (style, wording.text(words, context))
            for style, words in (
                ("solid", legend.solid),
                ("dashed", legend.dashed),
                ("outside", legend.outside),
            )
            if words is not None and drawn[style]
        ),
        wide=wide,
    )


def _boxes(
    group: DiagramGroup,
    wording: Wording,
    context: Mapping[str, Any],
    wanted: set[str],
) -> list[Box]:
    """The group's boxes that an arrow reaches and no earlier group holds, each once."""
    boxes: dict[str, Box] = {}
    for local in wording.items(group.each, context):
        key = str(wording.evaluate(group.key, local))
        if key in wanted and key not in boxes:
            boxes[key] = Box(
                key=key,
                label=wording.text(group.label, local),
                note=wording.text(group.note, local) if group.note else "",
                outside=bool(group.outside and wording.evaluate(group.outside, local)),
            )
    return list(boxes.values())


def _collapsed(
    group: DiagramGroup,
    index: int,
    boxes: list[Box],
    wording: Wording,
    context: Mapping[str, Any],
) -> tuple[list[Box], dict[str, str]]:
    """Over `collapse_over` boxes, those inside the EEA become one box ("5 centres"); a box
    outside the EEA stays on its own, so its marking is never lost. Also: the key each
    collapsed box is now drawn as."""
    inside = [b for b in boxes if not b.outside]
    if group.collapse is None or len(boxes) <= group.collapse_over or len(inside) < 2:
        return boxes, {}
    notes = {b.note for b in inside}
    one = Box(
        key=f"#group{index}",
        label=wording.text(group.collapse, {**context, "count": len(inside)}),
        note=notes.pop() if len(notes) == 1 else "",
        outside=False,
    )
    return [one, *(b for b in boxes if b.outside)], {b.key: one.key for b in inside}


def _merged(raw: Iterable[tuple[str, str, str, str, bool]]) -> list[Arrow]:
    """One arrow for flows alike but for their sender, then for those alike but for their
    recipient; an arrow from a box to itself (between centres drawn as one) is not drawn."""
    by_recipient: dict[tuple, list[str]] = {}
    for source, recipient, *words in raw:
        if source != recipient:
            senders = by_recipient.setdefault((recipient, *words), [])
            if source not in senders:
                senders.append(source)
    by_source: dict[tuple, tuple[list[str], list[str]]] = {}
    for (recipient, *words), senders in by_recipient.items():
        key = (senders[0], *words) if len(senders) == 1 else (tuple(senders), recipient, *words)
        entry = by_source.setdefault(key, (senders, []))
        entry[1].append(recipient)
    return [
        Arrow(tuple(senders), tuple(recipients), *key[-3:])
        for key, (senders, recipients) in by_source.items()
    ]
