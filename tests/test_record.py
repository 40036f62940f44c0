"""The record entries (GDPR Art. 30): every example's, in French and English, read back from
the Word document, and the CSV and .xlsx written beside it saying the same."""

from __future__ import annotations

import csv
import io
import shutil
import tempfile
import zipfile
from functools import cache
from pathlib import Path

import pytest
from conftest import EXAMPLES, ROOT, run_cli
from docx import Document
from docx_check import check_docx
from openpyxl import load_workbook

from generator.answers.languages import in_language
from generator.answers.load import load_answers
from generator.answers.model import Language, Route
from generator.exports import exports
from generator.legal.assessment import DocumentKind, assess
from generator.library.checks import ART30_ELEMENTS, check_library
from generator.library.load import default_library
from generator.library.plan import DocumentPlan, plan_document
from generator.word.bilingual import plan_bilingual
from generator.word.render import render

KIND = DocumentKind.PROCESSING_RECORD
LANGUAGES = (Language.FR, Language.EN)
# A processor's entry starts with this row (its heading precedes it).
PROCESSOR = {"fr": "Sous-traitant", "en": "Processor"}
# The CSV of the controller's entry, then the processors' (none without a processor): a
# register of each kind, named after its sheet.
CSV_NAMES = {
    "fr": ("responsable-du-traitement", "sous-traitants"),
    "en": ("controller", "processors"),
}


@cache
def built(example: Path, edition: str) -> tuple[DocumentPlan, bytes, dict[str, bytes]]:
    """The record of an example, planned and rendered as `clausier build` does (blocking
    findings aside: an English record is built even where a contract must be in French), with
    the files exported beside it, by suffix."""
    answers = load_answers(example)
    assessment = assess(answers, edition)
    (due,) = [d for d in assessment.documents if d.kind is KIND]
    library = default_library()
    if edition == "bilingual":
        plan = plan_bilingual(due, answers, assessment, library)
    else:
        plan = plan_document(due, answers, assessment, library, Language(edition))
    files = {name: data for name, data in exports(plan, answers, assessment)}
    return plan, render(plan, answers), files


def word_entries(docx: bytes) -> list[list[tuple[str, str]]]:
    """The entries of the Word document's tables: a spanning row (a processor's name) starts
    an entry; each other row is a label and its value."""
    entries: list[list[tuple[str, str]]] = []
    for table in Document(io.BytesIO(docx)).tables:
        entries.append([])
        for row in table.rows:
            label, value = (c.text for c in row.cells)
            if row.cells[0]._tc is row.cells[1]._tc:  # a heading spanning the table
                if entries[-1]:
                    entries.append([])
                continue
            entries[-1].append((label, value))
    return entries


def covering(language: str) -> dict[str, set[str]]:
    """The labels of the rows covering each Art. 30 element, in a language."""
    annexes = default_library().documents[KIND.value].texts.annexes
    labels: dict[str, set[str]] = {code: set() for code in ART30_ELEMENTS}
    for annex in annexes.values():
        for row in annex.rows:
            for code in row.covers:
                labels[code].add(getattr(row.label, language))
    return labels


CASES = [
    pytest.param(e, lang.value, id=f"{e.stem}-{lang.value}") for e in EXAMPLES for lang in LANGUAGES
]


@pytest.mark.parametrize(("example", "language"), CASES)
def test_each_entry_holds_its_article_30_elements(example: Path, language: str) -> None:
    """The controller's entry states every element of 30(1), each processor of the document
    has an entry stating every element of 30(2), none left blank."""
    plan, docx, files = built(example, language)
    controller, *processors = word_entries(docx)
    labels = covering(language)
    stated = dict(controller)
    for code in (c for c in ART30_ELEMENTS if c.startswith("30(1)")):
        assert labels[code] <= stated.keys(), code
        assert all(stated[label].strip() for label in labels[code]), code
    answers = load_answers(example)
    names = [answers.party(pid).name for pid in assess(answers).processors]
    assert [dict(e)[PROCESSOR[language]].split(",")[0] for e in processors] == names
    for entry in processors:
        stated = dict(entry)
        for code in (c for c in ART30_ELEMENTS if c.startswith("30(2)")):
            assert labels[code] <= stated.keys(), code
            assert all(stated[label].strip() for label in labels[code]), code
    (due,) = [d for d in assess(answers).documents if d.kind is KIND]
    assert stated_in(docx, answers.party(due.parties[0]).name)
    stem = plan.filename.removesuffix(".docx")
    tables = list(CSV_NAMES[language][: 2 if processors else 1])
    assert sorted(files) == sorted([*(f"{stem}-{t}.csv" for t in tables), f"{stem}.xlsx"])


