"""Columns for findings: where each element's start tag ends in the file.

libxml2 gives an element's line (the line on which its start tag ends) but no
column.  SAX-based validators such as Jing report the line and column just after
the start tag's ``>``; findings located at an element get the same here, so
``file:line:col`` takes an editor to the element.

The start tags are found in the file's text by one regular expression that steps
over comments, CDATA sections, processing instructions, the document type
declaration and end tags; the n-th start tag is the n-th element in document order
(the hardened parser expands no entities, so every element has its own tag in the
file).  When the counts disagree, or the file cannot be read again, findings keep
column 0 (unknown).

Only files with findings are read again, so a valid corpus pays nothing.
"""

from __future__ import annotations

import codecs
import dataclasses
import re
from collections.abc import Sequence

from lxml import etree

from ..fsutil import read_file
from .findings import Engine, Finding

#: Engines whose findings carry the readable path of an element.
_LOCATED = {Engine.RNG, Engine.SCH, Engine.XSD}

_MARKUP = re.compile(
    r"<!--.*?-->"
    r"|<!\[CDATA\[.*?\]\]>"
    r"|<\?.*?\?>"
    r"|<!(?:[^\[>]|\[.*?\])*>"  # <!DOCTYPE …> with an internal subset
    r"|</[^>]*>"
    r"|(<(?:[^>\"']|\"[^\"]*\"|'[^']*')*>)",  # a start tag (group 1); > may stand in a quoted value
    re.S,
)


def start_tag_ends(text: str) -> list[tuple[int, int]]:
    """``(line, column)`` just after each start tag's ``>``, in document order (1-based)."""
    ends: list[tuple[int, int]] = []
    line, line_start, scanned = 1, 0, 0
    for m in _MARKUP.finditer(text):
        if m.group(1) is None:
            continue
        end = m.end()
        breaks = text.count("\n", scanned, end)
        if breaks:
            line += breaks
            line_start = text.rfind("\n", scanned, end) + 1
        scanned = end
        ends.append((line, end - line_start + 1))
    return ends


def element_paths(root: etree._Element) -> list[str]:
    """The readable path of every element (``xmlpaths.readable_path``), in document order."""
    paths: list[str] = []
    own: dict[etree._Element, str] = {}
    seen: dict[tuple[str, str], int] = {}  # (parent path, tag) -> elements so far
    for el in root.iter(etree.Element):
        parent = el.getparent()
        local = etree.QName(el).localname
        if parent is None:
            path = "/" + local
        else:
            above = own[parent]
            n = seen[(above, el.tag)] = seen.get((above, el.tag), 0) + 1
            path = f"{above}/{local}[{n}]"
        own[el] = path
        paths.append(path)
    return paths


def _read_text(file: str, encoding: str | None) -> str | None:
    try:
        data = read_file(file)[0]
    except OSError:
        return None
    name = (encoding or "utf-8").lower()
    try:
        if codecs.lookup(name).name == "utf-8":
            name = "utf-8-sig"  # a byte order mark is not a column
        return data.decode(name)
    except (LookupError, UnicodeDecodeError):
        return None


def with_columns(tree: etree._ElementTree, file: str, findings: Sequence[Finding]) -> list[Finding]:
    """``findings`` of one file, those located at an element given its start tag's end."""
    if not any(f.engine in _LOCATED and f.xpath.startswith("/") for f in findings):
        return list(findings)
    text = _read_text(file, tree.docinfo.encoding)
    root = tree.getroot()
    if text is None or root is None:
        return list(findings)
    paths = element_paths(root)
    ends = start_tag_ends(text)
    if len(ends) != len(paths):  # not the document that was parsed, or markup this scan misreads
        return list(findings)
    where = dict(zip(paths, ends))
    out = []
    for f in findings:
        at = where.get(f.xpath.split("/@", 1)[0]) if f.engine in _LOCATED else None
        out.append(dataclasses.replace(f, line=at[0], column=at[1]) if at else f)
    return out
