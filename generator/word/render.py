"""Rendering a document plan into a .docx.

The only module that touches Word. Text arrives finished from the plan; docxtpl escapes it once
(autoescape) so `&`, `<` and `{{` typed by a user come out exactly as typed. Writing the bytes
to disk is files.write_new's job.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from functools import cache
from io import BytesIO
from xml.sax.saxutils import escape

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docxtpl import DocxTemplate
from jinja2 import StrictUndefined, Template
from jinja2.sandbox import SandboxedEnvironment

from .. import __version__
from ..answers.model import Answers, Language
from ..errors import LibraryError
from ..library.diagram import PlannedDiagram
from ..library.plan import DocumentPlan
from ..library.wording import BOLD_END, BOLD_START, DIAGRAM, ENGLISH, REF_END, REF_START
from .provenance import embed, package_bytes, provenance_xml
from .templates import check_template, patched, template_bytes, template_name, templates_dir

_LANG_TAG = {Language.FR: "fr-FR", Language.EN: "en-GB"}
# Same answers and same version give the same file: no wall-clock time in the document. The
# date the answers give, when they give one; else this one.
_FIXED_TIME = dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc)


def warm_up() -> None:
    """Read every template once: a batch calls this before forking its workers."""
    for template in templates_dir().glob("*.docx"):
        template_bytes(template.stem)
    _jinja_env()
    from .diagram import warm_up as warm_up_diagrams

    warm_up_diagrams()


class _Template(DocxTemplate):
    """docxtpl cleans up each part's XML with some thirty regular expressions on every render;
    a template's XML never changes, so each process does it once per part."""

    def patch_xml(self, src_xml: str) -> str:
        return patched(src_xml)

    def resolve_listing(self, xml: str) -> str:
        """Tabs and line breaks are keep_breaks's job, on the tree: docxtpl's pass, regular
        expressions over every run of the rendered XML, took a sixth of the render."""
        return xml


class _CompileOnce(SandboxedEnvironment):
    """docxtpl compiles each part's XML into a Jinja template on every render; the same XML
    gives the same template, so each is compiled once per process."""

    def __init__(self) -> None:
        super().__init__(autoescape=True, undefined=StrictUndefined)
        self._compiled: dict[str, Template] = {}

    def from_string(self, source, globals=None, template_class=None):  # type: ignore[override]
        if globals is not None or template_class is not None or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        template = self._compiled.get(source)
        if template is None:
            template = self._compiled[source] = super().from_string(source)
        return template


@cache
def _jinja_env() -> SandboxedEnvironment:
    return _CompileOnce()


def render(plan: DocumentPlan, answers: Answers) -> bytes:
    """The .docx of a plan, as bytes, with its provenance; equal inputs give equal bytes."""
    context = plan.template_context
    # A stale or mistyped template is the library's fault, told in one line, not a crash.
    check_template(
        plan.kind.value, plan.bilingual, tuple(context["annexes"]), context["contract"] is not None
    )
    template = _Template(BytesIO(template_bytes(template_name(plan.kind.value, plan.bilingual))))
    template.render(context, _jinja_env())
    document = template.docx
    place_diagrams(document, plan.diagrams)
    _set_language(document, _LANG_TAG[plan.language])
    _set_heading_number(document, plan.heading_number, plan.heading_suffix)
    _set_properties(document, plan, document_time(answers))
    english_paragraphs(document.element.body)
    embolden(document.element.body)
    annexes = [f"annex.{key}" for key in context["annexes"]]
    cross_reference(
        document.element.body,
        plan.kind.value,
        [c.id for c in plan.clauses],
        annexes,
        plan.heading_number,
    )
    release_last_signature(document.element.body)
    fill_contents(
        document.element.body,
        plan.heading_number,
        plan.heading_suffix,
        _TOC_STYLE if document.styles.element.get_by_id(_TOC_STYLE) is not None else None,
    )
    for story in _stories(document):
        keep_breaks(story)
    edition = "bilingual" if plan.bilingual else plan.language.value
    clauses = [(c.id, c.digest) for c in plan.clauses]
    embed(document, provenance_xml(answers, clauses, plan.kind.value, edition))
    return package_bytes(document)


