"""Tracked changes: a new build marked, as Word revisions, against the version that was signed.

The new document is the fresh build itself; only revision marks are added to it. Text the
signed version had and the new one lacks comes back as deleted runs (`w:del`), text the new one
adds is wrapped as inserted (`w:ins`), so accepting every change gives exactly the fresh build
(`accept_all`, which `tracked` runs on its own result before returning it).

The two versions are aligned clause by clause: the signed document's provenance lists its
clause ids in order, one per article heading, so each block of either document belongs to a
clause (or to the front matter, the closing and signatures, or an annex, keyed by its title
without its number). A clause moved or renumbered is compared with itself, wherever it now
stands. Within a clause, paragraphs and table rows are aligned by their text, and a changed
paragraph is marked word by word.
"""

from __future__ import annotations

import copy
import datetime as dt
import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from io import BytesIO
from itertools import count
from pathlib import Path

from docx.oxml.ns import qn
from lxml import etree

from ..answers.model import Language
from ..errors import InputError
from .provenance import read_provenance

AUTHOR = "Clausier"
_HEADING = "Heading1"
_ANNEX_TITLES = ("AnnexTitle", "AnnexTitleNext")
_CLOSING = "Closing"
_CONTENTS = "TOC1"
_NS = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}
# An annex's number goes: « Annexe IV – Sous-traitants ultérieurs » is keyed by its title.
_ANNEX_NUMBER = re.compile(r"\b(?:Annexe|Annex|Tableau|Table)\s+[IVXLC\d]+\b\s*(?:–\s*)?")
_TOKENS = re.compile(r"\w+|\s+|[^\w\s]", re.UNICODE)
# Paragraph content a word-level comparison can rebuild; anything else (a hyperlink, a
# picture, a content control) is compared as a whole paragraph, deleted and reinserted.
_SIMPLE = {qn("w:pPr"), qn("w:r"), qn("w:bookmarkStart"), qn("w:bookmarkEnd"), qn("w:proofErr")}
_ATOMIC = {qn("w:tab"), qn("w:br"), qn("w:cr"), qn("w:drawing"), qn("w:sym"), qn("w:noBreakHyphen")}
_SIMILAR = 0.5  # below this, two paragraphs in the same place are a deletion and an insertion


@dataclass(frozen=True)
class Signed:
    """The signed version: its body, the clause ids its provenance lists, its answers."""

    path: Path
    body: etree._Element
    clause_ids: tuple[str, ...]
    answers_text: str
    kind: str | None


def read_signed(path: Path) -> Signed:
    """The signed document; one line refusing it when Clausier's provenance is not in it."""
    from docx import Document

    provenance = read_provenance(path)
    document = Document(str(path))
    body = document.element.body
    headings = _xpath(body, f'.//w:p[w:pPr/w:pStyle/@w:val="{_HEADING}"]')
    if len(headings) != len(provenance.clause_ids):
        raise InputError(
            path,
            None,
            None,
            f"its {len(headings)} articles no longer match the {len(provenance.clause_ids)} "
            "clauses Clausier built it with (articles added or removed by hand): tracked "
            "changes need the document as Clausier built it",
        )
    return Signed(path, body, provenance.clause_ids, provenance.answers, provenance.kind)


def tracked(
    new: bytes, clause_ids: tuple[str, ...], signed: Signed, when: dt.datetime | None
) -> bytes:
    """`new` (a fresh build's bytes, its articles' clause ids) with revision marks against
    `signed`, dated `when`, and Word's change tracking left on for the negotiation that
    follows."""
    from docx import Document

    from .provenance import package_bytes

    document = Document(BytesIO(new))
    body = document.element.body
    expected = paragraph_texts(body)  # what accepting every mark must give back
    marks = _Marks(when)
    new_keys = _section_keys(body, clause_ids)
    old_keys = _section_keys(signed.body, signed.clause_ids)
    targets = (_targets(signed.body, old_keys), _targets(body, new_keys))
    _Comparison(old_keys, new_keys, marks, targets).container(
        _blocks(signed.body), _blocks(body), body
    )
    accepted = copy.deepcopy(body)
    accept_all(accepted)
    if paragraph_texts(accepted) != expected:  # never hand a lawyer a wrong redline
        raise RuntimeError("the tracked changes do not accept back to the new version")
    _track_revisions(document.settings.element)
    return package_bytes(document)


