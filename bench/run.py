"""`make bench`: Clausier's speed and memory against the budgets of DESIGN.md, in one run.

Every figure is a median over several runs, measured here and now: the machines are shared and
noisy, so the ratios (Clausier against the docxtpl floor, parallel against serial) matter more
than the absolute times. Run it on a quiet machine; it takes under three minutes, most of it
LibreOffice's (the PDF figure is skipped without it).
"""

from __future__ import annotations

import argparse
import fcntl
import os
import pty
import resource
import select
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from collections.abc import Callable
from io import BytesIO
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "chu-teleconsultation.yaml"
CLAUSIER = str(Path(sys.executable).parent / "clausier")


def median_seconds(run: Callable[[], object], times: int, warm_up: int = 1) -> float:
    for _ in range(warm_up):
        run()
    samples = []
    for _ in range(times):
        start = time.perf_counter()
        run()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def floor_and_clausier(times: int) -> tuple[float, float]:
    """(a) docxtpl alone rendering the DPA template with a ready context; (b) Clausier from the
    answers file to the finished .docx bytes (read, validate, assess, plan, render)."""
    from docxtpl import DocxTemplate
    from jinja2 import StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    from generator.answers.load import load_answers
    from generator.legal.assessment import assess
    from generator.library.load import default_library
    from generator.library.plan import plan_document
    from generator.word.render import render

    def clausier() -> bytes:
        answers = load_answers(EXAMPLE)
        assessment = assess(answers)
        due = assessment.documents[0]  # the DPA, then the record and DPIA outline
        plan = plan_document(due, answers, assessment, default_library(), answers.language)
        return render(plan, answers)

    answers = load_answers(EXAMPLE)
    assessment = assess(answers)
    plan = plan_document(
        assessment.documents[0], answers, assessment, default_library(), answers.language
    )
    template = (ROOT / "templates" / "dpa.docx").read_bytes()
    env = SandboxedEnvironment(autoescape=True, undefined=StrictUndefined)

    def floor() -> bytes:
        document = DocxTemplate(BytesIO(template))
        document.render(plan.template_context, env)
        out = BytesIO()
        document.save(out)
        return out.getvalue()

    # Interleaved, so that both see the same machine load.
    floors, ours = [], []
    floor(), clausier()
    for _ in range(times):
        floors.append(median_seconds(floor, 1, warm_up=0))
        ours.append(median_seconds(clausier, 1, warm_up=0))
    return statistics.median(floors), statistics.median(ours)


def cold(command: list[str], times: int) -> float:
    return median_seconds(
        lambda: subprocess.run(command, check=True, capture_output=True), times, warm_up=1
    )


def first_question(times: int) -> float:
    """(e) From starting `clausier interview` in a pseudo-terminal to its first question."""

    def once() -> float:
        with tempfile.TemporaryDirectory() as out:
            master, slave = pty.openpty()
            fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
            start = time.perf_counter()
            process = subprocess.Popen(
                [CLAUSIER, "interview", "--lang", "en", "--out", out],
                stdin=slave,
                stdout=slave,
                stderr=slave,
                env={**os.environ, "TERM": "xterm-256color"},
                start_new_session=True,
            )
            os.close(slave)
            seen = b""
            try:
                while b"In which language" not in seen:
                    ready, _, _ = select.select([master], [], [], 10)
                    if not ready:
                        raise RuntimeError(f"no question after 10 s: {seen[-200:]!r}")
                    seen += os.read(master, 65536)
                return time.perf_counter() - start
            finally:
                process.kill()
                process.wait()
                os.close(master)

    once()
    return statistics.median(once() for _ in range(times))


def vendor_files(folder: Path, count: int) -> list[Path]:
    """`count` answers files: the example DPA with a different vendor in each (a hospital
    renewing its DPAs: each set — the DPA, the record entries, the DPIA outline — is named
    after its vendor)."""
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    files = []
    for i in range(count):
        data["parties"][1]["name"] = f"Éditeur de santé numéro {i:03d}"
        path = folder / f"vendor-{i:03d}.yaml"
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
        files.append(path)
    return files


def batch(folder: Path, jobs: int, times: int, only: str | None = "dpa") -> tuple[float, int]:
    """(f) Seconds to build the DPAs (with `only=None`, every document due: the DPA, the
    record entries and the DPIA outline) of every answers file in `folder`, and how many
    Word documents that is."""
    out = folder.parent / f"out-{jobs}"
    kinds = ["--only", only] if only else []

    def once() -> None:
        shutil.rmtree(out, ignore_errors=True)
        subprocess.run(
            [CLAUSIER, "build", str(folder), "--out", str(out), "--jobs", str(jobs), *kinds],
            check=True,
            capture_output=True,
        )

    seconds = median_seconds(once, times, warm_up=0)
    return seconds, len(list(out.glob("*.docx")))


def worker_peak_mb(folder: Path) -> float:
    """(g) Peak resident memory of a process building every file of `folder` in turn — what
    one worker of a parallel build does at most."""
    with tempfile.TemporaryDirectory() as out:
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        subprocess.run(
            [CLAUSIER, "build", str(folder), "--out", out, "--jobs", "1"],
            check=True,
            capture_output=True,
        )
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    if peak <= before:
        raise RuntimeError("run the memory figure before any larger child process")
    return peak / 1024  # kilobytes on Linux


