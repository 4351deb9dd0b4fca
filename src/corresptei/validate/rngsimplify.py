"""A simplified copy of a RELAX NG grammar, so that libxml2 validates it fast.

TEI grammars (ours, and those TEI's ODD processor writes) give each element's
content as a tree of references: model classes, macros and attribute classes,
each a ``define`` that refers to further defines.  libxml2 walks that tree for
every child of every element, and it cannot use its fast paths (choices indexed
by element name, content compiled to an automaton) when the alternatives of a
choice hide behind references or when some of them are ``notAllowed``.  On the
project schema that makes RELAX NG validation about five times slower than it
needs to be.

:func:`simplify` rewrites the grammar the way RELAX NG's own simplification
(ISO/IEC 19757-2, section 4) does, as far as it changes no verdict:

* names and datatypes made explicit: every ``element``/``attribute`` gets its
  namespace URI in ``ns`` and a local ``name``; every ``data``/``value`` its
  ``datatypeLibrary`` (4.3, 4.8–4.10), so patterns can be moved freely;
* foreign (annotation) elements and attributes dropped (4.1);
* ``mixed`` becomes ``interleave`` with ``text`` (4.13);
* every ``ref`` to a define that is not a single ``element`` is replaced by
  the define's pattern (4.19);
* ``notAllowed`` and ``empty`` folded away, nested ``choice``/``group``/``interleave``
  flattened, repeated alternatives of a choice dropped (4.20; choice is
  associative, commutative and idempotent, group and interleave associative).

A grammar this module does not handle (``include``, ``externalRef``,
``parentRef``, nested grammars, ``combine``, ``div``, a reference cycle with
no element in between) gives ``None``: the caller validates with the original.
The simplified grammar is used for the verdict only; findings are explained
from the original grammar (see :mod:`.relaxng`).
"""

from __future__ import annotations

import copy
from collections.abc import Iterable

from lxml import etree

RNG_NS = "http://relaxng.org/ns/structure/1.0"
R = f"{{{RNG_NS}}}"

#: Elements this module leaves to the original grammar.
_UNSUPPORTED = {"include", "externalRef", "parentRef", "grammar", "div"}
_NAME_CLASSES = {"name", "anyName", "nsName"}
_LEAVES = {"text", "empty", "notAllowed"}


class Unsupported(Exception):
    """The grammar uses something :func:`simplify` does not rewrite."""


def simplify(tree: etree._ElementTree | etree._Element) -> etree._ElementTree | None:
    """The simplified grammar, or ``None`` when the grammar is out of scope."""
    root = tree.getroot() if isinstance(tree, etree._ElementTree) else tree
    if root.tag != R + "grammar":
        return None
    try:
        return etree.ElementTree(_Simplifier(root).run())
    except (Unsupported, RecursionError):
        return None


def _local(el: etree._Element) -> str:
    return el.tag[len(R):] if el.tag.startswith(R) else ""


def _kids(el: etree._Element) -> list[etree._Element]:
    """The RELAX NG children (annotations and comments skipped)."""
    return [k for k in el if isinstance(k.tag, str) and k.tag.startswith(R)]


def _new(_kind: str, *children: etree._Element, **attrib: str) -> etree._Element:
    el = etree.Element(R + _kind, attrib)
    for child in children:
        el.append(child)
    return el


def _inherited(el: etree._Element, attr: str) -> str:
    for node in (el, *el.iterancestors()):
        value = node.get(attr)
        if value is not None:
            return value
    return ""


def _resolve_qname(el: etree._Element, qname: str, default_ns: str) -> tuple[str, str]:
    qname = qname.strip()
    if ":" in qname:
        prefix, local = qname.split(":", 1)
        if prefix == "xml":
            return "http://www.w3.org/XML/1998/namespace", local
        uri = el.nsmap.get(prefix)
        if uri is None:
            raise Unsupported(f"undeclared prefix {prefix!r}")
        return uri, local
    return default_ns, qname


