"""Deterministic mutants of TEI documents, each breaking one kind of rule.

Every mutation is chosen from the document's own structure (no randomness), so a
run always produces the same files:

* ``drop-required-child``: the first child of the root's first child is removed
  (in a TEI document: ``fileDesc`` from ``teiHeader``);
* ``misplace-element``: the last element of the document is moved to be the root's
  first child;
* ``bad-closed-value``: ``xml:space`` (a closed list: default | preserve) gets a value
  outside the list;
* ``unknown-attribute``: an attribute no schema declares is added to the last element;
* ``swap-order``: the first two differently named element children of the first
  element that has such children swap places.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

from lxml import etree

XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def _elements(el: etree._Element) -> list[etree._Element]:
    return [c for c in el if isinstance(c.tag, str)]


def drop_required_child(root: etree._Element) -> bool:
    first = _elements(root)
    if not first or not _elements(first[0]):
        return False
    first[0].remove(_elements(first[0])[0])
    return True


def misplace_element(root: etree._Element) -> bool:
    last = [e for e in root.iter() if isinstance(e.tag, str)][-1]
    if last is root or last.getparent() is root:
        return False
    last.getparent().remove(last)
    root.insert(0, last)
    return True


def bad_closed_value(root: etree._Element) -> bool:
    target = (_elements(root) or [root])[0]
    target.set(XML_SPACE, "sometimes")
    return True


def unknown_attribute(root: etree._Element) -> bool:
    last = [e for e in root.iter() if isinstance(e.tag, str)][-1]
    last.set("mutantAttribute", "1")
    return True


def swap_order(root: etree._Element) -> bool:
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        kids = _elements(el)
        for a, b in zip(kids, kids[1:], strict=False):
            if a.tag != b.tag:
                index = el.index(a)
                el.remove(b)
                el.insert(index, b)
                return True
    return False


MUTATIONS: dict[str, Callable[[etree._Element], bool]] = {
    "drop-required-child": drop_required_child,
    "misplace-element": misplace_element,
    "bad-closed-value": bad_closed_value,
    "unknown-attribute": unknown_attribute,
    "swap-order": swap_order,
}


def mutants(document: Path) -> Iterator[tuple[str, bytes]]:
    """(mutation name, mutated document) for every mutation that applies to ``document``."""
    for name, mutate in MUTATIONS.items():
        tree = etree.parse(str(document))
        if mutate(tree.getroot()):
            yield name, etree.tostring(tree, xml_declaration=True, encoding="UTF-8")


def write_mutants(documents: list[Path], out_dir: Path) -> list[Path]:
    """Write every mutant of ``documents`` into ``out_dir``; returns their paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for doc in documents:
        for name, data in mutants(doc):
            path = out_dir / f"{doc.stem}--{name}.xml"
            path.write_bytes(data)
            written.append(path)
    return written
