"""The document plan: for one document, the clauses that apply, in order, their text filled in.

Everything language-dependent is decided here, so rendering only pours finished text into Word.
"""

from __future__ import annotations

import re
import signal
import threading
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from jinja2 import TemplateError

from ..answers.languages import in_language, text_in
from ..answers.model import Amendment, Answers, Language, Measure, Party, Role
from ..errors import LibraryError
from ..legal.assessment import Assessment, DocumentDue, DocumentKind
from .changes import Amended, Change, Clause, Version, annex_label, changes, renumbered
from .context import document_context, measure_groups
from .diagram import PlannedDiagram, plan_diagram
from .load import Annex, Bilingual, DocumentLibrary, Library, Paragraph
from .wording import DIAGRAM, Wording, wording_for


@dataclass(frozen=True)
class PlannedParagraph:
    text: str
    level: int


@dataclass(frozen=True)
class PlannedClause:
    id: str
    digest: str
    title: str
    paragraphs: tuple[PlannedParagraph, ...]


@dataclass(frozen=True)
class DocumentPlan:
    kind: DocumentKind
    language: Language
    title: str
    filename: str
    heading_number: str
    heading_suffix: str  # after the number: "space" before a separator, else "tab"
    clauses: tuple[PlannedClause, ...]
    template_context: dict[str, Any]
    bilingual: bool = False  # the French and English side-by-side edition
    # By annex key, the picture of the flows drawn above its table (annexes.KEY.diagram marks
    # its place for the renderer).
    diagrams: dict[str, PlannedDiagram] = field(default_factory=dict)


def expand(
    paragraphs: Iterable[Paragraph], wording: Wording, context: Mapping[str, Any]
) -> list[PlannedParagraph]:
    """Apply each paragraph's condition and repetition, and fill in its text."""
    out: list[PlannedParagraph] = []
    for p in paragraphs:
        for local in wording.items(p.each, context):
            if wording.condition(p.when, local):
                out.append(PlannedParagraph(wording.text(p, local), p.level))
    return out


def plan_document(
    due: DocumentDue,
    answers: Answers,
    assessment: Assessment,
    library: Library,
    language: Language,
    draft: bool = False,
    bilingual: bool = False,
) -> DocumentPlan:
    doc = library.documents[due.kind.value]
    wording = wording_for(library, language)
    amendment: dict[str, Any] = {}
    if due.amends is not None:
        answers, amendment = _amendment(due, answers, library, language)
    # Every free text in this edition's language, the assessment's transfers included.
    answers = in_language(answers, language)
    assessment = replace(
        assessment,
        outside_eea_transfers=in_language(assessment.outside_eea_transfers, language),
    )
    context = {**document_context(due, answers, assessment), "bilingual": bilingual, **amendment}
    if doc.texts.subject:  # worded once, for every clause and annex that states it
        context["subject"] = _guarded(
            doc.folder / "_document.yaml", lambda: wording.text(doc.texts.subject, context)
        )
    clauses = tuple(
        PlannedClause(
            c.spec.id,
            c.digest,
            c.spec.title.in_(language),
            tuple(_guarded(c.file, lambda c=c: expand(c.spec.paragraphs, wording, context))),
        )
        for c in doc.clauses
        if _guarded(c.file, lambda c=c: wording.condition(c.spec.when, context))
    )
    texts = doc.texts
    diagrams = _guarded(
        doc.folder / "_document.yaml",
        lambda: {
            key: diagram
            for key, annex in texts.annexes.items()
            if annex.diagram
            and (diagram := plan_diagram(annex.diagram, wording, context, annex.landscape))
        },
    )
    return DocumentPlan(
        kind=due.kind,
        language=language,
        title=_guarded(doc.folder / "_document.yaml", lambda: wording.text(texts.title, context)),
        filename=document_filename(due, answers, doc, language),
        heading_number=texts.heading_number.in_(language),
        heading_suffix="space" if texts.heading_separator.get(language.value) else "tab",
        clauses=clauses,
        template_context=_guarded(
            doc.folder / "_document.yaml",
            lambda: _template_context(
                doc, due, answers, assessment.roles, wording, context, clauses, draft, diagrams
            ),
        ),
        diagrams=diagrams,
    )


