"""The render inputs: TEI letters, the personography, and their reading order.

Collecting the corpus reads each letter's bytes (for its digest) and parses
only its ``teiHeader`` (for the reading order); the letter is parsed in full
once, by the process that transforms it.

A *corpus document* is a ``teiCorpus`` holding the personography
(``TEI xml:id="persons"``) and every letter, in reading order.  The print and
CMIF stylesheets take it as their input; the index pages read a slim version
of it (``site-index.xsl``) and the corpus text is written letter by letter.
It is an intermediate of the render pipeline, not a publication format.
"""

from __future__ import annotations

import hashlib
import io
import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Iterable

from lxml import etree

from ..errors import TransformError
from ..fsutil import read_file

TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
NS = {"tei": TEI_NS}
PERSONS_ID = "persons"


def sha256_file(path: Path) -> str:
    """The SHA-256 of a file's bytes."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


@dataclass(frozen=True)
class Letter:
    """One TEI letter file."""

    path: Path
    stem: str  #: the file stem, also the HTML / text output name
    digest: str  #: SHA-256 of the file
    date: str  #: sortable date (ISO), from the sent action or the file name
    prev: str | None = None  #: stem of the previous letter (correspContext)
    next: str | None = None  #: stem of the next letter (correspContext)


@dataclass
class Corpus:
    """The letters to render, in reading order, and the personography."""

    letters: list[Letter] = field(default_factory=list)
    persons: Path | None = None
    persons_digest: str = ""

    @classmethod
    def from_paths(cls, inputs: Iterable[Path | str]) -> "Corpus":
        """Collect TEI files from files and folders (a folder contributes ``*.xml``).

        ``persons.xml`` (or any TEI with ``xml:id="persons"``) is the
        personography; when no input is one, a ``persons.xml`` beside the first
        letter is used if it exists.
        """
        files: list[Path] = []
        for raw in inputs:
            path = Path(raw)
            if path.is_dir():
                with os.scandir(path) as entries:  # a file's kind from the listing: no stat per file
                    files.extend(path / name for name in sorted(
                        e.name for e in entries if e.name.endswith(".xml") and e.is_file()))
            elif path.is_file():
                files.append(path)
            else:
                raise FileNotFoundError(2, "no such TEI file or folder", str(path))
        seen: set[tuple[int, int]] = set()
        letters: list[Letter] = []
        persons: Path | None = None
        for path in files:
            data, st = read_file(path)
            identity = (st.st_dev, st.st_ino)
            if identity in seen:  # the same file again (another spelling, a link)
                continue
            seen.add(identity)
            root = _parse_header(path, data)
            if root.tag != f"{{{TEI_NS}}}TEI":
                raise TransformError(
                    f"{path}: not a TEI document (root is {root.tag}); "
                    "render takes the TEI files corresptei encode writes")
            if root.get(XML_ID) == PERSONS_ID or path.name == "persons.xml":
                persons = path
                continue
            letters.append(_letter(path, root, hashlib.sha256(data).hexdigest()))
        if persons is None and letters:
            beside = letters[0].path.parent / "persons.xml"
            if beside.is_file():
                persons = beside
        counts = Counter(letter.stem for letter in letters)
        dupes = sorted(stem for stem, n in counts.items() if n > 1)
        if dupes:
            raise TransformError(f"two inputs have the same file name: {', '.join(dupes)}; "
                                 "pass each letter once")
        corpus = cls(letters=_reading_order(letters), persons=persons)
        corpus.persons_digest = sha256_file(persons) if persons else ""
        return corpus

    def corpus_xml(self) -> str:
        """The corpus document (``teiCorpus``: personography, then letters in order)."""
        buffer = io.BytesIO()
        self.write_corpus_xml(buffer)
        return buffer.getvalue().decode("utf-8")

    def write_corpus_xml(self, dest: str | Path | BinaryIO) -> None:
        """Write the corpus document to a file, one letter at a time (never held whole)."""
        with etree.xmlfile(str(dest) if isinstance(dest, Path) else dest, encoding="utf-8") as xf:
            with xf.element(f"{{{TEI_NS}}}teiCorpus", nsmap={None: TEI_NS}):
                if self.persons is not None:
                    xf.write(_parse(self.persons))
                for letter in self.letters:
                    xf.write(_parse(letter.path))


def _parse(path: Path) -> etree._Element:
    try:
        return etree.parse(str(path), etree.XMLParser(remove_comments=True,
                                                      remove_pis=True)).getroot()
    except etree.XMLSyntaxError as exc:
        raise TransformError(f"{path}: not well-formed XML: {exc}") from exc


_TEXT = f"{{{TEI_NS}}}text"
_CHUNK = 2048


def _parse_header(path: Path, data: bytes) -> etree._Element:
    """The root element with its ``teiHeader``: parsing stops where the ``text`` starts.

    The rest of the document is not parsed here (the transformation parses it
    and reports a document that is not well-formed).
    """
    parser = etree.XMLPullParser(events=("start",), tag=_TEXT, remove_comments=True, remove_pis=True)
    try:
        for offset in range(0, len(data), _CHUNK):
            parser.feed(data[offset:offset + _CHUNK])
            for _, text in parser.read_events():
                root = text.getparent()
                if root is not None and root.getparent() is None:
                    return root
        return parser.close()
    except etree.XMLSyntaxError as exc:
        raise TransformError(f"{path}: not well-formed XML: {exc}") from exc


def _target_stem(ref: etree._Element | None) -> str | None:
    if ref is None or not ref.get("target"):
        return None
    target = ref.get("target").split("#")[0].rsplit("/", 1)[-1]
    return target[:-4] if target.endswith(".xml") else target


_CORRESP_DESC, _CORRESP_ACTION, _CORRESP_CONTEXT, _DATE, _REF = (
    f"{{{TEI_NS}}}{name}" for name in ("correspDesc", "correspAction", "correspContext", "date", "ref"))


def _letter(path: Path, root: etree._Element, digest: str) -> Letter:
    """The letter's reading-order facts: the first ``.//correspDesc/correspAction[@type='sent']``'s
    first untyped ``date``, and the first ``.//correspDesc/correspContext``'s prev and next."""
    sent = context = None
    for desc in root.iter(_CORRESP_DESC):
        for part in desc.iterchildren(_CORRESP_ACTION, _CORRESP_CONTEXT):
            if sent is None and part.tag == _CORRESP_ACTION and part.get("type") == "sent":
                sent = part
            elif context is None and part.tag == _CORRESP_CONTEXT:
                context = part
    date = ""
    if sent is not None:
        for d in sent.iterchildren(_DATE):
            if d.get("type") is None:
                date = d.get("when") or d.get("notBefore") or d.get("from") or ""
                break
    prev = nxt = None
    if context is not None:
        refs = list(context.iterchildren(_REF))
        prev = _target_stem(next((r for r in refs if r.get("type") == "prev"), None))
        nxt = _target_stem(next((r for r in refs if r.get("type") == "next"), None))
    return Letter(path=path, stem=path.stem, digest=digest,
                  date=(date or path.stem[:10])[:10], prev=prev, next=nxt)


def _reading_order(letters: list[Letter]) -> list[Letter]:
    """Date order; letters of one day in the order of the correspondence chain."""
    by_stem = {letter.stem: letter for letter in letters}
    chain_pos: dict[str, int] = {}
    heads = [lt for lt in letters if lt.prev not in by_stem]
    for head in sorted(heads, key=lambda lt: (lt.date, lt.stem)):
        current: Letter | None = head
        while current is not None and current.stem not in chain_pos:
            chain_pos[current.stem] = len(chain_pos)
            current = by_stem.get(current.next) if current.next else None
    for letter in sorted(letters, key=lambda lt: lt.stem):  # cycles, if any
        chain_pos.setdefault(letter.stem, len(chain_pos))
    return sorted(letters, key=lambda lt: (lt.date, chain_pos[lt.stem]))
