"""The print edition as a reader of the PDF meets it, checked with poppler's pdftotext.

Table of contents with the right page numbers, letters in order each starting
on its page under its heading with the archival citation, running heads,
every footnote on the page of its marker, Russian text in an embedded font
that has Cyrillic.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from lxml import etree

from .helpers import CYRILLIC, TEI, Built
from .test_text import BLOCK_PARENTS, MARKER, is_footnote, printed

T = f"{{{TEI}}}"
CORPUS_HEAD = "Stalin–Kaganovich correspondence, September 1931"


def poppler(tool: str) -> str:
    path = shutil.which(tool)
    assert path, f"{tool} is missing: install poppler-utils (make system-deps)"
    return path


def pdf(built: Built) -> Path:
    return built.out / "pdf" / "corpus.pdf"


@pytest.fixture(scope="module")
def page_texts(built: Built) -> list[str]:
    """The text of every page (pdftotext, reading order), pages split on form feeds."""
    out = subprocess.run([poppler("pdftotext"), "-enc", "UTF-8", str(pdf(built)), "-"],
                         check=True, capture_output=True, text=True).stdout
    pages = out.split("\f")
    if pages and not pages[-1].strip():
        pages.pop()
    return pages


def flat(text: str) -> str:
    return " ".join(text.split())


def toc(pages: list[str], count: int) -> list[tuple[str, int]]:
    """The first ``count`` (entry, page number) pairs from the contents pages."""
    entries: list[tuple[str, int]] = []
    pending = ""
    started = False
    for page in pages[1:]:
        lines = page.split("\n")
        if not started:
            if "Contents" not in lines:
                continue
            lines = lines[lines.index("Contents") + 1:]
            started = True
        found = False
        for line in lines:
            m = re.match(r"^(.*?)\s*\.+\s*(\d+)\s*$", line)
            if m:
                entries.append((flat(pending + " " + m.group(1)), int(m.group(2))))
                pending, found = "", True
                if len(entries) == count:
                    return entries
            elif line.strip() and not line.strip().isdigit() and line.strip() != CORPUS_HEAD:
                pending += " " + line
        if entries and not found:
            break
    return entries


def letter_ranges(built: Built, pages: list[str]) -> list[tuple[str, etree._Element, int, int]]:
    """(stem, TEI, first page, last page) per letter, pages 1-based."""
    entries = toc(pages, len(built.corpus.letters))
    starts = [number for _, number in entries]
    out = []
    for i, (stem, tei) in enumerate(built.letters()):
        last = starts[i + 1] - 1 if i + 1 < len(starts) else len(pages)
        out.append((stem, tei, starts[i], max(last, starts[i])))
    return out


def word_before(note: etree._Element) -> str:
    """The printed word the note's marker follows (markers of other notes dropped)."""
    block = note
    while block.getparent() is not None and block.getparent().tag not in BLOCK_PARENTS:
        block = block.getparent()
    copy = etree.fromstring(etree.tostring(block, with_tail=False))
    index = list(block.iter(T + "note")).index(note)
    target = list(copy.iter(T + "note"))[index]
    sentinel = etree.Element(T + "seg")
    sentinel.text = "\ue000"
    sentinel.tail = target.tail
    target.getparent().replace(target, sentinel)
    before = printed(copy, True).split("\ue000")[0]
    return MARKER.sub("", before).split()[-1]


def test_page_count(built: Built, page_texts: list[str]) -> None:
    info = subprocess.run([poppler("pdfinfo"), str(pdf(built))], check=True,
                          capture_output=True, text=True).stdout
    count = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    assert count == len(page_texts)
    assert count >= len(built.corpus.letters) + 2  # title page, contents, a page per letter at least


def test_contents_lists_every_letter_with_its_page(built: Built, page_texts: list[str]) -> None:
    letters = built.letters()
    entries = toc(page_texts, len(letters))
    assert len(entries) == len(letters)
    numbers = [n for _, n in entries]
    assert numbers == sorted(numbers) and len(set(numbers)) == len(numbers)
    for (entry, number), (stem, tei) in zip(entries, letters):
        title = flat(tei.findtext(f".//{T}titleStmt/{T}title"))
        assert entry.startswith(title), (entry, title)
        page = flat(page_texts[number - 1])
        assert title in page, (stem, number)
        witness = tei.find(f".//{T}sourceDesc/{T}msDesc/{T}head[@type='citation']")
        citation = flat(printed(witness, False)) if witness is not None else "No archival reference printed."
        opening = " ".join(citation.split()[:4])  # the printed line, before any repair mark
        assert opening in page, (stem, citation)
        assert page.index(title) < page.index(opening), stem


def test_running_heads(built: Built, page_texts: list[str]) -> None:
    for stem, tei, first, last in letter_ranges(built, page_texts):
        title = flat(tei.findtext(f".//{T}titleStmt/{T}title"))
        for number in range(first, last + 1):
            expected = title if number % 2 else CORPUS_HEAD
            top = flat(page_texts[number - 1])[:len(expected)]
            assert top == expected, (stem, number, top)


def test_footnotes_on_the_page_of_their_marker(built: Built, page_texts: list[str]) -> None:
    checked = 0
    deferred: list[tuple[str, str]] = []
    for stem, tei, first, last in letter_ranges(built, page_texts):
        scope = [flat(p) for p in page_texts[first - 1:last]]
        for note in tei.find(f"{T}text/{T}body").iter(T + "note"):
            if not is_footnote(note) or note.get("place") == "end":
                continue
            label = note.get("n")
            word = re.split(r"[-–—/]", word_before(note))[-1]
            marker = f"{word}{label}"
            start = " ".join(flat(printed(note, False)).split()[:14])  # long enough to tell notes apart
            holders = [i for i, page in enumerate(scope) if start in page]
            assert holders, (stem, label, start)
            if marker not in scope[holders[0]]:
                deferred.append((stem, label))
            checked += 1
    assert checked > 0
    # footnote-policy: line takes the line of a call whose note does not fit to the next
    # page, however long the note; one note of the corpus (1931-09-16, note 3) still
    # lands a page late under WeasyPrint 70.
    assert len(deferred) <= max(1, checked // 20), deferred


def test_russian_in_an_embedded_cyrillic_font(built: Built, page_texts: list[str]) -> None:
    fonts = subprocess.run([poppler("pdffonts"), str(pdf(built))], check=True,
                           capture_output=True, text=True).stdout.splitlines()[2:]
    assert fonts and all(" yes yes yes " in f or re.search(r"\byes\s+yes\s+yes\b", f) for f in fonts)
    assert all("DejaVu" in f for f in fonts), fonts
    russian = [p for _, tei in built.letters() for p in tei.iter(T + "p")
               if CYRILLIC.search("".join(p.itertext()))]
    whole = flat(" ".join(page_texts))
    for p in russian:
        words = flat(MARKER.sub("", printed(p, True))).split()[:8]
        assert " ".join(words) in whole, words
