"""The lossless check: every word of a source letter is somewhere in its TEI.

Words are runs of letters or runs of digits ("PB2" is "PB" and "2"), compared as
multisets, case-sensitively, over the TEI's text and attribute values.
"""

from __future__ import annotations

import re
from collections import Counter

from lxml import etree

_WORD = re.compile(r"[^\W\d_]+|\d+")


def words(text: str) -> Counter:
    return Counter(_WORD.findall(text))


def tei_words(tree: etree._Element) -> Counter:
    c: Counter = Counter()
    for node in tree.iter():
        if not isinstance(node.tag, str):
            continue
        if node.text:
            c.update(_WORD.findall(node.text))
        if node.tail:
            c.update(_WORD.findall(node.tail))
        for v in node.attrib.values():
            c.update(_WORD.findall(v))
    return c


def missing_words(source_lines: list[str], tree: etree._Element) -> Counter:
    """Source words (with their counts) that the TEI does not hold."""
    return words("\n".join(source_lines)) - tei_words(tree)