def pdf_rates(folder: Path, count: int, times: int) -> tuple[int, float, float] | None:
    """(h) PDF documents a second with one LibreOffice process and with two (what --pdf does
    with --jobs 1 and --jobs 2), on the first `count` demo documents (0: all), interleaved so
    that both see the same machine load (the first run, with a cold disk cache, is the
    median's outlier). None without LibreOffice."""
    from generator.word.pdf import soffice, to_pdf

    if soffice() is None:
        return None
    subprocess.run([CLAUSIER, "demo", "--out", str(folder)], check=True, capture_output=True)
    documents = sorted(folder.glob("*.docx"))[: count or None]
    samples: dict[int, list[float]] = {1: [], 2: []}
    for _ in range(times):
        for processes in samples:
            start = time.perf_counter()
            conversion = to_pdf(documents, processes)
            samples[processes].append(time.perf_counter() - start)
            if conversion.failures:
                raise RuntimeError(conversion.failures[0])
    serial, parallel = (len(documents) / statistics.median(samples[p]) for p in (1, 2))
    return len(documents), serial, parallel


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9, help="runs per figure (median)")
    parser.add_argument("--files", type=int, default=200, help="answers files in the batch")
    parser.add_argument(
        "--pdf-docs", type=int, default=0, help="demo documents to convert to PDF (default: all)"
    )
    args = parser.parse_args()
    cores = os.cpu_count() or 1

    rows: list[tuple[str, str, str, bool | None]] = []  # figure, value, target, met

    def row(figure: str, value: str, target: str = "", met: bool | None = None) -> None:
        rows.append((figure, value, target, met))

    with tempfile.TemporaryDirectory() as work:
        folder = Path(work) / "answers"
        folder.mkdir()
        vendor_files(folder, args.files)
        peak = worker_peak_mb(folder)

        floor, ours = floor_and_clausier(args.runs * 3)
        row("(a) docxtpl floor: DPA template, ready context", f"{floor * 1000:.1f} ms")
        row(
            "(b) Clausier: answers file to DPA, in-process",
            f"{ours * 1000:.1f} ms = {ours / floor:.2f}x (a)",
            "≤ 1.30x (a)",
            ours / floor <= 1.3,
        )
        help_time = cold([CLAUSIER, "--help"], args.runs)
        row("(c) cold `clausier --help`", f"{help_time * 1000:.0f} ms", "< 150 ms",
            help_time < 0.15)  # fmt: skip
        with tempfile.TemporaryDirectory() as out:
            build = cold([CLAUSIER, "build", str(EXAMPLE), "--out", out, "--force"], args.runs)
        row("(d) cold `clausier build` of one example", f"{build * 1000:.0f} ms")
        question = first_question(args.runs)
        row("(e) first interview question (pty)", f"{question * 1000:.0f} ms", "< 600 ms",
            question < 0.6)  # fmt: skip
        serial, count = batch(folder, 1, max(1, args.runs // 3))
        parallel, _ = batch(folder, cores, max(1, args.runs // 3))
        row(f"(f) batch of {args.files} DPAs, --jobs 1", f"{count / serial:.1f} docs/s")
        row(
            f"(f) batch of {args.files} DPAs, --jobs {cores}",
            f"{count / parallel:.1f} docs/s = {serial / parallel:.2f}x --jobs 1",
            "≥ 25 docs/s",
            count / parallel >= 25,
        )
        whole, count = batch(folder, cores, max(1, args.runs // 3), only=None)
        row(
            f"(f) the same files' whole sets ({count} documents), --jobs {cores}",
            f"{count / whole:.1f} docs/s",
            "≥ 25 docs/s",
            count / whole >= 25,
        )
        row("(g) peak memory of a worker", f"{peak:.0f} MB", "< 150 MB", peak < 150)
        rates = pdf_rates(Path(work) / "demo", args.pdf_docs, max(1, args.runs // 3))
        if rates is None:
            row("(h) PDF of the demo documents", "skipped: no LibreOffice (soffice)")
        else:
            count, serial, parallel = rates
            figure = f"(h) PDF of {count} demo documents"
            row(f"{figure}, --jobs 1", f"{serial:.2f} docs/s")
            row(
                f"{figure}, --jobs 2",
                f"{parallel:.2f} docs/s = {parallel / serial:.2f}x --jobs 1",
                "≥ 1.70x --jobs 1 (2 cores)",
                parallel / serial >= 1.7 if cores >= 2 else None,
            )

    width = [max(len(r[i]) for r in rows) for i in range(3)]
    print(f"Clausier benchmark — {cores} cores, medians of {args.runs} runs, Python "
          f"{sys.version.split()[0]}")  # fmt: skip
    for figure, value, target, met in rows:
        verdict = "" if met is None else ("met" if met else "MISSED")
        print(f"  {figure:<{width[0]}}  {value:<{width[1]}}  {target:<{width[2]}}  {verdict}")
    if any(met is False for *_, met in rows):
        sys.exit(1)


if __name__ == "__main__":
    main()
