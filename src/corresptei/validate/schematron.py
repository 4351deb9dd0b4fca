"""ISO Schematron compiled to XSLT 3.0 and run by saxonche.

The compiler works in named stages, each a pure function on lxml trees, whose
output can be kept for inspection (``SchematronValidator.stages``)::

    include   sch:include / sch:extends resolved (recursively, relative to the base)
    expand    abstract patterns (is-a + param) and abstract rules (extends) instantiated
    compile   one XSLT 3.0 stylesheet: one traversal, a template per rule, chained by
              xsl:next-match so every pattern sees every node

Usage (the API the ODD compiler reuses)::

    from corresptei.validate.schematron import compile_schematron
    sch = compile_schematron("schema/corresptei.sch")     # path, bytes or lxml tree
    for finding in sch.validate("tei/letter.xml"):           # path, bytes or lxml tree
        print(finding)
    sch.xslt        # the generated stylesheet, as text

Query bindings ``xslt2``, ``xslt3``, ``xpath2``, ``xpath3``, ``xpath31`` run
as written; ``xslt`` (XSLT 1.0, the default) runs under XPath 3.1, which
accepts nearly every XPath 1 rule.  Severity comes from ``@role`` (on the
assert/report, else on its rule): fatal/error -> error, warn/warning/nonfatal
-> warning, info/information -> info; no role -> error.

Schematron embedded in a RELAX NG schema or an ODD (``sch:pattern`` etc. inside
``rng:`` or TEI elements) is collected into one schema first.

saxonche is initialised lazily, once per process, so a parent can compile the
stylesheet text and fork workers that each compile the executable themselves.
"""

from __future__ import annotations

import copy
import hashlib
import os
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Union

from lxml import etree

from ..errors import CorrespteiError
from .findings import Engine, Finding, Severity, severity_for_role
from .screen import Screen, compile_screen, file_uri
from .xmlpaths import readable_path

SCH_NS = "http://purl.oclc.org/dsdl/schematron"
XSL_NS = "http://www.w3.org/1999/XSL/Transform"
XS_NS = "http://www.w3.org/2001/XMLSchema"
FN_NS = "http://www.w3.org/2005/xpath-functions"
OUR_NS = "urn:corresptei:schematron"
SCH = f"{{{SCH_NS}}}"
XSL = f"{{{XSL_NS}}}"

#: Query bindings we run (all under XPath 3.1 / XSLT 3.0).
QUERY_BINDINGS = {"xslt", "xslt1", "xslt2", "xslt3", "xpath", "xpath2", "xpath3", "xpath31", "exslt"}

#: Prefixes bound when a schema uses them without declaring them.
WELL_KNOWN_PREFIXES = {
    "sch": SCH_NS,
    "sch1x": "http://www.ascc.net/xml/schematron",
    "rng": "http://relaxng.org/ns/structure/1.0",
    "tei": "http://www.tei-c.org/ns/1.0",
    "teix": "http://www.tei-c.org/ns/Examples",
    "xlink": "http://www.w3.org/1999/xlink",
    "xi": "http://www.w3.org/2001/XInclude",
}

#: Bump when the generated XSLT changes, so cached stylesheets are rebuilt.
COMPILER_VERSION = "8"
#: The named template (and its parameter) that validates many files in one transformation.
BATCH_TEMPLATE = "c:batch"
BATCH_PARAM = f"{{{OUR_NS}}}documents"

Source = Union[str, os.PathLike, bytes, etree._Element, etree._ElementTree]


class SchematronError(CorrespteiError, ValueError):
    """A Schematron schema cannot be compiled (unknown binding, bad include, XSLT error)."""


@dataclass(frozen=True)
class Check:
    """Static facts about one assert/report, indexed by its position in the stylesheet."""

    index: int
    kind: str  # "assert" | "report"
    test: str
    pattern: str  # pattern id (or is-a name, or "pattern-N")
    rule_context: str
    id: str  # assert/report @id, else the pattern id
    role: str | None
    flag: str | None
    severity: Severity


# ---------------------------------------------------------------------------
# Stage 0: read
# ---------------------------------------------------------------------------

def _parser() -> etree.XMLParser:
    return etree.XMLParser(no_network=True, resolve_entities=False, remove_comments=True)


