"""What a RELAX NG grammar allows at a point: the source of readable RNG messages.

libxml2 says "Did not expect element p there" or "Element titleStmt failed to
validate content".  To say what *is* allowed we read the grammar ourselves:
the RNG is simplified into hash-consed patterns (choice, group, interleave,
oneOrMore, element, attribute, text, data, empty, notAllowed) and an element's
children are matched with Brzozowski/Clark derivatives over element *names*
(child content is not descended into: libxml2 reports those separately).
The first child the content model rejects, or the end of the element when
something is still required, tells us what was found and what was expected.

The model is built lazily: a ``define`` is simplified the first time a
derivative reaches it, so a large grammar (tei_all) costs little until an error
needs explaining.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from lxml import etree

RNG_NS = "http://relaxng.org/ns/structure/1.0"
XML_NS = "http://www.w3.org/XML/1998/namespace"
TEXT = "#text"

# ---------------------------------------------------------------------------
# Name classes: ("name", ns, local) | ("any", except) | ("ns", uri, except) | ("choice", a, b)
# ---------------------------------------------------------------------------

NameClass = tuple


def nc_contains(nc: NameClass, ns: str, local: str) -> bool:
    """True when the name class matches ``{ns}local``."""
    kind = nc[0]
    if kind == "name":
        return nc[1] == ns and nc[2] == local
    if kind == "any":
        return nc[1] is None or not nc_contains(nc[1], ns, local)
    if kind == "ns":
        return nc[1] == ns and (nc[2] is None or not nc_contains(nc[2], ns, local))
    if kind == "choice":
        return nc_contains(nc[1], ns, local) or nc_contains(nc[2], ns, local)
    return False


def nc_names(nc: NameClass) -> Iterator[tuple[str, str]]:
    """The explicit names in a name class; wildcards yield ``(ns or "*", "*")``."""
    kind = nc[0]
    if kind == "name":
        yield (nc[1], nc[2])
    elif kind == "any":
        yield ("*", "*")
    elif kind == "ns":
        yield (nc[1], "*")
    elif kind == "choice":
        yield from nc_names(nc[1])
        yield from nc_names(nc[2])


# ---------------------------------------------------------------------------
# Patterns, hash-consed as tuples
# ---------------------------------------------------------------------------

EMPTY = ("empty",)
NOT_ALLOWED = ("notAllowed",)
TEXT_P = ("text",)


def choice(a: tuple, b: tuple) -> tuple:
    if a == NOT_ALLOWED:
        return b
    if b == NOT_ALLOWED or a == b:
        return a
    if a == EMPTY and b[0] == "choice" and EMPTY in (b[1], b[2]):
        return b
    return ("choice", a, b)


def group(a: tuple, b: tuple) -> tuple:
    if a == NOT_ALLOWED or b == NOT_ALLOWED:
        return NOT_ALLOWED
    if a == EMPTY:
        return b
    if b == EMPTY:
        return a
    return ("group", a, b)


def interleave(a: tuple, b: tuple) -> tuple:
    if a == NOT_ALLOWED or b == NOT_ALLOWED:
        return NOT_ALLOWED
    if a == EMPTY:
        return b
    if b == EMPTY:
        return a
    return ("interleave", a, b)


def one_or_more(p: tuple) -> tuple:
    if p in (NOT_ALLOWED, EMPTY):
        return p
    return ("oneOrMore", p)


@dataclass(frozen=True)
class Expected:
    """What may come next inside an element."""

    elements: tuple[tuple[str, str], ...]  # (ns, local) sorted; wildcards as "*"
    text: bool
    end: bool


class Grammar:
    """A simplified RELAX NG grammar with lazy ``define`` resolution."""

    def __init__(self, root: etree._Element, base: str | None = None) -> None:
        self._defines: dict[str, list[tuple[str | None, etree._Element]]] = {}
        self._resolved: dict[str, tuple] = {}
        self._base = base
        self.start: tuple = NOT_ALLOWED
        self._start_nodes: list[tuple[str | None, etree._Element]] = []
        self._collect(root, ns=root.get("ns", ""))
        self.start = self._combine(self._start_nodes)
        self._elements: list[tuple] | None = None
        self._deriv_cache: dict[tuple, tuple] = {}

    # -- reading ----------------------------------------------------------
    def _collect(self, grammar: etree._Element, ns: str) -> None:
        for child in grammar:
            if not isinstance(child.tag, str) or etree.QName(child).namespace != RNG_NS:
                continue
            local = etree.QName(child).localname
            cns = child.get("ns", ns)
            if local == "define":
                self._defines.setdefault(child.get("name"), []).append((child.get("combine"), child, cns))
            elif local == "start":
                self._start_nodes.append((child.get("combine"), child, cns))
            elif local == "div":
                self._collect(child, cns)
            elif local == "include":
                self._include(child, cns)

    def _include(self, node: etree._Element, ns: str) -> None:
        href = node.get("href")
        if not href:
            return
        base = node.base or self._base or ""
        path = Path(base).parent / href if base else Path(href)
        included = etree.parse(str(path), etree.XMLParser(no_network=True, resolve_entities=False)).getroot()
        overridden = {c.get("name") for c in node if isinstance(c.tag, str) and etree.QName(c).localname == "define"}
        has_start = any(isinstance(c.tag, str) and etree.QName(c).localname == "start" for c in node)
        saved_defs = {k: v for k, v in self._defines.items()}
        saved_start = list(self._start_nodes)
        self._collect(included, included.get("ns", ns))
        for name in overridden:
            self._defines[name] = saved_defs.get(name, [])
        if has_start:
            self._start_nodes = saved_start
        self._collect(node, ns)

    def _combine(self, nodes: list) -> tuple:
        result = None
        for combine, node, ns in nodes:
            pat = self._seq(node, ns)
            if result is None:
                result = pat
            elif combine == "interleave":
                result = interleave(result, pat)
            else:
                result = choice(result, pat)
        return result if result is not None else NOT_ALLOWED

    def define(self, name: str) -> tuple:
        """The simplified pattern of a ``define`` (resolved once)."""
        if name not in self._resolved:
            self._resolved[name] = NOT_ALLOWED  # guards against ill-formed ref cycles
            self._resolved[name] = self._combine(self._defines.get(name, []))
        return self._resolved[name]

    def _seq(self, node: etree._Element, ns: str) -> tuple:
        """The children of ``node`` as a group."""
        result = EMPTY
        for child in node:
            if isinstance(child.tag, str) and etree.QName(child).namespace == RNG_NS:
                result = group(result, self._pattern(child, ns))
        return result

    def _pattern(self, node: etree._Element, ns: str) -> tuple:
        local = etree.QName(node).localname
        ns = node.get("ns", ns)
        if local == "ref":
            return ("ref", node.get("name"))
        if local == "parentRef":
            return ("ref", node.get("name"))
        if local in ("group", "define", "start", "div"):
            return self._seq(node, ns)
        if local == "choice":
            result = NOT_ALLOWED
            for child in node:
                if isinstance(child.tag, str) and etree.QName(child).namespace == RNG_NS:
                    result = choice(result, self._pattern(child, ns))
            return result
        if local == "interleave":
            result = EMPTY
            for child in node:
                if isinstance(child.tag, str) and etree.QName(child).namespace == RNG_NS:
                    result = interleave(result, self._pattern(child, ns))
            return result
        if local == "optional":
            return choice(self._seq(node, ns), EMPTY)
        if local == "zeroOrMore":
            return choice(one_or_more(self._seq(node, ns)), EMPTY)
        if local == "oneOrMore":
            return one_or_more(self._seq(node, ns))
        if local == "mixed":
            return interleave(TEXT_P, self._seq(node, ns))
        if local == "empty":
            return EMPTY
        if local == "notAllowed":
            return NOT_ALLOWED
        if local == "text":
            return TEXT_P
        if local in ("data", "value", "list"):
            return ("data", node.get("type") or local, node.text if local == "value" else None)
        if local == "element":
            nc, body = self._name_class_and_body(node, ns, attribute=False)
            return ("element", nc, body)
        if local == "attribute":
            nc, body = self._name_class_and_body(node, ns, attribute=True)
            return ("attribute", nc, body)
        if local in ("externalRef", "grammar"):
            return ("any",)
        return EMPTY

    def _name_class_and_body(self, node: etree._Element, ns: str, attribute: bool) -> tuple[NameClass, tuple]:
        name = node.get("name")
        children = [c for c in node if isinstance(c.tag, str) and etree.QName(c).namespace == RNG_NS]
        if name is not None:
            nc = self._qname(node, name, "" if attribute and node.get("ns") is None else ns)
        else:
            nc = self._name_class(children[0], ns if not attribute else node.get("ns", ""))
            children = children[1:]
        body = EMPTY
        for c in children:
            body = group(body, self._pattern(c, ns))
        if attribute and not children:
            body = TEXT_P
        return nc, ("lazy", id(node), node, ns) if not attribute else body

    def _qname(self, node: etree._Element, name: str, ns: str) -> NameClass:
        if ":" in name:
            prefix, local = name.split(":", 1)
            uri = XML_NS if prefix == "xml" else node.nsmap.get(prefix, "")
            return ("name", uri, local)
        return ("name", ns, name)

    def _name_class(self, node: etree._Element, ns: str) -> NameClass:
        local = etree.QName(node).localname
        ns = node.get("ns", ns)
        kids = [c for c in node if isinstance(c.tag, str) and etree.QName(c).namespace == RNG_NS]
        if local == "name":
            return self._qname(node, (node.text or "").strip(), ns)
        if local in ("anyName", "nsName"):
            exc = None
            if kids:  # <except>
                for k in kids[0]:
                    if isinstance(k.tag, str):
                        one = self._name_class(k, ns)
                        exc = one if exc is None else ("choice", exc, one)
            return ("any", exc) if local == "anyName" else ("ns", ns, exc)
        if local == "choice":
            ncs = [self._name_class(k, ns) for k in kids]
            result = ncs[0]
            for other in ncs[1:]:
                result = ("choice", result, other)
            return result
        return ("any", None)

    # -- element definitions ----------------------------------------------
    def element_body(self, element_pattern: tuple) -> tuple:
        """The (simplified) content pattern of an ``element`` pattern."""
        body = element_pattern[2]
        if body[0] == "lazy":
            node, ns = body[2], body[3]
            children = [c for c in node if isinstance(c.tag, str) and etree.QName(c).namespace == RNG_NS]
            if node.get("name") is None:
                children = children[1:]
            result = EMPTY
            for c in children:
                result = group(result, self._pattern(c, ns))
            return result
        return body

    def elements(self) -> list[tuple]:
        """Every ``element`` pattern reachable from start (computed once)."""
        if self._elements is None:
            seen_refs: set[str] = set()
            found: dict[int, tuple] = {}
            stack = [self.start]
            while stack:
                p = stack.pop()
                kind = p[0]
                if kind == "ref":
                    if p[1] not in seen_refs:
                        seen_refs.add(p[1])
                        stack.append(self.define(p[1]))
                elif kind == "element":
                    key = p[2][1] if p[2][0] == "lazy" else id(p)
                    if key not in found:
                        found[key] = p
                        stack.append(self.element_body(p))
                elif kind in ("choice", "group", "interleave"):
                    stack.extend((p[1], p[2]))
                elif kind == "oneOrMore":
                    stack.append(p[1])
            self._elements = list(found.values())
        return self._elements

    def definitions_for(self, ns: str, local: str) -> list[tuple]:
        """The ``element`` patterns whose name class matches ``{ns}local`` (explicit names first)."""
        exact = [e for e in self.elements() if e[1][0] == "name" and e[1][1] == ns and e[1][2] == local]
        if exact:
            return exact
        return [e for e in self.elements() if nc_contains(e[1], ns, local)]

    # -- derivatives over child tokens -------------------------------------
    def _resolve(self, p: tuple) -> tuple:
        while p[0] == "ref":
            p = self.define(p[1])
        return p

    def nullable(self, p: tuple) -> bool:
        return self._nullable(p)

    def _nullable(self, p: tuple) -> bool:
        p = self._resolve(p)
        kind = p[0]
        if kind in ("empty", "text", "attribute"):
            return True  # attributes are not children
        if kind in ("choice",):
            return self._nullable(p[1]) or self._nullable(p[2])
        if kind in ("group", "interleave"):
            return self._nullable(p[1]) and self._nullable(p[2])
        if kind == "oneOrMore":
            return self._nullable(p[1])
        if kind == "any":
            return True
        return False  # element, data, notAllowed

    def deriv(self, p: tuple, token: tuple[str, str]) -> tuple:
        """Pattern left after a child ``token`` (``(ns, local)`` or ``TEXT``)."""
        key = (p, token)
        cached = self._deriv_cache.get(key)
        if cached is not None:
            return cached
        result = self._deriv(p, token)
        if len(self._deriv_cache) > 200_000:
            self._deriv_cache.clear()
        self._deriv_cache[key] = result
        return result

    def _deriv(self, p: tuple, token) -> tuple:
        p = self._resolve(p)
        kind = p[0]
        if kind == "choice":
            return choice(self.deriv(p[1], token), self.deriv(p[2], token))
        if kind == "group":
            left = group(self.deriv(p[1], token), p[2])
            return choice(left, self.deriv(p[2], token)) if self._nullable(p[1]) else left
        if kind == "interleave":
            return choice(interleave(self.deriv(p[1], token), p[2]), interleave(p[1], self.deriv(p[2], token)))
        if kind == "oneOrMore":
            return group(self.deriv(p[1], token), choice(p, EMPTY))
        if token == TEXT:
            if kind == "text":
                return TEXT_P
            if kind == "data":
                return EMPTY
            if kind == "any":
                return p
            return NOT_ALLOWED
        if kind == "element":
            return EMPTY if nc_contains(p[1], token[0], token[1]) else NOT_ALLOWED
        if kind == "any":
            return p
        return NOT_ALLOWED

    def expected(self, p: tuple) -> Expected:
        """What may come next after reaching pattern ``p``."""
        names: set[tuple[str, str]] = set()
        text = [False]
        seen: set[int] = set()

        def first(q: tuple) -> None:
            q = self._resolve(q)
            if id(q) in seen:
                return
            seen.add(id(q))
            kind = q[0]
            if kind == "element":
                names.update(nc_names(q[1]))
            elif kind in ("text", "data"):
                text[0] = True
            elif kind == "any":
                names.add(("*", "*"))
                text[0] = True
            elif kind == "choice" or kind == "interleave":
                first(q[1])
                first(q[2])
            elif kind == "group":
                first(q[1])
                if self._nullable(q[1]):
                    first(q[2])
            elif kind == "oneOrMore":
                first(q[1])

        first(p)
        return Expected(tuple(sorted(names)), text[0], self._nullable(p))

    # -- attributes ------------------------------------------------------
    def attributes(self, body: tuple) -> tuple[dict[tuple[str, str], tuple], set[tuple[str, str]]]:
        """``(allowed, required)`` attributes of an element body.

        ``allowed`` maps each named attribute to its value pattern (wildcards
        appear as ``("*", "*")``); ``required`` holds the names every valid
        instance must carry.
        """
        allowed: dict[tuple[str, str], tuple] = {}
        seen: set[int] = set()

        def walk(q: tuple) -> None:
            q = self._resolve(q)
            if id(q) in seen:
                return
            seen.add(id(q))
            kind = q[0]
            if kind == "attribute":
                for name in nc_names(q[1]):
                    allowed.setdefault(name, q[2])
            elif kind in ("choice", "group", "interleave"):
                walk(q[1])
                walk(q[2])
            elif kind == "oneOrMore":
                walk(q[1])

        walk(body)

        def required(q: tuple) -> set[tuple[str, str]]:
            q = self._resolve(q)
            kind = q[0]
            if kind == "attribute":
                return set(nc_names(q[1])) if q[1][0] == "name" else set()
            if kind in ("group", "interleave"):
                return required(q[1]) | required(q[2])
            if kind == "choice":
                return required(q[1]) & required(q[2])
            if kind == "oneOrMore":
                return required(q[1])
            return set()

        return allowed, required(body)

    def describe_value(self, p: tuple, limit: int = 12) -> str:
        """A short description of an attribute value pattern: datatypes and listed values."""
        values: list[str] = []
        types: list[str] = []
        seen: set[int] = set()

        def walk(q: tuple) -> None:
            q = self._resolve(q)
            if id(q) in seen:
                return
            seen.add(id(q))
            if q[0] == "data":
                if q[1] == "value" or q[2] is not None:
                    values.append(repr((q[2] or "").strip()))
                elif q[1] == "list":
                    types.append("a space-separated list")
                else:
                    types.append(q[1])
            elif q[0] == "text":
                types.append("text")
            elif q[0] in ("choice", "group", "interleave"):
                walk(q[1])
                walk(q[2])
            elif q[0] == "oneOrMore":
                walk(q[1])

        walk(p)
        parts = []
        if values:
            shown = ", ".join(values[:limit]) + (f", … ({len(values) - limit} more)" if len(values) > limit else "")
            parts.append(f"one of {shown}")
        if types:
            parts.append(" or ".join(dict.fromkeys(types)))
        return " or ".join(parts) if parts else "a value the schema allows"


@lru_cache(maxsize=8)
def load_grammar(path: str, mtime_ns: int = 0) -> Grammar:
    """Read and simplify the RNG at ``path`` (memoised per process)."""
    tree = etree.parse(path, etree.XMLParser(no_network=True, resolve_entities=False))
    return Grammar(tree.getroot(), base=path)


def match_children(grammar: Grammar, body: tuple, tokens: Iterable[tuple]) -> tuple[int, tuple, Expected]:
    """Match child tokens against ``body``.

    Returns ``(index, pattern, expected)``: the index of the first rejected
    token (``-1`` when all were accepted), the pattern reached before it, and
    what was expected there.  When every token is accepted ``index`` is ``-1``
    and ``expected.end`` says whether the element may end.
    """
    current = body
    for i, tok in enumerate(tokens):
        nxt = grammar.deriv(current, tok)
        if nxt == NOT_ALLOWED:
            return i, current, grammar.expected(current)
        current = nxt
    return -1, current, grammar.expected(current)
