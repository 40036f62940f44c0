"""The Word finish of a built document, read back from the .docx: a signature block that never
splits across a page, a table of contents that lists the headings before Word refreshes it,
core properties dated by the answers, and files readable as the user's umask allows."""

from __future__ import annotations

import os
import stat
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from conftest import MINIMAL, ROOT, run_cli, write
from docx_check import check_docx
from lxml import etree

from generator.errors import OutputError
from generator.library.load import default_library
from generator.word.files import write_new

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W, "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"}
DCTERMS = "{http://purl.org/dc/terms/}"

# One contract of each kind, single-language and bilingual: (example, kind, edition).
CONTRACTS = [
    ("clinic-lab-results", "dpa", "fr"),
    ("clinic-lab-results", "dpa", "en"),
    ("clinic-lab-results", "dpa", "bilingual"),
    ("research-joint-reuse", "joint-controllers", "fr"),
    ("research-joint-reuse", "joint-controllers", "bilingual"),
]
FILE_PREFIX = {
    ("dpa", "fr"): "accord-sous-traitance-",
    ("dpa", "en"): "data-processing-agreement-",
    ("joint-controllers", "fr"): "accord-responsables-conjoints-",
    ("protocol-annex", "fr"): "annexe-rgpd-protocole-",
}


def _w(name: str) -> str:
    return f"{{{W}}}{name}"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], Path]:
    """The documents of two examples in French, English and bilingual, by (example, edition)
    folder."""
    out = tmp_path_factory.mktemp("finish")
    folders = {}
    for example in ("clinic-lab-results", "research-joint-reuse"):
        for edition in ("fr", "en", "bilingual"):
            folder = out / f"{example}-{edition}"
            code = run_cli(
                "build", ROOT / "examples" / f"{example}.yaml", "--out", folder, "--lang", edition
            )
            if edition == "en" and code != 0:  # an English-only deed may be refused
                continue
            assert code == 0, (example, edition)
            folders[example, edition] = folder
    return folders


def _document(folder: Path, kind: str, edition: str) -> Path:
    language = "fr" if edition == "bilingual" else edition
    prefix = FILE_PREFIX[kind, language]
    suffix = "-fr-en.docx" if edition == "bilingual" else f"-{language}.docx"
    [path] = [
        p for p in folder.glob("*.docx") if p.name.startswith(prefix) and p.name.endswith(suffix)
    ]
    assert check_docx(path) == []
    return path


def _parts(path: Path) -> tuple[etree._Element, etree._Element]:
    with zipfile.ZipFile(path) as package:
        return (
            etree.fromstring(package.read("word/document.xml")),
            etree.fromstring(package.read("word/styles.xml")),
        )


def _keeps_with_next(paragraph: etree._Element, styles: etree._Element) -> bool:
    """Whether a paragraph keeps with the next, directly or through its style's chain."""
    direct = paragraph.find("w:pPr/w:keepNext", NS)
    if direct is not None:
        return direct.get(_w("val"), "true") not in ("0", "false", "off")
    style_id = paragraph.xpath("string(w:pPr/w:pStyle/@w:val)", namespaces=NS) or None
    while style_id:
        [style] = styles.xpath(f'w:style[@w:styleId="{style_id}"]', namespaces=NS)
        keep = style.find("w:pPr/w:keepNext", NS)
        if keep is not None:
            return keep.get(_w("val"), "true") not in ("0", "false", "off")
        style_id = style.xpath("string(w:basedOn/@w:val)", namespaces=NS) or None
    return False


def _signature_table(body: etree._Element, parties: list[str]) -> etree._Element:
    """The table with a row naming a party beside "Signature"."""
    [table] = [
        t
        for t in body.iter(_w("tbl"))
        if any("Signature" in _text(r) and any(p in _text(r) for p in parties) for r in t)
    ]
    return table


def _text(element: etree._Element) -> str:
    return "".join(
        "\t" if e.tag == _w("tab") else e.text or "" for e in element.iter(_w("t"), _w("tab"))
    )


# --- the signature block ---------------------------------------------------------------------