def _amendment(
    due: DocumentDue, answers: Answers, library: Library, language: Language
) -> tuple[Answers, dict[str, Any]]:
    """An amendment's answers (dated as the amendment) and what it states: the signed
    agreement it amends, and the changes between the two versions."""
    assert due.amends is not None
    terms = answers.amendment or Amendment()
    signature = answers.signature.model_copy(update={"date": terms.date})
    old = due.amends.answers
    found = amendment_changes(due, answers, library, language)
    names = {
        "amended": Amended(
            title=_amended_title(due, library, language),
            date=old.signature.date or terms.agreement_date,
            reference=old.reference or "",
        ),
        "changes": found,
        "renumbered": renumbered(found),
    }
    return answers.model_copy(update={"amendment": terms, "signature": signature}), names


def _amended_title(due: DocumentDue, library: Library, language: Language) -> str:
    assert due.amends is not None
    return library.documents[due.amends.kind.value].texts.title.in_(language)


def amendment_changes(
    due: DocumentDue, answers: Answers, library: Library, language: Language
) -> list[Change]:
    """What an amendment changes: the signed version and the new one (`answers`), each
    planned in `language` from its own answers, compared."""
    from ..legal.assessment import assess

    assert due.amends is not None
    versions = []
    for version in (due.amends.answers, answers):
        amended = DocumentDue(due.amends.kind, due.parties)
        assessment = assess(version, language.value, frozenset({due.amends.kind.value}))
        plan = plan_document(amended, version, assessment, library, language)
        versions.append(_version(plan, library))
    return changes(*versions)


def _version(plan: DocumentPlan, library: Library) -> Version:
    """A planned document as the amendment compares it."""
    context = plan.template_context
    annexes = library.documents[plan.kind.value].texts.annexes
    measures = [context["annexes"][k]["title"] for k, a in annexes.items() if a.measures]
    references = {
        c.id: plan.heading_number.replace("%1", str(number))
        for number, c in enumerate(plan.clauses, 1)
    }
    references.update(
        (f"annex.{key}", annex_label(annex["title"])) for key, annex in context["annexes"].items()
    )
    return Version(
        clauses=tuple(
            Clause(c.id, c.title, tuple((p.text, p.level) for p in c.paragraphs))
            for c in plan.clauses
        ),
        annexes=context["annexes"],
        measure_groups=context["measure_groups"],
        measures_annex=annex_label(measures[0]) if measures else "",
        french=plan.language is Language.FR,
        references=references,
    )


# What library text can raise when filled in: Jinja's errors, and those of an expression
# applied to the wrong kind of value (`{{ hours + 'h' }}`, a unit `words` does not know).
_TEXT_ERRORS = (TemplateError, TypeError, ValueError, KeyError, AttributeError, IndexError)
TEXT_SECONDS = 10.0  # far beyond any real clause; only a runaway loop takes this long


def _guarded(file: Path, work: Callable[[], Any]) -> Any:
    """Library text that fails when filled in (a firm's clause reaching for Python internals,
    a misspelt name, a loop that never ends) is the library's error: one line naming its file,
    never a traceback or a hang."""
    try:
        with _deadline(TEXT_SECONDS):
            return work()
    except _TEXT_ERRORS as exc:
        message = f"the clause text cannot be filled in: {exc}"
        raise LibraryError(file, None, None, message) from None
    except TimeoutError:
        message = f"filling in the clause text took over {TEXT_SECONDS:g} s (a runaway loop?)"
        raise LibraryError(file, None, None, message) from None


