"""Structure checker for generated .docx files.

``check_docx(path)`` returns a list of problems (empty when the file is sound): package
consistency (content types, relationships), WordprocessingML schema validity (ISO 29500
transitional, after markup-compatibility processing), cross references (styles, numbering,
bookmarks), core properties, proofing state and leftover template syntax.

Command line: ``python tests/docx_check.py FILE...`` prints the problems, exits 1 if any.
"""

from __future__ import annotations

import argparse
import functools
import os
import posixpath
import re
import sys
import zipfile
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path
from urllib.parse import unquote

from lxml import etree

SCHEMA_DIR = Path(__file__).resolve().parent / "ooxml-xsd"

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
CP = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
DC = "http://purl.org/dc/elements/1.1/"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"
PR = "http://schemas.openxmlformats.org/package/2006/relationships"

# Prefixes used to shorten namespace URIs in messages.
PREFIXES: dict[str, str] = {
    W: "w",
    R: "r",
    MC: "mc",
    "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing": "wp",
    "http://schemas.openxmlformats.org/drawingml/2006/main": "a",
    "http://schemas.openxmlformats.org/drawingml/2006/picture": "pic",
    "http://schemas.openxmlformats.org/officeDocument/2006/math": "m",
    "urn:schemas-microsoft-com:vml": "v",
    "urn:schemas-microsoft-com:office:office": "o",
    "urn:schemas-microsoft-com:office:word": "w10",
    "http://schemas.openxmlformats.org/schemaLibrary/2006/main": "sl",
}
# Namespaces the transitional schemas understand; ignorable content in any other is dropped.
UNDERSTOOD = frozenset(PREFIXES) | {"http://www.w3.org/XML/1998/namespace"}

# WordprocessingML parts validated against wml.xsd, and the content type each must declare.
WML_PART = re.compile(
    r"^word/(document|styles|numbering|settings|footnotes|endnotes|comments"
    r"|header\d*|footer\d*)\.xml$"
)
# Parts whose text is searched for leftover template syntax.
TEXT_PART = re.compile(r"^word/(document|header\d*|footer\d*|footnotes|endnotes)\.xml$")
# Parts holding document content (paragraphs, runs, tables).
STORY_PART = re.compile(r"^word/(document|header\d*|footer\d*|footnotes|endnotes|comments)\.xml$")

TEMPLATE_TAGS = ("{{", "}}", "{%", "%}", "{#", "#}")
MAX_SCHEMA_ERRORS = 20
MAX_MESSAGE = 400  # schema messages can list dozens of expected elements

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


def _w(local: str) -> str:
    return f"{{{W}}}{local}"


@functools.lru_cache(maxsize=1)
def wml_schema() -> etree.XMLSchema:
    """The compiled wml.xsd schema (compiled once per process)."""
    return etree.XMLSchema(etree.parse(str(SCHEMA_DIR / "wml.xsd")))


def _short(text: str) -> str:
    """Replace ``{namespace-uri}`` in a message with the usual prefix."""
    for uri, prefix in PREFIXES.items():
        text = text.replace(f"{{{uri}}}", f"{prefix}:")
    return text


# --- markup compatibility -----------------------------------------------------------------------


def _ignorable(el: etree._Element) -> set[str]:
    """Namespace URIs listed in ``el``'s own mc:Ignorable attribute."""
    value = el.get(f"{{{MC}}}Ignorable")
    if not value:
        return set()
    return {el.nsmap[p] for p in value.split() if p in el.nsmap} - UNDERSTOOD


def _remove(el: etree._Element) -> None:
    """Remove ``el`` from its parent, keeping its tail text."""
    parent = el.getparent()
    if el.tail:
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)


def _resolve_alternate_content(ac: etree._Element) -> list[etree._Element]:
    """Replace mc:AlternateContent by the children of its mc:Fallback; return them."""
    fallback = ac.find(f"{{{MC}}}Fallback")
    children = list(fallback) if fallback is not None else []
    for child in children:
        ac.addprevious(child)  # moves it; the tail travels with it
    _remove(ac)
    return children


