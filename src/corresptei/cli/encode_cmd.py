"""``corresptei encode``: source texts -> TEI."""

from __future__ import annotations

import sys

import click

from ..encode import encode_paths
from .app import EXIT_FINDINGS, EXIT_OK, echo_err, library_errors, main


@main.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False), help="Directory for the TEI files.")
@click.option("--check", is_flag=True, help="Write nothing; exit 1 when DIR is out of date.")
@click.option("--force", is_flag=True, help="Overwrite files edited by hand since they were generated.")
@click.option("-q", "--quiet", is_flag=True, help="Only problems, no per-letter report.")
@library_errors
def encode(inputs, out_dir, check, force, quiet):
    """Encode correspondence texts as TEI P5, one document per letter.

    Each INPUT's format is detected (a monthly page of the published
    correspondence, or a single-letter page).  Writes DIR/<date>_<senders>-<recipients>.xml
    per letter and DIR/persons.xml.  Problems go to stderr as file:line messages;
    letters that can be read are written even when others cannot.

    \b
    Exit status: 0 ok, 1 problems in the input (or --check: DIR out of date), 2 usage.

    \b
    Example:
        corresptei encode seeds/*.txt --out tei/
        corresptei encode seeds/*.txt --out tei/ --check
    """
    if check and force:
        raise click.UsageError("--check and --force cannot be used together")
    report = encode_paths(list(inputs), out_dir, check=check, force=force)
    for p in report.problems:
        echo_err(str(p))
    for line in report.merged:
        echo_err(f"note: {line}")
    if not quiet:
        for r in report.letters:
            extras = []
            if r.inferred:
                extras.append(f"notes anchored by sequence: {r.inferred}")
            if r.unresolved:
                extras.append(f"notes unresolved: {r.unresolved}")
            line = f"{r.source}: {r.filename}: {r.notes} notes" + (f" ({'; '.join(extras)})" if extras else "")
            echo_err(line)
            for rep in r.repairs:
                echo_err(f"  repaired {rep}")
            if r.missing:
                echo_err(f"  LOST WORDS: {dict(r.missing)}")
    p = report.plan
    total_notes = sum(r.notes for r in report.letters)
    summary = (f"{len(report.letters)} letters, {total_notes} notes, "
               f"{sum(len(r.repairs) for r in report.letters)} repaired readings, "
               f"{sum(len(r.unresolved) for r in report.letters)} unresolved notes, "
               f"{report.lost_words} lost words")
    if check:
        state = "out of date" if p.out_of_date else "up to date"
        echo_err(f"{summary}; {out_dir} is {state}"
                 + (f" ({len(p.write)} to write, {len(p.remove)} to remove, {len(p.blocked)} edited by hand)"
                    if p.out_of_date else ""))
        sys.exit(EXIT_FINDINGS if p.out_of_date or report.errors else EXIT_OK)
    echo_err(f"{summary}; wrote {len(p.write)}, unchanged {len(p.unchanged)}, removed {len(p.remove)}")
    sys.exit(EXIT_FINDINGS if report.errors or report.lost_words else EXIT_OK)
