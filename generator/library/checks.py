"""`clausier check`: is the clause library whole and sound?

Both languages everywhere (enforced when loading), the same placeholders in French and English,
every placeholder a field of the answers model, every condition a valid expression on it, every
fixed choice labelled in both languages, and every element the law requires of a document covered
(GDPR Art. 28 for a processing agreement, Arts 13 and 14 for the notice, Art. 30 for the record
entries), and the elements `clausier review` looks for sound (library/review.py).
"""

from __future__ import annotations

import re
import typing
from enum import Enum
from pathlib import Path
from typing import Any

from jinja2 import TemplateSyntaxError, nodes
from pydantic import BaseModel

from ..answers import model
from ..answers.annotations import plain
from ..answers.yamlfile import Located, PathKey, format_path, read_yaml
from ..errors import InputError
from ..legal.assessment import ALL_PHRASES, ALL_RULES
from .context import context_types
from .load import Bilingual, Diagram, DocumentLibrary, Library, Paragraph, default_library
from .review import REVIEW_FILE, check_review
from .wording import FILTERS, Wording

# GDPR Art. 28(2)-(4), docs/legal/processors.md: what every processing agreement must
# contain, by the code clauses use in `covers:`.
ART28_ELEMENTS: dict[str, str] = {
    "28(3)-subject-duration": "subject-matter and duration of the processing",
    "28(3)-nature-purpose": "nature and purpose of the processing",
    "28(3)-data-types-subjects": "type of personal data and categories of data subjects",
    "28(3)-controller-obligations-rights": "obligations and rights of the controller",
    "28(3)(a)": "documented instructions, transfers included",
    "28(3)(b)": "confidentiality of authorised persons",
    "28(3)(c)": "security measures of Art. 32",
    "28(3)(d)": "conditions for engaging sub-processors",
    "28(3)(e)": "assistance with data subjects' rights",
    "28(3)(f)": "assistance with Arts 32 to 36",
    "28(3)(f)-breach": "assistance with breach notification (Arts 33, 34)",
    "28(3)(f)-dpia": "assistance with DPIA and prior consultation (Arts 35, 36)",
    "28(3)(g)": "deletion or return of the data at the end of the services",
    "28(3)(h)": "information to demonstrate compliance, and audits",
    "28(3)-unlawful-instruction": "informing the controller of an infringing instruction",
    "28(2)": "prior authorisation of sub-processors, objection to changes",
    "28(4)": "obligations flowed down to sub-processors, processor liable for them",
}
# GDPR Art. 30(1) and 30(2), docs/legal/health-data.md: what the record's entries hold — the
# controller's, each processor's — by the code its annex rows use in `covers:`.
ART30_ELEMENTS: dict[str, str] = {
    "30(1)(a)": "names and contacts of the controller, joint controllers, representative, DPO",
    "30(1)(b)": "purposes of the processing",
    "30(1)(c)": "categories of data subjects and of personal data",
    "30(1)(d)": "categories of recipients, in third countries included",
    "30(1)(e)": "transfers to third countries and their safeguards",
    "30(1)(f)": "time limits for erasure",
    "30(1)(g)": "general description of the security measures",
    "30(2)(a)": "names and contacts of the processor, each controller, representatives, DPO",
    "30(2)(b)": "categories of processing carried out for each controller",
    "30(2)(c)": "transfers to third countries and their safeguards",
    "30(2)(d)": "general description of the security measures",
}

# French and English saying the same thing are of comparable length: measured on the library
# in November 2026, the 429 texts of 100 characters or more run from 0.63 to 1.54 (English
# over French); an English sentence deleted from a breach paragraph gave 0.29.
PARITY_MIN_CHARS = 100
PARITY_RANGE = (0.55, 1.8)

# GDPR Arts 13 and 14 (and what research adds): what the persons whose data are processed
# must be told, by the code the notice's clauses use in `covers:` (docs/legal/information.md).
ART13_14_ELEMENTS: dict[str, str] = {
    "13(1)(a)": "identity and contact details of the controller (and its representative)",
    "13(1)(b)": "contact details of the data protection officer",
    "13(1)(c)": "purposes and lawful basis (and the legitimate interests pursued)",
    "13(1)(e)": "recipients or categories of recipients",
    "13(1)(f)": "transfers outside the EEA and their safeguards",
    "13(2)(a)": "retention period",
    "13(2)(b)": "each right and how to exercise it",
    "13(2)(c)": "withdrawing consent where consent is the basis",
    "13(2)(d)": "complaint to the supervisory authority (CNIL)",
    "13(2)(e)": "whether providing the data is required, and the consequences",
    "13(2)(f)": "automated decision-making",
    "14(1)(d)": "categories of data",
    "14(2)(f)": "source of data not collected from the person",
    "26(2)": "the essence of the joint controllers' arrangement",
    "L1122-1": "the right to be told the overall results (CSP L.1122-1, research on persons)",
}
# For each document kind, the elements its clauses or annex rows must cover (`covers:`
# codes): a processing agreement Art. 28's, the notice Arts 13 and 14's, the record Art. 30's.
REQUIRED_ELEMENTS: dict[str, dict[str, str]] = {
    "dpa": ART28_ELEMENTS,
    "information-notice": ART13_14_ELEMENTS,
    "processing-record": ART30_ELEMENTS,
}