def strip_markup_compatibility(root: etree._Element) -> None:
    """Apply markup-compatibility processing in place, as a consumer of the schemas would.

    Drops elements and attributes in ignorable, not understood namespaces, resolves
    mc:AlternateContent to its mc:Fallback content, and removes mc: attributes.
    """

    def walk(el: etree._Element, inherited: frozenset[str]) -> None:
        ignorable = inherited | _ignorable(el)
        for name in list(el.attrib):
            ns = etree.QName(name).namespace
            if ns == MC or (ns in ignorable and ns not in UNDERSTOOD):
                del el.attrib[name]
        for child in list(el):
            if not isinstance(child.tag, str):
                continue  # comments, processing instructions
            ns = etree.QName(child).namespace
            if child.tag == f"{{{MC}}}AlternateContent":
                scope = ignorable | _ignorable(child)
                for moved in _resolve_alternate_content(child):
                    if isinstance(moved.tag, str):
                        walk(moved, frozenset(scope))
            elif ns in ignorable and ns not in UNDERSTOOD:
                _remove(child)
            else:
                walk(child, frozenset(ignorable))

    walk(root, frozenset())


# --- package helpers -----------------------------------------------------------------------------


class _Package:
    """A docx zip read into memory: part names and lazily parsed XML."""

    def __init__(self, zf: zipfile.ZipFile) -> None:
        self.names = [n for n in zf.namelist() if not n.endswith("/")]
        self.data = {n: zf.read(n) for n in self.names}
        self.lower = {n.lower(): n for n in self.names}
        self._xml: dict[str, etree._Element | None] = {}
        self.problems: list[str] = []

    def xml(self, name: str) -> etree._Element | None:
        """Parsed part (None if absent or malformed; malformed parts are reported once)."""
        if name not in self._xml:
            root = None
            if name in self.data:
                try:
                    root = etree.fromstring(self.data[name], _PARSER)
                except etree.XMLSyntaxError as exc:
                    self.problems.append(f"{name}: not well-formed XML: {exc}")
            self._xml[name] = root
        return self._xml[name]

    def wml_parts(self, pattern: re.Pattern[str] = WML_PART) -> list[str]:
        return sorted({n for n in self.names if pattern.match(n)})


def _open(path: str | os.PathLike[str]) -> _Package:
    with zipfile.ZipFile(path) as zf:
        return _Package(zf)


def _rels_source(rels_name: str) -> str | None:
    """Part name a .rels file belongs to ('' for the package itself), None if misplaced."""
    folder, base = posixpath.split(rels_name)
    if posixpath.basename(folder) != "_rels" or not base.endswith(".rels"):
        return None
    return posixpath.join(posixpath.dirname(folder), base[: -len(".rels")]).lstrip("/")


def _check_content_types(pkg: _Package) -> None:
    root = pkg.xml("[Content_Types].xml")
    if root is None:
        if "[Content_Types].xml" not in pkg.data:
            pkg.problems.append("[Content_Types].xml is missing")
        return
    defaults = {
        d.get("Extension", "").lower(): d.get("ContentType", "")
        for d in root.iter(f"{{{CT}}}Default")
    }
    overrides = {
        o.get("PartName", "").lstrip("/").lower(): o.get("ContentType", "")
        for o in root.iter(f"{{{CT}}}Override")
    }
    for name in pkg.names:
        if name == "[Content_Types].xml":
            continue
        base = posixpath.basename(name)
        ext = base.rsplit(".", 1)[1].lower() if "." in base else ""  # '.rels' -> 'rels'
        ctype = overrides.get(name.lower(), defaults.get(ext))
        if ctype is None:
            pkg.problems.append(f"[Content_Types].xml: no content type for part /{name}")
            continue
        m = WML_PART.match(name)
        if m:
            kind = re.sub(r"\d+$", "", m.group(1))
            ok = (
                ctype.endswith(".main+xml")
                if kind == "document"
                else ctype == f"application/vnd.openxmlformats-officedocument.wordprocessingml"
                f".{kind}+xml"
            )
            if not ok:
                pkg.problems.append(
                    f"[Content_Types].xml: /{name} has content type {ctype!r}, "
                    f"not the WordprocessingML {kind} type"
                )


