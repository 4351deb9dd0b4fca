"""``corresptei schema``: compile the project's ODD into RELAX NG, Schematron and HTML."""

from __future__ import annotations

from pathlib import Path

import click

from ..errors import OddCompileError
from ..odd import compile_odd
from .app import EXIT_FINDINGS, UsageFailure, echo_err, library_errors, main

DEFAULT_ODD = Path("schema") / "corresptei.odd"


@main.group()
def schema() -> None:
    """Build and check the schemas compiled from an ODD customisation.

    \b
    Example:
        corresptei schema build --out schema/
    """


def _odd_argument(odd: str | None) -> Path:
    path = Path(odd) if odd else DEFAULT_ODD
    if not path.is_file():
        hint = "" if odd else " (the default ODD; pass the ODD to compile as an argument)"
        raise UsageFailure(f"{path}: no such ODD file{hint}")
    return path


def _compile(odd: Path, tei_source: str | None, keep: str | None):
    try:
        return compile_odd(odd, tei_source=tei_source, keep_intermediate=keep)
    except OddCompileError as exc:
        echo_err(f"error: {exc}")
        raise SystemExit(EXIT_FINDINGS) from exc


_tei_source = click.option(
    "--tei-source",
    metavar="FILE|URL",
    help="TEI P5 p5subset.xml to compile against (default: $CORRESPTEI_TEI_SOURCE, else the pinned release).",
)


@schema.command("build")
@click.argument("odd", required=False, type=click.Path(dir_okay=False))
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False), help="Folder for the compiled files.")
@_tei_source
@click.option("--keep-intermediate", type=click.Path(file_okay=False), help="Also write every stage's output here.")
@click.option("--check", is_flag=True, help="Write nothing; exit 1 if the files in --out differ from a fresh build.")
@library_errors
def build(odd: str | None, out_dir: str, tei_source: str | None, keep_intermediate: str | None, check: bool) -> None:
    """Compile ODD (default schema/corresptei.odd) into <ident>.rng, .sch and .html.

    Exit status: 0 built, 1 the ODD has errors (or, with --check, the committed
    files are stale), 2 usage or I/O problem.

    \b
    Example:
        corresptei schema build schema/corresptei.odd --out schema/
        corresptei schema build --out schema/ --tei-source ../shared/tei/p5subset.xml
        corresptei schema build --out schema/ --check
    """
    if check and keep_intermediate:
        raise UsageFailure("--check writes nothing; it cannot be combined with --keep-intermediate")
    compiled = _compile(_odd_argument(odd), tei_source, keep_intermediate)
    for warning in compiled.warnings:
        echo_err(f"warning: {warning}")
    if check:
        _compare(compiled.outputs(), Path(out_dir))
        return
    for path in compiled.write(out_dir):
        click.echo(str(path))


@schema.command("check")
@click.argument("odd", required=False, type=click.Path(dir_okay=False))
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False), help="Folder with the committed compiled files.")
@_tei_source
@library_errors
def check(odd: str | None, out_dir: str, tei_source: str | None) -> None:
    """Exit 1 if the compiled files in --out differ from a fresh build of ODD (CI uses this).

    \b
    Example:
        corresptei schema check --out schema/
    """
    compiled = _compile(_odd_argument(odd), tei_source, None)
    _compare(compiled.outputs(), Path(out_dir))


def _compare(fresh: dict[str, bytes], out_dir: Path) -> None:
    stale = []
    for name, data in fresh.items():
        path = out_dir / name
        if not path.is_file():
            stale.append(f"{path}: missing")
        elif path.read_bytes() != data:
            stale.append(f"{path}: differs from a fresh build")
    if stale:
        for line in stale:
            echo_err(line)
        echo_err("run: corresptei schema build --out " + str(out_dir))
        raise SystemExit(EXIT_FINDINGS)
    click.echo(f"{len(fresh)} compiled files in {out_dir} are up to date")
