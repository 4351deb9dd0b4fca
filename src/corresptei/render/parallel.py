"""The letter pass: every letter parsed once and transformed, in worker processes.

A :class:`LetterJob` names one letter, the files to write from it (stage and
output file: the HTML page, the text file) and the *products* to send back to
the parent for the corpus-wide outputs:

``site-index``
    the letter's record in the site index (``site-index.xsl``), for the index pages;
``corpus-text``
    the letter's part of ``corpus.txt`` (the text stylesheet's corpus separator
    and the letter's text).

The worker parses the letter once and hands the same document to every stage
that needs it.  Files are written atomically, without an fsync each (the caller
syncs once after the pass).  Products come back in the order of the jobs.

Workers are *spawned* (a fresh interpreter each), never forked: a process that
holds a SaxonC processor (a GraalVM isolate, with threads of its own) cannot
safely fork, and the parent may hold one already (a validation before, a render
before).  Each worker creates one processor and compiles each stylesheet once.  An error in a
worker reaches the parent as a :class:`TransformError` naming the letter's file.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Sequence

from ..errors import TransformError
from ..fsutil import atomic_write_text

#: What a worker can send back, and the stage that makes it.
PRODUCTS: dict[str, str] = {"site-index": "site-index", "corpus-text": "text"}

#: Below this many letters per worker, starting a worker costs more than it saves
#: (a worker starts in about half a second; a letter takes about a millisecond).
MIN_LETTERS_PER_WORKER = 200


@dataclass(frozen=True)
class LetterJob:
    """What to make of one letter."""

    path: str
    #: (stage, output file) pairs: files the worker writes
    writes: tuple[tuple[str, str], ...] = ()
    #: products the worker sends back (keys of :data:`PRODUCTS`)
    returns: tuple[str, ...] = ()


def default_jobs() -> int:
    """All the cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def worker_count(jobs: int | None, letters: int) -> int:
    """Worker processes for ``letters`` letters: ``jobs`` (at most one per letter),
    or by default all cores, fewer for a small corpus (1 means in this process)."""
    if jobs is not None:
        return max(1, min(jobs, letters))
    return max(1, min(default_jobs(), letters // MIN_LETTERS_PER_WORKER))


class LetterWorker:
    """One process's engine and personography; makes :class:`LetterJob` s."""

    def __init__(self, persons: str | None) -> None:
        from .stages import engine

        self.engine = engine()
        self.params = {"persons": self.engine.parse(path=Path(persons))} if persons else {}
        self._separator: str | None = None

    def separator(self) -> str:
        """What stands before each letter in the corpus text."""
        if self._separator is None:
            self._separator = self.engine.call_template("text", "corpus-separator")
        return self._separator

    def run(self, job: LetterJob) -> dict[str, str]:
        """Write the job's files; return its products."""
        node = self.engine.parse(path=Path(job.path))
        done: dict[str, str] = {}

        def result(stage: str) -> str:
            if stage not in done:
                done[stage] = self.engine.transform(stage, node, self.params, source=job.path)
            return done[stage]

        for stage, out in job.writes:
            text = result(stage)
            try:
                atomic_write_text(out, text, durable=False)
            except OSError as exc:
                raise TransformError(f"{job.path}: cannot write {out}: {exc.strerror or exc}") from exc
        products: dict[str, str] = {}
        for product in job.returns:
            text = result(PRODUCTS[product])
            products[product] = self.separator() + text if product == "corpus-text" else text
        return products


# ------------------------------------------------------------ worker processes

_PERSONS: str | None = None
_WORKER: LetterWorker | None = None


def _init(persons: str | None) -> None:
    # Nothing here may fail (a failed initializer breaks the whole pool): the
    # engine is made by the first job, whose error then names its letter.
    global _PERSONS
    _PERSONS = persons


def _run(job: LetterJob) -> dict[str, str]:
    global _WORKER
    try:
        if _WORKER is None:
            _WORKER = LetterWorker(_PERSONS)
        return _WORKER.run(job)
    except TransformError:
        raise
    except Exception as exc:  # anything else: name the file, keep the message picklable
        raise TransformError(f"{job.path}: {type(exc).__name__}: {exc}") from None


def run_jobs(jobs: Sequence[LetterJob], persons: Path | None, workers: int) -> Iterator[dict[str, str]]:
    """Make every job; yield each one's products, in the order of ``jobs``.

    ``workers`` = 1 makes them in this process, with its engine.  Spawned workers
    import the caller's main module again, as ``multiprocessing`` does: a script
    that renders must guard its entry point with ``if __name__ == "__main__":``.
    """
    persons_arg = str(persons) if persons is not None else None
    if workers <= 1:
        worker = LetterWorker(persons_arg)
        for job in jobs:
            try:
                made = worker.run(job)
            except TransformError:
                raise
            except Exception as exc:
                raise TransformError(f"{job.path}: {type(exc).__name__}: {exc}") from exc
            yield made
        return
    pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"),
                               initializer=_init, initargs=(persons_arg,))
    try:
        chunksize = max(1, min(16, len(jobs) // (workers * 8)))
        yield from pool.map(_run, jobs, chunksize=chunksize)
    except BrokenProcessPool as exc:
        raise TransformError(
            f"a render worker process stopped unexpectedly ({exc}); if a script calls "
            "corresptei.render, guard its entry point with `if __name__ == \"__main__\":`, "
            "or render in one process (jobs=1, --jobs 1)") from exc
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
