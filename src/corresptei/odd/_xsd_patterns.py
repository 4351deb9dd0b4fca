"""Questions the XSD converter asks about simplified RELAX NG patterns and name classes."""

from __future__ import annotations

from typing import Iterator

from corresptei.odd import _xsd_model as m
from corresptei.odd._xsd_rng import (
    Attribute, Choice, Data, Element, Empty, Group, Interleave, List, NameClass, NcAny,
    NcChoice, NcName, NcNs, OneOrMore, Pattern, Ref, RngSchema, Text, Value, choice, group,
    interleave, one_or_more,
)


def start_patterns(p: Pattern, defines: dict[str, Pattern]) -> list[Element]:
    """The element patterns a start pattern (a choice of elements) allows as root."""
    if isinstance(p, Element):
        return [p]
    if isinstance(p, Ref):
        return start_patterns(defines[p.name], defines)
    if isinstance(p, Choice):
        return [e for i in p.items for e in start_patterns(i, defines)]
    return []


def names(nc: NameClass) -> Iterator[NcName]:
    """The single names in ``nc``."""
    if isinstance(nc, NcName):
        yield nc
    elif isinstance(nc, NcChoice):
        for item in nc.items:
            yield from names(item)


def nc_size(nc: NameClass) -> int:
    """How many name classes ``nc`` is a choice of."""
    if isinstance(nc, NcChoice):
        return sum(nc_size(i) for i in nc.items)
    return 1


def nc_namespaces(nc: NameClass) -> tuple[str, set[str], bool]:
    """('in', namespaces, exact) or ('not', excluded namespaces, exact)."""
    if isinstance(nc, NcName):
        return "in", {nc.ns}, False
    if isinstance(nc, NcNs):
        return "in", {nc.ns}, nc.except_ is None
    if isinstance(nc, NcAny):
        if nc.except_ is None:
            return "not", set(), True
        excluded, exact = set(), True
        for part in (nc.except_.items if isinstance(nc.except_, NcChoice) else (nc.except_,)):
            if isinstance(part, NcNs) and part.except_ is None:
                excluded.add(part.ns)
            else:
                exact = False
        return "not", excluded, exact
    kinds = [nc_namespaces(i) for i in nc.items]
    exact = all(k[2] for k in kinds)
    nots = [k[1] for k in kinds if k[0] == "not"]
    ins = set().union(*[k[1] for k in kinds if k[0] == "in"])
    if not nots:
        return "in", ins, exact
    excluded = set.intersection(*nots) - ins
    return "not", excluded, exact


def nc_text(nc: NameClass) -> str:
    """``nc`` written compactly, for relaxation reports."""
    if isinstance(nc, NcName):
        return f"{{{nc.ns}}}{nc.local}" if nc.ns else nc.local
    if isinstance(nc, NcNs):
        text = f"{{{nc.ns}}}*"
    elif isinstance(nc, NcAny):
        text = "*"
    else:
        return " | ".join(nc_text(i) for i in nc.items)
    return text + (f" - ({nc_text(nc.except_)})" if nc.except_ is not None else "")


def wild_text(w: m.Wildcard) -> str:
    """A wildcard as XSD writes its namespace constraint."""
    if w.kind != "names":
        return f"##{w.kind}"
    return " ".join(sorted(n or "##local" for n in w.names))


def is_data(p: Pattern, defines: dict[str, Pattern], seen: set[str]) -> bool:
    """Whether ``p`` is a datatype (data, value, list or a choice of them)."""
    if isinstance(p, (Data, Value, List)):
        return True
    if isinstance(p, Choice):
        return all(is_data(i, defines, seen) for i in p.items)
    if isinstance(p, Ref) and p.name not in seen:
        seen.add(p.name)
        return is_data(defines[p.name], defines, seen)
    return False


def is_attrs(p: Pattern, defines: dict[str, Pattern], seen: set[str]) -> bool:
    """Whether ``p`` holds only named attributes (an attributeGroup can say it)."""
    if isinstance(p, Attribute):
        return isinstance(p.nc, NcName)
    if isinstance(p, (Group, Interleave, Choice)):
        return all(is_attrs(i, defines, seen) or isinstance(i, Empty) for i in p.items)
    if isinstance(p, OneOrMore):
        return is_attrs(p.item, defines, seen)
    if isinstance(p, Ref) and p.name not in seen:
        seen.add(p.name)
        return is_attrs(defines[p.name], defines, seen)
    return False


def attribute_names(s: RngSchema) -> Iterator[NcName]:
    """Every single attribute name in the schema."""
    def walk(p: Pattern, seen: set[int]):
        if isinstance(p, Attribute):
            yield from names(p.nc)
        elif isinstance(p, (Group, Interleave, Choice)):
            for i in p.items:
                yield from walk(i, seen)
        elif isinstance(p, OneOrMore):
            yield from walk(p.item, seen)
    for body in list(s.defines.values()) + [e.body for e in s.elements]:
        yield from walk(body, set())


