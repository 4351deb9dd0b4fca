"""Checks across files: ids, pointers, prev/next chains, archival sheets, duplicates.

Each document is reduced to a small JSON-ready :class:`Record` (in the worker
that validated it, so the corpus pass never re-parses); :func:`check_corpus`
then works on records only.  Rules (``corpus:<rule>`` in findings):

``duplicate-id``
    an ``xml:id`` used in more than one file.  Ids the encoding repeats in
    every letter by design (``edition``, ``editors``, ``transcription1`` …,
    ``corresptei``, ``mt``, witness ids ``w1``, ``w2`` …; see docs/tei-encoding.md) are local
    to their letter and exempt: :data:`LETTER_LOCAL_IDS`.
``unresolved-pointer``
    an ``@ref``/``@target``/``@corresp``/``@resp``/``@sameAs``/``@prev``/``@next``
    that names a missing file, or a missing ``#id`` in this or another file.
``prev-next-mismatch``
    ``A`` says its next letter is ``B`` but ``B``'s previous is not ``A`` (and the converse).
``prev-next-target``
    a prev/next ``ref`` whose target is not a file name.
``prev-next-order``
    a next letter dated before its previous one (``correspAction[@type='sent']/date/@when``).
``overlapping-sheets``
    two letters whose witnesses claim overlapping sheets (``locus/@from``–``@to``) of the
    same fond/opis/delo, unless one declares the other: a letter written on the sheets
    of another says so in its witness (``msItem/note[@type='shared-sheets']/ref/@target``,
    see docs/tei-encoding.md), or declares the same document (``msDesc/@sameAs`` or
    ``correspContext/ref[@type='sameDocument']``).
``duplicate-letter``
    two letters with the same text (``text/body`` without editorial ``head`` and
    ``note``, whitespace-normalised and case-folded; letters under 40 characters are
    not compared).
"""

from __future__ import annotations

import difflib
import hashlib
import os
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, fields
from pathlib import Path
from sys import intern

from lxml import etree

from .findings import Engine, Finding, Severity

TEI = "http://www.tei-c.org/ns/1.0"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
NS = {"t": TEI}

POINTER_ATTRS = ("ref", "target", "corresp", "resp", "sameAs", "prev", "next")
#: Ids that every letter carries by design (document-local, exempt from corpus uniqueness).
LETTER_LOCAL_IDS = re.compile(r"^(edition|editors|transcription\d*|corresptei|mt|w\d+)$")
#: The attributes a record collects (a walk in Python beats libxml2's XPath for this).
_ID_AND_POINTER_NAMES = frozenset((XML_ID, *POINTER_ATTRS))
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")
_MIN_TEXT = 40  # letters shorter than this are not compared as duplicates


@dataclass
class Record:
    """What the corpus checks need to know about one file."""

    file: str
    ids: dict[str, int] = field(default_factory=dict)  # xml:id -> line
    root_id: str | None = None
    pointers: list[tuple[str, str, str, int]] = field(default_factory=list)  # (attr, token, element, line)
    prev: tuple[str, int] | None = None  # (target, line)
    next: tuple[str, int] | None = None
    sent: str | None = None
    same_document: list[str] = field(default_factory=list)
    loci: list[tuple[str, str, str, str, str, int]] = field(default_factory=list)  # fond, opis, delo, from, to, line
    text_hash: str | None = None
    body_line: int = 0

    def to_dict(self) -> dict:
        """A picklable/JSON-ready dict (shallow: the fields are plain data already)."""
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def to_tuple(self) -> tuple:
        """The fields in order (shallow), for ``marshal``: ``Record(*rec.to_tuple()) == rec``."""
        return tuple(getattr(self, name) for name in _RECORD_FIELDS)

    @classmethod
    def from_dict(cls, data: dict) -> Record:
        rec = cls(**data)
        rec.pointers = [tuple(p) for p in rec.pointers]
        rec.loci = [tuple(x) for x in rec.loci]
        rec.prev = tuple(rec.prev) if rec.prev else None
        rec.next = tuple(rec.next) if rec.next else None
        return rec


_RECORD_FIELDS = tuple(f.name for f in fields(Record))


def _tei(local: str) -> str:
    return f"{{{TEI}}}{local}"


