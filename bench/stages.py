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
import atexit
import gc
import importlib
import inspect
import json
import os
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
    """ODD -> compiled schema files (RELAX NG, Schematron, …) written into ``--out``."""
    compile_odd = api("corresptei.odd", "compile_odd")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    kw = _out_kw(compile_odd, out)
    result = compile_odd(Path(args.odd), **kw)
    written = result.write(out) if hasattr(result, "write") else sorted(out.iterdir())
    return {"items": 1, "detail": f"{Path(args.odd).name} -> {', '.join(Path(p).name for p in written)}"}


def stage_validate(args) -> dict:
    """``iter_errors`` over the TEI folder, RELAX NG + Schematron, result cache off (a cold run)."""
    iter_errors = api("corresptei.validate", "iter_errors")
    tei = Path(args.tei)
    kw: dict = {}
    params = _params(iter_errors)
    validated: list[str] = []
    if "files_out" in params:  # the files iter_errors found: no second listing inside the timed process
        kw["files_out"] = validated
    if args.schema:
        kw["schema"] = [str(s) for s in args.schema]
    if "cache" in params:
        kw["cache"] = False
    if args.no_corpus and "corpus" in params:
        kw["corpus"] = False  # the file-by-file work only, as Jing does
    if args.profile and "jobs" in params:
        kw["jobs"] = 1  # forked workers are invisible to cProfile: profile the work in-process
    findings = errors = 0
    kinds: dict[str, int] = {}
    for finding in iter_errors([str(tei)], **kw):
        findings += 1
        is_error = getattr(finding, "is_error", True)
        if is_error() if callable(is_error) else is_error:
            errors += 1
        key = f"{getattr(finding, 'engine', '?')}:{getattr(finding, 'rule', '?')}"
        kinds[key] = kinds.get(key, 0) + 1
    files = [f for f in validated if os.path.basename(f) != "persons.xml"] if validated else letter_files(tei)
    schema = ", ".join(Path(s).name for s in args.schema) if args.schema else "project schema"
    top = ", ".join(f"{k} ×{v}" for k, v in sorted(kinds.items(), key=lambda kv: -kv[1])[:3])
    return {"items": len(files), "findings": findings, "errors": errors, "rules": kinds,
            "detail": f"{schema}; {findings} findings ({errors} errors): {top}"}  # fmt: skip


def stage_render(args) -> dict:
    """The public ``corresptei.render.render(inputs, to, out_dir)`` over the TEI folder."""
    render = api("corresptei.render", "render")
    tei = Path(args.tei)
    out = Path(args.out)
    kw = {"jobs": 1 if args.profile else args.jobs} if "jobs" in _params(render) else {}
    result = render([tei], args.to, out, **kw)
    produced = sum(1 for p in out.rglob("*") if p.is_file())
    return {"items": len(letter_files(tei)), "outputs": produced, "detail": f"{produced} files written"}


def stage_render_letters(args) -> dict:
    """Only the per-letter targets of a render (what a Saxon -s:dir -o:dir batch does),
    made the way the CLI makes them: ``Renderer.run`` (the letter pass, in worker
    processes: one per core unless ``--jobs``; with ``--profile``, in this process)."""
    Corpus = api("corresptei.render", "Corpus")
    Renderer = api("corresptei.render", "Renderer")
    tei = Path(args.tei)
    out = Path(args.out)
    renderer = Renderer(Corpus.from_paths([tei]))
    targets = [t for t in renderer.targets(args.to, out) if ":letter:" in t.key]
    run = getattr(renderer, "run", None)
    jobs = 1 if args.profile else args.jobs
    if run is None:  # a renderer without the letter pass: one target after the other
        for target in targets:
            target.run()
        how = "one process"
    else:
        run(targets, jobs=jobs)
        how = f"jobs={jobs or 'all cores'}"
    return {"items": len(targets), "detail": f"{len(targets)} letter targets ({how})"}


STAGES = {"ingest": stage_ingest, "encode": stage_encode, "schema": stage_schema, "validate": stage_validate,
          "render": stage_render, "render-letters": stage_render_letters}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("stage", choices=sorted(STAGES))
    ap.add_argument("--corpus", help="corpus folder (text/ and tei/)")
    ap.add_argument("--tei", help="folder of TEI letters")
    ap.add_argument("--odd", help="the ODD to compile")
    ap.add_argument("--schema", action="append", help="schema file(s) for validate (default: the project's)")
    ap.add_argument("--no-corpus", action="store_true", help="validate: no cross-file corpus checks")
    ap.add_argument("--to", choices=["html", "text"])
    ap.add_argument("--out", help="output folder")
    ap.add_argument("--jobs", type=int, help="render: worker processes (default: the library's, all cores)")
    ap.add_argument("--profile", help="write cProfile stats here (and a top-30 text next to it)")
    args = ap.parse_args(argv)
    atexit.register(gc.freeze)  # as the corresptei CLI exits (cli/app.py): no collections over the run's objects
    try:
        if args.profile:
            import cProfile  # only here: imported, they would count in every stage's time
            import pstats

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
