"""What a review writes: the vendor's document with a Word comment at each weak passage and
one at the start listing what is missing, and a one-page report (a table of the elements,
then an annex with Clausier's wording for what is missing or weak)."""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..answers.model import Language
from ..library.review import LoadedReview, Status
from .match import Result
from .read import Passage, VendorDocument

AUTHOR, INITIALS = "Clausier", "CL"
REPORT_FONT_PT = 7
ANNEX_FONT_PT = 9


@dataclass(frozen=True)
class Proposal:
    """Clausier's own clause offered for an element: its title and paragraphs (level, text)."""

    title: str
    paragraphs: tuple[tuple[int, str], ...]


class Words:
    """The review's words (clauses/review/elements.yaml) in one language."""

    def __init__(self, review: LoadedReview, language: Language):
        self.review, self.language = review, language

    def __call__(self, key: str, **values: object) -> str:
        return self.review.spec.words[key].in_(self.language).format(**values)


def quoted(text: str, language: Language) -> str:
    """« Text » in French (no-break spaces inside), "text" in English."""
    return f"«\u00a0{text}\u00a0»" if language is Language.FR else f"\u201c{text}\u201d"


def articles(result: Result, language: Language) -> str:
    """The element's articles as a lawyer cites them in `language`."""
    from ..library.messages import cite

    return ", ".join(cite(article, language) for article in result.element.articles)


def where(passage: Passage, say: Words) -> str:
    """Where a passage is: its heading, then its page, table and paragraph number."""
    parts = [" ".join(passage.heading.split())[:70]] if passage.heading else []
    if passage.page:
        parts.append(f"{say('page')} {passage.page}")
    if passage.cell:
        parts.append(f"{say('table')} {passage.cell[0]}")
    parts.append(f"{say('paragraph')} {passage.number}")
    return ", ".join(parts)


def weakness(result: Result, say: Words, max_hours: int) -> str:
    """Why an element is weak and what to ask for; the vendor's delay against the threshold
    for a delay rule."""
    weak = result.element.weak
    ask = weak.ask.in_(say.language) if weak else ""
    if weak and weak.delay:
        hours = result.judgement.hours
        stated = "—" if hours is None else f"{hours} h"
        ask += f" ({say('threshold', hours=stated, max=max_hours)})"
    return ask


def annotated(
    document: VendorDocument, results: Sequence[Result], say: Words, max_hours: int
) -> bytes:
    """The vendor's .docx with a comment at each weak passage and, on its first paragraph,
    the list of what is missing."""
    docx = document.docx
    _comment_styles(docx)
    for result in results:
        if result.status is Status.WEAK and result.passage is not None:
            runs = _runs(document.paragraphs[result.passage.number - 1])
            if runs:
                label = result.element.label.in_(say.language)
                text = f"{label} ({say('weak')}): {weakness(result, say, max_hours)}"
                docx.add_comment(runs, text=text, author=AUTHOR, initials=INITIALS)
    missing = [r for r in results if r.status is Status.MISSING]
    first = next((runs for p in document.paragraphs if (runs := _runs(p))), None)
    if missing and first:
        comment = docx.add_comment(
            first, text=say("missing_comment"), author=AUTHOR, initials=INITIALS
        )
        for result in missing:
            label = result.element.label.in_(say.language)
            comment.add_paragraph(f"– {label} ({articles(result, say.language)})")
    return _saved(docx)


# The styles python-docx's comments name (Word's built-in ids and names), which a vendor's
# document made without comments lacks.
_COMMENT_STYLES = {"CommentText": "annotation text", "CommentReference": "annotation reference"}


def _comment_styles(docx: Any) -> None:
    """Define the comment styles a document lacks, so that every style its comments name
    exists (the text's a paragraph style, the reference mark's a character style)."""
    from docx.enum.style import WD_STYLE_TYPE

    ids = {style.style_id for style in docx.styles}
    for style_id, name in _COMMENT_STYLES.items():
        if style_id not in ids:
            kind = WD_STYLE_TYPE.PARAGRAPH if style_id == "CommentText" else WD_STYLE_TYPE.CHARACTER
            docx.styles.add_style(name, kind).element.styleId = style_id


def _runs(paragraphs: Sequence[Any]) -> list[Any]:
    """The runs of the first paragraph of a passage that has any."""
    return next((p.runs for p in paragraphs if p.runs), [])


