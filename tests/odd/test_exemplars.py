"""Differential test: TEI's exemplar customisations compiled by us and by TEI's processor.

For every exemplar, our RELAX NG must give the reference verdict on every document of the
corpus (TEI's samples, the project's letters, and their mutants).  The reference verdict is
Jing's on TEI's reference .rng (``-i``, as TEI's own verdicts are made).  Our schema is
checked with both engines: under Jing, errors must even be reported at the same places
(line, column) as with the reference schema; under lxml (libxml2), the verdicts must match.  The reference .rng files are not
compiled with lxml: libxml2 needs minutes for some of them (tei_corpus, tei_ms), where
it compiles ours in about a second.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .oracles import jing_result, lxml_verdicts, start_jing

EXEMPLARS = [
    "tei_bare",
    "tei_minimal",
    "tei_lite",
    "tei_simplePrint",
    "tei_drama",
    "tei_speech",
    "tei_corpus",
    "tei_ms",
    "tei_all",
]

#: Exemplars that name components which do not exist: compiled with strict=False, and
#: the strict failure is itself checked below.
LENIENT = {"tei_simplePrint": "specGrpRef points to '#simplechanges', which is no specGrp"}


def _odd(shared: Path, name: str) -> Path:
    return shared / "tei" / "reference" / f"{name}.odd"


def _disagreements(ours: dict[Path, bool], reference: dict[Path, bool]) -> list[str]:
    return [f"{p.name}: ours {'valid' if ours[p] else 'invalid'}" for p in reference if ours[p] != reference[p]]


@pytest.fixture(scope="module")
def reference_errors(corpus, shared):
    """Where Jing finds errors in each corpus document with TEI's reference schema."""
    cache: dict[str, dict[Path, tuple]] = {}

    def get(name: str) -> dict[Path, tuple]:
        if name not in cache:
            rng = shared / "tei" / "reference" / f"{name}.rng"
            cache[name] = jing_result(start_jing(rng, corpus), rng, corpus)
        return cache[name]

    return get


@pytest.mark.parametrize("name", EXEMPLARS)
def test_jing_finds_the_same_errors(name, shared, corpus, compile_cached, reference_errors):
    _, rng = compile_cached(_odd(shared, name), strict=name not in LENIENT)
    ours = start_jing(rng, corpus)  # runs beside the reference's JVM
    reference = reference_errors(name)
    if name not in ("tei_bare", "tei_minimal"):  # these two accept none of TEI's samples
        assert any(not e for e in reference.values()) and not all(not e for e in reference.values())
    found = jing_result(ours, rng, corpus)
    assert [f"{p.name}: ours {found[p]}, reference {reference[p]}" for p in corpus if found[p] != reference[p]] == []


@pytest.mark.parametrize("name", EXEMPLARS)
def test_lxml_verdicts_match_reference(name, shared, corpus, compile_cached, lxml_schema, reference_errors):
    compiled, _ = compile_cached(_odd(shared, name), strict=name not in LENIENT)
    ours = lxml_verdicts(lxml_schema(compiled), corpus)
    reference = {p: not e for p, e in reference_errors(name).items()}
    assert _disagreements(ours, reference) == []


@pytest.mark.parametrize("name", sorted(LENIENT))
def test_strict_mode_reports_the_dangling_reference(name, shared, tei_source):
    from corresptei.errors import OddCompileError
    from corresptei.odd import compile_odd

    with pytest.raises(OddCompileError, match=LENIENT[name]) as info:
        compile_odd(_odd(shared, name), tei_source=tei_source)
    assert info.value.line is not None


@pytest.mark.parametrize("name", EXEMPLARS)
def test_simplified_grammar_gives_the_reference_verdicts(name, shared, corpus, compile_cached,
                                                         reference_errors, monkeypatch):
    """The validator checks documents against a simplified copy of the grammar
    (corresptei.validate.rngsimplify); it must accept exactly what the reference accepts.
    (Grammars slow to compile, like tei_all, are used as written by default: the copy is
    forced here.)"""
    from lxml import etree

    from corresptei.validate import relaxng
    from corresptei.validate.relaxng import RelaxNGValidator

    monkeypatch.setattr(relaxng, "SIMPLIFY_BELOW_S", float("inf"))
    _, rng = compile_cached(_odd(shared, name), strict=name not in LENIENT)
    validator = RelaxNGValidator(rng)
    assert validator.simplified
    ours = {p: validator.accepts(etree.parse(str(p))) for p in corpus}
    reference = {p: not e for p, e in reference_errors(name).items()}
    assert _disagreements(ours, reference) == []