@contextmanager
def _deadline(seconds: float) -> Iterator[None]:
    """Raise TimeoutError in the work after `seconds` (Unix main thread; elsewhere no limit)."""
    usable = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable or signal.getitimer(signal.ITIMER_REAL)[0]:
        yield
        return

    def expire(*_: object) -> None:
        raise TimeoutError

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def document_filename(
    due: DocumentDue, answers: Answers, doc: DocumentLibrary, language: Language
) -> str:
    """E.g. accord-sous-traitance-agendo-sante-fr.docx: kind, subject, language; an
    amendment's number after its kind (avenant-2-agendo-sante-fr.docx)."""
    kind = doc.texts.filename.in_(language)
    if due.amends is not None:
        kind += f"-{(answers.amendment or Amendment()).number}"
    return "-".join((kind, _subject(due, answers, language), language.value)) + ".docx"


def _subject(due: DocumentDue, answers: Answers, language: Language) -> str:
    """What tells this document from its siblings in a file name: a DPA's processor, the
    establishment a convention unique binds, the study, a care set's processor."""
    if due.kind in (DocumentKind.DPA, DocumentKind.CONVENTION_UNIQUE, DocumentKind.AMENDMENT):
        return slug(answers.party(due.parties[1]).name) or "processor"
    research = answers.research
    if research:
        name = research.acronym or text_in(research.title, language)
    else:  # a care set's pack: its processor's, as its DPA (one processing per vendor)
        name = answers.party(due.parties[-1]).name
    return slug(name) or "document"


# The names a Word template may use: the keys of _template_context (the bilingual edition
# pairs the same keys), and of the two mappings a template reaches into by name, `contract.X`
# (_contract) and `annexes.KEY.X` (_annex). `clausier check` and every build hold each template
# to them (word/templates.py); tests/test_templates.py proves they are the keys a plan holds.
# Those holding one value per language, which the bilingual edition sets side by side as they
# are (word/bilingual.py); the others are paired clause by clause, annex by annex.
PAIRED_NAMES = (
    "title",
    "subtitle",
    "reference",
    "reference_label",
    "status",
    "contents_label",
    "parties_line",
    "version",
    "page_label",
    "of_label",
    "measure_groups",
)
TEMPLATE_NAMES = frozenset({*PAIRED_NAMES, "intro", "contract", "clauses", "annexes"})
CONTRACT_NAMES = frozenset(
    {
        "between",
        "and",
        "parties",
        "together",
        "recitals_heading",
        "recitals",
        "agreed",
        "closing",
        "signature",
        "signatories",
    }
)
ANNEX_NAMES = frozenset({"title", "paragraphs", "rows", "headers", "table", "empty", "diagram"})


def _template_context(
    doc: DocumentLibrary,
    due: DocumentDue,
    answers: Answers,
    roles: Mapping[str, tuple[Role, ...]],
    wording: Wording,
    context: Mapping[str, Any],
    clauses: tuple[PlannedClause, ...],
    draft: bool,
    diagrams: Mapping[str, PlannedDiagram],
) -> dict[str, Any]:
    texts = doc.texts

    def say(text: Bilingual) -> str:
        return wording.text(text, context)

    return {
        "title": say(texts.title),
        "subtitle": say(texts.subtitle) if texts.subtitle else "",
        "reference": answers.reference or "",
        "reference_label": say(texts.page["reference"]),
        "status": say(texts.page["draft"]) if draft else "",
        "contents_label": say(texts.page["contents"]),
        # The title block: who the document binds (or concerns), and which version it is.
        "parties_line": " – ".join(answers.party(pid).name for pid in due.parties),
        "version": say(texts.page[_version_line(answers, texts.page)]),
        "page_label": say(texts.page["page"]),
        "of_label": say(texts.page["of"]),
        "intro": [p.text for p in expand(texts.intro, wording, context)],
        "contract": _contract(doc, due, answers, roles, wording, context, say)
        if texts.contract
        else None,
        "clauses": [
            {
                "title": texts.heading_separator.get(wording.language.value, "") + c.title,
                "paragraphs": [{"text": p.text, "level": p.level} for p in c.paragraphs],
            }
            for c in clauses
        ],
        "annexes": {
            key: _annex(annex, wording, context, DIAGRAM + key if key in diagrams else "")
            for key, annex in texts.annexes.items()
        },
        "measure_groups": _measure_groups(context["security_measures"], wording),
    }


