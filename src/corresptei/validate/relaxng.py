"""RELAX NG validation with libxml2 (lxml), and messages that say what is allowed.

libxml2 finds the errors; :mod:`.rngmodel` explains them.  Each libxml2 error
becomes one :class:`Finding` whose message names what was found and what the
schema allows at that point, e.g.::

    <p> is not allowed in <titleStmt> here; expected <title> (required first)

A compiled ``etree.RelaxNG`` cannot be pickled: compile once per process (the
runner compiles before forking workers).
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterable
from pathlib import Path

from lxml import etree

from .findings import Engine, Finding, Severity
from .rngmodel import TEXT, Grammar, load_grammar, match_children
from .rngsimplify import simplify as simplify_grammar
from .rngsimplify import OptionalAttributes
from .xmlpaths import display_name, node_at, readable_path


def _schema_parser() -> etree.XMLParser:
    return etree.XMLParser(no_network=True, resolve_entities=False, huge_tree=True)


#: A grammar libxml2 takes longer than this (seconds) to compile as written is used as
#: written: its simplified copy would take about twice as long again and check a document
#: only a little faster (tei_all: 5.9 s against 11.7 s to compile, 0.34 against 0.27 ms a
#: letter, so the copy pays off only after some 80,000 documents).  Small grammars compile in
#: milliseconds either way and their copy checks documents several times as fast.
SIMPLIFY_BELOW_S = 0.5


class RelaxNGValidator:
    """A compiled RELAX NG schema plus the grammar model used to explain errors.

    Documents are checked against a simplified copy of the grammar
    (:mod:`.rngsimplify`), which libxml2 runs several times faster and which
    accepts exactly the same documents.  A document it rejects is checked again
    against the grammar as written, whose libxml2 messages :func:`explain` turns
    into findings.  The grammar as written is compiled first; one that takes
    libxml2 longer than :data:`SIMPLIFY_BELOW_S` (tei_all) is used as written.

    Before the simplified grammar, a *lean* one is tried: the same without the
    optional attributes no valid document of this run has carried yet on that element
    (:func:`.rngsimplify.without_optional_attributes`).  It accepts only
    documents the simplified grammar accepts, so its "valid" is final; a
    document it rejects goes on to the simplified grammar, and when that one
    accepts, the document's (element, attribute) pairs join the lean grammar.  It is
    rebuilt at most after the 1st, 2nd, 4th, 8th … such document, and only once
    as much time has gone into validating them as into building lean grammars
    plus the next build (a grammar libxml2 takes seconds to compile, like
    tei_all, pays for itself only on a large corpus).
    """

    engine = Engine.RNG

    def __init__(self, path: str | os.PathLike, *, simplify: bool = True) -> None:
        self.path = str(path)
        self._tree = etree.parse(self.path, _schema_parser())
        self._rng: etree.RelaxNG | None = None
        self._fast: etree.RelaxNG | None = None
        if simplify and SIMPLIFY_BELOW_S != float("inf") and self._slow_to_compile():
            simplify = False
        simple = simplify_grammar(self._tree) if simplify else None
        start = time.perf_counter()
        if simple is not None:
            try:
                self._fast = etree.RelaxNG(simple)
            except etree.RelaxNGParseError:
                self._fast = None  # the grammar as written decides (and reports what is wrong)
        if self._fast is None:
            self._original()
        self._grammar: Grammar | None = None
        self._simple = simple if self._fast is not None else None
        self._lean: etree.RelaxNG | None = None
        self._optionals: OptionalAttributes | None = None
        self._lean_pairs: frozenset[tuple[str, str]] = frozenset()
        self._learned: set[tuple[str, str]] = set()
        self._misses = 0
        self._next_build = 1
        # a lean grammar is built only once the time it could save has been spent:
        # seconds spent validating what the lean grammar did not accept, and building
        self._validating = 0.0
        self._building = 0.0
        self._build_cost = (time.perf_counter() - start) / 2  # estimated: the lean grammar is smaller

    def _slow_to_compile(self) -> bool:
        """Whether libxml2 takes :data:`SIMPLIFY_BELOW_S` or longer to compile the grammar as
        written (compiled here, once; False when it cannot: the simplified copy may still
        compile, or report what is wrong)."""
        from ..errors import CorrespteiError

        start = time.perf_counter()
        try:
            self._original()
        except CorrespteiError:
            return False
        return time.perf_counter() - start >= SIMPLIFY_BELOW_S

    def _original(self) -> etree.RelaxNG:
        """The grammar as written, compiled by libxml2 (once)."""
        if self._rng is None:
            try:
                self._rng = etree.RelaxNG(self._tree)
            except etree.RelaxNGParseError as exc:
                from ..errors import CorrespteiError

                raise CorrespteiError(f"{self.path}: not a usable RELAX NG schema: {exc}") from exc
        return self._rng

    @property
    def simplified(self) -> bool:
        """True when documents are checked against the simplified grammar."""
        return self._fast is not None

    @property
    def grammar(self) -> Grammar:
        """The explanatory model, read on first need."""
        if self._grammar is None:
            st = Path(self.path).stat()
            self._grammar = load_grammar(self.path, st.st_mtime_ns)
        return self._grammar

    def accepts(self, tree: etree._ElementTree) -> bool:
        """The verdict alone, from the grammar documents are checked against."""
        if self._fast is None:
            return self._original().validate(tree)
        return self._accepts_fast(tree)

    def _accepts_fast(self, tree: etree._ElementTree) -> bool:
        lean = self._lean
        if lean is not None and lean.validate(tree):
            return True
        assert self._fast is not None
        start = time.perf_counter()
        valid = self._fast.validate(tree)
        self._validating += time.perf_counter() - start
        if valid and self._simple is not None:
            self._learn(tree)
        return valid

    def _learn(self, tree: etree._ElementTree) -> None:
        """Note the (element, attribute) pairs of a valid document the lean grammar did not accept."""
        self._note_pairs(tree)
        self._misses += 1
        if (self._misses < self._next_build or self._learned == self._lean_pairs
                or self._building + self._build_cost > self._validating):
            return
        self._next_build = self._misses * 2
        self._build_lean()

    def _note_pairs(self, tree: etree._ElementTree) -> None:
        root = tree.getroot() if isinstance(tree, etree._ElementTree) else tree
        add = self._learned.add
        for el in root.iter(etree.Element):
            names = el.keys()
            if names:
                tag = el.tag
                for name in names:
                    add((tag, name))

    def _build_lean(self) -> None:
        self._lean_pairs = frozenset(self._learned)
        start = time.perf_counter()
        try:
            if self._optionals is None:
                self._optionals = OptionalAttributes(self._simple)
            self._lean = etree.RelaxNG(self._optionals.without(self._lean_pairs))
        except etree.RelaxNGParseError:  # pragma: no cover - the simplified grammar compiled
            self._simple = self._lean = None
        self._build_cost = time.perf_counter() - start
        self._building += self._build_cost

    def prepare_lean(self, trees: Iterable[etree._ElementTree]) -> None:
        """Learn the lean grammar from ``trees`` and build it now.

        A run that forks workers calls this first with a few of its documents: each
        worker then starts with the lean grammar instead of learning and building
        its own.  Documents the grammar rejects teach nothing.
        """
        if self._simple is None or self._fast is None:
            return
        for tree in trees:
            if self._fast.validate(tree):
                self._note_pairs(tree)
        if self._learned and self._learned != self._lean_pairs:
            self._build_lean()

    def validate(self, tree: etree._ElementTree, file: str) -> list[Finding]:
        """Findings for one parsed document (empty when valid)."""
        if self._fast is not None and self._accepts_fast(tree):
            return []
        rng = self._original()
        if rng.validate(tree):
            return []
        raw = [(e.line, e.column, e.type_name, getattr(e, "path", None), e.message) for e in rng.error_log]
        return explain(self, tree, file, raw)


# ---------------------------------------------------------------------------
# Explaining libxml2's messages
# ---------------------------------------------------------------------------

_RE_NOT_EXPECT = re.compile(r"Did not expect element (\S+) there")
_RE_EXPECTING = re.compile(r"Expecting element (\S+), got (\S+)")
_RE_EXPECT_NOTHING = re.compile(r"Expecting an element (\S*), got nothing")
_RE_CONTENT = re.compile(r"Element (\S+) failed to validate content")
_RE_INVALID_ATTR = re.compile(r"Invalid attribute (\S+) for element (\S+)")
_RE_ATTRS = re.compile(r"Element (\S+) failed to validate attributes")
_RE_EXTRA = re.compile(r"Element (\S+) has extra content: (\S+)")
_RE_TEXT = re.compile(r"Did not expect text in element (\S+) content")

MAX_LISTED = 15


def _tokens(el: etree._Element) -> list[tuple]:
    """The children of ``el`` as derivative tokens, with the node behind each."""
    out: list[tuple] = []
    if el.text and el.text.strip():
        out.append((TEXT, el))
    for child in el:
        if isinstance(child.tag, str):
            q = etree.QName(child)
            out.append(((q.namespace or "", q.localname), child))
        if child.tail and child.tail.strip():
            out.append((TEXT, child))
    return out


def _list(names: list[str], conj: str = "or") -> str:
    if not names:
        return "nothing"
    if len(names) > MAX_LISTED:
        return ", ".join(names[:MAX_LISTED]) + f", … ({len(names) - MAX_LISTED} more)"
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + f" {conj} " + names[-1]


def _expected_text(expected, context_ns: str | None, allow_end: bool = True) -> str:
    names = [f"<{display_name(ns, local, context_ns)}>" for ns, local in expected.elements]
    names = sorted(set(names), key=lambda s: s.lower())
    parts = list(names)
    if expected.text:
        parts.append("text")
    if allow_end and expected.end:
        parts.append("the end of the element")
    return _list(parts)


def _pick_definition(grammar: Grammar, el: etree._Element):
    q = etree.QName(el)
    defs = grammar.definitions_for(q.namespace or "", q.localname)
    if not defs:
        return None, None
    best = None
    for d in defs:
        body = grammar.element_body(d)
        toks = [t for t, _ in _tokens(el)]
        idx, pat, exp = match_children(grammar, body, toks)
        score = len(toks) + (1 if exp.end else 0) if idx < 0 else idx
        if best is None or score > best[0]:
            best = (score, d, body)
    return best[1], best[2]


def _content_finding(v: RelaxNGValidator, el: etree._Element) -> tuple[str, etree._Element, str] | None:
    """Explain why ``el``'s children do not fit: (message, node to point at, rule) or None."""
    grammar = v.grammar
    d, body = _pick_definition(grammar, el)
    if body is None:
        return None
    q = etree.QName(el)
    toks = _tokens(el)
    idx, pat, exp = match_children(grammar, body, [t for t, _ in toks])
    ctx = q.namespace
    here = f"<{q.localname}>"
    if idx >= 0:
        tok, node = toks[idx]
        prev = next((t for t, _ in reversed(toks[:idx]) if t != TEXT), None)
        after = f" after <{display_name(prev[0], prev[1], ctx)}>" if prev else " as the first child"
        if tok == TEXT:
            where = after if prev else " before its first element"
            msg = f"text is not allowed in {here}{where}; expected {_expected_text(exp, ctx)}"
            return msg, (node if node is not el else el), "text-not-allowed"
        found = f"<{display_name(tok[0], tok[1], ctx)}>"
        if exp.elements or exp.text:
            msg = f"{found} is not allowed in {here}{after}; expected {_expected_text(exp, ctx)}"
        else:
            msg = f"{found} is not allowed in {here}{after}; {here} must end here"
        return msg, node, "element-not-allowed"
    if not exp.end:
        last = next((t for t, _ in reversed(toks) if t != TEXT), None)
        after = f" after <{display_name(last[0], last[1], ctx)}>" if last else ""
        msg = f"{here} is incomplete: expected {_expected_text(exp, ctx, allow_end=False)}{after} before </{q.localname}>"
        return msg, el, "content-incomplete"
    return None