def _read(source: Source) -> tuple[etree._Element, str | None]:
    if isinstance(source, etree._ElementTree):
        return source.getroot(), source.docinfo.URL
    if isinstance(source, etree._Element):
        return source, source.getroottree().docinfo.URL
    if isinstance(source, bytes):
        return etree.fromstring(source, _parser()), None
    path = str(source)
    try:
        tree = etree.parse(path, _parser())
    except (OSError, etree.XMLSyntaxError) as exc:
        raise SchematronError(f"{path}: cannot read Schematron: {exc}") from exc
    return tree.getroot(), path


def collect_embedded(root: etree._Element) -> etree._Element:
    """A ``sch:schema`` holding the Schematron embedded in an RNG/ODD (or ``root`` itself)."""
    if root.tag == SCH + "schema":
        return root
    schema = etree.Element(SCH + "schema", nsmap={None: SCH_NS})
    schema.set("queryBinding", "xslt2")
    tops = ("ns", "let", "pattern", "phase", "diagnostics", "title")
    for el in root.iter(*(SCH + t for t in tops)):
        parent = el.getparent()
        if parent is not None and parent.tag.startswith(SCH) and parent.tag != SCH + "schema":
            continue  # nested inside another sch element we copy whole
        schema.append(copy.deepcopy(el))
    # TEI's ODD processor puts rules (sch:rule) straight into constraint specs: wrap them.
    for rule in root.iter(SCH + "rule"):
        if rule.getparent() is not None and not rule.getparent().tag.startswith(SCH):
            pattern = etree.SubElement(schema, SCH + "pattern")
            spec = next((a for a in rule.iterancestors() if a.get("ident")), None)
            if spec is not None:  # an ODD constraintSpec: its ident names the rule in findings
                pattern.set("id", spec.get("ident"))
            pattern.append(copy.deepcopy(rule))
    for el in root.iter(SCH + "assert", SCH + "report"):
        parent = el.getparent()
        if parent is not None and not parent.tag.startswith(SCH):
            spec = next((a for a in el.iterancestors() if a.get("ident")), None)
            context = "tei:" + spec.get("ident") if spec is not None else "*"
            pattern = etree.SubElement(schema, SCH + "pattern")
            rule = etree.SubElement(pattern, SCH + "rule", context=context)
            rule.append(copy.deepcopy(el))
    return schema


# ---------------------------------------------------------------------------
# Stage 1: include
# ---------------------------------------------------------------------------

def include(root: etree._Element, base: str | None, _depth: int = 0) -> etree._Element:
    """Replace ``sch:include`` by the referenced element and ``sch:extends/@href`` by its children."""
    if _depth > 20:
        raise SchematronError("sch:include nests more than 20 levels deep (a cycle?)")
    root = copy.deepcopy(root)
    for inc in list(root.iter(SCH + "include", SCH + "extends")):
        href = inc.get("href")
        if not href:
            continue  # sch:extends/@rule is handled by expand()
        target = _load_href(href, inc.base or base)
        target = include(target, _href_base(href, inc.base or base), _depth + 1)
        parent = inc.getparent()
        if inc.tag == SCH + "include":
            if target.tag == SCH + "schema":  # including a whole schema: take its patterns etc.
                idx = parent.index(inc)
                for i, child in enumerate(list(target)):
                    parent.insert(idx + i, child)
                parent.remove(inc)
            else:
                target.tail = inc.tail
                parent.replace(inc, target)
        else:  # extends: the children of the referenced rule
            idx = parent.index(inc)
            for i, child in enumerate(list(target)):
                parent.insert(idx + i, child)
            parent.remove(inc)
    return root


def _href_base(href: str, base: str | None) -> str:
    path = href.split("#", 1)[0]
    if base and not os.path.isabs(path):
        return str(Path(base).parent / path)
    return path


def _load_href(href: str, base: str | None) -> etree._Element:
    path, _, frag = href.partition("#")
    if "://" in path and not path.startswith("file:"):
        raise SchematronError(f"sch:include of {href}: only local files are read")
    full = _href_base(path.removeprefix("file://"), base)
    try:
        doc = etree.parse(full, _parser()).getroot()
    except (OSError, etree.XMLSyntaxError) as exc:
        raise SchematronError(f"sch:include {href}: {exc}") from exc
    if frag:
        found = doc.xpath("//*[@id=$f or @xml:id=$f]", f=frag)
        if not found:
            raise SchematronError(f"sch:include {href}: no element with id {frag!r}")
        return found[0]
    return doc


