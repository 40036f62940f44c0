"""The Word templates: where they are, and whether each fits its document.

A template's tags must be names the renderer provides (library/plan.py's TEMPLATE_NAMES, and
inside `contract` and each annex, CONTRACT_NAMES and ANNEX_NAMES), and it must place the annexes
and the contract of its document's _document.yaml, no others, in the same order. A tag
misspelt in Word, or an annex added to _document.yaml without running tools/make_templates.py,
is then one line naming the template — from `clausier check` (check_templates) and from a build
(check_template, before each render) alike — never a failure in the middle of a render.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from functools import cache
from io import BytesIO
from pathlib import Path

from docxtpl import DocxTemplate
from jinja2 import Environment, TemplateSyntaxError, meta, nodes
from jinja2.defaults import DEFAULT_NAMESPACE

from .. import resources
from ..errors import LibraryError
from ..legal.assessment import DocumentKind
from ..library.load import Library
from ..library.plan import ANNEX_NAMES, CONTRACT_NAMES, TEMPLATE_NAMES

# The parts docxtpl fills in: the body, headers, footers and footnotes.
_PARTS = re.compile(r"^word/(document|header\d*|footer\d*|footnotes)\.xml$")
_REMAKE = "run tools/make_templates.py"
_PARSER = Environment()  # parsing only: the same syntax as the renderer's sandbox
_GLOBALS = frozenset(DEFAULT_NAMESPACE)  # range, dict... which every Jinja environment has


def template_name(kind: str, bilingual: bool) -> str:
    return f"{kind}-bilingual" if bilingual else kind


def templates_dir() -> Path:
    return resources.data_dir("templates")


def template_path(name: str) -> Path:
    return templates_dir() / f"{name}.docx"


@cache
def template_bytes(name: str) -> bytes:
    return template_path(name).read_bytes()


@cache
def patched(xml: str) -> str:
    """docxtpl's clean-up of a part's XML (tags rejoined across Word's runs, {%p %} and
    {%tr %} turned into plain tags): some thirty regular expressions, so once per part."""
    return DocxTemplate.patch_xml(None, xml)  # type: ignore[arg-type]  # uses no state


@dataclass(frozen=True)
class _Uses:
    """What a template's tags name."""

    names: frozenset[str]  # top-level names (loop variables are declared, so not among them)
    annexes: tuple[str, ...]  # each KEY of `annexes.KEY`, in order of first use
    every_annex: bool  # the annexes also reached otherwise than by name (a loop over them)
    fields: tuple[str, ...]  # `contract.X` and `annexes.KEY.X`, once each


@cache
def _uses(name: str) -> _Uses:
    """Read and parse a template once per process; LibraryError when that fails."""
    path = template_path(name)
    try:
        with zipfile.ZipFile(BytesIO(template_bytes(name))) as package:
            parts = [package.read(n).decode() for n in package.namelist() if _PARTS.match(n)]
    except FileNotFoundError:
        raise LibraryError(path, None, None, f"missing ({_REMAKE})") from None
    except (OSError, zipfile.BadZipFile, UnicodeDecodeError) as exc:
        raise LibraryError(path, None, None, f"not a readable Word file (.docx): {exc}") from None
    names: set[str] = set()
    walk = _Walk()
    for xml in parts:
        try:
            tree = _PARSER.parse(patched(xml))
        except TemplateSyntaxError as exc:
            raise LibraryError(path, None, None, f"a tag cannot be read: {exc.message}") from None
        names |= meta.find_undeclared_variables(tree)
        walk.visit(tree, None)
    return _Uses(
        frozenset(names),
        tuple(dict.fromkeys(walk.annexes)),
        walk.every_annex,
        tuple(dict.fromkeys(walk.fields)),
    )


