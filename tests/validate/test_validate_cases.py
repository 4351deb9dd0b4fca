"""The manifest (cases.tsv) is the specification: each case yields exactly its findings."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from corresptei.validate import iter_errors
from corresptei.validate.findings import Engine, Severity

from .conftest import CASES, HERE, schema_set


def _rows() -> list[dict[str, str]]:
    with open(HERE / "cases.tsv", encoding="utf-8") as fh:
        lines = [line for line in fh if not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t"))


ROWS = _rows()


def _expected(text: str) -> list[tuple[int, str, str]]:
    if text.strip() == "-":
        return []
    out = []
    for item in text.split(";"):
        line, rule, severity = item.split()
        out.append((int(line), rule, severity))
    return sorted(out)


def test_manifest_lists_every_case_file():
    """Every file/folder under cases/ is in the manifest (nothing untested lies around)."""
    listed = {row["case"] for row in ROWS}
    present = {p.name for p in CASES.iterdir()}
    assert present == listed


@pytest.mark.parametrize("row", ROWS, ids=[f"{r['case']}[{r['schemas']}]" for r in ROWS])
def test_case(row: dict[str, str]) -> None:
    path = CASES / row["case"]
    findings = list(iter_errors([path], schema_set(row["schemas"]), jobs=1, cache=False))
    got = sorted((f.line, f"{f.engine}:{f.rule}", str(f.severity)) for f in findings)
    assert got == _expected(row["expected"]), "\n".join(str(f) for f in findings)
    if row["message"] != "-":
        first = sorted(findings, key=lambda f: (f.line, str(f.engine), f.rule))[0]
        assert row["message"] in first.message
    for f in findings:  # every finding is a complete record
        assert isinstance(f.engine, Engine) and isinstance(f.severity, Severity)
        assert f.file and Path(f.file).name in str(path) or Path(f.file).parent.name == path.name
        assert f.message and f.rule
        assert str(f).startswith(f"{f.file}:{f.line}:{f.column}: {f.severity}: ")
        if f.engine in (Engine.RNG, Engine.SCH, Engine.XSD) and f.xpath.startswith("/TEI"):
            # located at an element: the column just after its start tag's ">" (as Jing)
            text = Path(f.file).read_text(encoding="utf-8").split("\n")[f.line - 1]
            assert f.column > 1 and text[f.column - 2] == ">", str(f)
