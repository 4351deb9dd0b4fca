"""bench/run.py's report: stages that are missing say so; verdicts follow the measurements."""

from __future__ import annotations

import json
import sys

from bench import run, stages
from bench.run import Measure


def test_missing_api_is_reported_not_faked(capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "corresptei_missing_stage", None)  # import fails
    try:
        stages.api("corresptei_missing_stage", "encode_paths")
    except stages.Unavailable as exc:
        assert "cannot be imported" in str(exc)
    else:  # pragma: no cover
        raise AssertionError("expected Unavailable")
    row = run.row(Measure("encode", 100, "unavailable", detail="corresptei.encode has no encode_paths yet"))
    assert "not available yet" in row and "encode_paths" in row


def test_stage_child_prints_one_json_report(tmp_path, capsys):
    stages.main(["schema", "--odd", str(tmp_path / "missing.odd"), "--out", str(tmp_path / "out")])
    report = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert report["status"] in {"ok", "unavailable", "failed"}


def _results(scale_10k: float, rss_10k: float) -> list[Measure]:
    out = []
    for n, scale, rss in ((1000, 1.0, 100.0), (10000, scale_10k, rss_10k)):
        for name in run.BUILD_STAGES:
            out.append(Measure(name, n, "ok", wall=n * 0.001 * scale, cpu=n * 0.001 * scale, rss_mb=rss, items=n))
        out.append(Measure("jing, JVM per file", n, "ok", wall=n * 0.9, extrapolated=True))
        out.append(Measure("jing, one JVM", n, "ok", wall=2 + n * 0.00135))
    return out


def test_targets_follow_the_numbers():
    good = "\n".join(run.targets(_results(1.0, 150.0), [1000, 10000]))
    assert "| met | 40.0 s |" in good  # 4 stages × 10 s
    assert "not met" not in good.split("XSLT")[0]
    bad = "\n".join(run.targets(_results(1.5, 250.0), [1000, 10000]))
    assert "cost per letter 1,000 → 10,000 within ±25 % | not met (wall)" in bad
    assert "peak memory growth 1,000 → 10,000 below 2× | not met" in bad


def test_a_cost_per_letter_that_falls_is_linear_or_better():
    assert run.linear(0.25) == "met" and run.linear(-0.25) == "met"
    assert run.linear(0.26) == "not met"
    assert run.linear(-0.5) == "met (falls)"
    falls = "\n".join(run.targets(_results(0.5, 150.0), [1000, 10000]))
    assert "cost per letter 1,000 → 10,000 within ±25 % | met (falls) (wall); met (falls) (CPU)" in falls


def test_each_added_letter_leaves_the_start_up_out():
    # 1 s of start-up and 2 ms a letter: the cost per letter falls from 12 to 2.1 ms between
    # 100 and 10,000 letters, the cost of each added letter stays 2 ms.
    results = [Measure("validate", n, "ok", wall=1 + n * 0.002, cpu=1 + n * 0.002, rss_mb=50, items=n)
               for n in (100, 1000, 10000)]
    rows = [r for r in run.targets(results, [100, 1000, 10000]) if r.startswith("| validate: cost of each")]
    assert rows == ["| validate: cost of each added letter, 100 → 1,000 against 1,000 → 10,000, within ±25 % "
                    "(start-up left out) | met (wall); met (CPU) | 2.00 → 2.00 ms wall (+0%); "
                    "CPU 2.00 → 2.00 ms (+0%) |"]


def test_results_file_names_machine_and_date(tmp_path):
    import datetime as dt

    path = tmp_path / "RESULTS.md"
    run.write_results(path, _results(1.0, 120.0), [1000, 10000], dt.datetime(2025, 1, 2, 3, 4), 1, 20)
    text = path.read_text()
    assert "2025-01-02 03:04" in text and "cores" in text and "lxml" in text and "Python" in text
    assert "| 10000 | validate | ok |" in text


def test_head_to_head_takes_turns_and_keeps_the_median_run(monkeypatch):
    calls = []
    ours = iter([3.0, 5.0, 4.0])
    jing = iter([2.0, 2.5, 9.0])

    def fake_stage(name, n, args, profile_dir=None, pythonpath=None):
        calls.append("ours")
        return Measure(name, n, wall=next(ours), detail="d")

    def fake_external(name, n, cmd, per_file_of=None):
        calls.append("jing")
        return Measure(name, n, wall=next(jing), detail="exit 0")

    monkeypatch.setattr(run, "stage", fake_stage)
    monkeypatch.setattr(run, "external", fake_external)
    a, b, more = run.head_to_head(10, ("validate", ["validate"]), ("jing, one JVM", ["java"]), 3, None)
    assert calls == ["ours", "jing"] * 3
    assert (a.wall, b.wall) == (4.0, 2.5) and more == []
    assert "3.00, 5.00, 4.00" in a.detail and "2.00, 2.50, 9.00" in b.detail
    ours = iter([1.0])  # (fake_stage reads this name when called)
    a, b, _ = run.head_to_head(10, ("validate", ["validate"]), None, 1, None)  # no Java: ours alone, once
    assert a.wall == 1.0 and b is None
    calls.clear()
    ours = iter([3.0, 1.0, 5.0, 2.0, 4.0, 6.0])  # validate and validate --no-corpus, taking turns
    jing = iter([2.0, 2.5, 9.0])
    a, b, (c,) = run.head_to_head(10, ("validate", ["validate"]), ("jing, one JVM", ["java"]), 3, None,
                                  also=[("validate, RELAX NG + Schematron", ["validate", "--no-corpus"])])
    assert calls == ["ours", "ours", "jing"] * 3
    assert (a.name, a.wall, c.name, c.wall, b.wall) == ("validate", 4.0, "validate, RELAX NG + Schematron", 2.0, 2.5)


def test_validation_against_jing_is_judged_with_and_without_the_corpus_checks():
    results = [Measure("validate", 10000, "ok", wall=3.0, items=10000),
               Measure("validate, RELAX NG + Schematron", 10000, "ok", wall=2.0, items=10000),
               Measure("validate, RELAX NG only", 10000, "ok", wall=1.0, items=10000),
               Measure("jing, JVM per file", 10000, "ok", wall=2800.0, extrapolated=True),
               Measure("jing, one JVM", 10000, "ok", wall=2.5)]
    rows = run.targets(results, [10000])
    assert ("| validation (RELAX NG + Schematron) faster than Jing's single-JVM batch (RELAX NG) | met | "
            "2.00 s vs 2.50 s |") in rows
    assert ("| the same with the corpus checks as well (the default run), faster than Jing's single-JVM batch | "
            "not met | 3.00 s vs 2.50 s |") in rows
    assert "| validation ≥ 10× Jing per file | met | 933.3× |" in rows  # judged on the default run
