"""The XSD converter proper: simplified RELAX NG patterns -> XSD schema documents.

Mapping (see ``xsd.py`` for the list of approximations):

* a define whose body is one element -> a named complexType (or simpleType) of that name;
  elements are declared *locally* where they are used (so only start elements can be the
  document element), except start elements and elements of other namespaces, which are global;
* a define made only of attributes -> an attributeGroup;
* a define that is a datatype -> a named simpleType;
* any other define -> a model group of its element content (its attributes are copied into
  the elements that use it, its ``text`` makes them mixed).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from corresptei.errors import XsdConversionError
from corresptei.odd import _xsd_model as m
from corresptei.odd import _xsd_patterns as pat
from corresptei.odd import _xsd_types as st
from corresptei.odd._xsd_rng import (
    XML_NS, XSD_DATATYPES, Attribute, Choice, Data, Element, Empty, Group, Interleave, List,
    NcChoice, NcName, NameClass, NotAllowed, OneOrMore, Pattern, Ref, RngSchema,
    Text, Value, choice,
)

XS = st.XS
_XS = st._XS


@dataclass(frozen=True)
class Relaxation:
    """One place where the XSD accepts more than the RELAX NG schema.

    ``kind`` is one of: ``upa`` (content made order-free to satisfy Unique Particle
    Attribution), ``edc`` (two types for one element name in one content model),
    ``interleave``, ``mixed`` (text allowed everywhere in the element), ``attribute-choice``
    (alternatives between attributes become independent optional attributes),
    ``data-except``, ``datatype`` (a datatype XSD lacks or cannot restrict so),
    ``list`` (a list of different item types), ``name-class`` (a name class XSD 1.0
    wildcards cannot express exactly), ``wildcard-content`` (content of elements matched by
    a wildcard is not checked), ``data-and-elements``, ``foreign-element`` (two declarations
    of one element in another namespace merged).
    """

    kind: str
    component: str
    detail: str

    def as_dict(self) -> dict[str, str]:
        return {"kind": self.kind, "component": self.component, "detail": self.detail}


@dataclass
class _AttrUse:
    ns: str
    local: str
    body: Pattern
    required: bool
    doc: str | None = None


@dataclass
class _Attrs:
    """Attributes of one element or attributeGroup."""

    groups: list[str] = field(default_factory=list)
    uses: list[_AttrUse] = field(default_factory=list)
    wildcard: m.Wildcard | None = None


class Converter:
    """Converts one :class:`RngSchema`; call :meth:`run` once."""

    def __init__(self, schema: RngSchema, name: str):
        self.s = schema
        self.name = name
        self.defines = schema.defines
        self.relaxations: list[Relaxation] = []
        self.tns = self._main_namespace()
        self.prefix: dict[str, str] = {}
        self._assign_prefixes()
        self.kinds = {n: self._kind(b) for n, b in self.defines.items()}
        self.type_names: dict[int, str] = {}
        self._assign_type_names()
        self.start_elements = self._start_elements()
        self.group_cache: dict[str, m.Particle | None] = {}
        self.attr_group_cache: dict[str, _Attrs] = {}
        self.used_simple: dict[str, None] = {}
        self.used_groups: dict[str, None] = {}
        self.used_attr_groups: dict[str, None] = {}
        self.global_attrs: dict[tuple[str, str], list[Pattern]] = {}
        self.global_elems: dict[tuple[str, str], list[Element]] = {}
        self.element_docs: list[etree._Element] = []

    # ------------------------------------------------------------------ setup
    def _main_namespace(self) -> str:
        for els in (pat.start_patterns(self.s.start, self.defines), self.s.elements):
            for el in els:
                for nc in pat.names(el.nc):
                    return nc.ns
        return ""

    def _assign_prefixes(self) -> None:
        spaces: dict[str, None] = {self.tns: None}
        for el in self.s.elements:
            for nc in pat.names(el.nc):
                spaces[nc.ns] = None
        for p in pat.attribute_names(self.s):
            spaces[p.ns] = None
        taken = {"xs"}
        for ns in spaces:
            if ns == "":
                continue
            wanted = "xml" if ns == XML_NS else self.s.prefixes.get(ns, "ns")
            if ns != XML_NS and (wanted in taken or wanted == "xml" or not wanted.isidentifier()):
                base, n = "ns", 1
                while f"{base}{n}" in taken:
                    n += 1
                wanted = f"{base}{n}"
            taken.add(wanted)
            self.prefix[ns] = wanted

    def _kind(self, body: Pattern) -> str:
        if isinstance(body, Element):
            return "element"
        if pat.is_data(body, self.defines, set()):
            return "data"
        if pat.is_attrs(body, self.defines, set()):
            return "attrs"
        return "content"

    def _assign_type_names(self) -> None:
        taken = {n for n, k in self.kinds.items() if k in ("data",)}
        for el in self.s.elements:
            if el.define and el.define not in taken:
                self.type_names[el.eid] = el.define
                taken.add(el.define)
        same: dict[tuple, str] = {}
        for el in self.s.elements:
            if el.eid in self.type_names:
                continue
            key = (el.nc, el.body, el.doc)
            if key in same:  # an identical inline element: one type serves both
                self.type_names[el.eid] = same[key]
                continue
            names = list(pat.names(el.nc))
            stem = names[0].local if names else "any"
            candidate, n = stem, 1
            while candidate in taken or candidate in self.defines:
                n += 1
                candidate = f"{stem}.{n}"
            taken.add(candidate)
            self.type_names[el.eid] = same[key] = candidate

    def _start_elements(self) -> set[int]:
        return {el.eid for el in pat.start_patterns(self.s.start, self.defines)}

    def q(self, ns: str, local: str) -> str:
        """A QName for a component in namespace ``ns``."""
        return f"{self.prefix[ns]}:{local}" if ns else local

    def tq(self, local: str) -> str:
        """A QName for a component of the main document."""
        return self.q(self.tns, local)

    def relax(self, kind: str, component: str, detail: str) -> None:
        r = Relaxation(kind, component, detail)
        if r not in self.relaxations:
            self.relaxations.append(r)

    # ------------------------------------------------------------------ particles
    def particle(self, p: Pattern, where: str) -> m.Particle | None:
        """The element content of ``p`` (attributes, text and data removed)."""
        if isinstance(p, Element):
            return self.element_particle(p)
        if isinstance(p, Ref):
            kind = self.kinds[p.name]
            if kind == "element":
                return self.element_particle(self.defines[p.name])  # type: ignore[arg-type]
            if kind != "content":
                return None
            content = self.group_particle(p.name)
            return None if content is None else m.PGroup(p.name, content)
        if isinstance(p, Group):
            items = [x for x in (self.particle(i, where) for i in p.items) if x is not None]
            if not items:
                return None
            return items[0] if len(items) == 1 else m.PSeq(tuple(items))
        if isinstance(p, Choice):
            return self._choice_particle(p, where)
        if isinstance(p, OneOrMore):
            item = self.particle(p.item, where)
            return None if item is None else m.occurs(item, 1, m.UNBOUNDED)
        if isinstance(p, Interleave):
            items = [x for x in (self.particle(i, where) for i in p.items) if x is not None]
            if not items:
                return None
            if len(items) == 1:
                return items[0]
            all_group = m.all_of(items)
            if all_group is not None:
                return all_group
            seq = m.PSeq(tuple(items))
            self._relax_interleave(where, seq)
            return m.flatten(seq, self.tns)
        return None

    def _relax_interleave(self, where: str, p: m.Particle) -> None:
        names = sorted({x.local for x in m.leaves(p) if isinstance(x, m.PElem)})
        self.relax("interleave", where, f"interleave of ({', '.join(names)}) accepted "
                   "in any order and number")

    def _confine(self, p: m.Particle, where: str, top: bool) -> m.Particle:
        p, replaced = m.confine_alls(p, self.tns, top)
        for all_group in replaced:
            self._relax_interleave(where, all_group)
        return p

    def _choice_particle(self, p: Choice, where: str) -> m.Particle | None:
        parts = [self.particle(i, where) for i in p.items]
        items = [x for x in parts if x is not None]
        if not items:
            return None
        lo = 0 if len(items) < len(parts) else 1
        if len(items) == 1:
            return m.occurs(items[0], lo, 1)
        return m.PChoice(tuple(items), min=lo)

    def element_particle(self, el: Element) -> m.Particle:
        if isinstance(el.nc, NcName):
            return self._named_particle(el, el.nc)
        names = [n for n in pat.names(el.nc)]
        if isinstance(el.nc, NcChoice) and len(names) == pat.nc_size(el.nc):
            return m.PChoice(tuple(self._named_particle(el, n) for n in names))
        return self._wildcard_particle(el)

    def _named_particle(self, el: Element, nc: NcName) -> m.PElem:
        if nc.ns != self.tns or el.eid in self.start_elements:
            self.global_elems.setdefault((nc.ns, nc.local), [])
            if el not in self.global_elems[(nc.ns, nc.local)]:
                self.global_elems[(nc.ns, nc.local)].append(el)
            return m.PElem(nc.ns, nc.local, None)
        return m.PElem(nc.ns, nc.local, self.tq(self.type_names[el.eid]))

    def _wildcard_particle(self, el: Element) -> m.Particle:
        wilds, exact = self.wildcards(el.nc)
        where = self.type_names[el.eid]
        if not exact:
            self.relax("name-class", where, f"element name class {pat.nc_text(el.nc)} widened "
                       f"to {', '.join(pat.wild_text(w) for w in wilds)}")
        if not pat.is_anything(el, self.defines):
            self.relax("wildcard-content", where, "content of elements matched by the "
                       "wildcard is not checked")
        declared = {ns for ns, _ in self.global_elems} | {self.tns}
        items = []
        for w in wilds:
            lax = not any(w.matches(ns, self.tns) for ns in declared | set(self.prefix))
            items.append(m.PAny(w, "lax" if lax else "skip"))
        return items[0] if len(items) == 1 else m.PChoice(tuple(items))

    def wildcards(self, nc: NameClass) -> tuple[list[m.Wildcard], bool]:
        """XSD 1.0 wildcards covering ``nc`` (one or two), and whether they are exact."""
        kind, spaces, exact = pat.nc_namespaces(nc)
        if kind == "in":
            return [m.Wildcard("names", frozenset(spaces))], exact
        if not spaces:
            return [m.Wildcard("any")], exact
        if spaces == {self.tns, ""}:
            return [m.Wildcard("other")], exact
        if spaces == {self.tns}:
            return [m.Wildcard("other"), m.Wildcard("names", frozenset({""}))], exact
        return [m.Wildcard("any")], False

    def group_particle(self, name: str) -> m.Particle | None:
        """The (repaired) particle of the model group made from define ``name``."""
        if name not in self.group_cache:
            self.group_cache[name] = None
            content = self.particle(self.defines[name], name)
            if content is not None:
                content = self._confine(content, name, top=False)
                content, notes = m.repair(content, self.tns)
                for note in notes:
                    self.relax(note.split(":")[0].lower(), name, note.split(": ", 1)[1])
            self.group_cache[name] = content
        if self.group_cache[name] is not None:
            self.used_groups[name] = None
        return self.group_cache[name]

    # ------------------------------------------------------------------ attributes
    def attributes(self, p: Pattern, where: str, required: bool, use_groups: bool) -> _Attrs:
        out = _Attrs()
        self._collect(p, where, required, use_groups, out)
        return out

    def _collect(self, p: Pattern, where: str, req: bool, use_groups: bool, out: _Attrs) -> None:
        if isinstance(p, Attribute):
            self._collect_attribute(p, where, req, out)
        elif isinstance(p, (Group, Interleave)):
            for item in p.items:
                self._collect(item, where, req, use_groups, out)
        elif isinstance(p, OneOrMore):
            self._collect(p.item, where, req, use_groups, out)
        elif isinstance(p, Choice):
            bearing = [i for i in p.items if self._has_attributes(i, set())]
            if len(bearing) > 1:
                self.relax("attribute-choice", where, "alternative attribute sets "
                           f"({'; '.join(sorted(self._attr_names(i) for i in bearing))}) "
                           "become independent optional attributes")
            for item in bearing:
                self._collect(item, where, False, use_groups, out)
        elif isinstance(p, Ref):
            kind = self.kinds[p.name]
            if kind == "attrs" and req and use_groups:
                out.groups.append(p.name)
                self.attr_group(p.name)
            elif kind in ("attrs", "content"):
                self._collect(self.defines[p.name], where, req, use_groups, out)

    def _collect_attribute(self, a: Attribute, where: str, req: bool, out: _Attrs) -> None:
        if isinstance(a.nc, NcName):
            out.uses.append(_AttrUse(a.nc.ns, a.nc.local, a.body, req, a.doc))
            return
        names = list(pat.names(a.nc))
        if isinstance(a.nc, NcChoice) and len(names) == pat.nc_size(a.nc):
            self.relax("attribute-choice", where, f"attribute name choice {pat.nc_text(a.nc)} "
                       "becomes independent optional attributes")
            out.uses.extend(_AttrUse(n.ns, n.local, a.body, False, a.doc) for n in names)
            return
        wilds, exact = self.wildcards(a.nc)
        wild = m.Wildcard("any") if len(wilds) > 1 else wilds[0]
        if not exact or len(wilds) > 1:
            self.relax("name-class", where, f"attribute name class {pat.nc_text(a.nc)} widened "
                       f"to {pat.wild_text(wild)}")
        out.wildcard = wild if out.wildcard is None else out.wildcard.union(wild, self.tns)

    def _has_attributes(self, p: Pattern, seen: set[str]) -> bool:
        if isinstance(p, Attribute):
            return True
        if isinstance(p, (Group, Interleave, Choice)):
            return any(self._has_attributes(i, seen) for i in p.items)
        if isinstance(p, OneOrMore):
            return self._has_attributes(p.item, seen)
        if isinstance(p, Ref) and p.name not in seen and self.kinds[p.name] in ("attrs", "content"):
            seen.add(p.name)
            return self._has_attributes(self.defines[p.name], seen)
        return False

    def _attr_names(self, p: Pattern) -> str:
        found = _Attrs()
        saved = self.relaxations[:]
        self._collect(p, "", False, False, found)
        self.relaxations = saved
        names = [u.local if not u.ns else f"{self.prefix.get(u.ns, '')}:{u.local}"
                 for u in found.uses]
        return ", ".join(names) + (", *" if found.wildcard else "")

    def attr_group(self, name: str) -> _Attrs:
        if name not in self.attr_group_cache:
            attrs = self.attributes(self.defines[name], name, True, True)
            if _duplicates(self._flat_names(attrs)):
                attrs = self._merge(self.attributes(self.defines[name], name, True, False))
            self.attr_group_cache[name] = attrs
            self.used_attr_groups[name] = None
        return self.attr_group_cache[name]

    def _flat_names(self, attrs: _Attrs) -> list[tuple[str, str]]:
        names = [(u.ns, u.local) for u in attrs.uses]
        for g in attrs.groups:
            names.extend(self._flat_names(self.attr_group(g)))
        return names

    def element_attributes(self, body: Pattern, where: str) -> _Attrs:
        attrs = self.attributes(body, where, True, True)
        if _duplicates(self._flat_names(attrs)) or (attrs.wildcard and attrs.groups):
            attrs = self._merge(self.attributes(body, where, True, False))
        return attrs

    @staticmethod
    def _merge(attrs: _Attrs) -> _Attrs:
        merged: dict[tuple[str, str], _AttrUse] = {}
        for use in attrs.uses:
            key = (use.ns, use.local)
            if key in merged:
                have = merged[key]
                body = have.body if have.body == use.body else choice([have.body, use.body])
                merged[key] = _AttrUse(use.ns, use.local, body,
                                       have.required and use.required, have.doc or use.doc)
            else:
                merged[key] = use
        return _Attrs([], list(merged.values()), attrs.wildcard)

    # ------------------------------------------------------------------ simple types
    def simple(self, p: Pattern, where: str) -> st.SimpleType:
        """The simple type of a data pattern (attribute value or text-only content)."""
        if isinstance(p, Text):
            return st.STRING
        if isinstance(p, Empty):
            return st.enumeration(st.STRING, [""])
        if isinstance(p, Data):
            return self._data(p, where)
        if isinstance(p, Value):
            return st.enumeration(self._builtin(p.lib, p.type, where), [p.value])
        if isinstance(p, List):
            return self._list(p, where)
        if isinstance(p, Choice):
            return st.merge_choice([self.simple(i, where) for i in p.items])
        if isinstance(p, Ref):
            if self.kinds[p.name] == "data":
                self.used_simple[p.name] = None
                return st.STRef(self.tq(p.name))
            return self.simple(self.defines[p.name], where)
        if isinstance(p, OneOrMore):
            return self.simple(p.item, where)
        if isinstance(p, (Group, Interleave)):
            data = [i for i in p.items if not isinstance(i, (Attribute, Empty))]
            if len(data) == 1:
                return self.simple(data[0], where)
            if all(isinstance(i, Text) for i in data):
                return st.STRING
        self.relax("datatype", where, f"{type(p).__name__} pattern accepted as any string")
        return st.STRING

    def _builtin(self, lib: str, name: str, where: str) -> st.SimpleType:
        if lib == "" and name in ("string", "token"):
            return st.STRef(f"xs:{name}")
        if lib != XSD_DATATYPES:
            self.relax("datatype", where, f"datatype {name!r} of library {lib!r} "
                       "accepted as any string")
            return st.STRING
        if name == "ENTITIES":
            self.relax("datatype", where, "ENTITIES checked as a list of NCNames")
            return st.STList(st.STRef("xs:NCName"), 1)
        if name in st.STAND_INS:
            self.relax("datatype", where, f"{name} checked as {st.STAND_INS[name]}")
            return st.STRef(f"xs:{st.STAND_INS[name]}")
        return st.STRef(f"xs:{name}")

    def _data(self, p: Data, where: str) -> st.SimpleType:
        base = self._builtin(p.lib, p.type, where)
        if p.except_ is not None:
            self.relax("data-except", where, f"'except' on datatype {p.type} not checked")
        facets = [(n, v) for n, v in p.params if n in st.FACETS]
        for n, _ in p.params:
            if n not in st.FACETS:
                self.relax("datatype", where, f"parameter {n!r} of {p.type} not checked")
        return st.restrict(base, facets) if facets else base

    def _list(self, p: List, where: str) -> st.SimpleType:
        items, lo, hi, exact = pat.list_shape(p.item)
        if not items:
            return st.enumeration(st.STRef("xs:token"), [""])
        distinct = items
        if not exact:
            self.relax("list", where, f"list tokens accepted in any order, {lo} to "
                       f"{'unbounded' if hi is None else hi} of them")
        item = st.merge_choice([self.simple(i, where) for i in distinct])
        if isinstance(item, st.STList):
            return item
        return st.STList(item, lo, hi)

    # ------------------------------------------------------------------ content
    def complex_type(self, el: Element) -> etree._Element:
        name = self.type_names[el.eid]
        attrs = self.element_attributes(el.body, name)
        content = self.particle(el.body, name)
        has_text, has_data = pat.text_and_data(el.body, self.defines, set())
        if content is not None:
            content = self._confine(content, name, top=True)
            content, notes = m.repair(content, self.tns)
            for note in notes:
                self.relax(note.split(":")[0].lower(), name, note.split(": ", 1)[1])
        if content is None and (has_text or has_data):
            simple = self.simple(pat.without_attributes(el.body, self.defines), name)
            return self._simple_content(name, simple, attrs, el.doc)
        if content is None:
            return self._simple_content(name, self.empty_content(), attrs, el.doc)
        ct = etree.Element(f"{_XS}complexType", name=name)
        _annotate(ct, el.doc)
        if content is not None and (has_text or has_data):
            ct.set("mixed", "true")
            if has_data:
                self.relax("data-and-elements", name, "data mixed with elements accepted as "
                           "text")
            elif not pat.mixed_exact(pat.without_attributes(el.body, self.defines), self.defines):
                self.relax("mixed", name, "text accepted anywhere in the content")
        if content is not None:
            self.write_particle(ct, content, top=True)
        self.write_attributes(ct, attrs)
        return ct

    def any_content(self) -> str:
        """The QName of a complex type accepting any attributes and content unchecked
        (``xs:anyType`` would check children that have global declarations)."""
        if self.any_name is None:
            name, n = "any.content", 1
            while name in self.defines or name in self.type_names.values():
                n += 1
                name = f"any.content.{n}"
            self.any_name = name
        return self.tq(self.any_name)

    def _any_content_type(self, name: str) -> etree._Element:
        ct = etree.Element(f"{_XS}complexType", name=name, mixed="true")
        seq = etree.SubElement(ct, f"{_XS}sequence")
        etree.SubElement(seq, f"{_XS}any", namespace="##any", processContents="skip",
                         minOccurs="0", maxOccurs="unbounded")
        etree.SubElement(ct, f"{_XS}anyAttribute", namespace="##any", processContents="skip")
        return ct

    def empty_content(self) -> st.SimpleType:
        """RELAX NG's ``empty`` content allows whitespace; XSD's empty content type does not,
        so empty elements get simple content restricted to whitespace."""
        if self.empty_name is None:
            name, n = "empty.content", 1
            while name in self.defines or name in self.type_names.values():
                n += 1
                name = f"empty.content.{n}"
            self.empty_name = name
            self.extra_simple[name] = st.STRestr(st.STRING, (("pattern", "[ \\t\\n\\r]*"),))
        return st.STRef(self.tq(self.empty_name))

    def _simple_content(self, name: str, simple: st.SimpleType, attrs: _Attrs,
                        doc: str | None) -> etree._Element:
        if not attrs.uses and not attrs.groups and attrs.wildcard is None:
            el = etree.Element(f"{_XS}simpleType", name=name)
            _annotate(el, doc)
            st.write_simple_body(simple, el)
            return el
        ct = etree.Element(f"{_XS}complexType", name=name)
        _annotate(ct, doc)
        ext = etree.SubElement(etree.SubElement(ct, f"{_XS}simpleContent"), f"{_XS}extension")
        if isinstance(simple, st.STRef):
            ext.set("base", simple.qname)
        else:
            content_name = f"{name}.content"
            self.extra_simple[content_name] = simple
            ext.set("base", self.tq(content_name))
        self.write_attributes(ext, attrs)
        return ct

    # ------------------------------------------------------------------ writing
    def write_particle(self, parent: etree._Element, p: m.Particle, top: bool = False) -> None:
        if top and not isinstance(p, (m.PSeq, m.PChoice, m.PAll)):
            parent = etree.SubElement(parent, f"{_XS}sequence")
        if isinstance(p, m.PElem):
            el = etree.SubElement(parent, f"{_XS}element")
            if p.type is None:
                el.set("ref", self.q(p.ns, p.local))
            else:
                el.set("name", p.local)
                el.set("type", self.any_content() if p.type == m.ANY_CONTENT else p.type)
        elif isinstance(p, m.PAny):
            el = etree.SubElement(parent, f"{_XS}any", namespace=self._ns_attr(p.wildcard),
                                  processContents=p.process)
        elif isinstance(p, m.PGroup) and not p.inline:
            el = etree.SubElement(parent, f"{_XS}group", ref=self.tq(p.name))
        elif isinstance(p, m.PGroup):
            inner = p.content
            if isinstance(inner, (m.PSeq, m.PChoice)) and inner.min == inner.max == 1:
                inner = m.occurs(inner, p.min, p.max)
                self.write_particle(parent, inner)
                return
            el = etree.SubElement(parent, f"{_XS}sequence")
            self.write_particle(el, inner)
        else:
            tag = {m.PSeq: "sequence", m.PChoice: "choice", m.PAll: "all"}[type(p)]
            el = etree.SubElement(parent, f"{_XS}{tag}")
            for item in p.items:
                self.write_particle(el, item)
        _occurs(el, p)

    def _ns_attr(self, w: m.Wildcard) -> str:
        if w.kind == "any":
            return "##any"
        if w.kind == "other":
            return "##other"
        return " ".join("##local" if n == "" else n for n in sorted(w.names))

    def write_attributes(self, parent: etree._Element, attrs: _Attrs) -> None:
        for use in attrs.uses:
            el = etree.SubElement(parent, f"{_XS}attribute")
            if use.ns:
                el.set("ref", self.q(use.ns, use.local))
                self.global_attrs.setdefault((use.ns, use.local), []).append(use.body)
            else:
                el.set("name", use.local)
                _annotate(el, use.doc)
                st.write_simple(self.simple(use.body, use.local), el)
            if use.required:
                el.set("use", "required")
        for g in attrs.groups:
            etree.SubElement(parent, f"{_XS}attributeGroup", ref=self.tq(g))
        if attrs.wildcard is not None:
            etree.SubElement(parent, f"{_XS}anyAttribute",
                             namespace=self._ns_attr(attrs.wildcard), processContents="skip")

    # ------------------------------------------------------------------ documents
    def run(self) -> dict[str, etree._Element]:
        """Build every schema document: {file name: xs:schema element}."""
        self.extra_simple: dict[str, st.SimpleType] = {}
        self.empty_name: str | None = None
        self.any_name: str | None = None
        order = {n: i for i, n in enumerate(self.defines)}
        firsts = {self.type_names[el.eid]: el for el in reversed(self.s.elements)}
        types = [self.complex_type(el) for el in self.s.elements
                 if firsts[self.type_names[el.eid]] is el]
        main = self._schema(self.tns)
        for el in self.s.elements:
            if el.eid not in self.start_elements:
                continue
            for nc in pat.names(el.nc):
                if nc.ns == self.tns:
                    etree.SubElement(main, f"{_XS}element", name=nc.local,
                                     type=self.tq(self.type_names[el.eid]))
                else:
                    self._named_particle(el, nc)  # declared in its namespace's document
        main.extend(types)
        for name in sorted(self.used_groups, key=order.__getitem__):
            main.append(self._group_def(name))
        for name in sorted(self.used_attr_groups, key=order.__getitem__):
            ag = etree.SubElement(main, f"{_XS}attributeGroup", name=name)
            _annotate(ag, self.s.define_docs.get(name))
            self.write_attributes(ag, self.attr_group_cache[name])
        docs = self._foreign_globals(main)
        if self.any_name is not None:
            main.append(self._any_content_type(self.any_name))
        done: set[str] = set()
        while len(done) < len(self.used_simple):
            for name in sorted(self.used_simple, key=order.__getitem__):
                if name not in done:
                    done.add(name)
                    self.extra_simple[name] = self.simple(self.defines[name], name)
        for name in sorted(self.extra_simple):
            el = etree.SubElement(main, f"{_XS}simpleType", name=name)
            _annotate(el, self.s.define_docs.get(name))
            st.write_simple_body(self.extra_simple[name], el)
        docs[self.file_for(self.tns)] = main
        return self._wire_imports(docs)

    def _group_def(self, name: str) -> etree._Element:
        g = etree.Element(f"{_XS}group", name=name)
        _annotate(g, self.s.define_docs.get(name))
        content = self.group_cache[name]
        assert content is not None
        if not (isinstance(content, (m.PSeq, m.PChoice)) and content.min == content.max == 1):
            content = m.PSeq((content,))
        self.write_particle(g, content)
        return g

    def _foreign_globals(self, main: etree._Element) -> dict[str, etree._Element]:
        """Global declarations: elements and attributes of other namespaces (in their own
        documents) and main-namespace attributes (in ``main``)."""
        by_ns: dict[str, etree._Element] = {}
        for (ns, local), els in self.global_elems.items():
            if ns == self.tns:
                continue
            doc = by_ns.setdefault(ns, self._schema(ns))
            decl = etree.SubElement(doc, f"{_XS}element", name=local)
            if len(els) == 1:
                decl.set("type", self.tq(self.type_names[els[0].eid]))
            else:
                decl.set("type", self.any_content())
                self.relax("foreign-element", self.q(ns, local), "several declarations of "
                           "this element are merged: its attributes and content are not "
                           "checked")
        for (ns, local), bodies in self.global_attrs.items():
            doc = main if ns == self.tns else by_ns.setdefault(ns, self._schema(ns))
            decl = etree.SubElement(doc, f"{_XS}attribute", name=local)
            unique = list(dict.fromkeys(bodies))
            body = unique[0] if len(unique) == 1 else choice(unique)
            st.write_simple(self.simple(body, self.q(ns, local)), decl)
        return {self.file_for(ns): doc for ns, doc in by_ns.items()}

    def file_for(self, ns: str) -> str:
        if ns == self.tns:
            return f"{self.name}.xsd"
        return f"{self.name}-{self.prefix.get(ns, 'local')}.xsd"

    def _schema(self, ns: str) -> etree._Element:
        nsmap = {"xs": XS}
        for uri, prefix in self.prefix.items():
            nsmap[prefix] = uri
        nsmap.pop("xml", None)
        el = etree.Element(f"{_XS}schema", nsmap=nsmap)
        if ns:
            el.set("targetNamespace", ns)
        el.set("elementFormDefault", "qualified")
        return el

    def _wire_imports(self, docs: dict[str, etree._Element]) -> dict[str, etree._Element]:
        spaces = {self.file_for(ns): ns for ns in ["", self.tns, *self.prefix]
                  if self.file_for(ns) in docs}
        for fname, doc in docs.items():
            own = spaces[fname]
            used = _referenced_namespaces(doc, self.prefix)
            if own == self.tns:  # loading the main document loads every document
                used |= set(spaces.values())
            for other in sorted(used - {own}, key=lambda n: self.file_for(n)):
                imp = etree.Element(f"{_XS}import")
                if other:
                    imp.set("namespace", other)
                imp.set("schemaLocation", self.file_for(other))
                doc.insert(0, imp)
        main = self.file_for(self.tns)
        return {main: docs[main], **{k: v for k, v in sorted(docs.items()) if k != main}}


def _duplicates(names: list[tuple[str, str]]) -> bool:
    return len(names) != len(set(names))


def _annotate(el: etree._Element, doc: str | None) -> None:
    if doc:
        ann = etree.SubElement(el, f"{_XS}annotation")
        etree.SubElement(ann, f"{_XS}documentation").text = doc


def _occurs(el: etree._Element, p: m.Particle) -> None:
    if p.min != 1:
        el.set("minOccurs", str(p.min))
    if p.max != 1:
        el.set("maxOccurs", "unbounded" if p.max is None else str(p.max))


def _referenced_namespaces(doc: etree._Element, prefixes: dict[str, str]) -> set[str]:
    by_prefix = {v: k for k, v in prefixes.items()}
    used: set[str] = set()
    for el in doc.iter(f"{_XS}element", f"{_XS}attribute", f"{_XS}group",
                       f"{_XS}attributeGroup", f"{_XS}restriction", f"{_XS}extension",
                       f"{_XS}list", f"{_XS}union"):
        for attr in ("ref", "type", "base", "itemType", "memberTypes"):
            for qn in (el.get(attr) or "").split():
                prefix = qn.split(":", 1)[0] if ":" in qn else ""
                if prefix != "xs":
                    used.add(by_prefix.get(prefix, "") if prefix else "")
    return used


def check_schema(schema: RngSchema) -> None:
    """Reject what the converter cannot handle at all."""
    if isinstance(schema.start, NotAllowed):
        raise XsdConversionError("the schema's start pattern allows nothing")
