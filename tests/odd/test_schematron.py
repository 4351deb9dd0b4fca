"""Schematron extracted by our compiler against TEI's reference .isosch files.

Static: the same rules — (context, tests) normalised, abstract patterns instantiated —
for every exemplar and every odd-tests case.  Compared as sets: TEI's processor sometimes
emits one constraint twice (e.g. att.pointing's targetLang when the class is changed),
which finds nothing more.
Run: our Schematron and TEI's .isosch (tei_all, tei_lite, tei_ms, tei_drama), both
compiled to XSLT 3.0 by ``corresptei.validate.schematron`` (saxonche), report the same
problems (file, line, column, severity) on the whole corpus.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from lxml import etree

from corresptei.validate.schematron import compile_schematron

from .test_exemplars import EXEMPLARS, LENIENT
from .test_odd_tests import CASES
from .test_odd_tests import LENIENT as LENIENT_CASES

SCH = "{http://purl.oclc.org/dsdl/schematron}"


def _norm(text: str | None) -> str:
    return " ".join((text or "").split())


def rules(schema: etree._Element) -> set[tuple[str, tuple[str, ...]]]:
    """(context, sorted tests) of every concrete rule, abstract patterns instantiated."""
    abstract = {p.get("id"): p for p in schema.iter(f"{SCH}pattern") if p.get("abstract") == "true"}
    found = set()
    for pattern in schema.iter(f"{SCH}pattern"):
        if pattern.get("abstract") == "true":
            continue
        params = {p.get("name"): p.get("value") for p in pattern.iter(f"{SCH}param")}
        source = abstract.get(pattern.get("is-a")) if pattern.get("is-a") else pattern
        if source is None:
            continue

        for rule in source.iter(f"{SCH}rule"):
            tests = (_sub(a.get("test"), params) for a in rule if a.tag in (f"{SCH}assert", f"{SCH}report"))
            found.add((_sub(rule.get("context"), params), tuple(sorted(tests))))
    return found


def _sub(text: str | None, params: dict[str, str]) -> str:
    """``text`` with abstract-pattern parameters ($name) replaced, whitespace normalised."""
    for name in sorted(params, key=len, reverse=True):
        text = re.sub(r"\$" + re.escape(name) + r"\b", params[name], text or "")
    return _norm(text)


@pytest.mark.parametrize("name", EXEMPLARS)
def test_exemplar_rules_match_reference(name, shared, compile_cached):
    compiled, _ = compile_cached(shared / "tei" / "reference" / f"{name}.odd", strict=name not in LENIENT)
    reference = rules(etree.parse(str(shared / "tei" / "reference" / f"{name}.isosch")).getroot())
    assert reference
    assert rules(compiled.schematron.getroot()) == reference


@pytest.mark.parametrize("name", CASES)
def test_odd_test_rules_match_reference(name, shared, compile_cached):
    folder = shared / "tei" / "odd-tests" / name
    compiled, _ = compile_cached(next(folder.glob("*.odd")), strict=name not in LENIENT_CASES)
    reference = rules(etree.parse(str(folder / "reference.isosch")).getroot())
    assert rules(compiled.schematron.getroot()) == reference


def test_tei_all_rule_count(shared, compile_cached):
    compiled, _ = compile_cached(shared / "tei" / "reference" / "tei_all.odd")
    assert len(rules(compiled.schematron.getroot())) == 158


def _problems(schematron: etree._ElementTree | Path, corpus: list[Path]) -> Counter:
    validator = compile_schematron(schematron)
    found: Counter = Counter()
    for doc in corpus:
        for finding in validator.validate(str(doc)):
            found[(Path(finding.file).name, finding.line, finding.column, str(finding.severity))] += 1
    return found


@pytest.mark.parametrize("name", ["tei_all", "tei_lite", "tei_ms", "tei_drama"])
def test_same_problems_found_on_the_corpus(name, shared, corpus, compile_cached):
    compiled, _ = compile_cached(shared / "tei" / "reference" / f"{name}.odd")
    ours = _problems(compiled.schematron, corpus)
    reference = _problems(shared / "tei" / "reference" / f"{name}.isosch", corpus)
    assert sum(reference.values()) > 0
    assert ours == reference
