"""Read the two seed pages once and keep what the generator draws from.

A *template* is the shape of one seed letter (telegram or letter, numbered
points, postscript, number of witnesses and notes, the length of every text
paragraph); the generator picks a template per letter, so synthetic lengths
follow the seed distribution.  The sentence pools are the seed's own prose,
recombined, so the encoder sees realistic vocabulary and punctuation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"
MONTHLY_SEED = SEEDS / "000_13a8ca9dc9a4e6d8.txt"
SINGLE_SEED = SEEDS / "004_959cbee7f1ac98c2.txt"

RULE = re.compile(r"^\s*(?:_{5,}|—{5,})\s*$")
DOCTYPE = re.compile(r"^(?:S\. secret\.|Owls\. secret\.|Encryption\.|Cipher\.|Immediately\.)")
NUMBERED = re.compile(r"^\d+\)")
#: a structural paragraph (address, salute, signature, stamp) is short; text is longer
TEXT_MIN = 60
#: sentences with stray digits would read as note markers: keep them out of the pool
STRAY_MARKER = re.compile(r"[A-Za-z]\d|\s\d+\s*[.!?]?$|\b\d+\s*\.\s*$|_|Archive|\[|\]|\|")
CITATION = re.compile(r"\s*\([^()]*\b(?:RGASPI|GA RF|Ibid|F\.|DVP|Ibid)[^()]*\)")
SENTENCE_END = re.compile(r"(?<=[a-z\"”»)])([.!?])\s+(?=[A-Z\"“«])")


@dataclass(frozen=True)
class Template:
    """The shape of one seed letter."""

    header: str
    telegram: bool
    numbered: bool
    postscript: bool
    witnesses: int
    notes: int
    text_lengths: tuple[int, ...]


@dataclass
class SeedStats:
    templates: list[Template]
    sentences: list[str]
    note_sentences: list[str]
    russian_lines: list[str] = field(default_factory=list)


def split_monthly(text: str) -> list[tuple[str, str, list[str], list[str]]]:
    """(header, archive line, body paragraphs, note paragraphs) per letter of a monthly page."""
    lines = text.splitlines()
    starts = [i for i, line in enumerate(lines) if line.startswith("Archive:")]
    heads = []
    for a in starts:  # the header is the last non-empty line before the Archive line
        h = a - 1
        while h > 0 and not lines[h].strip():
            h -= 1
        heads.append(h)
    letters = []
    for k, (h, a) in enumerate(zip(heads, starts)):
        block = lines[a + 1 : heads[k + 1]] if k + 1 < len(starts) else lines[a + 1 :]
        body, notes, in_notes = [], [], False
        for line in block:
            if RULE.match(line):
                in_notes = True
                continue
            if line.strip():
                (notes if in_notes else body).append(line.strip())
        letters.append((lines[h].strip(), lines[a].strip(), body, notes))
    return letters


def sentences_of(paragraph: str) -> list[str]:
    parts = SENTENCE_END.sub(lambda m: m.group(1) + "\n", paragraph).split("\n")
    return [p.strip() for p in parts if p.strip()]


def _clean_pool(paragraphs: list[str]) -> list[str]:
    pool = []
    for para in paragraphs:
        para = NUMBERED.sub("", para).strip()
        para = re.sub(r"^\d+\s*(?=[A-Z])", "", para)  # a note's own number
        para = CITATION.sub("", para)  # citations are generated, not copied
        for s in sentences_of(para):
            balanced = s.count("(") == s.count(")") and s.count("“") == s.count("”")
            if 25 <= len(s) <= 400 and s[-1] in ".!?" and balanced and not STRAY_MARKER.search(s):
                pool.append(s)
    return sorted(set(pool))  # a set: order would vary with hashing otherwise


@lru_cache(maxsize=1)
def load() -> SeedStats:
    monthly = MONTHLY_SEED.read_text(encoding="utf-8")
    templates, body_text, note_text = [], [], []
    for header, archive, body, notes in split_monthly(monthly):
        texts = [p for p in body if len(p) >= TEXT_MIN]
        body_text += texts
        note_text += notes
        witnesses = 1 + len(re.findall(r"\.\s+F\.\s*\d", archive))
        templates.append(
            Template(
                header=header,
                telegram=any(DOCTYPE.match(p) for p in body),
                numbered=any(NUMBERED.match(p) for p in texts),
                postscript=any(p.startswith("PS") for p in body),
                witnesses=witnesses,
                notes=len(notes),
                text_lengths=tuple(len(p) for p in texts) or (80,),
            )
        )
    single = SINGLE_SEED.read_text(encoding="utf-8").splitlines()
    # the Russian original: after "Том 17" and its title, up to the lone "." line
    start = next(i for i, line in enumerate(single) if line.startswith("Том ")) + 2
    stop = next(i for i in range(start, len(single)) if single[i].strip() == ".")
    russian_text = " ".join(line.strip() for line in single[start + 1 : stop - 2])
    russian = sorted(
        {NUMBERED.sub("", s).strip() for s in re.split(r"(?<=[.!?])\s+", russian_text) if len(s) > 20}
    )
    return SeedStats(
        templates=templates,
        sentences=_clean_pool(body_text),
        note_sentences=_clean_pool(note_text),
        russian_lines=russian,
    )