# ---------------------------------------------------------------------------
# Stage 2: expand abstract patterns and rules
# ---------------------------------------------------------------------------

_SUBST_ATTRS = ("context", "test", "select", "value", "path", "subject")


def _substitute(el: etree._Element, params: dict[str, str]) -> None:
    if not params:
        return
    names = sorted(params, key=len, reverse=True)
    regex = re.compile(r"\$(" + "|".join(re.escape(n) for n in names) + r")(?![\w.\-])")
    for node in el.iter():
        if not isinstance(node.tag, str):
            continue
        for attr in _SUBST_ATTRS:
            val = node.get(attr)
            if val and "$" in val:
                node.set(attr, regex.sub(lambda m: params[m.group(1)], val))


def expand(root: etree._Element) -> etree._Element:
    """Instantiate ``pattern[@is-a]`` and ``rule/extends[@rule]``; drop the abstract originals."""
    root = copy.deepcopy(root)
    abstract_patterns = {p.get("id"): p for p in root.iter(SCH + "pattern") if p.get("abstract") == "true"}
    for inst in list(root.iter(SCH + "pattern")):
        name = inst.get("is-a")
        if not name:
            continue
        template = abstract_patterns.get(name)
        if template is None:
            raise SchematronError(f'pattern is-a="{name}": no abstract pattern with that id')
        params = {p.get("name"): p.get("value", "") for p in inst.iter(SCH + "param")}
        new = copy.deepcopy(template)
        del new.attrib["abstract"]
        new.set("id", inst.get("id") or name)
        new.set(f"{{{OUR_NS}}}is-a", name)
        for keep in ("see", "fpi", "icon", "documents"):
            if inst.get(keep):
                new.set(keep, inst.get(keep))
        _substitute(new, params)
        new.tail = inst.tail
        inst.getparent().replace(inst, new)
    for p in abstract_patterns.values():
        if p.getparent() is not None:
            p.getparent().remove(p)
    # abstract rules: <rule abstract="true" id="x"> ... used by <extends rule="x"/>
    abstract_rules = {r.get("id"): r for r in root.iter(SCH + "rule") if r.get("abstract") == "true"}
    for ext in list(root.iter(SCH + "extends")):
        rid = ext.get("rule")
        if rid is None:
            continue
        rule = abstract_rules.get(rid)
        if rule is None:
            raise SchematronError(f'extends rule="{rid}": no abstract rule with that id')
        parent = ext.getparent()
        idx = parent.index(ext)
        for i, child in enumerate(copy.deepcopy(rule)):
            parent.insert(idx + i, child)
        parent.remove(ext)
    for r in abstract_rules.values():
        if r.getparent() is not None:
            r.getparent().remove(r)
    return root


# ---------------------------------------------------------------------------
# Stage 3: compile to XSLT 3.0
# ---------------------------------------------------------------------------

_PRED_RE = re.compile(r"\[[^\[\]]*\]")


def _strip_predicates(expr: str) -> str:
    prev = None
    while prev != expr:
        prev, expr = expr, _PRED_RE.sub("", expr)
    return expr


def _needs(contexts: list[str]) -> tuple[bool, bool]:
    """Whether any rule context can match attributes / text nodes."""
    stripped = [_strip_predicates(c) for c in contexts]
    attrs = any("@" in s or "attribute::" in s or "attribute(" in s for s in stripped)
    text = any("text()" in s or "node()" in s for s in stripped)
    return attrs, text


def _active_patterns(schema: etree._Element, phase: str | None) -> list[etree._Element]:
    patterns = [p for p in schema.iter(SCH + "pattern") if p.get("abstract") != "true"]
    phase = phase or schema.get("defaultPhase")
    if not phase or phase == "#ALL":
        return patterns
    if phase == "#DEFAULT":
        phase = schema.get("defaultPhase") or "#ALL"
        if phase == "#ALL":
            return patterns
    node = next((p for p in schema.iter(SCH + "phase") if p.get("id") == phase), None)
    if node is None:
        raise SchematronError(f"no phase {phase!r} in the schema")
    active = {a.get("pattern") for a in node.iter(SCH + "active")}
    return [p for p in patterns if p.get("id") in active]


