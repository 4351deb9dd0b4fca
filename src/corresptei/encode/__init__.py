"""Encode: the correspondence model -> TEI P5 documents and a personography.

Library entry point: ``encode_paths(inputs, out_dir)`` reads the inputs (see
``corresptei.ingest``), builds one TEI document per letter plus ``persons.xml``,
checks that no source word was lost, and writes the files atomically without
overwriting hand edits.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ..ingest import IngestResult, read_sources
from ..model import Problem
from .corpus import EncodedLetter, encode_corpus
from .lossless import missing_words
from .writer import Plan, apply, plan, serialise

__all__ = ["EncodeReport", "LetterReport", "encode_paths", "encode_result"]


@dataclass
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


@dataclass
class EncodeReport:
    letters: list[LetterReport] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    merged: list[str] = field(default_factory=list)
    plan: Plan | None = None
    files: dict[str, bytes] = field(default_factory=dict)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def lost_words(self) -> int:
        return sum(sum(r.missing.values()) for r in self.letters)


def encode_result(result: IngestResult) -> tuple[list[EncodedLetter], EncodeReport]:
    edition = None
    for info in result.pages.values():
        if info.edition:
            edition = {"title": info.edition, "publisher": info.publisher, "pub_place": info.pub_place,
                       "year": info.pub_year}
            break
    encoded, persons, merged = encode_corpus(result, edition)
    report = EncodeReport(problems=list(result.problems))
    for first, other in merged:
        report.merged.append(f"{other.sources[0].path}:{other.header_line} is the same document as "
                             f"{first.sources[0].path}:{first.header_line} (same date, delo and sheets): one letter")
    repairs_by_letter: dict[int, list[str]] = {}
    for letter, cit, rep in result.repairs:
        repairs_by_letter.setdefault(id(letter), []).append(
            f"{cit.printed!r}: {rep.part} {rep.printed!r} -> {rep.corrected!r} (cert {rep.cert}; {rep.reason})")
    for e in encoded:
        notes = [n for d in e.letter.divisions for n in d.notes]
        report.letters.append(LetterReport(
            xml_id=e.xml_id, filename=e.filename, title=e.title,
            source=f"{e.letter.sources[0].path}:{e.letter.header_line}",
            notes=len(notes),
            inferred=[n.n for n in notes if n.anchor == "inferred"],
            unresolved=[n.n for n in notes if n.anchor == "unresolved"],
            repairs=repairs_by_letter.get(id(e.letter), []),
            missing=missing_words(e.letter.source_lines, e.tree),
        ))
        report.files[e.filename] = serialise(e.tree)
    report.files["persons.xml"] = serialise(persons)
    return encoded, report


def encode_paths(inputs: list[str | Path], out_dir: str | Path, *, check: bool = False,
                 force: bool = False) -> EncodeReport:
    """Encode ``inputs`` into ``out_dir``; with ``check`` write nothing, only plan."""
    result = read_sources(inputs)
    _, report = encode_result(result)
    out = Path(out_dir)
    report.plan = plan(out, report.files, force=force)
    if not check:
        apply(report.plan, report.files)
    return report