# Jinja's own filters clause text may use besides ours.
_BUILTIN_FILTERS = frozenset({"list", "length", "upper", "lower", "capitalize", "default", "join"})
_LABELLED_ENUMS = (
    model.Route,
    model.Participation,
    model.LawfulBasis,
    model.Article9Condition,
    model.ProtocolAuthors,
    model.FlowMeans,
    model.Role,
    model.DataSubject,
    model.DataCategory,
    model.Operation,
    model.Safeguard,
    model.MeasureCategory,
    model.HdsActivity,
    model.SubProcessorAuthorisation,
    model.EndOfContract,
    model.LiabilityCaps,
)

Scope = dict[str, Any]


class _Unknown(Exception):
    pass


def _element(tp: Any) -> Any:
    tp = plain(tp)
    args = typing.get_args(tp)
    if typing.get_origin(tp) in (list, tuple, set, frozenset) and args:
        return args[0]
    return Any


def _attribute(tp: Any, name: str) -> Any:
    tp = plain(tp)
    if tp is Any:
        return Any
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        if name in tp.model_fields:
            return tp.model_fields[name].annotation
        if isinstance(getattr(tp, name, None), property):
            return Any
    raise _Unknown


def _type_of(node: nodes.Node, scope: Scope) -> Any:
    """The model type an expression names; Any when it is computed; _Unknown when wrong."""
    if isinstance(node, nodes.Name):
        if node.name not in scope:
            raise _Unknown
        return scope[node.name]
    if isinstance(node, nodes.Getattr):
        return _attribute(_type_of(node.node, scope), node.attr)
    return Any


def _dotted(node: nodes.Node) -> str:
    if isinstance(node, nodes.Getattr):
        return f"{_dotted(node.node)}.{node.attr}"
    return getattr(node, "name", "…")


def _enum_of(tp: Any) -> type[Enum] | None:
    tp = plain(tp)
    return tp if isinstance(tp, type) and issubclass(tp, Enum) else None


def _literals(node: nodes.Node) -> list[object] | None:
    """The constant(s) an operand spells: 'MR-001', or ('MR-001', 'MR-003')."""
    if isinstance(node, nodes.Const):
        return [node.value]
    if isinstance(node, (nodes.Tuple, nodes.List)) and all(
        isinstance(item, nodes.Const) for item in node.items
    ):
        return [item.value for item in node.items]
    return None


def _literal_problems(tree: nodes.Template, scope: Scope) -> list[str]:
    """A fixed choice compared with a string that is not one of its values (`route ==
    'MR-03'`, `'controler' in r.roles`) is always false: its text would silently vanish."""
    problems = []
    for compare in tree.find_all(nodes.Compare):
        left = compare.expr
        for operand in compare.ops:
            right = operand.expr
            if operand.op in ("eq", "ne"):
                pairs = [(left, right, False), (right, left, False)]
            elif operand.op in ("in", "notin"):  # route in (...), or 'x' in roles
                pairs = [(left, right, False), (right, left, True)]
            else:
                pairs = []
            for named, literal, elements in pairs:
                tp = _TextChecker._safe_type(named, scope)
                enum = _enum_of(_element(tp) if elements else tp)
                problems += _unknown_values(enum, _literals(literal), named)
            left = right
    return problems


def _unknown_values(
    enum: type[Enum] | None, values: list[object] | None, named: nodes.Node
) -> list[str]:
    if enum is None or values is None:
        return []
    allowed = [m.value for m in enum]
    return [
        f"'{_dotted(named)}' is compared with '{v}', which is not one of its values "
        f"({', '.join(map(str, allowed))})"
        for v in values
        if v not in allowed
    ]


