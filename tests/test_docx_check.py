"""Tests proving that docx_check catches the faults it is meant to catch."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path

import docx
import pytest
from docx_check import check_docx, leftover_template_tags, main, wml_schema
from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
NS = {"w": W}


def w(local: str) -> str:
    return f"{{{W}}}{local}"


def rewrite(src: Path, dst: Path, changes: dict[str, bytes | None]) -> Path:
    """Copy the zip ``src`` to ``dst``, replacing (bytes), deleting (None) or adding parts."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            if item.filename not in changes:
                zout.writestr(item, zin.read(item.filename))
        for name, data in changes.items():
            if data is not None:
                zout.writestr(name, data)
    return dst


def mutate(src: Path, dst: Path, part: str, edit: Callable[[etree._Element], None]) -> Path:
    """Copy ``src`` to ``dst`` with ``edit`` applied to the parsed XML of ``part``."""
    with zipfile.ZipFile(src) as z:
        root = etree.fromstring(z.read(part))
    edit(root)
    return rewrite(src, dst, {part: etree.tostring(root, xml_declaration=True, encoding="UTF-8")})


def structure(path: Path) -> list[str]:
    """Problems other than leftover template syntax."""
    return check_docx(path, template_tags=False)


def body(root: etree._Element) -> etree._Element:
    return root.find("w:body", NS)


def first_paragraph(root: etree._Element) -> etree._Element:
    return root.find(".//w:p", NS)


def first_run(root: etree._Element) -> etree._Element:
    return root.find(".//w:r", NS)


def add_bookmark(p: etree._Element, bid: str, name: str, end: bool = True) -> None:
    p.append(etree.Element(w("bookmarkStart"), {w("id"): bid, w("name"): name}))
    if end:
        p.append(etree.Element(w("bookmarkEnd"), {w("id"): bid}))


@pytest.fixture(scope="session")
def default_docx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """python-docx's default template, saved untouched."""
    path = tmp_path_factory.mktemp("default") / "default.docx"
    docx.Document().save(path)
    return path


@pytest.fixture(scope="session")
def good_docx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small valid document: title, heading, numbered list, table, header, bookmark.

    Two fixes to python-docx's default template are needed: a non-empty dc:title, and no
    w:proofState claiming spelling and grammar are clean.
    """
    d = docx.Document()
    d.core_properties.title = "Data processing agreement"
    proof = d.settings.element.find("w:proofState", NS)
    proof.getparent().remove(proof)
    d.add_heading("Data processing agreement", level=1)
    d.add_paragraph("Between {{ 7*7 }} Ltd and the processor.")
    d.add_paragraph("First obligation", style="List Number")
    d.add_paragraph("Second obligation", style="List Number")
    table = d.add_table(rows=1, cols=2, style="Table Grid")
    table.cell(0, 0).text = "Controller"
    d.sections[0].header.paragraphs[0].text = "Confidential"
    add_bookmark(d.paragraphs[0]._p, "0", "title")
    path = tmp_path_factory.mktemp("good") / "good.docx"
    d.save(path)
    return path


@pytest.fixture
def bad(tmp_path: Path) -> Path:
    return tmp_path / "bad.docx"


def only(problems: list[str], *needles: str) -> str:
    """The single problem containing all ``needles``; fail if there is not exactly one."""
    hits = [p for p in problems if all(n in p for n in needles)]
    assert len(hits) == 1, problems
    return hits[0]


# --- baseline -----------------------------------------------------------------------------------


def test_schema_is_compiled_once() -> None:
    assert wml_schema() is wml_schema()


def test_good_document_passes(good_docx: Path) -> None:
    assert structure(good_docx) == []
    assert leftover_template_tags(good_docx, allowed=["{{ 7*7 }}"]) == []


def test_python_docx_default_template_findings(default_docx: Path) -> None:
    """The stock template has an empty title and claims proofing is clean; nothing else."""
    problems = check_docx(default_docx)
    assert len(problems) == 2, problems
    only(problems, "docProps/core.xml", "dc:title is empty")
    only(problems, "word/settings.xml", "w:proofState", "spelling and grammar clean")


# --- schema -------------------------------------------------------------------------------------


def test_misplaced_numpr_is_a_schema_error(good_docx: Path, bad: Path) -> None:
    def edit(root: etree._Element) -> None:
        ppr = root.find(".//w:p/w:pPr", NS)
        etree.SubElement(ppr, w("jc"), {w("val"): "both"})
        numpr = etree.SubElement(ppr, w("numPr"))  # must come before w:jc
        etree.SubElement(numpr, w("numId"), {w("val"): "1"})

    problem = only(check_docx(mutate(good_docx, bad, "word/document.xml", edit)), "numPr")
    assert problem.startswith("word/document.xml:2: schema: Element 'w:numPr'")
    assert "not expected" in problem
    assert "(at /w:document/w:body/w:p[1]/w:pPr/w:numPr)" in problem


def test_misplaced_numpr_in_style_is_a_schema_error(good_docx: Path, bad: Path) -> None:
    def edit(root: etree._Element) -> None:
        style = root.find("w:style[@w:styleId='ListNumber']", NS)
        numpr = style.find("w:pPr/w:numPr", NS)
        style.append(numpr)  # directly under w:style instead of w:pPr

    problem = only(check_docx(mutate(good_docx, bad, "word/styles.xml", edit)), "schema")
    assert problem.startswith("word/styles.xml:")
    assert "w:numPr" in problem


def test_unknown_element_is_a_schema_error(good_docx: Path, bad: Path) -> None:
    # libxml2 takes about a second to word an error in w:body's large content model.
    def edit(root: etree._Element) -> None:
        body(root).insert(0, etree.Element(w("frobnicate")))

    problem = only(check_docx(mutate(good_docx, bad, "word/document.xml", edit)), "frobnicate")
    assert problem.startswith("word/document.xml:2: schema: Element 'w:frobnicate'")


def test_misplaced_update_fields_in_settings(good_docx: Path, bad: Path) -> None:
    def edit(root: etree._Element) -> None:
        root.append(etree.Element(w("updateFields"), {w("val"): "true"}))

    only(check_docx(mutate(good_docx, bad, "word/settings.xml", edit)), "w:updateFields")


def test_plain_text_in_paragraph_is_a_schema_error(good_docx: Path, bad: Path) -> None:
    """What docxtpl's {{r x}} produces when given a plain string."""

    def edit(root: etree._Element) -> None:
        first_paragraph(root).text = "raw text"

    only(check_docx(mutate(good_docx, bad, "word/document.xml", edit)), "Character content")


