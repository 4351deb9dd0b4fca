"""Property tests: random content models and value lists, RELAX NG against the XSD.

Soundness: whatever RELAX NG accepts, the XSD accepts.  Exactness: when the converter
records no relaxation, both give the same verdict on every document.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as s
from lxml import etree

from ._xsd_tiny import doc, grammar, tiny

PROPERTY_SETTINGS = settings(
    max_examples=25, deadline=None, derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

LEAF = s.sampled_from(["a", "b", "c"]).map(lambda n: f'<ref name="{n}"/>')


def _wrap(tag: str):
    return lambda kids: f"<{tag}>{''.join(kids)}</{tag}>"


PATTERN = s.recursive(
    LEAF,
    lambda inner: s.one_of(
        s.lists(inner, min_size=1, max_size=3).map(_wrap("group")),
        s.lists(inner, min_size=2, max_size=3).map(_wrap("choice")),
        s.lists(inner, min_size=1, max_size=1).map(_wrap("optional")),
        s.lists(inner, min_size=1, max_size=1).map(_wrap("zeroOrMore")),
        s.lists(inner, min_size=1, max_size=1).map(_wrap("oneOrMore")),
        s.lists(inner, min_size=2, max_size=2).map(_wrap("interleave")),
    ),
    max_leaves=5,
)
CHILDREN = s.lists(s.lists(s.sampled_from("abc"), max_size=5), min_size=4, max_size=4)
LEAVES = "".join(f'<define name="{n}"><element name="{n}"><empty/></element></define>'
                 for n in "abc")


@PROPERTY_SETTINGS
@given(pattern=PATTERN, instances=CHILDREN)
def test_content_models_are_sound_and_exact_unless_relaxed(
    pattern: str, instances: list[list[str]]
) -> None:
    body = f'<start><element name="r">{pattern}</element></start>{LEAVES}'
    try:
        etree.RelaxNG(etree.fromstring(grammar(body)))
    except etree.RelaxNGParseError:
        assume(False)  # not a correct RELAX NG schema (e.g. a interleaved with a)
    with tempfile.TemporaryDirectory() as tmp:
        t = tiny(Path(tmp), body)
        for names in instances:
            rng, lxml_xsd, xs = t.verdicts(doc("".join(f"<{n}/>" for n in names)))
            assert lxml_xsd == xs, (pattern, names)
            if rng:
                assert lxml_xsd, (pattern, names)
            if not t.result.relaxations:
                assert lxml_xsd == rng, (pattern, names)


VALUE = s.text(alphabet="ab -", min_size=0, max_size=4)


@PROPERTY_SETTINGS
@given(
    values=s.lists(VALUE, min_size=1, max_size=4, unique=True),
    vtype=s.sampled_from(["", ' type="string"', ' type="token"']),
    candidates=s.lists(VALUE, min_size=3, max_size=3),
)
def test_value_choices_are_exact(values: list[str], vtype: str, candidates: list[str]) -> None:
    choices = "".join(
        f'<value datatypeLibrary=""{vtype}>{v}</value>' for v in values
    )
    with tempfile.TemporaryDirectory() as tmp:
        t = tiny(Path(tmp), f'<start><element name="r"><attribute name="v"><choice>{choices}'
                            '</choice></attribute></element></start>')
        assert t.result.relaxations == []
        for cand in candidates + values:
            rng, lxml_xsd, xs = t.verdicts(doc("", attrs=f'v="{cand}"'))
            assert rng == lxml_xsd == xs, (values, vtype, cand)


@PROPERTY_SETTINGS
@given(
    lo=s.integers(min_value=0, max_value=3),
    extra=s.integers(min_value=0, max_value=2),
    counts=s.lists(s.integers(min_value=0, max_value=6), min_size=3, max_size=3),
)
def test_lists_with_counted_tokens_are_exact(lo: int, extra: int, counts: list[int]) -> None:
    assume(lo + extra > 0)  # an empty <list> is not RELAX NG
    item = '<data type="integer"/>'
    body = item * lo + f"<optional>{item}</optional>" * extra
    with tempfile.TemporaryDirectory() as tmp:
        t = tiny(Path(tmp), f'<start><element name="r"><attribute name="l"><list>{body}'
                            '</list></attribute></element></start>')
        assert t.result.relaxations == []
        for n in counts:
            rng, lxml_xsd, xs = t.verdicts(doc("", attrs=f'l="{" ".join(["7"] * n)}"'))
            assert rng == lxml_xsd == xs, (lo, extra, n)