def _check_relationships(pkg: _Package) -> None:
    if "_rels/.rels" not in pkg.data:
        pkg.problems.append("_rels/.rels is missing")
    for rels_name in sorted(n for n in pkg.names if n.endswith(".rels")):
        source = _rels_source(rels_name)
        if source is None:
            pkg.problems.append(f"{rels_name}: relationship file outside a _rels folder")
            continue
        if source and source.lower() not in pkg.lower:
            pkg.problems.append(f"{rels_name}: source part /{source} does not exist")
        root = pkg.xml(rels_name)
        if root is None:
            continue
        ids = Counter(rel.get("Id") for rel in root.iter(f"{{{PR}}}Relationship"))
        for rid, count in ids.items():
            if count > 1:
                pkg.problems.append(f"{rels_name}: relationship id {rid} used {count} times")
        for rel in root.iter(f"{{{PR}}}Relationship"):
            if rel.get("TargetMode") == "External":
                continue
            target = unquote(rel.get("Target", "").split("#", 1)[0])
            if not target:
                continue
            if target.startswith("/"):
                resolved = posixpath.normpath(target).lstrip("/")
            else:
                resolved = posixpath.normpath(posixpath.join(posixpath.dirname(source), target))
            if resolved.startswith("../") or resolved.lower() not in pkg.lower:
                pkg.problems.append(
                    f"{rels_name}: relationship {rel.get('Id')} ({rel.get('Type', '?')}) "
                    f"targets missing part /{resolved}"
                )


def _check_relationship_ids(pkg: _Package, part: str) -> None:
    """Every r:id / r:embed / ... in a part names a relationship of that part."""
    root = pkg.xml(part)
    if root is None:
        return
    folder, base = posixpath.split(part)
    rels = pkg.xml(posixpath.join(folder, "_rels", base + ".rels"))
    known = set() if rels is None else {r.get("Id") for r in rels.iter(f"{{{PR}}}Relationship")}
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        for name, value in el.attrib.items():
            if etree.QName(name).namespace == R and value not in known:
                pkg.problems.append(
                    f"{part}:{el.sourceline}: {_short(el.tag)} refers to relationship "
                    f"{value!r}, absent from the part's .rels"
                )


# --- schema --------------------------------------------------------------------------------------


def _check_schema(pkg: _Package, part: str) -> None:
    root = pkg.xml(part)
    if root is None:
        return
    root = etree.fromstring(pkg.data[part], _PARSER)  # fresh copy: stripping mutates it
    strip_markup_compatibility(root)
    if part == "word/settings.xml":
        # This schema edition makes w:zoom/@w:percent required; Word and python-docx omit it.
        for zoom in root.iter(_w("zoom")):
            if zoom.get(_w("percent")) is None:
                zoom.set(_w("percent"), "100")
    schema = wml_schema()
    if schema.validate(root):
        return
    errors = list(schema.error_log)
    for err in errors[:MAX_SCHEMA_ERRORS]:
        where = f" (at {err.path})" if err.path else ""
        message = _short(err.message)
        if len(message) > MAX_MESSAGE:
            message = message[: MAX_MESSAGE - 5] + " ...)"
        pkg.problems.append(f"{part}:{err.line}: schema: {message}{where}")
    if len(errors) > MAX_SCHEMA_ERRORS:
        pkg.problems.append(f"{part}: ... and {len(errors) - MAX_SCHEMA_ERRORS} more schema errors")


# --- cross references ----------------------------------------------------------------------------


def _val(el: etree._Element) -> str | None:
    return el.get(_w("val"))


def _check_styles(pkg: _Package) -> None:
    styles = pkg.xml("word/styles.xml")
    if styles is None:
        if "word/styles.xml" not in pkg.data:
            pkg.problems.append("word/styles.xml is missing")
        return
    types: dict[str, str] = {}
    for style in styles.iter(_w("style")):
        sid = style.get(_w("styleId"))
        if sid is None:
            continue
        if sid in types:
            pkg.problems.append(f"word/styles.xml:{style.sourceline}: duplicate styleId {sid!r}")
        types[sid] = style.get(_w("type"), "paragraph")

    def check(part: str, el: etree._Element, expected: str | None, what: str) -> None:
        sid = _val(el)
        if sid is None:
            return
        if sid not in types:
            pkg.problems.append(f"{part}:{el.sourceline}: {what} {sid!r} is not a defined style")
        elif expected and types[sid] != expected:
            pkg.problems.append(
                f"{part}:{el.sourceline}: {what} {sid!r} names a {types[sid]} style, "
                f"not a {expected} style"
            )

    refs = {"pStyle": "paragraph", "rStyle": "character", "tblStyle": "table"}
    for part in [*pkg.wml_parts(STORY_PART), "word/numbering.xml", "word/styles.xml"]:
        root = pkg.xml(part)
        if root is None:
            continue
        for local, expected in refs.items():
            for el in root.iter(_w(local)):
                check(part, el, expected, f"w:{local}")
        for local in ("numStyleLink", "styleLink"):
            for el in root.iter(_w(local)):
                check(part, el, "numbering", f"w:{local}")
    for style in styles.iter(_w("style")):
        own = style.get(_w("type"), "paragraph")
        for local in ("basedOn", "next", "link"):
            for el in style.findall(_w(local)):
                check("word/styles.xml", el, own if local == "basedOn" else None, f"w:{local}")


