"""The command line: `clausier interview | build | assess | demo | check | answers | review |
schema`.

Exit codes (docs/design.md): 0 done; 1 blocking legal findings (nothing built unless --draft);
2 bad input; 130 interrupted. User errors are one line naming file, line and field.
Heavy libraries are imported inside the commands so `clausier --help` stays fast.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import EXIT_BLOCKED, EXIT_INPUT, EXIT_INTERRUPTED, EXIT_OK

if TYPE_CHECKING:
    from .answers.model import Language
    from .batch import Job
    from .legal.assessment import Assessment
    from .library.messages import Messages
    from .pipeline import Settings


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(EXIT_INPUT, f"{self.prog}: {message}\n")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="clausier",
        description="GDPR documents for health-data partnerships, in French and English.",
    )
    from . import __version__

    parser.add_argument("--version", action="version", version=f"clausier {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    build = commands.add_parser(
        "build",
        help="build the documents answers files call for",
        description="Build the documents each answers file calls for. ANSWERS may be files or "
        "folders (every .yaml in them); with --parties, one answers file and a table of the "
        "parties that vary give one set of documents per row.",
    )
    build.add_argument(
        "answers", nargs="+", type=Path, metavar="ANSWERS", help="answers files or folders"
    )
    build.add_argument("--out", type=Path, required=True, metavar="DIR", help="where to write")
    build.add_argument(
        "--parties",
        type=Path,
        metavar="TABLE",
        help="CSV or YAML list of parties: one build per row, replacing one party's details",
    )
    build.add_argument(
        "--vary", metavar="ID", help="the party the rows replace (default: the only processor)"
    )
    build.add_argument(
        "--jobs",
        type=_positive,
        metavar="N",
        help="parallel processes (default: one per core)",
    )
    build.add_argument(
        "--lang",
        choices=("fr", "en", "bilingual"),
        help="document language, or both side by side (default: the answers' language)",
    )
    build.add_argument(
        "--only",
        type=_kinds,
        metavar="KIND,...",
        help="build only these kinds of document (as `assess --json` lists them)",
    )
    build.add_argument(
        "--against",
        type=Path,
        metavar="SIGNED.docx",
        help="the signed version: also write the new one with its changes tracked",
    )
    build.add_argument("--draft", action="store_true", help="build despite blockers, marked DRAFT")
    build.add_argument("--force", action="store_true", help="replace existing documents")
    build.add_argument("--pdf", action="store_true", help="also write PDFs (needs LibreOffice)")
    build.add_argument("--clauses", type=Path, metavar="DIR", help="a firm's own clauses")

    assess = commands.add_parser("assess", help="roles, documents due and legal findings")
    assess.add_argument("answers", type=Path, metavar="ANSWERS")
    assess.add_argument("--json", action="store_true", help="print one JSON object")
    assess.add_argument("--lang", choices=("fr", "en"), help="language of the messages")

    interview = commands.add_parser(
        "interview", help="answer questions in the terminal, get the answers file and documents"
    )
    interview.add_argument(
        "--lang",
        choices=("fr", "en"),
        help="interface language (default: the saved interview's, else the locale's)",
    )
    interview.add_argument(
        "--from",
        dest="source",
        type=Path,
        metavar="ANSWERS",
        help="start from an existing answers file",
    )
    interview.add_argument("--resume", action="store_true", help="continue where you stopped")
    interview.add_argument(
        "--out",
        type=Path,
        default=Path("."),
        metavar="DIR",
        help="where the answers and documents go (default: here)",
    )

    demo = commands.add_parser("demo", help="build every example in French and English")
    demo.add_argument("--out", type=Path, required=True, metavar="DIR")
    demo.add_argument("--jobs", type=_positive, metavar="N", help="parallel processes")
    demo.add_argument("--force", action="store_true", help="replace existing documents")
    demo.add_argument("--pdf", action="store_true", help="also write PDFs (needs LibreOffice)")

    check = commands.add_parser("check", help="check the clause library")
    check.add_argument("--clauses", type=Path, metavar="DIR", help="a firm's own clauses")

    answers = commands.add_parser("answers", help="print the answers a document was built from")
    answers.add_argument("document", type=Path, metavar="DOCUMENT.docx")

    review = commands.add_parser(
        "review",
        help="review a vendor's DPA: each Art. 28 and hospital element found, weak or missing",
        description="Read a data processing agreement Clausier did not write (.docx, or .pdf "
        "with pdftotext) and write a copy with Word comments and a one-page report. Exit 1 when "
        "an element is missing.",
    )
    review.add_argument("document", type=Path, metavar="VENDOR.docx")
    review.add_argument(
        "--lang", choices=("fr", "en"), help="the document's language (default: detected)"
    )
    review.add_argument("--out", type=Path, required=True, metavar="DIR", help="where to write")
    review.add_argument("--force", action="store_true", help="replace existing files")

    commands.add_parser("schema", help="print the answers file's JSON Schema")
    return parser


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a number of processes, not {text!r}")
    return int(text)


def _kinds(text: str) -> frozenset[str]:
    """--only dpa,dpia: kinds of document, each one Clausier builds."""
    from .legal.assessment import DUE_FROM_ANSWERS

    known = [k.value for k in DUE_FROM_ANSWERS]
    kinds = frozenset(k.strip() for k in text.split(",") if k.strip())
    unknown = sorted(kinds - set(known))
    if unknown or not kinds:
        raise argparse.ArgumentTypeError(
            f"unknown kind {', '.join(unknown) or repr(text)}; the kinds are {', '.join(known)}"
        )
    return kinds


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    from .errors import ClausierError

    try:
        return _COMMANDS[args.command](args)
    except ClausierError as exc:
        print(f"clausier: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("clausier: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED


def _language(code: str | None) -> Language | None:
    from .answers.model import Language

    return Language(code) if code else None


def _interface(requested: str | None) -> str:
    """The language of messages: the command's --lang, else the locale's (a bilingual edition
    says nothing of the user's)."""
    from .i18n import interface_language

    return interface_language(requested if requested in ("fr", "en") else None)


def _cmd_assess(args: argparse.Namespace) -> int:
    from .answers.load import load_answers
    from .legal.assessment import assess
    from .library.load import default_library
    from .library.messages import Messages

    answers = load_answers(args.answers, _interface(args.lang))
    language = _language(args.lang) or answers.language
    assessment = assess(answers, language.value)
    messages = Messages(default_library(), language)
    if args.json:
        print(json.dumps(assessment.as_dict(messages.text), ensure_ascii=False, indent=2))
    else:
        _print_assessment(args.answers, assessment, messages)
    return EXIT_BLOCKED if assessment.blockers else EXIT_OK


def _print_assessment(source: Path, assessment: Assessment, messages: Messages) -> None:
    """Roles, documents due and findings, in the language of the messages."""
    from .library.load import default_labels
    from .library.messages import HEADINGS

    language, labels = messages.language.value, default_labels()

    def say(key: str) -> str:
        return HEADINGS[key][language]

    print(f"{source}")
    if assessment.research_route:
        route = assessment.research_route.value
        print(f"  {say('route')}: {labels['Route'][route][language]}")
    print(f"  {say('due')}:" + ("" if assessment.documents else f" {say('none')}"))
    for due in assessment.documents:
        print(f"    {say(due.kind.value)}: {', '.join(due.parties)}")
    for party, roles in assessment.roles.items():
        print(f"  {party}: {', '.join(labels['Role'][r.value][language] for r in roles)}")
    for finding in assessment.findings:
        print(messages.line(finding))


def _cmd_build(args: argparse.Namespace) -> int:
    from .batch import Job, answers_files
    from .errors import InputError
    from .pipeline import Settings

    settings = Settings(
        args.out,
        args.lang,
        args.draft,
        args.force,
        args.clauses.resolve() if args.clauses else None,
        _interface(args.lang),
        args.only,
    )
    if args.against:
        settings = _against(args, settings)
    if args.parties:
        jobs = _table_jobs(args)
    else:
        if args.vary:
            raise InputError("--vary", None, None, "only with --parties TABLE")
        jobs = [Job(str(path), path=path) for path in answers_files(args.answers)]
    return _run(jobs, settings, args.jobs, args.pdf)


def _against(args: argparse.Namespace, settings: Settings) -> Settings:
    """A build against the signed version: of its kind alone, in its edition."""
    from dataclasses import replace

    from .errors import InputError
    from .word.provenance import read_provenance

    if len(args.answers) != 1 or args.answers[0].is_dir() or args.parties:
        raise InputError("--against", None, None, "goes with exactly one answers file")
    signed = read_provenance(args.against)
    if signed.kind is None or signed.edition is None:
        raise InputError(
            args.against,
            None,
            None,
            "built by a Clausier older than tracked changes (no kind or edition in its "
            "provenance); rebuild it from its answers (clausier answers) and compare with that",
        )
    if args.lang and args.lang != signed.edition:
        raise InputError(
            "--lang",
            None,
            None,
            f"the signed version is the {signed.edition} edition: compare "
            "like with like (leave --lang out)",
        )
    if args.only and signed.kind not in args.only:
        raise InputError("--only", None, None, f"the signed version is a {signed.kind}")
    only = frozenset({signed.kind})
    return replace(settings, edition=signed.edition, only=only, against=args.against)


def _table_jobs(args: argparse.Namespace) -> list[Job]:
    from .answers.tables import variants
    from .answers.yamlfile import read_yaml
    from .batch import Job
    from .errors import InputError

    if len(args.answers) != 1 or args.answers[0].is_dir():
        raise InputError("--parties", None, None, "goes with exactly one answers file")
    language = _interface(args.lang)
    rows = variants(read_yaml(args.answers[0], language), args.parties, args.vary, language)
    return [Job(f"{row.row.file}:{row.row.line_of(())}", variant=row) for row in rows]


def _run(jobs: list[Job], settings: Settings, workers: int | None, pdf: bool) -> int:
    """Run the jobs (in parallel when there are several), list the documents written, report
    findings and failures, convert to PDF if asked."""
    from .batch import default_workers, run_all
    from .pipeline import report

    workers = workers or default_workers()
    outcomes = run_all(jobs, settings, workers, progress=sys.stderr.isatty())
    documents = [document for outcome in outcomes for document in outcome.documents]
    status = report(outcomes)
    return _finish(documents, pdf, status, workers)


def _cmd_interview(args: argparse.Namespace) -> int:
    from .interview.app import run_interview

    return run_interview(args.lang, args.source, args.resume, args.out)


def _cmd_demo(args: argparse.Namespace) -> int:
    from .batch import Job
    from .pipeline import Settings
    from .resources import data_dir

    jobs = [
        Job(str(path), path=path, edition=edition)
        for path in sorted(data_dir("examples").glob("*.yaml"))
        for edition in demo_editions(path)
    ]
    return _run(jobs, Settings(args.out, force=args.force), args.jobs, args.pdf)


def demo_editions(example: Path) -> tuple[str, ...]:
    """French, and English — or, where a party must contract in French, the two side by side
    (an English-only contract with it is a blocker)."""
    from .answers.load import load_answers
    from .legal.assessment import assess

    english = assess(load_answers(example), "en")
    french_required = any(f.code == "FRENCH_REQUIRED" for f in english.findings)
    return ("fr", "bilingual") if french_required else ("fr", "en")


def _finish(documents: list[Path], pdf: bool, status: int, workers: int) -> int:
    """List what was written and, with --pdf, convert it with `workers` LibreOffice processes
    at once; a document LibreOffice fails on is one line and exit code 2, the rest convert."""
    for document in documents:
        print(document)
    words = [d for d in documents if d.suffix == ".docx"]  # not the exported spreadsheets
    if pdf and words:
        from .word.pdf import to_pdf

        conversion = to_pdf(words, workers)
        for copy in conversion.pdfs:
            print(copy)
        for failure in conversion.failures:
            print(f"clausier: {failure}", file=sys.stderr)
        if conversion.failures:
            status = max(status, EXIT_INPUT)
    return status


def _cmd_check(args: argparse.Namespace) -> int:
    from contextlib import suppress

    from .errors import InputError
    from .library.checks import check_library
    from .library.load import default_library
    from .resources import data_dir
    from .word.templates import check_templates

    firm = args.clauses.resolve() if args.clauses else None
    problems = check_library(firm)
    # The Word templates against each _document.yaml (a firm's too: it uses ours), when the
    # library loads at all (otherwise check_library has said why).
    with suppress(InputError, FileNotFoundError):
        problems += check_templates(default_library(firm))
    where = args.clauses or data_dir("clauses")
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(f"clausier: {len(problems)} problem(s) in {where}", file=sys.stderr)
        return EXIT_INPUT
    print(f"{where}: the clause library is complete and consistent, and the templates fit it")
    return EXIT_OK


def _cmd_answers(args: argparse.Namespace) -> int:
    from .word.provenance import read_answers

    sys.stdout.write(read_answers(args.document))
    return EXIT_OK


def _cmd_review(args: argparse.Namespace) -> int:
    from .review.command import run_review, summary

    review = run_review(args.document, args.lang, args.out, args.force)
    print("\n".join(summary(args.document, review)))
    return review.exit_code


def _cmd_schema(_: argparse.Namespace) -> int:
    from .answers.model import Answers

    schema = Answers.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    print(json.dumps(schema, ensure_ascii=False, indent=2))
    return EXIT_OK


_COMMANDS = {
    "interview": _cmd_interview,
    "assess": _cmd_assess,
    "build": _cmd_build,
    "demo": _cmd_demo,
    "check": _cmd_check,
    "answers": _cmd_answers,
    "review": _cmd_review,
    "schema": _cmd_schema,
}


if __name__ == "__main__":
    sys.exit(main())
