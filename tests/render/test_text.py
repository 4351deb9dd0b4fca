"""Plain text: words exactly the TEI text's, 78 columns, notes at the end, golden file.

"The TEI text" of a letter, precisely: for each ``body/div`` in order, the text
of the div in its printed reading (``sic`` not ``corr``, ``abbr`` not ``expan``,
``orig`` not ``reg``) without its footnotes, then the text of its footnotes
(every ``note`` not ``@place="inline"`` and not the apparatus of a
single-letter page: a div's ``note`` placed ``top`` or typed source / crossref)
in document order.  Block elements
(children of div / opener / closer / postscript / list, and paragraphs in a
note) are separated by white space; phrase elements are not.  Words are the
white-space separated tokens after deleting note markers ``[n]``.  The text file
adds only a header block (before the first 78-dash rule), rule lines, and the
markers.
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from corresptei.render.corpus import Corpus
from corresptei.render.stages import engine

from .helpers import FIXTURES, HERE, TEI, Built

T = f"{{{TEI}}}"
EDITORIAL = {T + "corr", T + "expan", T + "reg"}
BLOCK_PARENTS = {T + "div", T + "opener", T + "closer", T + "postscript", T + "list", T + "body"}
MARKER = re.compile(r"\[[^\]\s]{1,8}\]")
LAYOUT = re.compile(r"^(?:=+|-+|_+|== .* =+)$")
GOLDEN = HERE / "golden"


def is_apparatus(el: etree._Element) -> bool:
    """Single-letter page apparatus: text of its div, not a footnote."""
    parent = el.getparent()
    return (el.tag == T + "note" and parent is not None and parent.tag == T + "div"
            and (el.get("place") == "top" or el.get("type") in ("source", "crossref", "metadata")))


def is_footnote(el: etree._Element) -> bool:
    return el.tag == T + "note" and el.get("place") != "inline" and not is_apparatus(el)


def printed(el: etree._Element, skip_footnotes: bool) -> str:
    """The printed reading of an element (text + children + not its tail)."""
    parts = [el.text or ""]
    for child in el:
        if not isinstance(child.tag, str):  # comments, PIs
            parts.append(child.tail or "")
            continue
        if child.tag in EDITORIAL or (skip_footnotes and is_footnote(child)):
            pass
        elif child.tag == T + "lb":
            parts.append(" ")
        elif el.tag in BLOCK_PARENTS or child.tag == T + "p":
            parts.append(" " + printed(child, skip_footnotes) + " ")
        else:
            parts.append(printed(child, skip_footnotes))
        parts.append(child.tail or "")
    return "".join(parts)


def words(text: str) -> list[str]:
    return MARKER.sub("", text).split()


def tei_words(root: etree._Element) -> list[str]:
    out: list[str] = []
    for div in root.iterfind(f"{T}text/{T}body/{T}div"):
        out += words(printed(div, skip_footnotes=True))
        for note in div.iter(T + "note"):
            if is_footnote(note):
                out += words(printed(note, skip_footnotes=False))
    return out


def text_part(text: str) -> str:
    """The text file after its header block, without layout lines."""
    lines = text.split("\n")
    start = lines.index("-" * 78) + 1
    return "\n".join(line for line in lines[start:] if not LAYOUT.match(line.strip()))


def test_words_are_the_tei_words(built: Built) -> None:
    for stem, root in built.letters():
        text = (built.out / "text" / f"{stem}.txt").read_text(encoding="utf-8")
        assert words(text_part(text)) == tei_words(root), stem


def test_markers_in_place_and_notes_numbered_at_the_end(built: Built) -> None:
    for stem, root in built.letters():
        text = (built.out / "text" / f"{stem}.txt").read_text(encoding="utf-8")
        body_text = text_part(text)
        body = root.find(f"{T}text/{T}body")
        notes = [n for n in body.iter(T + "note") if is_footnote(n) and n.get("place") != "end"]
        for note in notes:
            label = note.get("n")
            assert label, (stem, "a footnote without @n")
            assert f"[{label}]" in body_text, (stem, label)
            assert re.search(rf"^\[{re.escape(label)}\] \S", body_text, re.M), (stem, label)


def test_lines_fit_78_columns(built: Built) -> None:
    for path in sorted((built.out / "text").glob("*.txt")):
        for number, line in enumerate(path.read_text(encoding="utf-8").split("\n"), 1):
            if len(line) > 78:
                assert len(line.split()) == 1, f"{path.name}:{number}: {len(line)} columns"


WORD = st.text(alphabet="abcxyz-.,;’\u00a0ЖжЯ𝔄", min_size=1, max_size=30)
SPACE = st.sampled_from([" ", "  ", "\n", "\t ", " \r\n"])


def greedy_wrap(text: str, width: int) -> str:
    """The reference: words split at XML white space only (a no-break space belongs to
    its word; Python's textwrap would drop a word of no-break spaces), each line the
    longest run of whole words that fits, a longer word on a line of its own."""
    lines: list[str] = []
    for word in re.split(r"[ \t\n\r]+", text.strip(" \t\n\r")):
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        elif word:
            lines.append(word)
    return "\n".join(lines)


def test_greedy_wrap_agrees_with_textwrap_on_plain_words() -> None:
    text = "a bb ccc dddd eeeee ffffff ggggggg hhhhhhhh iiiiiiiii " * 7 + "x" * 30 + " end"
    for width in (1, 5, 9, 20, 78):
        assert greedy_wrap(text, width) == textwrap.fill(
            text, width, break_long_words=False, break_on_hyphens=False)


@settings(max_examples=300, deadline=None)
@given(words=st.lists(st.tuples(WORD, SPACE), max_size=60), width=st.integers(1, 90))
def test_wrap_is_greedy(words: list[tuple[str, str]], width: int) -> None:
    """f:wrap (common.xsl) breaks lines where the reference does, never inside a word."""
    text = "".join(word + space for word, space in words)
    eng = engine()
    proc = eng.processor
    result = eng.compiled("text").call_function_returning_value(
        "{urn:corresptei:functions}wrap", [proc.make_string_value(text), proc.make_integer_value(width)])
    got = result.head.string_value if result.size else ""
    assert got == greedy_wrap(text, width)
    first = "[12] "  # f:wrap-hanging: the first line after a label, the others indented as far
    hanging = eng.compiled("text").call_function_returning_value(
        "{urn:corresptei:functions}wrap-hanging",
        [proc.make_string_value(first), proc.make_string_value(text), proc.make_integer_value(width)])
    assert hanging.head.string_value == first + greedy_wrap(text, width - len(first)).replace("\n", "\n     ")


def test_wrap_of_a_very_long_paragraph() -> None:
    """28,000 lines: the time grows with the text, not with its square, and the calls do
    not nest once per line (Saxon refuses nesting that deep: "too many nested function
    calls")."""
    text = " ".join(f"word{i}" for i in range(200_000)) + " " + "x" * 100 + " end"
    eng = engine()
    proc = eng.processor
    result = eng.compiled("text").call_function_returning_value(
        "{urn:corresptei:functions}wrap", [proc.make_string_value(text), proc.make_integer_value(78)])
    assert result.head.string_value == greedy_wrap(text, 78)


def test_header_block(built: Built) -> None:
    for stem, root in built.letters():
        text = (built.out / "text" / f"{stem}.txt").read_text(encoding="utf-8")
        header = text.split("-" * 78)[0]
        title = root.findtext(f".//{T}titleStmt/{T}title")
        assert header.startswith(" ".join(title.split()))
        for label in ("Date:", "From:", "To:", "Archive:", "Source:"):
            assert re.search(rf"^{label}", header, re.M), (stem, label)
        if root.find(f".//{T}sourceDesc/{T}msDesc") is None:
            assert "none printed" in header


def test_corpus_text_holds_every_letter_in_order(built: Built) -> None:
    corpus = (built.out / "text" / "corpus.txt").read_text(encoding="utf-8")
    position = 0
    for letter in built.corpus.letters:
        single = (built.out / "text" / f"{letter.stem}.txt").read_text(encoding="utf-8")
        found = corpus.find(single.strip(), position)
        assert found >= position, letter.stem
        position = found + 1


@pytest.mark.parametrize("stem", ["1931-09-03_kaganovich-stalin_b", "1931-09-07_stalin-kaganovich"])
def test_golden(stem: str) -> None:
    """Text output of fixture letters, compared with files reviewed by hand."""
    corpus = Corpus.from_paths([FIXTURES])
    eng = engine()
    params = {"persons": eng.parse(path=corpus.persons)}
    letter = next(lt for lt in corpus.letters if lt.stem == stem)
    text = eng.transform("text", eng.parse(path=letter.path), params)
    expected = (GOLDEN / f"{stem}.txt").read_text(encoding="utf-8")
    assert text == expected
