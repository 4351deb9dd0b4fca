"""``corresptei schema build|check``: exit codes 0 / 1 / 2, outputs, and documented examples."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from corresptei.cli import main
from corresptei.odd import STAGES


@pytest.fixture
def tei_lite(shared: Path) -> Path:
    return shared / "tei" / "reference" / "tei_lite.odd"


def run(*args: str):
    return CliRunner().invoke(main, list(args))


@pytest.mark.parametrize("command", [["schema"], ["schema", "build"], ["schema", "check"]])
def test_help_has_an_example(command):
    result = run(*command, "--help")
    assert result.exit_code == 0
    assert "Example:" in result.output and "corresptei schema" in result.output


def test_build_writes_rng_sch_html_and_intermediates(tei_lite, tei_source, tmp_path):
    keep = tmp_path / "stages"
    result = run("schema", "build", str(tei_lite), "--out", str(tmp_path / "out"),
                 "--tei-source", str(tei_source), "--keep-intermediate", str(keep))
    assert result.exit_code == 0, result.output
    names = {p.name for p in (tmp_path / "out").iterdir()}
    assert {"tei_lite.rng", "tei_lite.sch", "tei_lite.html"} <= names
    assert sorted(p.name for p in keep.iterdir()) == sorted(f for _, f in STAGES)
    assert "warning:" in result.output  # tei_lite deletes @calendar, which TEI 4.10 no longer has


def test_check_passes_on_fresh_files_and_fails_on_stale_ones(tei_lite, tei_source, tmp_path):
    out = tmp_path / "out"
    assert run("schema", "build", str(tei_lite), "--out", str(out), "--tei-source", str(tei_source)).exit_code == 0
    result = run("schema", "check", str(tei_lite), "--out", str(out), "--tei-source", str(tei_source))
    assert result.exit_code == 0, result.output
    (out / "tei_lite.sch").write_text("stale", encoding="utf-8")
    result = run("schema", "check", str(tei_lite), "--out", str(out), "--tei-source", str(tei_source))
    assert result.exit_code == 1 and "tei_lite.sch: differs" in result.output
    result = run("schema", "build", str(tei_lite), "--out", str(out), "--tei-source", str(tei_source), "--check")
    assert result.exit_code == 1


def test_missing_default_odd_is_a_usage_error(tmp_path, monkeypatch, tei_source):
    monkeypatch.chdir(tmp_path)
    result = run("schema", "build", "--out", "out", "--tei-source", str(tei_source))
    assert result.exit_code == 2
    assert "schema/corresptei.odd" in result.output


def test_missing_tei_source_is_a_usage_error(tei_lite, tmp_path):
    result = run("schema", "build", str(tei_lite), "--out", str(tmp_path), "--tei-source", str(tmp_path / "none.xml"))
    assert result.exit_code == 2
    assert "does not exist" in result.output


def test_check_with_keep_intermediate_is_rejected(tei_lite, tmp_path):
    result = run("schema", "build", str(tei_lite), "--out", str(tmp_path), "--check", "--keep-intermediate", str(tmp_path))
    assert result.exit_code == 2


def test_project_odd_builds_and_validates_the_project_letters(repo, tei_source, tmp_path):
    odd = repo / "schema" / "corresptei.odd"
    assert odd.is_file()
    result = run("schema", "build", str(odd), "--out", str(tmp_path), "--tei-source", str(tei_source))
    assert result.exit_code == 0, result.output
    from lxml import etree

    rng = etree.RelaxNG(etree.parse(str(next(tmp_path.glob("*.rng")))))
    letters = sorted((repo / "tei").glob("*.xml"))
    assert letters
    assert [p.name for p in letters if not rng.validate(etree.parse(str(p)))] == []


def test_xsd_is_written_beside_the_rng(shared, tei_source, tmp_path):
    from corresptei.odd import compile_odd

    compiled = compile_odd(shared / "tei" / "reference" / "tei_bare.odd", tei_source=tei_source)
    written = {p.name for p in compiled.write(tmp_path)}
    assert {"tei_bare.rng", "tei_bare.sch", "tei_bare.html", "tei_bare.xsd"} <= written


def test_committed_project_schema_is_up_to_date(repo, tei_source):
    """CI rebuilds schema/ from corresptei.odd and fails when the committed files differ."""
    result = run("schema", "check", str(repo / "schema" / "corresptei.odd"), "--out", str(repo / "schema"),
                 "--tei-source", str(tei_source))
    assert result.exit_code == 0, result.output