_TRACKED_SUFFIX = {"fr": "modifications-suivies", "en": "tracked-changes"}


@cache
def _compiled(expression: str) -> etree.XPath:
    return etree.XPath(expression, namespaces=_NS)


def _xpath(element: etree._Element, expression: str) -> list[etree._Element]:
    """python-docx's elements and plain lxml ones alike (the former's own xpath takes no
    namespaces)."""
    return _compiled(expression)(element)


def tracked_filename(filename: str, language: Language) -> str:
    """« accord-…-fr.docx » → « accord-…-fr-modifications-suivies.docx »."""
    stem, suffix = filename.rsplit(".", 1)
    return f"{stem}-{_TRACKED_SUFFIX[language.value]}.{suffix}"


def accept_all(body: etree._Element) -> None:
    """Accept every revision in `body`, as Word's "Accept All Changes" does."""
    for row in _xpath(body, ".//w:tr[w:trPr/w:del]"):
        row.getparent().remove(row)
    for paragraph in _xpath(body, ".//w:p[w:pPr/w:rPr/w:del]"):
        paragraph.getparent().remove(paragraph)
    for deleted in _xpath(body, ".//w:del"):
        deleted.getparent().remove(deleted)
    for inserted in _xpath(body, ".//w:ins"):
        parent = inserted.getparent()
        if parent.tag in (qn("w:rPr"), qn("w:trPr")):
            parent.remove(inserted)
            continue
        for child in list(inserted):
            inserted.addprevious(child)
        parent.remove(inserted)
    for table in _xpath(body, ".//w:tbl[not(w:tr)]"):
        table.getparent().remove(table)


def paragraph_texts(body: etree._Element) -> list[str]:
    """Every paragraph's text, in order (deleted text excluded): what accepting must give."""
    return [_text(p) for p in body.iter(qn("w:p"))]


# Sections: which clause, annex or part of the document each block belongs to.


def _section_keys(body: etree._Element, clause_ids: tuple[str, ...]) -> dict[etree._Element, str]:
    """Each paragraph's section: "front" until the first article, then the clause id of the
    article it follows, "closing" from the closing words, then "annex:TITLE"."""
    ids: Iterator[str] = iter(clause_ids)
    key, keys = "front", {}
    for paragraph in body.iter(qn("w:p")):
        style = _style(paragraph)
        if style == _HEADING:
            key = next(ids, key)
        elif style in _ANNEX_TITLES:
            key = "annex:" + _ANNEX_NUMBER.sub("", _text(paragraph)).strip()
        elif style == _CLOSING and not key.startswith("annex:"):
            key = "closing"
        keys[paragraph] = key
    return keys


def _targets(body: etree._Element, keys: dict[etree._Element, str]) -> dict[str, str]:
    """Each cross-reference bookmark's clause or annex: "_Ref00000020" names the twentieth
    article of one version and the nineteenth of the other, and a reference to the same
    clause, renumbered, is no change."""
    return {
        start.get(qn("w:name")): keys[start.getparent()]
        for start in body.iter(qn("w:bookmarkStart"))
        if start.getparent() in keys and start.get(qn("w:name"), "").startswith("_Ref")
    }


def _style(paragraph: etree._Element) -> str | None:
    style = paragraph.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
    return style.get(qn("w:val")) if style is not None else None


def _blocks(container: etree._Element) -> list[etree._Element]:
    """The paragraphs and tables of a body or cell, or the rows of a table. Not the table of
    contents: a field's result Word fills in again, not contract text."""
    tags = (qn("w:tr"),) if container.tag == qn("w:tbl") else (qn("w:p"), qn("w:tbl"))
    return [c for c in container if c.tag in tags and _style(c) != _CONTENTS]


