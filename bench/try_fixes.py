"""Measure proposed fixes to other packages without editing them.

The fixes below are what bench/PROFILE.md proposes to the owners of
``corresptei.ingest`` and ``corresptei.fsutil``.  They are applied here by
monkeypatching, only inside this experiment's own processes, so the owners'
files stay untouched; each variant runs ``encode`` in a fresh process, and the
TEI written by every variant is compared byte for byte with the unpatched run
(a fix must not change the output).

    python -m bench.try_fixes --corpus bench/work/n1000
"""

from __future__ import annotations

import argparse
import filecmp
import json
import os
import shutil
import sys
from bisect import bisect_right
from collections import Counter
from pathlib import Path

INGEST = ["consensus", "folio", "lexicon"]
VARIANTS = {
    "as is": [],
    "ingest: linear consensus": ["consensus"],
    "ingest: + folio bisect, one lexicon": INGEST,
    "+ encode: duplicates by date": INGEST + ["merge"],
    "+ encode: lossless one pass": INGEST + ["merge", "lossless"],
    "all + no fsync per file": INGEST + ["merge", "lossless", "nofsync"],
}


# ------------------------------------------------------------------ the proposed fixes


def repair_by_consensus_linear(result) -> None:
    """``ingest._repair_by_consensus`` with the clean-reference count taken in one pass.

    The original recounts every citation of the corpus for each repaired Op.
    (``sum(... for l in result.letters for c in _all_citations(l))``): O(repairs ×
    citations), quadratic in corpus size.  Repairs never change a citation that
    has no repairs, so the count can be taken once, before the loop.
    """
    from corresptei.ingest import _all_citations

    seen: dict[tuple, set[str]] = {}
    clean: Counter = Counter()
    for letter in result.letters:
        for cit in _all_citations(letter):
            if cit.fond and cit.delo and cit.opis and not any(r.part == "opis" for r in cit.repairs):
                seen.setdefault((cit.fond, cit.delo), set()).add(cit.opis)
            if not cit.repairs:
                clean[(cit.fond, cit.delo, cit.opis)] += 1
    for letter in result.letters:
        for cit in _all_citations(letter):
            rep = next((r for r in cit.repairs if r.part == "opis"), None)
            if rep is None:
                continue
            known = seen.get((cit.fond, cit.delo), set())
            if len(known) == 1:
                (opis,) = known
                n = clean[(cit.fond, cit.delo, opis)]
                rep.corrected = cit.opis = opis
                rep.cert = "high"
                rep.reason = (f"misread '{rep.printed}'; every other reference to F. {cit.fond}, D. {cit.delo} "
                              f"({n} in this corpus) reads Op. {opis}")  # fmt: skip


def repair_by_folio_sequence_bisect(result) -> None:
    """``ingest._repair_by_folio_sequence`` with each delo's first sheets sorted once (bisect)."""
    from corresptei.ingest import grammar as g

    by_delo: dict[tuple, list] = {}
    for letter in result.letters:
        for w in letter.witnesses:
            c = w.citation
            if c.ranges:
                by_delo.setdefault((c.fond, c.opis, c.delo), []).append(c)
    for cits in by_delo.values():
        starts = None
        for c in cits:
            rep = next((r for r in c.repairs if r.part == "list"), None)
            if rep is None:
                continue
            if starts is None:
                starts = sorted(g.sheet_number(o.ranges[0][0]) for o in cits)
            start = g.sheet_number(c.ranges[0][0])
            i = bisect_right(starts, start)
            if i == len(starts):
                continue
            end = starts[i] - 1
            read = g.sheet_number(c.ranges[-1][1])
            c.ranges[-1] = (c.ranges[-1][0], str(end))
            c.sheets = rep.corrected = f"{c.ranges[0][0]}–{end}" if len(c.ranges) == 1 else rep.corrected
            if read == end:
                rep.cert = "high"
                rep.reason = (f"'{rep.printed}' read as {rep.corrected}; confirmed by the folio sequence: "
                              f"the next letter of D. {c.delo} begins at L. {starts[i]}")  # fmt: skip
            else:
                rep.cert = "medium"
                rep.reason = (f"'{rep.printed}' cannot be read; inferred from the folio sequence: "
                              f"the next letter of D. {c.delo} begins at L. {starts[i]}")  # fmt: skip


MERGE_EDITS = [
    # (the owner's line, its replacement): the owner's current function is rewritten at run
    # time, so the experiment follows their changes; a line that is gone stops the experiment
    ("    out: list[Letter] = []\n",
     "    out: list[Letter] = []\n    _by_date: dict = {}\n    _pos: dict = {}\n"),
    ("host = next((o for o in out if same_document(o, letter)), None)",
     "host = next((o for o in _by_date.get(letter.date.when, ()) if same_document(o, letter)), None)"),
    ("            out.append(letter)\n",
     "            _pos[id(letter)] = len(out)\n"
     "            _by_date.setdefault(letter.date.when, []).append(letter)\n"
     "            out.append(letter)\n"),
    ("            out[out.index(host)] = letter\n",
     "            _i = _pos.pop(id(host)); out[_i] = letter; _pos[id(letter)] = _i\n"
     "            _l = _by_date[host.date.when]; _l[next(k for k, o in enumerate(_l) if o is host)] = letter\n"),
]