def place_diagrams(document, diagrams: dict[str, PlannedDiagram]) -> None:
    """Put each annex's diagram where the template marks its place (annexes.KEY.diagram): a
    picture in line with the text, its alternative text (title and description) saying the
    same in words."""
    if not diagrams:
        return
    from docx.shared import Cm

    from .diagram import picture

    for text in list(document.element.body.iter(qn("w:t"))):
        if not (text.text or "").startswith(DIAGRAM):
            continue
        diagram = diagrams[text.text[len(DIAGRAM) :]]
        drawn = picture(diagram)
        inline = document.part.new_pic_inline(BytesIO(drawn.png), Cm(drawn.width), Cm(drawn.height))
        properties = inline.find(qn("wp:docPr"))
        properties.set("title", diagram.name)
        properties.set("descr", diagram.alt)
        drawing = OxmlElement("w:drawing")
        drawing.append(inline)
        text.getparent().replace(text, drawing)


def _stories(document):
    """The XML roots that hold text: the body, the headers and the footers."""
    yield document.element.body
    for rel in document.part.rels.values():
        if rel.reltype in (RT.HEADER, RT.FOOTER):
            yield rel.target_part.element


def _set_language(document, tag: str) -> None:
    """Spell-checking follows w:lang in the default run properties, not core properties."""
    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = parse_xml(f"<w:docDefaults {nsdecls('w')}/>")
        styles.insert(0, defaults)
    r_pr_default = defaults.find(qn("w:rPrDefault"))
    if r_pr_default is None:
        r_pr_default = parse_xml(f"<w:rPrDefault {nsdecls('w')}/>")
        defaults.insert(0, r_pr_default)
    r_pr = r_pr_default.find(qn("w:rPr"))
    if r_pr is None:
        r_pr = parse_xml(f"<w:rPr {nsdecls('w')}/>")
        r_pr_default.append(r_pr)
    lang = r_pr.find(qn("w:lang"))
    if lang is None:
        lang = parse_xml(f"<w:lang {nsdecls('w')}/>")
        # Schema order: w:lang comes before these three, after every other run property.
        later = [r_pr.find(qn(f"w:{name}")) for name in ("eastAsianLayout", "specVanish", "oMath")]
        anchor = next((e for e in later if e is not None), None)
        if anchor is None:
            r_pr.append(lang)
        else:
            anchor.addprevious(lang)
    lang.set(qn("w:val"), tag)


def _set_heading_number(document, text: str, suffix: str) -> None:
    """French headings read « Article 1 – Objet » (a space, then the dash of the heading text),
    English ones "1<tab>Purpose"."""
    numbering = document.part.numbering_part.element
    for level in numbering.xpath(
        './w:abstractNum[w:lvl/w:pStyle[@w:val="Heading1"]]/w:lvl[@w:ilvl="0"]'
    ):
        level.find(qn("w:lvlText")).set(qn("w:val"), text)
        level.find(qn("w:suff")).set(qn("w:val"), suffix)


def document_time(answers: Answers) -> dt.datetime:
    """The date the answers give the document: its signature, else the start of the services,
    else the main agreement's; at noon UTC, so that it reads as the same day from Hawaii to
    New Zealand."""
    main = answers.processing.main_agreement
    date = answers.signature.date or (main and (main.services_start or main.date))
    if date is None:
        return _FIXED_TIME
    return dt.datetime(date.year, date.month, date.day, 12, tzinfo=dt.timezone.utc)


def _set_properties(document, plan: DocumentPlan, time: dt.datetime) -> None:
    props = document.core_properties
    props.title = plan.title
    props.subject = "RGPD / GDPR"
    props.author = "Clausier"
    props.last_modified_by = f"Clausier {__version__}"
    props.language = _LANG_TAG[plan.language]
    props.keywords = "RGPD, GDPR, article 28"
    props.comments = f"Clausier {__version__}"
    props.revision = 1
    props.created = props.modified = time
    # Never printed: no cp:lastPrinted (python-docx has no way to remove it).
    for printed in props._element.findall(qn("cp:lastPrinted")):
        props._element.remove(printed)


_SIGNATURE_STYLES = ("SignatureParty", "SignatureText")


