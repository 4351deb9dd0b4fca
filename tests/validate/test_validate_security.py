"""parse_document's limits, called directly: the depth limit at its edge, whatever the encoding.

The hostile-input attacks run through the CLI in hostile/; these tests pin the
refusal rules where parse_document skips its tree walks because the bytes prove
them needless (UTF-8 input), and where it must walk (anything else).
"""

from __future__ import annotations

import codecs
import multiprocessing
import os
import threading

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from corresptei.validate import security
from corresptei.validate.security import Limits, parse_document

LIMIT = Limits(max_depth=10)


def _nested(depth: int, innermost: str = "<e>x</e>", siblings: int = 0) -> str:
    """``depth`` elements nested (the innermost as given), plus ``siblings`` empty children of the root."""
    inner = innermost
    for _ in range(depth - 1):
        inner = f"<e>{inner}</e>"
    return inner[:3] + "<s/>" * siblings + inner[3:]


ENCODINGS = {
    "utf-8": lambda text: text.encode("utf-8"),
    "utf-8 declared": lambda text: ('<?xml version="1.0" encoding="UTF-8"?>' + text).encode("utf-8"),
    "utf-8 bom": lambda text: codecs.BOM_UTF8 + text.encode("utf-8"),
    "utf-16": lambda text: text.encode("utf-16"),
    "utf-16 declared": lambda text: ('<?xml version="1.0" encoding="UTF-16"?>' + text).encode("utf-16"),
    "latin-1 declared": lambda text: ('<?xml version="1.0" encoding="ISO-8859-1"?>' + text).encode("latin-1"),
    "whitespace first": lambda text: ("\n  " + text).encode("utf-8"),
}


@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize("innermost", ["<e>x</e>", "<e/>"])
def test_nesting_at_the_limit_is_accepted_and_one_more_is_refused(encoding: str, innermost: str) -> None:
    encode = ENCODINGS[encoding]
    tree, refused = parse_document("at-limit.xml", LIMIT, data=encode(_nested(10, innermost)))
    assert tree is not None and refused == []
    tree, refused = parse_document("over-limit.xml", LIMIT, data=encode(_nested(11, innermost)))
    assert tree is None
    (finding,) = refused
    assert (finding.rule, finding.message) == ("too-deep", "elements nest 11+ levels deep, over the limit of 10; refused")


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_many_elements_within_the_limit_are_accepted(encoding: str) -> None:
    """Too many ``<`` to rule deep nesting out from the bytes: the tree is walked, and passes."""
    data = ENCODINGS[encoding](_nested(10, siblings=50))
    assert security._deepest_possible(data) > LIMIT.max_depth
    tree, refused = parse_document("wide.xml", LIMIT, data=data)
    assert tree is not None and refused == []


@pytest.mark.parametrize(("encoding", "as_bytes"), [
    ("utf-8", True), ("utf-8 declared", True), ("utf-8 bom", True),
    ("utf-16", False), ("utf-16 declared", False), ("latin-1 declared", False), ("whitespace first", False),
])
def test_bytes_stand_for_characters_only_in_utf8(encoding: str, as_bytes: bool) -> None:
    data = ENCODINGS[encoding]("<a>é</a>")
    tree, _ = parse_document("x.xml", data=data)
    assert security._read_as_bytes(data, tree) is as_bytes


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be", "utf-32-le"])
def test_utf16_without_bom_is_not_taken_for_utf8(codec: str) -> None:
    """libxml2 detects these from the first bytes, and docinfo still says UTF-8."""
    data = '<?xml version="1.0"?><a/>'.encode(codec)
    tree, refused = parse_document("x.xml", data=data)
    assert tree is not None, refused
    assert not security._read_as_bytes(data, tree)


@settings(max_examples=200, deadline=None)
@given(st.recursive(st.just("<e/>") | st.just("<e>t</e>") | st.just("<!--c-->") | st.just("<?p x?>"),
                    lambda kids: st.lists(kids, min_size=1, max_size=4).map(lambda xs: "<e>" + "".join(xs) + "</e>"),
                    max_leaves=40).filter(lambda text: text.startswith("<e")))
def test_deepest_possible_bounds_the_real_depth(text: str) -> None:
    data = text.encode()
    root = etree.fromstring(data)
    assert security._max_depth(root, 10_000) <= security._deepest_possible(data)


def test_each_thread_parses_with_its_own_parser() -> None:
    data = _nested(5).encode()
    parsers: list[etree.XMLParser] = []
    results: list[bool] = []

    def work() -> None:
        for _ in range(50):
            tree, refused = parse_document("t.xml", data=data)
            results.append(tree is not None and not refused)
        parsers.append(security._PARSER.get())

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [True] * 200
    assert len({id(p) for p in parsers}) == 4


def _fresh_parser_in_child(_: int) -> bool:
    inherited = security._PARSER.parser  # the parent's, copied by fork
    return security._PARSER.get() is not inherited and security._PARSER.generation == security.Process.generation


def test_a_forked_worker_makes_its_own_parser() -> None:
    parent = security._PARSER.get()
    with multiprocessing.get_context("fork").Pool(1) as pool:
        assert pool.map(_fresh_parser_in_child, [0]) == [True]
    assert security._PARSER.get() is parent


def test_the_resolver_holds_the_requests_of_the_latest_parse_only() -> None:
    parse_document("a.xml", data=b"<a/>")
    security._PARSER.resolver.requests.append("left over")
    parse_document("b.xml", data=b"<b/>")
    assert security._PARSER.resolver.requests == []
