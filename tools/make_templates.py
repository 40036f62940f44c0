"""Build templates/KIND.docx, the Word template of each document kind, from its _document.yaml.

Run `.venv/bin/python tools/make_templates.py` after adding an annex or changing the layout here.
Lawyers may instead restyle a template in Word directly (styles, fonts, spacing); keep the Jinja
tags as they are.

How it is made (docs/design.md, "Putting clauses into Word"): numbering is attached to styles,
not paragraphs — one multi-level list whose level 0 is Heading 1 ("1."), level 1 the "Clause"
style ("1.1") and level 2 "Clause Sub" ("(a)") — so paragraph loops number themselves and a
lawyer can insert a clause in Word and the numbers follow.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Mm, Pt, RGBColor

from generator.library.load import Annex, load_document

CLAUSE_NUMBERING = 90  # abstractNum and num id of the clause list

ROOT = Path(__file__).resolve().parent.parent


def _numbering_xml() -> str:
    def level(
        ilvl: int, fmt: str, text: str, style: str, left: int, hanging: int, suff: str
    ) -> str:
        return (
            f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
            f'<w:pStyle w:val="{style}"/><w:suff w:val="{suff}"/><w:lvlText w:val="{text}"/>'
            f'<w:lvlJc w:val="left"/><w:pPr><w:ind w:left="{left}" w:hanging="{hanging}"/>'
            f"</w:pPr></w:lvl>"
        )

    return (
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{CLAUSE_NUMBERING}">'
        '<w:multiLevelType w:val="multilevel"/>'
        + level(0, "decimal", "%1.", "Heading1", 0, 0, "space")
        + level(1, "decimal", "%1.%2", "Clause", 709, 709, "tab")
        + level(2, "lowerLetter", "(%3)", "ClauseSub", 1276, 567, "tab")
        + "</w:abstractNum>"
    )


def _number_style(style, ilvl: int) -> None:
    num_pr = style.element.get_or_add_pPr().get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = ilvl
    num_pr.get_or_add_numId().val = CLAUSE_NUMBERING


def _paragraph_style(doc, name: str, base: str = "Normal"):
    styles = doc.styles
    style = (
        styles[name]
        if name in [s.name for s in styles]
        else styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    )
    style.base_style = styles[base]
    style.quick_style = True
    return style


def _styles(doc) -> None:
    styles = doc.styles
    normal = styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(10.5)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.1

    body = _paragraph_style(doc, "Body Text")
    body.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY

    title = styles["Title"]
    title.font.size = Pt(18)
    title.font.bold = True
    title.font.color.rgb = RGBColor(0x1F, 0x2A, 0x44)
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.space_after = Pt(6)
    # python-docx's Title has a bottom border and theme fonts; keep it plain and in our font.
    p_pr = title.element.get_or_add_pPr()
    for border in p_pr.findall(qn("w:pBdr")):
        p_pr.remove(border)
    title.font.name = "Calibri"

    subtitle = styles["Subtitle"]
    subtitle.font.name = "Calibri"
    subtitle.font.size = Pt(11)
    subtitle.font.italic = True
    subtitle.font.color.rgb = RGBColor(0x44, 0x44, 0x44)
    subtitle.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    subtitle.paragraph_format.space_after = Pt(24)

    block = _paragraph_style(doc, "Title Block")
    block.font.size = Pt(10)
    block.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    block.paragraph_format.space_after = Pt(4)

    lead = _paragraph_style(doc, "Lead-in", "Body Text")
    lead.font.bold = True
    lead.paragraph_format.space_before = Pt(12)
    lead.paragraph_format.keep_with_next = True

    centred = _paragraph_style(doc, "Parties Link", "Body Text")
    centred.font.bold = True
    centred.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER

    closing = _paragraph_style(doc, "Closing", "Body Text")
    closing.paragraph_format.space_before = Pt(18)
    closing.paragraph_format.keep_with_next = True

    designation = _paragraph_style(doc, "Designation", "Body Text")
    designation.paragraph_format.left_indent = Cm(1.25)

    h1 = styles["Heading 1"]
    h1.font.name = "Calibri"
    h1.font.size = Pt(11)
    h1.font.bold = True
    h1.font.color.rgb = RGBColor(0x1F, 0x2A, 0x44)
    h1.paragraph_format.space_before = Pt(14)
    h1.paragraph_format.space_after = Pt(6)
    h1.paragraph_format.keep_with_next = True
    _number_style(h1, 0)

    clause = _paragraph_style(doc, "Clause", "Body Text")
    _number_style(clause, 1)
    sub = _paragraph_style(doc, "Clause Sub", "Body Text")
    _number_style(sub, 2)
    sub.paragraph_format.space_after = Pt(3)

    annex = _paragraph_style(doc, "Annex Title")
    annex.font.size = Pt(13)
    annex.font.bold = True
    annex.font.color.rgb = RGBColor(0x1F, 0x2A, 0x44)
    annex.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    annex.paragraph_format.page_break_before = True
    annex.paragraph_format.space_after = Pt(12)
    annex.paragraph_format.keep_with_next = True

    # The English column of the bilingual edition: same look, numbers written by Clausier
    # (Word numbers the French column), English spell-checking.
    for name, base in (
        ("Heading EN", "Heading 1"),
        ("Clause EN", "Clause"),
        ("Clause Sub EN", "Clause Sub"),
        ("Body Text EN", "Body Text"),
    ):
        mirror = _paragraph_style(doc, name, base)
        num_pr = mirror.element.get_or_add_pPr().get_or_add_numPr()
        num_pr.get_or_add_numId().val = 0  # no numbering of its own
        mirror.element.get_or_add_rPr().append(parse_xml(f'<w:lang {nsdecls("w")} w:val="en-GB"/>'))
        if name == "Heading EN":  # body-text level: the contents list the French headings only
            mirror.element.get_or_add_pPr().append(
                parse_xml(f'<w:outlineLvl {nsdecls("w")} w:val="9"/>')
            )

    contents = _paragraph_style(doc, "Contents Heading")  # not Heading 1: it must not number
    contents.font.bold = True
    contents.font.size = Pt(11)
    contents.paragraph_format.space_before = Pt(6)
    contents.paragraph_format.keep_with_next = True

    # Word's own name for the entries of the table of contents, which Clausier fills at render
    # time and Word refills on opening: a number's tab, then page numbers at the right margin
    # after dots (a custom tab stop clears Word's default ones to its left).
    toc = doc.styles.add_style("toc 1", WD_STYLE_TYPE.PARAGRAPH, builtin=True)
    toc.element.styleId = "TOC1"
    toc.base_style = styles["Normal"]
    toc.paragraph_format.space_after = Pt(2)
    stops = toc.paragraph_format.tab_stops
    stops.add_tab_stop(Cm(1), WD_TAB_ALIGNMENT.LEFT)
    stops.add_tab_stop(Cm(PAGE_WIDTH_CM), WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)

    annex_next = _paragraph_style(doc, "Annex Title Next", "Annex Title")
    annex_next.paragraph_format.page_break_before = False

    annex_sub = _paragraph_style(doc, "Annex Subheading", "Body Text")
    annex_sub.font.bold = True
    annex_sub.paragraph_format.space_before = Pt(8)
    annex_sub.paragraph_format.keep_with_next = True

    table_text = _paragraph_style(doc, "Table Text")
    table_text.font.size = Pt(9)
    table_text.paragraph_format.space_after = Pt(2)
    table_text.paragraph_format.line_spacing = 1.0

    table_head = _paragraph_style(doc, "Table Heading", "Table Text")
    table_head.font.bold = True
    # An English table cell of the bilingual edition holding a reference to a clause gets it
    # (render.english_paragraphs): a style LibreOffice does not know unravels the table.
    table_en = _paragraph_style(doc, "Table Text EN", "Table Text")
    table_en.element.get_or_add_rPr().append(parse_xml(f'<w:lang {nsdecls("w")} w:val="en-GB"/>'))

    # A signature block never splits across a page: its rows keep with the next one (the
    # renderer releases the last row) and none breaks inside (cantSplit, _signatures).
    for name, base in (("Signature Party", "Table Heading"), ("Signature Text", "Table Text")):
        _paragraph_style(doc, name, base).paragraph_format.keep_with_next = True

    status = _paragraph_style(doc, "Status")
    status.font.bold = True
    status.font.size = Pt(11)
    status.font.color.rgb = RGBColor(0xC0, 0x00, 0x00)
    status.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    status.paragraph_format.space_after = Pt(0)

    running = _paragraph_style(doc, "Running Head")
    running.font.size = Pt(8)
    running.font.color.rgb = RGBColor(0x59, 0x59, 0x59)
    running.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    running.paragraph_format.space_after = Pt(0)


def _numbering(doc) -> None:
    numbering = doc.part.numbering_part.element
    abstract = parse_xml(_numbering_xml())
    first_num = numbering.find(qn("w:num"))
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    numbering.append(
        parse_xml(
            f'<w:num {nsdecls("w")} w:numId="{CLAUSE_NUMBERING}">'
            f'<w:abstractNumId w:val="{CLAUSE_NUMBERING}"/></w:num>'
        )
    )


# Children of w:settings that the schema places after w:updateFields.
_AFTER_UPDATE_FIELDS = [
    "hdrShapeDefaults",
    "footnotePr",
    "endnotePr",
    "compat",
    "docVars",
    "rsids",
    "mathPr",
    "attachedSchema",
    "themeFontLang",
    "clrSchemeMapping",
    "doNotIncludeSubdocsInStats",
    "doNotAutoCompressPictures",
    "forceUpgrade",
    "captions",
    "readModeInkLockDown",
    "smartTagType",
    "schemaLibrary",
    "shapeDefaults",
    "doNotEmbedSmartTags",
    "decimalSymbol",
    "listSeparator",
]


def _settings(doc) -> None:
    """No stale "proofing done" flag; Word refreshes fields (the table of contents) on opening;
    a line ended by a line break (an address typed on two lines) is not stretched across the
    justified paragraph."""
    settings = doc.settings.element
    for proof in settings.findall(qn("w:proofState")):
        settings.remove(proof)
    compat = settings.find(qn("w:compat"))
    # First in w:compat's schema order of the options a template may carry.
    compat.insert(0, OxmlElement("w:doNotExpandShiftReturn"))
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    later = next(
        (child for child in settings if child.tag in {qn(f"w:{n}") for n in _AFTER_UPDATE_FIELDS}),
        None,
    )
    if later is None:
        settings.append(update)
    else:
        later.addprevious(update)


def _table_of_contents(doc) -> None:
    """A TOC field over the clause headings; Word or LibreOffice fills it in."""
    doc.add_paragraph("{{ contents_label }}", style="Contents Heading")
    paragraph = doc.add_paragraph(style="Body Text")
    for kind, text in (
        ("begin", None),
        (None, ' TOC \\o "1-1" \\h \\z \\u '),
        ("separate", None),
        (None, None),
        ("end", None),
    ):
        run = OxmlElement("w:r")
        if kind:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run.append(char)
        elif text:
            instruction = OxmlElement("w:instrText")
            instruction.set(qn("xml:space"), "preserve")
            instruction.text = text
            run.append(instruction)
        else:
            placeholder = OxmlElement("w:t")
            placeholder.text = " "
            run.append(placeholder)
        paragraph._p.append(run)


def _field(paragraph, instruction: str) -> None:
    simple = OxmlElement("w:fldSimple")
    simple.set(qn("w:instr"), instruction)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    simple.append(run)
    paragraph._p.append(simple)


def _header_footer(section) -> None:
    header = section.header
    head = header.paragraphs[0]
    head.style = "Running Head"
    head.text = "{{ title }}{% if reference %} – {{ reference_label }} {{ reference }}{% endif %}"
    header.add_paragraph("{{ status }}", style="Status")

    footer = section.footer.paragraphs[0]
    footer.style = "Running Head"
    footer.add_run("{{ page_label }} ")
    _field(footer, "PAGE")
    footer.add_run(" {{ of_label }} ")
    _field(footer, "NUMPAGES")


def _cell_text(cell, text: str, style: str = "Table Text") -> None:
    paragraph = cell.paragraphs[0]
    paragraph.style = style
    paragraph.text = text


def _shade(cell, fill: str = "E8ECF3") -> None:
    shading = parse_xml(f'<w:shd {nsdecls("w")} w:val="clear" w:color="auto" w:fill="{fill}"/>')
    cell._tc.get_or_add_tcPr().append(shading)


def _repeat_header(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:tblHeader"))


def _cant_split(row) -> None:
    """The row moves to the next page whole rather than break inside."""
    row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def _widths(table, centimetres: tuple[float, ...]) -> None:
    """Fixed column widths, in the grid (LibreOffice reads it) and in every cell (Word does)."""
    table.autofit = False
    for column, width in zip(table.columns, centimetres):
        column.width = Cm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, centimetres):
            cell.width = Cm(width)


def _key_value_table(doc, rows: str, bilingual: bool = False) -> None:
    """A label/value table; rows flagged `header` span the table, shaded. The bilingual
    edition's has a value column per language: a value the same in both (a name, an address)
    spans the two, so no cell ever holds both languages' text."""
    count = 3 if bilingual else 2
    table = doc.add_table(rows=9 if bilingual else 7, cols=count)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _widths(table, (4, 6, 6) if bilingual else (5, 11))
    tags = {
        0: f"{{%tr for r in {rows} %}}",
        1: "{%tr if r.header %}",
        3: "{%tr elif r.same %}" if bilingual else "{%tr else %}",
        5: "{%tr else %}" if bilingual else "{%tr endif %}",
    }
    tags.update({7: "{%tr endif %}", 8: "{%tr endfor %}"} if bilingual else {6: "{%tr endfor %}"})
    for index, tag in tags.items():
        _cell_text(table.rows[index].cells[0], tag)
    header = table.rows[2].cells[0].merge(table.rows[2].cells[count - 1])
    _cell_text(header, "{{ r.label }}", "Table Heading")
    _shade(header)
    _cell_text(table.rows[4].cells[0], "{{ r.label }}", "Table Heading")
    if not bilingual:
        _cell_text(table.rows[4].cells[1], "{{ r.value }}")
        return
    _cell_text(table.rows[4].cells[1].merge(table.rows[4].cells[2]), "{{ r.fr }}")
    _cell_text(table.rows[6].cells[0], "{{ r.label }}", "Table Heading")
    _cell_text(table.rows[6].cells[1], "{{ r.fr }}")
    _cell_text(table.rows[6].cells[2], "{{ r.en }}")