_TEXT, _BODY, _HEAD, _NOTE, _REF = map(_tei, ("text", "body", "head", "note", "ref"))
_CORRESP_DESC, _CORRESP_CONTEXT, _CORRESP_ACTION, _DATE = map(
    _tei, ("correspDesc", "correspContext", "correspAction", "date"))
_SOURCE_DESC, _MS_DESC, _MS_IDENTIFIER, _IDNO, _LOCUS = map(
    _tei, ("sourceDesc", "msDesc", "msIdentifier", "idno", "locus"))


def extract(tree: etree._ElementTree, file: str) -> Record:
    """Reduce one parsed document to its :class:`Record`.

    Each loop selects what the ElementPath expression in its comment selects, in the same
    order, with lxml's C iterators instead of ElementPath's Python generators
    (tests/validate/test_validate_corpus_record.py holds the two against each other).
    """
    root = tree.getroot()
    rec = Record(file=file, root_id=root.get(XML_ID))
    ids, pointers = rec.ids, rec.pointers
    wanted = _ID_AND_POINTER_NAMES
    # Names, targets and ids recur from letter to letter ("ref", "persons.xml#stalin",
    # "edition"): interned, a worker's marshal message refers back to one copy and the
    # parent keeps one copy of each (10,000 records: 14 MiB less).
    for el in root.iter(etree.Element):  # every xml:id and pointer attribute, in document order
        names = el.keys()
        if not names or wanted.isdisjoint(names):
            continue
        line = el.sourceline or 0
        for name in names:
            if name not in wanted:
                continue
            value = el.get(name)
            if name == XML_ID:
                if value not in ids:
                    ids[intern(value)] = line
            else:
                local = intern(el.tag.rpartition("}")[2])
                name = intern(name)
                for tok in value.split():
                    pointers.append((name, intern(tok), local, line))
    date = None
    for desc in root.iterdescendants(_CORRESP_DESC):
        for part in desc.iterchildren(_CORRESP_CONTEXT, _CORRESP_ACTION):
            if part.tag == _CORRESP_CONTEXT:  # .//t:correspDesc/t:correspContext/t:ref
                for ref in part.iterchildren(_REF):
                    kind, target = ref.get("type"), ref.get("target")
                    if not target:
                        continue
                    if kind == "prev" and rec.prev is None:
                        rec.prev = (target, ref.sourceline or 0)
                    elif kind == "next" and rec.next is None:
                        rec.next = (target, ref.sourceline or 0)
                    elif kind in ("sameDocument", "sameAs"):
                        rec.same_document.extend(target.split())
            elif date is None and part.get("type") == "sent":  # first .//t:correspDesc/t:correspAction[@type='sent']/t:date
                date = next(part.iterchildren(_DATE), None)
    if date is not None:
        rec.sent = date.get("when") or date.get("notBefore") or date.get("from")
    for source in root.iterdescendants(_SOURCE_DESC):
        for ms in source.iterdescendants(_MS_DESC):  # .//t:sourceDesc//t:msDesc
            if ms.get("sameAs"):
                rec.same_document.extend(ms.get("sameAs").split())
            for note in ms.iterdescendants(_NOTE):  # .//t:note[@type='shared-sheets']//t:ref[@target]
                if note.get("type") == "shared-sheets":
                    for ref in note.iterdescendants(_REF):
                        if ref.get("target") is not None:
                            rec.same_document.extend(ref.get("target").split())
            ident = next(ms.iterchildren(_MS_IDENTIFIER), None)
            if ident is None:
                continue
            parts = {i.get("type"): (i.text or "").strip() for i in ident.iter(_IDNO) if i.get("type")}
            if not all(parts.get(k) for k in ("fond", "opis", "delo")):
                continue
            for locus in ms.iterdescendants(_LOCUS):
                start = locus.get("from") or locus.get("to")
                end = locus.get("to") or start
                if start:
                    rec.loci.append((parts["fond"], parts["opis"], parts["delo"], start, end, locus.sourceline or 0))
    body = next((b for text in root.iterchildren(_TEXT) for b in text.iterchildren(_BODY)), None)  # t:text/t:body
    if body is not None:
        text = _normalize_space(_letter_text(body)).lower()
        if len(text) >= _MIN_TEXT:
            rec.text_hash = hashlib.sha256(text.encode()).hexdigest()
            rec.body_line = body.sourceline or 0
    return rec


_EDITORIAL = {_HEAD, _NOTE}


