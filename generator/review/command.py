"""`clausier review VENDOR.docx --out DIR`: read, judge, write the annotated copy and the
report, print a summary; exit 1 when an element is missing (docs/design.md)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..answers.model import Language
from ..errors import EXIT_BLOCKED, EXIT_OK, InputError, LibraryError
from ..library.review import LoadedReview, Status, compiled_elements, default_review
from . import outputs
from .match import Result, detect_language, review_passages
from .read import read_vendor_document


@dataclass(frozen=True)
class Review:
    """A review done: the document's language, each element's verdict, the files written."""

    language: Language
    results: list[Result]
    written: list[Path]

    @property
    def exit_code(self) -> int:
        return EXIT_BLOCKED if any(r.status is Status.MISSING for r in self.results) else EXIT_OK


def proposals(review: LoadedReview, language: Language) -> dict[str, outputs.Proposal]:
    """Clausier's DPA clauses rendered for the answers `proposed_from`, by clause id."""
    from ..answers.load import load_answers
    from ..legal.assessment import DocumentKind, assess
    from ..library.load import default_library
    from ..library.plan import plan_document

    example = review.file.parent / review.spec.proposed_from
    answers = load_answers(example)
    assessment = assess(answers, language.value)
    due = next((d for d in assessment.documents if d.kind is DocumentKind.DPA), None)
    if due is None:
        raise InputError(review.file, None, "proposed_from", f"{example.name} has no DPA")
    library = default_library()
    plan = plan_document(due, answers, assessment, library, language, draft=True)
    doc = library.documents["dpa"]
    titles = {c.id: c.title for c in plan.clauses}
    titles |= {f"annex.{k}": a.title.in_(language) for k, a in doc.texts.annexes.items()}
    return {
        c.id: outputs.Proposal(
            c.title,
            tuple((p.level, outputs.plain(p.text, titles, language)) for p in c.paragraphs),
        )
        for c in plan.clauses
    }


def run_review(source: Path, language: str | None, out: Path, force: bool) -> Review:
    """Review `source` and write its two files in `out` (neither if either exists, unless
    `force`)."""
    from ..errors import OutputError
    from ..word.files import write_new

    review = default_review()
    document = read_vendor_document(source)
    if not document.passages:
        raise InputError(source, None, None, "no text found in this document")
    lang = Language(language) if language else detect_language(document.passages)
    results = review_passages(document.passages, lang, compiled_elements(review))
    say = outputs.Words(review, lang)
    offered = proposals(review, lang)
    unplanned = sorted({r.element.proposed for r in results} - set(offered))
    if unplanned:  # a clause whose condition the proposed answers do not meet
        raise LibraryError(
            review.file, None, "proposed",
            f"{review.spec.proposed_from} does not call for clause {', '.join(unplanned)}",
        )  # fmt: skip
    maximum = review.spec.max_delay_hours
    files = {
        out / f"{source.stem}-review-{lang.value}.docx": outputs.report(
            source.name, results, say, offered, review.spec.proposed_from, maximum
        )
    }
    if document.docx is not None:
        files[out / f"{source.stem}-annotated.docx"] = outputs.annotated(
            document, results, say, maximum
        )
    existing = [path for path in files if path.exists()]
    if existing and not force:
        raise OutputError(f"{existing[0]}: already exists (use --force to replace it)")
    for path, data in files.items():
        write_new(path, data, force)
    return Review(lang, results, list(files))


def summary(source: Path, review: Review) -> list[str]:
    """The lines printed: the counts, then each element not found, then the files."""
    language = review.language
    counts = {s: sum(r.status is s for r in review.results) for s in Status}
    lines = [f"{source} ({language.value}): " + ", ".join(f"{s.value} {counts[s]}" for s in Status)]
    for result in review.results:
        if result.status is not Status.FOUND:
            label = result.element.label.in_(language)
            hours = f" ({result.judgement.hours} h)" if result.judgement.hours else ""
            lines.append(f"  {result.status.value:8} {result.element.id}: {label}{hours}")
    return lines + [str(path) for path in review.written]
