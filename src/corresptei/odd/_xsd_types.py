"""Simple types for the XSD converter: RELAX NG data patterns -> XSD simple types.

A simple type is built as a small tree (:class:`STRef`, :class:`STRestr`, :class:`STList`,
:class:`STUnion`) and written out by :func:`write_simple`.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

XS = "http://www.w3.org/2001/XMLSchema"
_XS = "{%s}" % XS

FACETS = (
    "length", "minLength", "maxLength", "pattern", "enumeration", "whiteSpace",
    "maxInclusive", "maxExclusive", "minInclusive", "minExclusive", "totalDigits",
    "fractionDigits",
)
# RELAX NG's XSD datatypes that XSD cannot use as they are, and what stands in for them.
# (ENTITIES becomes a list of NCName.)
STAND_INS = {"ENTITY": "NCName", "NOTATION": "QName"}


@dataclass(frozen=True)
class STRef:
    """A named type: ``xs:string`` or a prefixed name of a type in the schema."""

    qname: str


@dataclass(frozen=True)
class STRestr:
    base: "SimpleType"
    facets: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class STList:
    item: "SimpleType"
    min: int = 0
    max: int | None = None


@dataclass(frozen=True)
class STUnion:
    members: tuple["SimpleType", ...]


SimpleType = STRef | STRestr | STList | STUnion

STRING = STRef("xs:string")


def restrict(base: SimpleType, facets: list[tuple[str, str]]) -> SimpleType:
    """``base`` restricted by facets; several patterns are ANDed by nesting restrictions
    (XSD ORs the patterns of one restriction step, RELAX NG ANDs its params)."""
    patterns = [f for f in facets if f[0] == "pattern"]
    others = tuple(f for f in facets if f[0] != "pattern")
    result = STRestr(base, others) if others else base
    for pattern in patterns:
        result = STRestr(result, (pattern,))
    return result


def enumeration(base: SimpleType, values: list[str]) -> SimpleType:
    return STRestr(base, tuple(("enumeration", v) for v in values))


def merge_choice(members: list[SimpleType]) -> SimpleType:
    """The union of ``members``: enumerations over one base are merged, ``xs:string``
    absorbs everything (it already accepts every string)."""
    if any(m == STRING for m in members):
        return STRING
    merged: list[SimpleType] = []
    for member in members:
        if isinstance(member, STUnion):
            candidates = list(member.members)
        else:
            candidates = [member]
        for cand in candidates:
            for i, have in enumerate(merged):
                if _is_enum(have) and _is_enum(cand) and have.base == cand.base:  # type: ignore
                    merged[i] = STRestr(have.base, have.facets + tuple(  # type: ignore
                        f for f in cand.facets if f not in have.facets))  # type: ignore
                    break
                if have == cand:
                    break
            else:
                merged.append(cand)
    return merged[0] if len(merged) == 1 else STUnion(tuple(merged))


def _is_enum(st: SimpleType) -> bool:
    return isinstance(st, STRestr) and all(f == "enumeration" for f, _ in st.facets)


def write_simple(st: SimpleType, parent: etree._Element, attr: str = "type") -> None:
    """Attach ``st`` to ``parent``: as ``attr="qname"`` when named, else as an anonymous
    ``xs:simpleType`` child."""
    if isinstance(st, STRef):
        parent.set(attr, st.qname)
        return
    write_simple_body(st, etree.SubElement(parent, f"{_XS}simpleType"))


def write_simple_body(st: SimpleType, simple: etree._Element) -> None:
    """Fill an ``xs:simpleType`` element with the derivation of ``st``."""
    if isinstance(st, STRef):
        etree.SubElement(simple, f"{_XS}restriction", base=st.qname)
    elif isinstance(st, STRestr):
        restriction = etree.SubElement(simple, f"{_XS}restriction")
        write_simple(st.base, restriction, "base")  # an anonymous base comes before facets
        for facet, value in st.facets:
            etree.SubElement(restriction, f"{_XS}{facet}", value=value)
    elif isinstance(st, STList):
        if st.min == 0 and st.max is None:
            write_simple(st.item, etree.SubElement(simple, f"{_XS}list"), "itemType")
        else:
            restriction = etree.SubElement(simple, f"{_XS}restriction")
            inner = etree.SubElement(restriction, f"{_XS}simpleType")
            write_simple(st.item, etree.SubElement(inner, f"{_XS}list"), "itemType")
            if st.min == st.max:
                etree.SubElement(restriction, f"{_XS}length", value=str(st.min))
            else:
                if st.min:
                    etree.SubElement(restriction, f"{_XS}minLength", value=str(st.min))
                if st.max is not None:
                    etree.SubElement(restriction, f"{_XS}maxLength", value=str(st.max))
    else:
        union = etree.SubElement(simple, f"{_XS}union")
        named = [m.qname for m in st.members if isinstance(m, STRef)]
        if named:
            union.set("memberTypes", " ".join(named))
        for member in st.members:
            if not isinstance(member, STRef):
                write_simple_body(member, etree.SubElement(union, f"{_XS}simpleType"))