def release_last_signature(body) -> None:
    """The template keeps every row of the signature block with the next one, so the block
    never splits across a page; the last row must not also pull the following annex title
    (which starts a page) along."""
    styles = " or ".join(f'@w:val="{name}"' for name in _SIGNATURE_STYLES)
    rows = body.xpath(f".//w:tr[.//w:pPr/w:pStyle[{styles}]]")
    if not rows:
        return
    for p_pr in rows[-1].xpath(f".//w:p/w:pPr[w:pStyle[{styles}]]"):
        keep = p_pr.find(qn("w:keepNext"))
        if keep is None:
            keep = OxmlElement("w:keepNext")
            p_pr.find(qn("w:pStyle")).addnext(keep)  # schema order: right after w:pStyle
        keep.set(qn("w:val"), "0")


_TOC_STYLE = "TOC1"  # Word's "toc 1"


def fill_contents(body, number_format: str, suffix: str, style: str | None) -> None:
    """Put the clause headings in the table of contents' field result, as Word lists them
    ("Article 1 – Objet", "1<tab>Purpose"), each a link to its heading, in `style` (Word's
    "toc 1", when the template has it): the contents read right in a viewer that does not
    update fields, or when the user declines to. Word (updateFields) and the PDF path refill
    the whole table, page numbers included. Run after cross_reference, whose bookmarks the
    entries link to, and before keep_breaks."""
    instruction = next(
        (i for i in body.iter(qn("w:instrText")) if (i.text or "").split()[:1] == ["TOC"]),
        None,
    )
    if instruction is None:
        return
    paragraph = next(instruction.iterancestors(qn("w:p")))
    runs = [r for r in paragraph if r.tag == qn("w:r")]
    kinds = [r.find(qn("w:fldChar")) for r in runs]
    kinds = [c.get(qn("w:fldCharType")) if c is not None else None for c in kinds]
    if kinds.count("begin") != 1 or kinds.count("separate") != 1 or kinds.count("end") != 1:
        return  # a field a lawyer reshaped in Word: Word fills it
    headings = body.xpath('.//w:p[w:pPr/w:pStyle/@w:val="Heading1"]')
    if not headings:
        return
    end = runs[kinds.index("end")]
    for run in runs[kinds.index("separate") + 1 : kinds.index("end")]:
        paragraph.remove(run)  # the placeholder result
    if style:
        _set_style(paragraph, style)
    # The first entry continues the field's paragraph, each other one is a paragraph of the
    # same style, and the last one ends the field.
    anchor = paragraph
    for number, heading in enumerate(headings, 1):
        text = _text(heading)
        entry = _contents_entry(
            number_format.replace("%1", str(number)), suffix, text, _bookmark_name(heading)
        )
        if number == 1:
            end.addprevious(entry)
            continue
        new = OxmlElement("w:p")
        p_pr = paragraph.find(qn("w:pPr"))
        if p_pr is not None:
            new.append(copy.deepcopy(p_pr))
        new.append(entry)
        anchor.addnext(new)
        anchor = new
    anchor.append(end)


def _set_style(paragraph, style_id: str) -> None:
    p_pr = paragraph.find(qn("w:pPr"))
    if p_pr is None:
        p_pr = OxmlElement("w:pPr")
        paragraph.insert(0, p_pr)
    style = p_pr.find(qn("w:pStyle"))
    if style is None:
        style = OxmlElement("w:pStyle")
        p_pr.insert(0, style)
    style.set(qn("w:val"), style_id)


def _text(paragraph) -> str:
    """A paragraph's text as printed: its runs' text, tabs as tabs."""
    return "".join(
        "\t" if child.tag == qn("w:tab") else child.text or ""
        for run in paragraph.iter(qn("w:r"))
        for child in run
        if child.tag in (qn("w:t"), qn("w:tab"))
    )


def _bookmark_name(heading) -> str | None:
    start = heading.find(qn("w:bookmarkStart"))
    return start.get(qn("w:name")) if start is not None else None


def _contents_entry(number: str, suffix: str, title: str, bookmark: str | None):
    """One entry: the heading's number and text, in a link to the heading. No page number: a
    blank one would print a line of dots leading nowhere; Word adds them when it refreshes."""
    w = nsdecls("w")
    if suffix == "tab":
        text = f'<w:t>{escape(number)}</w:t><w:tab/><w:t xml:space="preserve">{escape(title)}</w:t>'
    else:
        text = f'<w:t xml:space="preserve">{escape(f"{number} {title}")}</w:t>'
    run = parse_xml(f"<w:r {w}>{text}</w:r>")
    if not bookmark:
        return run
    link = parse_xml(f'<w:hyperlink {w} w:anchor="{bookmark}" w:history="1"/>')
    link.append(run)
    return link


