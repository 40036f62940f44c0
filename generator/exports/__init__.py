"""Files built beside a document's .docx from the same plan, for the tools a team continues
in: the record entries as a spreadsheet for the DPO's register, the DPIA outline in the CNIL
PIA software's import format. Each exporter reads the planned text, never the answers
afresh, so the export says exactly what the Word document says."""

from __future__ import annotations

from collections.abc import Callable

from ..answers.model import Answers
from ..legal.assessment import Assessment, DocumentKind
from ..library.plan import DocumentPlan
from .pia import pia_files
from .record import export_record

# name (the document's file name with another suffix) and bytes of each file
Exported = list[tuple[str, bytes]]
Exporter = Callable[[DocumentPlan, Answers, Assessment], Exported]

EXPORTERS: dict[DocumentKind, Exporter] = {
    DocumentKind.PROCESSING_RECORD: export_record,
    DocumentKind.DPIA: pia_files,
}


def exports(plan: DocumentPlan, answers: Answers, assessment: Assessment) -> Exported:
    """The files to write beside the plan's document (none for most kinds)."""
    exporter = EXPORTERS.get(plan.kind)
    return exporter(plan, answers, assessment) if exporter else []
