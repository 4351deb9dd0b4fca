"""Safe to re-run: byte-identical output, hand edits protected, --check, atomic writes."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from corresptei.cli import main
from corresptei.encode.writer import edit_state

SEEDS = sorted(str(p) for p in (Path(__file__).parents[2] / "seeds").glob("*.txt"))


def run(*args):
    return CliRunner().invoke(main, list(args))


@pytest.fixture()
def out(tmp_path):
    d = tmp_path / "tei"
    r = run("encode", *SEEDS, "--out", str(d), "-q")
    assert r.exit_code == 0, r.stderr
    return d


def snapshot(d: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(d.iterdir())}


def test_two_runs_are_byte_identical(out, tmp_path):
    other = tmp_path / "again"
    assert run("encode", *SEEDS, "--out", str(other), "-q").exit_code == 0
    assert snapshot(out) == snapshot(other)
    assert len(snapshot(out)) == 49


def test_rerun_changes_nothing(out):
    before = {p.name: p.stat().st_mtime_ns for p in out.iterdir()}
    r = run("encode", *SEEDS, "--out", str(out), "-q")
    assert r.exit_code == 0 and "wrote 0, unchanged 49" in r.stderr
    assert before == {p.name: p.stat().st_mtime_ns for p in out.iterdir()}


def test_hand_edit_is_never_overwritten_without_force(out):
    f = out / "1931-09-01_stalin-kaganovich.xml"
    edited = f.read_bytes().replace(b"Handwritten text.</p>", b"Handwritten text (checked).</p>")
    f.write_bytes(edited)
    assert edit_state(edited) == "edited"
    r = run("encode", *SEEDS, "--out", str(out), "-q")
    assert r.exit_code == 2
    assert "edited by hand since it was generated" in r.stderr and f.name in r.stderr
    assert f.read_bytes() == edited
    r = run("encode", *SEEDS, "--out", str(out), "-q", "--force")
    assert r.exit_code == 0
    assert edit_state(f.read_bytes()) == "generated"


def test_all_or_nothing_while_a_hand_edit_is_in_the_way(out):
    missing = out / "1931-09-30_stalin-kaganovich.xml"
    missing.unlink()
    f = out / "1931-09-01_stalin-kaganovich.xml"
    f.write_bytes(f.read_bytes().replace(b"Handwritten text.</p>", b"Handwritten text (checked).</p>"))
    r = run("encode", *SEEDS, "--out", str(out), "-q")
    assert r.exit_code == 2 and f.name in r.stderr
    assert not missing.exists()  # the files that could be written were not either
    assert not [p for p in out.iterdir() if p.name.startswith(".")]  # nor left staged


def test_check_writes_nothing_and_reports_out_of_date(out):
    victim = out / "1931-09-30_stalin-kaganovich.xml"
    victim.unlink()
    r = run("encode", *SEEDS, "--out", str(out), "--check", "-q")
    assert r.exit_code == 1 and "out of date (1 to write" in r.stderr
    assert not victim.exists()
    assert run("encode", *SEEDS, "--out", str(out), "-q").exit_code == 0
    assert run("encode", *SEEDS, "--out", str(out), "--check", "-q").exit_code == 0


def test_stale_generated_files_are_removed_but_foreign_files_kept(out):
    (out / "1931-12-31_nobody-nobody.xml").write_bytes((out / "1931-09-01_stalin-kaganovich.xml").read_bytes())
    (out / "notes-by-hand.xml").write_text("<notes/>")
    r = run("encode", *SEEDS, "--out", str(out), "-q")
    assert r.exit_code == 0 and "removed 1" in r.stderr
    assert not (out / "1931-12-31_nobody-nobody.xml").exists()
    assert (out / "notes-by-hand.xml").exists()


def test_no_temporary_files_are_left(out):
    assert not [p for p in out.iterdir() if p.name.startswith(".")]


@pytest.mark.parametrize("args", [
    ["encode", "--out", "x"],                       # no input
    ["encode", "seeds/x.txt"],                      # no --out
    ["encode", "a.txt", "--out", "x", "--check", "--force"],  # conflicting options
    ["encode", "--no-such-option"],
])
def test_usage_errors_exit_2(args):
    r = run(*args)
    assert r.exit_code == 2


def test_missing_input_file_is_reported_not_raised(tmp_path):
    r = run("encode", str(tmp_path / "missing.txt"), "--out", str(tmp_path / "o"), "-q")
    assert r.exit_code == 1
    assert "missing.txt:1: error: cannot read" in r.stderr
