"""Letters kept on disk between reading and encoding.

A corpus is read whole before any letter can be encoded (the repairs of
``repairs.py``, the duplicates, ids and links of ``encode.corpus`` need every
letter), but none of that needs a letter's text.  ``LetterSpool`` keeps the full
model of each letter, pickled, in an anonymous temporary file and reads it back
on request; what stays in memory is each letter's *head* (``letter_head``): who
wrote to whom and when, where it was printed and its shelfmarks.
"""

from __future__ import annotations

import copy
import pickle
import tempfile
from array import array

from ..model import Citation, Letter, Source, Witness

__all__ = ["LetterSpool", "letter_head"]


def letter_head(letter: Letter) -> Letter:
    """The letter without its text: a ``Letter`` with no divisions, source lines or notes,
    whose sources and witnesses keep only what places them (path and line range, shelfmark).

    Enough to tell two letters apart, name, order and link them; a few hundred bytes
    where the whole letter takes tens of kilobytes.  The persons and the date are
    shared with ``letter``; everything a merge of heads or a repair changes is a copy.
    """
    return Letter(
        header="",
        header_line=letter.header_line,
        senders=letter.senders,
        recipients=letter.recipients,
        copies=letter.copies,
        intermediaries=[],
        date=letter.date,
        witnesses=[Witness(_shelfmark(w.citation), "", "") for w in letter.witnesses],
        divisions=[],
        sources=[Source(s.path, "", s.first_line, s.last_line, s.kind) for s in letter.sources],
        kind=letter.kind,
    )


def _shelfmark(c: Citation) -> Citation:
    return Citation(printed="", archive=c.archive, fond=c.fond, opis=c.opis, delo=c.delo, sheets=c.sheets,
                    ranges=list(c.ranges), repairs=[copy.copy(r) for r in c.repairs])


class LetterSpool:
    """Letters pickled into an anonymous temporary file, read back by position."""

    def __init__(self, dir: str | None = None) -> None:
        self._file = tempfile.TemporaryFile(prefix="corresptei-letters-", dir=dir)
        self._offsets = array("q", [0])  # letter k is bytes offsets[k]:offsets[k + 1]
        self._at_end = True

    def append(self, letter: Letter) -> int:
        """Store ``letter``; returns its position."""
        data = pickle.dumps(letter, pickle.HIGHEST_PROTOCOL)
        if not self._at_end:
            self._file.seek(self._offsets[-1])
            self._at_end = True
        self._file.write(data)
        self._offsets.append(self._offsets[-1] + len(data))
        return len(self._offsets) - 2

    def __len__(self) -> int:
        return len(self._offsets) - 1

    def __getitem__(self, k: int) -> Letter:
        """A fresh copy of letter ``k`` as it was stored."""
        if not 0 <= k < len(self):
            raise IndexError(k)
        start, end = self._offsets[k], self._offsets[k + 1]
        self._file.seek(start)
        self._at_end = False
        return pickle.loads(self._file.read(end - start))

    def close(self) -> None:
        self._file.close()

    def __enter__(self) -> LetterSpool:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
