"""Stage "relaxng": a pruned, expanded schemaSpec → a RELAX NG grammar (XML syntax).

Pattern names follow TEI's conventions so the grammar reads like TEI's own:
``<prefix><element>``, ``model.x`` (+ ``_alternation``, ``_sequence``, ``_sequenceOptional``,
``_sequenceOptionalRepeatable``, ``_sequenceRepeatable``), ``att.x.attributes``,
``att.x.attribute.<name>``, and the ident of each macro and datatype.
"""

from __future__ import annotations

import copy
from pathlib import Path

from lxml import etree

from ..errors import OddCompileError
from .xmlutil import (
    RNG_NS,
    TEI_NS,
    XSD_DATATYPES,
    R,
    T,
    local,
    occurs,
    tei_children,
    words,
)

_EXPANSIONS = ("alternation", "sequence", "sequenceOptional", "sequenceOptionalRepeatable", "sequenceRepeatable")
#: schemaSpec/@defaultExceptions when absent: anyElement never matches TEI elements.
DEFAULT_EXCEPTIONS = f"{TEI_NS} teix:egXML"
KNOWN_PREFIXES = {"teix": "http://www.tei-c.org/ns/Examples", "tei": TEI_NS}
_OCCURRING = {"sequence", "alternate", "elementRef", "classRef", "macroRef", "anyElement", "dataRef"}


def _el(tag: str, *children: etree._Element | None, **attrs: str) -> etree._Element:
    node = etree.Element(R(tag), attrs)
    for child in children:
        if child is not None:
            node.append(child)
    return node


def _ref(name: str) -> etree._Element:
    return _el("ref", name=name)


def _wrap(name: str, parts: list[etree._Element], empty: str = "empty") -> etree._Element:
    """``group``/``choice`` of ``parts``; a single part stands alone, none gives ``empty``."""
    if not parts:
        return _el(empty)
    if len(parts) == 1:
        return parts[0]
    return _el(name, *parts)


def repeat(pattern: etree._Element, lo: int, hi: int | None) -> etree._Element:
    """``pattern`` repeated between ``lo`` and ``hi`` (None: unbounded) times."""
    if (lo, hi) == (1, 1):
        return pattern
    if (lo, hi) == (0, 1):
        return _el("optional", pattern)
    if hi is None:
        if lo == 0:
            return _el("zeroOrMore", pattern)
        return _wrap("group", [copy.deepcopy(pattern) for _ in range(lo - 1)] + [_el("oneOrMore", pattern)])
    if hi < lo:
        raise ValueError(f"maxOccurs {hi} < minOccurs {lo}")
    if hi == 0:
        return _el("empty")
    tail: etree._Element | None = None
    for _ in range(hi - lo):
        inner = [copy.deepcopy(pattern)] + ([tail] if tail is not None else [])
        tail = _el("optional", _wrap("group", inner))
    parts = [copy.deepcopy(pattern) for _ in range(lo)] + ([tail] if tail is not None else [])
    return _wrap("group", parts)