@pytest.mark.parametrize(("example", "kind", "edition"), CONTRACTS)
def test_signature_block_keeps_together(
    built: dict[tuple[str, str], Path], example: str, kind: str, edition: str
) -> None:
    """Every row of the signature block stays whole (cantSplit) and keeps with the next, the
    closing lines ("Fait à …") keep with the first row, and the last row lets the annex that
    follows start its own page."""
    if (example, edition) not in built:
        pytest.skip("this edition is refused for this example")
    body, styles = _parts(_document(built[example, edition], kind, edition))
    answers = yaml.safe_load((ROOT / "examples" / f"{example}.yaml").read_text("utf-8"))
    parties = [p["name"] for p in answers["parties"]]
    table = _signature_table(body, parties)
    rows = table.findall("w:tr", NS)
    signatures = [r for r in rows if any(p in _text(r) for p in parties)]
    assert len(signatures) >= 2
    closing = [r for r in rows if r not in signatures]
    if edition == "bilingual":
        # The closing lines are the table's first rows, French beside English.
        assert closing and rows[: len(closing)] == closing
    else:
        assert not closing
        before = table.getprevious()
        assert (
            before.tag == _w("p")
            and before.xpath("string(w:pPr/w:pStyle/@w:val)", namespaces=NS) == "Closing"
        )
        assert _keeps_with_next(before, styles)
    for row in rows:
        assert row.find("w:trPr/w:cantSplit", NS) is not None, _text(row)[:40]
    for row in rows[:-1]:
        for paragraph in row.iter(_w("p")):
            assert _keeps_with_next(paragraph, styles), _text(row)[:40]
    for paragraph in rows[-1].iter(_w("p")):
        assert not _keeps_with_next(paragraph, styles)
    for party in parties:
        if any(party in _text(r) for r in signatures):
            assert sum(party in _text(r) for r in signatures) == 1


# --- the table of contents ---------------------------------------------------------------------


def _contents(body: etree._Element) -> list[etree._Element]:
    """The paragraphs of the TOC field, from the one holding its start to the one holding its
    end."""
    [instruction] = [i for i in body.iter(_w("instrText")) if (i.text or "").split()[:1] == ["TOC"]]
    first = next(instruction.iterancestors(_w("p")))
    paragraphs = [first]
    while not paragraphs[-1].xpath('w:r/w:fldChar[@w:fldCharType="end"]', namespaces=NS):
        paragraphs.append(paragraphs[-1].getnext())
    return paragraphs


def _headings(body: etree._Element) -> list[etree._Element]:
    return body.xpath('.//w:p[w:pPr/w:pStyle/@w:val="Heading1"]', namespaces=NS)


@pytest.mark.parametrize(
    ("example", "kind", "edition"),
    [
        *CONTRACTS,
        ("research-joint-reuse", "protocol-annex", "fr"),
        ("research-joint-reuse", "protocol-annex", "bilingual"),
    ],
)
def test_table_of_contents_lists_the_headings(
    built: dict[tuple[str, str], Path], example: str, kind: str, edition: str
) -> None:
    """The TOC field's result holds one entry per clause heading — its number, as Word writes
    it, and its text — each a link to the heading, before any field update."""
    if (example, edition) not in built:
        pytest.skip("this edition is refused for this example")
    body, styles = _parts(_document(built[example, edition], kind, edition))
    paragraphs = _contents(body)
    headings = _headings(body)
    assert len(paragraphs) == len(headings) > 3
    document = default_library().documents[kind]
    french = edition != "en"
    number = document.texts.heading_number.fr if french else document.texts.heading_number.en
    tab = not document.texts.heading_separator.get("fr" if french else "en")
    for index, (entry, heading) in enumerate(zip(paragraphs, headings, strict=True), 1):
        assert entry.xpath("string(w:pPr/w:pStyle/@w:val)", namespaces=NS) == "TOC1"
        [link] = entry.findall("w:hyperlink", NS)
        expected = number.replace("%1", str(index)) + ("\t" if tab else " ") + _text(heading)
        assert _text(link) == expected
        anchor = link.get(_w("anchor"))
        assert heading.xpath(f'w:bookmarkStart[@w:name="{anchor}"]', namespaces=NS)
    # One field: begin, instruction and separate in the first entry, end after the last one.
    kinds = [c.get(_w("fldCharType")) for p in paragraphs for c in p.iter(_w("fldChar"))]
    assert kinds == ["begin", "separate", "end"]
    assert styles.xpath('w:style[@w:styleId="TOC1"]/w:name/@w:val', namespaces=NS) == ["toc 1"]


def test_french_and_english_entries_read_as_word_writes_them(
    built: dict[tuple[str, str], Path],
) -> None:
    first = default_library().documents["dpa"].clauses[0].spec.title
    fr = _contents(_parts(_document(built["clinic-lab-results", "fr"], "dpa", "fr"))[0])
    assert _text(fr[0]) == f"Article 1 – {first.fr}"
    en = _contents(_parts(_document(built["clinic-lab-results", "en"], "dpa", "en"))[0])
    assert _text(en[0]) == f"1\t{first.en}"


