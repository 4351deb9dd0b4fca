"""Stage "schematron": the constraintSpecs of a pruned, expanded schemaSpec → ISO Schematron.

Rules come from TEI's and the customisation's constraintSpecs (scheme ``schematron``;
English where TEI gives a constraint in several languages).
A bare ``assert``/``report`` gets a rule whose context is derived from where it is
declared, as TEI derives it: ``tei:elem`` for an element, ``tei:elem/@att`` for an
attribute of an element, ``tei:*[@att]`` for an attribute of a class.  Abstract patterns
are expanded into concrete ones (``is-a`` + ``param``), so the result needs no
abstract-pattern support from the Schematron engine.  ``queryBinding`` is ``xslt2``.
"""

from __future__ import annotations

import copy
import re

from lxml import etree

from .xmlutil import SCH_NS, TEI_NS, S, T, is_english, local, tei_children

_SCHEMES = {"schematron", "isoschematron"}


class SchematronBuilder:
    """Collects the rules; use :func:`build_schematron`."""

    def __init__(self, schema: etree._Element):
        self.schema = schema
        self.ident = schema.get("ident")
        self.ns_decls: dict[str, str] = {}
        self.lets: list[etree._Element] = []
        self.patterns: list[etree._Element] = []
        self.default_ns = schema.get("ns", TEI_NS)
        self.members: dict[str, list[etree._Element]] = {}
        for spec in schema:
            for m in spec.iter(T("memberOf")):
                self.members.setdefault(m.get("key"), []).append(spec)

    def build(self) -> etree._ElementTree:
        for spec in self.schema:
            if local(spec) in ("elementSpec", "classSpec", "macroSpec", "dataSpec"):
                for cs in spec.iter(T("constraintSpec")):
                    self._constraint(cs, spec)
            elif local(spec) == "constraintSpec":
                self._constraint(spec, None)
        self._expand_abstract()
        for spec in self.schema:
            if local(spec) == "elementSpec":
                self._deprecation(spec)
        for spec in self.schema:
            if local(spec) == "elementSpec":
                self._param_lists(spec)
        root = etree.Element(S("schema"), {"queryBinding": "xslt2"}, nsmap={None: SCH_NS})
        etree.SubElement(root, S("title")).text = f"ISO Schematron rules for {self.ident}"
        if self.patterns and "tei" not in self.ns_decls:
            self.ns_decls["tei"] = TEI_NS
        for prefix, uri in self.ns_decls.items():
            etree.SubElement(root, S("ns"), prefix=prefix, uri=uri)
        root.extend(self.lets)
        root.extend(self.patterns)
        return etree.ElementTree(root)

    # -- collecting ----------------------------------------------------------------------------
    def _constraint(self, cs: etree._Element, spec: etree._Element | None) -> None:
        if cs.get("scheme") not in _SCHEMES or not is_english(cs):
            return
        owner_att = cs.getparent() if local(cs.getparent()) == "attDef" else None
        base_id = "-".join(
            p for p in (
                "schematron-constraint",
                self.ident,
                spec.get("ident") if spec is not None else None,
                owner_att.get("ident") if owner_att is not None else None,
                cs.get("ident"),
            ) if p
        )
        bare: list[etree._Element] = []
        for constraint in tei_children(cs, "constraint"):
            for child in constraint:
                if not isinstance(child.tag, str) or not child.tag.startswith("{" + SCH_NS):
                    continue
                name = local(child)
                if name == "ns":
                    self.ns_decls.setdefault(child.get("prefix"), child.get("uri"))
                elif name == "pattern":
                    pattern = _clean(child)
                    if pattern.get("id") is None and pattern.get("is-a") is None:
                        pattern.set("id", self._next_id(base_id))
                    self.patterns.append(pattern)
                elif name == "rule":
                    pattern = etree.Element(S("pattern"), id=self._next_id(base_id))
                    pattern.append(_clean(child))
                    self.patterns.append(pattern)
                elif name in ("assert", "report"):
                    bare.append(_clean(child))
                elif name == "let":
                    self.lets.append(_clean(child))
        if bare:
            pattern = etree.Element(S("pattern"), id=self._next_id(base_id))
            rule = etree.SubElement(pattern, S("rule"), context=self._context(spec, owner_att))
            rule.extend(bare)
            self.patterns.append(pattern)

    def _deprecation(self, spec: etree._Element) -> None:
        """A non-fatal report wherever a component with @validUntil is used."""
        element = self._element_name(spec)
        owners = [(spec, element, "element")]
        owners += [(a, f"{element}[@{a.get('ident')}]", "attribute") for a in spec.iter(T("attDef"))]
        for owner, context, what in owners:
            until = owner.get("validUntil")
            if not until:
                continue
            pattern = etree.SubElement(etree.Element(S("pattern")), S("rule"), context=context).getparent()
            report = etree.SubElement(pattern[0], S("report"), test="true()", role="nonfatal")
            report.text = f"WARNING: use of deprecated {what} — it will be removed from the TEI on {until}."
            self.patterns.append(pattern)

    def _param_lists(self, spec: etree._Element) -> None:
        """Parameter names allowed for each value that declares a paramList (TEI's processing model)."""
        element = self._element_name(spec)
        for att in spec.iter(T("attDef")):
            for item in att.iter(T("valItem")):
                names = [p.get("ident") for p in item.iter(T("paramSpec"))]
                if not names:
                    continue
                context = f"{self._prefix_for(TEI_NS)}param[parent::{element}/@{att.get('ident')}='{item.get('ident')}']"
                pattern = etree.Element(S("pattern"), id=f"teipm-{spec.get('ident')}-paramList-{len(self.patterns) + 1}")
                rule = etree.SubElement(pattern, S("rule"), context=context)
                test = " or ".join(f"@name='{n}'" for n in names)
                assertion = etree.SubElement(rule, S("assert"), test=test, role="error")
                assertion.text = f"Parameter name not allowed here: must be one of {', '.join(names)}"
                self.patterns.append(pattern)

    def _next_id(self, base: str) -> str:
        return f"{base}-{len(self.patterns) + 1}"

    def _prefix_for(self, uri: str) -> str:
        if uri == TEI_NS:
            self.ns_decls.setdefault("tei", TEI_NS)
            return "tei:"
        if not uri:
            return ""
        for prefix, known in self.ns_decls.items():
            if known == uri:
                return prefix + ":"
        prefix = f"ns{len(self.ns_decls) + 1}"
        self.ns_decls[prefix] = uri
        return prefix + ":"

    def _element_name(self, spec: etree._Element) -> str:
        alt = spec.find(T("altIdent"))
        name = " ".join(alt.text.split()) if alt is not None and alt.text else spec.get("ident")
        return self._prefix_for(spec.get("ns", self.default_ns)) + name

    def _context(self, spec: etree._Element | None, att: etree._Element | None) -> str:
        if spec is None:
            return "/"
        if local(spec) == "elementSpec":
            element = self._element_name(spec)
            return f"{element}/@{att.get('ident')}" if att is not None else element
        if att is not None:
            return f"{self._prefix_for(self.default_ns)}*[@{att.get('ident')}]"
        members = [self._element_name(m) for m in self.members.get(spec.get("ident"), []) if local(m) == "elementSpec"]
        return " | ".join(members) or f"{self._prefix_for(self.default_ns)}*"

    # -- abstract patterns -----------------------------------------------------------------------
    def _expand_abstract(self) -> None:
        abstract = {p.get("id"): p for p in self.patterns if p.get("abstract") == "true"}
        expanded: list[etree._Element] = []
        for pattern in self.patterns:
            if pattern.get("abstract") == "true":
                continue
            is_a = pattern.get("is-a")
            if is_a is None:
                expanded.append(pattern)
                continue
            template = abstract.get(is_a)
            if template is None:
                continue
            params = {p.get("name"): p.get("value") for p in pattern.iter(S("param"))}
            concrete = etree.Element(S("pattern"), id=pattern.get("id") or f"{is_a}-{len(expanded) + 1}")
            for child in template:
                concrete.append(_substitute(copy.deepcopy(child), params))
            expanded.append(concrete)
        self.patterns = expanded


def _substitute(el: etree._Element, params: dict[str, str]) -> etree._Element:
    names = sorted(params, key=len, reverse=True)
    regex = re.compile(r"\$(" + "|".join(re.escape(n) for n in names) + r")\b") if names else None
    if regex is None:
        return el
    for node in el.iter():
        if not isinstance(node.tag, str):
            continue
        for key, value in node.attrib.items():
            if "$" in value:
                node.set(key, regex.sub(lambda m: params[m.group(1)], value))
    return el


def _clean(el: etree._Element) -> etree._Element:
    """A copy of a Schematron element, to be placed in the output."""
    return copy.deepcopy(el)


def build_schematron(pruned: etree._ElementTree) -> etree._ElementTree:
    """Run the Schematron stage."""
    return SchematronBuilder(pruned.getroot()).build()