class _Simplifier:
    def __init__(self, root: etree._Element) -> None:
        self.root = root
        for el in root.iter():
            if not isinstance(el.tag, str) or not el.tag.startswith(R):
                continue
            if _local(el) in _UNSUPPORTED and el is not root:
                raise Unsupported(_local(el))
            if el.get("combine") is not None:
                raise Unsupported("combine")
        self.defines: dict[str, etree._Element] = {}
        for d in root.findall(R + "define"):
            if d.get("name") in self.defines:
                raise Unsupported("a define given twice")
            self.defines[d.get("name")] = d
        self.element_defines = {name for name, d in self.defines.items()
                                if [_local(k) for k in _kids(d)] == ["element"]}
        self._inlined: dict[str, etree._Element] = {}
        self._active: set[str] = set()

    def run(self) -> etree._Element:
        starts = self.root.findall(R + "start")
        if len(starts) != 1:
            raise Unsupported("not one start")
        out = etree.Element(R + "grammar", nsmap=self.root.nsmap)
        out.append(_new("start", self.fold("group", [self.pattern(k) for k in _kids(starts[0])])))
        for name in sorted(self.element_defines):
            out.append(_new("define", self.pattern(_kids(self.defines[name])[0]), name=name))
        return out

    # -------------------------------------------------------------- patterns

    def inline(self, name: str) -> etree._Element:
        if name not in self.defines:
            raise Unsupported(f"reference to an undefined pattern {name!r}")
        if name not in self._inlined:
            if name in self._active:
                raise Unsupported(f"{name!r} refers to itself with no element in between")
            self._active.add(name)
            self._inlined[name] = self.fold("group", [self.pattern(k) for k in _kids(self.defines[name])])
            self._active.discard(name)
        return copy.deepcopy(self._inlined[name])

    def pattern(self, el: etree._Element) -> etree._Element:
        kind = _local(el)
        if kind == "ref":
            name = el.get("name", "").strip()
            return _new("ref", name=name) if name in self.element_defines else self.inline(name)
        if kind in _LEAVES:
            return _new(kind)
        if kind == "element":
            return self.named(el, element=True)
        if kind == "attribute":
            return self.named(el, element=False)
        if kind in ("data", "value"):
            return self.datatype(el)
        kids = [self.pattern(k) for k in _kids(el)]
        if kind == "mixed":
            return self.fold("interleave", [_new("text"), self.fold("group", kids)])
        if kind in ("group", "interleave", "choice"):
            return self.fold(kind, kids)
        if kind == "list":
            inner = self.fold("group", kids)
            return inner if _local(inner) == "notAllowed" else _new("list", inner)
        if kind in ("optional", "zeroOrMore", "oneOrMore"):
            inner = self.fold("group", kids)
            if _local(inner) == "notAllowed":
                return _new("notAllowed" if kind == "oneOrMore" else "empty")
            if _local(inner) == "empty":
                return inner
            return _new(kind, inner)
        raise Unsupported(f"<{kind or el.tag}>")

    def fold(self, kind: str, kids: list[etree._Element]) -> etree._Element:
        flat: list[etree._Element] = []
        seen: set[bytes] = set()
        for kid in kids:
            k = _local(kid)
            if kind == "choice":
                if k == "notAllowed":
                    continue
                for alt in (list(kid) if k == "choice" else [kid]):
                    key = etree.tostring(alt)
                    if key not in seen:
                        seen.add(key)
                        flat.append(alt)
                continue
            if k == "notAllowed":
                return _new("notAllowed")
            if k == "empty":
                continue
            flat.extend(list(kid) if k == kind else [kid])
        if not flat:
            return _new("notAllowed" if kind == "choice" else "empty")
        if len(flat) == 1:
            return flat[0]
        return _new(kind, *flat)

    def named(self, el: etree._Element, *, element: bool) -> etree._Element:
        kids = _kids(el)
        if el.get("name") is not None:
            default_ns = _inherited(el, "ns") if element else el.get("ns", "")
            ns, local = _resolve_qname(el, el.get("name"), default_ns)
            head = []
            out = _new("element" if element else "attribute", name=local, ns=ns)
        else:
            if not kids:
                raise Unsupported("an element or attribute with no name")
            head = [self.name_class(kids[0])]
            kids = kids[1:]
            out = _new("element" if element else "attribute")
        for h in head:
            out.append(h)
        if not kids:
            if element:
                raise Unsupported("an element with no content pattern")
            out.append(_new("text"))
            return out
        content = self.fold("group", [self.pattern(k) for k in kids])
        if _local(content) == "notAllowed":
            return content  # no element / attribute can match: nothing can
        # a group's patterns as the element's own children: libxml2 sets attributes
        # given straight inside an element apart and checks them without backtracking
        for pattern in (list(content) if _local(content) == "group" else [content]):
            out.append(pattern)
        return out

    def name_class(self, el: etree._Element) -> etree._Element:
        kind = _local(el)
        if kind == "name":
            ns, local = _resolve_qname(el, el.text or "", _inherited(el, "ns"))
            out = _new("name", ns=ns)
            out.text = local
            return out
        if kind == "nsName":
            out = _new("nsName", ns=_inherited(el, "ns"))
        elif kind == "anyName":
            out = _new("anyName")
        elif kind in ("choice", "except"):
            return _new(kind, *(self.name_class(k) for k in _kids(el)))
        else:
            raise Unsupported(f"<{kind}> as a name class")
        for k in _kids(el):  # except
            out.append(self.name_class(k))
        return out

    def datatype(self, el: etree._Element) -> etree._Element:
        kind = _local(el)
        if kind == "value" and el.get("type") is None:
            out = _new("value", type="token", datatypeLibrary="")
        else:
            out = _new(kind, type=el.get("type", "").strip(),
                       datatypeLibrary=_inherited(el, "datatypeLibrary"))
        if kind == "value":
            out.set("ns", _inherited(el, "ns"))
            out.text = el.text or ""
            return out
        for k in _kids(el):
            if _local(k) == "param":
                p = _new("param", name=k.get("name"))
                p.text = k.text or ""
                out.append(p)
            elif _local(k) == "except":
                out.append(_new("except", *(self.pattern(x) for x in _kids(k))))
        return out