def _letter_text(body: etree._Element) -> str:
    """The text of the letter itself: ``body`` without editorial heads and notes."""
    parts: list[str] = []
    append = parts.append

    def walk(el: etree._Element) -> None:
        text = el.text
        if text:
            append(text)
        for child in el:
            tag = child.tag
            if tag.__class__ is str and tag not in _EDITORIAL:  # an element (a comment's or PI's tag is a function)
                walk(child)
            tail = child.tail
            if tail:
                append(tail)

    walk(body)
    return " ".join(parts)


_SPACE_RUNS = re.compile("  +")


def _normalize_space(text: str) -> str:
    """``" ".join(text.split())``: whitespace runs as one space, none at the ends.

    Text whose only whitespace is U+0020 (``isprintable()``: every other whitespace
    character is unprintable) needs no split into words.
    """
    if text.isprintable():
        return _SPACE_RUNS.sub(" ", text).strip(" ")
    return " ".join(text.split())


# ---------------------------------------------------------------------------
# Checks
# ---------------------------------------------------------------------------

def _finding(file: str, line: int, rule: str, message: str, severity: Severity = Severity.ERROR) -> Finding:
    return Finding(file, line, 0, Engine.CORPUS, severity, rule, message)


_SHEET = re.compile(r"\s*(\d+)")


def _sheet(value: str) -> tuple[int, str] | None:
    m = _SHEET.match(value)
    return (int(m.group(1)), value) if m else None


def _date_le(a: str, b: str) -> bool:
    n = min(len(a), len(b), 10)
    return a[:n] <= b[:n]


class Corpus:
    """Records by absolute path, with lazy loading of files outside the validated set.

    A corpus pass asks for the same few paths thousands of times, so the path
    arithmetic (absolute keys, joins, names for messages) is done once per path and
    remembered for the life of the object: keys are absolute, valid while the
    working directory stays.  A target that is a bare file name (``b.xml``, what
    prev/next links and most pointers hold) gets its key from its folder's key
    without any path arithmetic.
    """

    def __init__(self, records: Iterable[Record], loader: Callable[[str], Record | None] | None = None) -> None:
        self._keys: dict[str, str] = {}
        self._cwd = os.getcwd()  # abspath asks the system for it on every call
        self.resolved_fine: set[tuple[str, str]] = set()  # (folder, pointer) that resolved in another file
        self.prev_confirmed: set[int] = set()  # ids of records whose prev link was checked from the other end
        self._dirs: dict[str, tuple[str, str]] = {}  # path -> (folder as written, the folder's key + separator)
        self._resolved: dict[tuple[str, str], tuple[str | None, str | None]] = {}
        self._names: dict[str, str] = {}
        self._same: dict[int, set[str]] = {}
        self.records = {self.key(r.file): r for r in records}
        self._loader = loader
        self._extra: dict[str, Record | None] = {}

    def key(self, path: str) -> str:
        """``path`` made absolute and case-normalised: what two spellings of one file share."""
        key = self._keys.get(path)
        if key is None:
            key = self._keys[path] = os.path.normcase(os.path.normpath(os.path.join(self._cwd, path)))
        return key

    def name(self, path: str) -> str:
        """The file name of ``path``, for messages."""
        name = self._names.get(path)
        if name is None:
            name = self._names[path] = Path(path).name
        return name

    def get(self, path: str) -> Record | None:
        return self.get_key(self.key(path), path)

    def get_key(self, key: str, path: str) -> Record | None:
        """The record of ``path``, whose key is ``key``."""
        rec = self.records.get(key)
        if rec is not None:
            return rec
        if key not in self._extra:
            self._extra[key] = self._loader(path) if self._loader and os.path.isfile(path) else None
        return self._extra[key]

    def exists(self, path: str) -> bool:
        return self.key(path) in self.records or os.path.exists(path)

    def resolve(self, rec: Record, target: str) -> tuple[str | None, str | None]:
        """``(file path or None for this file, fragment or None)``; (None, None) for external URIs."""
        if not target or target.startswith("#"):  # this file (depends on the record: not memoised)
            return rec.file, target[1:] or None
        folder = self.folder(rec.file)
        hit = self._resolved.get((folder, target))  # "persons.xml#x" recurs in most letters of a folder
        if hit is None:
            hit = self._resolved[(folder, target)] = self._resolve(folder, target)
        return hit

    def target_key(self, rec: Record, target: str) -> str | None:
        """The key of the file ``target`` names from ``rec`` (its fragment aside); None for an external URI."""
        if _BARE_NAME.match(target):  # a file beside rec: its folder's key and the name
            return self._folder(rec.file)[1] + _normcase(target)
        path = self.resolve(rec, target)[0]
        return self.key(path) if path is not None else None

    def folder(self, path: str) -> str:
        """The folder of ``path`` (as written)."""
        return self._folder(path)[0]

    def _folder(self, path: str) -> tuple[str, str]:
        hit = self._dirs.get(path)
        if hit is None:
            folder = os.path.dirname(path)
            key = self.key(folder or ".")
            hit = self._dirs[path] = (folder, key if key.endswith(os.sep) else key + os.sep)
        return hit

    @staticmethod
    def _resolve(folder: str, target: str) -> tuple[str | None, str | None]:
        if _SCHEME.match(target) and not target.startswith("file:"):
            return None, None
        file, _, frag = target.partition("#")  # (file is not empty: see resolve)
        return os.path.join(folder, file.removeprefix("file://")), frag or None

    def same_documents(self, rec: Record) -> set[str]:
        """Keys of the files ``rec`` declares to be the same document (``""`` for external URIs)."""
        keys = self._same.get(id(rec))
        if keys is None:
            keys = self._same[id(rec)] = {self.key(self.resolve(rec, t)[0] or "") for t in rec.same_document}
        return keys


