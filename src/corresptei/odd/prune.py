"""Stage "prune": drop what the expanded ODD cannot use.

* references (``elementRef``, ``classRef``, ``macroRef``, ``dataRef``, ``rng:ref``,
  ``memberOf``, ``attRef``) to components that are not part of the schema — deleted, or in
  a module that was not selected — and any sequence/alternation they leave empty;
* classes nothing uses: attribute classes no element inherits from, model classes no
  content model refers to.
"""

from __future__ import annotations

import copy

from lxml import etree

from .teisource import TeiSpecs
from .xmlutil import RNG_NS, T, local, tei_children

_PURE_REFS = {"elementRef", "classRef", "macroRef", "dataRef"}
_CONTAINERS_TEI = {"sequence", "alternate"}
_CONTAINERS_RNG = {"group", "choice", "interleave", "optional", "zeroOrMore", "oneOrMore", "mixed"}
CLASS_SUFFIXES = (
    "_alternation",
    "_sequenceOptionalRepeatable",
    "_sequenceOptional",
    "_sequenceRepeatable",
    "_sequence",
)


def base_name(name: str) -> str:
    """``model.x_sequence`` → ``model.x``."""
    for suffix in CLASS_SUFFIXES:
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


class Pruner:
    """Prunes one expanded schemaSpec in place; use :func:`prune_odd`."""

    def __init__(self, schema: etree._Element, source: TeiSpecs):
        self.schema = schema
        self.source = source
        self.specs = {s.get("ident"): s for s in schema if local(s) in ("elementSpec", "classSpec", "macroSpec", "dataSpec")}

    def run(self) -> None:
        self._drop_dangling()
        while self._drop_unused_classes():
            self._drop_dangling()

    def _exists(self, key: str | None, kind: str | None = None) -> bool:
        spec = self.specs.get(key or "")
        return spec is not None and (kind is None or local(spec) == kind)

    def _rng_ref_ok(self, name: str | None) -> bool:
        """A RELAX NG ref is kept unless it names a TEI component absent from the schema."""
        base = base_name(name or "")
        if base in self.specs:
            return True
        prefix = self.schema.get("prefix") or ""
        if prefix and base.startswith(prefix) and base[len(prefix):] in self.specs:
            return True
        return base not in self.source.specs and (not prefix or base[len(prefix):] not in self.source.specs)

    def _drop_dangling(self) -> None:
        for spec in self.specs.values():
            classes = spec.find(T("classes"))
            if classes is not None:
                for member in list(tei_children(classes, "memberOf")):
                    if not self._exists(member.get("key"), "classSpec"):
                        classes.remove(member)
            for att_ref in list(spec.iter(T("attRef"))):
                if not self._exists(att_ref.get("class"), "classSpec"):
                    att_ref.getparent().remove(att_ref)
            for content in spec.iter(T("content"), T("datatype")):
                for child in list(content):
                    self._prune_particle(child)

    def _prune_particle(self, el: etree._Element) -> bool:
        """Prune below ``el``; remove ``el`` itself if it refers to nothing or became empty."""
        name = local(el)
        if name is None:
            return True
        for child in list(el):
            self._prune_particle(child)
        is_rng = el.tag.startswith("{" + RNG_NS)
        drop = False
        if not is_rng and name in _PURE_REFS and el.get("key"):
            drop = not self._exists(el.get("key"))
        elif is_rng and name == "ref":
            drop = not self._rng_ref_ok(el.get("name"))
        elif (not is_rng and name in _CONTAINERS_TEI) or (is_rng and name in _CONTAINERS_RNG):
            drop = not any(isinstance(c.tag, str) for c in el)
        if drop:
            _detach(el)
            return False
        if is_rng and name == "element" and not any(
            isinstance(c.tag, str) and local(c) not in ("name", "anyName", "nsName") for c in el
        ):
            etree.SubElement(el, f"{{{RNG_NS}}}empty")
        return True

    def _drop_unused_classes(self) -> bool:
        used: set[str] = set()
        todo: list[str] = []
        for spec in self.specs.values():
            kind = local(spec)
            if kind in ("elementSpec", "macroSpec", "dataSpec"):
                todo.extend(_referenced(spec))
            if kind == "elementSpec":
                todo.extend(m.get("key") for m in spec.iter(T("memberOf")) if self._is_att_class(m.get("key")))
        members: dict[str, list[str]] = {}
        for spec in self.specs.values():
            for m in spec.iter(T("memberOf")):
                members.setdefault(m.get("key"), []).append(spec.get("ident"))
        while todo:
            key = todo.pop()
            if key in used or key not in self.specs:
                continue
            used.add(key)
            spec = self.specs[key]
            if local(spec) != "classSpec":
                continue
            if spec.get("type") == "atts":
                todo.extend(m.get("key") for m in spec.iter(T("memberOf")))
            else:
                todo.extend(i for i in members.get(key, []) if local(self.specs[i]) == "classSpec")
            todo.extend(_referenced(spec))
        unused = [i for i, s in self.specs.items() if local(s) == "classSpec" and i not in used]
        for ident in unused:
            self.schema.remove(self.specs.pop(ident))
        return bool(unused)

    def _is_att_class(self, key: str | None) -> bool:
        spec = self.specs.get(key or "")
        return spec is not None and local(spec) == "classSpec" and spec.get("type") == "atts"


def _referenced(spec: etree._Element) -> list[str]:
    keys = [r.get("key") for r in spec.iter(T("classRef"), T("macroRef"), T("dataRef"), T("elementRef"))]
    keys += [r.get("class") for r in spec.iter(T("attRef"))]
    keys += [base_name(r.get("name", "")) for r in spec.iter(f"{{{RNG_NS}}}ref")]
    return [k for k in keys if k]


def _detach(el: etree._Element) -> None:
    parent = el.getparent()
    if parent is not None:
        parent.remove(el)


def prune_odd(expanded: etree._ElementTree, source: TeiSpecs) -> etree._ElementTree:
    """Run the prune stage on a copy of the expanded ODD."""
    tree = copy.deepcopy(expanded)
    Pruner(tree.getroot(), source).run()
    return tree
