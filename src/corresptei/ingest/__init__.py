"""Ingest: source texts -> the correspondence model (corresptei.model).

``read_sources`` detects each file's format (a monthly page of the published
correspondence, or a single-letter page), reads its letters, then applies what
only the whole corpus can tell: Ibid. references resolved to the reference they
abbreviate, and garbled archival references repaired from the other references
to the same file (consensus) and from the folio sequence of the same delo
(``repairs.py``).

``spool_sources`` reads the same letters without keeping them in memory: each
letter's full model waits in a temporary file (``spool.py``) until it is asked
for, and only its head (``model.LetterHead``: persons, date, sources,
shelfmarks) stays in memory.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import IngestError
from ..model import Citation, Letter, LetterHead, Problem, Repair
from ..persons import Lexicon, default_lexicon
from .monthly import PageInfo, read_monthly
from .repairs import CorpusRepairs, letter_repairs
from .single import looks_single, read_single
from .spool import LetterSpool, letter_head, shelfmark
from .text import read_source

__all__ = ["IngestResult", "SpooledSources", "read_sources", "spool_sources", "detect_format", "letter_head",
           "letter_repairs", "shelfmark"]


@dataclass
class IngestResult:
    letters: list[Letter] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    pages: dict[str, PageInfo] = field(default_factory=dict)
    lexicon: Lexicon | None = None
    repairs: list[tuple[Letter, Citation, Repair]] = field(default_factory=list)


@dataclass
class SpooledSources:
    """What ``spool_sources`` read: ``heads[k]`` is letter k without its text, ``letter(k)`` the whole letter.

    Close it (or use it as a context manager) to remove the temporary file."""

    heads: list[LetterHead]
    spool: LetterSpool
    repairs: CorpusRepairs
    problems: list[Problem] = field(default_factory=list)
    pages: dict[str, PageInfo] = field(default_factory=dict)
    lexicon: Lexicon | None = None

    def letter(self, k: int) -> Letter:
        """Letter ``k`` as ``read_sources`` gives it (repairs applied); a fresh copy on every call."""
        letter = self.spool[k]
        self.repairs.apply(letter)
        return letter

    def close(self) -> None:
        self.spool.close()

    def __enter__(self) -> SpooledSources:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def detect_format(src, lex: Lexicon | None = None) -> str | None:
    from .monthly import parse_header

    lex = lex or default_lexicon()
    if any(parse_header(l, lex, None) for l in src.lines):
        return "monthly"
    if looks_single(src):
        return "single"
    return None


def read_sources(paths: list[str | Path], lexicon: Lexicon | None = None) -> IngestResult:
    """Read every input; unreadable files become problems, the others are still read."""
    lex = lexicon or default_lexicon()
    result = IngestResult(lexicon=lex)
    repairs = CorpusRepairs()
    for letter in _read_letters(paths, lex, result.problems, result.pages):
        repairs.add(letter)
        result.letters.append(letter)
    repairs.finish()
    for letter in result.letters:
        repairs.apply(letter)
        result.repairs.extend((letter, cit, rep) for cit, rep in letter_repairs(letter))
    return result


def spool_sources(paths: list[str | Path], lexicon: Lexicon | None = None, *,
                  tmp_dir: str | None = None) -> SpooledSources:
    """Read every input as ``read_sources`` does, keeping only the letters' heads in memory."""
    lex = lexicon or default_lexicon()
    result = SpooledSources(heads=[], spool=LetterSpool(tmp_dir), repairs=CorpusRepairs(), lexicon=lex)
    # witnesses whose shelfmark a corpus repair may change, with a copy of their reference to repair
    pending: list[tuple[LetterHead, int, Citation]] = []
    try:
        for letter in _read_letters(paths, lex, result.problems, result.pages):
            result.repairs.add(letter)
            result.spool.append(letter)
            head = letter_head(letter)
            result.heads.append(head)
            pending.extend((head, k, _shelfmark_only(w.citation)) for k, w in enumerate(letter.witnesses)
                           if w.citation.repairs)
        result.repairs.finish()
        for head, k, c in pending:
            result.repairs.repair_witness(c)
            head.witnesses = head.witnesses[:k] + (shelfmark(c),) + head.witnesses[k + 1:]
    except BaseException:
        result.close()
        raise
    return result


def _shelfmark_only(c: Citation) -> Citation:
    """A copy of a reference with what a corpus repair reads and changes (the rest of the letter is spooled)."""
    return Citation("", fond=c.fond, opis=c.opis, delo=c.delo, sheets=c.sheets, ranges=list(c.ranges),
                    repairs=[copy.copy(r) for r in c.repairs])


def _read_letters(paths: list[str | Path], lex: Lexicon, problems: list[Problem],
                  pages: dict[str, PageInfo]) -> Iterator[Letter]:
    """The letters of every input, file by file; the files' problems and page facts are collected on the way."""
    for path in paths:
        try:
            src = read_source(path)
        except IngestError as exc:
            problems.append(Problem(str(path), exc.line or 1, "error", exc.message))
            continue
        fmt = detect_format(src, lex)
        if fmt == "monthly":
            letters, found, info = read_monthly(src, lex)
            pages[src.path] = info
        elif fmt == "single":
            letters, found = read_single(src, lex)
        else:
            problems.append(Problem(src.path, 1, "error", "no letter found: neither a header "
                                    "'Senders to Recipients Date' nor a letter title 'Letter to …, date'"))
            continue
        yield from letters
        problems.extend(found)
