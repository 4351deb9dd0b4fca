"""Output formats, each checked by its consumer's rules: JUnit XML structure, the SARIF schema, JSON, GitHub commands."""

from __future__ import annotations

import json

import jsonschema
import pytest
from lxml import etree

from corresptei.validate import iter_errors
from corresptei.validate.findings import Engine, Finding, Severity
from corresptei.validate.formats import render

from .conftest import CASES, HERE, schema_set

FILES = ["cases/a.xml", "cases/b.xml", "cases/ok.xml"]
FINDINGS = [
    Finding("cases/a.xml", 6, 3, Engine.RNG, Severity.ERROR, "element-not-allowed",
            "<p> is not allowed in <titleStmt> as the first child; expected <title>", "/TEI/teiHeader[1]"),
    Finding("cases/a.xml", 9, 0, Engine.SCH, Severity.WARNING, "note-unplaced", "note 1, could: not be placed\n100%"),
    Finding("cases/b.xml", 0, 0, Engine.CORPUS, Severity.INFO, "duplicate-letter", "same text as a.xml"),
]


@pytest.fixture(scope="module")
def real_findings() -> tuple[list[Finding], list[str]]:
    files: list[str] = []
    paths = [CASES / n for n in ("rng-missing-title.xml", "sch-unplaced-note.xml", "sch-conjectural-date.xml",
                                 "valid-letter.xml")]
    found = sorted(iter_errors(paths, schema_set("letter"), jobs=1, cache=False, files_out=files),
                   key=Finding.sort_key)
    return found, files


def test_text_lines_and_summary() -> None:
    out = render("text", FINDINGS, FILES).splitlines()
    assert out[0] == ("cases/a.xml:6:3: error: <p> is not allowed in <titleStmt> as the first child; "
                      "expected <title> [rng:element-not-allowed]")
    assert out[-1] == "1 error, 1 warning, 1 info in 2 of 3 files"
    assert render("text", [], FILES).strip() == "3 files valid"


def test_json_round_trips_the_records() -> None:
    doc = json.loads(render("json", FINDINGS, FILES))
    assert doc["files"] == 3
    assert doc["summary"] == {"error": 1, "warning": 1, "info": 1}
    assert doc["findings"][0] == {
        "file": "cases/a.xml", "line": 6, "column": 3, "engine": "rng", "severity": "error",
        "rule": "element-not-allowed", "message": FINDINGS[0].message, "xpath": "/TEI/teiHeader[1]",
    }


def _check_junit(text: str, files: list[str], failing: set[str]) -> None:
    root = etree.fromstring(text.encode())
    assert root.tag == "testsuites"
    suites = root.findall("testsuite")
    assert len(suites) == 1
    cases = suites[0].findall("testcase")
    assert [c.get("name") for c in cases] == files
    for c in cases:
        assert c.get("classname")
        fails = c.findall("failure")
        assert len(fails) == (1 if c.get("name") in failing else 0)
        for f in fails:
            assert f.get("message") and f.get("type") and f.text
    assert int(suites[0].get("tests")) == len(files) == int(root.get("tests"))
    assert int(suites[0].get("failures")) == len(failing)


def test_junit_structure() -> None:
    _check_junit(render("junit", FINDINGS, FILES), FILES, {"cases/a.xml"})


def test_junit_structure_from_a_real_run(real_findings) -> None:
    findings, files = real_findings
    failing = {f.file for f in findings if f.severity is Severity.ERROR}
    assert failing  # rng-missing-title fails
    _check_junit(render("junit", findings, files), files, failing)


@pytest.fixture(scope="module")
def sarif_schema() -> dict:
    return json.loads((HERE / "sarif-2.1.0-subset.schema.json").read_text())


@pytest.mark.parametrize("which", ["synthetic", "real", "empty"])
def test_sarif_validates_against_the_schema(which: str, sarif_schema: dict, real_findings) -> None:
    findings, files = {"synthetic": (FINDINGS, FILES), "real": real_findings, "empty": ([], FILES)}[which]
    doc = json.loads(render("sarif", findings, files))
    jsonschema.validate(doc, sarif_schema, format_checker=jsonschema.FormatChecker())
    results = doc["runs"][0]["results"]
    assert len(results) == len(findings)
    rules = doc["runs"][0]["tool"]["driver"]["rules"]
    for r in results:
        assert rules[r["ruleIndex"]]["id"] == r["ruleId"]


def test_sarif_schema_is_strict_enough(sarif_schema: dict) -> None:
    """The embedded schema really rejects what SARIF forbids (a guard against a toothless schema)."""
    doc = json.loads(render("sarif", FINDINGS, FILES))
    doc["runs"][0]["results"][0]["level"] = "fatal"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(doc, sarif_schema)
    doc = json.loads(render("sarif", FINDINGS, FILES))
    doc["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] = 0
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(doc, sarif_schema)


def test_github_annotations_escape_their_data() -> None:
    lines = render("github", FINDINGS, FILES).splitlines()
    assert lines[0] == ("::error file=cases/a.xml,line=6,col=3,title=rng%3Aelement-not-allowed::"
                        "<p> is not allowed in <titleStmt> as the first child; expected <title>")
    assert lines[1] == "::warning file=cases/a.xml,line=9,title=sch%3Anote-unplaced::note 1, could: not be placed%0A100%25"
    assert lines[2].startswith("::notice file=cases/b.xml,title=corpus%3Aduplicate-letter::")