def _columns_table(doc, annex: str, widths: tuple[float, ...]) -> None:
    table = doc.add_table(rows=4, cols=len(widths))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _widths(table, widths)
    for i, cell in enumerate(table.rows[0].cells):
        _cell_text(cell, f"{{{{ {annex}.headers[{i}] }}}}", "Table Heading")
        _shade(cell)
    _repeat_header(table.rows[0])
    _cell_text(table.rows[1].cells[0], f"{{%tr for row in {annex}.table %}}")
    for i, cell in enumerate(table.rows[2].cells):
        _cell_text(cell, f"{{{{ row[{i}] }}}}")
    _cell_text(table.rows[3].cells[0], "{%tr endfor %}")


PAGE_WIDTH_CM = 16.0  # A4 less 25 mm margins
LANDSCAPE_WIDTH_CM = 24.7


def _orientation(doc, landscape: bool) -> None:
    """Start a new section (on a new page) in landscape or portrait A4."""
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    width, height = (Mm(297), Mm(210)) if landscape else (Mm(210), Mm(297))
    section.page_width, section.page_height = width, height


def _unless_empty(doc, name: str, table: Callable[[], None]) -> None:
    """The annex's `empty` text where its table would have no row, else the table."""
    add = doc.add_paragraph
    add(f"{{%p if {name}.empty %}}", style="Body Text")
    add(f"{{{{ {name}.empty }}}}", style="Body Text")
    add("{%p else %}", style="Body Text")
    table()
    add("{%p endif %}", style="Body Text")


