"""Reading untrusted XML: a parser that fetches nothing and explicit limits.

Every document passes through :func:`parse_document` before any engine sees it.
The parser never resolves entities, loads a DTD or touches the network, and
libxml2's own limits stay on (``huge_tree=False``: text nodes of at most 10 MB,
nesting of at most 256 levels).  On top of that we refuse, with a finding,
instead of validating:

- files larger than ``Limits.max_bytes`` (checked before reading);
- documents nested deeper than ``Limits.max_depth``;
- any DOCTYPE that declares entities or names an external DTD, and any entity
  reference left in the tree (XXE, billion laughs, external DTD fetches).

A refused document yields exactly one ``xml`` finding and no engine runs on it.
Each thread of each process keeps one parser.  The depth and entity-reference
checks walk the tree only when the bytes cannot rule the problem out (a UTF-8
document with no ``&`` has no entity reference; one with few ``<`` cannot nest deep).
"""

from __future__ import annotations

import codecs
import os
import re
import threading
from dataclasses import dataclass

from lxml import etree

from ..fsutil import read_file
from .findings import Engine, Finding, Severity


@dataclass(frozen=True)
class Limits:
    """Explicit input limits (defaults fit any real letter with room to spare)."""

    max_bytes: int = 32 * 1024 * 1024
    max_depth: int = 200


DEFAULT_LIMITS = Limits()


class _RefuseResolver(etree.Resolver):
    """A resolver that answers every request with an empty document and records it.

    With ``no_network`` and ``load_dtd=False`` libxml2 should ask for nothing;
    if it ever does, nothing outside the input is read.  :func:`parse_document`
    empties ``requests`` before each parse (they are those of the latest one).
    """

    def __init__(self) -> None:
        super().__init__()
        self.requests: list[str] = []

    def resolve(self, system_url, public_id, context):
        self.requests.append(str(system_url))
        return self.resolve_string("", context)


def safe_parser() -> etree.XMLParser:
    """A new lxml parser configured for hostile input (one per thread/process)."""
    return _new_parser()[0]


def _new_parser() -> tuple[etree.XMLParser, _RefuseResolver]:
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_blank_text=False,
        collect_ids=True,
    )
    resolver = _RefuseResolver()
    parser.resolvers.add(resolver)
    return parser, resolver


class Process:
    """Which process this is, without a system call per question: ``generation``
    changes in the child of every fork (``os.getpid`` per document costs on a VM)."""

    generation = 0

    @classmethod
    def _forked(cls) -> None:
        cls.generation += 1


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=Process._forked)


class _ThreadParser(threading.local):
    """The parser of this thread in this process (lxml parsers must not be shared by threads,
    and a forked worker makes its own rather than use a copy of its parent's)."""

    generation = -1
    parser: etree.XMLParser
    resolver: _RefuseResolver

    def get(self) -> etree.XMLParser:
        if self.generation != Process.generation:
            self.parser, self.resolver = _new_parser()
            self.generation = Process.generation
        self.resolver.requests.clear()
        return self.parser


_PARSER = _ThreadParser()


_DEPTH_RE = re.compile(r"Excessive depth|depth", re.IGNORECASE)
_HUGE_RE = re.compile(r"huge input|xmlSAX2Characters|Huge input lookup|text node too large|too long", re.IGNORECASE)
_AMPL_RE = re.compile(r"amplification|entity.*loop|Detected an entity reference loop", re.IGNORECASE)


def _refused(path: str, rule: str, message: str, line: int = 0, column: int = 0) -> Finding:
    return Finding(path, line, column, Engine.XML, Severity.ERROR, rule, message)


def _read_as_bytes(data: bytes, tree: etree._ElementTree) -> bool:
    """True when the parser read ``data`` as UTF-8 (or ASCII).

    Then the character ``<`` is exactly the byte 0x3C and ``&`` the byte 0x26 (in
    UTF-8 no other character contains an ASCII byte).  The document must begin with
    ``<`` (after a UTF-8 byte order mark) and have no NUL in its first four bytes:
    anything else may be autodetected as UTF-16/32 or EBCDIC whatever it declares.
    """
    start = data[3:7] if data.startswith(codecs.BOM_UTF8) else data[:4]
    return (start[:1] == b"<" and b"\0" not in start
            and (tree.docinfo.encoding or "").upper() in ("UTF-8", "UTF8", "US-ASCII", "ASCII"))


