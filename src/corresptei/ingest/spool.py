"""Letters kept on disk between reading and encoding.

A corpus is read whole before any letter can be encoded (the repairs of
``repairs.py``, the duplicates, ids and links of ``encode.corpus`` need every
letter), but none of that needs a letter's text.  ``LetterSpool`` keeps the full
model of each letter, pickled, in an anonymous temporary file and reads it back
on request; what stays in memory is each letter's head (``letter_head``).
"""

from __future__ import annotations

import pickle
import sys
import tempfile
from array import array

from ..model import Citation, Letter, LetterHead, Shelfmark, SourceRef

__all__ = ["LetterSpool", "letter_head", "shelfmark"]


def _intern(value: str | None) -> str | None:
    return None if value is None else sys.intern(value)


def shelfmark(c: Citation) -> Shelfmark:
    """The values of a reference, as they stand (strings shared between letters)."""
    return Shelfmark(_intern(c.fond), _intern(c.opis), _intern(c.delo),
                     tuple((sys.intern(a), sys.intern(b)) for a, b in c.ranges))


def letter_head(letter: Letter) -> LetterHead:
    """The head of ``letter`` as it stands (see ``model.LetterHead``)."""
    copies = letter.copies
    return LetterHead(
        header_line=letter.header_line,
        when=sys.intern(letter.date.when),
        senders=tuple(p.id for p in letter.senders),
        recipients=tuple(p.id for p in letter.recipients),
        copies=tuple(p.id for p in copies),
        correspondents=tuple(sorted({p.id for p in letter.senders + letter.recipients if p not in copies})),
        sources=tuple(SourceRef(sys.intern(s.path), sys.intern(s.kind)) for s in letter.sources),
        witnesses=tuple(shelfmark(w.citation) for w in letter.witnesses),
    )


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
