"""`corresptei build` and `corresptei render`: incremental builds and the CLI."""

from __future__ import annotations

import re

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from corresptei.cli import main
from corresptei.render import api, build
from corresptei.render.stages import STAGES, engine

from .helpers import FIXTURES

QUICK = ("html", "text", "cmif")  # PDF is typeset once per session elsewhere


@pytest.fixture
def tei(tmp_path: Path) -> Path:
    """A private copy of the fixture letters."""
    return Path(shutil.copytree(FIXTURES, tmp_path / "tei"))


def names(paths) -> set[str]:
    return {Path(p).name for p in paths}


def test_second_build_redoes_nothing(tei: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = build([tei], out, formats=QUICK)
    assert first.written and not first.skipped
    second = build([tei], out, formats=QUICK)
    assert second.written == [] and names(second.skipped) == names(first.written)
    manifest = json.loads((out / ".corresptei-build.json").read_text())
    assert manifest["version"] == 1 and len(manifest["targets"]) == len(first.written)


def test_a_changed_letter_redoes_that_letter_and_the_corpus_outputs(tei: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build([tei], out, formats=QUICK)
    letter = tei / "1931-09-03_kaganovich-stalin_a.xml"
    letter.write_text(letter.read_text().replace("To be continued.", "To be continued!"))
    again = build([tei], out, formats=QUICK)
    assert names(again.written) == {
        "1931-09-03_kaganovich-stalin_a.html", "1931-09-03_kaganovich-stalin_a.txt",
        "index.html", "persons.html", "archives.html", "corpus.txt", "cmif.xml"}
    assert "To be continued!" in (out / "text" / "1931-09-03_kaganovich-stalin_a.txt").read_text()


def test_a_changed_stylesheet_redoes_what_it_affects(tei: Path, tmp_path: Path, monkeypatch) -> None:
    out = tmp_path / "out"
    build([tei], out, formats=QUICK)
    real = api.stage_digest
    monkeypatch.setattr(api, "stage_digest", lambda name: real(name) + ("changed" if name == "text" else ""))
    again = build([tei], out, formats=QUICK)
    assert names(again.written) == {p.name for p in (out / "text").glob("*.txt")}


def test_a_removed_letter_loses_its_outputs(tei: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build([tei], out, formats=QUICK)
    gone = "1931-09-07_stalin-kaganovich.xml"
    (tei / gone).unlink()
    for other in tei.glob("*.xml"):  # the corpus stays consistent: no prev/next to the removed letter
        text = other.read_text(encoding="utf-8")
        other.write_text(re.sub(rf'\s*<ref type="(?:prev|next)" target="{re.escape(gone)}">[^<]*</ref>', "", text),
                         encoding="utf-8")
    again = build([tei], out, formats=QUICK)
    assert names(again.removed) == {"1931-09-07_stalin-kaganovich.html", "1931-09-07_stalin-kaganovich.txt"}
    assert not (out / "html" / "1931-09-07_stalin-kaganovich.html").exists()


def test_stages_compile_once_per_process() -> None:
    eng = engine()
    assert eng is engine()
    for name in STAGES:
        assert eng.compiled(name) is eng.compiled(name)


def test_cli_build_and_render(tei: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "out"
    result = runner.invoke(main, ["build", str(tei), "--out", str(out), "--format", "text",
                                  "--format", "cmif"])
    assert result.exit_code == 0, result.output
    assert (out / "text" / "corpus.txt").is_file() and (out / "cmif" / "cmif.xml").is_file()
    assert "files written" in result.output
    again = runner.invoke(main, ["build", str(tei), "--out", str(out), "--format", "text",
                                 "--format", "cmif"])
    assert again.exit_code == 0 and "0 files written" in again.output
    single = runner.invoke(main, ["render", "--to", "html",
                                  str(tei / "1931-09-01_stalin-kaganovich.xml"),
                                  "--out", str(tmp_path / "one")])
    assert single.exit_code == 0, single.output
    assert (tmp_path / "one" / "1931-09-01_stalin-kaganovich.html").is_file()
    assert (tmp_path / "one" / "index.html").is_file()


def test_cli_errors_exit_2_with_a_message(tmp_path: Path) -> None:
    runner = CliRunner()
    missing = runner.invoke(main, ["render", "--to", "text", str(tmp_path / "nope.xml"),
                                   "--out", str(tmp_path / "o")])
    assert missing.exit_code == 2 and "nope.xml" in missing.output
    bad = tmp_path / "bad.xml"
    bad.write_text("<TEI")
    broken = runner.invoke(main, ["render", "--to", "text", str(bad), "--out", str(tmp_path / "o")])
    assert broken.exit_code == 2 and "not well-formed" in broken.output
    other = tmp_path / "other.xml"
    other.write_text("<html/>")
    wrong = runner.invoke(main, ["render", "--to", "text", str(other), "--out", str(tmp_path / "o")])
    assert wrong.exit_code == 2 and "not a TEI document" in wrong.output
    usage = runner.invoke(main, ["render", "--to", "docx", "--out", str(tmp_path / "o")])
    assert usage.exit_code == 2


@pytest.mark.parametrize("command", ["render", "build"])
def test_commands_document_an_example(command: str) -> None:
    result = CliRunner().invoke(main, [command, "--help"])
    assert result.exit_code == 0
    assert "Example:" in result.output and f"corresptei {command}" in result.output
