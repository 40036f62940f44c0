"""The DPIA outline in the import format of the CNIL's open-source PIA software (LINCnil/pia),
so the team continues the assessment in the tool the CNIL publishes.

Read from the plan, never from the answers afresh: each clause of clauses/dpia is one item of
the PIA method and each of its level-1 paragraphs one question of the software, in an order
this module knows (_QUESTIONS); the measures are Table 1's rows, then the action plan's
(Table 3): the software keeps its action plan in the evaluations, which are the team's to
give, so the steps the outline plans go in as planned measures, each titled by the table's
name and its row's label. Severity and likelihood stay
unset (gauge 0) and the evaluations, the DPO's opinion and the persons' views empty: the team
gives them in the tool. The shape follows the software's own example export
(src/assets/files/2018-02-21-pia-example.json; tests/data/pia-example-structure.json).
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from typing import Any

from ..answers.languages import text_in
from ..answers.model import Answers, Language
from ..errors import LibraryError
from ..legal.assessment import Assessment, DocumentKind
from ..library.plan import DocumentPlan, PlannedClause, PlannedParagraph
from ..library.wording import BOLD_END, BOLD_START, ENGLISH, REF_END, REF_START
from ..word.render import document_time

# Clause id -> the software's question ids (pia_architecture.json) its level-1 paragraphs
# answer, in the clause's order: a risk states its sources, threats and impacts before its
# measures, severity and likelihood.
_QUESTIONS: dict[str, tuple[int, ...]] = {
    "dpia.overview": (111, 112, 113),
    "dpia.data": (121, 122, 123),
    "dpia.necessity": (211, 212, 213, 214, 215),
    "dpia.rights": (221, 222, 223, 224, 225, 226, 227),
    "dpia.access": (323, 322, 321, 324, 325, 326),
    "dpia.modification": (333, 332, 331, 334, 335, 336),
    "dpia.disappearance": (343, 342, 341, 344, 345, 346),
}
# The risks' questions answered by a list (impacts, threats, sources, measures) and by a gauge
# (severity, likelihood), whatever the risk (32x, 33x, 34x).
_LISTS = frozenset({1, 2, 3, 4})
_GAUGES = frozenset({5, 6})
_NUMBER_OF_QUESTIONS = 36  # every question of the software's architecture
_DB_VERSION = 201910230914  # the software's database version its import accepts
_PIA_ID = 1


def pia_files(
    plan: DocumentPlan, answers: Answers, assessment: Assessment
) -> list[tuple[str, bytes]]:
    """The .json beside the outline's .docx. The side-by-side edition has none: the software
    holds one language, and each single-language edition carries its own."""
    if plan.bilingual:
        return []
    name = plan.filename.removesuffix(".docx") + ".json"
    text = json.dumps(pia_export(plan, answers, assessment), ensure_ascii=False, indent=2)
    return [(name, (text + "\n").encode())]


def pia_export(plan: DocumentPlan, answers: Answers, assessment: Assessment) -> dict[str, Any]:
    """The export as the software's import reads it: the PIA, its answers and its measures;
    no evaluation nor comment (the team's)."""
    time = document_time(answers).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    due = next(d for d in assessment.documents if d.kind is DocumentKind.DPIA)
    controller = answers.party(due.parties[0])
    context = plan.template_context
    refs = _references(plan)
    stamp = {"created_at": time, "updated_at": time}
    answers_out = [
        {
            "pia_id": _PIA_ID,
            "reference_to": question,
            "data": data,
            "id": number,
            **stamp,
        }
        for number, (question, data) in enumerate(_answers(plan, refs), 1)
    ]
    table = context["annexes"]["measures"]["table"]
    by = context["annexes"]["measures"]["headers"][2]  # "Mise en œuvre par"
    colon = "\u00a0: " if plan.language is Language.FR else ": "
    existing = [
        (
            _plain(category, refs),
            f"<p>{_html(description, refs)}</p><p>{by}{colon}{_html(who, refs)}</p>",
        )
        for category, description, who in table
    ]
    plan_annex = context["annexes"]["action_plan"]
    plan_name = _plain(plan_annex["title"], refs).split(" – ", 1)[-1]  # "Plan d'action"
    planned = [
        (f"{plan_name} – {_plain(row['label'], refs)}", f"<p>{_html(row['value'], refs)}</p>")
        for row in plan_annex["rows"]
        if not row["header"]
    ]
    measures = [
        {
            "title": title,
            "pia_id": _PIA_ID,
            "content": content,
            "placeholder": "measures.default_placeholder",
            "id": number,
            **stamp,
        }
        for number, (title, content) in enumerate([*existing, *planned], 1)
    ]
    pia = {
        "dbVersion": _DB_VERSION,
        "tableName": "pia",
        "serverUrl": None,
        "numberOfQuestions": _NUMBER_OF_QUESTIONS,
        "id": _PIA_ID,
        "objectStore": {},
        "status": 0,  # being written
        "name": _plain(context["subtitle"] or context["title"], refs),
        "author_name": "",
        "evaluator_name": "",
        "validator_name": text_in(controller.signatory.name, plan.language),
        "dpo_status": None,
        "dpo_opinion": "",
        "concerned_people_opinion": "",
        "concerned_people_status": None,
        "rejection_reason": "",
        "applied_adjustments": "",
        "dpos_names": text_in(controller.dpo.name, plan.language) if controller.dpo else "",
        "people_names": "",
        "concerned_people_searched_opinion": None,
        "concerned_people_searched_content": "",
        "category": "",
        **stamp,
    }
    return {
        "pia": pia,
        "answers": answers_out,
        "measures": measures,
        "evaluations": [],
        "comments": [],
    }


def _answers(plan: DocumentPlan, refs: dict[str, str]) -> Iterator[tuple[int, dict[str, Any]]]:
    """Each question's answer, from the level-1 paragraph answering it and those after it."""
    for clause in plan.clauses:
        questions = _QUESTIONS.get(clause.id)
        if questions is None:
            continue
        groups = _groups(clause)
        if len(groups) != len(questions):
            raise LibraryError(
                f"clauses/{plan.kind.value}",
                None,
                None,
                f"{clause.id} has {len(groups)} level-1 paragraphs; the PIA export reads "
                f"{len(questions)}, one per question of the PIA software",
            )
        for question, group in zip(questions, groups):
            kind = question % 10
            if question >= 300 and kind in _LISTS:
                items = [_item(p.text, refs) for p in group[1:] if p.level == 2]
                yield question, {"text": None, "gauge": None, "list": items}
            else:
                gauge = 0  # unset: severity and likelihood are the team's to assess
                text = _html_paragraphs(group, refs)
                yield question, {"text": text, "gauge": gauge, "list": []}


def _groups(clause: PlannedClause) -> list[list[PlannedParagraph]]:
    groups: list[list[PlannedParagraph]] = []
    for paragraph in clause.paragraphs:
        if paragraph.level == 1:
            groups.append([paragraph])
        elif groups:
            groups[-1].append(paragraph)
    return groups


def _html_paragraphs(group: list[PlannedParagraph], refs: dict[str, str]) -> str:
    """Paragraphs as the software's rich text: each a <p>, sub-items a list."""
    out: list[str] = []
    items: list[str] = []
    for paragraph in group:
        if paragraph.level == 2:
            items.append(f"<li>{_html(paragraph.text, refs)}</li>")
            continue
        if items:
            out.append(f"<ul>{''.join(items)}</ul>")
            items = []
        out.append(f"<p>{_html(paragraph.text, refs)}</p>")
    if items:
        out.append(f"<ul>{''.join(items)}</ul>")
    return "".join(out)


def _references(plan: DocumentPlan) -> dict[str, str]:
    """What each [[clause]] or [[annex.key]] mark prints in Word: the clause's number, the
    annex's label ("Tableau 1")."""
    refs = {
        clause.id: plan.heading_number.replace("%1", str(number))
        for number, clause in enumerate(plan.clauses, 1)
    }
    for key, annex in plan.template_context["annexes"].items():
        refs[f"annex.{key}"] = annex["title"].split(" – ", 1)[0]
    return refs


def _plain(text: str, refs: dict[str, str]) -> str:
    """The text as printed, without the library's private marks."""
    text = re.sub(f"{REF_START}(.*?){REF_END}", lambda m: refs[m.group(1)], text)
    return text.replace(BOLD_START, "").replace(BOLD_END, "").replace(ENGLISH, "")


def _html(text: str, refs: dict[str, str]) -> str:
    """Escaped, defined terms and lead-ins in bold, line breaks kept."""
    marked = text.replace(BOLD_START, "\0").replace(BOLD_END, "\1")
    escaped = html.escape(_plain(marked, refs), quote=False)
    escaped = escaped.replace("\0", "<strong>").replace("\1", "</strong>")
    return escaped.replace("\n", "<br />")


def _item(text: str, refs: dict[str, str]) -> str:
    """A list entry: the item without the list's punctuation."""
    return re.sub(r"\s*[;.]$", "", _plain(text, refs).strip())
