"""Readable XPaths and source locations for lxml nodes."""

from __future__ import annotations

from lxml import etree

TEI_NS = "http://www.tei-c.org/ns/1.0"


def display_name(ns: str | None, local: str, context_ns: str | None = TEI_NS) -> str:
    """``p`` for an element in the context namespace, ``{ns}p`` otherwise; wildcards spelled out."""
    if local == "*":
        return "any element" if ns in (None, "*") else f"any element in {{{ns}}}"
    if ns == "http://www.w3.org/XML/1998/namespace":
        return f"xml:{local}"
    if not ns or ns == context_ns:
        return local
    return f"{{{ns}}}{local}"


def readable_path(node: etree._Element) -> str:
    """``/TEI/teiHeader[1]/fileDesc[1]/titleStmt[1]`` (local names, 1-based positions)."""
    steps: list[str] = []
    el = node
    while el is not None and isinstance(el.tag, str):
        parent = el.getparent()
        local = etree.QName(el).localname
        if parent is None:
            steps.append(local)
        else:
            pos = 1
            for sib in el.itersiblings(preceding=True):
                if sib.tag == el.tag:
                    pos += 1
            steps.append(f"{local}[{pos}]")
        el = parent
    return "/" + "/".join(reversed(steps))


def node_at(tree: etree._ElementTree, path: str | None) -> etree._Element | None:
    """The element at a libxml2 path (``/*/*[1]/*[2]``), or None."""
    if not path:
        return None
    try:
        found = tree.xpath(path)
    except etree.XPathError:
        return None
    for item in found if isinstance(found, list) else []:
        if isinstance(item, etree._Element):
            return item
        parent = getattr(item, "getparent", lambda: None)()
        if parent is not None:
            return parent
    return None