@pytest.mark.parametrize(
    ("example", "edition"),
    [
        pytest.param(e, ed, id=f"{e.stem}-{ed}")
        for e in EXAMPLES
        for ed in ("fr", "en", "bilingual")
    ],
)
def test_record_passes_the_schema_and_integrity_check(
    tmp_path: Path, example: Path, edition: str
) -> None:
    plan, docx, _ = built(example, edition)
    document = tmp_path / plan.filename
    document.write_bytes(docx)
    assert check_docx(document) == []


def stated_in(docx: bytes, text: str) -> bool:
    return any(text in value for entry in word_entries(docx) for _, value in entry)


@pytest.mark.parametrize("example", [e for e in EXAMPLES if e.stem.startswith("research")])
def test_a_study_entry_states_its_cnil_formality(example: Path) -> None:
    """The methodology followed (the record holds the list of studies under it), the CNIL's
    authorisation granted or applied for, or the internal study the record documents."""
    answers = load_answers(example)
    route = assess(answers).research_route
    for language, words in (("fr", FORMALITY_FR), ("en", FORMALITY_EN)):
        controller = dict(word_entries(built(example, language)[1])[0])
        formality = controller[words["label"]]
        if route is Route.INTERNAL:
            assert formality.startswith(words["internal"])
        elif route is Route.AUTHORISATION:
            assert formality.startswith(words["authorisation"])
            reference = answers.research.authorisation_reference
            if reference:
                text = (
                    reference if isinstance(reference, str) else reference.in_(Language(language))
                )
                assert text in formality
        else:
            assert formality.startswith(f"{words['methodology']} {route.value}")
            assert words["list"] in formality


FORMALITY_FR = {
    "label": "Formalité auprès de la CNIL",
    "internal": "Étude interne",
    "authorisation": "Autorisation de la CNIL",
    "methodology": "Méthodologie de référence",
    "list": "liste des études conduites selon cette méthodologie",
}
FORMALITY_EN = {
    "label": "Formality with the CNIL",
    "internal": "Internal study",
    "authorisation": "Authorisation by the CNIL",
    "methodology": "Reference methodology",
    "list": "list of the studies conducted under that methodology",
}


def csv_lines(data: bytes) -> list[dict[str, str]]:
    assert data.startswith(b"\xef\xbb\xbf")  # the BOM French Excel needs to read UTF-8
    text = data.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text, newline=""), delimiter=";"))


@pytest.mark.parametrize(("example", "language"), CASES)
def test_spreadsheets_say_what_the_document_says(example: Path, language: str) -> None:
    """Read back with the csv module and openpyxl, the exports hold the Word document's
    entries, word for word: a CSV and a sheet per kind of entry, the controller's (Art. 30(1))
    apart from the processors' (Art. 30(2)), each under its own columns, none left blank."""
    plan, docx, files = built(example, language)
    stem = plan.filename.removesuffix(".docx")
    entries = word_entries(docx)
    controller_csv, processors_csv = (f"{stem}-{t}.csv" for t in CSV_NAMES[language])
    kinds = [(controller_csv, entries[:1]), (processors_csv, entries[1:])]
    for name, expected in kinds:
        if not expected:
            assert name not in files
            continue
        lines = csv_lines(files[name])
        assert len(lines) == len(expected)
        for line, entry in zip(lines, expected, strict=True):
            assert {k: v for k, v in line.items() if v} == {k: v for k, v in entry if v}
    assert PROCESSOR[language] not in csv_lines(files[controller_csv])[0]

    book = load_workbook(io.BytesIO(files[f"{stem}.xlsx"]))
    controller_sheet, processors_sheet = book.worksheets
    assert book.sheetnames == [a["title"] for a in plan.template_context["annexes"].values()]
    sheets = [(controller_sheet, entries[:1]), (processors_sheet, entries[1:])]
    for sheet, expected in sheets:
        rows = [[c.value or "" for c in row] for row in sheet.iter_rows()]
        if not expected:
            assert rows == [[plan.template_context["annexes"]["processors"]["empty"]]]
            continue
        header, *values = rows
        assert [list(zip(header, v)) for v in values] == expected
        assert sheet.freeze_panes == "A2" and sheet["A1"].font.b


