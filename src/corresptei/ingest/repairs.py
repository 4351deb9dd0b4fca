"""What only the whole corpus can tell about the archival references of a letter.

Ibid. stands for the previous reference of the same page's apparatus; an Op. read
from a garbled token is repaired from every clean reference to the same fond and
delo (consensus); a garbled last sheet is read from where the next letter of the
same delo begins (folio sequence).

``CorpusRepairs`` learns what it needs letter by letter (``add``, in page order),
keeping only small indexes; once every letter has been added (``finish``) it
repairs any letter on its own (``apply``).  The letters need not stay in memory
in between: ``read_sources`` keeps them, ``spool_sources`` does not.
"""

from __future__ import annotations

import bisect
import copy
from collections import Counter
from collections.abc import Iterator

from ..model import Citation, Letter, Repair
from . import grammar as g

__all__ = ["CorpusRepairs", "all_citations", "letter_repairs"]


def note_citations(letter: Letter) -> Iterator[Citation]:
    for div in letter.divisions:
        for note in div.notes:
            for cits in note.citations:
                yield from cits


def all_citations(letter: Letter) -> Iterator[Citation]:
    """The letter's references: its witnesses', then those in its notes, in order."""
    for w in letter.witnesses:
        yield w.citation
    yield from note_citations(letter)


def letter_repairs(letter: Letter) -> Iterator[tuple[Citation, Repair]]:
    """Every corrected reading of the letter's references, with its reference."""
    for cit in all_citations(letter):
        for rep in cit.repairs:
            yield cit, rep


def _opis_repair(cit: Citation) -> Repair | None:
    return next((r for r in cit.repairs if r.part == "opis"), None)


class CorpusRepairs:
    def __init__(self) -> None:
        #: source path -> the last reference of its apparatus so far (what the next Ibid. stands for)
        self._previous: dict[str, Citation] = {}
        #: (fond, delo) -> Op. of the references to it read without an Op. repair
        self._opis: dict[tuple, set[str]] = {}
        #: (fond, delo, opis) -> how many references to it were read without any repair
        self._clean: Counter = Counter()
        #: (fond, delo, Op. as read, Op. repaired?) -> first sheets of the witnesses
        self._starts_read: dict[tuple, set[int]] = {}
        #: (fond, opis, delo), Op. after consensus -> the witnesses' first sheets, sorted (set by ``finish``)
        self._starts: dict[tuple, list[int]] | None = None

    def add(self, letter: Letter) -> None:
        """Find the letter's note references, resolve its Ibid., and learn its references."""
        if self._starts is not None:
            raise RuntimeError("CorpusRepairs.add after finish")
        for div in letter.divisions:
            for note in div.notes:
                note.citations = [g.find_citations(p) for p in note.paragraphs]
        self._resolve_ibid(letter)
        for cit in all_citations(letter):
            if cit.fond and cit.delo and cit.opis and _opis_repair(cit) is None:
                self._opis.setdefault((cit.fond, cit.delo), set()).add(cit.opis)
            if not cit.repairs:
                self._clean[(cit.fond, cit.delo, cit.opis)] += 1
        for w in letter.witnesses:
            c = w.citation
            if c.ranges:
                start = g.sheet_number(c.ranges[0][0])
                starts = self._starts_read.setdefault((c.fond, c.delo, c.opis, _opis_repair(c) is not None), set())
                if start is not None:
                    starts.add(start)

    def finish(self) -> None:
        """Every letter has been added: index the folio sequence by the repaired Op."""
        starts: dict[tuple, set[int]] = {}
        for (fond, delo, opis, repaired), found in self._starts_read.items():
            if repaired:
                opis = self._consensus(fond, delo) or opis
            starts.setdefault((fond, opis, delo), set()).update(found)
        self._starts = {key: sorted(found) for key, found in starts.items()}
        self._starts_read = {}
        self._previous = {}  # every Ibid. is resolved

    def apply(self, letter: Letter) -> None:
        """Repair the letter's references from what the corpus says (once per letter, after ``finish``)."""
        if self._starts is None:
            raise RuntimeError("CorpusRepairs: repairs before finish")
        for w in letter.witnesses:
            self.repair_witness(w.citation)
        for cit in note_citations(letter):
            self._repair_opis(cit)

    def repair_witness(self, c: Citation) -> None:
        """Repair a witness's reference: its Op., then its last sheet."""
        if self._starts is None:
            raise RuntimeError("CorpusRepairs: repairs before finish")
        self._repair_opis(c)
        self._repair_last_sheet(c)

    # ------------------------------------------------------------------ Ibid.
    def _resolve_ibid(self, letter: Letter) -> None:
        """Ibid. stands for the previous reference of the apparatus (the notes), in page order."""
        previous = self._previous
        src = letter.sources[0].path
        for cit in note_citations(letter):
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

    # ------------------------------------------------------------------ consensus
    def _consensus(self, fond: str | None, delo: str | None) -> str | None:
        """The Op. every clean reference to this fond and delo reads, when they agree."""
        known = self._opis.get((fond, delo), set())
        if len(known) == 1:
            (opis,) = known
            return opis
        return None

    def _repair_opis(self, cit: Citation) -> None:
        """Op. read from a garbled token is checked against every clean reference to the same fond and delo."""
        rep = _opis_repair(cit)
        if rep is None:
            return
        opis = self._consensus(cit.fond, cit.delo)
        if opis is None:
            return
        n = self._clean[(cit.fond, cit.delo, opis)]
        rep.corrected = cit.opis = opis
        rep.cert = "high"
        rep.reason = (f"misread '{rep.printed}'; every other reference to F. {cit.fond}, D. {cit.delo} "
                      f"({n} in this corpus) reads Op. {opis}")

    # ------------------------------------------------------------------ folio sequence
    def _repair_last_sheet(self, c: Citation) -> None:
        """A garbled last sheet is read from the next letter of the same delo: it starts one sheet later."""
        if not c.ranges:
            return
        rep = next((r for r in c.repairs if r.part == "list"), None)
        if rep is None:
            return
        starts = self._starts.get((c.fond, c.opis, c.delo), [])
        start = g.sheet_number(c.ranges[0][0])
        k = bisect.bisect_right(starts, start)
        if k == len(starts):
            return
        following = starts[k]
        end = following - 1
        read = g.sheet_number(c.ranges[-1][1])
        c.ranges[-1] = (c.ranges[-1][0], str(end))
        c.sheets = rep.corrected = f"{c.ranges[0][0]}–{end}" if len(c.ranges) == 1 else rep.corrected
        if read == end:
            rep.cert = "high"
            rep.reason = (f"'{rep.printed}' read as {rep.corrected}; confirmed by the folio sequence: "
                          f"the next letter of D. {c.delo} begins at L. {following}")
        else:
            rep.cert = "medium"
            rep.reason = (f"'{rep.printed}' cannot be read; inferred from the folio sequence: "
                          f"the next letter of D. {c.delo} begins at L. {following}")