def report(
    name: str,
    results: Sequence[Result],
    say: Words,
    proposals: dict[str, Proposal],
    example: str,
    max_hours: int,
) -> bytes:
    """The report: title, summary, the table of elements (one page), the footnote, then an
    annex with the proposed wording of each clause offered for a missing or weak element."""
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_BREAK
    from docx.shared import Cm, Pt

    document = docx.Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(1.2))
    normal = document.styles["Normal"]
    normal.font.size = Pt(REPORT_FONT_PT)
    normal.paragraph_format.space_after = Pt(0)
    document.core_properties.author = AUTHOR
    document.core_properties.title = say("title")

    heading = document.add_paragraph()
    heading.add_run(f"{say('title')} – {name}").bold = True
    counts = {s: sum(r.status is s for r in results) for s in Status}
    document.add_paragraph(
        say("summary", found=counts[Status.FOUND], weak=counts[Status.WEAK],
            missing=counts[Status.MISSING])
    )  # fmt: skip

    offered = [r.element.proposed for r in results if r.status is not Status.FOUND]
    annex_numbers = {cid: i for i, cid in enumerate(dict.fromkeys(offered), start=1)}
    table = document.add_table(rows=1, cols=3)
    table.style = "Table Grid"
    table.autofit = False
    widths = (Cm(6.3), Cm(1.8), Cm(19.2))
    for column, width in zip(table.columns, widths):
        column.width = width
    for cell, key, width in zip(table.rows[0].cells, ("element", "status", "passage"), widths):
        cell.width = width
        cell.paragraphs[0].add_run(say(key)).bold = True
    for result in results:
        cells = table.add_row().cells
        for cell, width in zip(cells, widths):
            cell.width = width
        label = result.element.label.in_(say.language)
        cells[0].paragraphs[0].add_run(label)
        cells[0].paragraphs[0].add_run(f" ({articles(result, say.language)})").italic = True
        cells[1].paragraphs[0].add_run(say(result.status.value)).bold = (
            result.status is not Status.FOUND
        )
        text = cells[2].paragraphs[0]
        if result.passage is not None:
            text.add_run(quoted(result.quote, say.language) + " ")
            text.add_run(f"({where(result.passage, say)})").italic = True
        if result.status is Status.WEAK:
            text.add_run(f" – {weakness(result, say, max_hours)}")
        if result.status is not Status.FOUND:
            proposal = proposals[result.element.proposed]
            number = annex_numbers[result.element.proposed]
            text.add_run(f" → {say('proposed')} A.{number} {quoted(proposal.title, say.language)}")
    note = document.add_paragraph()
    note.paragraph_format.space_before = Pt(3)
    note.add_run(say("footnote", hours=max_hours, example=example)).italic = True

    if annex_numbers:
        note.add_run().add_break(WD_BREAK.PAGE)
        title = document.add_paragraph()
        title.add_run(say("annex")).bold = True
        for cid, number in annex_numbers.items():
            proposal = proposals[cid]
            head = document.add_paragraph()
            head.paragraph_format.space_before = Pt(6)
            head.add_run(f"A.{number} {proposal.title}").bold = True
            for level, paragraph in proposal.paragraphs:
                line = document.add_paragraph(("– " if level == 2 else "") + paragraph)
                line.paragraph_format.space_after = Pt(2)
                for run in line.runs:
                    run.font.size = Pt(ANNEX_FONT_PT)
    return _saved(document)


def _saved(document: Any) -> bytes:
    """The document's bytes, without the "spelling and grammar checked" claim python-docx's
    template makes (Word would not check the new text)."""
    from docx.oxml.ns import qn

    settings = document.settings.element
    for proof in settings.findall(qn("w:proofState")):
        settings.remove(proof)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def plain(text: str, titles: dict[str, str], language: Language) -> str:
    """Planned clause text as plain prose: bold marks dropped, a cross-reference as the title
    of the clause or annex it names (the report has no clause numbers)."""
    from ..library.wording import BOLD_END, BOLD_START, REF_END, REF_START

    text = text.replace(BOLD_START, "").replace(BOLD_END, "")

    def title(match: re.Match[str]) -> str:
        return quoted(titles.get(match.group(1), match.group(1)), language)

    return re.sub(re.escape(REF_START) + r"(.*?)" + re.escape(REF_END), title, text)