def text_and_data(p: Pattern, defines: dict[str, Pattern], seen: set[str]) -> tuple[bool, bool]:
    """Whether the element content ``p`` allows text, and whether it holds data patterns."""
    if isinstance(p, Text):
        return True, False
    if isinstance(p, (Data, Value, List)):
        return False, True
    items: tuple[Pattern, ...] = ()
    if isinstance(p, (Group, Interleave, Choice)):
        items = p.items
    elif isinstance(p, OneOrMore):
        items = (p.item,)
    elif isinstance(p, Ref) and p.name not in seen and not isinstance(defines[p.name], Element):
        seen.add(p.name)
        items = (defines[p.name],)
    text = data = False
    for item in items:
        t, d = text_and_data(item, defines, seen)
        text, data = text or t, data or d
    return text, data


def without_attributes(p: Pattern, defines: dict[str, Pattern]) -> Pattern:
    """``p`` with its attributes (and attribute-only references) removed."""
    if isinstance(p, Attribute):
        return Empty()
    if isinstance(p, Group):
        return group(without_attributes(i, defines) for i in p.items)
    if isinstance(p, Interleave):
        return interleave(without_attributes(i, defines) for i in p.items)
    if isinstance(p, Choice):
        return choice(without_attributes(i, defines) for i in p.items)
    if isinstance(p, OneOrMore):
        return one_or_more(without_attributes(p.item, defines))
    if isinstance(p, Ref) and is_attrs(defines[p.name], defines, set()):
        return Empty()
    return p


def mixed_exact(p: Pattern, defines: dict[str, Pattern]) -> bool:
    """Whether text is allowed everywhere in ``p`` already (so ``mixed`` adds nothing)."""
    if isinstance(p, Text):
        return True
    if isinstance(p, Interleave):
        return any(isinstance(i, Text) or mixed_exact(i, defines) for i in p.items)
    if isinstance(p, Choice) and len(p.items) == 2 and Empty() in p.items:
        other = p.items[0] if p.items[1] == Empty() else p.items[1]
        return mixed_exact(other, defines)
    if isinstance(p, OneOrMore) and isinstance(p.item, Choice):
        return any(isinstance(i, Text) for i in p.item.items)
    if isinstance(p, Ref):
        return mixed_exact(defines[p.name], defines)
    return False


def is_anything(el: Element, defines: dict[str, Pattern]) -> bool:
    """Whether ``el`` is 'any element with any attributes, text and elements', which a
    skip wildcard matches exactly.  (With an ``except``, the descendants are restricted too,
    which a wildcard cannot check.)"""
    if not (isinstance(el.nc, NcAny) and el.nc.except_ is None):
        return False
    body = el.body
    parts = body.items if isinstance(body, Group) else (body,)
    ok_attr = ok_content = False
    for part in parts:
        inner = part
        if isinstance(inner, Choice) and Empty() in inner.items and len(inner.items) == 2:
            inner = inner.items[0] if inner.items[1] == Empty() else inner.items[1]
        if isinstance(inner, OneOrMore) and isinstance(inner.item, Attribute):
            ok_attr = isinstance(inner.item.nc, NcAny) and inner.item.nc.except_ is None
        elif isinstance(inner, OneOrMore) and isinstance(inner.item, Choice):
            items = inner.item.items
            ok_content = Text() in items and all(
                isinstance(i, Text) or (isinstance(i, Ref) and defines.get(i.name) is el)
                or i is el for i in items)
        else:
            return False
    return ok_attr and ok_content


def list_shape(p: Pattern) -> tuple[list[Pattern], int, int | None, bool]:
    """The item patterns of a list, how many tokens it takes (min, max), and whether
    "any of the items, min..max times" is exact."""
    if isinstance(p, Empty):
        return [], 0, 0, True
    if isinstance(p, OneOrMore):
        items, lo, hi, exact = list_shape(p.item)
        return items, lo, None if hi != 0 else 0, exact and lo <= 1
    if isinstance(p, (Choice, Group)):
        shapes = [list_shape(i) for i in p.items]
        items = list(dict.fromkeys(x for s in shapes for x in s[0]))
        los = [s[1] for s in shapes]
        his = [s[2] for s in shapes]
        exact = all(s[3] for s in shapes)
        if isinstance(p, Choice):
            hi = None if None in his else max(his)  # type: ignore[type-var]
            spans = {(s[1], s[2]) for s in shapes if s[0]}
            exact = exact and len(spans) <= 1 and (min(los) == 0) <= (len(shapes) > len(spans))
            return items, min(los), hi, exact
        hi = None if None in his else sum(his)  # type: ignore[arg-type]
        return items, sum(los), hi, exact and len(items) <= 1
    return [p], 1, 1, True
