"""Building documents for many answers at once: each answers file (or each row of a parties
table) is a job; jobs run in parallel processes, and one that fails never stops the others.

Workers are forked from a parent that has already loaded the clause library and the
templates, so no worker pays for imports or parsing; each returns an Outcome (documents
written, or the one-line reasons it failed) and the parent reports them all at the end.
"""

from __future__ import annotations

import gc
import itertools
import os
import signal
import sys
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import EXIT_INPUT, ClausierError, InputError
from .pipeline import Outcome, Settings, build

if TYPE_CHECKING:
    from .answers.tables import Variant


@dataclass(frozen=True)
class Job:
    """One answers file to build, or one row of a parties table (`variant`)."""

    source: str  # how messages name it: a file, or "centres.csv:4"
    path: Path | None = None
    variant: Variant | None = None  # answers with one party's details replaced
    edition: str | None = None  # overrides Settings.edition (the demo builds both)


def run_job(job: Job, settings: Settings) -> Outcome:
    """A job's outcome; bad input and unwritable output become its messages, not exceptions."""
    from .answers.load import load_answers

    try:
        if job.variant is not None:
            answers = job.variant.answers(settings.interface)
            return build(answers, job.source, settings, job.edition, job.variant.party)
        answers = load_answers(job.path, settings.interface)
        return build(answers, job.source, settings, job.edition)
    except ClausierError as error:  # one line a mistake (all of a file's: InputErrors)
        return Outcome(job.source, EXIT_INPUT, messages=tuple(str(error).split("\n")))
    except Exception as error:  # a bug of ours must not cost the other jobs their documents
        message = f"{job.source}: internal error, please report it: {error!r}"
        return Outcome(job.source, EXIT_INPUT, messages=(message,))
    finally:
        # A built document is a cycle of python-docx objects over lxml trees; the trees' memory
        # is C memory, which never prompts Python's collector, so a worker grew ~1 MB a job.
        # Collecting every other job bounds it, cheaply once the long-lived objects are frozen
        # (below): a worker building 200 whole sets (a DPA, its record entries, its DPIA
        # outline) peaks at 118 MB (every 4 jobs, unfrozen: 147 MB; `make bench` (g), budget
        # 150 MB).
        done = next(_JOBS_DONE)
        if done % COLLECT_EVERY == 0:
            gc.collect()
        if done == COLLECT_EVERY:
            # What is left now is what every job reuses: the library, the templates, the
            # caches the first jobs filled. Frozen, later collections no longer walk it
            # (each took ~60 ms; 8 ms once frozen); refcounting still frees what they drop.
            gc.freeze()


COLLECT_EVERY = 2
_JOBS_DONE = itertools.count(1)


def answers_files(paths: Iterable[Path]) -> Iterator[Path]:
    """The answers files named, a folder standing for every .yaml/.yml file in it."""
    for path in paths:
        if path.is_dir():
            found = sorted(p for p in path.iterdir() if p.suffix in (".yaml", ".yml"))
            if not found:
                raise InputError(path, None, None, "no answers file (*.yaml) in this folder")
            yield from found
        else:
            yield path


def run_all(
    jobs: list[Job], settings: Settings, workers: int, progress: bool = False
) -> list[Outcome]:
    """Every job's outcome, in the order of `jobs`; in `workers` processes when more than one."""
    workers = max(1, min(workers, len(jobs)))
    show = _ProgressBar(len(jobs)) if progress else None
    outcomes: list[Outcome | None] = [None] * len(jobs)
    try:
        if workers == 1:
            for index, job in enumerate(jobs):
                outcomes[index] = run_job(job, settings)
                if show:
                    show.advance()
        else:
            _in_parallel(jobs, settings, workers, outcomes, show)
    finally:
        if show:
            show.done()
    return _clashes_failed([o for o in outcomes if o is not None])


def _in_parallel(
    jobs: list[Job],
    settings: Settings,
    workers: int,
    outcomes: list[Outcome | None],
    show: _ProgressBar | None,
) -> None:
    _warm_up(settings)
    with ProcessPoolExecutor(workers, mp_context=_fork(), initializer=_ignore_ctrl_c) as pool:
        pending: dict[Future[Outcome], int] = {
            pool.submit(run_job, job, settings): index for index, job in enumerate(jobs)
        }
        try:
            for future in as_completed(pending):
                index = pending[future]
                try:
                    outcomes[index] = future.result()
                except Exception as error:  # the worker died (killed, out of memory)
                    message = f"{jobs[index].source}: the process building it stopped: {error!r}"
                    outcomes[index] = Outcome(jobs[index].source, EXIT_INPUT, messages=(message,))
                if show:
                    show.advance()
        except BaseException:  # Ctrl+C: let the workers finish the document in hand, then stop
            pool.shutdown(wait=True, cancel_futures=True)
            raise


def _clashes_failed(outcomes: list[Outcome]) -> list[Outcome]:
    """A job that wrote a file another job of the batch wrote too (same party and language
    twice, with --force) failed: the file holds only one of them."""
    first: dict[Path, str] = {}
    checked = []
    for outcome in outcomes:
        clashes = [d for d in outcome.documents if d in first]
        first.update((d, outcome.source) for d in outcome.documents if d not in first)
        if clashes:
            messages = tuple(
                f"{d}: also built from {first[d]}; it holds one of them" for d in clashes
            )
            kept = tuple(d for d in outcome.documents if d not in clashes)
            outcome = Outcome(outcome.source, EXIT_INPUT, kept, messages)
        checked.append(outcome)
    return checked


def _warm_up(settings: Settings) -> None:
    """Load what every job needs before forking, so workers start with it in memory."""
    from .library.load import default_library
    from .word import render

    default_library(settings.clauses)
    render.warm_up()
    # Moved out of the collector's sight, the parent's objects are never written to by a
    # worker's collections: they stay shared pages instead of being copied into each worker.
    gc.freeze()


def _fork() -> Any:
    """Fork where the platform has it (workers inherit the warm parent); spawn elsewhere."""
    import multiprocessing

    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def _ignore_ctrl_c() -> None:
    """Ctrl+C is the parent's to handle: workers finish the document in hand, then stop."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def default_workers() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # macOS, Windows
        return os.cpu_count() or 1


class _ProgressBar:
    """`[██████░░░░] 120/200` on stderr, redrawn in place (only when stderr is a terminal)."""

    def __init__(self, total: int, width: int = 30, stream: Any = None):
        self.total, self.width, self.done_count = total, width, 0
        self.stream = stream or sys.stderr
        self._draw()

    def advance(self) -> None:
        self.done_count += 1
        self._draw()

    def _draw(self) -> None:
        filled = self.width * self.done_count // max(self.total, 1)
        bar = "█" * filled + "░" * (self.width - filled)
        self.stream.write(f"\r[{bar}] {self.done_count}/{self.total}")
        self.stream.flush()

    def done(self) -> None:
        self.stream.write("\r" + " " * (self.width + 24) + "\r")
        self.stream.flush()