def embolden(body) -> None:
    """Set in bold the defined terms the library marked (wording.BOLD_START ... BOLD_END):
    each marked run is split into plain and bold runs with the same formatting."""
    for text in body.iter(qn("w:t")):
        if BOLD_START not in (text.text or ""):
            continue
        run = text.getparent()
        bold = False
        for part in re.split(f"({BOLD_START}|{BOLD_END})", text.text):
            if part in (BOLD_START, BOLD_END):
                bold = part == BOLD_START
                continue
            if part:
                run.addprevious(_run_like(run, part, bold))
        run.getparent().remove(run)


_BREAK = re.compile(r"(\r\n|\r|\n|\t)")


def keep_breaks(root) -> None:
    """Tabs and line breaks typed in an answer (a pasted address) print as such: left raw in
    a w:t, Word would show each as a space. Run after the passes that split runs."""
    for text in list(root.iter(qn("w:t"))):
        if not _BREAK.search(text.text or ""):
            continue
        anchor = text
        for part in _BREAK.split(text.text):
            if part == "\t":
                new = OxmlElement("w:tab")
            elif part in ("\r\n", "\r", "\n"):
                new = OxmlElement("w:br")
            elif part:
                new = OxmlElement("w:t", {qn("xml:space"): "preserve"})
                new.text = part
            else:
                continue
            anchor.addnext(new)
            anchor = new
        text.getparent().remove(text)


def _run_like(run, text: str, bold: bool):
    new = copy.deepcopy(run)
    for child in list(new):
        if child.tag != qn("w:rPr"):
            new.remove(child)
    t = parse_xml(f'<w:t {nsdecls("w")} xml:space="preserve"/>')
    t.text = text
    new.append(t)
    if bold:
        r_pr = new.find(qn("w:rPr"))
        if r_pr is None:
            r_pr = parse_xml(f"<w:rPr {nsdecls('w')}/>")
            new.insert(0, r_pr)
        # Schema order: w:rStyle and w:rFonts come before w:b.
        anchor = next((c for c in r_pr if c.tag not in (qn("w:rStyle"), qn("w:rFonts"))), None)
        b = parse_xml(f"<w:b {nsdecls('w')}/>")
        if anchor is None:
            r_pr.append(b)
        else:
            anchor.addprevious(b)
    return new


def cross_reference(
    body, kind: str, clause_ids: list[str], annex_ids: list[str], number_format: str
) -> None:
    """Bookmark each clause heading and each annex's label ("Annexe III"), and turn each
    [[clause.id]] or [[annex.key]] mark into a REF field: the clause's number, the annex's
    label. References then follow when a lawyer inserts a clause or an annex in Word."""
    headings = body.xpath('.//w:p[w:pPr/w:pStyle/@w:val="Heading1"]')
    titles = body.xpath('.//w:p[w:pPr/w:pStyle[@w:val="AnnexTitle" or @w:val="AnnexTitleNext"]]')
    targets: dict[str, tuple[str, str, str]] = {}  # mark -> bookmark, REF switch, text shown
    english: dict[str, str] = {}  # mark -> its text in the English column of the bilingual
    for number, (clause_id, heading) in enumerate(zip(clause_ids, headings), 1):
        name = f"_Ref{number:08d}"
        targets[clause_id] = (name, "\\r ", number_format.replace("%1", str(number)))
        english[clause_id] = str(number)
        _bookmark(heading, name, number, list(heading.iter(qn("w:r"))))
    for index, (annex_id, title) in enumerate(zip(annex_ids, titles), 1):
        label = _label_run(title)
        if label is not None:
            name = f"_RefAnnex{index:03d}"
            targets[annex_id] = (name, "", label.findtext(qn("w:t")) or "")
            english[annex_id] = _english_label(title)
            _bookmark(title, name, 900 + index, [label])
    for text in list(body.iter(qn("w:t"))):
        if REF_START not in (text.text or ""):
            continue
        run = text.getparent()
        before = _text_before(run)
        for index, part in enumerate(re.split(f"{REF_START}(.*?){REF_END}", text.text)):
            if index % 2 == 0:
                before.append(part)
                if part.replace(ENGLISH, ""):
                    run.addprevious(_run_like(run, part.replace(ENGLISH, ""), bold=False))
                continue
            if part not in targets:
                raise LibraryError(
                    f"clauses/{kind}",
                    None,
                    None,
                    f"the text refers to [[{part}]], which this document does not hold "
                    "(that clause's condition left it out)",
                )
            if _in_english_column(run) or ENGLISH in "".join(before):
                # Word numbers the French column; a REF to it would print "Clause Article 4"
                # here, so the English column, numbered as text, refers as text.
                run.addprevious(_run_like(run, english[part], bold=False))
                continue
            for field_run in _ref_field(*targets[part]):
                run.addprevious(field_run)
        run.getparent().remove(run)
    for text in body.iter(qn("w:t")):  # the English marks have served
        if ENGLISH in (text.text or ""):
            text.text = text.text.replace(ENGLISH, "")