def _attribute_finding(v: RelaxNGValidator, el: etree._Element, attr: str | None) -> tuple[str, str] | None:
    grammar = v.grammar
    d, body = _pick_definition(grammar, el)
    if body is None:
        return None
    q = etree.QName(el)
    allowed, required = grammar.attributes(body)
    here = f"<{q.localname}>"

    def label(ns: str, local: str) -> str:
        return "@" + display_name(ns, local, None)

    allowed_names = sorted({label(ns, local) for ns, local in allowed if local != "*"}, key=str.lower)
    if attr is not None:
        key = _attr_key(el, attr)
        if key is not None and (key in allowed or ("*", "*") in allowed):
            value = el.get(_clark(*key))
            pattern = allowed.get(key) or allowed.get(("*", "*"))
            return (f"{label(*key)}=\"{value}\" on {here} is not a valid value: expected "
                    f"{grammar.describe_value(pattern)}", "attribute-value")
        shown = label(*key) if key else "@" + attr
        return (f"attribute {shown} is not allowed on {here}; allowed: {_list(allowed_names) or 'none'}",
                "attribute-not-allowed")
    present = {(etree.QName(a).namespace or "", etree.QName(a).localname) for a in el.attrib}
    missing = sorted(label(*k) for k in required if k not in present)
    if missing:
        return f"{here} lacks required attribute {_list(missing, 'and')}", "attribute-missing"
    return None


