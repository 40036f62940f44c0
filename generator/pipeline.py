"""Building the documents of one set of answers: assess, plan, render, write.

The pipeline of docs/design.md in one function, used by `clausier build` (through batch, one job
per answers file), the demo and the interview. All documents are rendered and checked before
any is written, so a refused build leaves the output folder as it was.
"""

from __future__ import annotations

import datetime as dt
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import EXIT_BLOCKED, EXIT_OK, OutputError

if TYPE_CHECKING:
    from .answers.model import Answers
    from .legal.assessment import DocumentDue
    from .library.plan import DocumentPlan
    from .word.revisions import Signed


@dataclass(frozen=True)
class Settings:
    """How every job of a build is built."""

    out: Path
    edition: str | None = None  # "fr", "en", "bilingual"; None: each answers' own language
    draft: bool = False
    force: bool = False
    clauses: Path | None = None  # a firm's own clause library
    interface: str = "en"  # the language the answers' mistakes are said in: "fr", "en"
    only: frozenset[str] | None = None  # the kinds of document to build; None: every one due
    against: Path | None = None  # the signed version the new one is marked against


@dataclass(frozen=True)
class Outcome:
    source: str
    status: int
    documents: tuple[Path, ...] = ()
    messages: tuple[str, ...] = ()  # why it failed, or what it found


def build(
    answers: Answers,
    source: str,
    settings: Settings,
    edition: str | None = None,
    only_party: str | None = None,
) -> Outcome:
    """Build every document due for one set of answers (with `only_party`, those concerning
    that party). All are rendered and checked before any is written, so a refused build
    leaves the output folder as it was."""
    from .answers.model import Language
    from .exports import exports
    from .legal.assessment import assess
    from .library.load import default_library
    from .library.messages import Messages
    from .library.plan import plan_document
    from .word.bilingual import plan_bilingual
    from .word.files import write_new
    from .word.render import render

    signed, before = None, None
    if settings.against:
        from .legal.assessment import dated_authorisations
        from .word.revisions import read_signed

        signed = read_signed(settings.against)
        before = signed_answers(signed, settings.interface)
        answers = dated_authorisations(answers, before)
    edition = edition or settings.edition
    bilingual = edition == "bilingual"
    language = Language(edition) if edition in ("fr", "en") else answers.language
    assessment = assess(answers, edition or answers.language.value, settings.only)
    library = default_library(settings.clauses)
    findings = tuple(Messages(library, language).line(f) for f in assessment.findings)
    if assessment.blockers and not settings.draft:
        heading = f"{source}: blocking findings, nothing built (--draft builds a DRAFT):"
        return Outcome(source, EXIT_BLOCKED, messages=(heading, *findings))
    due = [
        d
        for d in assessment.documents
        if (only_party is None or only_party in d.parties)
        and (settings.only is None or d.kind.value in settings.only)
    ]

    def plan_of(d: DocumentDue) -> DocumentPlan:
        if bilingual:
            return plan_bilingual(d, answers, assessment, library, settings.draft)
        return plan_document(d, answers, assessment, library, language, settings.draft)

    plans = [plan_of(d) for d in due]
    files = [(plan.filename, render(plan, answers)) for plan in plans]
    if signed is not None and before is not None:
        from .library.plan import amendment_changes

        files += _tracked(plans, files, answers, signed)
        amendment = _amendment(due, before, signed.kind)
        if amendment and amendment_changes(amendment, answers, library, language):
            articles = plan_of(amendment)
            files.append((articles.filename, render(articles, answers)))
    files += [item for plan in plans for item in exports(plan, answers, assessment)]
    targets = [settings.out / name for name, _ in files]
    for target in targets:
        if target.exists() and not settings.force:
            raise OutputError(f"{target}: already exists (use --force to replace it)")
    for target, (_, data) in zip(targets, files):
        write_new(target, data, force=settings.force)
    if not plans:
        return Outcome(source, EXIT_OK, messages=(f"{source}: no document due", *findings))
    # What `assess` says, a line each, so a warning is not seen only by those who ask.
    heading = (f"{source}: built; the assessment found:",) if findings else ()
    return Outcome(source, EXIT_OK, tuple(targets), (*heading, *findings))


def _tracked(
    plans: list[DocumentPlan], files: list[tuple[str, bytes]], answers: Answers, signed: Signed
) -> list[tuple[str, bytes]]:
    """The new version of the signed document, with its changes as Word revisions."""
    from .word.revisions import tracked, tracked_filename

    # Dated as the amendment that makes the changes; undated (Word allows it) until it is.
    date = answers.amendment.date if answers.amendment else None
    when = (
        dt.datetime(date.year, date.month, date.day, 12, tzinfo=dt.timezone.utc) if date else None
    )
    return [
        (
            tracked_filename(plan.filename, plan.language),
            tracked(data, tuple(c.id for c in plan.clauses), signed, when),
        )
        for plan, (_, data) in zip(plans, files)
        if plan.kind.value == signed.kind
    ]


def signed_answers(signed: Signed, interface: str) -> Answers:
    """The answers the signed document was built from, as its provenance records them."""
    from .answers.load import validate_answers
    from .answers.yamlfile import parse_yaml

    source = f"{signed.path} (its answers)"
    return validate_answers(parse_yaml(signed.answers_text, source), interface)


def _amendment(due: list[DocumentDue], before: Answers, kind: str | None) -> DocumentDue | None:
    """The amendment of the signed document, when it is a DPA still due: it amends the DPA
    built from the answers the signed document records (`before`)."""
    from .legal.assessment import Amends, DocumentDue, DocumentKind

    amended = next((d for d in due if d.kind.value == kind), None)
    if amended is None or amended.kind is not DocumentKind.DPA:
        return None
    return DocumentDue(DocumentKind.AMENDMENT, amended.parties, amends=Amends(amended.kind, before))


def report(outcomes: list[Outcome], stream: Any = None) -> int:
    """Print findings and failures on stderr — after a summary line when several jobs ran
    and some failed — and return the exit code: the worst status of all."""
    stream = stream or sys.stderr
    failed = [o for o in outcomes if o.status != EXIT_OK]
    for outcome in outcomes:
        if outcome.status == EXIT_OK:
            for message in outcome.messages:
                print(message, file=stream)
    summary = len(outcomes) > 1 and bool(failed)
    if summary:
        built = len(outcomes) - len(failed)
        print(f"clausier: {built} of {len(outcomes)} built, {len(failed)} failed:", file=stream)
    for outcome in failed:
        first, *rest = outcome.messages
        print(f"  {first}" if summary else f"clausier: {first}", file=stream)
        for message in rest:
            print(f"  {message}" if summary else message, file=stream)
    return max((o.status for o in outcomes), default=EXIT_OK)
