"""Namespaces and small lxml helpers shared by the ODD stages."""

from __future__ import annotations

import functools
from collections.abc import Iterator

from lxml import etree

TEI_NS = "http://www.tei-c.org/ns/1.0"
RNG_NS = "http://relaxng.org/ns/structure/1.0"
SCH_NS = "http://purl.oclc.org/dsdl/schematron"
XML_NS = "http://www.w3.org/XML/1998/namespace"
XSD_DATATYPES = "http://www.w3.org/2001/XMLSchema-datatypes"
XHTML_NS = "http://www.w3.org/1999/xhtml"
#: Private namespace for bookkeeping attributes that live only during expansion.
ODD_NS = "urn:x-corresptei:odd"
ORIGIN = f"{{{ODD_NS}}}origin"

SPEC_KINDS = ("elementSpec", "classSpec", "macroSpec", "dataSpec")


def T(name: str) -> str:
    """Clark name of a TEI element."""
    return f"{{{TEI_NS}}}{name}"


def R(name: str) -> str:
    """Clark name of a RELAX NG element."""
    return f"{{{RNG_NS}}}{name}"


def S(name: str) -> str:
    """Clark name of a Schematron element."""
    return f"{{{SCH_NS}}}{name}"


XML_LANG = f"{{{XML_NS}}}lang"
XML_ID = f"{{{XML_NS}}}id"


@functools.lru_cache(maxsize=1024)
def _local_of(tag: str) -> str:
    return tag.rpartition("}")[2]


def local(el: etree._Element) -> str | None:
    """Local name of an element; None for comments and processing instructions."""
    tag = el.tag
    return _local_of(tag) if isinstance(tag, str) else None


def ns_of(el: etree._Element) -> str:
    tag = el.tag
    return tag[1:].partition("}")[0] if isinstance(tag, str) and tag.startswith("{") else ""


def tei_children(el: etree._Element, name: str | None = None) -> Iterator[etree._Element]:
    """TEI-namespace element children, optionally only those called ``name``."""
    for child in el:
        if isinstance(child.tag, str) and child.tag.startswith("{" + TEI_NS + "}"):
            if name is None or child.tag == T(name):
                yield child


def words(value: str | None) -> list[str]:
    return value.split() if value else []


def occurs(el: etree._Element) -> tuple[int, int | None]:
    """(minOccurs, maxOccurs) of a pure-ODD particle; None means unbounded."""
    lo = int(el.get("minOccurs", "1"))
    hi_text = el.get("maxOccurs", "1")
    hi = None if hi_text == "unbounded" else int(hi_text)
    return lo, hi


def is_english(el: etree._Element) -> bool:
    lang = el.get(XML_LANG)
    return lang is None or lang == "en" or lang.startswith("en-")
