"""From the letters of all inputs to the documents of a corpus.

Recognises letters printed twice (the same archival document on a monthly page
and a single-letter page) and makes them one letter with several texts; gives
every letter its id and file name; chains letters between the same
correspondents (prev/next) in date order; builds the personography.

All of that is worked out on the letters' heads (``ingest.letter_head``: the
letters without their text); ``CorpusEncoder`` then loads, merges and encodes
one whole letter at a time, so memory does not grow with the letters' text.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from lxml import etree

from ..ingest import IngestResult, letter_head, letter_repairs, shelfmark
from ..ingest import grammar as g
from ..model import Citation, Letter, LetterHead, Repair
from ..persons import Lexicon
from .tei import E, PERSONS_FILE, T, Context, LetterEncoder, head_title


@dataclass
class EncodedLetter:
    letter: Letter
    xml_id: str
    filename: str
    title: str
    tree: etree._Element | None = None
    variants: dict[str, set[str]] = field(default_factory=dict)
    #: the corrected readings of the letter's own references (of its first text, before any merge)
    repairs: list[tuple[Citation, Repair]] = field(default_factory=list)


def same_document(a: LetterHead, b: LetterHead) -> bool:
    """Same senders, a common recipient, same date and an overlapping stretch of sheets of the same delo.

    (A reply written on the sheet of the telegram it answers shares sheets but not
    correspondents: it is another document.  Two letters printed separately by the
    same page are two documents.)"""
    if a.when != b.when or {s.path for s in a.sources} & {s.path for s in b.sources}:
        return False
    if set(a.senders) != set(b.senders) or not set(a.recipients) & set(b.recipients):
        return False  # (a page title may name only the first recipient)
    for ca in a.witnesses:
        for cb in b.witnesses:
            if (ca.fond, ca.opis, ca.delo) != (cb.fond, cb.opis, cb.delo) or not ca.ranges or not cb.ranges:
                continue
            a0, a1 = g.sheet_number(ca.ranges[0][0]), g.sheet_number(ca.ranges[-1][1])
            b0, b1 = g.sheet_number(cb.ranges[0][0]), g.sheet_number(cb.ranges[-1][1])
            if None not in (a0, a1, b0, b1) and a0 <= b1 and b0 <= a1:
                return True
    return False


def merge_duplicates(heads: list[LetterHead]) -> tuple[list[int], list[tuple[int, int, int]]]:
    """A single-letter page of a letter also on a monthly page joins that letter as further texts.

    Works on the letters' heads (``join`` changes them).  Returns, for each
    document, the position in ``heads`` of its first letter, and the merges made,
    in order: (document, first, other), ``other`` having joined ``first``;
    ``absorb`` makes the same merges of the whole letters."""
    out: list[int] = []
    by_date: dict[str, list[int]] = defaultdict(list)  # date -> documents (same_document needs one date)
    merged: list[tuple[int, int, int]] = []
    for i, head in enumerate(heads):
        pos = next((k for k in by_date[head.when] if same_document(heads[out[k]], head)), None)
        if pos is None:
            by_date[head.when].append(len(out))
            out.append(i)
            continue
        host = out[pos]
        first, other = (host, i) if heads[host].sources[0].kind == "monthly" or head.sources[0].kind != "monthly" \
            else (i, host)
        out[pos] = first
        join(heads[first], heads[other])
        merged.append((pos, first, other))
    return out, merged


def join(first: LetterHead, other: LetterHead) -> None:
    """The head of the letter ``absorb(first, other)`` makes: sources, then the witnesses ``first`` lacks."""
    first.sources += other.sources
    known = set(first.witnesses)
    first.witnesses += tuple(w for w in other.witnesses if w not in known)


def absorb(first: Letter, other: Letter) -> None:
    """``other`` (the same document) joins ``first``: its texts, sources and further witnesses."""
    for d in first.divisions:
        d.type = "translation" if d.lang != "ru" else "original"
        d.source = d.source or first.sources[0].path
    for d in other.divisions:
        d.source = other.sources[0].path
    first.divisions.extend(other.divisions)
    first.sources.extend(other.sources)
    first.source_lines = first.source_lines + other.source_lines
    first.problems.extend(other.problems)
    known = {shelfmark(w.citation) for w in first.witnesses}
    first.witnesses += [w for w in other.witnesses if shelfmark(w.citation) not in known]


def assign_ids(heads: list[LetterHead]) -> list[tuple[str, str]]:
    """(xml:id, file name) of each letter: date, senders and recipients, and a letter when that is not enough."""
    base = [f"{h.when}_{'.'.join(h.senders)}-{'.'.join(h.recipients)}" for h in heads]
    counts: dict[str, int] = defaultdict(int)
    for b in base:
        counts[b] += 1
    seen: dict[str, int] = defaultdict(int)
    out = []
    for b in base:
        stem = b
        if counts[b] > 1:
            stem = f"{b}_{'abcdefghijklmnopqrstuvwxyz'[seen[b]]}"
            seen[b] += 1
        out.append(("L" + stem, stem + ".xml"))
    return out


@dataclass(slots=True)
class _Document:
    """A document to encode: which letters make it, and its place in the corpus."""

    first: int  # position of its first letter among the heads
    steps: tuple[tuple[int, int], ...]  # (first, other) merges to replay, by position
    xml_id: str
    filename: str
    title: str
    prev: tuple[str, str] | None = None  # (file name, title) of the previous letter between the same correspondents
    next: tuple[str, str] | None = None
    shared: dict[int, list[tuple[str, str]]] | None = None  # see ``shared_sheets``


def shared_sheets(docs: list[_Document], heads: list[LetterHead]) -> dict[str, dict[int, list[tuple[str, str]]]]:
    """Letters written on the same sheets (a reply on the telegram it answers):
    xml_id -> witness number -> [(file, title)] of the other letters on those sheets."""
    by_delo: dict[tuple, list[tuple[int, int, _Document, int]]] = defaultdict(list)
    for d in docs:
        for k, c in enumerate(heads[d.first].witnesses, 1):
            if not c.ranges:
                continue
            lo, hi = g.sheet_number(c.ranges[0][0]), g.sheet_number(c.ranges[-1][1])
            if lo is not None and hi is not None:
                by_delo[(c.fond, c.opis, c.delo)].append((lo, hi, d, k))
    out: dict[str, dict[int, list[tuple[str, str]]]] = defaultdict(lambda: defaultdict(list))
    for items in by_delo.values():
        items.sort(key=lambda t: (t[0], t[1]))
        for i, (_lo, hi, d, k) in enumerate(items):
            for lo2, _hi2, d2, k2 in items[i + 1:]:
                if lo2 > hi:
                    break
                if d2 is not d:
                    out[d.xml_id][k].append((d2.filename, d2.title))
                    out[d2.xml_id][k2].append((d.filename, d.title))
    return out


class CorpusEncoder:
    """The letters of a corpus encoded one at a time, in date order.

    ``heads`` are the letters' heads (``ingest.letter_head``; merging changes
    them); ``load(k)`` gives the whole letter of ``heads[k]``, as read.
    Everything that needs the whole corpus is settled when the encoder is made;
    iterating loads, merges and encodes one document at a time (``EncodedLetter``
    with its tree), and ``personography()`` afterwards names everyone the
    letters named.  Of the heads the encoder keeps only those of ``merged``.
    """

    def __init__(self, heads: list[LetterHead], load: Callable[[int], Letter], lex: Lexicon,
                 edition: dict | None = None):
        self.lex = lex
        self.edition = edition
        self._load = load
        self.variants: dict[str, set[str]] = defaultdict(set)  # person id -> printed forms, of the letters so far
        documents, merges = merge_duplicates(heads)
        #: (first, other) heads of each merge, in the order made
        self.merged: list[tuple[LetterHead, LetterHead]] = [(heads[first], heads[other]) for _, first, other in merges]
        steps: dict[int, list[tuple[int, int]]] = defaultdict(list)
        for pos, first, other in merges:
            steps[pos].append((first, other))
        order = sorted(range(len(documents)), key=lambda k: (heads[documents[k]].when, k))
        firsts = [documents[k] for k in order]
        docs = [_Document(first, tuple(steps.get(k, ())), xml_id, filename, head_title(heads[first], lex))
                for k, first, (xml_id, filename) in zip(order, firsts, assign_ids([heads[i] for i in firsts]))]
        chains: dict[tuple, list[_Document]] = defaultdict(list)
        for d in docs:
            chains[heads[d.first].correspondents].append(d)
        for chain in chains.values():
            for k, d in enumerate(chain):
                d.prev = (chain[k - 1].filename, chain[k - 1].title) if k > 0 else None
                d.next = (chain[k + 1].filename, chain[k + 1].title) if k + 1 < len(chain) else None
        shared = shared_sheets(docs, heads)
        for d in docs:
            d.shared = shared.get(d.xml_id)
        self._documents: list[_Document | None] = docs

    def __len__(self) -> int:
        return len(self._documents)

    def __iter__(self) -> Iterator[EncodedLetter]:
        """Each document once (the encoder lets go of a document's plan once it is encoded)."""
        for k, doc in enumerate(self._documents):
            if doc is None:
                raise RuntimeError("CorpusEncoder: the letters can be iterated only once")
            self._documents[k] = None
            yield self._encode(doc)

    def _encode(self, doc: _Document) -> EncodedLetter:
        loaded: dict[int, Letter] = {}

        def get(k: int) -> Letter:
            if k not in loaded:
                loaded[k] = self._load(k)
            return loaded[k]

        letter = get(doc.first)
        repairs = list(letter_repairs(letter))  # the letter's own, before another text joins it
        for first, other in doc.steps:
            absorb(get(first), get(other))
        enc = LetterEncoder(letter, Context(doc.xml_id, self.lex, doc.prev, doc.next, self.edition, doc.shared))
        tree = enc.document()
        for pid, forms in enc.variants.items():
            self.variants[pid] |= forms
        return EncodedLetter(letter, doc.xml_id, doc.filename, doc.title, tree, enc.variants, repairs)

    def personography(self) -> etree._Element:
        """``persons.xml`` for the letters encoded so far."""
        return personography(self.lex, self.variants)


def encode_corpus(result: IngestResult, edition: dict | None = None) \
        -> tuple[list[EncodedLetter], etree._Element, list[tuple[LetterHead, LetterHead]]]:
    """Every letter of ``result`` encoded, trees kept (in memory: for small corpora and tests).

    The letters of ``result`` are merged in place, as the documents they belong to."""
    corpus = CorpusEncoder([letter_head(L) for L in result.letters], result.letters.__getitem__,
                           result.lexicon, edition)
    encoded = list(corpus)
    return encoded, corpus.personography(), corpus.merged


def personography(lex: Lexicon, variants: dict[str, set[str]]) -> etree._Element:
    """Everyone in ``variants`` (person id -> the forms the letters print)."""
    lp = E("listPerson")
    for pid in sorted(variants):
        entry = lex.entries[pid]
        main = E("persName", type_="main", xml_lang="en")
        if entry.forename:
            main.append(E("forename", entry.forename))
            main[-1].tail = " "
        if entry.patronymic:
            main.append(E("addName", entry.patronymic, type_="patronymic"))
            main[-1].tail = " "
        main.append(E("surname", entry.surname))
        person = E("person", main, xml_id=pid)
        if entry.full_name_ru:
            person.append(E("persName", entry.full_name_ru, type_="main", xml_lang="ru"))
        forms = set(entry.variants) | variants[pid]
        for form in sorted(forms - {entry.surname}):
            lang = "ru" if any("а" <= ch.lower() <= "я" for ch in form) else "en"
            person.append(E("persName", form, type_="variant", xml_lang=lang))
        if entry.birth:
            person.append(E("birth", when=entry.birth, source=entry.sources.get("birth")))
        if entry.death:
            person.append(E("death", when=entry.death, source=entry.sources.get("death")))
        if entry.wikidata:
            person.append(E("idno", f"http://www.wikidata.org/entity/{entry.wikidata}", type_="wikidata"))
        if entry.viaf:
            person.append(E("idno", f"http://viaf.org/viaf/{entry.viaf}", type_="viaf"))
        lp.append(person)
    header = E(
        "teiHeader",
        E("fileDesc",
          E("titleStmt", E("title", "Correspondents: a personography")),
          E("publicationStmt", E("publisher", "corresptei"), E("idno", "persons", type_="corresptei")),
          E("sourceDesc", E("p", "Everyone named as sender, recipient or intermediary in the letters. Life dates "
                                 "and authority identifiers only where a source was checked (see @source)."))),
    )
    return E("TEI", header, E("text", E("body", lp)), xml_id="persons", xml_lang="en")


__all__ = ["CorpusEncoder", "EncodedLetter", "encode_corpus", "PERSONS_FILE", "T"]
