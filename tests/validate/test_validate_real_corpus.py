"""The converter's real corpus (tei/ on main) against the corpus checks and the ODD's own Schematron.

The project's compiled schema (schema/corresptei.rng/.sch) is built by the ODD
compiler; until it exists, the Schematron embedded in schema/corresptei.odd is
compiled directly by our Schematron compiler.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from corresptei.validate.corpus import check_corpus, extract
from corresptei.validate.schematron import compile_schematron
from corresptei.validate.security import parse_document

REPO = Path(__file__).resolve().parents[2]
TEI_DIR = REPO / "tei"
ODD = REPO / "schema" / "corresptei.odd"


@pytest.fixture(scope="module")
def letters() -> list[Path]:
    files = sorted(TEI_DIR.glob("*.xml"))
    assert len(files) > 10, "tei/ should hold the encoded corpus"
    return files


def test_real_corpus_passes_the_corpus_checks(letters: list[Path]) -> None:
    records = []
    for f in letters:
        tree, refused = parse_document(f)
        assert tree is not None, refused
        records.append(extract(tree, str(f)))
    assert [str(x) for x in check_corpus(records)] == []
    chained = [r for r in records if r.prev or r.next]
    assert len(chained) > len(letters) // 2  # the checks saw real prev/next chains


def test_real_corpus_passes_the_odd_schematron(letters: list[Path]) -> None:
    sch = compile_schematron(ODD)
    assert {c.id for c in sch.checks} >= {"one-sent-action", "shelfmark-parts"}
    found = [str(x) for f in letters for x in sch.validate(f)]
    assert found == []