# --- the core properties -----------------------------------------------------------------------


def _core(path: Path) -> etree._Element:
    with zipfile.ZipFile(path) as package:
        return etree.fromstring(package.read("docProps/core.xml"))


def _build_minimal(tmp_path: Path, name: str, change) -> list[Path]:
    """The documents of the minimal answers, changed: the DPA and the pack built with it."""
    data = yaml.safe_load(MINIMAL)
    change(data)
    answers = write(tmp_path / f"{name}.yaml", yaml.safe_dump(data, allow_unicode=True))
    out = tmp_path / name
    assert run_cli("build", answers, "--out", out) in (0, 1)
    documents = sorted(out.glob("*.docx"))
    assert len(documents) > 1
    return documents


def _no_date(data: dict) -> None:
    data["signature"].pop("date")


def _main_agreement_only(data: dict) -> None:
    data["signature"].pop("date")
    data["processing"]["main_agreement"] = {"title": "Contrat de services", "date": "2026-11-02"}


def _both_dates(data: dict) -> None:
    data["processing"]["main_agreement"] = {"title": "Contrat de services", "date": "2026-11-02"}


@pytest.mark.parametrize(
    ("change", "date"),
    [
        (_both_dates, "2027-03-01"),  # the signature's
        (_main_agreement_only, "2026-11-02"),
        (_no_date, "2000-01-01"),  # no date given: the fixed one, never the clock's
    ],
    ids=["signature", "main-agreement", "none"],
)
def test_core_properties_carry_the_date_of_the_answers(tmp_path: Path, change, date: str) -> None:
    documents = _build_minimal(tmp_path, "a", change)
    for document in documents:
        core = _core(document)
        for name in ("created", "modified"):
            assert core.findtext(f"{DCTERMS}{name}").startswith(f"{date}T"), (document, name)
        assert core.find("cp:lastPrinted", NS) is None  # never printed
        assert check_docx(document) == [], document.name
    again = _build_minimal(tmp_path, "b", change)
    assert [p.read_bytes() for p in again] == [p.read_bytes() for p in documents]


# --- file permissions --------------------------------------------------------------------------


@pytest.fixture
def umask() -> Iterator[None]:
    previous = os.umask(0o022)
    os.umask(previous)
    yield
    os.umask(previous)


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
@pytest.mark.parametrize("mask", [0o022, 0o002, 0o077, 0o027])
def test_documents_and_answers_are_written_with_the_umask(
    tmp_path: Path, umask: None, mask: int
) -> None:
    os.umask(mask)
    out = tmp_path / "out"
    assert run_cli("build", write(tmp_path / "a.yaml", MINIMAL), "--out", out) == 0
    documents = sorted(out.iterdir())  # the DPA and the pack built with it
    assert len(documents) > 1
    answers = out / "answers.yaml"
    write_new(answers, b"format_version: 1\n")
    expected = 0o666 & ~mask
    for path in (*documents, answers):
        assert stat.S_IMODE(path.stat().st_mode) == expected, oct(path.stat().st_mode)
    # Replacing keeps to the umask too, and leaves no temporary file.
    write_new(answers, b"format_version: 1\n# again\n", force=True)
    assert stat.S_IMODE(answers.stat().st_mode) == expected
    assert sorted(out.iterdir()) == sorted([*documents, answers])


def test_write_new_still_refuses_to_replace(tmp_path: Path) -> None:
    target = tmp_path / "answers.yaml"
    write_new(target, b"one")
    with pytest.raises(OutputError, match="already exists"):
        write_new(target, b"two")
    assert target.read_bytes() == b"one"
    assert [p.name for p in tmp_path.iterdir()] == ["answers.yaml"]


@pytest.mark.parametrize(
    ("example", "kind"),
    [
        ("clinic-lab-results", "dpa"),
        ("research-joint-reuse", "joint-controllers"),
        ("research-joint-reuse", "protocol-annex"),
    ],
)
def test_examples_are_dated_by_their_answers(
    built: dict[tuple[str, str], Path], example: str, kind: str
) -> None:
    answers = yaml.safe_load((ROOT / "examples" / f"{example}.yaml").read_text("utf-8"))
    main_agreement = answers["processing"].get("main_agreement") or {}
    date = answers["signature"].get("date") or main_agreement.get("date") or "2000-01-01"
    for edition in ("fr", "bilingual"):
        core = _core(_document(built[example, edition], kind, edition))
        for name in ("created", "modified"):
            assert core.findtext(f"{DCTERMS}{name}")[:10] == str(date), (edition, name)