def _message(target: etree._Element, src: etree._Element, diagnostics: dict[str, etree._Element]) -> None:
    """Copy an assert/report body into XSLT instructions under ``target``."""

    def add_text(text: str | None) -> None:
        if text:
            etree.SubElement(target, XSL + "text").text = text

    add_text(src.text)
    for child in src:
        if not isinstance(child.tag, str):
            add_text(child.tail)
            continue
        if child.tag == SCH + "value-of":
            etree.SubElement(target, XSL + "value-of", select=child.get("select", "."))
        elif child.tag == SCH + "name":
            etree.SubElement(target, XSL + "value-of", select=f"name({child.get('path', '.')})")
        else:  # emph, dir, span, foreign: their content
            _message(target, child, diagnostics)
        add_text(child.tail)


def namespaces(schema: etree._Element) -> dict[str, str]:
    """The prefixes rule expressions may use: in-scope declarations, sch:ns, then well-known ones."""
    nsmap = {"xsl": XSL_NS, "xs": XS_NS, "fn": FN_NS, "c": OUR_NS,
             "math": "http://www.w3.org/2005/xpath-functions/math",
             "map": "http://www.w3.org/2005/xpath-functions/map",
             "array": "http://www.w3.org/2005/xpath-functions/array"}
    # Prefixes declared in scope anywhere in the schema (TEI's .isosch relies on them), then sch:ns.
    for el in schema.iter():
        if isinstance(el.tag, str):
            for prefix, uri in el.nsmap.items():
                if prefix and prefix not in nsmap and uri != XSL_NS:
                    nsmap[prefix] = uri
    for ns in schema.iter(SCH + "ns"):
        prefix, uri = ns.get("prefix"), ns.get("uri")
        if prefix == "xsl" and uri != XSL_NS:
            raise SchematronError("sch:ns may not rebind the prefix xsl")
        nsmap[prefix] = uri
    # Well-known prefixes some schemas use without declaring (TEI's tei_all.isosch uses sch: and sch1x:).
    for prefix, uri in WELL_KNOWN_PREFIXES.items():
        nsmap.setdefault(prefix, uri)
    return nsmap


