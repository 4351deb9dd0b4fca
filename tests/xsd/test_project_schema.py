"""The project's own XSD (schema/corresptei.xsd) agrees with its RELAX NG.

xmlschema loads the committed XSD; on every letter of tei/ and on mutants of
them (a required child removed, an element moved where it isn't allowed, a
value outside a closed list, an unknown attribute, wrong order) the XSD verdict
equals the RELAX NG verdict.  Every disagreement is listed here with its reason,
so a new one fails the suite.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import xmlschema
from lxml import etree

from ._xsd_mutants import closed_attributes, mutants

REPO = Path(__file__).resolve().parents[2]
SCHEMA = REPO / "schema"

#: mutant name -> (RELAX NG verdict, XSD verdict, why they differ); none so far.
KNOWN_DISAGREEMENTS: dict[str, tuple[str, str, str]] = {}


@pytest.fixture(scope="module")
def corpus() -> list[tuple[str, etree._ElementTree]]:
    closed = closed_attributes(str(SCHEMA / "corresptei.rng"))
    docs = []
    for path in sorted((REPO / "tei").glob("*.xml")):
        tree = etree.parse(str(path))
        docs.append((path.name, tree))
        docs.extend((m.name, m.tree) for m in mutants(path.name, tree, closed))
    return docs


@pytest.fixture(scope="module")
def xsd() -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(str(SCHEMA / "corresptei.xsd"))


def verdict(ok: bool) -> str:
    return "valid" if ok else "invalid"


def test_xmlschema_loads_the_project_xsd(xsd):
    assert xsd.elements["TEI"].name.endswith("TEI")


def test_the_letters_are_valid_against_the_xsd(xsd):
    bad = {p.name: str(e) for p in sorted((REPO / "tei").glob("*.xml"))
           for e in list(xsd.iter_errors(str(p)))[:1]}
    assert bad == {}


def test_xsd_agrees_with_relaxng_on_letters_and_mutants(corpus, xsd):
    rng = etree.RelaxNG(etree.parse(str(SCHEMA / "corresptei.rng")))
    lxml_xsd = etree.XMLSchema(etree.parse(str(SCHEMA / "corresptei.xsd")))
    disagreements = {}
    mutated = rejected = 0
    for name, tree in corpus:
        r = verdict(rng.validate(tree))
        x = verdict(xsd.is_valid(tree))
        assert verdict(lxml_xsd.validate(tree)) == x, name  # the two XSD validators agree
        if "~" in name:
            mutated += 1
            rejected += r == "invalid"
        if r != x:
            disagreements[name] = (r, x)
    assert {k: v for k, v in disagreements.items()} == {k: v[:2] for k, v in KNOWN_DISAGREEMENTS.items()}
    assert mutated >= 150 and rejected >= 100, (mutated, rejected)  # the mutants do reach the schema