def test_an_internal_study_has_no_processor_entry() -> None:
    plan, docx, files = built(ROOT / "examples" / "research-internal-study.yaml", "fr")
    assert len(word_entries(docx)) == 1
    text = "\n".join(p.text for p in Document(io.BytesIO(docx)).paragraphs)
    assert "il n'y a pas de fiche de sous-traitant à établir" in text.replace("\u00a0", " ")
    stem = plan.filename.removesuffix(".docx")
    assert sorted(files) == [f"{stem}-responsable-du-traitement.csv", f"{stem}.xlsx"]
    assert len(csv_lines(files[f"{stem}-responsable-du-traitement.csv"])) == 1


def test_each_processor_states_its_own_transfers_and_measures() -> None:
    """The CRO's entry names its sub-processor in the United States and the safeguard; a
    centre's states no transfer; a measure the answers give the centres only is in a centre's
    entry, not the CRO's; the controller's entry lists every processor with its country."""
    drug = ROOT / "examples" / "research-drug-trial.yaml"
    controller, *processors = word_entries(built(drug, "fr")[1])
    by_name = {dict(e)["Sous-traitant"].split(",")[0]: dict(e) for e in processors}
    cro, site = by_name["Medrion Clinical"], by_name["Centre hospitalier universitaire de l'Adour"]
    assert cro["Transferts hors UE"].startswith("Bayard Biostatistics LLC (États-Unis)")
    assert "clauses contractuelles types" in cro["Garanties"]
    assert site["Transferts hors UE"] == "Aucun transfert hors de l'Espace économique européen"
    site_only = "La liste d'identification des participants, qui relie les codes aux identités"
    assert site_only in site["Mesures de sécurité"]
    assert site_only not in cro["Mesures de sécurité"]
    assert site_only in dict(controller)["Mesures de sécurité"]
    recipients = dict(controller)["Destinataires"]
    for name in by_name:
        assert f"{name} (" in recipients
    assert "Bayard Biostatistics LLC (États-Unis)" in recipients


