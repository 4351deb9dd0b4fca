"""Stage "expand": an ODD customisation + the TEI source → one self-contained schemaSpec.

What TEI calls ODD expansion ("odd2odd"): specGrpRefs are resolved, modules and single
components are selected from the source, the customisation's specifications are applied
by their ``@mode`` (add, replace, change, delete), and attribute definitions that change,
replace or delete an attribute inherited from a class are resolved against the class
that defines it.  Everything the customisation names must exist: otherwise an
:class:`~corresptei.errors.OddCompileError` points at the offending line.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path

from lxml import etree

from ..errors import OddCompileError
from .teisource import TeiSpecs
from .xmlutil import (
    ORIGIN,
    SPEC_KINDS,
    TEI_NS,
    XML_ID,
    T,
    local,
    tei_children,
    words,
)

#: Children of a spec that a ``change`` merges item by item rather than replacing.
_MERGED_CHILDREN = {"attList", "classes", "constraintSpec"}
_REF_KINDS = {
    "elementRef": "elementSpec",
    "classRef": "classSpec",
    "macroRef": "macroSpec",
    "dataRef": "dataSpec",
    "memberOf": "classSpec",
}


class Expander:
    """Expands one schemaSpec; use :func:`expand_odd`."""

    def __init__(self, odd: etree._ElementTree, odd_path: str, source: TeiSpecs, strict: bool = True):
        self.odd = odd
        self.strict = strict
        self.path = odd_path
        self.source = source
        self.selected: dict[str, etree._Element] = {}
        self.added_by: dict[str, int] = {}
        self.warnings: list[str] = []

    # -- errors -------------------------------------------------------------------------
    def error(self, message: str, el: etree._Element | None) -> OddCompileError:
        line = None
        if el is not None:
            origin = el.get(ORIGIN)
            line = int(origin) if origin else el.sourceline
        return OddCompileError(message, self.path, line)

    def problem(self, message: str, el: etree._Element) -> None:
        """A reference to nothing: an error when strict, else a warning (TEI's own leniency)."""
        error = self.error(message, el)
        if self.strict:
            raise error
        self.warnings.append(str(error))

    # -- driver -------------------------------------------------------------------------
    def run(self, schema_ident: str | None = None) -> etree._ElementTree:
        schema = self._schema_spec(schema_ident)
        items = list(self._flatten(schema, set()))
        out = etree.Element(T("schemaSpec"), nsmap={**schema.nsmap, None: TEI_NS})
        for name, value in schema.attrib.items():
            out.set(name, value)
        out.set("source-version", self.source.version)
        for item in items:
            if local(item) == "moduleRef":
                self._module_ref(item, out)
        for item in items:
            if local(item) in ("elementRef", "classRef", "macroRef", "dataRef"):
                self._component_ref(item)
        constraints = []
        for item in items:
            name = local(item)
            if name in SPEC_KINDS:
                self._apply_spec(item)
            elif name == "constraintSpec":
                constraints.append(_marked_copy(item))
        self._check_references()
        self._resolve_inherited_attributes()
        for spec in self.selected.values():
            out.append(spec)
        out.extend(constraints)
        _tidy(out)
        etree.strip_attributes(out, ORIGIN)
        return etree.ElementTree(out)

    def _schema_spec(self, ident: str | None) -> etree._Element:
        for schema in self.odd.getroot().iter(T("schemaSpec")):
            if ident is None or schema.get("ident") == ident:
                if not schema.get("ident"):
                    raise self.error("schemaSpec has no @ident", schema)
                return schema
        which = f" with ident {ident!r}" if ident else ""
        raise OddCompileError(f"no schemaSpec{which} in the ODD", self.path, None)

    def _flatten(self, parent: etree._Element, seen: set[str]) -> Iterator[etree._Element]:
        """Children of a schemaSpec/specGrp with every specGrpRef replaced by its group."""
        for child in parent:
            name = local(child)
            if name is None or not child.tag.startswith("{" + TEI_NS):
                continue
            if name == "specGrpRef":
                target = child.get("target", "")
                if not target.startswith("#"):
                    raise self.error(f"specGrpRef target {target!r}: only local '#id' targets are supported", child)
                group = self._by_id(target[1:])
                if group is None or local(group) != "specGrp":
                    self.problem(f"specGrpRef points to {target!r}, which is no specGrp in this ODD", child)
                    continue
                if target in seen:
                    raise self.error(f"specGrpRef {target!r} includes itself", child)
                yield from self._flatten(group, seen | {target})
            elif name == "specGrp":
                yield from self._flatten(child, seen)
            else:
                yield child

    def _by_id(self, ident: str) -> etree._Element | None:
        for el in self.odd.getroot().iter():
            if el.get(XML_ID) == ident:
                return el
        return None

    # -- selection ------------------------------------------------------------------------
    def _select(self, ident: str) -> None:
        if ident not in self.selected:
            self.selected[ident] = copy.deepcopy(self.source.specs[ident])

    def _module_ref(self, ref: etree._Element, out: etree._Element) -> None:
        url, key = ref.get("url"), ref.get("key")
        if url:
            external = _marked_copy(ref)
            if "://" not in url:
                external.set("url", str((Path(self.path).parent / url).resolve()))
            etree.strip_attributes(external, ORIGIN)
            out.append(external)
            return
        if not key:
            raise self.error("moduleRef needs @key (a TEI module) or @url (a RELAX NG schema)", ref)
        if key not in self.source.modules:
            known = ", ".join(sorted(k for k in self.source.modules if k))
            raise self.error(f"moduleRef names module {key!r}, which the TEI source does not have (modules: {known})", ref)
        include, exclude = words(ref.get("include")), words(ref.get("except"))
        if include and exclude:
            raise self.error(f"moduleRef {key!r} has both @include and @except; use one", ref)
        idents = self.source.modules[key]
        elements = {i for i in idents if self.source.kind(i) == "elementSpec"}
        for name in include + exclude:
            if name not in elements:
                attr = "include" if include else "except"
                self.problem(f"moduleRef {key!r} @{attr} names {name!r}, which is not an element of module {key!r}", ref)
        for ident in idents:
            if ident in elements and ((include and ident not in include) or ident in exclude):
                continue
            self._select(ident)

    def _component_ref(self, ref: etree._Element) -> None:
        key, kind = ref.get("key"), _REF_KINDS[local(ref)]
        if not key or self.source.kind(key) != kind:
            raise self.error(f"{local(ref)} names {key!r}, which is no {kind} in the TEI source", ref)
        self._select(key)
        include, exclude = words(ref.get("include")), words(ref.get("except"))
        if kind == "classSpec" and (include or exclude):
            spec = self.selected[key]
            for att in list(spec.iter(T("attDef"))):
                name = att.get("ident")
                if (include and name not in include) or name in exclude:
                    att.getparent().remove(att)

    # -- customisation specs -----------------------------------------------------------------
    def _apply_spec(self, spec: etree._Element) -> None:
        kind, ident, mode = local(spec), spec.get("ident"), spec.get("mode", "add")
        if not ident:
            raise self.error(f"{kind} has no @ident", spec)
        current = self.selected.get(ident)
        known = current if current is not None else self.source.specs.get(ident)
        if known is not None and local(known) != kind and mode != "add":
            raise self.error(f"{kind} {ident!r} mode={mode!r}: {ident!r} is {_a(local(known))}, not {_a(kind)}", spec)
        if mode in ("add", "replace"):
            if ident in self.added_by:
                raise self.error(
                    f"duplicate ident {ident!r}: already specified at line {self.added_by[ident]}", spec
                )
            if mode == "replace" and known is None:
                raise self.error(f"{kind} {ident!r} mode='replace': there is no {ident!r} to replace", spec)
            self.added_by[ident] = spec.sourceline
            new = _marked_copy(spec)
            new.attrib.pop("mode", None)
            self.selected[ident] = new
        elif mode == "change":
            if current is not None:
                self.selected[ident] = self._merge_spec(current, spec)
            elif ident in self.source.specs:
                self.warnings.append(
                    f"{self.path}:{spec.sourceline}: {kind} {ident!r} mode='change' ignored: "
                    f"its module is not part of this schema"
                )
            else:
                self.problem(f"{kind} {ident!r} mode='change': there is no {ident!r} to change", spec)
        elif mode == "delete":
            if current is not None:
                del self.selected[ident]
            elif ident not in self.source.specs:
                self.problem(f"{kind} {ident!r} mode='delete': there is no {ident!r} to delete", spec)
        else:
            raise self.error(f"{kind} {ident!r}: unknown @mode {mode!r}", spec)

    def _merge_spec(self, base: etree._Element, change: etree._Element) -> etree._Element:
        result = copy.deepcopy(base)
        for name, value in change.attrib.items():
            if name != "mode":
                result.set(name, value)
        replaced = {local(c) for c in tei_children(change)} - _MERGED_CHILDREN
        for child in list(tei_children(result)):
            if local(child) in replaced:
                result.remove(child)
        for child in tei_children(change):
            name = local(child)
            if name == "attList":
                self._merge_att_list(result, child)
            elif name == "classes":
                self._merge_classes(result, child)
            elif name == "constraintSpec":
                self._merge_constraint(result, child)
            else:
                result.append(_marked_copy(child))
        return result

    def _merge_classes(self, spec: etree._Element, classes: etree._Element) -> None:
        existing = spec.find(T("classes"))
        if classes.get("mode", "replace") == "replace" or existing is None:
            if existing is not None:
                spec.remove(existing)
            spec.append(_marked_copy(classes))
            return
        for member in tei_children(classes, "memberOf"):
            key = member.get("key")
            present = [m for m in tei_children(existing, "memberOf") if m.get("key") == key]
            if member.get("mode", "add") == "delete":
                for m in present:
                    existing.remove(m)
            elif not present:
                existing.append(_marked_copy(member))

    def _merge_constraint(self, owner: etree._Element, new: etree._Element) -> None:
        ident, mode = new.get("ident"), new.get("mode", "add")
        for old in tei_children(owner, "constraintSpec"):
            if ident and old.get("ident") == ident:
                owner.remove(old)
                break
        else:
            if mode in ("change", "replace", "delete"):
                raise self.error(f"constraintSpec {ident!r} mode={mode!r}: there is no such constraint", new)
        if mode != "delete":
            owner.append(_marked_copy(new))

    def _merge_att_list(self, spec: etree._Element, att_list: etree._Element) -> None:
        target = spec.find(T("attList"))
        if target is None:
            target = etree.SubElement(spec, T("attList"))
        for item in tei_children(att_list):
            if local(item) != "attDef":
                target.append(_marked_copy(item))
                continue
            ident, mode = item.get("ident"), item.get("mode", "add")
            old = next((a for a in target.iter(T("attDef")) if a.get("ident") == ident), None)
            if mode in ("add", "replace"):
                new = _marked_copy(item)
                if mode == "add":
                    new.attrib.pop("mode", None)
                if old is not None:
                    old.getparent().replace(old, new)
                else:
                    target.append(new)
            elif mode == "change":
                if old is not None:
                    self._merge_att_def(old, item)
                else:
                    target.append(_marked_copy(item))
            elif mode == "delete":
                marker = _marked_copy(item)
                if old is not None:
                    if old.get("mode") in ("change", "replace", "delete"):
                        old.getparent().replace(old, marker)
                    else:
                        old.getparent().remove(old)
                else:
                    target.append(marker)
            else:
                raise self.error(f"attDef {ident!r}: unknown @mode {mode!r}", item)

    def _merge_att_def(self, base: etree._Element, change: etree._Element) -> None:
        for name, value in change.attrib.items():
            if name not in ("mode", ORIGIN):
                base.set(name, value)
        for child in tei_children(change):
            name = local(child)
            if name == "valList":
                self._merge_val_list(base, child)
            elif name == "constraintSpec":
                self._merge_constraint(base, child)
            else:
                for old in list(tei_children(base, name)):
                    base.remove(old)
                base.append(_marked_copy(child))

    def _merge_val_list(self, att: etree._Element, new: etree._Element) -> None:
        mode = new.get("mode", "add")
        old = att.find(T("valList"))
        if mode == "delete":
            if old is not None:
                att.remove(old)
            return
        if mode in ("add", "replace") or old is None:
            copy_ = _marked_copy(new)
            if old is None and att.get("mode") != "change":
                copy_.attrib.pop("mode", None)
            if old is not None:
                att.replace(old, copy_)
            else:
                att.append(copy_)
            return
        for name, value in new.attrib.items():
            if name not in ("mode", ORIGIN):
                old.set(name, value)
        for item in tei_children(new, "valItem"):
            ident, imode = item.get("ident"), item.get("mode", "add")
            present = next((v for v in tei_children(old, "valItem") if v.get("ident") == ident), None)
            if imode == "delete":
                if present is None:
                    raise self.error(f"valItem {ident!r} mode='delete': the value list has no {ident!r}", item)
                old.remove(present)
            elif present is not None:
                old.replace(present, _marked_copy(item))
            elif imode in ("change", "replace"):
                raise self.error(f"valItem {ident!r} mode={imode!r}: the value list has no {ident!r}", item)
            else:
                old.append(_marked_copy(item))

    # -- checks and inheritance --------------------------------------------------------------
    def _check_references(self) -> None:
        """Every key the customisation names must exist in the customisation or the source."""
        for spec in self.selected.values():
            for el in spec.iter(*(T(k) for k in _REF_KINDS)):
                if el.get(ORIGIN) is None or not el.get("key"):
                    continue
                key, kind = el.get("key"), _REF_KINDS[local(el)]
                target = self.selected.get(key)
                if target is None:
                    target = self.source.specs.get(key)
                if target is None:
                    self.problem(
                        f"{local(el)} key={key!r} refers to nothing: no {kind} {key!r} "
                        "in the customisation or the TEI source",
                        el,
                    )
                    continue
                if local(target) != kind:
                    raise self.error(f"{local(el)} key={key!r}: {key!r} is {_a(local(target))}, not {_a(kind)}", el)

    def _att_classes(self, spec: etree._Element) -> list[etree._Element]:
        out = []
        classes = spec.find(T("classes"))
        if classes is None:
            return out
        for member in tei_children(classes, "memberOf"):
            target = self.selected.get(member.get("key"))
            if target is not None and local(target) == "classSpec" and target.get("type") == "atts":
                out.append(target)
        return out

    def _inherited(self, spec: etree._Element, ident: str, seen: set[str]) -> etree._Element | None:
        """The nearest definition of attribute ``ident`` among the classes of ``spec``."""
        for cls in self._att_classes(spec):
            if cls.get("ident") in seen:
                continue
            seen.add(cls.get("ident"))
            own = _own_att_def(cls, ident)
            if own is not None:
                if own.get("mode") == "delete":
                    continue
                self._resolve_spec(cls)
                return _own_att_def(cls, ident)
            found = self._inherited(cls, ident, seen)
            if found is not None:
                return found
        return None

    def _resolve_spec(self, spec: etree._Element) -> None:
        if spec.get("_resolved"):
            return
        spec.set("_resolved", "1")
        for att in list(spec.iter(T("attDef"))):
            mode = att.get("mode")
            if mode not in ("change", "replace", "delete"):
                continue
            inherited = self._inherited(spec, att.get("ident"), {spec.get("ident")})
            if inherited is None:
                if att.get(ORIGIN) is not None and mode == "delete":
                    self.warnings.append(
                        f"{self.path}:{att.get(ORIGIN)}: attDef {att.get('ident')!r} mode='delete' on "
                        f"{spec.get('ident')!r} ignored: there is no such attribute"
                    )
                elif att.get(ORIGIN) is not None:
                    self.problem(
                        f"attDef {att.get('ident')!r} mode={mode!r} on {local(spec)} {spec.get('ident')!r}: "
                        "no such attribute, neither its own nor inherited from its classes",
                        att,
                    )
                if mode == "replace" and att.get(ORIGIN) is None:
                    att.attrib.pop("mode")  # TEI's own full definition stands on its own
                else:
                    att.getparent().remove(att)  # a change or deletion of nothing
            elif mode == "change":
                merged = copy.deepcopy(inherited)
                merged.attrib.pop("mode", None)
                for constraint in list(tei_children(merged, "constraintSpec")):
                    merged.remove(constraint)  # the class already carries it
                self._merge_att_def(merged, att)
                merged.set("mode", "change")
                att.getparent().replace(att, merged)

    def _resolve_inherited_attributes(self) -> None:
        for spec in self.selected.values():
            if local(spec) in ("classSpec", "elementSpec"):
                self._resolve_spec(spec)
        for spec in self.selected.values():
            spec.attrib.pop("_resolved", None)


def _a(kind: str) -> str:
    return ("an " if kind[0] in "aeiou" else "a ") + kind


def _own_att_def(spec: etree._Element, ident: str) -> etree._Element | None:
    for att in spec.iter(T("attDef")):
        if att.get("ident") == ident:
            return att
    return None


def _marked_copy(el: etree._Element) -> etree._Element:
    """Deep copy of a customisation element, each node remembering its ODD line."""
    new = copy.deepcopy(el)
    for orig, dup in zip(el.iter(), new.iter(), strict=True):
        if isinstance(dup.tag, str) and orig.sourceline and dup.get(ORIGIN) is None:
            dup.set(ORIGIN, str(orig.sourceline))
    return new


def _tidy(schema: etree._Element) -> None:
    """Settle leftover modes once merging is done: items and memberships marked for deletion
    (in a list or a classes element that replaced the original) go, other modes are dropped."""
    for el in list(schema.iter(T("valList"), T("valItem"), T("memberOf"))):
        if el.get("mode") == "delete" and local(el) != "valList":
            el.getparent().remove(el)
        else:
            el.attrib.pop("mode", None)


def expand_odd(
    odd: etree._ElementTree,
    odd_path: str,
    source: TeiSpecs,
    schema_ident: str | None = None,
    strict: bool = True,
) -> tuple[etree._ElementTree, list[str]]:
    """Run the expansion stage; returns the expanded schemaSpec and any warnings.

    ``strict=False`` reports references to components that do not exist (and deletions
    of them) as warnings instead of errors, as TEI's processor does for legacy ODDs.
    """
    expander = Expander(odd, odd_path, source, strict)
    return expander.run(schema_ident), expander.warnings
