"""Differential test on TEI's own ODD test suite (shared/tei/odd-tests).

Each case is compiled by us; on its instance documents our RELAX NG must give the verdict
TEI's reference schema got (VERDICTS.tsv, by Jing ``-i``), under Jing and under lxml; on
mutants of those instances, the verdict Jing gives with the case's reference.rng.  (Error
places are not compared here: TEI's processor turns minOccurs="0" maxOccurs="3" into up to
four occurrences — see testPure1's bibl/publisher — where we allow three.)  Cases
without instances must still compile to a grammar that lxml and Jing both load.
"""

from __future__ import annotations

import csv
import subprocess
from pathlib import Path

import pytest
from lxml import etree

from .mutants import write_mutants
from .oracles import JING_JAR, jing_verdicts, lxml_verdicts

CASES = [
    "test", "test-pure", "test21", "test30", "testAlien", "testClass", "testPure1", "testall",
    "testbasic", "testdocbook1", "testdocbook2", "testfand2", "testfand3", "testi18n",
    "testjustfs", "testmixedup", "testspoken",
]

#: Legacy ODDs naming components TEI P5 4.10 no longer has: compiled with strict=False.
LENIENT = {
    "test21": "memberOf key='att.certLike' refers to nothing",
    "testi18n": "elementSpec 'timeRange' mode='delete': there is no 'timeRange' to delete",
    "testmixedup": "memberOf key='model.encodingPart' refers to nothing",
}


def _case(shared: Path, name: str) -> tuple[Path, list[Path]]:
    folder = shared / "tei" / "odd-tests" / name
    odd = next(folder.glob("*.odd"))
    instances = sorted(p for p in folder.glob("*.xml"))
    return odd, instances


def _verdicts(shared: Path) -> dict[tuple[str, str], bool]:
    with open(shared / "tei" / "odd-tests" / "VERDICTS.tsv", newline="", encoding="utf-8") as fh:
        return {(r["case"], r["instance"]): r["reference_verdict"] == "valid" for r in csv.DictReader(fh, delimiter="\t")}


@pytest.mark.parametrize("name", CASES)
def test_case_compiles_and_loads(name, shared, compile_cached, lxml_schema):
    odd, _ = _case(shared, name)
    compiled, rng = compile_cached(odd, strict=name not in LENIENT)
    assert isinstance(lxml_schema(compiled), etree.RelaxNG)
    result = subprocess.run(["java", "-jar", str(JING_JAR), "-i", str(rng)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("name", sorted(LENIENT))
def test_legacy_case_fails_in_strict_mode(name, shared, tei_source):
    from corresptei.errors import OddCompileError
    from corresptei.odd import compile_odd

    with pytest.raises(OddCompileError, match=LENIENT[name]):
        compile_odd(_case(shared, name)[0], tei_source=tei_source)


CASES_WITH_INSTANCES = [
    "test30", "testAlien", "testPure1", "testall", "testbasic", "testdocbook1", "testdocbook2",
    "testfand2", "testfand3", "testi18n", "testjustfs", "testmixedup", "testspoken",
]


@pytest.mark.parametrize("name", CASES_WITH_INSTANCES)
def test_instances_get_the_reference_verdict(name, shared, compile_cached, lxml_schema):
    odd, instances = _case(shared, name)
    assert instances
    compiled, rng = compile_cached(odd, strict=name not in LENIENT)
    expected = {doc: _verdicts(shared)[(name, doc.name)] for doc in instances}
    assert jing_verdicts(rng, instances) == expected
    assert lxml_verdicts(lxml_schema(compiled), instances) == expected


@pytest.mark.parametrize("name", CASES_WITH_INSTANCES)
def test_mutants_get_the_reference_verdict(name, shared, compile_cached, lxml_schema, tmp_path):
    odd, instances = _case(shared, name)
    mutants = write_mutants(instances, tmp_path)
    assert mutants
    compiled, rng = compile_cached(odd, strict=name not in LENIENT)
    reference_rng = odd.parent / "reference.rng"
    reference = jing_verdicts(reference_rng, mutants)
    assert jing_verdicts(rng, mutants) == reference
    assert lxml_verdicts(lxml_schema(compiled), mutants) == reference