_normcase = os.path.normcase if os.name == "nt" else str
#: A file name with no folder, fragment, scheme or drive: ``b.xml`` (not ``.`` or ``..``).
_BARE_NAME = re.compile(r"(?!\.\.?\Z)[^/\\:#]+\Z")


def _check_pointers(rec: Record, corpus: Corpus) -> Iterable[Finding]:
    own = corpus.key(rec.file)
    folder = corpus.folder(rec.file)
    fine = corpus.resolved_fine  # "persons.xml#stalin" in letter after letter of a folder: checked once
    for attr, tok, element, line in rec.pointers:
        if (tok, line) in (rec.prev, rec.next):
            continue  # correspContext prev/next: checked (once) by _check_chain
        if (folder, tok) in fine:
            continue
        path, frag = corpus.resolve(rec, tok)
        if path is None:
            continue  # an external URI
        if corpus.key(path) == own:
            target = rec
        else:
            target = corpus.get(path)
            if target is not None and (not frag or frag in target.ids):
                fine.add((folder, tok))  # resolves whichever letter of the folder points so
                continue
        if target is None:
            if corpus.exists(path):
                continue  # a non-XML file (or unreadable): exists, nothing more to check
            yield _finding(rec.file, line, "unresolved-pointer",
                           f"<{element} {attr}=\"{tok}\"> points to {corpus.name(path)}, which does not exist")
            continue
        if frag and frag not in target.ids:
            where = "this file" if target is rec else corpus.name(target.file)
            close = difflib.get_close_matches(frag, list(target.ids), n=3)
            hint = f"; did you mean {', '.join('#' + c for c in close)}?" if close else ""
            yield _finding(rec.file, line, "unresolved-pointer",
                           f"<{element} {attr}=\"{tok}\"> points to #{frag}, which no xml:id in {where} declares{hint}")


def _check_chain(rec: Record, corpus: Corpus, own: str) -> Iterable[Finding]:
    """prev/next findings of ``rec``, whose key is ``own``."""
    for direction, other_dir in (("next", "prev"), ("prev", "next")):
        link = rec.next if direction == "next" else rec.prev
        if link is None:
            continue
        if direction == "prev" and id(rec) in corpus.prev_confirmed:
            continue  # the letter it names has already been found to name this one as its next
        target, line = link
        key = corpus.target_key(rec, target)
        if key is None:
            continue
        if target.startswith("#") or not target.partition("#")[0]:
            yield _finding(rec.file, line, "prev-next-target",
                           f"<ref type=\"{direction}\" target=\"{target}\"> must name the {direction} letter's file "
                           "(e.g. 1931-09-03_kaganovich-stalin_b.xml), not an id")
            continue
        other = corpus.records.get(key)
        if other is None:
            path = corpus.resolve(rec, target)[0]
            other = corpus.get_key(key, path)
        if other is None:
            yield _finding(rec.file, line, "unresolved-pointer",
                           f"<ref type=\"{direction}\" target=\"{target}\"> points to {corpus.name(path)}, which does not exist")
            continue
        back = other.prev if other_dir == "prev" else other.next
        if back is None or corpus.target_key(other, back[0]) != own:
            said = f"says its {other_dir} is {back[0]}" if back else f"has no {other_dir} link"
            name = corpus.name(rec.file)
            yield _finding(rec.file, line, "prev-next-mismatch",
                           f"{name} says its {direction} letter is {target}, but {target} {said}; "
                           f"add <ref type=\"{other_dir}\" target=\"{name}\"> there or fix this one")
        elif direction == "next" and other is not rec:
            corpus.prev_confirmed.add(id(other))  # other's prev check would find exactly this: no finding
        if direction == "next" and rec.sent and other.sent and not _date_le(rec.sent, other.sent):
            yield _finding(rec.file, line, "prev-next-order",
                           f"next letter {target} is dated {other.sent}, before this letter ({rec.sent}); "
                           "the chain must follow the sent dates")


