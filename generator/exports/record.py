"""The record entries (GDPR Art. 30) as spreadsheets a DPO takes into a register: a CSV and an
.xlsx beside the Word document, read from its planned annex rows, so that the three say the
same words.

Columns. The CNIL publishes a register model: a basic one in 2018 (« registre RGPD basique »,
a record sheet per processing) and a spreadsheet on 25 July 2019 (« registre-traitement-
simplifie.ods », on the CNIL's page « Le registre des activités de traitement »). Its record
sheet (« fiche de registre ») holds: the processing's name, reference, date of creation and
update; its actors (Responsable du traitement, Délégué à la protection des données,
Représentant, Responsable(s) conjoint(s)); its purposes (Finalité principale, Sous-finalités);
the categories of data subjects and of personal data, sensitive data, retention periods
(Durées de conservation); recipients, internal, external and processors (Destinataires);
transfers outside the EU with their country and safeguards (Transferts hors UE, Garanties);
security measures (Mesures de sécurité). The files themselves could not be read here: those
fields were read in public copies of the record sheet (the 2018 model as a PDF attached to
github.com/karhel/glpi-dporegister issue 17 by a university DPO; a web form and an HTML page
copying the sheet field by field; the .ods file cited in github.com/sourcentis/mercator issue
1306), to be checked against the CNIL's current file. The entries' rows
(clauses/processing-record/_document.yaml) take those names, in the order of Art. 30(1), add
for a study its CNIL formality and its lawful basis, and give the processor's entry, which the
model does not cover, the elements of Art. 30(2).

Each row label is a column, in the document's language; one line per entry. The controller's
entry (Art. 30(1)) and the processors' (Art. 30(2)) have different columns and go to
different registers: each kind of entry has its own CSV, named after its annex
(`…-responsable-du-traitement.csv`, `…-sous-traitants.csv`), and its own sheet of the .xlsx,
named the same; with no processor, no processors' CSV, and the sheet says why. A register is
kept in one language: the side-by-side edition writes no files of its own (build `--lang fr`
or `--lang en` for them), as for the DPIA's PIA export.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass

from ..answers.model import Answers
from ..legal.assessment import Assessment
from ..library.plan import DocumentPlan, slug
from ..library.wording import BOLD_END, BOLD_START, ENGLISH, REF_END, REF_START
from ..word.render import document_time

# The annexes of clauses/processing-record/_document.yaml holding the entries.
ENTRY_ANNEXES = ("controller", "processors")
_MARKS = re.compile(f"[{BOLD_START}{BOLD_END}{ENGLISH}{REF_START}{REF_END}]")
# A date for every member of the .xlsx zip, as for the .docx (word/provenance.py).
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class Sheet:
    """One kind of entry: its name (its annex's title), its columns, one line per entry; with
    no entry, what the document says instead (`empty`)."""

    name: str
    columns: list[str]
    lines: list[dict[str, str]]
    empty: str = ""


def export_record(
    plan: DocumentPlan, answers: Answers, assessment: Assessment
) -> list[tuple[str, bytes]]:
    """The CSV and the .xlsx of the plan's entries (none for the side-by-side edition)."""
    if plan.bilingual:
        return []
    time = document_time(answers).replace(tzinfo=None)  # the .docx's own date
    stem = plan.filename.removesuffix(".docx")
    return _files(stem, entry_sheets(plan.template_context["annexes"]), plan.title, time)


def entry_sheets(annexes: dict) -> list[Sheet]:
    """The entries of the plan's annexes, one sheet per annex: a heading row starts an entry
    (a processor's), the label/value rows fill it."""
    sheets = []
    for key in ENTRY_ANNEXES:
        annex = annexes[key]
        lines: list[dict[str, str]] = []
        for row in annex["rows"]:
            if row["header"] or not lines:
                lines.append({})
            if not row["header"]:
                lines[-1][_plain(row["label"])] = _plain(row["value"])
        columns = list(dict.fromkeys(label for line in lines for label in line))
        sheets.append(Sheet(_plain(annex["title"]), columns, lines, _plain(annex["empty"])))
    return sheets


def _plain(text: str) -> str:
    """Text without the marks the Word renderer reads (bold terms, references, English)."""
    return _MARKS.sub("", text)


def _files(stem: str, sheets: list[Sheet], title: str, time) -> list[tuple[str, bytes]]:
    tables = [(csv_name(stem, sheet), record_csv(sheet)) for sheet in sheets if sheet.lines]
    return [*tables, (f"{stem}.xlsx", record_xlsx(sheets, title, time))]


def csv_name(stem: str, sheet: Sheet) -> str:
    """The CSV of one kind of entry, named after its sheet: the DPO sees which is which."""
    return f"{stem}-{slug(sheet.name)}.csv"


def record_csv(sheet: Sheet) -> bytes:
    """The entries of one kind, a line each. French Excel reads a CSV as ANSI unless a
    byte-order mark says UTF-8, and splits its fields on « ; » (the comma is the decimal
    separator): hence both."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(sheet.columns)
    for line in sheet.lines:
        writer.writerow([line.get(c, "") for c in sheet.columns])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def record_xlsx(sheets: list[Sheet], title: str, time) -> bytes:
    """A workbook with a sheet per kind of entry: the header row bold and frozen, the text
    wrapped, the columns as wide as their text allows; the same entries give the same bytes
    (its dates are the document's, its zip members undated)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.writer.excel import ExcelWriter

    book = Workbook()
    book.remove(book.active)
    wrap = Alignment(wrap_text=True, vertical="top")
    for sheet in sheets:
        ws = book.create_sheet(_sheet_name(sheet.name))
        if not sheet.lines:  # no entry of this kind: the document's words say why
            ws["A1"] = sheet.empty
            ws.column_dimensions["A"].width = 60
            ws["A1"].alignment = wrap
            continue
        ws.append(sheet.columns)
        for line in sheet.lines:
            ws.append([line.get(c, "") for c in sheet.columns])
        for row in ws.iter_rows():
            for cell in row:
                cell.alignment = wrap
        for cell in ws[1]:
            cell.font = Font(bold=True)
        ws.freeze_panes = "A2"
        for index, column in enumerate(sheet.columns, 1):
            texts = [column, *(line.get(column, "") for line in sheet.lines)]
            longest = max(len(part) for text in texts for part in text.split("\n"))
            ws.column_dimensions[get_column_letter(index)].width = min(60, max(14, longest + 2))
    props = book.properties
    props.title, props.creator, props.lastModifiedBy = title, "Clausier", "Clausier"
    props.created = props.modified = time
    out = io.BytesIO()
    ExcelWriter(book, _UndatedZip(out, "w", zipfile.ZIP_DEFLATED)).save()
    return out.getvalue()


def _sheet_name(name: str) -> str:
    """Excel refuses a sheet name over 31 characters or holding one of []:*?/\\."""
    return re.sub(r"[\[\]:*?/\\]", " ", name)[:31].strip()


class _UndatedZip(zipfile.ZipFile):
    """openpyxl's zip, with one fixed date on every member instead of the time of writing
    (it writes parts from memory, and each sheet from a temporary file)."""

    def writestr(self, zinfo_or_arcname, data, compress_type=None, compresslevel=None):  # type: ignore[override]
        if isinstance(zinfo_or_arcname, str):
            zinfo_or_arcname = zipfile.ZipInfo(zinfo_or_arcname, date_time=_ZIP_TIME)
            zinfo_or_arcname.compress_type = zipfile.ZIP_DEFLATED
            zinfo_or_arcname.external_attr = 0o644 << 16
        super().writestr(zinfo_or_arcname, data, compress_type, compresslevel)

    def write(self, filename, arcname=None, compress_type=None, compresslevel=None):  # type: ignore[override]
        with open(filename, "rb") as part:
            self.writestr(arcname or str(filename), part.read())
