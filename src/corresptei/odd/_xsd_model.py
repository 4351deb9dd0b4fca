"""XSD particles, and the repair of content models XSD 1.0 forbids.

A content model is a tree of particles (element, wildcard, sequence, choice, group reference).
XSD 1.0 requires it to satisfy *Unique Particle Attribution* (its Glushkov automaton is
deterministic) and *Element Declarations Consistent* (one type per element name).  RELAX NG has
neither rule.  :func:`repair` finds the smallest subtree holding two competing particles and
replaces it by ``(a | b | ...)*`` over the names it contains (``+`` when the subtree cannot be
empty): a sound superset, reported to the caller so it can be recorded as a relaxation.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Callable, Iterator

UNBOUNDED = None
# Type of an element whose declarations had to be merged: any attributes, any content, none
# of it checked (the emitter writes it as a named complexType with skip wildcards).
ANY_CONTENT = "##any-content"


@dataclass(frozen=True)
class Wildcard:
    """A namespace constraint: ``any``, ``other`` (not the target namespace, not absent),
    or ``names`` (a set of namespace URIs, '' meaning no namespace)."""

    kind: str
    names: frozenset[str] = frozenset()

    def matches(self, ns: str, tns: str) -> bool:
        if self.kind == "any":
            return True
        if self.kind == "other":
            return ns not in (tns, "")
        return ns in self.names

    def overlaps(self, other: "Wildcard", tns: str) -> bool:
        if "any" in (self.kind, other.kind) or self.kind == other.kind == "other":
            return True
        if self.kind == "other":
            return any(self.matches(n, tns) for n in other.names)
        if other.kind == "other":
            return any(other.matches(n, tns) for n in self.names)
        return bool(self.names & other.names)

    def union(self, other: "Wildcard", tns: str) -> "Wildcard":
        if self == other:
            return self
        if self.kind == other.kind == "names":
            return Wildcard("names", self.names | other.names)
        return Wildcard("any")


@dataclass(frozen=True)
class PElem:
    """An element particle: ``ref`` to a global declaration, or a local one with ``type``."""

    ns: str
    local: str
    type: str | None  # None: a reference to the global declaration
    min: int = 1
    max: int | None = 1


@dataclass(frozen=True)
class PAny:
    wildcard: Wildcard
    process: str = "skip"
    min: int = 1
    max: int | None = 1


@dataclass(frozen=True)
class PSeq:
    items: tuple["Particle", ...]
    min: int = 1
    max: int | None = 1


@dataclass(frozen=True)
class PChoice:
    items: tuple["Particle", ...]
    min: int = 1
    max: int | None = 1


@dataclass(frozen=True)
class PGroup:
    """A reference to a named model group; ``content`` is the group's particle.
    ``inline`` means the reference is written out as a copy (it was repaired locally)."""

    name: str
    content: "Particle"
    min: int = 1
    max: int | None = 1
    inline: bool = False


@dataclass(frozen=True)
class PAll:
    """``xs:all``: each element once (or at most once), in any order.  XSD 1.0 allows it
    only as the whole content model of a complex type (see :func:`confine_alls`)."""

    items: tuple[PElem, ...]
    min: int = 1
    max: int | None = 1


Particle = PElem | PAny | PSeq | PChoice | PGroup | PAll


def occurs(p: Particle, lo: int, hi: int | None) -> Particle:
    """``p`` repeated ``lo..hi`` times; exact for the counts RELAX NG has (0/1, 1/unbounded)."""
    new_max = UNBOUNDED if (p.max is UNBOUNDED or hi is UNBOUNDED) else p.max * hi
    return replace(p, min=p.min * lo, max=new_max)


def children(p: Particle) -> tuple[Particle, ...]:
    if isinstance(p, (PSeq, PChoice, PAll)):
        return p.items
    if isinstance(p, PGroup):
        return (p.content,)
    return ()


def leaves(p: Particle) -> Iterator[PElem | PAny]:
    """Element and wildcard particles under ``p``, group references expanded."""
    if isinstance(p, (PElem, PAny)):
        yield p
    for c in children(p):
        yield from leaves(c)


def nullable(p: Particle) -> bool:
    if p.min == 0:
        return True
    if isinstance(p, (PSeq, PAll)):
        return all(nullable(i) for i in p.items)
    if isinstance(p, PChoice):
        return any(nullable(i) for i in p.items)
    if isinstance(p, PGroup):
        return nullable(p.content)
    return False


# --------------------------------------------------------------------------- Glushkov analysis
Path = tuple[int, ...]


class _Analysis:
    """Positions, first set and follow sets (as int bitsets) of one particle tree."""

    def __init__(self, root: Particle):
        self.labels: list[PElem | PAny] = []
        self.paths: list[Path] = []
        self.contrib: list[tuple[int, int]] = []
        _, self.first, _ = self._walk(root, ())

    def _walk(self, p: Particle, path: Path) -> tuple[bool, int, int]:
        if isinstance(p, (PElem, PAny)):
            bit = 1 << len(self.labels)
            self.labels.append(p)
            self.paths.append(path)
            null, first, last = False, bit, bit
        elif isinstance(p, PGroup):
            null, first, last = self._walk(p.content, path + (0,))
        elif isinstance(p, PChoice):
            null, first, last = False, 0, 0
            for i, item in enumerate(p.items):
                n, f, l_ = self._walk(item, path + (i,))
                null, first, last = null or n, first | f, last | l_
        else:
            null, first, last = self._seq(p, path)
        if p.min == 0:
            null = True
        if p.max is UNBOUNDED:
            self.contrib.append((last, first))
        return null, first, last

    def _seq(self, p: PSeq, path: Path) -> tuple[bool, int, int]:
        null, first, last = True, 0, 0
        for i, item in enumerate(p.items):
            n, f, l_ = self._walk(item, path + (i,))
            if last:
                self.contrib.append((last, f))
            if null:
                first |= f
            last = l_ | (last if n else 0)
            null = null and n
        return null, first, last

    def follow_sets(self) -> list[int]:
        follow = [0] * len(self.labels)
        for last, first in self.contrib:
            for pos in _bits(last):
                follow[pos] |= first
        return follow


def _bits(x: int) -> Iterator[int]:
    while x:
        low = x & -x
        yield low.bit_length() - 1
        x ^= low


def _clash(a: PElem | PAny, b: PElem | PAny, tns: str) -> bool:
    if isinstance(a, PElem) and isinstance(b, PElem):
        return (a.ns, a.local) == (b.ns, b.local)
    if isinstance(a, PAny) and isinstance(b, PAny):
        return a.wildcard.overlaps(b.wildcard, tns)
    elem, wild = (a, b) if isinstance(a, PElem) else (b, a)
    return wild.wildcard.matches(elem.ns, tns)  # type: ignore[union-attr]


def _conflict_in(positions: int, an: _Analysis, tns: str) -> tuple[int, int] | None:
    by_name: dict[tuple[str, str], int] = {}
    wilds: list[int] = []
    for pos in _bits(positions):
        label = an.labels[pos]
        if isinstance(label, PAny):
            wilds.append(pos)
            continue
        key = (label.ns, label.local)
        if key in by_name:
            return by_name[key], pos
        by_name[key] = pos
    for i, w in enumerate(wilds):
        for other in wilds[i + 1:] + list(by_name.values()):
            if _clash(an.labels[w], an.labels[other], tns):
                return w, other
    return None


def find_conflict(root: Particle, tns: str) -> tuple[str, Path, Path] | None:
    """The first EDC or UPA violation in ``root``: (rule, path1, path2), or None."""
    if isinstance(root, PAll):  # distinct element names (see all_of): nothing competes
        return None
    an = _Analysis(root)
    types: dict[tuple[str, str], tuple[str | None, int]] = {}
    for pos, label in enumerate(an.labels):
        if isinstance(label, PElem):
            key = (label.ns, label.local)
            seen = types.setdefault(key, (label.type, pos))
            if seen[0] != label.type:
                return "EDC", an.paths[seen[1]], an.paths[pos]
    checked: set[int] = set()
    for positions in [an.first, *an.follow_sets()]:
        if positions in checked or positions & (positions - 1) == 0:
            continue
        checked.add(positions)
        hit = _conflict_in(positions, an, tns)
        if hit:
            return "UPA", an.paths[hit[0]], an.paths[hit[1]]
    return None


# --------------------------------------------------------------------------- xs:all
def all_of(items: list[Particle]) -> PAll | None:
    """An ``xs:all`` for an interleave of ``items``, when XSD 1.0 can say it: distinct
    element names, each at most once."""
    if not all(isinstance(i, PElem) and i.max == 1 for i in items):
        return None
    names = {(i.ns, i.local) for i in items}  # type: ignore[union-attr]
    if len(names) != len(items):
        return None
    return PAll(tuple(items))  # type: ignore[arg-type]


def confine_alls(p: Particle, tns: str, top: bool) -> tuple[Particle, list[PAll]]:
    """Replace every ``xs:all`` that is not the whole content (``top``) by a repeatable
    choice; returns the new particle and the ``xs:all`` particles so replaced."""
    if isinstance(p, PAll):
        if top and p.max == 1:
            return p, []
        return occurs(flatten(p, tns), p.min, p.max), [p]
    if isinstance(p, (PSeq, PChoice)):
        done = [confine_alls(i, tns, False) for i in p.items]
        replaced = [a for _, found in done for a in found]
        if not replaced:
            return p, []
        return replace(p, items=tuple(i for i, _ in done)), replaced
    if isinstance(p, PGroup):
        content, replaced = confine_alls(p.content, tns, False)
        return (replace(p, content=content, inline=True), replaced) if replaced else (p, [])
    return p, []


# --------------------------------------------------------------------------- repair
def flatten(p: Particle, tns: str) -> PChoice:
    """``(leaf | leaf | ...)*`` (``+`` if ``p`` is not nullable): a deterministic superset."""
    elems: dict[tuple[str, str], PElem] = {}
    wild: PAny | None = None
    for leaf in leaves(p):
        if isinstance(leaf, PAny):
            wild = leaf if wild is None else PAny(
                wild.wildcard.union(leaf.wildcard, tns),
                "skip" if "skip" in (wild.process, leaf.process) else leaf.process,
            )
            continue
        key = (leaf.ns, leaf.local)
        bare = replace(leaf, min=1, max=1)
        if key in elems and elems[key].type != leaf.type:
            bare = replace(bare, type=ANY_CONTENT)
        elems[key] = bare
    items: list[Particle] = [
        e for e in elems.values() if wild is None or not wild.wildcard.matches(e.ns, tns)
    ]
    if wild is not None:
        items.append(replace(wild, min=1, max=1))
    return PChoice(tuple(items), min=0 if nullable(p) else 1, max=UNBOUNDED)


def _replace_at(p: Particle, path: Path, fn: Callable[[Particle], Particle]) -> Particle:
    if not path:
        return fn(p)
    head, rest = path[0], path[1:]
    if isinstance(p, PGroup):
        return replace(p, content=_replace_at(p.content, rest, fn), inline=True)
    items = list(p.items)  # type: ignore[union-attr]
    items[head] = _replace_at(items[head], rest, fn)
    return replace(p, items=tuple(items))


def _node_at(p: Particle, path: Path) -> Particle:
    for step in path:
        p = children(p)[step]
    return p


def repair(root: Particle, tns: str) -> tuple[Particle, list[str]]:
    """Make ``root`` satisfy UPA and EDC; returns the new particle and what was relaxed.

    Of a sequence, only the items from the first to the last competing one are made
    order-free; of a choice, only the competing branches are merged.
    """
    notes: list[str] = []
    while True:
        hit = find_conflict(root, tns)
        if hit is None:
            return root, notes
        rule, a, b = hit
        common = 0
        while common < min(len(a), len(b)) and a[common] == b[common]:
            common += 1
        where = a[:common]
        node = _node_at(root, where)
        lo, hi = sorted((a[common], b[common])) if common < min(len(a), len(b)) else (0, 0)
        if isinstance(node, (PSeq, PChoice)) and len(node.items) > 2 and lo != hi:
            new_node, names_from = _flatten_part(node, lo, hi, tns)
        else:
            new_node = occurs(flatten(node, tns), node.min, node.max)
            names_from = node
        names = sorted({x.local if isinstance(x, PElem) else "*" for x in leaves(names_from)})
        notes.append(
            f"{rule}: content ({', '.join(names[:12])}{', ...' if len(names) > 12 else ''}) "
            "accepted in any order and number"
        )
        root = _replace_at(root, where, lambda n, new=new_node: new)


def _flatten_part(node: PSeq | PChoice, lo: int, hi: int, tns: str) -> tuple[Particle, Particle]:
    """Flatten items ``lo..hi`` of a sequence, or branches ``lo`` and ``hi`` of a choice."""
    if isinstance(node, PSeq):
        span = node.items[lo:hi + 1]
        part = flatten(PSeq(span), tns)
        items = node.items[:lo] + (part,) + node.items[hi + 1:]
    else:
        span = (node.items[lo], node.items[hi])
        part = flatten(PChoice(span), tns)
        others = [i for k, i in enumerate(node.items) if k not in (lo, hi)]
        items = tuple(others[:lo]) + (part,) + tuple(others[lo:])
    return replace(node, items=items), PSeq(span)