def merge_duplicates_by_date():
    """``encode.corpus.merge_duplicates`` looking only at kept letters of the same date.

    The original scans every letter kept so far for each letter (``next(o for o in out
    if same_document(o, letter))``, then ``out.index(host)``): O(letters²).
    ``same_document`` is false unless the dates are equal, so an index by date
    finds the same first host.
    """
    import inspect

    import corresptei.encode.corpus as corpus

    src = inspect.getsource(corpus.merge_duplicates)
    for old, new in MERGE_EDITS:
        if old not in src:
            raise SystemExit(f"merge_duplicates changed; the proposed edit no longer applies: {old.strip()!r}")
        src = src.replace(old, new)
    namespace: dict = {}
    exec(compile(src, corpus.__file__, "exec"), corpus.__dict__, namespace)
    return namespace["merge_duplicates"]


def tei_words_one_pass(tree) -> Counter:
    """``encode.lossless.tei_words`` with one regex pass over all text and attribute values.

    The original calls ``findall`` and ``Counter.update`` once per text node, tail and
    attribute (≈ 200 per letter).  Joining with a newline keeps node boundaries.
    """
    from corresptei.encode.lossless import _WORD

    parts = []
    for node in tree.iter():
        if not isinstance(node.tag, str):
            continue
        if node.text:
            parts.append(node.text)
        if node.tail:
            parts.append(node.tail)
        parts.extend(node.attrib.values())
    return Counter(_WORD.findall("\n".join(parts)))


def apply(fixes: list[str]) -> None:
    import corresptei.ingest as ingest

    if "consensus" in fixes:
        ingest._repair_by_consensus = repair_by_consensus_linear
    if "folio" in fixes:
        ingest._repair_by_folio_sequence = repair_by_folio_sequence_bisect
    if "lexicon" in fixes:
        # detect_format() builds a fresh lexicon (a deep copy of every entry) per input file
        # only to recognise a header line; one read-only lexicon per run is enough.
        from corresptei.persons import default_lexicon

        shared = default_lexicon()
        original = ingest.detect_format

        def detect_format(src, _lex=shared):
            from corresptei.ingest import grammar  # noqa: F401  (same imports as the original)
            from corresptei.ingest.monthly import parse_header
            from corresptei.ingest.single import looks_single

            if any(parse_header(line, _lex, None) for line in src.lines):
                return "monthly"
            if looks_single(src):
                return "single"
            return None

        detect_format.__wrapped__ = original  # type: ignore[attr-defined]
        ingest.detect_format = detect_format
    if "merge" in fixes:
        import corresptei.encode.corpus as corpus

        corpus.merge_duplicates = merge_duplicates_by_date()
    if "lossless" in fixes:
        import corresptei.encode.lossless as lossless

        lossless.tei_words = tei_words_one_pass
    if "nofsync" in fixes:
        # generated files are reproducible: rename-into-place keeps readers safe without a
        # per-file fsync (one sync of the directory at the end would do for durability)
        os.fsync = lambda fd: None  # type: ignore[assignment]


# ------------------------------------------------------------------ driver


def child(variant: str, corpus: str, out: str) -> None:
    apply(VARIANTS[variant])
    from bench import stages

    report = stages.stage_encode(argparse.Namespace(corpus=corpus, out=out))
    print(json.dumps(report, default=str))


def same_tree(a: Path, b: Path) -> bool:
    names = sorted(p.name for p in a.iterdir())
    if names != sorted(p.name for p in b.iterdir()):
        return False
    match, mismatch, errors = filecmp.cmpfiles(a, b, names, shallow=False)
    return not mismatch and not errors


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", required=True, type=Path)
    ap.add_argument("--variant", help=argparse.SUPPRESS)
    ap.add_argument("--out", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.variant:
        child(args.variant, str(args.corpus), args.out)
        return 0
    from bench.run import run_measured

    base_out = None
    for variant in VARIANTS:
        out = args.corpus / f"fix-{variant.split(':')[0].replace(' ', '')}-{len(VARIANTS[variant])}"
        shutil.rmtree(out, ignore_errors=True)
        wall, cpu, rss, rc, so, se = run_measured(
            [sys.executable, "-m", "bench.try_fixes", "--corpus", str(args.corpus), "--variant", variant, "--out", str(out)]
        )
        same = "" if base_out is None else ("identical output" if same_tree(base_out, out) else "OUTPUT DIFFERS")
        base_out = base_out or out
        print(f"| {variant} | {wall:.2f} | {cpu:.2f} | {rss:.0f} | {same} |" + ("" if rc == 0 else f" exit {rc}: {se[-300:]}"), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