def test_zoom_without_percent_is_tolerated(good_docx: Path) -> None:
    with zipfile.ZipFile(good_docx) as z:
        settings = z.read("word/settings.xml")
    assert b"<w:zoom " in settings
    assert b"w:percent" not in settings
    assert structure(good_docx) == []


# --- markup compatibility -----------------------------------------------------------------------


def test_ignorable_content_is_stripped(good_docx: Path, bad: Path) -> None:
    def edit(root: etree._Element) -> None:
        p = first_paragraph(root)
        p.set(f"{{{W14}}}paraId", "1A2B3C4D")
        p.append(etree.Element(f"{{{W14}}}unknownThing"))

    assert structure(mutate(good_docx, bad, "word/document.xml", edit)) == []


def test_non_ignorable_unknown_namespace_is_reported(good_docx: Path, bad: Path) -> None:
    def edit(root: etree._Element) -> None:
        first_run(root).append(etree.Element("{urn:example:not-ignorable}thing"))

    only(check_docx(mutate(good_docx, bad, "word/document.xml", edit)), "schema", "thing")


def alternate_content(fallback_tag: str | None) -> etree._Element:
    """Run content: a w14 choice, and a fallback element (if any) holding text."""
    ac = etree.Element(f"{{{MC}}}AlternateContent", nsmap={"mc": MC, "w14": W14})
    choice = etree.SubElement(ac, f"{{{MC}}}Choice", Requires="w14")
    etree.SubElement(choice, f"{{{W14}}}fancyText")
    if fallback_tag is not None:
        fallback = etree.SubElement(ac, f"{{{MC}}}Fallback")
        etree.SubElement(fallback, fallback_tag).text = "plain"
    return ac


@pytest.mark.parametrize("fallback", [w("t"), None])
def test_alternate_content_resolves_to_fallback(
    good_docx: Path, bad: Path, fallback: str | None
) -> None:
    def edit(root: etree._Element) -> None:
        first_run(root).append(alternate_content(fallback))

    assert structure(mutate(good_docx, bad, "word/document.xml", edit)) == []


def test_invalid_fallback_is_reported(good_docx: Path, bad: Path) -> None:
    def edit(root: etree._Element) -> None:
        first_run(root).append(alternate_content(w("bogusText")))

    only(check_docx(mutate(good_docx, bad, "word/document.xml", edit)), "schema", "bogusText")


# --- cross references ---------------------------------------------------------------------------