def _annex(doc, key: str, annex: Annex, previous: Annex | None, bilingual: bool) -> None:
    """An annex on a new page (a landscape one for a wide table): title, paragraphs, then its
    table or its list of measures."""
    name = f"annexes.{key}"
    add = doc.add_paragraph
    turning = annex.landscape != (previous.landscape if previous else False)
    if turning:
        _orientation(doc, annex.landscape)
    # A new section already starts a new page: the title must not add another.
    add(f"{{{{ {name}.title }}}}", style="Annex Title Next" if turning else "Annex Title")
    add(f"{{%p for t in {name}.paragraphs %}}", style="Body Text")
    add("{{ t }}", style="Body Text")
    add("{%p endfor %}", style="Body Text")
    if annex.diagram:  # the renderer puts the picture in place of the mark
        figure = _paragraph_style(doc, "Figure")
        figure.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
        figure.paragraph_format.space_before = Pt(6)
        figure.paragraph_format.space_after = Pt(12)
        add(f"{{%p if {name}.diagram %}}", style="Body Text")
        add(f"{{{{ {name}.diagram }}}}", style="Figure")
        add("{%p endif %}", style="Body Text")
    if annex.rows and annex.empty:
        _unless_empty(doc, name, lambda: _key_value_table(doc, f"{name}.rows", bilingual))
    elif annex.rows:
        _key_value_table(doc, f"{name}.rows", bilingual)
    if annex.columns:
        count = len(annex.columns)
        page = LANDSCAPE_WIDTH_CM if annex.landscape else PAGE_WIDTH_CM
        widths = tuple(annex.widths) or (page / count,) * count
        _unless_empty(doc, name, lambda: _columns_table(doc, name, widths))
    if annex.measures:
        add("{%p for g in measure_groups %}", style="Body Text")
        add("{{ g.title }}", style="Annex Subheading")
        add("{%p for m in g.measures %}", style="Body Text")
        add("{{ m }}", style="List Bullet")
        add("{%p endfor %}", style="Body Text")
        add("{%p endfor %}", style="Body Text")


