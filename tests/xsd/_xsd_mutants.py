"""A small deterministic mutant generator for TEI documents.

Each mutant is one edit that usually makes a valid document invalid:

* ``drop-child``: the first element child of some element is removed (a required child);
* ``misplace``: some deep element is moved to the start of the document element's first
  child (e.g. a ``<p>`` into ``<teiHeader>``);
* ``bad-value``: an attribute with a closed value list gets a value outside the list;
* ``unknown-attr``: an element gets an attribute no schema declares;
* ``swap``: the first two differently named element children of some element swap places.

Choices are made by ``random.Random`` seeded with the document name and the kind, so the same
input gives the same mutants on every run and machine.
"""

from __future__ import annotations

import copy
import random
from dataclasses import dataclass
from typing import Callable

from lxml import etree

KINDS = ("drop-child", "misplace", "bad-value", "unknown-attr", "swap")
BAD_VALUE = "not-in-the-closed-list"


@dataclass(frozen=True)
class Mutant:
    """One edited copy of a document; ``name`` says what was done where."""

    name: str
    kind: str
    tree: etree._ElementTree


def _elements(root: etree._Element) -> list[etree._Element]:
    return [e for e in root.iter() if isinstance(e.tag, str)]


def _path(el: etree._Element) -> str:
    tree = el.getroottree()
    return tree.getpath(el) if el.getparent() is not None else "/" + etree.QName(el).localname


def _short(el: etree._Element) -> str:
    """A readable, stable location: the element path with namespace prefixes dropped."""
    steps = []
    while el is not None:
        parent = el.getparent()
        local = etree.QName(el).localname
        if parent is None:
            steps.append(local)
        else:
            same = [c for c in parent if isinstance(c.tag, str) and c.tag == el.tag]
            steps.append(f"{local}[{same.index(el) + 1}]" if len(same) > 1 else local)
        el = parent
    return "/" + "/".join(reversed(steps))


def _element_only(el: etree._Element) -> bool:
    """Whether ``el`` has element children and no text around them (structural content,
    where order and presence usually matter, unlike in running text)."""
    kids = [c for c in el if isinstance(c.tag, str)]
    texts = [el.text] + [c.tail for c in el]
    return bool(kids) and not any(t and t.strip() for t in texts)


def _drop_child(root: etree._Element, rnd: random.Random) -> str | None:
    parents = [e for e in _elements(root) if _element_only(e)]
    if not parents:
        return None
    parent = rnd.choice(parents)
    child = next(c for c in parent if isinstance(c.tag, str))
    where = _short(child)
    _remove(child)
    return where


def _misplace(root: etree._Element, rnd: random.Random) -> str | None:
    first = next((c for c in root if isinstance(c.tag, str)), None)
    deep = [e for e in _elements(root) if len(list(e.iterancestors())) >= 3]
    deep = [e for e in deep if first is not None and first not in e.iterancestors()]
    if first is None or not deep:
        return None
    moved = rnd.choice(deep)
    where = _short(moved)
    _remove(moved)
    moved.tail = None
    first.insert(0, moved)
    return f"{where} -> {_short(first)}"


def _bad_value(root: etree._Element, rnd: random.Random,
               closed: dict[str, list[str]]) -> str | None:
    candidates = [
        (e, a) for e in _elements(root) for a in closed.get(etree.QName(e).localname, [])
    ]
    if not candidates:
        return None
    with_attr = [(e, a) for e, a in candidates if e.get(a) is not None]
    el, attr = rnd.choice(with_attr or candidates)
    el.set(attr, BAD_VALUE)
    return f"{_short(el)}/@{attr}"


def _unknown_attr(root: etree._Element, rnd: random.Random) -> str | None:
    el = rnd.choice(_elements(root))
    el.set("bogusAttribute", "1")
    return f"{_short(el)}/@bogusAttribute"


def _swap(root: etree._Element, rnd: random.Random) -> str | None:
    pairs = []
    for parent in filter(_element_only, _elements(root)):
        kids = [c for c in parent if isinstance(c.tag, str)]
        for a, b in zip(kids, kids[1:]):
            if a.tag != b.tag:
                pairs.append((a, b))
                break
    if not pairs:
        return None
    a, b = rnd.choice(pairs)
    where = f"{_short(a)} <-> {_short(b)}"
    a.addprevious(b)  # moves b before a (tails travel with their elements)
    return where


def _remove(el: etree._Element) -> None:
    """Remove ``el`` but keep its tail text in the document."""
    parent = el.getparent()
    if el.tail:
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)


def mutants(doc_name: str, tree: etree._ElementTree,
            closed: dict[str, list[str]], rounds: int = 1) -> list[Mutant]:
    """Up to ``rounds`` mutants per kind (where the document allows it), in :data:`KINDS`
    order; repeated edits are dropped.

    ``closed`` maps element local names to their attributes with closed value lists.
    """
    edits: dict[str, Callable[[etree._Element, random.Random], str | None]] = {
        "drop-child": _drop_child,
        "misplace": _misplace,
        "bad-value": lambda r, rnd: _bad_value(r, rnd, closed),
        "unknown-attr": _unknown_attr,
        "swap": _swap,
    }
    out: dict[str, Mutant] = {}
    for kind in KINDS:
        for i in range(rounds):
            copy_tree = copy.deepcopy(tree)
            seed = f"{doc_name}:{kind}" + (f":{i}" if i else "")
            where = edits[kind](copy_tree.getroot(), random.Random(seed))
            name = f"{doc_name}~{kind}~{where}"
            if where is not None and name not in out:
                out[name] = Mutant(name, kind, copy_tree)
    return list(out.values())


def closed_attributes(rng_path: str) -> dict[str, list[str]]:
    """Element local name -> attributes whose value is a closed list, read from the RELAX NG
    schema with the converter's reader (used only to *choose* edits; verdicts come from
    the validators)."""
    from corresptei.odd._xsd_rng import (
        Attribute, Choice, Element, Group, Interleave, NcName, OneOrMore, Ref, Value, read_rng,
    )

    schema = read_rng(rng_path)

    def closed(body: object) -> bool:
        if isinstance(body, Value):
            return True
        return isinstance(body, Choice) and all(isinstance(i, Value) for i in body.items)

    def attrs(p: object, seen: set[str]) -> list[str]:
        if isinstance(p, Attribute):
            nc = p.nc
            return [nc.local] if isinstance(nc, NcName) and not nc.ns and closed(p.body) else []
        if isinstance(p, (Group, Interleave, Choice)):
            return [a for i in p.items for a in attrs(i, seen)]
        if isinstance(p, OneOrMore):
            return attrs(p.item, seen)
        if isinstance(p, Ref) and p.name not in seen:
            seen.add(p.name)
            target = schema.defines[p.name]
            return [] if isinstance(target, Element) else attrs(target, seen)
        return []

    result: dict[str, list[str]] = {}
    for el in schema.elements:
        if isinstance(el.nc, NcName):
            found = attrs(el.body, set())
            if found:
                result.setdefault(el.nc.local, [])
                result[el.nc.local] += [a for a in found if a not in result[el.nc.local]]
    return result
