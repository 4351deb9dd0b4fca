"""``corresptei render`` and ``corresptei build``: readers' outputs."""

from __future__ import annotations

import contextlib
from pathlib import Path

import click

from ..errors import ValidationError
from ..render import FORMATS, RenderOptions, build
from .app import EXIT_FINDINGS, echo_err, is_terminal, library_errors, main

DEFAULT_TEI = Path("tei")


def _options(base_url: str, publication_date: str, keep_intermediate: bool) -> RenderOptions:
    if base_url and not base_url.endswith("/"):
        base_url += "/"
    return RenderOptions(base_url=base_url, publication_date=publication_date,
                         keep_intermediate=keep_intermediate)


def render_options(func):
    """Options shared by render and build."""
    func = click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
                        help="Worker processes for the letters.  [default: all cores]")(func)
    func = click.option("--keep-intermediate", is_flag=True,
                        help="Keep intermediate files (the print HTML beside the PDF).")(func)
    func = click.option("--publication-date", default="", metavar="YYYY-MM-DD",
                        help="CMIF publication date (default: latest change in the letters).")(func)
    func = click.option("--base-url", default="", metavar="URL",
                        help="Where the edition is published (CMIF links to letters).")(func)
    return func


@contextlib.contextmanager
def _progress(label: str):
    """A progress bar on a terminal; nothing otherwise.  Yields (start, step)."""
    if not is_terminal():
        yield (lambda total: None), (lambda target: None)
        return
    state: dict = {}

    def start(total: int) -> None:
        state["bar"] = click.progressbar(length=total, label=label, file=click.get_text_stream("stderr"))
        state["bar"].__enter__()

    def step(target) -> None:
        if "bar" in state:
            state["bar"].update(1)

    try:
        yield start, step
    finally:
        if "bar" in state:
            state["bar"].__exit__(None, None, None)


@main.command("render")
@click.option("--to", "fmt", type=click.Choice(FORMATS), required=True,
              help="Output format.")
@click.argument("tei", nargs=-1, type=click.Path(path_type=Path))
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Folder to write into (created when missing).")
@render_options
@library_errors
def render_command(fmt: str, tei: tuple[Path, ...], out_dir: Path, base_url: str,
                   publication_date: str, keep_intermediate: bool, jobs: int | None) -> None:
    """Render TEI letters to HTML, plain text, PDF or CMIF.

    TEI are letter files or folders of them (default: tei/); the personography
    persons.xml is found among them or beside the letters.

    \b
    Example:
        corresptei render --to html tei/ --out out/html
        corresptei render --to text tei/1931-09-07_stalin-kaganovich.xml --out out/text
        corresptei render --to html tei/ --out out/html --jobs 4
    """
    inputs = list(tei) or [DEFAULT_TEI]
    options = _options(base_url, publication_date, keep_intermediate)
    with _progress(f"render {fmt}") as (start, step):
        from ..render.api import Renderer
        from ..render.corpus import Corpus

        corpus = Corpus.from_paths(inputs)
        if not corpus.letters:
            raise click.UsageError("no TEI letters among the inputs")
        renderer = Renderer(corpus, options)
        targets = renderer.targets(fmt, out_dir)
        start(len(targets))
        result = renderer.run(targets, step, jobs=jobs)
    echo_err(f"render: wrote {len(result.written)} files to {out_dir}")


@main.command("build")
@click.argument("inputs", nargs=-1, type=click.Path(path_type=Path))
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              default=Path("out"), show_default=True, help="Output folder.")
@click.option("--format", "formats", type=click.Choice(FORMATS), multiple=True,
              help="Formats to build (repeatable; default: all).")
@click.option("--force", is_flag=True, help="Redo every output, ignoring the manifest.")
@click.option("--tei", "tei_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Where source texts are encoded to (default: OUT/tei).")
@render_options
@library_errors
def build_command(inputs: tuple[Path, ...], out_dir: Path, formats: tuple[str, ...], force: bool,
                  tei_dir: Path | None, base_url: str, publication_date: str, keep_intermediate: bool,
                  jobs: int | None) -> None:
    """Encode, validate and render everything into OUT/{html,text,pdf,cmif}.

    INPUTS are source texts (*.txt, encoded into --tei DIR, by default OUT/tei/)
    or TEI files and folders (default: tei/).  Unchanged inputs are not redone: a manifest in OUT
    records the input and stylesheet digests of every output.

    \b
    Example:
        corresptei build tei/ --out out/
        corresptei build seeds/*.txt --tei tei/ --out out/
        corresptei build tei/ --out out/ --format html --format pdf
    """
    options = _options(base_url, publication_date, keep_intermediate)
    try:
        with _progress("build") as (start, step):
            result = build(list(inputs) or [DEFAULT_TEI], out_dir, formats=formats or FORMATS,
                           options=options, force=force, tei_dir=tei_dir, progress_start=start, progress=step,
                           jobs=jobs)
    except ValidationError as exc:
        for finding in exc.findings:
            echo_err(str(finding))
        echo_err(f"build: {len(exc.findings)} validation finding(s); nothing rendered")
        raise SystemExit(EXIT_FINDINGS) from exc
    report = result.encode_report
    if report is not None:
        for problem in report.problems:
            echo_err(str(problem))
        echo_err(f"build: encoded {len(report.letters)} letters ({report.lost_words} lost words)")
    if result.validation_note:
        echo_err(f"build: {result.validation_note}")
    echo_err(f"build: {len(result.written)} files written, {len(result.skipped)} up to date, "
             f"{len(result.removed)} removed, in {out_dir}")
    if report is not None and (report.errors or report.lost_words):
        raise SystemExit(EXIT_FINDINGS)