def test_builds_are_byte_identical() -> None:
    """Two builds of the same answers give the same bytes; the workbook is dated as the
    document (its signature date) and its zip members carry one fixed date."""
    example = ROOT / "examples" / "glucose-telemonitoring.yaml"
    built.cache_clear()
    first = built(example, "fr")
    built.cache_clear()
    second = built(example, "fr")
    assert first[1] == second[1] and first[2] == second[2]
    (xlsx,) = [data for name, data in first[2].items() if name.endswith(".xlsx")]
    book = load_workbook(io.BytesIO(xlsx))
    assert book.properties.created.date().isoformat() == "2027-02-22"
    with zipfile.ZipFile(io.BytesIO(xlsx)) as package:
        assert {m.date_time for m in package.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_bilingual_edition_exports_nothing_and_english_is_built_alone() -> None:
    """A register is kept in one language: the side-by-side edition writes no spreadsheet;
    the English one is built alone, even where a public body must contract in French (a
    record is no contract)."""
    example = ROOT / "examples" / "research-convention-unique.yaml"
    _, _, files = built(example, "bilingual")
    assert files == {}
    with tempfile.TemporaryDirectory() as out:
        assert (
            run_cli("build", example, "--out", out, "--lang", "en", "--only", "processing-record")
            == 0
        )
        names = sorted(p.name for p in Path(out).iterdir())
        assert [n.rsplit("-", 1)[-1] for n in names] == [
            "controller.csv",
            "processors.csv",
            "en.docx",
            "en.xlsx",
        ]


@pytest.mark.parametrize("code", ["30(1)(f)", "30(2)(c)"])
def test_check_wants_every_article_30_element(tmp_path: Path, code: str) -> None:
    """Take an element's `covers` off the record's rows: `clausier check` says no row covers
    it; an unknown element is refused."""
    text = (ROOT / "clauses" / "processing-record" / "_document.yaml").read_text("utf-8")
    assert f'covers: ["{code}"]' in text

    def problems(firm: str, spec: str) -> list[str]:  # each firm library is loaded once
        shutil.copytree(ROOT / "clauses" / "processing-record", tmp_path / firm / KIND.value)
        (tmp_path / firm / KIND.value / "_document.yaml").write_text(spec, "utf-8")
        return check_library(tmp_path / firm)

    found = problems("uncovered", text.replace(f'covers: ["{code}"]', "covers: []"))
    assert any(f"no clause covers {code}" in p for p in found), found
    found = problems("unknown", text.replace(f'covers: ["{code}"]', 'covers: ["30(9)"]', 1))
    assert any("unknown element '30(9)'" in p for p in found), found


def test_build_writes_the_spreadsheets_beside_the_document(tmp_path: Path) -> None:
    """`clausier build` writes the .docx, the two CSVs and the .xlsx; a second build, in
    another folder, writes the same bytes."""
    example = ROOT / "examples" / "clinic-lab-results.yaml"
    for out in ("first", "second"):
        args = ("--out", tmp_path / out, "--lang", "fr", "--only", KIND.value)
        assert run_cli("build", example, *args) == 0
    first = sorted((tmp_path / "first").iterdir())
    assert [f.suffix for f in first] == [".csv", ".csv", ".docx", ".xlsx"]
    for file in first:
        assert file.read_bytes() == (tmp_path / "second" / file.name).read_bytes(), file.name


def controller_entry(example: str, language: str) -> dict[str, str]:
    return dict(word_entries(built(ROOT / "examples" / f"{example}.yaml", language)[1])[0])


def test_the_sponsors_own_host_is_named_among_the_recipients() -> None:
    """CROHNIX-2's safety reports reach the sponsor's pharmacovigilance database, hosted in
    Dublin by Liffey Cloud Services: the place the controller stores them, and its host, are
    in the controller's entry, in the Word document and in its CSV alike."""
    for language, country in (("fr", "Irlande"), ("en", "Ireland")):
        plan, _, files = built(ROOT / "examples" / "research-drug-trial.yaml", language)
        recipients = controller_entry("research-drug-trial", language)[
            {"fr": "Destinataires", "en": "Recipients"}[language]
        ]
        assert f"Liffey Cloud Services ({country})" in recipients
        stem = plan.filename.removesuffix(".docx")
        (line,) = csv_lines(files[f"{stem}-{CSV_NAMES[language][0]}.csv"])
        assert (
            "Liffey Cloud Services" in line[{"fr": "Destinataires", "en": "Recipients"}[language]]
        )


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_care_entry_names_the_processing_by_its_purpose(language: str) -> None:
    """Art. 30(1)(b): the hospital's entry gives the purposes of the processing, not the
    service the provider sells: the first purpose the answers give is the main one and names
    the processing, the others are its sub-purposes; the lawful basis, which the answers do
    not give, is for the controller to complete; the answers' retention stays, beside the
    controller's own periods to complete."""
    answers = in_language(
        load_answers(ROOT / "examples" / "chu-teleconsultation.yaml"), Language(language)
    )
    first, *others = answers.processing.purposes
    entry = controller_entry("chu-teleconsultation", language)
    words = {
        "fr": (
            "Nom du traitement",
            "Finalité principale",
            "Sous-finalités",
            "Base légale",
            "À compléter par le responsable du traitement",
            "Durées de conservation",
        ),
        "en": (
            "Name of the processing",
            "Main purpose",
            "Sub-purposes",
            "Lawful basis",
            "To be completed by the controller",
            "Retention periods",
        ),
    }[language]
    name, main, subs, basis, to_complete, retention = words
    assert entry[name] == entry[main] == first[:1].upper() + first[1:]
    assert answers.processing.subject_matter not in entry[main]
    assert entry[subs].split("\n") == [p[:1].upper() + p[1:] for p in others]
    assert entry[basis].startswith(to_complete)
    assert entry[retention].startswith(answers.processing.retention)


def test_a_study_entry_keeps_the_answers_retention_details() -> None:
    """BARIA-SNDS: the answers say how long the hospital keeps the key table; the record's
    retention says it too, and adds no anonymisation the answers do not state."""
    entry = controller_entry("research-snds-authorisation", "fr")
    retention = entry["Durées de conservation"].replace("\u00a0", " ")
    assert (
        "le CHU conserve la table de correspondance entre numéro d'étude et identité jusqu'à la"
        " fin de la recherche, puis la détruit" in " ".join(retention.split())
    )
    for example in EXAMPLES:
        for language in ("fr", "en"):
            text = dict(word_entries(built(example, language)[1])[0])
            assert "anonym" not in " ".join(text.values()), example.stem


def test_vigilance_authorities_only_where_there_are_vigilance_duties() -> None:
    """The authorities receive data for vigilance only in a study with vigilance duties (a
    trial), not in a care processing nor an internal retrospective study."""
    for example, vigilance in (
        ("research-drug-trial", True),
        ("chu-teleconsultation", False),
        ("research-internal-study", False),
    ):
        recipients = controller_entry(example, "fr")["Destinataires"]
        assert "Autorités publiques compétentes" in recipients
        assert ("contrôle, de vigilance ou d'inspection" in recipients) is vigilance, example