def _english_label(title) -> str:
    """An annex's label as the English column names it: in the bilingual edition's title
    "Annexe II – Description … / Annex II – Description …", the part before the English
    title's dash ("Annex II", "Table 2")."""
    text = "".join(t.text or "" for t in title.iter(qn("w:t")))
    return text.split(" / ", 1)[-1].split(" – ", 1)[0]


def english_paragraphs(body) -> None:
    """Give a paragraph marked as the English column's its English style (spell-checked in
    English, referring to clauses as the English column numbers them)."""
    for text in body.iter(qn("w:t")):
        if not (text.text or "").startswith(ENGLISH):
            continue
        text.text = text.text[1:]
        paragraph = text.getparent().getparent()
        style = paragraph.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
        if style is not None:
            style.set(qn("w:val"), style.get(qn("w:val")) + "EN")


def _text_before(run) -> list[str]:
    """The text of the paragraph before `run` (where an English part may have begun)."""
    texts = []
    for other in run.getparent().iter(qn("w:r")):
        if other is run:
            break
        texts += [t.text or "" for t in other.iter(qn("w:t"))]
    return texts


def _in_english_column(run) -> bool:
    """A run of the bilingual edition's English column (its paragraph styles end in "EN")."""
    style = run.getparent().find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
    return style is not None and style.get(qn("w:val"), "").endswith("EN")


def _bookmark(paragraph, name: str, number: int, runs: list) -> None:
    """Enclose `runs` of `paragraph` in a bookmark."""
    if not runs:
        return
    runs[0].addprevious(
        parse_xml(f'<w:bookmarkStart {nsdecls("w")} w:id="{number}" w:name="{name}"/>')
    )
    runs[-1].addnext(parse_xml(f'<w:bookmarkEnd {nsdecls("w")} w:id="{number}"/>'))


def _label_run(title):
    """Split an annex title's run at " – ": the first part ("Annexe III") becomes its own run."""
    run = title.find(qn("w:r"))
    if run is None or " – " not in (run.findtext(qn("w:t")) or ""):
        return run
    label, rest = run.findtext(qn("w:t")).split(" – ", 1)
    first = _run_like(run, label, bold=False)
    run.addprevious(first)
    run.addprevious(_run_like(run, " – " + rest, bold=False))
    run.getparent().remove(run)
    return first


def _ref_field(bookmark: str, switch: str, shown: str) -> list:
    """A REF field: with \r, the bookmarked heading's number ("Article 4", "4"); without, the
    bookmarked text ("Annexe III")."""
    w = nsdecls("w")
    return [
        parse_xml(f'<w:r {w}><w:fldChar w:fldCharType="begin"/></w:r>'),
        parse_xml(
            f'<w:r {w}><w:instrText xml:space="preserve"> REF {bookmark} {switch}\\h '
            "</w:instrText></w:r>"
        ),
        parse_xml(f'<w:r {w}><w:fldChar w:fldCharType="separate"/></w:r>'),
        parse_xml(f"<w:r {w}><w:t>{escape(shown)}</w:t></w:r>"),
        parse_xml(f'<w:r {w}><w:fldChar w:fldCharType="end"/></w:r>'),
    ]
