"""One small bad ODD per failure mode (tests/odd/bad/), each with its expected message and
line in MANIFEST.tsv: the compiler must raise OddCompileError naming file and line."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from click.testing import CliRunner

from corresptei.cli import main
from corresptei.errors import OddCompileError
from corresptei.odd import compile_odd

BAD = Path(__file__).parent / "bad"


def _manifest() -> list[dict[str, str]]:
    with open(BAD / "MANIFEST.tsv", newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


def test_every_bad_odd_is_in_the_manifest():
    assert sorted(r["file"] for r in _manifest()) == sorted(p.name for p in BAD.glob("*.odd"))


@pytest.mark.parametrize("case", _manifest(), ids=lambda r: r["file"])
def test_bad_odd_is_reported_with_its_line(case, tei_source):
    path = BAD / case["file"]
    with pytest.raises(OddCompileError) as info:
        compile_odd(path, tei_source=tei_source)
    error = info.value
    assert case["message"] in error.message
    assert error.path == str(path)
    assert error.line == (int(case["line"]) if case["line"] else None)
    where = f"{path}:{case['line']}: " if case["line"] else f"{path}: "
    assert str(error).startswith(where)


@pytest.mark.parametrize("case", _manifest()[:3], ids=lambda r: r["file"])
def test_cli_exits_1_on_a_bad_odd(case, tei_source, tmp_path):
    result = CliRunner().invoke(
        main, ["schema", "build", str(BAD / case["file"]), "--out", str(tmp_path), "--tei-source", str(tei_source)]
    )
    assert result.exit_code == 1
    assert case["message"] in result.output
    assert list(tmp_path.iterdir()) == []


def test_lenient_mode_turns_references_to_nothing_into_warnings(tei_source):
    compiled = compile_odd(BAD / "classref-to-nothing.odd", tei_source=tei_source, strict=False)
    assert any("model.nonesuch" in w for w in compiled.warnings)
    assert not any(r.get("name") == "model.nonesuch" for r in compiled.rng.iter("{*}ref"))