def without_optional_attributes(grammar: etree._ElementTree, keep: Iterable[tuple[str, str]]) -> etree._ElementTree:
    """A copy of a grammar from :func:`simplify` without the optional attributes not in ``keep``.

    ``keep`` holds (element, attribute) name pairs in Clark notation (``{ns}local``,
    or ``local`` for no namespace).  In every ``element`` pattern with a name,
    each ``optional`` holding one named attribute whose pair is not kept is
    dropped (or becomes ``empty`` inside a ``choice``).  The lean grammar accepts
    a subset of what the grammar accepts, and exactly the same documents among
    those where no element carries an attribute outside ``keep``: an absent
    optional attribute matches the empty sequence, which is what takes its
    place.  TEI elements declare dozens of optional attributes (att.global and
    its kin) and libxml2 tries each one on every element, so a lean grammar
    validates a document that uses few of them two to three times as fast.
    """
    return OptionalAttributes(grammar).without(keep)


class OptionalAttributes:
    """The optional attributes of a grammar from :func:`simplify`, found once, for building
    lean copies again and again (:func:`without_optional_attributes`)."""

    def __init__(self, grammar: etree._ElementTree | etree._Element) -> None:
        self.root = grammar.getroot() if isinstance(grammar, etree._ElementTree) else grammar
        #: (position among the grammar's ``optional`` elements, (element, attribute) pair)
        self.droppable: list[tuple[int, tuple[str, str]]] = []
        for i, opt in enumerate(self.root.iter(R + "optional")):
            kids = _kids(opt)
            if len(kids) != 1 or _local(kids[0]) != "attribute" or kids[0].get("name") is None:
                continue
            owner = next(opt.iterancestors(R + "element"), None)
            if owner is None or owner.get("name") is None:
                continue  # an attribute of an element named by a name class: kept
            ns, local = kids[0].get("ns", ""), kids[0].get("name")
            owner_ns = owner.get("ns", "")
            self.droppable.append((i, (f"{{{owner_ns}}}{owner.get('name')}" if owner_ns else owner.get("name"),
                                       f"{{{ns}}}{local}" if ns else local)))

    def without(self, keep: Iterable[tuple[str, str]]) -> etree._ElementTree:
        """A lean copy: the optional attributes whose pair is not in ``keep`` left out."""
        kept = set(keep)
        root = copy.deepcopy(self.root)
        optionals = list(root.iter(R + "optional"))  # the copy's, in the same order
        for i, pair in self.droppable:
            if pair in kept:
                continue
            opt = optionals[i]
            parent = opt.getparent()
            if _local(parent) not in ("group", "interleave", "element"):
                parent.replace(opt, _new("empty"))
                continue
            parent.remove(opt)
            if not _kids(parent):
                parent.append(_new("empty"))
        return etree.ElementTree(root)