def _clark(ns: str, local: str) -> str:
    return f"{{{ns}}}{local}" if ns else local


def _attr_key(el: etree._Element, attr: str) -> tuple[str, str] | None:
    """Find the attribute libxml2 named (it gives the local name only)."""
    for name in el.attrib:
        q = etree.QName(name)
        if q.localname == attr or name == attr:
            return (q.namespace or "", q.localname)
    return None


def explain(v: RelaxNGValidator, tree: etree._ElementTree, file: str, raw: list[tuple]) -> list[Finding]:
    """Turn libxml2's error list into findings with actionable messages."""
    findings: list[Finding] = []
    explained_content: set[etree._Element] = set()
    specific_nodes: list[etree._Element] = []
    for line, column, type_name, path, message in raw:
        el = node_at(tree, path)
        msg, rule, node = message, type_name.replace("RELAXNG_ERR_", "").lower(), el
        try:
            m_attr = _RE_INVALID_ATTR.search(message)
            m_attrs = _RE_ATTRS.search(message)
            m_extra = _RE_EXTRA.search(message) or _RE_TEXT.search(message)
            if el is not None and m_attr:
                got = _attribute_finding(v, el, m_attr.group(1))
                if got:
                    msg, rule = got
            elif el is not None and m_attrs:
                got = _attribute_finding(v, el, None)
                if got:
                    msg, rule = got
            elif el is not None and (
                _RE_NOT_EXPECT.search(message) or _RE_EXPECTING.search(message)
                or _RE_EXPECT_NOTHING.search(message) or _RE_CONTENT.search(message) or m_extra
            ):
                # libxml2 points at the offending child (or at the parent): explain the parent's content.
                target = el
                if m_extra:  # names the parent; libxml2's path may be the parent or the child
                    if etree.QName(el).localname != m_extra.group(1) and el.getparent() is not None:
                        target = el.getparent()
                elif not _RE_CONTENT.search(message) and not _RE_EXPECT_NOTHING.search(message):
                    target = el.getparent() if el.getparent() is not None else el
                if target in explained_content:
                    continue
                if any(_is_ancestor(target, s) for s in specific_nodes) and _RE_CONTENT.search(message):
                    continue  # cascade from an error already reported inside
                got = _content_finding(v, target)
                if got:
                    msg, node, rule = got
                    explained_content.add(target)
        except RecursionError:  # pathological grammar: keep libxml2's own words
            pass
        if node is not None:
            specific_nodes.append(node)
        line = (node.sourceline if node is not None and node.sourceline else line) or 0
        findings.append(Finding(
            file=file, line=line, column=column if node is el else 0, engine=Engine.RNG,
            severity=Severity.ERROR, rule=rule, message=msg,
            xpath=readable_path(node) if node is not None else (path or ""),
        ))
    return _dedupe(findings)


def _is_ancestor(a: etree._Element, b: etree._Element) -> bool:
    """True when ``a`` is a proper ancestor of ``b``."""
    for anc in b.iterancestors():
        if anc is a:
            return True
    return False


def _dedupe(findings: list[Finding]) -> list[Finding]:
    seen: set[tuple] = set()
    out = []
    for f in findings:
        key = (f.line, f.rule, f.message)
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out
