"""Stage "html": one static page documenting a customisation.

Lists every element (gloss, description, attributes with their value lists and
datatypes, classes) and the attribute classes, in English, from the pruned ODD.
"""

from __future__ import annotations

from lxml import etree
from lxml.html import builder as E

from .xmlutil import T, is_english, local, tei_children

_CSS = """
body { font-family: sans-serif; max-width: 60rem; margin: 2rem auto; line-height: 1.4; }
nav a { margin-right: .5em; }
section { border-top: 1px solid #ccc; padding-top: .5rem; }
code { background: #f4f4f4; }
table { border-collapse: collapse; }
td, th { border: 1px solid #ddd; padding: .2rem .5rem; vertical-align: top; text-align: left; }
"""


def _text(el: etree._Element | None) -> str:
    return " ".join("".join(el.itertext()).split()) if el is not None else ""


def _english(spec: etree._Element, name: str) -> str:
    for child in tei_children(spec, name):
        if is_english(child):
            return _text(child)
    return ""


def _name(spec: etree._Element) -> str:
    alt = spec.find(T("altIdent"))
    return _text(alt) or spec.get("ident")


def _datatype(att: etree._Element) -> str:
    datatype = att.find(T("datatype"))
    if datatype is None:
        return "text"
    refs = [r.get("key") or r.get("name") for r in datatype.iter(T("dataRef"))]
    refs += [r.get("type") or local(r) for r in datatype if local(r) and local(r) != "dataRef"]
    lo, hi = datatype.get("minOccurs", "1"), datatype.get("maxOccurs", "1")
    occurrence = "" if (lo, hi) == ("1", "1") else f" {{{lo},{'∞' if hi == 'unbounded' else hi}}}"
    return " | ".join(r for r in refs if r) + occurrence


def _attribute_rows(spec: etree._Element) -> list[etree._Element]:
    rows = []
    for att in spec.iter(T("attDef")):
        if att.get("mode") == "delete":
            continue
        values = att.find(T("valList"))
        cell = E.TD()
        if values is not None:
            cell.append(E.P(f"{values.get('type', 'open')} list:"))
            cell.append(E.UL(*[
                E.LI(E.CODE(item.get("ident", "")), " " + (_english(item, "gloss") or _english(item, "desc")))
                for item in tei_children(values, "valItem")
            ]))
        rows.append(E.TR(
            E.TD(E.CODE("@" + _name(att))),
            E.TD("required" if att.get("usage") == "req" else "optional"),
            E.TD(_datatype(att)),
            E.TD(_english(att, "desc")),
            cell,
        ))
    return rows


def _section(spec: etree._Element, heading: str) -> etree._Element:
    ident = spec.get("ident")
    section = E.SECTION(E.H3(E.CODE(heading)), id=ident)
    gloss, desc = _english(spec, "gloss"), _english(spec, "desc")
    if gloss:
        section.append(E.P(E.EM(gloss)))
    if desc:
        section.append(E.P(desc))
    classes = [m.get("key") for m in spec.iter(T("memberOf"))]
    if classes:
        section.append(E.P("Classes: ", *[E.A(c + " ", href=f"#{c}") for c in classes]))
    rows = _attribute_rows(spec)
    if rows:
        section.append(E.TABLE(E.TR(E.TH("Attribute"), E.TH("Use"), E.TH("Datatype"), E.TH("Description"), E.TH("Values")), *rows))
    return section


def build_html(pruned: etree._ElementTree) -> etree._ElementTree:
    """Run the HTML stage."""
    schema = pruned.getroot()
    ident = schema.get("ident")
    specs = [s for s in schema if local(s) in ("elementSpec", "classSpec")]
    elements = sorted((s for s in specs if local(s) == "elementSpec"), key=lambda s: _name(s).lower())
    att_classes = sorted((s for s in specs if local(s) == "classSpec" and s.get("type") == "atts"), key=lambda s: s.get("ident"))
    body = E.BODY(
        E.H1(f"Schema {ident}"),
        E.P(f"{len(elements)} elements, {len(att_classes)} attribute classes; "
            f"compiled from the ODD and TEI P5 {schema.get('source-version', '')}."),
        E.H2("Elements"),
        E.NAV(*[E.A(_name(s), href=f"#{s.get('ident')}") for s in elements]),
        *[_section(s, f"<{_name(s)}>") for s in elements],
        E.H2("Attribute classes"),
        *[_section(s, s.get("ident")) for s in att_classes],
    )
    page = E.HTML(E.HEAD(E.META(charset="utf-8"), E.TITLE(f"Schema {ident}"), E.STYLE(_CSS)), body)
    page.set("lang", "en")
    return etree.ElementTree(page)