def _check_numbering(pkg: _Package) -> None:
    numbering = pkg.xml("word/numbering.xml")
    num_ids: set[str] = set()
    if numbering is not None:
        abstract = Counter(a.get(_w("abstractNumId")) for a in numbering.iter(_w("abstractNum")))
        for aid, count in abstract.items():
            if count > 1:
                pkg.problems.append(
                    f"word/numbering.xml: abstractNumId {aid} defined {count} times"
                )
        for num in numbering.iter(_w("num")):
            nid = num.get(_w("numId"))
            if nid in num_ids:
                pkg.problems.append(
                    f"word/numbering.xml:{num.sourceline}: numId {nid} defined twice"
                )
            num_ids.add(nid)
            ref = num.find(_w("abstractNumId"))
            if ref is not None and _val(ref) not in abstract:
                pkg.problems.append(
                    f"word/numbering.xml:{num.sourceline}: w:num {nid} refers to abstractNumId "
                    f"{_val(ref)}, which is not defined"
                )
    for part in [*pkg.wml_parts(STORY_PART), "word/styles.xml"]:
        root = pkg.xml(part)
        if root is None:
            continue
        for el in root.iter(_w("numId")):
            nid = _val(el)
            if nid is not None and nid != "0" and nid not in num_ids:
                where = "word/numbering.xml" if numbering is not None else "absent numbering.xml"
                pkg.problems.append(f"{part}:{el.sourceline}: w:numId {nid} is not in {where}")


def _check_bookmarks(pkg: _Package) -> None:
    names: Counter[str] = Counter()
    for part in pkg.wml_parts(STORY_PART):
        root = pkg.xml(part)
        if root is None:
            continue
        starts: dict[str, etree._Element] = {}
        for el in root.iter(_w("bookmarkStart")):
            bid = el.get(_w("id"))
            if bid in starts:
                pkg.problems.append(
                    f"{part}:{el.sourceline}: duplicate bookmark id {bid} "
                    f"({el.get(_w('name'))!r}, first used by {starts[bid].get(_w('name'))!r})"
                )
            else:
                starts[bid] = el
            names[el.get(_w("name"), "")] += 1
        ends = {el.get(_w("id")): el for el in root.iter(_w("bookmarkEnd"))}
        for bid, el in starts.items():
            if bid not in ends:
                pkg.problems.append(
                    f"{part}:{el.sourceline}: bookmark {bid} ({el.get(_w('name'))!r}) "
                    "has no w:bookmarkEnd"
                )
        for bid, el in ends.items():
            if bid not in starts:
                pkg.problems.append(
                    f"{part}:{el.sourceline}: w:bookmarkEnd {bid} has no w:bookmarkStart"
                )
    for name, count in names.items():
        if count > 1:
            pkg.problems.append(f"bookmark name {name!r} used {count} times")


# --- core properties and settings ----------------------------------------------------------------


def _check_core_properties(pkg: _Package) -> None:
    part = "docProps/core.xml"
    root = pkg.xml(part)
    if root is None:
        if part not in pkg.data:
            pkg.problems.append(f"{part} is missing")
        return
    if root.tag != f"{{{CP}}}coreProperties":
        pkg.problems.append(f"{part}: root is {root.tag}, expected {{{CP}}}coreProperties")
    tags = Counter(el.tag for el in root if isinstance(el.tag, str))
    for tag, count in tags.items():
        if count > 1:
            pkg.problems.append(f"{part}: {etree.QName(tag).localname} appears {count} times")
    title = root.find(f"{{{DC}}}title")
    if title is None:
        pkg.problems.append(f"{part}: dc:title is missing")
    elif not (title.text or "").strip():
        pkg.problems.append(f"{part}: dc:title is empty")