def _declares_same(a: Record, b: Record, corpus: Corpus) -> bool:
    return corpus.key(b.file) in corpus.same_documents(a) or corpus.key(a.file) in corpus.same_documents(b)


def check_corpus(records: Iterable[Record], loader: Callable[[str], Record | None] | None = None) -> list[Finding]:
    """All corpus findings for ``records`` (sorted by file and line)."""
    records = sorted(records, key=lambda r: r.file)
    corpus = Corpus(records, loader)
    findings: list[Finding] = []

    first_use: dict[str, tuple[Record, int]] = {}
    local: set[str] = set()  # ids LETTER_LOCAL_IDS matches, met so far (most recur in every letter)
    for rec in records:
        ids = rec.ids
        for xid in ids.keys() - local if local else ids:  # set difference in C: left are the corpus-wide ids
            if LETTER_LOCAL_IDS.match(xid):
                local.add(xid)
                continue
            place = (rec, ids[xid])
            first = first_use.setdefault(xid, place)
            if first is not place:
                findings.append(_finding(rec.file, place[1], "duplicate-id",
                                         f"xml:id \"{xid}\" is already used in {first[0].file}:{first[1]}; "
                                         "ids must be unique across the corpus"))

    key = corpus.key
    for rec in records:
        findings.extend(_check_pointers(rec, corpus))
        if rec.next is not None or rec.prev is not None:
            findings.extend(_check_chain(rec, corpus, key(rec.file)))

    sheets: dict[tuple[str, str, str], list[tuple[int, int, Record, int, str]]] = defaultdict(list)
    for rec in records:
        for fond, opis, delo, start, end, line in rec.loci:
            s, e = _sheet(start), _sheet(end)
            if s and e:
                sheets[(fond, opis, delo)].append((s[0], max(e[0], s[0]), rec, line, f"{start}–{end}" if start != end else start))
    reported: set[tuple[str, str]] = set()
    for (fond, opis, delo), spans in sheets.items():
        spans.sort(key=lambda x: (x[0], x[2].file))
        for i, (s1, e1, r1, l1, lab1) in enumerate(spans):
            for s2, e2, r2, l2, lab2 in spans[i + 1:]:
                if s2 > e1:
                    break
                if r1 is r2 or _declares_same(r1, r2, corpus):
                    continue
                a, b = sorted([(r1, l1, lab1), (r2, l2, lab2)], key=lambda x: x[0].file)
                pair = (a[0].file, b[0].file)
                if pair in reported:
                    continue
                reported.add(pair)
                findings.append(_finding(
                    b[0].file, b[1], "overlapping-sheets",
                    f"sheets {b[2]} of F. {fond}, Op. {opis}, D. {delo} overlap sheets {a[2]} claimed by "
                    f"{a[0].file}:{a[1]}; if they really share sheets, say so in the witness: "
                    f"<note type=\"shared-sheets\">Also on these sheets: <ref target=\"{corpus.name(a[0].file)}\">"
                    "…</ref></note>"))

    by_text: dict[str, Record] = {}
    for rec in records:
        if rec.text_hash is None:
            continue
        first = by_text.setdefault(rec.text_hash, rec)
        if first is not rec:
            findings.append(_finding(rec.file, rec.body_line, "duplicate-letter",
                                     f"the text of this letter is the same as {first.file}; a letter is encoded once"))
    return sorted(findings, key=Finding.sort_key)