class RngBuilder:
    """Builds the grammar; use :func:`build_relaxng`."""

    def __init__(self, schema: etree._Element, odd_path: str):
        self.schema = schema
        self.path = odd_path
        self.prefix = schema.get("prefix", "")
        self.ns = schema.get("ns", TEI_NS)
        self.specs = {s.get("ident"): s for s in schema if local(s) in ("elementSpec", "classSpec", "macroSpec", "dataSpec")}
        self.members: dict[str, list[str]] = {}
        for ident, spec in self.specs.items():
            for m in spec.iter(T("memberOf")):
                self.members.setdefault(m.get("key"), []).append(ident)
        self.any_defines: list[etree._Element] = []
        self.defined_att_refs: set[str] = set()
        self._visible: dict[str, frozenset[str]] = {}
        self.default_exceptions = words(schema.get("defaultExceptions", DEFAULT_EXCEPTIONS))

    # -- names ------------------------------------------------------------------------
    def kind(self, ident: str | None) -> str | None:
        spec = self.specs.get(ident or "")
        return local(spec) if spec is not None else None

    def pattern_name(self, ident: str) -> str:
        return self.prefix + ident if self.kind(ident) == "elementSpec" else ident

    # -- top level ----------------------------------------------------------------------
    def build(self) -> etree._ElementTree:
        grammar = etree.Element(
            R("grammar"),
            {"ns": self.ns, "datatypeLibrary": XSD_DATATYPES},
            nsmap={None: RNG_NS, "a": "http://relaxng.org/ns/compatibility/annotations/1.0"},
        )
        grammar.append(etree.Comment(
            f" Schema {self.schema.get('ident')} compiled by corresptei from its ODD "
            f"and TEI P5 {self.schema.get('source-version', '')} "
        ))
        external_start = False
        for ref in tei_children(self.schema, "moduleRef"):
            div, has_start = self._external(ref)
            grammar.append(div)
            external_start = external_start or has_start
        for spec in self.specs.values():
            kind = local(spec)
            if kind in ("macroSpec", "dataSpec"):
                grammar.append(_el("define", self._content(spec), name=spec.get("ident")))
            elif kind == "classSpec" and spec.get("type") == "atts":
                grammar.extend(self._att_class(spec))
            elif kind == "classSpec":
                grammar.extend(self._model_class(spec))
        for spec in self.specs.values():
            if local(spec) == "elementSpec":
                grammar.append(self._element(spec))
        grammar.extend(self.any_defines)
        start = self._start(external_start)
        if start is not None:
            grammar.append(start)
        return etree.ElementTree(grammar)

    def _start(self, external_start: bool) -> etree._Element | None:
        names = words(self.schema.get("start")) if "start" in self.schema.attrib else ["TEI"]
        refs = [_ref(self.pattern_name(n)) for n in names if self.kind(n) == "elementSpec"]
        missing = [n for n in names if self.kind(n) != "elementSpec"]
        if missing and not refs:
            raise OddCompileError(
                f"schemaSpec @start names {', '.join(missing)}, which the schema does not define", self.path, None
            )
        if not refs:
            if external_start:
                return None
            raise OddCompileError("the schema has no start element: set schemaSpec/@start", self.path, None)
        start = _el("start", _wrap("choice", refs))
        if external_start:
            start.set("combine", "choice")
        return start

    def _external(self, ref: etree._Element) -> tuple[etree._Element, bool]:
        url = ref.get("url")
        try:
            ext = etree.parse(url).getroot()
        except (OSError, etree.XMLSyntaxError) as exc:
            raise OddCompileError(f"moduleRef url={url!r}: cannot read RELAX NG schema: {exc}", self.path, None) from exc
        if ext.tag != R("grammar"):
            raise OddCompileError(f"moduleRef url={url!r} is not a RELAX NG grammar", self.path, None)
        nsmap = {k: v for k, v in ext.nsmap.items() if k is not None}
        outer = etree.Element(R("div"), nsmap=nsmap)
        inner = etree.SubElement(outer, R("div"))
        for name in ("ns", "datatypeLibrary"):
            if ext.get(name) is not None:
                inner.set(name, ext.get(name))
        has_start = False
        for child in ext:
            if isinstance(child.tag, str) and child.tag.startswith("{" + RNG_NS):
                if local(child) == "include" and "://" not in child.get("href", "://"):
                    child = copy.deepcopy(child)
                    child.set("href", str((Path(url).parent / child.get("href")).resolve()))
                if local(child) != "start":
                    inner.append(copy.deepcopy(child))
        for content in tei_children(ref, "content"):
            extra = etree.SubElement(outer, R("div"))
            for child in content:
                if isinstance(child.tag, str) and child.tag.startswith("{" + RNG_NS):
                    has_start = has_start or any(local(s) == "start" for s in child.iter())
                    extra.append(self._copy_rng(child))
        return outer, has_start

    # -- classes ----------------------------------------------------------------------------
    def _model_class(self, spec: etree._Element) -> list[etree._Element]:
        ident = spec.get("ident")
        members = self.members.get(ident, [])
        out = [_el("define", _wrap("choice", [_ref(self.pattern_name(m)) for m in members], "notAllowed"), name=ident)]
        for expansion in _EXPANSIONS:
            parts = []
            for m in members:
                name = self.pattern_name(m) if self.kind(m) == "elementSpec" else f"{m}_{expansion}"
                parts.append(_expanded_member(_ref(name), expansion))
            if expansion == "alternation":
                body = _wrap("choice", parts, "notAllowed")
            else:
                body = _wrap("group", parts, "empty" if "Optional" in expansion else "notAllowed")
            out.append(_el("define", body, name=f"{ident}_{expansion}"))
        return out

    def _visible_atts(self, ident: str) -> frozenset[str]:
        """Attribute idents a class provides (its own and inherited, minus its deletions)."""
        if ident not in self._visible:
            self._visible[ident] = frozenset()
            spec = self.specs[ident]
            own = {a.get("ident"): a.get("mode") for a in spec.iter(T("attDef"))}
            inherited: set[str] = set()
            for sup in self._att_classes(spec):
                inherited |= self._visible_atts(sup)
            result = {n for n in inherited if n not in own} | {n for n, m in own.items() if m != "delete"}
            self._visible[ident] = frozenset(result)
        return self._visible[ident]

    def _att_classes(self, spec: etree._Element) -> list[str]:
        out = []
        classes = spec.find(T("classes"))
        if classes is None:
            return out
        for m in tei_children(classes, "memberOf"):
            key = m.get("key")
            if self.kind(key) == "classSpec" and self.specs[key].get("type") == "atts":
                out.append(key)
        return out

    def _inherited_refs(self, spec: etree._Element, overrides: set[str]) -> list[etree._Element]:
        refs: list[etree._Element] = []
        for cls in self._att_classes(spec):
            refs.extend(self._class_refs(cls, overrides))
        return refs

    def _class_refs(self, cls: str, overrides: set[str]) -> list[etree._Element]:
        if not overrides & self._visible_atts(cls):
            return [_ref(f"{cls}.attributes")]
        spec = self.specs[cls]
        own = {a.get("ident"): a for a in spec.iter(T("attDef"))}
        refs = self._inherited_refs(spec, overrides | set(own))
        for name, att in own.items():
            if att.get("mode") != "delete" and name not in overrides:
                refs.append(_ref(_att_pattern_name(cls, name)))
        return refs

    def _att_class(self, spec: etree._Element) -> list[etree._Element]:
        ident = spec.get("ident")
        atts = [a for a in spec.iter(T("attDef")) if a.get("mode") != "delete"]
        refs = self._inherited_refs(spec, {a.get("ident") for a in spec.iter(T("attDef"))})
        refs += [_ref(_att_pattern_name(ident, a.get("ident"))) for a in atts]
        refs += self._att_refs(spec)
        out = [_el("define", *(refs or [_el("empty")]), name=f"{ident}.attributes")]
        for att in atts:
            name = _att_pattern_name(ident, att.get("ident"))
            self.defined_att_refs.add(name)
            out.append(_el("define", self._attribute(att), name=name))
        return out

    def _att_refs(self, spec: etree._Element) -> list[etree._Element]:
        out = []
        for att_ref in spec.iter(T("attRef")):
            cls, name = att_ref.get("class"), att_ref.get("name")
            if cls and name and self.kind(cls) == "classSpec":
                own = [a for a in self.specs[cls].iter(T("attDef")) if a.get("ident") == name and a.get("mode") != "delete"]
                if own:
                    out.append(_ref(_att_pattern_name(cls, name)))
        return out

    # -- elements --------------------------------------------------------------------------
    def _element(self, spec: etree._Element) -> etree._Element:
        ident = spec.get("ident")
        element = _el("element", name=_alt_ident(spec) or ident)
        ns = spec.get("ns")
        if ns is not None and ns != self.ns:
            element.set("ns", ns)
        element.append(self._content(spec))
        own = list(spec.iter(T("attDef")))
        for ref in self._inherited_refs(spec, {a.get("ident") for a in own}):
            element.append(ref)
        for att in own:
            if att.get("mode") != "delete":
                element.append(self._attribute(att))
        element.extend(self._att_refs(spec))
        return _el("define", element, name=self.prefix + ident)

    def _content(self, spec: etree._Element) -> etree._Element:
        content = spec.find(T("content"))
        if content is None:
            return _el("empty")
        parts = [p for p in (self._particle(c) for c in content) if p is not None]
        return _wrap("group", parts)

    # -- content models ------------------------------------------------------------------------
    def _particle(self, el: etree._Element) -> etree._Element | None:
        name = local(el)
        if name is None:
            return None
        if el.tag.startswith("{" + RNG_NS):
            return self._copy_rng(el)
        if not el.tag.startswith("{" + TEI_NS):
            return None
        pattern: etree._Element | None
        if name in ("sequence", "alternate"):
            parts = [p for p in (self._particle(c) for c in el) if p is not None]
            if name == "alternate":
                pattern = _wrap("choice", parts, "notAllowed")
            elif el.get("preserveOrder") == "false":
                pattern = _wrap("interleave", parts)
            else:
                pattern = _wrap("group", parts)
        elif name == "elementRef":
            pattern = _ref(self.prefix + el.get("key"))
        elif name == "classRef":
            pattern = self._class_ref(el)
        elif name == "macroRef":
            pattern = _ref(el.get("key"))
        elif name == "dataRef":
            pattern = self._data_ref(el)
        elif name == "anyElement":
            pattern = self._any_element(el)
        elif name == "empty":
            pattern = _el("empty")
        elif name == "textNode":
            pattern = _el("text")
        elif name == "valList":
            pattern = self._values(el)
        else:
            return None
        if name in _OCCURRING:
            lo, hi = occurs(el)
            pattern = repeat(pattern, lo, hi)
        return pattern

    def _class_ref(self, el: etree._Element) -> etree._Element:
        key, expand = el.get("key"), el.get("expand")
        include, exclude = words(el.get("include")), words(el.get("except"))
        if not include and not exclude:
            return _ref(key if expand in (None, "alternation") else f"{key}_{expand}")
        members = [m for m in self._element_members(key, set()) if (not include or m in include) and m not in exclude]
        refs = [_expanded_member(_ref(self.prefix + m), expand or "alternation") for m in members]
        if expand in (None, "alternation"):
            return _wrap("choice", refs, "notAllowed")
        return _wrap("group", refs, "empty" if "Optional" in expand else "notAllowed")

    def _element_members(self, cls: str, seen: set[str]) -> list[str]:
        out: list[str] = []
        for m in self.members.get(cls, []):
            if self.kind(m) == "elementSpec":
                out.append(m)
            elif m not in seen:
                seen.add(m)
                out.extend(self._element_members(m, seen))
        return out

    def _data_ref(self, el: etree._Element) -> etree._Element:
        if el.get("key"):
            return _ref(el.get("key"))
        if el.get("ref"):
            return _ref(el.get("ref"))
        data = _el("data", type=el.get("name", "string"))
        for facet in tei_children(el, "dataFacet"):
            data.append(_el("param", name=facet.get("name")))
            data[-1].text = facet.get("value")
        if el.get("restriction"):
            param = _el("param", name="pattern")
            param.text = el.get("restriction")
            data.append(param)
        return data

    def _any_element(self, el: etree._Element) -> etree._Element:
        require = words(el.get("require"))
        exclude = words(el.get("except")) if el.get("except") is not None else self.default_exceptions
        except_classes = []
        for item in exclude:
            if ":" in item and "/" not in item:
                prefix, _, localname = item.partition(":")
                uri = el.nsmap.get(prefix) or self.schema.nsmap.get(prefix) or KNOWN_PREFIXES.get(prefix)
                if uri:
                    name = _el("name", ns=uri)
                    name.text = localname
                    except_classes.append(name)
            else:
                except_classes.append(_el("nsName", ns=item))
        if require:
            name_classes = []
            for uri in require:
                if uri in exclude:
                    continue
                ns_name = _el("nsName", ns=uri)
                names = [copy.deepcopy(n) for n in except_classes if local(n) == "name" and n.get("ns") == uri]
                if names:
                    ns_name.append(_el("except", *names))
                name_classes.append(ns_name)
            name_class = _wrap("choice", name_classes, "notAllowed")
        else:
            name_class = _el("anyName")
            if except_classes:
                name_class.append(_el("except", *except_classes))
        define_name = f"anyElement_{len(self.any_defines) + 1}"
        attributes = _el("zeroOrMore", _el("attribute", _el("anyName")))
        content = _el("zeroOrMore", _el("choice", _el("text"), _ref(define_name)))
        self.any_defines.append(_el("define", _el("element", name_class, attributes, content), name=define_name))
        return _ref(define_name)

    def _values(self, val_list: etree._Element) -> etree._Element:
        values = []
        for item in tei_children(val_list, "valItem"):
            value = _el("value")
            value.text = _alt_ident(item) or item.get("ident", "")
            values.append(value)
        return _wrap("choice", values, "notAllowed")

    def _copy_rng(self, el: etree._Element) -> etree._Element:
        out = copy.deepcopy(el)
        if self.prefix:
            for ref in out.iter(R("ref"), R("parentRef")):
                if self.kind(ref.get("name")) == "elementSpec":
                    ref.set("name", self.prefix + ref.get("name"))
        return out

    # -- attributes --------------------------------------------------------------------------------
    def _attribute(self, att: etree._Element) -> etree._Element:
        name = _alt_ident(att) or att.get("ident")
        attribute = _el("attribute")
        if ":" in name and not name.startswith("xml:"):
            prefix, _, localname = name.partition(":")
            uri = att.get("ns") or att.nsmap.get(prefix)
            attribute.set("name", localname)
            if uri:
                attribute.set("ns", uri)
        else:
            attribute.set("name", name)
            if att.get("ns") and not name.startswith("xml:"):
                attribute.set("ns", att.get("ns"))
        attribute.append(self._attribute_value(att))
        if att.get("usage") == "req":
            return attribute
        return _el("optional", attribute)

    def _attribute_value(self, att: etree._Element) -> etree._Element:
        datatype = att.find(T("datatype"))
        val_list = att.find(T("valList"))
        lo, hi = (1, 1)
        base: etree._Element | None = None
        if datatype is not None:
            lo, hi = occurs(datatype)
            parts = [p for p in (self._particle(c) for c in datatype) if p is not None]
            base = _wrap("choice", parts) if parts else None
        kind = val_list.get("type", "open") if val_list is not None else "open"
        if kind == "closed":
            item = self._values(val_list)
        elif kind == "semi":
            item = _el("choice", self._values(val_list), base if base is not None else _el("text"))
        else:
            item = base if base is not None else _el("text")
        if (lo, hi) == (1, 1):
            return item
        if any(local(n) == "text" for n in item.iter()) or self._refers_to_text(item):
            item = _el("data", type="token")
        return _el("list", repeat(item, lo, hi))

    def _refers_to_text(self, pattern: etree._Element, seen: set[str] | None = None) -> bool:
        """Whether a datatype pattern reaches ``<text/>`` (not allowed inside ``<list>``)."""
        seen = seen or set()
        for ref in pattern.iter(R("ref")):
            name = ref.get("name")
            if name in seen or self.kind(name) != "dataSpec":
                continue
            seen.add(name)
            content = self._content(self.specs[name])
            if any(local(n) == "text" for n in content.iter()) or self._refers_to_text(content, seen):
                return True
        return False


def _expanded_member(ref: etree._Element, expansion: str) -> etree._Element:
    if expansion == "sequenceOptional":
        return _el("optional", ref)
    if expansion == "sequenceOptionalRepeatable":
        return _el("zeroOrMore", ref)
    if expansion == "sequenceRepeatable":
        return _el("oneOrMore", ref)
    return ref


def _alt_ident(spec: etree._Element) -> str | None:
    alts = list(tei_children(spec, "altIdent"))
    return " ".join(alts[0].text.split()) if alts and alts[0].text else None


def _att_pattern_name(cls: str, att: str) -> str:
    return f"{cls}.attribute.{att.replace(':', '')}"


def build_relaxng(pruned: etree._ElementTree, odd_path: str) -> etree._ElementTree:
    """Run the RELAX NG stage."""
    return RngBuilder(pruned.getroot(), odd_path).build()