def compile_xslt(schema: etree._Element, phase: str | None = None) -> tuple[str, list[Check]]:
    """The XSLT 3.0 text for an included and expanded ``sch:schema``, plus its checks."""
    binding = (schema.get("queryBinding") or "xslt").lower()
    if binding not in QUERY_BINDINGS:
        raise SchematronError(f'queryBinding="{binding}" is not supported (use xslt2 or xslt3)')
    nsmap = namespaces(schema)
    ss = etree.Element(XSL + "stylesheet", nsmap=nsmap, version="3.0")
    ss.set("exclude-result-prefixes", "#all")
    etree.SubElement(ss, XSL + "output", method="text", encoding="UTF-8")

    # c:path(node): an lxml-evaluable path of the element (or of an attribute's/text's parent)
    fn = etree.SubElement(ss, XSL + "function", name="c:path", **{"as": "xs:string"})
    etree.SubElement(fn, XSL + "param", name="n", **{"as": "node()"})
    etree.SubElement(fn, XSL + "sequence", select=(
        "let $e := ($n/ancestor-or-self::*)[last()] return "
        "if (empty($e)) then '/' else "
        "string-join(for $a in $e/ancestor-or-self::* return concat('/*[', count($a/preceding-sibling::*) + 1, ']'), '')"
    ))

    for let in schema.findall(SCH + "let"):
        _let(ss, let, global_=True)
    # XSLT declarations the schema carries (xsl:function, xsl:key, ...; allowed by the xslt bindings)
    for decl in schema:
        if isinstance(decl.tag, str) and decl.tag.startswith(XSL):
            ss.append(copy.deepcopy(decl))

    diagnostics = {d.get("id"): d for d in schema.iter(SCH + "diagnostic")}
    patterns = _active_patterns(schema, phase)
    contexts = [r.get("context", "") for p in patterns for r in p.iter(SCH + "rule")]
    want_attrs, want_text = _needs(contexts)
    children = "@*|node()" if want_attrs and want_text else "@*|*" if want_attrs else "node()" if want_text else "*"

    # One traversal for all patterns.  Every rule is a template of one mode; priorities order
    # patterns, and rules within a pattern, as written.  A rule that fires hands on to the next
    # matching template (xsl:next-match) with its pattern number added to $c:fired, so later
    # rules of the same pattern skip themselves (ISO: the first matching rule of a pattern wins)
    # while rules of other patterns still fire.  The lowest template walks on to the children.
    root_t = etree.SubElement(ss, XSL + "template", match="/")
    etree.SubElement(root_t, XSL + "apply-templates", select=".", mode="c:m")
    checks: list[Check] = []
    rule_lists = [[r for r in p if r.tag == SCH + "rule" and r.get("context")] for p in patterns]
    band = max((len(r) for r in rule_lists), default=0) + 1
    for pi, (pattern, rules) in enumerate(zip(patterns, rule_lists)):
        pid = pattern.get("id") or f"pattern-{pi + 1}"
        pattern_lets = pattern.findall(SCH + "let")
        for ri, rule in enumerate(rules):
            priority = (len(patterns) - pi) * band + (band - ri)
            t = etree.SubElement(ss, XSL + "template", match=rule.get("context"), mode="c:m",
                                 priority=str(priority))
            etree.SubElement(t, XSL + "param", name="c:fired", select="()", **{"as": "xs:integer*"})
            choose = etree.SubElement(t, XSL + "choose")
            skip = etree.SubElement(choose, XSL + "when", test=f"$c:fired = {pi}")
            nm = etree.SubElement(skip, XSL + "next-match")
            etree.SubElement(nm, XSL + "with-param", name="c:fired", select="$c:fired")
            body = etree.SubElement(choose, XSL + "otherwise")
            for let in pattern_lets + rule.findall(SCH + "let"):
                _let(body, let, global_=False)
            for check in rule:
                if check.tag not in (SCH + "assert", SCH + "report"):
                    continue
                kind = etree.QName(check).localname
                test = check.get("test", "true()")
                role = check.get("role") or rule.get("role")
                c = Check(len(checks), kind, test, pid, rule.get("context"), check.get("id") or pid, role,
                          check.get("flag") or rule.get("flag"), severity_for_role(role))
                checks.append(c)
                cond = f"not({test})" if kind == "assert" else f"({test})"
                iff = etree.SubElement(body, XSL + "if", test=cond)
                msg = etree.SubElement(iff, XSL + "variable", name="c:msg", **{"as": "xs:string*"})
                _message(msg, check, diagnostics)
                for ref in (check.get("diagnostics") or "").split():
                    d = diagnostics.get(ref)
                    if d is not None:
                        etree.SubElement(msg, XSL + "text").text = " ("
                        _message(msg, d, diagnostics)
                        etree.SubElement(msg, XSL + "text").text = ")"
                etree.SubElement(iff, XSL + "value-of", separator="\t", select=(
                    f"'{c.index}', c:path(.), if (. instance of attribute()) then name(.) else '', "
                    "normalize-space(string-join($c:msg, ''))"))
                etree.SubElement(iff, XSL + "text").text = "\n"
            nm = etree.SubElement(body, XSL + "next-match")
            etree.SubElement(nm, XSL + "with-param", name="c:fired", select=f"($c:fired, {pi})")
    global_values = schema.findall(SCH + "let") + schema.findall(XSL + "variable") + schema.findall(XSL + "param")
    if not global_values:
        # Many documents in one transformation: ``c:batch`` walks each file of $c:documents
        # (URIs, one per line) after a line "#N".  Not offered when the schema has global
        # lets or variables: ISO evaluates them against each document, XSLT once per
        # transformation.
        etree.SubElement(ss, XSL + "param", name="c:documents", select="''", **{"as": "xs:string"})
        batch = etree.SubElement(ss, XSL + "template", name=BATCH_TEMPLATE)
        each = etree.SubElement(batch, XSL + "for-each", select="tokenize($c:documents, '\n')[.]")
        etree.SubElement(each, XSL + "value-of", select="'#' || position()")
        etree.SubElement(each, XSL + "text").text = "\n"
        etree.SubElement(each, XSL + "apply-templates", select="doc(.)", mode="c:m")
    walk = etree.SubElement(ss, XSL + "template", match="document-node()|*", mode="c:m", priority="-10")
    etree.SubElement(walk, XSL + "apply-templates", select=children, mode="c:m")
    etree.SubElement(ss, XSL + "template", match="@*|text()|comment()|processing-instruction()",
                     mode="c:m", priority="-10")
    return etree.tostring(ss, pretty_print=True, encoding="unicode"), checks


