"""Benchmark: time to compile ODD customisations with corresptei's ODD compiler.

Prints, per ODD, the median wall-clock time of several runs (and the median CPU time,
steadier on a shared machine) with the TEI source already parsed (it is cached per
process), and the one-off time to parse and index p5subset.xml.  TEI's own
processor needs about 9 s for tei_lite.odd on this kind of machine.

    python bench/odd_compile.py [--runs 5] [--tei-source FILE] [--profile OUT.prof]
"""

from __future__ import annotations

import argparse
import cProfile
import statistics
import time
from pathlib import Path

from corresptei.odd import compile_odd
from corresptei.odd.source import resolve_source
from corresptei.odd.teisource import load_tei_source

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared" / "tei"
TEI_PROCESSOR_SECONDS = {"tei_lite": 9.0}


def candidates() -> list[tuple[str, Path, bool]]:
    """(name, ODD path, strict) of every ODD to time that exists here."""
    found = [
        ("tei_lite", SHARED / "reference" / "tei_lite.odd", True),
        ("tei_all", SHARED / "reference" / "tei_all.odd", True),
        ("corresptei", REPO / "schema" / "corresptei.odd", True),
    ]
    return [c for c in found if c[1].is_file()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--tei-source", default=None)
    parser.add_argument("--profile", default=None, help="write a cProfile of one tei_all compile here")
    args = parser.parse_args()

    source = resolve_source(args.tei_source or (SHARED / "p5subset.xml" if (SHARED / "p5subset.xml").is_file() else None))
    start = time.perf_counter()
    load_tei_source(source)
    load_seconds = time.perf_counter() - start

    rows = []
    for name, odd, strict in candidates():
        times, cpu = [], []
        for _ in range(args.runs):
            start, start_cpu = time.perf_counter(), time.process_time()
            compile_odd(odd, tei_source=source, strict=strict)
            times.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
        rows.append((name, statistics.median(times), min(times), max(times), statistics.median(cpu)))

    print(f"TEI source parsed and indexed once per process: {load_seconds:.3f} s")
    print(f"{'ODD':<12} {'median s':>9} {'min s':>7} {'max s':>7} {'CPU s':>7} {'vs TEI':>8}")
    for name, median, low, high, cpu in rows:
        ratio = f"{TEI_PROCESSOR_SECONDS[name] / median:.0f}x" if name in TEI_PROCESSOR_SECONDS else ""
        print(f"{name:<12} {median:>9.3f} {low:>7.3f} {high:>7.3f} {cpu:>7.3f} {ratio:>8}")

    if args.profile:
        cProfile.runctx(
            "compile_odd(odd, tei_source=source)",
            {"compile_odd": compile_odd},
            {"odd": SHARED / "reference" / "tei_all.odd", "source": source},
            args.profile,
        )
        print(f"profile written to {args.profile}")


if __name__ == "__main__":
    main()
