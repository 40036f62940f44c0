"""The bilingual edition: French and English side by side, clause by clause.

Both languages are planned from the same answers, so their clauses and paragraphs match one to
one (conditions do not depend on the language); this module pairs them for the bilingual
template. Word numbers the French column; the English column carries the same numbers as text.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from ..answers.model import Answers, Language
from ..legal.assessment import Assessment, DocumentDue
from ..library.load import Library
from ..library.plan import (
    PAIRED_NAMES,
    DocumentPlan,
    PlannedClause,
    document_filename,
    plan_document,
)
from ..library.wording import ENGLISH, REF_START


def plan_bilingual(
    due: DocumentDue,
    answers: Answers,
    assessment: Assessment,
    library: Library,
    draft: bool = False,
) -> DocumentPlan:
    fr, en = (
        plan_document(due, answers, assessment, library, language, draft, bilingual=True)
        for language in (Language.FR, Language.EN)
    )
    doc = library.documents[due.kind.value]
    name = document_filename(due, answers, doc, Language.FR).removesuffix("-fr.docx")
    return DocumentPlan(
        kind=due.kind,
        language=Language.FR,
        title=f"{fr.title} / {en.title}",
        filename=f"{name}-fr-en.docx",
        heading_number=fr.heading_number,
        heading_suffix=fr.heading_suffix,
        clauses=fr.clauses,
        template_context=_pair(fr.template_context, en.template_context, fr.clauses, en.clauses),
        bilingual=True,
        # One picture, in French like the numbered column; its words in both languages.
        diagrams={
            key: replace(
                diagram,
                name=f"{diagram.name} / {en.diagrams[key].name}",
                alt=f"{diagram.alt}\n{en.diagrams[key].alt}",
            )
            for key, diagram in fr.diagrams.items()
        },
    )


def _merge(fr: Any, en: Any, leaf: Callable[[str, str], Any]) -> Any:
    """Walk two renderings of the same structure together, merging their strings with `leaf`."""
    if isinstance(fr, dict):
        return {key: _merge(fr[key], en[key], leaf) for key in fr}
    if isinstance(fr, list):
        return [_merge(a, b, leaf) for a, b in zip(fr, en, strict=True)]
    return leaf(fr, en) if isinstance(fr, str) else fr


def _both(fr: Any, en: Any) -> Any:
    """Texts set side by side: each string becomes {"fr": ..., "en": ...}."""
    return _merge(fr, en, lambda a, b: {"fr": a, "en": b})


def _flat(fr: Any, en: Any) -> Any:
    """Labels and table cells: one string, "fr / en" where the languages differ."""
    return _merge(fr, en, lambda a, b: a if a == b else f"{a} / {_marked(b)}")


def _lines(fr: Any, en: Any) -> Any:
    """Texts of one cell or bullet: the French, then the English on the next line (one
    line where the two are the same)."""
    return _merge(fr, en, lambda a, b: a if a == b else f"{a}\n{_marked(b)}")


def _marked(english: str) -> str:
    """English text holding a cross-reference, marked as English for the renderer."""
    return ENGLISH + english if REF_START in english else english


def _numbers(clauses: tuple[PlannedClause, ...]) -> list[tuple[str, list[str]]]:
    """The numbers Word gives the French column: 1., 1.1, (a) — for the English column."""
    out = []
    for i, clause in enumerate(clauses, 1):
        numbers, sub, item = [], 0, 0
        for paragraph in clause.paragraphs:
            if paragraph.level == 1:
                sub, item = sub + 1, 0
                numbers.append(f"{i}.{sub}")
            elif paragraph.level == 2:
                item += 1
                numbers.append(f"({chr(96 + item)})")
            else:
                numbers.append("")
        out.append((f"{i}", numbers))
    return out


def _pair(
    fr: dict[str, Any],
    en: dict[str, Any],
    fr_clauses: tuple[PlannedClause, ...],
    en_clauses: tuple[PlannedClause, ...],
) -> dict[str, Any]:
    flat = {key: _flat(fr[key], en[key]) for key in PAIRED_NAMES}
    flat["measure_groups"] = [
        {"title": _flat(a["title"], b["title"]), "measures": _lines(a["measures"], b["measures"])}
        for a, b in zip(fr["measure_groups"], en["measure_groups"], strict=True)
    ]
    clauses = [
        {
            "title": {"fr": fc["title"], "en": b.title},
            "number": number,
            "paragraphs": [
                {"fr": p.text, "en": q.text, "level": p.level, "number": n}
                for p, q, n in zip(a.paragraphs, b.paragraphs, numbers, strict=True)
            ],
        }
        for a, b, fc, (number, numbers) in zip(
            fr_clauses, en_clauses, fr["clauses"], _numbers(fr_clauses), strict=True
        )
    ]
    contract = None
    if fr["contract"]:
        contract = _both(fr["contract"], en["contract"])
        for key in ("signature", "signatories"):  # labels and names: "fr / en" if they differ
            contract[key] = _flat(fr["contract"][key], en["contract"][key])
    return {
        **flat,
        "intro": _both(fr["intro"], en["intro"]),
        "contract": contract,
        "clauses": clauses,
        "annexes": {key: _annex(fr["annexes"][key], en["annexes"][key]) for key in fr["annexes"]},
    }


def _annex(fr: dict[str, Any], en: dict[str, Any]) -> dict[str, Any]:
    """Titles and labels as "fr / en"; each language's values in a column of its own (one
    spanning both where they are the same); a table cell's French, then on the next line its
    English; the annex's paragraphs in French, each then in English. The English part is
    marked where it refers to a clause, so the reference reads in English."""
    annex = _flat(fr, en)
    annex["rows"] = [
        {**row, "fr": a["value"], "en": _marked(b["value"]), "same": a["value"] == b["value"]}
        for row, a, b in zip(annex["rows"], fr["rows"], en["rows"], strict=True)
    ]
    annex["table"] = _lines(fr["table"], en["table"])
    annex["paragraphs"] = [
        text
        for pair in zip(fr["paragraphs"], en["paragraphs"])
        for text in (pair[0], ENGLISH + pair[1])
    ]
    return annex