def test_missing_paragraph_style(good_docx: Path, bad: Path) -> None:
    def edit(root: etree._Element) -> None:
        root.find(".//w:pStyle", NS).set(w("val"), "NoSuchStyle")

    problem = only(check_docx(mutate(good_docx, bad, "word/document.xml", edit)), "NoSuchStyle")
    assert "w:pStyle 'NoSuchStyle' is not a defined style" in problem


def test_style_of_wrong_type(good_docx: Path, bad: Path) -> None:
    def edit(root: etree._Element) -> None:
        root.find(".//w:pStyle", NS).set(w("val"), "DefaultParagraphFont")

    problem = only(check_docx(mutate(good_docx, bad, "word/document.xml", edit)), "w:pStyle")
    assert "names a character style" in problem


def test_missing_based_on_style(good_docx: Path, bad: Path) -> None:
    def edit(root: etree._Element) -> None:
        root.find(".//w:style/w:basedOn", NS).set(w("val"), "Ghost")

    only(check_docx(mutate(good_docx, bad, "word/styles.xml", edit)), "w:basedOn 'Ghost'")


def test_missing_num_id(good_docx: Path, bad: Path) -> None:
    def edit(root: etree._Element) -> None:
        p = root.findall(".//w:p", NS)[2]
        ppr = p.find("w:pPr", NS)
        numpr = etree.SubElement(ppr, w("numPr"))
        etree.SubElement(numpr, w("ilvl"), {w("val"): "0"})
        etree.SubElement(numpr, w("numId"), {w("val"): "999"})

    problem = only(check_docx(mutate(good_docx, bad, "word/document.xml", edit)), "999")
    assert "w:numId 999 is not in word/numbering.xml" in problem


def test_num_id_zero_is_allowed(good_docx: Path, bad: Path) -> None:
    def edit(root: etree._Element) -> None:
        ppr = root.findall(".//w:p", NS)[2].find("w:pPr", NS)
        numpr = etree.SubElement(ppr, w("numPr"))
        etree.SubElement(numpr, w("ilvl"), {w("val"): "0"})
        etree.SubElement(numpr, w("numId"), {w("val"): "0"})

    assert structure(mutate(good_docx, bad, "word/document.xml", edit)) == []


def test_num_with_missing_abstract_num(good_docx: Path, bad: Path) -> None:
    def edit(root: etree._Element) -> None:
        root.find("w:num/w:abstractNumId", NS).set(w("val"), "4242")

    problem = only(check_docx(mutate(good_docx, bad, "word/numbering.xml", edit)), "4242")
    assert "abstractNumId 4242, which is not defined" in problem


def test_duplicate_bookmark_id(good_docx: Path, bad: Path) -> None:
    def edit(root: etree._Element) -> None:
        add_bookmark(root.findall(".//w:p", NS)[1], "0", "other")

    problem = only(check_docx(mutate(good_docx, bad, "word/document.xml", edit)), "bookmark id")
    assert "duplicate bookmark id 0 ('other', first used by 'title')" in problem


def test_bookmark_without_end(good_docx: Path, bad: Path) -> None:
    def edit(root: etree._Element) -> None:
        add_bookmark(root.findall(".//w:p", NS)[1], "7", "dangling", end=False)

    only(check_docx(mutate(good_docx, bad, "word/document.xml", edit)), "bookmark 7", "no w:book")


# --- package ------------------------------------------------------------------------------------


def test_missing_relationship_target(good_docx: Path, bad: Path) -> None:
    problems = check_docx(rewrite(good_docx, bad, {"docProps/thumbnail.jpeg": None}))
    problem = only(problems, "_rels/.rels")
    assert "targets missing part /docProps/thumbnail.jpeg" in problem


def test_missing_header_part(good_docx: Path, bad: Path) -> None:
    with zipfile.ZipFile(good_docx) as z:
        header = next(n for n in z.namelist() if n.startswith("word/header"))
    problems = check_docx(rewrite(good_docx, bad, {header: None}))
    only(problems, "word/_rels/document.xml.rels", f"targets missing part /{header}")


def test_relationship_id_not_in_rels(good_docx: Path, bad: Path) -> None:
    def edit(root: etree._Element) -> None:
        ref = root.find(".//w:headerReference", NS)
        ref.set(f"{{{R}}}id", "rId999")

    only(check_docx(mutate(good_docx, bad, "word/document.xml", edit)), "'rId999'")