def _check_proof_state(pkg: _Package) -> None:
    root = pkg.xml("word/settings.xml")
    if root is None:
        return
    for el in root.iter(_w("proofState")):
        clean = [a for a in ("spelling", "grammar") if el.get(_w(a)) == "clean"]
        if clean:
            pkg.problems.append(
                f"word/settings.xml:{el.sourceline}: w:proofState claims "
                f"{' and '.join(clean)} clean"
            )


# --- template syntax -----------------------------------------------------------------------------


_BREAKS = {_w("tab"): "\t", _w("br"): "\n", _w("cr"): "\n"}


def paragraph_texts(root: etree._Element) -> Iterator[tuple[int, str]]:
    """(1-based paragraph number, joined run text, tabs and breaks as \\t and \\n) for each
    paragraph of a part."""
    for number, p in enumerate(root.iter(_w("p")), start=1):
        texts = [
            (child.text or "") if child.tag == _w("t") else _BREAKS[child.tag]
            for r in p.iter(_w("r"))
            if next(r.iterancestors(_w("p")), None) is p
            for child in r
            if child.tag == _w("t") or child.tag in _BREAKS
        ]
        yield number, "".join(texts)


def _tags_in(pkg: _Package, allowed: Iterable[str]) -> list[str]:
    masks = sorted({a for a in allowed if a}, key=len, reverse=True)
    problems = []
    for part in pkg.wml_parts(TEXT_PART):
        root = pkg.xml(part)
        if root is None:
            continue
        for number, text in paragraph_texts(root):
            masked = text
            for a in masks:
                masked = masked.replace(a, "\0" * len(a))
            found = [tag for tag in TEMPLATE_TAGS if tag in masked]
            if found:
                snippet = text if len(text) <= 80 else text[:77] + "..."
                problems.append(
                    f"{part}: paragraph {number}: leftover template syntax "
                    f"{' '.join(found)} in {snippet!r}"
                )
    return problems


def leftover_template_tags(path: str | os.PathLike[str], allowed: Iterable[str] = ()) -> list[str]:
    """Leftover Jinja syntax in document, header, footer and note text.

    Runs are joined per paragraph. Occurrences inside any of the ``allowed`` strings (user
    text that legitimately contains braces) are ignored.
    """
    try:
        pkg = _open(path)
    except (OSError, zipfile.BadZipFile) as exc:
        return [f"cannot open as a zip package: {exc}"]
    return _tags_in(pkg, allowed) + pkg.problems


# --- entry points --------------------------------------------------------------------------------


def check_docx(path: str | os.PathLike[str], *, template_tags: bool = True) -> list[str]:
    """All structural problems found in the .docx at ``path`` (empty list when fine)."""
    try:
        pkg = _open(path)
    except (OSError, zipfile.BadZipFile) as exc:
        return [f"cannot open as a zip package: {exc}"]
    dupes = [n for n, c in Counter(pkg.names).items() if c > 1]
    pkg.problems.extend(f"zip entry {n} appears more than once" for n in dupes)
    if "word/document.xml" not in pkg.data:
        pkg.problems.append("word/document.xml is missing")
    _check_content_types(pkg)
    _check_relationships(pkg)
    for part in pkg.wml_parts():
        _check_schema(pkg, part)
        _check_relationship_ids(pkg, part)
    _check_styles(pkg)
    _check_numbering(pkg)
    _check_bookmarks(pkg)
    _check_core_properties(pkg)
    _check_proof_state(pkg)
    problems = pkg.problems + (leftover_template_tags(path) if template_tags else [])
    return list(dict.fromkeys(problems))  # de-duplicate, keep order


def main(argv: list[str] | None = None) -> int:
    """Command line: print the problems of each file; exit status 1 if any."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+", metavar="FILE")
    parser.add_argument(
        "--allow",
        action="append",
        default=[],
        metavar="TEXT",
        help="text that may legitimately contain template braces (repeatable)",
    )
    parser.add_argument(
        "--no-template-tags", action="store_true", help="skip the leftover template syntax check"
    )
    args = parser.parse_args(argv)
    failed = False
    for name in args.files:
        problems = check_docx(name, template_tags=False)
        if not args.no_template_tags:
            problems += leftover_template_tags(name, args.allow)
        for problem in dict.fromkeys(problems):
            print(f"{name}: {problem}")
        failed = failed or bool(problems)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
