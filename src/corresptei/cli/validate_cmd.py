"""``corresptei validate``: RELAX NG, Schematron, XSD and corpus checks."""

from __future__ import annotations

import os
import sys

import click

from ..validate.findings import Finding, Severity
from ..validate.formats import DATA_FORMATS, FORMATS, render
from ..validate.runner import default_jobs, iter_errors
from ..validate.security import DEFAULT_LIMITS, Limits
from .app import EXIT_FINDINGS, EXIT_OK, UsageFailure, format_option, library_errors, main


def _show_progress(fmt: str) -> bool:
    """A progress bar only for people: a terminal, not CI, not GitHub annotations."""
    return fmt != "github" and sys.stderr.isatty() and not os.environ.get("CI")


@main.command("validate")
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@click.option("--schema", "schemas", multiple=True, type=click.Path(dir_okay=False, path_type=str),
              help="Schema file (.rng, .sch, .isosch, .xsd or .odd); repeatable. "
                   "Default: schema/corresptei.rng and schema/corresptei.sch.")
@click.option("--xsd", is_flag=True, help="Also validate against schema/corresptei.xsd.")
@format_option(*FORMATS)
@click.option("--strict", is_flag=True, help="Warnings fail the run too (exit 1).")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
              help="Worker processes.  [default: all cores]")
@click.option("--changed", "changed", metavar="REV",
              help="Validate only files changed since git revision REV (corpus checks still see all files).")
@click.option("--no-corpus", is_flag=True, help="Skip the checks across files.")
@click.option("--no-cache", is_flag=True, help="Neither read nor write the result cache.")
@click.option("--max-size", type=click.IntRange(min=1), default=DEFAULT_LIMITS.max_bytes, show_default=True,
              help="Refuse files larger than this many bytes.")
@click.option("--max-depth", type=click.IntRange(min=1, max=256), default=DEFAULT_LIMITS.max_depth,
              show_default=True, help="Refuse documents nested deeper than this.")
@click.option("-q", "--quiet", is_flag=True, help="Text format: errors only, no summary line.")
@library_errors
def validate_cmd(paths, schemas, xsd, fmt, strict, jobs, changed, no_corpus, no_cache, max_size,
                 max_depth, quiet):
    """Validate TEI letters: RELAX NG, Schematron, optional XSD, and corpus checks.

    PATHS are files or directories (searched for *.xml); the default is tei/.
    Exit status: 0 no errors, 1 errors found (or warnings with --strict),
    2 usage or I/O problem.  text and github output go to stderr; json, junit
    and sarif are data and go to stdout.

    \b
    Example:
        corresptei validate
        corresptei validate tei/1931-09-03_kaganovich-stalin_b.xml
        corresptei validate --schema reference/tei_all.rng --schema reference/tei_all.isosch tei/
        corresptei validate --format sarif > validate.sarif
        corresptei validate --changed origin/main --format github
    """
    limits = Limits(max_bytes=max_size, max_depth=max_depth)
    files: list[str] = []
    findings: list[Finding] = []
    timings: dict[str, float] = {}
    kwargs = dict(xsd=xsd, corpus=not no_corpus, jobs=jobs or default_jobs(), limits=limits,
                  changed=changed, cache=not no_cache, files_out=files, timings=timings)
    if _show_progress(fmt):
        with click.progressbar(length=0, label="validating", file=sys.stderr, show_pos=True) as bar:
            def progress(n: int) -> None:
                bar.length = len(files)
                bar.update(n)

            findings.extend(iter_errors(list(paths) or None, list(schemas) or None, progress=progress, **kwargs))
    else:
        findings.extend(iter_errors(list(paths) or None, list(schemas) or None, **kwargs))
    findings.sort(key=Finding.sort_key)
    shown = [f for f in findings if f.severity is Severity.ERROR] if quiet and fmt == "text" else findings
    out = render(fmt, shown, files, timings=timings)
    if quiet and fmt == "text":
        out = "".join(line + "\n" for line in out.splitlines()[:-1])
    click.echo(out, nl=False, err=fmt not in DATA_FORMATS)
    failing = {Severity.ERROR, Severity.WARNING} if strict else {Severity.ERROR}
    sys.exit(EXIT_FINDINGS if any(f.severity in failing for f in findings) else EXIT_OK)


__all__ = ["validate_cmd", "UsageFailure"]