class _TextChecker:
    def __init__(self, wording: Wording, scope: Scope, clause_ids: frozenset[str] = frozenset()):
        self.wording, self.scope, self.clause_ids = wording, scope, clause_ids

    def names(self, tree: nodes.Template, scope: Scope) -> tuple[set[str], list[str]]:
        """Placeholders used (as dotted names) and problems found in a parsed text."""
        scope = dict(scope)
        for loop in tree.find_all(nodes.For):
            scope["loop"] = Any  # Jinja's loop.first, loop.last...
            target = loop.target
            names = [target] if isinstance(target, nodes.Name) else target.find_all(nodes.Name)
            for name in names:
                scope[name.name] = _element(self._safe_type(loop.iter, scope))
        used: set[str] = set()
        problems: list[str] = []
        for node in tree.find_all((nodes.Name, nodes.Getattr)):
            if isinstance(node, nodes.Name) and node.ctx != "load":
                continue
            try:
                _type_of(node, scope)
                used.add(_dotted(node))
            except _Unknown:
                problems.append(f"unknown placeholder '{_dotted(node)}'")
        for node in tree.find_all(nodes.Filter):
            if node.name not in FILTERS and node.name not in _BUILTIN_FILTERS:
                problems.append(f"unknown filter '{node.name}'")
            if node.name == "words" and node.args:
                unit, units = node.args[0], self.wording.units
                if not isinstance(unit, nodes.Const) or unit.value not in units:
                    problems.append(f"words: the unit must be one of {', '.join(units)}")
        problems += _literal_problems(tree, scope)
        return used, sorted(set(problems))

    @staticmethod
    def _safe_type(node: nodes.Node, scope: Scope) -> Any:
        try:
            return _type_of(node, scope)
        except _Unknown:
            return Any

    def text(self, source: str, scope: Scope) -> tuple[set[str], list[str]]:
        if source.count("**") % 2:
            return set(), ["a **defined term** marker is not closed"]
        unknown = [r for r in re.findall(r"\[\[(.*?)\]\]", source) if r not in self.clause_ids]
        if unknown:
            return set(), [f"reference to an unknown clause or annex: {', '.join(unknown)}"]
        try:
            tree = self.wording.env.parse(source)
            self.wording.env.from_string(source)
        except TemplateSyntaxError as exc:
            return set(), [f"template error: {exc.message}"]
        return self.names(tree, scope)

    def expression(self, source: str, scope: Scope) -> list[str]:
        return self.text("{{ " + source + " }}", scope)[1]

    def each(self, source: str, scope: Scope) -> tuple[Scope, list[str]]:
        name, expression = (part.strip() for part in source.split(" in ", 1))
        problems = self.expression(expression, scope)
        try:
            (output,) = self.wording.env.parse("{{ " + expression + " }}").body
            element = _element(_type_of(output.nodes[0], scope))  # type: ignore[attr-defined]
        except (_Unknown, TemplateSyntaxError, ValueError):
            element = Any
        return {**scope, name: element}, problems


class _FileReport:
    """Problems of one YAML file, each located at the line of the field it concerns."""

    def __init__(self, file: Path, out: list[str]):
        self.file, self.out = file, out
        self.located: Located | None = None
        try:
            self.located = read_yaml(file)
        except InputError as exc:
            out.append(str(exc))

    def add(self, path: PathKey, message: str) -> None:
        line = self.located.line_of(path) if self.located else None
        self.out.append(str(InputError(self.file, line, format_path(path), message)))


def _bilingual(
    checker: _TextChecker, report: _FileReport, path: PathKey, text: Bilingual, scope: Scope
) -> None:
    used = {}
    for language in ("fr", "en"):
        names, problems = checker.text(getattr(text, language), scope)
        used[language] = names
        for problem in problems:
            report.add((*path, language), problem)
    if used["fr"] != used["en"]:
        only_fr = sorted(used["fr"] - used["en"])
        only_en = sorted(used["en"] - used["fr"])
        detail = "; ".join(
            part
            for part in (
                f"only in fr: {', '.join(only_fr)}" if only_fr else "",
                f"only in en: {', '.join(only_en)}" if only_en else "",
            )
            if part
        )
        report.add(path, f"French and English use different placeholders ({detail})")
    ratio = _length_ratio(text)
    if ratio is not None and not PARITY_RANGE[0] <= ratio <= PARITY_RANGE[1]:
        low, high = PARITY_RANGE
        report.add(
            path,
            f"the English is {ratio:.2f} times the length of the French (expected {low}–{high}):"
            " does one language say something the other does not?",
        )


