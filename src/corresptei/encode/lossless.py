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
    """The words of the elements' text, tails and attribute values (one regex pass over all of them)."""
    parts: list[str] = []
    add, extend = parts.append, parts.extend
    for node in tree.iter(etree.Element):  # (not comments or processing instructions)
        if node.text:
            add(node.text)
        if node.tail:
            add(node.tail)
        if node.attrib:
            extend(node.attrib.values())
    return Counter(_WORD.findall("\n".join(parts)))  # no word spans a newline


def missing_words(source_lines: list[str], tree: etree._Element) -> Counter:
    """Source words (with their counts) that the TEI does not hold."""
    return words("\n".join(source_lines)) - tei_words(tree)
