"""Ingest: source texts -> the correspondence model (corresptei.model).

``read_sources`` detects each file's format (a monthly page of the published
correspondence, or a single-letter page), reads its letters, then applies what
only the whole corpus can tell: Ibid. references resolved to the reference they
abbreviate, and garbled archival references repaired from the other references
to the same file (consensus) and from the folio sequence of the same delo.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import IngestError
from ..model import Citation, Letter, Problem, Repair
from ..persons import Lexicon, default_lexicon
from . import grammar as g
from .monthly import PageInfo, read_monthly
from .single import looks_single, read_single
from .text import read_source

__all__ = ["IngestResult", "read_sources", "detect_format"]


@dataclass
class IngestResult:
    letters: list[Letter] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    pages: dict[str, PageInfo] = field(default_factory=dict)
    lexicon: Lexicon | None = None
    repairs: list[tuple[Letter, Citation, Repair]] = field(default_factory=list)


def detect_format(src) -> str | None:
    from .monthly import parse_header

    lex = default_lexicon()
    if any(parse_header(l, lex, None) for l in src.lines):
        return "monthly"
    if looks_single(src):
        return "single"
    return None


def read_sources(paths: list[str | Path], lexicon: Lexicon | None = None) -> IngestResult:
    """Read every input; unreadable files become problems, the others are still read."""
    lex = lexicon or default_lexicon()
    result = IngestResult(lexicon=lex)
    for path in paths:
        try:
            src = read_source(path)
        except IngestError as exc:
            result.problems.append(Problem(str(path), exc.line or 1, "error", exc.message))
            continue
        fmt = detect_format(src)
        if fmt == "monthly":
            letters, problems, info = read_monthly(src, lex)
            result.pages[src.path] = info
        elif fmt == "single":
            letters, problems = read_single(src, lex)
        else:
            result.problems.append(Problem(src.path, 1, "error", "no letter found: neither a header "
                                           "'Senders to Recipients Date' nor a letter title 'Letter to …, date'"))
            continue
        for letter in letters:
            _find_note_citations(letter)
        result.letters.extend(letters)
        result.problems.extend(problems)
    _resolve_ibid(result.letters)
    _repair_by_consensus(result)
    _repair_by_folio_sequence(result)
    for letter in result.letters:
        for cit in _all_citations(letter):
            for rep in cit.repairs:
                result.repairs.append((letter, cit, rep))
    return result


def _find_note_citations(letter: Letter) -> None:
    for div in letter.divisions:
        for note in div.notes:
            note.citations = [g.find_citations(p) for p in note.paragraphs]


def _note_citations(letter: Letter):
    for div in letter.divisions:
        for note in div.notes:
            for cits in note.citations:
                yield from cits


def _all_citations(letter: Letter):
    for w in letter.witnesses:
        yield w.citation
    yield from _note_citations(letter)


def _resolve_ibid(letters: list[Letter]) -> None:
    """Ibid. stands for the previous reference of the apparatus (the notes), in page order."""
    previous: dict[str, Citation] = {}
    for letter in letters:
        src = letter.sources[0].path
        for cit in _note_citations(letter):
            prev = previous.get(src)
            if cit.ibid:
                if prev is None:
                    continue
                full = copy.copy(prev)
                full.repairs = []
                given = [p for p in g.PARTS if cit.values.get(p)]
                if given:
                    first = g.PARTS.index(given[0])
                    for p in g.PARTS[first:]:
                        setattr(full, "sheets" if p == "list" else p, getattr(cit, "sheets" if p == "list" else p))
                    full.ranges = cit.ranges
                cit.resolved = full
                cit.archive = cit.archive or prev.archive
                previous[src] = full
            else:
                if cit.archive is None and prev is not None:
                    cit.archive = None  # a bare "F. …" keeps the archive of the letter (stated at encode time)
                previous[src] = cit


def _repair_by_consensus(result: IngestResult) -> None:
    """Op. read from a garbled token is checked against every clean reference to the same fond and delo."""
    seen: dict[tuple, set[str]] = {}
    for letter in result.letters:
        for cit in _all_citations(letter):
            if cit.fond and cit.delo and cit.opis and not any(r.part == "opis" for r in cit.repairs):
                seen.setdefault((cit.fond, cit.delo), set()).add(cit.opis)
    for letter in result.letters:
        for cit in _all_citations(letter):
            rep = next((r for r in cit.repairs if r.part == "opis"), None)
            if rep is None:
                continue
            known = seen.get((cit.fond, cit.delo), set())
            if len(known) == 1:
                (opis,) = known
                n = sum(1 for l in result.letters for c in _all_citations(l)
                        if (c.fond, c.delo, c.opis) == (cit.fond, cit.delo, opis) and not c.repairs)
                rep.corrected = cit.opis = opis
                rep.cert = "high"
                rep.reason = (f"misread '{rep.printed}'; every other reference to F. {cit.fond}, D. {cit.delo} "
                              f"({n} in this corpus) reads Op. {opis}")


def _repair_by_folio_sequence(result: IngestResult) -> None:
    """A garbled last sheet is read from the next letter of the same delo: it starts one sheet later."""
    by_delo: dict[tuple, list[Citation]] = {}
    for letter in result.letters:
        for w in letter.witnesses:
            c = w.citation
            if c.ranges:
                by_delo.setdefault((c.fond, c.opis, c.delo), []).append(c)
    for cits in by_delo.values():
        for c in cits:
            rep = next((r for r in c.repairs if r.part == "list"), None)
            if rep is None:
                continue
            start = g.sheet_number(c.ranges[0][0])
            following = sorted(
                (g.sheet_number(o.ranges[0][0]) for o in cits if o is not c and g.sheet_number(o.ranges[0][0]) > start)
            )
            if not following:
                continue
            end = following[0] - 1
            read = g.sheet_number(c.ranges[-1][1])
            c.ranges[-1] = (c.ranges[-1][0], str(end))
            c.sheets = rep.corrected = f"{c.ranges[0][0]}–{end}" if len(c.ranges) == 1 else rep.corrected
            if read == end:
                rep.cert = "high"
                rep.reason = (f"'{rep.printed}' read as {rep.corrected}; confirmed by the folio sequence: "
                              f"the next letter of D. {c.delo} begins at L. {following[0]}")
            else:
                rep.cert = "medium"
                rep.reason = (f"'{rep.printed}' cannot be read; inferred from the folio sequence: "
                              f"the next letter of D. {c.delo} begins at L. {following[0]}")