def _deepest_possible(data: bytes) -> int:
    """The deepest nesting a document read as UTF-8 can have, from its number of ``<``.

    Elements nested ``d`` deep are ``d - 1`` elements with a child, each written as a
    start and an end tag, around one more: ``2d - 1`` characters ``<`` at least.
    (Counting one byte runs at memory speed; walking the tree does not.)
    """
    return (data.count(b"<") + 1) // 2


def _max_depth(root: etree._Element, limit: int) -> int:
    """Depth of the deepest element, stopping early once ``limit`` is passed."""
    depth = deepest = 0
    for event, _ in etree.iterwalk(root, events=("start", "end")):
        if event == "start":
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > limit:
                    return deepest
        else:
            depth -= 1
    return deepest


def _doctype_problem(tree: etree._ElementTree) -> str | None:
    """Why a DOCTYPE is refused, or None when there is none (or a harmless one)."""
    info = tree.docinfo
    if info.system_url or info.public_id:
        return (
            f"the DOCTYPE names an external DTD ({info.system_url or info.public_id}); "
            "TEI documents need none and it is never fetched: remove the DOCTYPE"
        )
    dtd = info.internalDTD
    if dtd is not None:
        if any(True for _ in dtd.iterentities()):
            return "the DOCTYPE declares entities; they are never expanded (XXE/entity-expansion guard): remove the DOCTYPE"
        if dtd.external_id or dtd.system_url:
            return "the DOCTYPE names an external DTD; it is never fetched: remove the DOCTYPE"
    return None


def parse_document(
    path: str | os.PathLike, limits: Limits = DEFAULT_LIMITS, data: bytes | None = None
) -> tuple[etree._ElementTree | None, list[Finding]]:
    """Parse ``path`` safely: ``(tree, [])`` or ``(None, [one refusal finding])``."""
    name = str(path)
    try:
        if data is None:
            data = read_file(name, limits.max_bytes)[0]  # bytes, or the size when over the limit
            if isinstance(data, int):
                return None, [_refused(name, "too-large",
                                       f"file is {data:,} bytes, over the limit of {limits.max_bytes:,}; "
                                       "refused unread")]
        elif len(data) > limits.max_bytes:
            return None, [_refused(name, "too-large", f"document is over the limit of {limits.max_bytes:,} bytes; refused")]
    except OSError as exc:
        return None, [_refused(name, "unreadable", f"cannot read the file: {exc.strerror or exc}")]
    try:
        tree = etree.fromstring(data, _PARSER.get(), base_url=name).getroottree()
    except etree.XMLSyntaxError as exc:
        msg = str(exc.msg or exc)
        line, column = (exc.position if exc.position else (0, 0))
        if _DEPTH_RE.search(msg) and "Excessive depth" in msg:
            return None, [_refused(name, "too-deep",
                                   "elements nest deeper than 256 levels (the parser's limit); refused", line, column)]
        if _HUGE_RE.search(msg) and ("huge" in msg.lower() or "too" in msg.lower()):
            return None, [_refused(name, "too-large",
                                   "a text node, name or attribute value is larger than the parser's limit (10 MB); refused",
                                   line, column)]
        if _AMPL_RE.search(msg):
            return None, [_refused(name, "entity-expansion",
                                   "the DOCTYPE's entities expand exponentially ('billion laughs'); refused: "
                                   "remove the DOCTYPE", line, column)]
        return None, [_refused(name, "not-well-formed", f"not well-formed XML: {msg}", line, column)]
    problem = _doctype_problem(tree)
    if problem:
        return None, [_refused(name, "doctype", problem, 1, 1)]
    root = tree.getroot()
    # Both walks below are skipped when the bytes prove them needless: no "&", no entity
    # reference; too few "<", no nesting beyond the limit.
    as_bytes = _read_as_bytes(data, tree)
    if not as_bytes or b"&" in data:
        for ent in root.iter(etree.Entity):
            return None, [_refused(name, "entity-reference",
                                   f"entity reference {ent.text} is not expanded (no DTD is read); write the character instead",
                                   ent.sourceline or 0)]
    if not as_bytes or _deepest_possible(data) > limits.max_depth:
        deepest = _max_depth(root, limits.max_depth)
        if deepest > limits.max_depth:
            return None, [_refused(name, "too-deep",
                                   f"elements nest {deepest}+ levels deep, over the limit of {limits.max_depth}; refused")]
    return tree, []