def _preamble(doc) -> None:
    add = doc.add_paragraph
    add("{{ contract.between }}", style="Lead-in")
    add("{%p for p in contract.parties %}", style="Body Text")
    add("{{ p.text }}", style="Body Text")
    add("{{ p.designation }}", style="Designation")
    add("{%p if not loop.last %}", style="Body Text")
    add("{{ contract.and }}", style="Parties Link")
    add("{%p endif %}", style="Body Text")
    add("{%p endfor %}", style="Body Text")
    add("{{ contract.together }}", style="Body Text")
    add("{{ contract.recitals_heading }}", style="Lead-in")
    add("{%p for r in contract.recitals %}", style="Body Text")
    add("{{ r }}", style="Body Text")
    add("{%p endfor %}", style="Body Text")
    add("{{ contract.agreed }}", style="Lead-in")


def _signatures(doc, bilingual: bool = False) -> None:
    """The closing lines ("Fait à …"), then one row per signatory. Every row keeps with the
    next (Signature styles) and none breaks inside, so the block moves to a new page whole.
    The bilingual edition's closing lines are this table's first rows, French and English
    side by side: a closing line in the body's table would not keep with another table."""
    add = doc.add_paragraph
    if not bilingual:
        add("{%p for t in contract.closing %}", style="Body Text")
        add("{{ t }}", style="Closing")
        add("{%p endfor %}", style="Body Text")
    closing = 3 if bilingual else 0
    table = doc.add_table(rows=closing + 3, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _widths(table, (8, 8))
    if bilingual:
        _cell_text(table.rows[0].cells[0], "{%tr for t in contract.closing %}")
        _cant_split(table.rows[1])
        _cell_text(table.rows[1].cells[0], "{{ t.fr }}", "Closing")
        _cell_text(table.rows[1].cells[1], "{{ t.en }}", "Closing")
        _cell_text(table.rows[2].cells[0], "{%tr endfor %}")
    _cell_text(table.rows[closing].cells[0], "{%tr for s in contract.signatories %}")
    _cant_split(table.rows[closing + 1])
    left, right = table.rows[closing + 1].cells
    _cell_text(left, "{{ s.for }}", "Signature Party")
    left.add_paragraph("{{ s.party }}", style="Signature Party")
    left.add_paragraph("{{ contract.signature.by }} {{ s.name }}", style="Signature Text")
    left.add_paragraph("{{ contract.signature.capacity }} {{ s.capacity }}", style="Signature Text")
    left.add_paragraph("{{ contract.signature.date }}", style="Signature Text")
    _cell_text(right, "{{ contract.signature.sign }}", "Signature Text")
    for _ in range(6):  # room for a signature and a stamp
        right.add_paragraph("", style="Signature Text")
    _cell_text(table.rows[closing + 2].cells[0], "{%tr endfor %}")


def _plain(doc) -> None:
    """A text for patients: its headings and paragraphs carry no numbers, its sub-items are
    bullets (the styles keep their names, so one set of template tags serves both)."""
    for name in ("Heading 1", "Clause"):
        p_pr = doc.styles[name].element.get_or_add_pPr()
        p_pr.remove(p_pr.get_or_add_numPr())
    sub = doc.styles["Clause Sub"]
    sub.element.get_or_add_pPr().remove(sub.element.get_or_add_pPr().get_or_add_numPr())
    sub.base_style = doc.styles["List Bullet"]
    doc.styles["Heading 1"].font.size = Pt(12)


def _one_page(doc) -> None:
    """A sheet to display: narrower margins, smaller type and spacing, so the side-by-side
    edition too holds on one A4 page."""
    section = doc.sections[0]
    section.left_margin = section.right_margin = Mm(15)
    section.top_margin, section.bottom_margin = Mm(15), Mm(15)
    for name, size, after in (("Normal", 9.5, 3), ("Body Text", 9.5, 3), ("Clause Sub", 9.5, 1)):
        style = doc.styles[name]
        style.font.size = Pt(size)
        style.paragraph_format.space_after = Pt(after)
    doc.styles["Heading 1"].paragraph_format.space_before = Pt(8)
    doc.styles["Heading 1"].paragraph_format.space_after = Pt(3)
    doc.styles["Subtitle"].paragraph_format.space_after = Pt(8)
    for table in doc.tables:  # the side-by-side columns take the width gained
        _widths(table, (9, 9))


def _clauses(doc) -> None:
    add = doc.add_paragraph
    add("{%p for c in clauses %}", style="Body Text")
    add("{{ c.title }}", style="Heading 1")
    add("{%p for p in c.paragraphs %}", style="Body Text")
    add("{%p if p.level == 2 %}", style="Body Text")
    add("{{ p.text }}", style="Clause Sub")
    add("{%p elif p.level == 0 %}", style="Body Text")
    add("{{ p.text }}", style="Body Text")
    add("{%p else %}", style="Body Text")
    add("{{ p.text }}", style="Clause")
    add("{%p endif %}", style="Body Text")
    add("{%p endfor %}", style="Body Text")
    add("{%p endfor %}", style="Body Text")


def _pair_table(doc, rows: list[tuple[str, str, str]]):
    """A borderless two-column table, French left and English right; each row is
    (Jinja row tag or "", French cell text, English cell text) with a style."""
    table = doc.add_table(rows=len(rows), cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _widths(table, (8, 8))
    for row, (style, fr, en) in zip(table.rows, rows):
        if style.startswith("{%tr"):
            _cell_text(row.cells[0], style)
            continue
        _cell_text(row.cells[0], fr, style)
        _cell_text(
            row.cells[1],
            en,
            style.replace("Heading 1", "Heading EN")
            if "Heading" in style
            else f"{style} EN"
            if style in ("Clause", "Clause Sub", "Body Text")
            else style,
        )
    return table


def _bilingual_body(doc, texts) -> None:
    rows: list[tuple[str, str, str]] = []
    number = "" if texts.plain else "{{ c.number }} "
    item = "" if texts.plain else "{{ p.number }} "
    if texts.contract:
        rows += [
            ("Lead-in", "{{ contract.between.fr }}", "{{ contract.between.en }}"),
            ("{%tr for p in contract.parties %}", "", ""),
            ("Body Text", "{{ p.text.fr }}", "{{ p.text.en }}"),
            ("Designation", "{{ p.designation.fr }}", "{{ p.designation.en }}"),
            ("{%tr if not loop.last %}", "", ""),
            ("Parties Link", "{{ contract.and.fr }}", "{{ contract.and.en }}"),
            ("{%tr endif %}", "", ""),
            ("{%tr endfor %}", "", ""),
            ("Body Text", "{{ contract.together.fr }}", "{{ contract.together.en }}"),
            ("Lead-in", "{{ contract.recitals_heading.fr }}", "{{ contract.recitals_heading.en }}"),
            ("{%tr for r in contract.recitals %}", "", ""),
            ("Body Text", "{{ r.fr }}", "{{ r.en }}"),
            ("{%tr endfor %}", "", ""),
            ("Lead-in", "{{ contract.agreed.fr }}", "{{ contract.agreed.en }}"),
        ]
    rows += [
        ("{%tr for t in intro %}", "", ""),
        ("Body Text", "{{ t.fr }}", "{{ t.en }}"),
        ("{%tr endfor %}", "", ""),
        ("{%tr for c in clauses %}", "", ""),
        ("Heading 1", "{{ c.title.fr }}", number + "{{ c.title.en }}"),
        ("{%tr for p in c.paragraphs %}", "", ""),
        ("{%tr if p.level == 2 %}", "", ""),
        ("Clause Sub", "{{ p.fr }}", item + "{{ p.en }}"),
        ("{%tr elif p.level == 0 %}", "", ""),
        ("Body Text", "{{ p.fr }}", "{{ p.en }}"),
        ("{%tr else %}", "", ""),
        ("Clause", "{{ p.fr }}", item + "{{ p.en }}"),
        ("{%tr endif %}", "", ""),
        ("{%tr endfor %}", "", ""),
        ("{%tr endfor %}", "", ""),
    ]
    _pair_table(doc, rows)


def build(kind: str, bilingual: bool = False) -> Document:
    """The template of one document kind, laid out from its _document.yaml: a contract gets a
    preamble and a signature block; every annex gets the table or list its spec describes."""
    texts = load_document(ROOT / "clauses" / kind).texts
    doc = Document()
    _styles(doc)
    _numbering(doc)
    _settings(doc)
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(25)
    section.top_margin, section.bottom_margin = Mm(25), Mm(22)
    _header_footer(section)
    for paragraph in doc.paragraphs:
        paragraph._p.getparent().remove(paragraph._p)

    add = doc.add_paragraph
    add("{{ title }}", style="Title")
    add("{{ subtitle }}", style="Subtitle")
    add("{{ parties_line }}", style="Title Block")
    add("{{ version }}", style="Title Block")
    if texts.plain:
        _plain(doc)
    elif texts.contents:
        _table_of_contents(doc)
    if bilingual:
        _bilingual_body(doc, texts)
    else:
        if texts.contract:
            _preamble(doc)
        add("{%p for t in intro %}", style="Body Text")
        add("{{ t }}", style="Body Text")
        add("{%p endfor %}", style="Body Text")
        _clauses(doc)
    if texts.one_page:
        _one_page(doc)
    if texts.contract:
        _signatures(doc, bilingual)
    previous = None
    for key, annex in texts.annexes.items():
        _annex(doc, key, annex, previous, bilingual)
        previous = annex
    # docxtpl renders the properties as templates too: no placeholder in them (the renderer
    # sets the document's own title).
    doc.core_properties.title = re.sub(r"\s*\{\{.*?\}\}", "", texts.title.en)
    doc.core_properties.author = "Clausier"
    _slim(doc)
    return doc


_STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"


def _slim(doc) -> None:
    """Drop what python-docx's default template carries and no document uses: a hundred
    table styles (340 KB of its 355 KB styles.xml; Word offers its built-in ones whatever the
    file holds) and Word 2010's stylesWithEffects copy of them (438 KB). Every build parsed the
    one and compressed both."""
    styles = doc.styles.element
    used = set(doc.element.body.xpath(".//w:tblStyle/@w:val"))
    for style_id in list(used):  # and the styles they are based on
        while based := styles.xpath(f'w:style[@w:styleId="{style_id}"]/w:basedOn/@w:val'):
            style_id = based[0]
            used.add(style_id)
    for style in styles.xpath('w:style[@w:type="table"]'):
        if style.get(qn("w:styleId")) not in used and style.get(qn("w:default")) != "1":
            styles.remove(style)
    for rel_id, rel in list(doc.part.rels.items()):
        if rel.reltype == _STYLES_WITH_EFFECTS:
            doc.part.drop_rel(rel_id)


def main() -> int:
    for folder in sorted((ROOT / "clauses").iterdir()):
        if (folder / "_document.yaml").exists():
            for bilingual, suffix in ((False, ""), (True, "-bilingual")):
                target = ROOT / "templates" / f"{folder.name}{suffix}.docx"
                build(folder.name, bilingual).save(target)
                print(f"wrote {target.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
