"""Encode: the correspondence model -> TEI P5 documents and a personography.

Library entry point: ``encode_paths(inputs, out_dir)`` reads the inputs (see
``corresptei.ingest``), builds one TEI document per letter plus ``persons.xml``,
checks that no source word was lost, and writes the files atomically without
overwriting hand edits.

It streams: the inputs are spooled (``ingest.spool_sources``), the corpus is
planned on the letters' heads, and each letter is then loaded, encoded, checked
and staged for writing before the next (``CorpusEncoder``, ``writer.Batch``).
Memory holds the heads and a small report per letter, not the letters' text,
trees or bytes.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ..ingest import IngestResult, spool_sources
from ..ingest.monthly import PageInfo
from ..model import LetterHead, Problem
from .corpus import PERSONS_FILE, CorpusEncoder, EncodedLetter, encode_corpus
from .lossless import missing_words
from .writer import Batch, Plan, serialise

__all__ = ["EncodeReport", "LetterReport", "encode_paths", "encode_result"]


@dataclass(slots=True)
class LetterReport:
    xml_id: str
    filename: str
    title: str
    source: str  # path:line of the header
    notes: int
    inferred: list[int]
    unresolved: list[int]
    repairs: list[str]
    missing: Counter


@dataclass(repr=False)
class EncodeReport:
    letters: list[LetterReport] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    merged: list[str] = field(default_factory=list)
    plan: Plan | None = None
    files: list[str] = field(default_factory=list)  # names of the generated files: the letters', then persons.xml

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def lost_words(self) -> int:
        return sum(sum(r.missing.values()) for r in self.letters)

    def __repr__(self) -> str:  # a summary: the report of a large corpus runs to megabytes
        return (f"EncodeReport({len(self.letters)} letters, {len(self.problems)} problems, "
                f"{len(self.merged)} merged, {self.lost_words} lost words, {len(self.files)} files, plan={self.plan!r})")


def _edition(pages: dict[str, PageInfo]) -> dict | None:
    for info in pages.values():
        if info.edition:
            return {"title": info.edition, "publisher": info.publisher, "pub_place": info.pub_place,
                    "year": info.pub_year}
    return None


def _merge_note(first: LetterHead, other: LetterHead) -> str:
    return (f"{other.sources[0].path}:{other.header_line} is the same document as "
            f"{first.sources[0].path}:{first.header_line} (same date, delo and sheets): one letter")


def _letter_report(e: EncodedLetter) -> LetterReport:
    notes = [n for d in e.letter.divisions for n in d.notes]
    return LetterReport(
        xml_id=e.xml_id, filename=e.filename, title=e.title,
        source=f"{e.letter.sources[0].path}:{e.letter.header_line}",
        notes=len(notes),
        inferred=[n.n for n in notes if n.anchor == "inferred"],
        unresolved=[n.n for n in notes if n.anchor == "unresolved"],
        repairs=[f"{cit.printed!r}: {rep.part} {rep.printed!r} -> {rep.corrected!r} (cert {rep.cert}; {rep.reason})"
                 for cit, rep in e.repairs],
        missing=missing_words(e.letter.source_lines, e.tree),
    )


def encode_result(result: IngestResult) -> tuple[list[EncodedLetter], EncodeReport]:
    """Encode a corpus read into memory (``read_sources``), keeping every letter's tree.

    For tests and small corpora; writes nothing.  The letters of ``result`` are
    merged in place where two are the same document."""
    encoded, _persons, merged = encode_corpus(result, _edition(result.pages))
    report = EncodeReport(problems=list(result.problems), merged=[_merge_note(f, o) for f, o in merged])
    for e in encoded:
        report.letters.append(_letter_report(e))
        report.files.append(e.filename)
    report.files.append(PERSONS_FILE)
    return encoded, report


def encode_paths(inputs: list[str | Path], out_dir: str | Path, *, check: bool = False,
                 force: bool = False) -> EncodeReport:
    """Encode ``inputs`` into ``out_dir``; with ``check`` write nothing, only plan."""
    with spool_sources(inputs) as sources, Batch(Path(out_dir), force=force, dry_run=check) as batch:
        heads, sources.heads = sources.heads, []  # needed only to plan the corpus
        corpus = CorpusEncoder(heads, sources.letter, sources.lexicon, _edition(sources.pages))
        del heads
        report = EncodeReport(problems=list(sources.problems),
                              merged=[_merge_note(f, o) for f, o in corpus.merged])
        for e in corpus:
            report.letters.append(_letter_report(e))
            batch.add(e.filename, serialise(e.tree))
            report.files.append(e.filename)
        sources.close()  # before the files are synced: the spool's pages need not reach the disk
        batch.add(PERSONS_FILE, serialise(corpus.personography()))
        report.files.append(PERSONS_FILE)
        report.plan = batch.finish()
    return report