def _text(element: etree._Element) -> str:
    """What a block prints: its text (deleted text aside), tabs and breaks as such, a table's
    rows and cells set apart."""
    if element.tag == qn("w:p"):
        out = []
        for node in element.iter(qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:cr")):
            if node.tag == qn("w:t"):
                out.append(node.text or "")
            else:
                out.append("\t" if node.tag == qn("w:tab") else "\n")
        return "".join(out)
    return "\x1f".join(_text(child) for child in _blocks_or_cells(element))


def _blocks_or_cells(element: etree._Element) -> list[etree._Element]:
    if element.tag == qn("w:tr"):
        return [p for cell in element.iter(qn("w:tc")) for p in _blocks(cell)]
    return _blocks(element)


# The comparison.


class _Marks:
    """Revision marks, numbered from far above any bookmark's id, all by Clausier, dated
    `when` (or undated)."""

    def __init__(self, when: dt.datetime | None):
        self.date = (
            when.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ") if when else None
        )
        self._ids = count(90001)

    def mark(self, tag: str) -> etree._Element:
        element = etree.Element(qn(tag))
        element.set(qn("w:id"), str(next(self._ids)))
        element.set(qn("w:author"), AUTHOR)
        if self.date:
            element.set(qn("w:date"), self.date)
        return element


@dataclass
class _Comparison:
    old_keys: dict[etree._Element, str]
    new_keys: dict[etree._Element, str]
    marks: _Marks
    targets: tuple[dict[str, str], dict[str, str]]  # old, new: bookmark -> clause or annex

    def container(
        self, old: list[etree._Element], new: list[etree._Element], parent: etree._Element
    ) -> None:
        """Mark `new`, the blocks of `parent`, against `old`; put back, as deleted, the old
        blocks that have no counterpart."""
        anchor: etree._Element | None = None
        for before, after in self._pairs(old, new):
            if after is None:
                anchor = self._put_deleted(before, parent, anchor)
                continue
            if before is None:
                self._inserted(after)
            elif _text(before) != _text(after):
                self._changed(before, after, parent)
            anchor = after

    def _pairs(
        self, old: list[etree._Element], new: list[etree._Element]
    ) -> Iterator[tuple[etree._Element | None, etree._Element | None]]:
        """Old and new blocks paired in the new order, section by section; an old section
        that is gone comes where it stood, after the sections that preceded it."""
        old_groups = _grouped(old, self.old_keys)
        new_groups = _grouped(new, self.new_keys)
        new_sections = {key for key, _ in new_groups}
        old_by_key = dict(old_groups)
        gone: dict[str | None, list[list[etree._Element]]] = {}
        previous: str | None = None
        for key, blocks in old_groups:
            if key not in new_sections:
                gone.setdefault(previous, []).append(blocks)
            else:
                previous = key
        for blocks in gone.get(None, []):
            yield from ((b, None) for b in blocks)
        for key, blocks in new_groups:
            yield from _aligned(old_by_key.pop(key, []), blocks)
            for removed in gone.pop(key, []):
                yield from ((b, None) for b in removed)

    def _changed(self, before: etree._Element, after: etree._Element, parent) -> None:
        if after.tag == qn("w:p"):
            if _simple(before) and _simple(after):
                _Paragraph(self.marks, self.targets).mark(before, after)
            else:  # a whole paragraph out, its new version in
                self._put_deleted(before, parent, after.getprevious(), before_new=after)
                self._inserted(after)
        elif after.tag == qn("w:tbl"):
            self.container(_blocks(before), _blocks(after), after)
        else:  # a row: cell by cell when it keeps its cells
            old_cells, new_cells = before.findall(qn("w:tc")), after.findall(qn("w:tc"))
            if len(old_cells) != len(new_cells):
                self._put_deleted(before, parent, None, before_new=after)
                self._inserted(after)
                return
            for old_cell, new_cell in zip(old_cells, new_cells):
                self.container(_blocks(old_cell), _blocks(new_cell), new_cell)

    def _inserted(self, block: etree._Element) -> None:
        if block.tag == qn("w:tr"):
            _row_mark(block, self.marks.mark("w:ins"))
        for row in block.iter(qn("w:tr")):
            if row is not block:
                _row_mark(row, self.marks.mark("w:ins"))
        for paragraph in block.iter(qn("w:p")):
            _wrap_runs(paragraph, self.marks.mark, "w:ins")
            _mark_paragraph_end(paragraph, self.marks.mark("w:ins"))

    def _put_deleted(
        self,
        block: etree._Element,
        parent: etree._Element,
        anchor: etree._Element | None,
        before_new: etree._Element | None = None,
    ) -> etree._Element:
        """A copy of an old block, all deleted, after `anchor` (or before `before_new`; or
        first in `parent`)."""
        gone = copy.deepcopy(block)
        for row in ([gone] if gone.tag == qn("w:tr") else []) + list(gone.iter(qn("w:tr"))):
            if row is not gone or gone.tag == qn("w:tr"):
                _row_mark(row, self.marks.mark("w:del"))
        for paragraph in gone.iter(qn("w:p")):
            p_pr = paragraph.find(qn("w:pPr"))
            if p_pr is not None:
                for section in p_pr.findall(qn("w:sectPr")):  # no section of its own
                    p_pr.remove(section)
            _wrap_runs(paragraph, self.marks.mark, "w:del")
            _mark_paragraph_end(paragraph, self.marks.mark("w:del"))
        for bookmark in _xpath(gone, ".//w:bookmarkStart | .//w:bookmarkEnd"):
            bookmark.getparent().remove(bookmark)  # its name now belongs to the new text
        first = _first_place(parent)
        if before_new is not None:
            before_new.addprevious(gone)
        elif anchor is not None:
            anchor.addnext(gone)
        elif first is not None:
            first.addprevious(gone)
        else:
            parent.append(gone)
        return gone


def _grouped(
    blocks: list[etree._Element], keys: dict[etree._Element, str]
) -> list[tuple[str, list[etree._Element]]]:
    """Consecutive blocks of the same section together (a block is in the section of its first
    paragraph; a table spanning several sections is in its first one's)."""
    groups: list[tuple[str, list[etree._Element]]] = []
    for block in blocks:
        first = block if block.tag == qn("w:p") else next(block.iter(qn("w:p")), None)
        key = keys.get(first, groups[-1][0] if groups else "front")
        if groups and groups[-1][0] == key:
            groups[-1][1].append(block)
        else:
            groups.append((key, [block]))
    return groups


def _aligned(
    old: list[etree._Element], new: list[etree._Element]
) -> Iterator[tuple[etree._Element | None, etree._Element | None]]:
    """Pairs of blocks of one section: equal text first, then those that changed in place."""
    matcher = difflib.SequenceMatcher(
        None, [_text(b) for b in old], [_text(b) for b in new], autojunk=False
    )
    for operation, i1, i2, j1, j2 in matcher.get_opcodes():
        if operation == "equal":
            yield from zip(old[i1:i2], new[j1:j2])
            continue
        before, after = old[i1:i2], new[j1:j2]
        while before and after:
            if before[0].tag == after[0].tag and _similar(before[0], after[0]):
                yield before.pop(0), after.pop(0)
            elif len(before) >= len(after):
                yield before.pop(0), None
            else:
                yield None, after.pop(0)
        yield from ((b, None) for b in before)
        yield from ((None, a) for a in after)


def _similar(before: etree._Element, after: etree._Element) -> bool:
    if before.tag != qn("w:p"):  # a table or a row changed in place: compared inside
        return True
    matcher = difflib.SequenceMatcher(None, _text(before), _text(after), autojunk=False)
    return matcher.ratio() >= _SIMILAR


def _simple(paragraph: etree._Element) -> bool:
    return all(child.tag in _SIMPLE for child in paragraph)


def _first_place(parent: etree._Element) -> etree._Element | None:
    """Where a block put first in `parent` goes: before its first block (after a cell's or a
    table's properties), or before the body's section properties."""
    for child in parent:
        if child.tag in (qn("w:p"), qn("w:tbl"), qn("w:tr"), qn("w:sectPr")):
            return child
    return None


def _row_mark(row: etree._Element, mark: etree._Element) -> None:
    tr_pr = row.find(qn("w:trPr"))
    if tr_pr is None:
        tr_pr = etree.Element(qn("w:trPr"))
        exceptions = row.find(qn("w:tblPrEx"))
        if exceptions is not None:
            exceptions.addnext(tr_pr)
        else:
            row.insert(0, tr_pr)
    tr_pr.append(mark)


def _mark_paragraph_end(paragraph: etree._Element, mark: etree._Element) -> None:
    """The paragraph mark itself inserted or deleted (w:pPr/w:rPr/w:ins|w:del)."""
    p_pr = paragraph.find(qn("w:pPr"))
    if p_pr is None:
        p_pr = etree.Element(qn("w:pPr"))
        paragraph.insert(0, p_pr)
    r_pr = p_pr.find(qn("w:rPr"))
    if r_pr is None:
        r_pr = etree.Element(qn("w:rPr"))
        later = [p_pr.find(qn(t)) for t in ("w:sectPr", "w:pPrChange")]
        later = [e for e in later if e is not None]
        if later:
            later[0].addprevious(r_pr)
        else:
            p_pr.append(r_pr)
    r_pr.insert(0, mark)


def _wrap_runs(paragraph: etree._Element, mark, tag: str) -> None:
    """Each stretch of consecutive runs, wherever it stands (in a hyperlink too), inside one
    revision mark; a deletion's text becomes deleted text."""
    marked = (qn("w:ins"), qn("w:del"))
    runs = [r for r in paragraph.iter(qn("w:r")) if r.getparent().tag not in marked]
    wrapper: etree._Element | None = None
    for run in runs:
        if tag == "w:del":
            _as_deleted(run)
        previous = run.getprevious()
        if wrapper is None or previous is not wrapper:
            wrapper = mark(tag)
            run.addprevious(wrapper)
        wrapper.append(run)


def _as_deleted(run: etree._Element) -> None:
    for text in run.iter(qn("w:t")):
        text.tag = qn("w:delText")
    for instruction in run.iter(qn("w:instrText")):
        instruction.tag = qn("w:delInstrText")


def _track_revisions(settings: etree._Element) -> None:
    """Word's "Track Changes" on: what the parties change next is tracked too."""
    if settings.find(qn("w:trackRevisions")) is not None:
        return
    following = next((c for c in settings if c.tag not in _SETTINGS_BEFORE_TRACKING), None)
    element = etree.Element(qn("w:trackRevisions"))
    if following is not None:
        following.addprevious(element)
    else:
        settings.append(element)


# CT_Settings's children that come before w:trackRevisions, in schema order (wml.xsd).
_SETTINGS_BEFORE_TRACKING = {
    qn(f"w:{name}")
    for name in (
        "writeProtection",
        "view",
        "zoom",
        "removePersonalInformation",
        "removeDateAndTime",
        "doNotDisplayPageBoundaries",
        "displayBackgroundShape",
        "printPostScriptOverText",
        "printFractionalCharacterWidth",
        "printFormsData",
        "embedTrueTypeFonts",
        "embedSystemFonts",
        "saveSubsetFonts",
        "saveFormsData",
        "mirrorMargins",
        "alignBordersAndEdges",
        "bordersDoNotSurroundHeader",
        "bordersDoNotSurroundFooter",
        "gutterAtTop",
        "hideSpellingErrors",
        "hideGrammaticalErrors",
        "activeWritingStyle",
        "proofState",
        "formsDesign",
        "attachedTemplate",
        "linkStyles",
        "stylePaneFormatFilter",
        "stylePaneSortMethod",
        "documentType",
        "mailMerge",
        "revisionView",
    )
}


# Word by word inside a paragraph.


@dataclass(frozen=True)
class _Piece:
    """A word, a space or a sign of a run, or a whole field or tab: what is compared."""

    text: str
    run: etree._Element  # its source run (formatting), or the first run of a field
    nodes: tuple[etree._Element, ...] = ()  # a field's or tab's runs, copied whole


class _Paragraph:
    def __init__(self, marks: _Marks, targets: tuple[dict[str, str], dict[str, str]]):
        self.marks, self.targets = marks, targets

    def mark(self, before: etree._Element, after: etree._Element) -> None:
        """Rebuild `after`'s runs from a word-level comparison with `before`."""
        old, new = _pieces(before, self.targets[0]), _pieces(after, self.targets[1])
        starts = after.findall(qn("w:bookmarkStart"))
        ends = after.findall(qn("w:bookmarkEnd"))
        for child in list(after):
            if child.tag != qn("w:pPr"):
                after.remove(child)
        after.extend(starts)
        matcher = difflib.SequenceMatcher(
            None, [p.text for p in old], [p.text for p in new], autojunk=False
        )
        for operation, i1, i2, j1, j2 in matcher.get_opcodes():
            if operation in ("delete", "replace"):
                wrapper = self.marks.mark("w:del")
                wrapper.extend(_runs(old[i1:i2], deleted=True))
                after.append(wrapper)
            if operation in ("insert", "replace"):
                wrapper = self.marks.mark("w:ins")
                wrapper.extend(_runs(new[j1:j2]))
                after.append(wrapper)
            if operation == "equal":
                after.extend(_runs(new[j1:j2]))
        after.extend(ends)


def _pieces(paragraph: etree._Element, targets: dict[str, str]) -> list[_Piece]:
    pieces: list[_Piece] = []
    field: list[etree._Element] = []
    depth = 0
    for run in paragraph.findall(qn("w:r")):
        char = run.find(qn("w:fldChar"))
        kind = char.get(qn("w:fldCharType")) if char is not None else None
        if kind == "begin":
            depth += 1
        if depth:
            field.append(run)
            if kind == "end":
                depth -= 1
                if not depth:
                    pieces.append(_Piece(_field_key(field, targets), field[0], tuple(field)))
                    field = []
            continue
        for child in run:
            if child.tag == qn("w:t"):
                pieces += [_Piece(token, run) for token in _TOKENS.findall(child.text or "")]
            elif child.tag in _ATOMIC:
                pieces.append(_Piece("\x00" + etree.tostring(child).decode(), run, (child,)))
    return pieces


def _field_key(runs: list[etree._Element], targets: dict[str, str]) -> str:
    """What a field stands for: a cross-reference, the clause or annex it refers to; any
    other, its instruction and what it shows."""
    instruction = "".join(t.text or "" for r in runs for t in r.iter(qn("w:instrText")))
    words = instruction.split()
    if len(words) > 1 and words[0] == "REF" and words[1] in targets:
        return f"\x00ref:{targets[words[1]]}:{' '.join(words[2:])}"
    shown = "".join(t.text or "" for r in runs for t in r.iter(qn("w:t")))
    return f"\x00field:{instruction}:{shown}"


def _runs(pieces: list[_Piece], deleted: bool = False) -> list[etree._Element]:
    """Runs for `pieces`: consecutive words of the same source run in one run, with its
    formatting; fields and tabs as they were."""
    out: list[etree._Element] = []
    text_run: etree._Element | None = None
    source: etree._Element | None = None
    for piece in pieces:
        if piece.nodes and piece.nodes[0].tag == qn("w:r"):  # a field: its runs whole
            runs = [copy.deepcopy(r) for r in piece.nodes]
            text_run = source = None
        elif piece.nodes:  # a tab, a break, a picture: in a run of its own
            runs = [_run_like(piece.run, copy.deepcopy(piece.nodes[0]))]
            text_run = source = None
        else:
            if text_run is not None and source is piece.run:
                text_run[-1].text += piece.text
                continue
            text = etree.Element(qn("w:t"))
            text.text = piece.text
            text.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            text_run, source = _run_like(piece.run, text), piece.run
            runs = [text_run]
        if deleted:
            for run in runs:
                _as_deleted(run)
        out += runs
    return out


def _run_like(source: etree._Element, content: etree._Element) -> etree._Element:
    run = etree.Element(qn("w:r"))
    properties = source.find(qn("w:rPr"))
    if properties is not None:
        run.append(copy.deepcopy(properties))
    run.append(content)
    return run