class _Walk:
    """Collects `annexes.KEY`, `contract.X` and `annexes.KEY.X` (or ["KEY"]) from a parse tree."""

    def __init__(self) -> None:
        self.annexes: list[str] = []
        self.fields: list[str] = []
        self.every_annex = False

    def visit(self, node: nodes.Node, parent: nodes.Node | None) -> None:
        if _is_name(node, "annexes") and (_key(parent) is None or parent.node is not node):  # type: ignore[union-attr]
            self.every_annex = True  # `for a in annexes`, annexes[variable]
        key = _key(node)
        if key is not None and not (isinstance(parent, nodes.Call) and parent.node is node):
            inner = node.node  # type: ignore[attr-defined]
            if _is_name(inner, "annexes"):
                self.annexes.append(key)
            elif _is_name(inner, "contract"):
                self.fields.append(f"contract.{key}")
            elif _key(inner) is not None and _is_name(inner.node, "annexes"):
                self.fields.append(f"annexes.{_key(inner)}.{key}")
        elif key is not None and _is_name(node.node, "annexes"):  # type: ignore[attr-defined]
            self.every_annex = True  # annexes.items(), annexes.values()
        for child in node.iter_child_nodes():
            self.visit(child, node)


def _is_name(node: nodes.Node | None, name: str) -> bool:
    return isinstance(node, nodes.Name) and node.ctx == "load" and node.name == name


def _key(node: nodes.Node | None) -> str | None:
    """The fixed key of `x.key` or `x["key"]`; None for anything else."""
    if isinstance(node, nodes.Getattr):
        return node.attr
    if (
        isinstance(node, nodes.Getitem)
        and isinstance(node.arg, nodes.Const)
        and isinstance(node.arg.value, str)
    ):
        return node.arg.value
    return None


@cache
def _problems(name: str, kind: str, annexes: tuple[str, ...], contract: bool) -> tuple[str, ...]:
    """What is wrong with a template for a document with these annexes (and a contract or not),
    one message each; LibraryError when it cannot be read at all."""
    uses = _uses(name)
    document = f"{kind}/_document.yaml"
    out = [
        f"unknown name '{n}' (the renderer provides: {', '.join(sorted(TEMPLATE_NAMES))})"
        for n in sorted(uses.names - TEMPLATE_NAMES - _GLOBALS)
    ]
    for field in uses.fields:
        scope, _, last = field.rpartition(".")
        known, what = (
            (CONTRACT_NAMES, "a contract") if scope == "contract" else (ANNEX_NAMES, "an annex")
        )
        if last not in known:
            out.append(f"unknown name '{field}' ({what} provides: {', '.join(sorted(known))})")
    if "contract" in uses.names and not contract:
        out.append(f"'contract' is used but {document} has no contract ({_REMAKE})")
    if contract and "contract" not in uses.names:
        out.append(f"the contract of {document} has no place in the template ({_REMAKE})")
    missing = [] if uses.every_annex else [k for k in annexes if k not in uses.annexes]
    unknown = [k for k in uses.annexes if k not in annexes]
    out += [f"annex '{k}' of {document} has no place in the template ({_REMAKE})" for k in missing]
    out += [f"annex '{k}' of the template is not in {document} ({_REMAKE})" for k in unknown]
    if not missing and not unknown and not uses.every_annex and uses.annexes != annexes:
        order = ", ".join(annexes)
        out.append(f"annexes in another order than in {document}: {order} ({_REMAKE})")
    return tuple(out)


def check_template(kind: str, bilingual: bool, annexes: tuple[str, ...], contract: bool) -> None:
    """Before a render: LibraryError with the template's first problem, if it has any."""
    name = template_name(kind, bilingual)
    problems = _problems(name, kind, annexes, contract)
    if problems:
        raise LibraryError(template_path(name), None, None, problems[0])


def check_templates(library: Library) -> list[str]:
    """Every problem of the templates of the library's documents, both editions, one line each.
    A firm's library uses Clausier's templates: they are held to the firm's _document.yaml."""
    out: list[str] = []
    built = {kind.value for kind in DocumentKind}
    for kind, doc in library.documents.items():
        if kind not in built:  # a firm's own kind of document: nothing builds it
            continue
        annexes, contract = tuple(doc.texts.annexes), doc.texts.contract is not None
        for bilingual in (False, True):
            name = template_name(kind, bilingual)
            try:
                problems = _problems(name, kind, annexes, contract)
            except LibraryError as exc:
                out.append(str(exc))
                continue
            out += [str(LibraryError(template_path(name), None, None, p)) for p in problems]
    return out
