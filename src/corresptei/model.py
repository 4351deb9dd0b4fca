"""The correspondence model: what ingest produces and encode consumes.

Plain dataclasses, no XML.  Text that carries note anchors uses the private-use
character ``ANCHOR`` followed by nothing else: the n-th ANCHOR in a letter's
text stands for the n-th entry of ``Letter.anchors``.

``LetterHead`` is a letter without its text, for work on a whole corpus.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

#: Marks where an editorial note is anchored inside text.
ANCHOR = "\ue000"


@dataclass
class Repair:
    """A printed reading that the converter corrected (kept visible as sic/corr)."""

    part: str  # fond | opis | delo | list | citation
    printed: str
    corrected: str
    cert: str  # high | medium | low
    reason: str


@dataclass
class Citation:
    """An archival reference: archive, fond, opis, delo, list (sheets)."""

    printed: str  # exactly as printed, from the first part marker to the last value
    archive: str | None = None  # RGASPI, GA RF, ... as printed (None: not named)
    fond: str | None = None
    opis: str | None = None
    delo: str | None = None
    sheets: str | None = None  # the list part as printed (after repair)
    ranges: list[tuple[str, str]] = field(default_factory=list)
    repairs: list[Repair] = field(default_factory=list)
    ibid: bool = False  # the printed form abbreviates an earlier reference
    ibid_printed: str | None = None  # "Ibid." as printed
    values: dict[str, str] = field(default_factory=dict)  # part -> value as printed
    # the printed text cut into ("text"|"archive"|"ibid"|part, text) pieces; joined they give ``printed``
    segments: list[tuple[str, str]] = field(default_factory=list)
    resolved: "Citation | None" = None  # for Ibid.: the full reference it abbreviates
    start: int = 0  # offsets in the text the citation was found in
    end: int = 0

    @property
    def key(self) -> tuple:
        return (self.archive or "", self.fond or "", self.opis or "", self.delo or "")


@dataclass
class Witness:
    """One archival witness of a letter (one msDesc)."""

    citation: Citation
    description: str  # physical description as printed ("Autograph.")
    printed: str  # this witness's part of the archive line, as printed


@dataclass
class PersonRef:
    id: str
    printed: str  # as printed in the header


@dataclass
class EditorialDate:
    when: str  # ISO 8601 date
    printed: str
    editorial: str  # none | full | year  (which part the editors supplied)


@dataclass
class DateTime:
    when: str  # ISO dateTime 1931-09-08T20:35:00
    printed: str


@dataclass
class Block:
    """A block of the letter text: ``kind`` says how it is encoded."""

    kind: str  # p | salute | dateline | doctype | classification | sent | received | registration | closer | postscript-label | address
    text: str  # may contain ANCHOR
    line: int
    n: str | None = None  # number of a numbered point
    when: str | None = None  # ISO date/time for datelines & transmission lines
    time_printed: str | None = None
    place: str | None = None
    parts: list[tuple[str, str]] = field(default_factory=list)  # closer: (kind, text) segments


@dataclass
class Note:
    n: int
    paragraphs: list[str]
    line: int
    numbered: bool  # the number was printed
    anchor: str = "marker"  # marker | inferred | unresolved
    printed_number: str | None = None
    citations: list[list[Citation]] = field(default_factory=list)  # per paragraph


@dataclass
class Division:
    """One text of the letter: the translation, or the original, in one language."""

    lang: str
    type: str  # letter | translation | original
    blocks: list[Block]
    notes: list[Note]
    resp: str | None = None  # "#mt" for machine translation
    source: str | None = None  # id of the source bibl
    head: str | None = None
    head_line: int | None = None
    extra: list[tuple[str, str]] = field(default_factory=list)  # (kind, text): source lines, see-also ...


@dataclass
class Source:
    """Where a letter's text was read: the file and its line range."""

    path: str
    title: str
    first_line: int
    last_line: int
    kind: str  # monthly | single
    pages: str | None = None  # pages of the printed edition, when stated
    machine_translated: bool = False
    titles: list[str] = field(default_factory=list)  # the page's own titles (single-letter pages)
    metadata: str | None = None  # the page's metadata line, as printed


@dataclass
class Problem:
    """Something the converter could not read, or read with doubt."""

    path: str
    line: int
    severity: str  # error | warning
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.severity}: {self.message}"


@dataclass
class Letter:
    header: str
    header_line: int
    senders: list[PersonRef]
    recipients: list[PersonRef]
    copies: list[PersonRef]
    intermediaries: list[PersonRef]
    date: EditorialDate
    witnesses: list[Witness]
    divisions: list[Division]
    sources: list[Source]
    kind: str = "letter"  # letter | telegram
    archive_line: str | None = None
    archive_line_no: int | None = None
    sent_place: str | None = None
    sent_place_printed: str | None = None
    dispatched: DateTime | None = None
    received: DateTime | None = None
    anchors: list[Note] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    source_lines: list[str] = field(default_factory=list)  # the raw lines, for the lossless check

    @property
    def sent_date(self) -> str:
        return self.date.when


class SourceRef(NamedTuple):
    """Where a letter was read, in short: the file and its kind (monthly | single)."""

    path: str
    kind: str


class Shelfmark(NamedTuple):
    """Where a witness is kept: the values of its archival reference (after repair)."""

    fond: str | None
    opis: str | None
    delo: str | None
    ranges: tuple[tuple[str, str], ...]


@dataclass(slots=True)
class LetterHead:
    """A letter without its text: who wrote to whom and when, where it was printed, where it is kept.

    Enough to tell letters apart, name, order and link them, in a few hundred bytes
    where the whole letter takes tens of kilobytes (``ingest.letter_head``).
    Persons are ids."""

    header_line: int
    when: str
    senders: tuple[str, ...]
    recipients: tuple[str, ...]  # copy recipients included, as in ``Letter``
    copies: tuple[str, ...]
    correspondents: tuple[str, ...]  # senders and recipients except those who got a copy; sorted, once each
    sources: tuple[SourceRef, ...]
    witnesses: tuple[Shelfmark, ...]
