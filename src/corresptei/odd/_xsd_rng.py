"""RELAX NG reader for the XSD converter: XML syntax -> a small simplified pattern tree.

The steps follow section 4 of the RELAX NG specification, as far as the converter needs:
``div`` is flattened, ``include``/``externalRef``/nested ``grammar`` are resolved (nested
grammars' defines are renamed apart), ``combine`` is applied, ``ns``/``datatypeLibrary`` are
inherited, ``optional``/``zeroOrMore``/``mixed`` become ``choice``/``oneOrMore``/``interleave``,
and ``notAllowed``/``empty`` are propagated.  References to defines are *kept* (not inlined),
so the converter can map defines to named XSD components.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

from lxml import etree

from corresptei.errors import XsdConversionError

RNG_NS = "http://relaxng.org/ns/structure/1.0"
ANN_NS = "http://relaxng.org/ns/compatibility/annotations/1.0"
XSD_DATATYPES = "http://www.w3.org/2001/XMLSchema-datatypes"
XML_NS = "http://www.w3.org/XML/1998/namespace"
_R = "{%s}" % RNG_NS


# --------------------------------------------------------------------------- name classes
@dataclass(frozen=True)
class NcName:
    """A single name: namespace URI ('' for none) and local name."""

    ns: str
    local: str


@dataclass(frozen=True)
class NcAny:
    """``anyName``, optionally with an ``except`` name class."""

    except_: "NameClass | None" = None


@dataclass(frozen=True)
class NcNs:
    """``nsName``: any name in ``ns``, optionally with an ``except`` name class."""

    ns: str
    except_: "NameClass | None" = None


@dataclass(frozen=True)
class NcChoice:
    """A choice of name classes."""

    items: tuple["NameClass", ...]


NameClass = NcName | NcAny | NcNs | NcChoice


# --------------------------------------------------------------------------- patterns
@dataclass(frozen=True)
class Empty:
    """``empty``."""


@dataclass(frozen=True)
class NotAllowed:
    """``notAllowed``."""


@dataclass(frozen=True)
class Text:
    """``text``."""


@dataclass(frozen=True)
class Ref:
    """A reference to a define (names are unique across nested grammars)."""

    name: str


@dataclass(frozen=True)
class Group:
    items: tuple["Pattern", ...]


@dataclass(frozen=True)
class Interleave:
    items: tuple["Pattern", ...]


@dataclass(frozen=True)
class Choice:
    items: tuple["Pattern", ...]


@dataclass(frozen=True)
class OneOrMore:
    item: "Pattern"


@dataclass(eq=False)
class Element:
    """An element pattern.  Compared by identity: each is one declaration."""

    nc: NameClass
    body: "Pattern"
    eid: int
    doc: str | None = None
    define: str | None = None  # the define whose whole body this element is


@dataclass(frozen=True)
class Attribute:
    nc: NameClass
    body: "Pattern"
    doc: str | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Data:
    lib: str
    type: str
    params: tuple[tuple[str, str], ...] = ()
    except_: "Pattern | None" = None


@dataclass(frozen=True)
class Value:
    lib: str
    type: str
    value: str
    ns: str = ""


@dataclass(frozen=True)
class List:
    item: "Pattern"


Pattern = (
    Empty | NotAllowed | Text | Ref | Group | Interleave | Choice | OneOrMore | Element
    | Attribute | Data | Value | List
)

EMPTY = Empty()
NOT_ALLOWED = NotAllowed()
TEXT = Text()


# --------------------------------------------------------------------------- constructors
def _flatten(kind: type, items: Iterable[Pattern]) -> Iterator[Pattern]:
    for item in items:
        if isinstance(item, kind):
            yield from item.items  # type: ignore[attr-defined]
        else:
            yield item


def _dedupe(items: Iterable[Pattern]) -> list[Pattern]:
    seen: set[int] = set()
    seen_eq: list[Pattern] = []
    out: list[Pattern] = []
    for item in items:
        if isinstance(item, Element):
            if id(item) in seen:
                continue
            seen.add(id(item))
        elif item in seen_eq:
            continue
        else:
            seen_eq.append(item)
        out.append(item)
    return out


def choice(items: Iterable[Pattern]) -> Pattern:
    """A simplified choice: flattened, without ``notAllowed`` branches or duplicates."""
    kept = _dedupe(p for p in _flatten(Choice, items) if not isinstance(p, NotAllowed))
    if not kept:
        return NOT_ALLOWED
    return kept[0] if len(kept) == 1 else Choice(tuple(kept))


def _sequence(kind: type, items: Iterable[Pattern]) -> Pattern:
    kept: list[Pattern] = []
    for item in _flatten(kind, items):
        if isinstance(item, NotAllowed):
            return NOT_ALLOWED
        if not isinstance(item, Empty):
            kept.append(item)
    if not kept:
        return EMPTY
    return kept[0] if len(kept) == 1 else kind(tuple(kept))


def group(items: Iterable[Pattern]) -> Pattern:
    """A simplified group."""
    return _sequence(Group, items)


def interleave(items: Iterable[Pattern]) -> Pattern:
    """A simplified interleave."""
    return _sequence(Interleave, items)


def one_or_more(item: Pattern) -> Pattern:
    """A simplified oneOrMore."""
    if isinstance(item, (NotAllowed, Empty, OneOrMore)):
        return item
    return OneOrMore(item)


def optional(item: Pattern) -> Pattern:
    """``choice(item, empty)``."""
    return choice([item, EMPTY])


# --------------------------------------------------------------------------- schema
@dataclass
class RngSchema:
    """A read RELAX NG schema: the start pattern and the defines it uses."""

    start: Pattern
    defines: dict[str, Pattern]
    define_docs: dict[str, str]
    prefixes: dict[str, str]  # namespace URI -> prefix seen in the source
    elements: list[Element]  # every element pattern reachable from start, in order


@dataclass
class _Scope:
    """One grammar: its defines (before combining) and its start."""

    number: int
    parent: "_Scope | None"
    parts: dict[str, list[tuple[str | None, Pattern]]] = field(default_factory=dict)
    start: list[tuple[str | None, Pattern]] = field(default_factory=list)

    def qualify(self, name: str) -> str:
        return name if self.number == 0 else f"{name}.g{self.number}"


@dataclass(frozen=True)
class _Ctx:
    ns: str
    lib: str
    base: str | None


def _doc_text(el: etree._Element) -> str | None:
    texts = [
        " ".join("".join(c.itertext()).split())
        for c in el
        if isinstance(c.tag, str) and c.tag == f"{{{ANN_NS}}}documentation"
    ]
    texts = [t for t in texts if t]
    return "\n".join(texts) if texts else None


def _rng_children(el: etree._Element) -> list[etree._Element]:
    return [c for c in el if isinstance(c.tag, str) and c.tag.startswith(_R)]


def _local(el: etree._Element) -> str:
    return el.tag[len(_R):]


class _Reader:
    """Turns RELAX NG XML into patterns; one instance per conversion."""

    def __init__(self) -> None:
        self.scopes: list[_Scope] = []
        self.docs: dict[str, str] = {}
        self.prefixes: dict[str, str] = {}
        self.next_eid = 0
        self.loading: list[str] = []

    # ---------------------------------------------------------------- grammar level
    def read(self, root: etree._Element, base: str | None) -> tuple[Pattern, dict[str, Pattern]]:
        ctx = _Ctx(ns=root.get("ns", ""), lib=root.get("datatypeLibrary", ""), base=base)
        if not root.tag.startswith(_R):
            raise XsdConversionError(f"not a RELAX NG schema: root element is {root.tag}")
        start = self.pattern(root, ctx, None)
        return start, self._combine_all()

    def _new_scope(self, parent: _Scope | None) -> _Scope:
        scope = _Scope(number=len(self.scopes), parent=parent)
        self.scopes.append(scope)
        return scope

    def _grammar(self, el: etree._Element, ctx: _Ctx, parent: _Scope | None) -> Pattern:
        scope = self._new_scope(parent)
        self._grammar_content(el, ctx, scope, skip=frozenset(), skip_start=False)
        if not scope.start:
            raise XsdConversionError("a grammar has no start")
        methods = {m for m, _ in scope.start if m}
        bodies = [b for _, b in scope.start]
        return interleave(bodies) if methods == {"interleave"} else choice(bodies)

    def _grammar_content(
        self, el: etree._Element, ctx: _Ctx, scope: _Scope, skip: frozenset[str], skip_start: bool
    ) -> None:
        for child in _rng_children(el):
            cctx = self._ctx(child, ctx)
            kind = _local(child)
            if kind == "define":
                name = child.get("name")
                if name in skip:
                    continue
                body = group(self.pattern(c, cctx, scope) for c in _rng_children(child))
                doc = _doc_text(child)
                if doc:
                    self.docs.setdefault(scope.qualify(name), doc)
                scope.parts.setdefault(scope.qualify(name), []).append((child.get("combine"), body))
            elif kind == "start":
                if skip_start:
                    continue
                body = group(self.pattern(c, cctx, scope) for c in _rng_children(child))
                scope.start.append((child.get("combine"), body))
            elif kind == "div":
                self._grammar_content(child, cctx, scope, skip, skip_start)
            elif kind == "include":
                self._include(child, cctx, scope, skip, skip_start)
            else:
                raise XsdConversionError(f"unexpected <{kind}> in a grammar")

    def _include(
        self, el: etree._Element, ctx: _Ctx, scope: _Scope, skip: frozenset[str], skip_start: bool
    ) -> None:
        overridden = {c.get("name") for c in el.iter(f"{_R}define")}
        has_start = any(True for _ in el.iter(f"{_R}start"))
        root, base = self._load(el.get("href"), ctx)
        if _local(root) != "grammar":
            raise XsdConversionError(f"included {el.get('href')} is not a grammar")
        ictx = _Ctx(ns=root.get("ns", ctx.ns), lib=root.get("datatypeLibrary", ""), base=base)
        self._grammar_content(
            root, ictx, scope, skip | frozenset(overridden), skip_start or has_start
        )
        self.loading.pop()
        self._grammar_content(el, ctx, scope, skip, skip_start)

    def _load(self, href: str | None, ctx: _Ctx) -> tuple[etree._Element, str]:
        if not href:
            raise XsdConversionError("include/externalRef without href")
        base_dir = Path(ctx.base).parent if ctx.base else Path.cwd()
        path = str((base_dir / href).resolve())
        if path in self.loading:
            raise XsdConversionError(f"{path} includes itself")
        try:
            root = etree.parse(path).getroot()
        except (OSError, etree.XMLSyntaxError) as exc:
            raise XsdConversionError(f"cannot read {href} (from {ctx.base}): {exc}") from exc
        self.loading.append(path)
        return root, path

    def _combine_all(self) -> dict[str, Pattern]:
        defines: dict[str, Pattern] = {}
        for scope in self.scopes:
            for name, parts in scope.parts.items():
                methods = {m for m, _ in parts if m}
                if len(methods) > 1 or sum(1 for m, _ in parts if not m) > 1:
                    raise XsdConversionError(f"define {name!r} is combined inconsistently")
                bodies = [b for _, b in parts]
                defines[name] = interleave(bodies) if methods == {"interleave"} else choice(bodies)
        return defines

    @staticmethod
    def _ctx(el: etree._Element, ctx: _Ctx) -> _Ctx:
        return _Ctx(
            ns=el.get("ns", ctx.ns), lib=el.get("datatypeLibrary", ctx.lib), base=ctx.base
        )

    # ---------------------------------------------------------------- patterns
    def pattern(self, el: etree._Element, ctx: _Ctx, scope: _Scope | None) -> Pattern:
        ctx = self._ctx(el, ctx)
        for prefix, uri in (el.nsmap or {}).items():
            if prefix and uri not in self.prefixes and uri != RNG_NS:
                self.prefixes[uri] = prefix
        kind = _local(el)
        handler = getattr(self, f"_p_{kind}", None)
        if handler is None:
            raise XsdConversionError(f"unsupported RELAX NG element <{kind}>")
        return handler(el, ctx, scope)

    def _content(self, el: etree._Element, ctx: _Ctx, scope: _Scope | None, skip: int = 0) -> Pattern:
        kids = _rng_children(el)[skip:]
        return group(self.pattern(c, ctx, scope) for c in kids)

    def _p_grammar(self, el, ctx, scope):
        return self._grammar(el, ctx, scope)

    def _p_externalRef(self, el, ctx, scope):
        root, base = self._load(el.get("href"), ctx)
        ectx = _Ctx(ns=root.get("ns", ctx.ns), lib="", base=base)
        result = self.pattern(root, ectx, scope)
        self.loading.pop()
        return result

    def _p_ref(self, el, ctx, scope):
        if scope is None:
            raise XsdConversionError("<ref> outside a grammar")
        return Ref(scope.qualify(el.get("name")))

    def _p_parentRef(self, el, ctx, scope):
        if scope is None or scope.parent is None:
            raise XsdConversionError("<parentRef> without a parent grammar")
        return Ref(scope.parent.qualify(el.get("name")))

    def _p_empty(self, el, ctx, scope):
        return EMPTY

    def _p_notAllowed(self, el, ctx, scope):
        return NOT_ALLOWED

    def _p_text(self, el, ctx, scope):
        return TEXT

    def _p_group(self, el, ctx, scope):
        return self._content(el, ctx, scope)

    def _p_choice(self, el, ctx, scope):
        return choice(self.pattern(c, ctx, scope) for c in _rng_children(el))

    def _p_interleave(self, el, ctx, scope):
        return interleave(self.pattern(c, ctx, scope) for c in _rng_children(el))

    def _p_optional(self, el, ctx, scope):
        return optional(self._content(el, ctx, scope))

    def _p_zeroOrMore(self, el, ctx, scope):
        return optional(one_or_more(self._content(el, ctx, scope)))

    def _p_oneOrMore(self, el, ctx, scope):
        return one_or_more(self._content(el, ctx, scope))

    def _p_mixed(self, el, ctx, scope):
        return interleave([TEXT, self._content(el, ctx, scope)])

    def _p_list(self, el, ctx, scope):
        item = self._content(el, ctx, scope)
        return NOT_ALLOWED if isinstance(item, NotAllowed) else List(item)

    def _p_element(self, el, ctx, scope):
        nc, skip = self._name_class_of(el, ctx, is_attribute=False)
        body = self._content(el, ctx, scope, skip)
        self.next_eid += 1
        return Element(nc=nc, body=body, eid=self.next_eid, doc=_doc_text(el))

    def _p_attribute(self, el, ctx, scope):
        nc, skip = self._name_class_of(el, ctx, is_attribute=True)
        kids = _rng_children(el)[skip:]
        body = group(self.pattern(c, ctx, scope) for c in kids) if kids else TEXT
        if isinstance(body, NotAllowed):
            return NOT_ALLOWED
        return Attribute(nc=nc, body=body, doc=_doc_text(el))

    def _p_data(self, el, ctx, scope):
        params = tuple(
            (p.get("name"), p.text or "") for p in _rng_children(el) if _local(p) == "param"
        )
        excepts = [c for c in _rng_children(el) if _local(c) == "except"]
        except_ = None
        if excepts:
            except_ = choice(self.pattern(c, ctx, scope) for c in _rng_children(excepts[0]))
        return Data(lib=ctx.lib, type=el.get("type"), params=params, except_=except_)

    def _p_value(self, el, ctx, scope):
        if el.get("type") is None:
            return Value(lib="", type="token", value=el.text or "", ns=ctx.ns)
        return Value(lib=ctx.lib, type=el.get("type"), value=el.text or "", ns=ctx.ns)

    # ---------------------------------------------------------------- name classes
    def _name_class_of(self, el, ctx: _Ctx, is_attribute: bool) -> tuple[NameClass, int]:
        name = el.get("name")
        if name is not None:
            ns = el.get("ns", "") if is_attribute else ctx.ns
            return self._qname(name.strip(), el, ns), 0
        kids = _rng_children(el)
        if not kids:
            raise XsdConversionError(f"<{_local(el)}> without a name")
        return self.name_class(kids[0], ctx), 1

    def _qname(self, name: str, el: etree._Element, default_ns: str) -> NcName:
        if ":" in name:
            prefix, local = name.split(":", 1)
            uri = XML_NS if prefix == "xml" else (el.nsmap or {}).get(prefix)
            if uri is None:
                raise XsdConversionError(f"undeclared prefix in name {name!r}")
            if prefix != "xml":
                self.prefixes.setdefault(uri, prefix)
            return NcName(uri, local)
        return NcName(default_ns, name)

    def name_class(self, el: etree._Element, ctx: _Ctx) -> NameClass:
        ctx = self._ctx(el, ctx)
        kind = _local(el)
        if kind == "name":
            return self._qname((el.text or "").strip(), el, ctx.ns)
        if kind == "choice":
            return NcChoice(tuple(self.name_class(c, ctx) for c in _rng_children(el)))
        except_ = None
        excepts = [c for c in _rng_children(el) if _local(c) == "except"]
        if excepts:
            items = tuple(self.name_class(c, ctx) for c in _rng_children(excepts[0]))
            except_ = items[0] if len(items) == 1 else NcChoice(items)
        if kind == "anyName":
            return NcAny(except_)
        if kind == "nsName":
            return NcNs(ctx.ns, except_)
        raise XsdConversionError(f"unsupported name class <{kind}>")


# --------------------------------------------------------------------------- simplification
class _Simplifier:
    """Propagates notAllowed/empty through references, walking only what start reaches."""

    def __init__(self, raw: dict[str, Pattern]):
        self.raw = raw
        self.done: dict[str, Pattern] = {}
        self.busy: set[str] = set()
        self.elements: list[Element] = []
        self.seen_elements: set[int] = set()

    def define(self, name: str) -> Pattern:
        if name in self.done:
            return self.done[name]
        if name not in self.raw:
            raise XsdConversionError(f"reference to undefined pattern {name!r}")
        if name in self.busy:
            raise XsdConversionError(f"define {name!r} refers to itself outside an element")
        self.busy.add(name)
        body = self.simplify(self.raw[name])
        self.busy.discard(name)
        if isinstance(body, Element) and body.define is None:
            body.define = name
        self.done[name] = body
        return body

    def simplify(self, p: Pattern) -> Pattern:
        if isinstance(p, Ref):
            body = self.define(p.name)
            return body if isinstance(body, (Empty, NotAllowed)) else p
        if isinstance(p, Choice):
            return choice(self.simplify(i) for i in p.items)
        if isinstance(p, Group):
            return group(self.simplify(i) for i in p.items)
        if isinstance(p, Interleave):
            return interleave(self.simplify(i) for i in p.items)
        if isinstance(p, OneOrMore):
            return one_or_more(self.simplify(p.item))
        if isinstance(p, Attribute):
            body = self.simplify(p.body)
            return NOT_ALLOWED if isinstance(body, NotAllowed) else Attribute(p.nc, body, p.doc)
        if isinstance(p, List):
            item = self.simplify(p.item)
            return NOT_ALLOWED if isinstance(item, NotAllowed) else List(item)
        if isinstance(p, Data) and p.except_ is not None:
            exc = self.simplify(p.except_)
            return Data(p.lib, p.type, p.params, None if isinstance(exc, NotAllowed) else exc)
        if isinstance(p, Element) and id(p) not in self.seen_elements:
            self.seen_elements.add(id(p))
            self.elements.append(p)
        return p

    def run(self, start: Pattern) -> tuple[Pattern, dict[str, Pattern]]:
        start = self.simplify(start)
        index = 0
        while index < len(self.elements):
            element = self.elements[index]
            element.body = self.simplify(element.body)
            index += 1
        order = {name: i for i, name in enumerate(self.raw)}
        defines = {n: self.done[n] for n in sorted(self.done, key=order.__getitem__)}
        return start, defines


def read_rng(rng: "etree._ElementTree | etree._Element | str | Path") -> RngSchema:
    """Read and simplify a RELAX NG schema in XML syntax (a tree, an element or a path)."""
    if isinstance(rng, (str, Path)):
        try:
            tree = etree.parse(str(rng))
        except (OSError, etree.XMLSyntaxError) as exc:
            raise XsdConversionError(f"cannot read RELAX NG schema {rng}: {exc}") from exc
        root = tree.getroot()
    elif isinstance(rng, etree._ElementTree):
        root = rng.getroot()
    elif isinstance(rng, etree._Element):
        root = rng
    else:
        raise XsdConversionError(f"expected a path or an lxml tree, got {type(rng).__name__}")
    base = root.getroottree().docinfo.URL
    reader = _Reader()
    start, raw = reader.read(root, base)
    simplifier = _Simplifier(raw)
    start, defines = simplifier.run(start)
    docs = {n: d for n, d in reader.docs.items() if n in defines}
    return RngSchema(start, defines, docs, reader.prefixes, simplifier.elements)