def _version_line(answers: Answers, page: Mapping[str, Bilingual]) -> str:
    """Which version the title block says this is: as signed, to be signed, or the agreement
    consolidated with an amendment (its answers record one), which nobody signs as such."""
    if answers.amendment is not None and "consolidated" in page:
        return "consolidated"
    return "dated" if answers.signature.date else "undated"


def _contract(
    doc: DocumentLibrary,
    due: DocumentDue,
    answers: Answers,
    roles: Mapping[str, tuple[Role, ...]],
    wording: Wording,
    context: Mapping[str, Any],
    say: Callable[[Bilingual], str],
) -> dict[str, Any]:
    """Preamble, recitals, closing formula and signature block of a contract."""
    texts = doc.texts.contract
    assert texts is not None

    signatories = [answers.party(pid) for pid in due.parties]

    def by_role(party: Party, group: str) -> str:
        """The first text of `group` (designations, signing) whose role the party holds,
        e.g. « le Sous-traitant »."""
        for role, words in getattr(texts, group).items():
            if Role(role) in roles[party.id]:
                return say(words)
        roles_named = ", ".join(r.value for r in roles[party.id])
        raise LibraryError(
            doc.folder / "_document.yaml",
            None,
            f"contract.{group}",
            f"no {group} text for {party.id}'s roles ({roles_named})",
        )

    recitals = expand(texts.recitals, wording, context)
    return {
        "between": say(texts.between),
        "and": say(texts.and_),
        "parties": [
            {
                "text": wording.text(texts.party, {**context, "party": party}),
                "designation": by_role(party, "designations"),
            }
            for party in signatories
        ],
        "together": say(texts.together),
        "recitals_heading": say(texts.recitals_heading),
        "recitals": [f"({chr(65 + i)}) {p.text}" for i, p in enumerate(recitals)],
        "agreed": say(texts.agreed),
        "closing": [p.text for p in expand(texts.closing, wording, context)],
        "signature": {key: say(value) for key, value in texts.signature.items()},
        "signatories": [
            {
                "for": by_role(p, "signing"),
                "party": p.name,
                "name": p.signatory.name,
                "capacity": p.signatory.title or "",
            }
            for p in signatories
        ],
    }


def _annex(
    annex: Annex, wording: Wording, context: Mapping[str, Any], diagram: str
) -> dict[str, Any]:
    """An annex's words; `diagram` marks the place of its picture, if it has one."""

    def cells(rows: Iterable, local: Mapping[str, Any]) -> list[dict[str, str]]:
        return [
            {
                "label": wording.text(r.label, local),
                "value": wording.text(r.value, local),
            }
            for r in rows
            if wording.condition(r.when, local)
        ]

    items = list(wording.items(annex.each, context))
    rows: list[dict[str, Any]] = []
    for local in items if annex.rows else ():
        if annex.heading:
            rows.append(
                {
                    "header": True,
                    "label": wording.text(annex.heading, local),
                    "value": "",
                }
            )
        rows += [{"header": False, **cell} for cell in cells(annex.rows, local)]
    table = (
        [[c["value"] for c in cells(annex.columns, local)] for local in items]
        if annex.columns
        else []
    )
    return {
        "title": wording.text(annex.title, context),
        "paragraphs": [p.text for p in expand(annex.paragraphs, wording, context)],
        "rows": rows,
        "headers": [wording.text(c.label, context) for c in annex.columns],
        "table": table,
        "empty": wording.text(annex.empty, context)
        if annex.empty and ((annex.columns and not table) or (annex.rows and not rows))
        else "",
        "diagram": diagram,
    }


def _measure_groups(measures: list[Measure], wording: Wording) -> list[dict[str, Any]]:
    """The security measures as answered, grouped by category in a fixed order."""
    label = wording.env.filters["label"]
    return [
        {"title": _capitalised(label(g.category)), "measures": g.measures}
        for g in measure_groups(measures)
    ]


def slug(text: str) -> str:
    """A safe file-name part: ASCII letters, digits and hyphens only."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:60].strip("-")


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]
