"""One measured stage, run in a fresh process: ``python -m bench.stages STAGE ARGS…``.

The parent (bench/run.py) starts this module once per stage and reads the
child's own CPU time and peak RSS from ``os.wait4``, so every number belongs
to one stage.  The last line printed is a JSON report::

    {"status": "ok", "items": 1000, "detail": "..."}
    {"status": "unavailable", "detail": "corresptei.encode has no encode_paths"}

Each stage calls the real corresptei library through its public API.  A stage
whose API is not importable yet reports ``unavailable``; nothing is simulated.
"""

from __future__ import annotations

import argparse
import cProfile
import importlib
import inspect
import json
import pstats
import sys
from pathlib import Path


class Unavailable(Exception):
    """The stage's public API is not there (yet)."""


def api(module: str, *names: str):
    """The first of ``names`` that ``module`` exports, or Unavailable."""
    try:
        mod = importlib.import_module(module)
    except ImportError as exc:
        raise Unavailable(f"{module} cannot be imported: {exc}") from exc
    for name in names:
        func = getattr(mod, name, None)
        if callable(func):
            return func
    raise Unavailable(f"{module} has no {' / '.join(names)} yet")


def _params(func) -> list[str]:
    try:
        return list(inspect.signature(func).parameters)
    except (TypeError, ValueError):
        return []


def _out_kw(func, out: Path) -> dict:
    for name in ("out", "out_dir", "outdir", "output", "output_dir", "dest"):
        if name in _params(func):
            return {name: out}
    return {}


def letter_files(tei_dir: Path) -> list[Path]:
    return sorted(p for p in tei_dir.glob("*.xml") if p.name != "persons.xml")


# ------------------------------------------------------------------ stages


def stage_encode(args) -> dict:
    encode_paths = api("corresptei.encode", "encode_paths")
    inputs = sorted(Path(args.corpus, "text").glob("*.txt"))
    out = Path(args.out)
    kw = _out_kw(encode_paths, out)
    result = encode_paths(inputs, **kw) if kw else encode_paths(inputs, out)
    written = letter_files(out)
    return {"items": len(written), "inputs": len(inputs), "detail": f"{len(inputs)} text files -> {len(written)} TEI", "result": repr(result)[:200]}


def stage_ingest(args) -> dict:
    """The first half of encode on its own: text pages -> the correspondence model."""
    read_sources = api("corresptei.ingest", "read_sources")
    inputs = sorted(Path(args.corpus, "text").glob("*.txt"))
    result = read_sources(inputs)
    letters, problems = len(result.letters), len(result.problems)
    return {"items": letters, "inputs": len(inputs), "problems": problems,
            "detail": f"{len(inputs)} text files -> {letters} letters, {problems} problems"}  # fmt: skip


def stage_schema(args) -> dict:
    compile_odd = api("corresptei.odd", "compile_odd")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    kw = _out_kw(compile_odd, out)
    result = compile_odd(Path(args.odd), **kw)
    return {"items": 1, "detail": f"{Path(args.odd).name}", "result": repr(result)[:200]}


def stage_validate(args) -> dict:
    iter_errors = api("corresptei.validate", "iter_errors")
    files = letter_files(Path(args.tei))
    params = _params(iter_errors)
    first = params[0] if params else ""
    findings = 0
    errors = 0
    if first in ("paths", "sources", "files", "documents"):
        it = iter_errors(files)
    else:
        it = (f for path in files for f in iter_errors(path))
    for finding in it:
        findings += 1
        is_error = getattr(finding, "is_error", True)
        if is_error() if callable(is_error) else is_error:
            errors += 1
    return {"items": len(files), "findings": findings, "errors": errors, "detail": f"{findings} findings"}


RENDER_NAMES = {
    "html": ("render_paths", "render_html", "to_html", "render"),
    "text": ("render_paths", "render_text", "to_text", "render"),
}


def stage_render(args) -> dict:
    fmt = args.to
    func = api("corresptei.render", *RENDER_NAMES[fmt])
    files = letter_files(Path(args.tei))
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    params = _params(func)
    kw = _out_kw(func, out)
    for name in ("to", "fmt", "format", "output_format"):
        if name in params:
            kw[name] = fmt
    result = func(files, **kw)
    produced = sum(1 for p in out.rglob("*") if p.is_file())
    return {"items": len(files), "outputs": produced, "detail": f"{produced} files written", "result": repr(result)[:200]}


STAGES = {"ingest": stage_ingest, "encode": stage_encode, "schema": stage_schema, "validate": stage_validate, "render": stage_render}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("stage", choices=sorted(STAGES))
    ap.add_argument("--corpus", help="corpus folder (text/ and tei/)")
    ap.add_argument("--tei", help="folder of TEI letters")
    ap.add_argument("--odd", help="the ODD to compile")
    ap.add_argument("--to", choices=["html", "text"])
    ap.add_argument("--out", help="output folder")
    ap.add_argument("--profile", help="write cProfile stats here (and a top-30 text next to it)")
    args = ap.parse_args(argv)
    try:
        if args.profile:
            prof = cProfile.Profile()
            report = prof.runcall(STAGES[args.stage], args)
            prof.dump_stats(args.profile)
            with open(args.profile + ".txt", "w") as fh:
                stats = pstats.Stats(prof, stream=fh).sort_stats("cumulative")
                stats.print_stats(40)
                stats.sort_stats("tottime").print_stats(30)
        else:
            report = STAGES[args.stage](args)
        report["status"] = "ok"
    except Unavailable as exc:
        report = {"status": "unavailable", "detail": str(exc)}
    except Exception as exc:  # a stage that exists but fails is reported, not hidden
        report = {"status": "failed", "detail": f"{type(exc).__name__}: {exc}"[:500]}
    print(json.dumps(report, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