def test_part_without_content_type(good_docx: Path, bad: Path) -> None:
    problems = check_docx(rewrite(good_docx, bad, {"word/media/blob.bin": b"\0"}))
    only(problems, "no content type for part /word/media/blob.bin")


def test_wrong_content_type_for_header(good_docx: Path, bad: Path) -> None:
    def edit(root: etree._Element) -> None:
        for o in root:
            if o.get("PartName", "").startswith("/word/header"):
                root.remove(o)  # falls back to Default xml -> application/xml

    problems = check_docx(mutate(good_docx, bad, "[Content_Types].xml", edit))
    only(problems, "/word/header", "'application/xml'", "header type")


def test_core_properties_wrong_namespace(good_docx: Path, bad: Path) -> None:
    with zipfile.ZipFile(good_docx) as z:
        core = z.read("docProps/core.xml")
    wrong = core.replace(
        b"http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
        b"http://schemas.openxmlformats.org/officedocument/2006/core-properties",
    )
    problems = check_docx(rewrite(good_docx, bad, {"docProps/core.xml": wrong}))
    problem = only(problems, "docProps/core.xml", "root is")
    assert "expected {http://schemas.openxmlformats.org/package/2006/metadata/" in problem


def test_core_properties_duplicates_and_missing_title(good_docx: Path, bad: Path) -> None:
    def edit(root: etree._Element) -> None:
        title = root.find("{http://purl.org/dc/elements/1.1/}title")
        root.remove(title)
        creator = root.find("{http://purl.org/dc/elements/1.1/}creator")
        root.append(etree.fromstring(etree.tostring(creator)))

    problems = check_docx(mutate(good_docx, bad, "docProps/core.xml", edit))
    only(problems, "creator appears 2 times")
    only(problems, "dc:title is missing")


def test_not_a_zip(bad: Path) -> None:
    bad.write_bytes(b"not a zip")
    only(check_docx(bad), "cannot open as a zip package")


# --- settings and template syntax ---------------------------------------------------------------


def test_proof_state_clean_is_reported(good_docx: Path, bad: Path) -> None:
    def edit(root: etree._Element) -> None:
        root.insert(1, etree.Element(w("proofState"), {w("grammar"): "clean"}))

    problem = only(check_docx(mutate(good_docx, bad, "word/settings.xml", edit)), "proofState")
    assert "claims grammar clean" in problem


def split_runs(p: etree._Element, *texts: str) -> None:
    for text in texts:
        r = etree.SubElement(p, w("r"))
        etree.SubElement(r, w("t")).text = text


def test_leftover_tag_split_across_runs(good_docx: Path, bad: Path) -> None:
    def edit(root: etree._Element) -> None:
        split_runs(root.findall(".//w:p", NS)[2], "Party: {", "{ x }", "}")

    path = mutate(good_docx, bad, "word/document.xml", edit)
    problem = only(structure(path) + leftover_template_tags(path), "x }")
    assert problem.startswith("word/document.xml: paragraph 3: leftover template syntax {{ }}")
    assert structure(path) == []


def test_leftover_tag_in_header(good_docx: Path, bad: Path) -> None:
    with zipfile.ZipFile(good_docx) as z:
        header = next(n for n in z.namelist() if n.startswith("word/header"))

    def edit(root: etree._Element) -> None:
        split_runs(root.find("w:p", NS), "{%p if x %}")

    problems = check_docx(mutate(good_docx, bad, header, edit))
    assert "{% %}" in only(problems, header, "leftover")


def test_user_text_with_braces_is_allowed(good_docx: Path) -> None:
    only(check_docx(good_docx), "{{ 7*7 }}")
    assert leftover_template_tags(good_docx, allowed=["{{ 7*7 }}"]) == []
    assert leftover_template_tags(good_docx, allowed=["7*7"]) != []


def test_allowed_text_does_not_hide_other_tags(good_docx: Path, bad: Path) -> None:
    def edit(root: etree._Element) -> None:
        split_runs(root.findall(".//w:p", NS)[1], " and {{ other }}")

    path = mutate(good_docx, bad, "word/document.xml", edit)
    only(leftover_template_tags(path, allowed=["{{ 7*7 }}"]), "{{ other }}")


# --- command line -------------------------------------------------------------------------------


def test_main_exit_status(
    good_docx: Path, default_docx: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([str(good_docx), "--allow", "{{ 7*7 }}"]) == 0
    assert capsys.readouterr().out == ""
    assert main([str(default_docx)]) == 1
    out = capsys.readouterr().out
    assert out.count("\n") == 2
    assert f"{default_docx}: docProps/core.xml: dc:title is empty" in out
