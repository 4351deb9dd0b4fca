"""Editorial notes: reading the notes after the rule and anchoring them in the text.

Printed notes are numbered ``1 Text``, ``1On…``, ``1 . Text``, ``[1] Text`` or
not numbered at all; markers in the text stand alone (``Argentina 1 .``), are
glued to a word (``PB2``, ``Tanya 1an``) or were lost in printing, leaving a
space before punctuation (``will not object .``).  Numbers are resolved by
sequence: notes run 1, 2, 3 … within a letter.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..model import ANCHOR, Note
from .grammar import NUMBER_WORDS

NOTE_NUMBER = re.compile(
    r"^(?:\[(?P<b>\d{1,3})\]\s*|(?P<n>\d{1,3})(?:\s*\.(?=\s)\s*|\s+|(?=[A-ZА-ЯЁ«“\"(])))(?=\S)"
)
_CONTINUATION_START = re.compile(r"^(?:[\"“«„'(]|[a-zа-яё]|[a-zа-я]\)|\d+\.\s)")
_NEW_NOTE_START = re.compile(
    r"^(?:On|In|At|After|Before|The|This|See|According|Later|Probably|Date|Number|Time)\b"
)

# quantities: a number followed by one of these is a number, not a note marker
_UNITS = (
    r"mil|mln|million|billion|thousand|t\[|tons?|pounds?|poods?|pud|km|meters?|rubles?|rub|francs?|dollars?|"
    r"o'clock|o’clock|min|minutes?|hours?|days?|weeks?|months?|years?|percent|people|houses?|cars?|wagons?|"
    r"centners?|hectares?|state|st|nd|rd|th|%|/|\d|-|–"
)
_STANDALONE = re.compile(
    rf"(?<=[\w.)\]»”\"'!?,;:%…])(?P<sp>\s+)(?P<n>\d{{1,2}})(?!\d)(?!\.\s*(?:[IVX]+\b|\d))"  # not "1.II", "1.40"
    rf"(?=\s*(?:[.,;:!?)]|$)|\s+(?!(?:{_UNITS})\b)(?!\d))"
)
_GLUED_END = re.compile(r"(?<=[A-Za-zА-Яа-яЁё)\]»”\"])(?P<n>\d{1,2})(?=[\s.,;:!?)]|$)")
_GLUED_START = re.compile(r"(?<=\s)(?P<n>\d{1,2})(?=(?!st\b|nd\b|rd\b|th\b|d\b|h\b|m\b|s\b)[a-z]{1,3}\b)")
_PRECEDED_BY_NUMBERING = re.compile(
    rf"(?:No\.|Nr\.?|#|№|\b(?:pp?\.|vol\.|T\.|L\.|D\.|Op\.|F\.|points?|and|of|to|from)|(?:{'|'.join(m for m in ('January February March April May June July August September October November December'.split()))}))\s*$"
)
# "1.40. five": a marker spelt out by machine translation, at the end of a closing line
_WORD_MARKER = re.compile(r"(?<=[\d.]\s)(?P<w>one|two|three|four|five|six|seven|eight|nine)\s*$")
_ORPHAN_SITE = re.compile(r"(?<=[\w)\]»”\"'])(?P<sp>\s+)(?=[.,;:!?](?:\s|$))")


@dataclass
class Candidate:
    block: int
    start: int  # span of the printed marker in the block text
    end: int
    n: int
    kind: str  # standalone | glued | glued-start | orphan


def parse_note_paragraphs(paragraphs: list[tuple[int, str]]) -> list[tuple[int, str, int | None, str]]:
    """Split each note paragraph into (line, text, printed number or None, printed label)."""
    out = []
    for line, text in paragraphs:
        m = NOTE_NUMBER.match(text)
        if m:
            num = int(m["b"] or m["n"])
            out.append((line, text[m.end():], num, text[: m.end()]))
        else:
            out.append((line, text, None, ""))
    return out


def find_candidates(blocks: list[str]) -> list[Candidate]:
    """Every place in the text that may hold a printed note marker, in text order."""
    cands: list[Candidate] = []
    for bi, text in enumerate(blocks):
        for m in _STANDALONE.finditer(text):
            if _PRECEDED_BY_NUMBERING.search(text[: m.start("n")].rstrip()):
                continue
            cands.append(Candidate(bi, m.start(), m.end(), int(m["n"]), "standalone"))
        for m in _GLUED_END.finditer(text):
            cands.append(Candidate(bi, m.start(), m.end(), int(m["n"]), "glued"))
        for m in _GLUED_START.finditer(text):
            cands.append(Candidate(bi, m.start(), m.end(), int(m["n"]), "glued-start"))
        m = _WORD_MARKER.search(text)
        if m:
            cands.append(Candidate(bi, m.end(), m.end(), int(NUMBER_WORDS[m["w"]]), "word"))
    cands.sort(key=lambda c: (c.block, c.start))
    return cands


def orphan_sites(blocks: list[str]) -> list[Candidate]:
    """Places where a marker was probably lost: a space before punctuation."""
    out = []
    for bi, text in enumerate(blocks):
        if len(text.split()) <= 4:
            continue  # "Kaganovich ." in an address line is a typesetting slip, not a lost marker
        for m in _ORPHAN_SITE.finditer(text):
            out.append(Candidate(bi, m.start(), m.start(), 0, "orphan"))
    return out


def _pos(c: Candidate) -> tuple[int, int]:
    return (c.block, c.start)


def build_notes(
    paragraphs: list[tuple[int, str]], blocks: list[str]
) -> tuple[list[Note], list[Candidate | None], list[tuple[Note, str]]]:
    """Number the notes and anchor each in ``blocks``; returns notes, anchors and messages.

    ``anchors[i]`` is the place chosen for ``notes[i]`` (None: unresolved).
    """
    parsed = parse_note_paragraphs(paragraphs)
    cands = find_candidates(blocks)
    # "Yerzikyan 1 ." : the space after a printed marker is not a lost marker's place
    after_marker = {(c.block, c.end) for c in cands}
    orphans = [o for o in orphan_sites(blocks) if (o.block, o.start) not in after_marker]
    messages: list[tuple[Note, str]] = []

    # 1. printed numbers that start notes: increasing, never skipping more numbers
    #    than there are unnumbered paragraphs in between
    starts: list[int | None] = []
    last, unnumbered_since = 0, 0
    for _line, _text, num, _ in parsed:
        if num is not None and last < num <= last + 1 + unnumbered_since:
            starts.append(num)
            last, unnumbered_since = num, 0
        else:
            starts.append(None)
            unnumbered_since += 1

    # 2. unnumbered paragraphs before a numbered note fill the gap in the sequence
    numbers: list[int | None] = list(starts)
    last_numbered = max((k for k, n in enumerate(starts) if n is not None), default=-1)
    prev_num, i = 0, 0
    while i <= last_numbered:
        if numbers[i] is not None:
            prev_num = numbers[i]
            i += 1
            continue
        j = i
        while starts[j] is None:
            j += 1
        chosen = _choose_new_notes(list(range(i, j)), starts[j] - prev_num - 1, parsed, first=prev_num == 0)
        for k, idx in enumerate(chosen):
            numbers[idx] = prev_num + 1 + k
        i = j
    if last_numbered == -1 and parsed:
        numbers[0] = 1  # the first paragraph after the rule always starts a note

    notes = _group(parsed, numbers, upto=max(last_numbered, 0 if parsed else -1))
    anchors = align(notes, cands)

    # 3. unnumbered paragraphs after the last numbered note: a new note when the text
    #    has a place for it after the previous note's marker, else a continuation
    tail_start = max(last_numbered, 0) + 1
    for idx in range(tail_start, len(parsed)):
        line, text, num, label = parsed[idx]
        n = notes[-1].n + 1 if notes else 1
        anchored = [k for k, a in enumerate(anchors) if a]
        after = _pos(anchors[anchored[-1]]) if anchored else (-1, -1)
        waiting = len(anchors) - (anchored[-1] + 1 if anchored else 0)  # notes that still need a site
        marker = next((c for c in cands if c.n == n and _pos(c) > after), None)
        looks_new = bool(_NEW_NOTE_START.match(text)) and not _CONTINUATION_START.match(text)
        spare = sum(1 for o in orphans if _pos(o) > after) > waiting
        if marker is not None or (looks_new and spare):
            notes.append(Note(n=n, paragraphs=[text if num == n else label + text], line=line, numbered=num == n,
                              printed_number=label.strip() if num == n else None))
            anchors.append(marker)
        else:
            notes[-1].paragraphs.append(label + text)

    for note, a in zip(notes, anchors):
        note.anchor = "marker" if a is not None else note.anchor
    # 4. notes without a printed marker: a marker printed with another number, else
    #    the first lost-marker site between their neighbours
    numbers_used = {x.n for x in notes}
    for k, note in enumerate(notes):
        if anchors[k] is not None:
            continue
        lo = max((_pos(a) for a in anchors[:k] if a), default=(-1, -1))
        hi = min((_pos(a) for a in anchors[k + 1:] if a), default=(len(blocks), 0))
        taken = {_pos(a) for a in anchors if a}
        misnumbered = next(
            (c for c in cands if c.kind == "standalone" and lo < _pos(c) < hi and _pos(c) not in taken
             and c.n not in numbers_used),
            None,
        )
        if misnumbered:
            anchors[k] = Candidate(misnumbered.block, misnumbered.end, misnumbered.end, note.n, "word")
            note.anchor = "marker"
            messages.append((note, f"note {note.n}: its marker is printed as {misnumbered.n}"))
            continue
        site = next((o for o in orphans if lo < _pos(o) < hi and _pos(o) not in taken), None)
        if site:
            anchors[k] = site
            note.anchor = "inferred"
            messages.append((note, f"note {note.n}: no marker printed; anchored at a lost-marker site (space before punctuation)"))
        else:
            note.anchor = "unresolved"
            messages.append((note, f"note {note.n}: no marker found in the text; placed at the end of the letter"))
    return notes, anchors, messages


def _group(parsed, numbers, upto: int) -> list[Note]:
    notes: list[Note] = []
    for (line, text, num, label), n in list(zip(parsed, numbers))[: upto + 1]:
        if n is not None:
            # a printed number that is not the note's keeps its place in the text
            notes.append(Note(n=n, paragraphs=[text if num == n else label + text], line=line, numbered=num == n,
                              printed_number=label.strip() if num == n else None))
        else:
            notes[-1].paragraphs.append(label + text)
    return notes


def align(notes: list[Note], cands: list[Candidate]) -> list[Candidate | None]:
    """Choose one marker per note so that markers follow the notes' order in the text,
    matching as many notes as possible (earlier markers win ties)."""
    options = [[c for c in cands if c.n == note.n] for note in notes]
    # best[i][j]: (matched count, -position sum) for notes[:i+1] with note i at options[i][j]
    best: list[list[tuple[int, tuple]]] = []
    back: list[list[tuple[int, int] | None]] = []
    for i, opts in enumerate(options):
        row, brow = [], []
        for c in opts:
            score, link = (1, ()), None
            for pi in range(i):
                for pj, pc in enumerate(options[pi]):
                    if _pos(pc) < _pos(c):
                        cand_score = (best[pi][pj][0] + 1, best[pi][pj][1])
                        if cand_score[0] > score[0]:
                            score, link = cand_score, (pi, pj)
            row.append((score[0], ()))
            brow.append(link)
        best.append(row)
        back.append(brow)
    end = None
    for i in range(len(options)):
        for j in range(len(options[i])):
            if end is None or best[i][j][0] > best[end[0]][end[1]][0]:
                end = (i, j)
    chosen: list[Candidate | None] = [None] * len(notes)
    while end is not None:
        i, j = end
        chosen[i] = options[i][j]
        end = back[i][j]
    return chosen


def _choose_new_notes(run: list[int], missing: int, parsed, first: bool) -> list[int]:
    if missing <= 0:
        return []
    if len(run) == missing:
        return run
    # prefer paragraphs that read like the start of a note; the first paragraph after the rule always is one
    scored = sorted(
        run,
        key=lambda idx: (
            0 if (first and idx == run[0]) else 1 if _NEW_NOTE_START.match(parsed[idx][1]) else 3
            if _CONTINUATION_START.match(parsed[idx][1]) else 2,
            idx,
        ),
    )
    return sorted(scored[:missing])


def place_anchors(blocks: list[str], notes: list[Note], anchors: list[Candidate | None]) -> list[str]:
    """Replace printed markers by ANCHOR (insert ANCHOR at lost-marker sites)."""
    by_block: dict[int, list[tuple[Candidate, int]]] = {}
    for k, a in enumerate(anchors):
        if a is not None:
            by_block.setdefault(a.block, []).append((a, k))
    out = list(blocks)
    for bi, items in by_block.items():
        text = out[bi]
        for cand, _k in sorted(items, key=lambda t: -t[0].start):
            if cand.kind in ("orphan", "word"):  # nothing printed to replace: insert
                text = text[: cand.start] + ANCHOR + text[cand.start:]
            elif cand.kind == "glued-start":  # "Tanya 1an article" -> "Tanya<ANCHOR> an article"
                text = text[: cand.start].rstrip() + ANCHOR + " " + text[cand.end:]
            else:  # "Argentina 1 ." -> "Argentina<ANCHOR> ."; "PB2 ." -> "PB<ANCHOR> ."
                text = text[: cand.start] + ANCHOR + text[cand.end:]
        out[bi] = text
    return out