def _let(parent: etree._Element, let: etree._Element, global_: bool) -> None:
    name = let.get("name")
    if let.get("value") is not None:
        etree.SubElement(parent, XSL + ("param" if global_ else "variable"), name=name, select=let.get("value"))
    else:  # a let with content: a temporary tree
        var = etree.SubElement(parent, XSL + "variable", name=name)
        for child in let:
            var.append(copy.deepcopy(child))


# ---------------------------------------------------------------------------
# The validator
# ---------------------------------------------------------------------------

class _Saxon:
    """One saxonche processor per process (created lazily, re-created after fork)."""

    _lock = threading.Lock()
    _pid: int | None = None
    _proc = None

    @classmethod
    def processor(cls):
        with cls._lock:
            if cls._proc is None or cls._pid != os.getpid():
                from saxonche import PySaxonProcessor

                cls._proc = PySaxonProcessor(license=False)
                cls._pid = os.getpid()
            return cls._proc


class SchematronValidator:
    """A compiled Schematron schema: ``.validate(doc)`` -> findings; ``.xslt`` the stylesheet."""

    engine = Engine.SCH

    def __init__(self, xslt: str, checks: list[Check], source: str | None = None,
                 stages: dict[str, str] | None = None, screen: Screen | None = None) -> None:
        self.xslt = xslt
        self.checks = checks
        self.source = source
        self.stages = stages or {}
        #: Proves documents clean on the lxml tree (:mod:`.screen`); the rest go to Saxon.
        self.screen = screen if os.environ.get("CORRESPTEI_SCH_SCREEN", "1") != "0" else None
        #: Documents the screen cleared (Saxon never read them).
        self.screened = 0
        self._exe = None
        self._exe_pid: int | None = None

    def write_stages(self, directory: str | os.PathLike) -> list[Path]:
        """Write each stage's output (``include.sch``, ``expand.sch``, ``compile.xsl``) for inspection."""
        from ..fsutil import atomic_write_text

        out = []
        for name, text in self.stages.items():
            path = Path(directory) / (f"{name}.xsl" if name == "compile" else f"{name}.sch")
            atomic_write_text(path, text)
            out.append(path)
        return out

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.xslt.encode()).hexdigest()

    def _executable(self):
        if self._exe is None or self._exe_pid != os.getpid():
            proc = _Saxon.processor()
            xp = proc.new_xslt30_processor()
            try:
                self._exe = xp.compile_stylesheet(stylesheet_text=self.xslt)
            except Exception as exc:  # PySaxonApiError: the schema's XPath is wrong
                raise SchematronError(f"{self.source or 'Schematron'}: compiled XSLT does not compile: {exc}") from exc
            if self._exe is None:
                raise SchematronError(f"{self.source or 'Schematron'}: compiled XSLT does not compile")
            self._exe_pid = os.getpid()
        return self._exe

    def prepare(self) -> SchematronValidator:
        """Compile the saxonche executable now (otherwise on first use)."""
        self._executable()
        return self

    def validate(self, doc: Source, file: str | None = None) -> list[Finding]:
        """Findings for one document: a path, XML bytes, or a parsed lxml tree/element.

        Paths and bytes are read with the hardened parser of :mod:`.security`;
        a refused document yields the refusal finding.
        """
        if isinstance(doc, (bytes, str, os.PathLike)) and not isinstance(doc, etree._Element):
            from .security import parse_document

            if isinstance(doc, bytes):
                tree, refused = parse_document(file or "<bytes>", data=doc)
            else:
                tree, refused = parse_document(doc)
                file = file or str(doc)
            if tree is None:
                return refused
        elif isinstance(doc, etree._Element):
            tree = doc.getroottree()
        else:
            tree = doc
        file = file or tree.docinfo.URL or "<document>"
        if self.screen is not None and not self.screen.may_fire(tree, file):
            self.screened += 1
            return []
        return self._saxon_one(tree, file)

    def _saxon_one(self, tree: etree._ElementTree, file: str) -> list[Finding]:
        """Saxon's findings for one parsed document (Saxon parses its serialisation)."""
        exe = self._executable()
        proc = _Saxon.processor()
        builder = proc.new_document_builder()
        if os.path.exists(file):  # rules may resolve documents relative to this one (doc(), base-uri())
            builder.set_base_uri(file_uri(file))
        node = builder.parse_xml(xml_text=etree.tostring(tree, encoding="unicode"))
        try:
            out = exe.transform_to_string(xdm_node=node) or ""
        except Exception as exc:  # a dynamic XPath error in a rule
            return [Finding(file, 0, 0, Engine.SCH, Severity.ERROR, "sch-dynamic-error",
                            f"a Schematron rule failed to evaluate: {exc}")]
        return self._findings(out, tree, file)

    @property
    def batchable(self) -> bool:
        """True when the stylesheet can validate many files in one transformation."""
        return f'name="{BATCH_TEMPLATE}"' in self.xslt

    def validate_files(self, docs: Sequence[tuple[etree._ElementTree, str]], *,
                       read_from_files: bool = False) -> list[list[Finding]]:
        """Findings for each of many parsed documents, read again by Saxon from their files
        (``read_from_files``: the caller has just parsed each from its file).

        One transformation for all: documents the rules open (``doc()``, e.g. a
        personography) are read once, not once per file.  Falls back to
        :meth:`validate` one by one when the schema is not batchable, a document
        is not a file, or a rule fails on one of them (that file then gets its
        ``sch-dynamic-error``).
        """
        if not docs:
            return []
        if self.screen is None:
            return self._saxon_files(docs)
        results: list[list[Finding]] = [[] for _ in docs]
        flagged = [i for i, (tree, f) in enumerate(docs)
                   if self.screen.may_fire(tree, f, read_from_file=read_from_files)]
        self.screened += len(docs) - len(flagged)
        if flagged:
            for i, found in zip(flagged, self._saxon_files([docs[i] for i in flagged])):
                results[i] = found
        return results

    def _saxon_files(self, docs: Sequence[tuple[etree._ElementTree, str]]) -> list[list[Finding]]:
        """Saxon's findings for many files, in one transformation when the schema allows."""
        if not self.batchable or not all(os.path.isfile(f) for _, f in docs):
            return [self._saxon_one(tree, f) for tree, f in docs]
        exe = self._executable()
        proc = _Saxon.processor()
        uris = "\n".join(file_uri(f) for _, f in docs)
        try:
            exe.clear_parameters()
            exe.set_parameter(BATCH_PARAM, proc.make_string_value(uris))
            out = exe.call_template_returning_string(f"{{{OUR_NS}}}batch") or ""
        except Exception:  # a dynamic error in some rule: find out which file, one by one
            return [self._saxon_one(tree, f) for tree, f in docs]
        finally:
            exe.clear_parameters()
        parts = re.split(r"^#\d+\n", out, flags=re.MULTILINE)[1:]
        if len(parts) != len(docs):  # pragma: no cover - the batch template always marks each file
            return [self._saxon_one(tree, f) for tree, f in docs]
        return [self._findings(part, tree, f) for part, (tree, f) in zip(parts, docs)]

    def _findings(self, out: str, tree: etree._ElementTree, file: str) -> list[Finding]:
        findings = []
        for line in out.splitlines():
            if not line:
                continue
            idx, path, attr, message = (line.split("\t", 3) + ["", "", ""])[:4]
            check = self.checks[int(idx)]
            el = None
            if path and path != "/":
                found = tree.xpath(path)
                el = found[0] if found else None
            xpath = readable_path(el) if el is not None else "/"
            if attr:
                xpath += f"/@{attr}"
            findings.append(Finding(
                file=file, line=(el.sourceline or 0) if el is not None else 0, column=0,
                engine=Engine.SCH, severity=check.severity, rule=check.id, message=message, xpath=xpath,
                extra={"test": check.test, "kind": check.kind, **({"role": check.role} if check.role else {})},
            ))
        return findings


def compile_schematron(source: Source, phase: str | None = None) -> SchematronValidator:
    """Compile ISO Schematron (a .sch/.isosch file, bytes, a tree, or an RNG/ODD with embedded rules).

    Runs the stages include -> expand -> compile; each stage's output is kept
    in ``validator.stages`` (serialised) for ``--keep-intermediate``-style debugging.
    """
    root, base = _read(source)
    schema = collect_embedded(root)
    included = include(schema, base)
    expanded = expand(included)
    xslt, checks = compile_xslt(expanded, phase)
    screen = compile_screen(expanded, _active_patterns(expanded, phase), namespaces(expanded))
    stages = {
        "include": etree.tostring(included, encoding="unicode"),
        "expand": etree.tostring(expanded, encoding="unicode"),
        "compile": xslt,
    }
    return SchematronValidator(xslt, checks, source=base, stages=stages, screen=screen)