def _length_ratio(text: Bilingual) -> float | None:
    """English prose length over French, for a text long enough to judge (placeholders and
    conditions left out: they are the same in both)."""
    fr, en = (re.sub(r"\{[{%].*?[}%]\}", "", t, flags=re.S) for t in (text.fr, text.en))
    if max(len(fr), len(en)) < PARITY_MIN_CHARS or not fr:
        return None
    return len(en) / len(fr)


def _condition(
    checker: _TextChecker, report: _FileReport, path: PathKey, expr: str | None, scope: Scope
) -> None:
    if expr:
        for problem in checker.expression(expr, scope):
            report.add(path, f"condition: {problem}")


def _paragraphs(
    checker: _TextChecker,
    report: _FileReport,
    path: PathKey,
    paragraphs: list[Paragraph],
    scope: Scope,
) -> None:
    for i, p in enumerate(paragraphs):
        local = scope
        if p.each:
            local, problems = checker.each(p.each, scope)
            for problem in problems:
                report.add((*path, i, "each"), problem)
        _condition(checker, report, (*path, i, "when"), p.when, local)
        _bilingual(checker, report, (*path, i), p, local)


def _diagram(
    checker: _TextChecker, report: _FileReport, path: PathKey, spec: Diagram, scope: Scope
) -> None:
    """An annex's diagram: its words in both languages, its expressions on known names, each
    group's and arrow's in the scope of its `each`."""
    _condition(checker, report, (*path, "when"), spec.when, scope)
    for name in ("name", "alt"):
        _bilingual(checker, report, (*path, name), getattr(spec, name), scope)
    for style in ("solid", "dashed", "outside"):
        words = getattr(spec.legend, style)
        if words is not None:
            _bilingual(checker, report, (*path, "legend", style), words, scope)
    parts: list[tuple[str, int, Any]] = [("groups", i, g) for i, g in enumerate(spec.groups)]
    parts += [("arrows", i, a) for i, a in enumerate(spec.arrows)]
    for group, i, part in parts:
        here = (*path, group, i)
        local = scope
        if part.each:
            local, problems = checker.each(part.each, scope)
            for problem in problems:
                report.add((*here, "each"), problem)
        texts = ("label", "note") if group == "groups" else ("data", "means")
        for name in texts:
            if getattr(part, name) is not None:
                _bilingual(checker, report, (*here, name), getattr(part, name), local)
        expressions = (
            ("key", "outside")
            if group == "groups"
            else ("source", "recipient", "when", "identifying")
        )
        for name in expressions:
            _condition(checker, report, (*here, name), getattr(part, name), local)
        if group == "groups":
            _bilingual(checker, report, (*here, "title"), part.title, scope)
            if part.collapse:
                counted = {**scope, "count": int}
                _bilingual(checker, report, (*here, "collapse"), part.collapse, counted)


