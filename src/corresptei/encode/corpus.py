"""From the letters of all inputs to the documents of a corpus.

Recognises letters printed twice (the same archival document on a monthly page
and a single-letter page) and makes them one letter with several texts; gives
every letter its id and file name; chains letters between the same
correspondents (prev/next) in date order; builds the personography.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from lxml import etree

from ..ingest import IngestResult
from ..ingest import grammar as g
from ..model import Letter
from ..persons import Lexicon
from .tei import E, PERSONS_FILE, T, Context, LetterEncoder, letter_title


@dataclass
class EncodedLetter:
    letter: Letter
    xml_id: str
    filename: str
    title: str
    tree: etree._Element | None = None
    variants: dict[str, set[str]] = field(default_factory=dict)


def same_document(a: Letter, b: Letter) -> bool:
    """Same senders, a common recipient, same date and an overlapping stretch of sheets of the same delo.

    (A reply written on the sheet of the telegram it answers shares sheets but not
    correspondents: it is another document.  Two letters printed separately by the
    same page are two documents.)"""
    if a.date.when != b.date.when or {s.path for s in a.sources} & {s.path for s in b.sources}:
        return False
    if {p.id for p in a.senders} != {p.id for p in b.senders} or \
            not {p.id for p in a.recipients} & {p.id for p in b.recipients}:
        return False  # (a page title may name only the first recipient)
    for wa in a.witnesses:
        for wb in b.witnesses:
            ca, cb = wa.citation, wb.citation
            if (ca.fond, ca.opis, ca.delo) != (cb.fond, cb.opis, cb.delo) or not ca.ranges or not cb.ranges:
                continue
            a0, a1 = g.sheet_number(ca.ranges[0][0]), g.sheet_number(ca.ranges[-1][1])
            b0, b1 = g.sheet_number(cb.ranges[0][0]), g.sheet_number(cb.ranges[-1][1])
            if None not in (a0, a1, b0, b1) and a0 <= b1 and b0 <= a1:
                return True
    return False


def merge_duplicates(letters: list[Letter]) -> tuple[list[Letter], list[tuple[Letter, Letter]]]:
    """A single-letter page of a letter also on a monthly page joins that letter as further texts."""
    out: list[Letter] = []
    merged: list[tuple[Letter, Letter]] = []
    for letter in letters:
        host = next((o for o in out if same_document(o, letter)), None)
        if host is None:
            out.append(letter)
            continue
        first, other = (host, letter) if host.sources[0].kind == "monthly" or letter.sources[0].kind != "monthly" \
            else (letter, host)
        if first is letter:
            out[out.index(host)] = letter
        for d in first.divisions:
            d.type = "translation" if d.lang != "ru" else "original"
            d.source = d.source or first.sources[0].path
        for d in other.divisions:
            d.source = other.sources[0].path
        first.divisions.extend(other.divisions)
        first.sources.extend(other.sources)
        first.source_lines = first.source_lines + other.source_lines
        first.problems.extend(other.problems)
        known = {(w.citation.fond, w.citation.opis, w.citation.delo, tuple(w.citation.ranges)) for w in first.witnesses}
        first.witnesses += [w for w in other.witnesses
                            if (w.citation.fond, w.citation.opis, w.citation.delo, tuple(w.citation.ranges)) not in known]
        merged.append((first, other))
    return out, merged


def assign_ids(letters: list[Letter]) -> list[EncodedLetter]:
    base = []
    for L in letters:
        s = ".".join(p.id for p in L.senders)
        r = ".".join(p.id for p in L.recipients)
        base.append(f"{L.date.when}_{s}-{r}")
    counts: dict[str, int] = defaultdict(int)
    for b in base:
        counts[b] += 1
    seen: dict[str, int] = defaultdict(int)
    out = []
    for L, b in zip(letters, base):
        stem = b
        if counts[b] > 1:
            stem = f"{b}_{'abcdefghijklmnopqrstuvwxyz'[seen[b]]}"
            seen[b] += 1
        out.append(EncodedLetter(L, "L" + stem, stem + ".xml", ""))
    return out


def shared_sheets(encoded: list[EncodedLetter]) -> dict[str, dict[int, list[tuple[str, str]]]]:
    """Letters written on the same sheets (a reply on the telegram it answers):
    xml_id -> witness number -> [(file, title)] of the other letters on those sheets."""
    by_delo: dict[tuple, list[tuple[int, int, EncodedLetter, int]]] = defaultdict(list)
    for e in encoded:
        for k, w in enumerate(e.letter.witnesses, 1):
            c = w.citation
            if not c.ranges:
                continue
            lo, hi = g.sheet_number(c.ranges[0][0]), g.sheet_number(c.ranges[-1][1])
            if lo is not None and hi is not None:
                by_delo[(c.fond, c.opis, c.delo)].append((lo, hi, e, k))
    out: dict[str, dict[int, list[tuple[str, str]]]] = defaultdict(lambda: defaultdict(list))
    for items in by_delo.values():
        items.sort(key=lambda t: (t[0], t[1]))
        for i, (_lo, hi, e, k) in enumerate(items):
            for lo2, _hi2, e2, k2 in items[i + 1:]:
                if lo2 > hi:
                    break
                if e2 is not e:
                    out[e.xml_id][k].append((e2.filename, e2.title))
                    out[e2.xml_id][k2].append((e.filename, e.title))
    return out


def correspondence_key(letter: Letter) -> frozenset[str]:
    return frozenset(p.id for p in letter.senders + letter.recipients if p not in letter.copies)


def encode_corpus(result: IngestResult, edition: dict | None = None) -> tuple[list[EncodedLetter], etree._Element, list]:
    lex = result.lexicon
    letters, merged = merge_duplicates(result.letters)
    order = {id(L): k for k, L in enumerate(letters)}
    letters.sort(key=lambda L: (L.date.when, order[id(L)]))
    encoded = assign_ids(letters)
    for e in encoded:
        e.title = letter_title(e.letter, lex)
    chains: dict[frozenset, list[EncodedLetter]] = defaultdict(list)
    for e in encoded:
        chains[correspondence_key(e.letter)].append(e)
    links: dict[str, tuple] = {}
    for chain in chains.values():
        for k, e in enumerate(chain):
            prev = (chain[k - 1].filename, chain[k - 1].title) if k > 0 else None
            nxt = (chain[k + 1].filename, chain[k + 1].title) if k + 1 < len(chain) else None
            links[e.xml_id] = (prev, nxt)
    shared = shared_sheets(encoded)
    for e in encoded:
        prev, nxt = links[e.xml_id]
        enc = LetterEncoder(e.letter, Context(e.xml_id, lex, prev, nxt, edition, shared.get(e.xml_id, {})))
        e.tree = enc.document()
        e.variants = enc.variants
    persons = personography(lex, encoded)
    return encoded, persons, merged


def personography(lex: Lexicon, encoded: list[EncodedLetter]) -> etree._Element:
    used: set[str] = set()
    variants: dict[str, set[str]] = defaultdict(set)
    for e in encoded:
        for pid, forms in e.variants.items():
            used.add(pid)
            variants[pid] |= forms
    lp = E("listPerson")
    for pid in sorted(used):
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


__all__ = ["EncodedLetter", "encode_corpus", "PERSONS_FILE", "T"]