def _check_document(doc: DocumentLibrary, wording: Wording, out: list[str]) -> None:
    ids = frozenset(c.spec.id for c in doc.clauses) | {f"annex.{k}" for k in doc.texts.annexes}
    checker = _TextChecker(wording, context_types(doc.kind), ids)
    scope = checker.scope
    report = _FileReport(doc.folder / "_document.yaml", out)
    texts = doc.texts
    for name in ("title", "subtitle", "subject", "filename", "heading_number"):
        value = getattr(texts, name)
        if value is not None:
            _bilingual(checker, report, (name,), value, scope)
    for key, value in texts.page.items():
        _bilingual(checker, report, ("page", key), value, scope)
    _paragraphs(checker, report, ("intro",), texts.intro, scope)
    contract = texts.contract
    if contract:
        for name in ("between", "and_", "together", "recitals_heading", "agreed"):
            _bilingual(
                checker, report, ("contract", name.rstrip("_")), getattr(contract, name), scope
            )
        party_scope = {**scope, "party": model.Party}
        _bilingual(checker, report, ("contract", "party"), contract.party, party_scope)
        for group in ("designations", "signing", "signature"):
            for key, value in getattr(contract, group).items():
                _bilingual(checker, report, ("contract", group, key), value, scope)
        for group in ("designations", "signing"):
            for key in getattr(contract, group):
                if key not in {r.value for r in model.Role}:
                    report.add(("contract", group, key), "not a role of the answers model")
        _paragraphs(checker, report, ("contract", "recitals"), contract.recitals, scope)
        _paragraphs(checker, report, ("contract", "closing"), contract.closing, scope)
    for key, annex in texts.annexes.items():
        path = ("annexes", key)
        _bilingual(checker, report, (*path, "title"), annex.title, scope)
        _paragraphs(checker, report, (*path, "paragraphs"), annex.paragraphs, scope)
        if annex.empty:
            _bilingual(checker, report, (*path, "empty"), annex.empty, scope)
        local = scope
        if annex.each:
            local, problems = checker.each(annex.each, scope)
            for problem in problems:
                report.add((*path, "each"), problem)
        if annex.heading:
            _bilingual(checker, report, (*path, "heading"), annex.heading, local)
        for group in ("rows", "columns"):
            for i, row in enumerate(getattr(annex, group)):
                _bilingual(checker, report, (*path, group, i, "label"), row.label, local)
                _bilingual(checker, report, (*path, group, i, "value"), row.value, local)
                _condition(checker, report, (*path, group, i, "when"), row.when, local)
                for j, code in enumerate(row.covers):
                    if code not in ART30_ELEMENTS:
                        report.add((*path, group, i, "covers", j), f"unknown element '{code}'")
        if annex.diagram:
            _diagram(checker, report, (*path, "diagram"), annex.diagram, scope)

    required = REQUIRED_ELEMENTS.get(doc.kind, {})
    seen_ids: dict[str, Path] = {}
    seen_orders: dict[int, Path] = {}
    for clause in doc.clauses:
        spec, report = clause.spec, _FileReport(clause.file, out)
        if spec.id in seen_ids:
            report.add(("id",), f"id already used by {seen_ids[spec.id].name}")
        if spec.order in seen_orders:
            report.add(("order",), f"order already used by {seen_orders[spec.order].name}")
        seen_ids[spec.id] = seen_orders[spec.order] = clause.file
        for i, code in enumerate(spec.covers):
            if code not in required:
                report.add(("covers", i), f"unknown element '{code}'")
        _condition(checker, report, ("when",), spec.when, scope)
        _bilingual(checker, report, ("title",), spec.title, scope)
        _paragraphs(checker, report, ("paragraphs",), spec.paragraphs, scope)

    rows = [r for a in doc.texts.annexes.values() for r in (*a.rows, *a.columns)]
    covered = {code for c in doc.clauses for code in c.spec.covers}
    covered |= {code for r in rows for code in r.covers}
    for code, description in required.items():
        if code not in covered:
            out.append(f"{doc.folder}: no clause covers {code} ({description})")


def _check_messages(library: Library, wording: Wording, out: list[str]) -> None:
    """Every finding code and phrase the legal layer can raise has its words, in both
    languages, using only the values it declares; no message is left without a code."""
    report = _FileReport(library.messages_file, out)
    checker = _TextChecker(wording, {})
    declared = {
        "findings": {code: rule.values for code, rule in ALL_RULES.items()},
        "phrases": ALL_PHRASES,
    }
    for group, codes in declared.items():
        texts = getattr(library.messages, group)
        for code in codes:
            if code not in texts:
                report.add((group,), f"no message for '{code}', which the assessment can raise")
        for code, text in texts.items():
            if code not in codes:
                report.add((group, code), "no finding of the assessment has this code")
            else:
                _bilingual(checker, report, (group, code), text, dict(codes[code]))


def _check_labels(library: Library, out: list[str]) -> None:
    file = library.root / "labels.yaml"
    for enum in _LABELLED_ENUMS:
        values = library.labels.get(enum.__name__, {})
        for member in enum:
            if member.value not in values:
                out.append(f"{file}: {enum.__name__}.{member.value}: no label")


def check_library(firm: Path | None = None) -> list[str]:
    """Every problem found in the clause library — Clausier's, with a firm's clauses over it
    when given — one line each; empty when all is well."""
    try:
        library = default_library(firm)
    except InputError as exc:
        return [str(exc)]
    except FileNotFoundError as exc:
        return [f"{exc.filename}: missing"]
    return check_loaded(library)


def check_loaded(library: Library) -> list[str]:
    """Every problem found in a loaded library, one line each."""
    out: list[str] = []
    wording = Wording(library, model.Language.FR)
    for doc in library.documents.values():
        _check_document(doc, wording, out)
    _check_messages(library, wording, out)
    _check_labels(library, out)
    out += _check_review(library)
    return out


def _check_review(library: Library) -> list[str]:
    """The review elements (clauses/review/): a firm's when it has its own, else Clausier's,
    against the DPA clauses of this library and every Art. 28 element."""
    from ..resources import data_dir

    root = library.root if (library.root / REVIEW_FILE).exists() else data_dir("clauses")
    dpa = library.documents.get("dpa")
    ids = frozenset(c.spec.id for c in dpa.clauses) if dpa else frozenset()
    return check_review(root, ids, list(ART28_ELEMENTS))
