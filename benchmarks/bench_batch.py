"""Benchmark of the batch path (not a test; not run in CI).

Side by side in one run, on seeded synthetic cities scored under ``jinan-2015``:

* **batch** — ``scoring.batch.prepare(...).score(...)`` from members and records encoded once
  into columns (``encode_members`` / ``encode_records``);
* **numpy** — a hand-written numpy pipeline computing the same totals, grades, gate and warnings
  for Jinan 2015 on the same columns (what a developer would write for this one rule set);
* **reference** — ``scoring.score``, the per-member path (``--reference``; minutes at 2M records);
* a sweep of policy variants re-scored from one workspace;
* one member's full scorecard with explanation (p50 / p99).

    python benchmarks/bench_batch.py --members 100000 --records 2000000 --reference
    python benchmarks/bench_batch.py --members 30000 --records 600000 --variants 50 --explain 1000
"""

from __future__ import annotations

import argparse
import gc
import random
import resource
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.synthetic import generate  # noqa: E402
from scoring import Period, RuleSet, parse_rule_set, score  # noqa: E402
from scoring.batch import encode_members, encode_records, prepare  # noqa: E402
from scoring.batch.columns import RecordColumns  # noqa: E402
from scoring.plugins import Registry  # noqa: E402

YEAR = 2024
JINAN = "jinan-2015"


def timed(fn: Callable[[], Any], repeat: int = 1, runs: list[float] | None = None) -> tuple[float, Any]:
    """Median wall time of ``repeat`` calls (each appended to ``runs``), and the last result."""
    times, result = [], None
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    if runs is not None:
        runs.extend(times)
    return statistics.median(times), result


def shown(runs: list[float]) -> str:
    """Individual runs in seconds, for the record."""
    return " ".join(f"{t:.3f}" for t in runs)


def rss_mib() -> float:
    """Peak resident memory of this process so far."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def numpy_pipeline(cols: RecordColumns, rule_set: RuleSet, n: int) -> dict[str, Any]:
    """Jinan 2015 written by hand with numpy, on the engine's columns (clean data assumed)."""
    book_kinds = {k: i for i, k in enumerate(rule_set.vocabulary.kinds)}
    from scoring.batch.columns import Codebook

    book = Codebook.of(rule_set.vocabulary)
    v = book.values
    period = Period.year(YEAR)
    ok = (cols.member >= 0) & ~cols.deleted
    ok &= (cols.date >= period.start.toordinal()) & (cols.date <= period.end.toordinal())
    m = cols.member

    def count(mask: np.ndarray) -> np.ndarray:
        return np.bincount(m[mask & ok], minlength=n)

    meeting, proposal, activity, opinion = (book_kinds[k] for k in ("meeting", "proposal", "activity", "opinion"))
    plenary = (cols.kind == meeting) & (cols.subtype == v["subtype"]["plenary"])
    unexcused = count(plenary & np.isin(cols.status, [v["status"]["absent_unexcused"],
                                                      v["status"]["leave_not_approved"]]))
    leave = count(plenary & (cols.status == v["status"]["leave_approved"]))
    attended = count(plenary & (cols.status == v["status"]["attended"]))
    prop = cols.kind == proposal
    registered_first = count(prop & (cols.status == v["status"]["registered"])
                             & np.isin(cols.role, [0, v["role"]["sole"], v["role"]["first"]]))
    key = count(prop & ((cols.flags & np.uint64(1 << book.flags["key"])) != 0))
    excellent = count(prop & ((cols.flags & np.uint64(1 << book.flags["excellent"])) != 0))
    welfare = count((cols.kind == activity) & (cols.subtype == v["subtype"]["public_welfare"]))
    rewards = np.minimum(50, 5 * np.maximum(0, registered_first - 1) + 5 * key + 10 * excellent
                         + np.minimum(10, 2 * welfare))
    total = np.minimum(120, 70 - 30 * unexcused - 10 * leave + rewards)
    standing = count((cols.kind == meeting) & (cols.subtype == v["subtype"]["standing_committee"])
                     & (cols.status == v["status"]["attended"]))
    proposal_or_opinion = count(prop) + count(cols.kind == opinion)
    research = count((cols.kind == activity) & np.isin(cols.subtype, [v["subtype"]["inspection"],
                                                                      v["subtype"]["research"]]))
    gate = (attended >= 1) & (proposal_or_opinion >= 1) & (research >= 1)  # 常委 variant omitted
    grade = np.select([total >= 85, total >= 60], [0, 1], 2)
    grade = np.where(~gate & (grade < 2), 2, grade)
    warn = total < 60
    return {"total": total, "grade": grade, "gate": gate, "warn": warn, "standing": standing}


def variants(base: Path, count: int, tmp: Path) -> list[RuleSet]:
    """``count`` parameter-only variants of Jinan 2015 (leave deduction and pass mark)."""
    out = []
    for k in range(count):
        leave = -5 - (k % 11)
        line = 55 + (k % 6) * 2
        path = tmp / f"variant-{k}.toml"
        path.write_text(
            f'[rule_set]\nid = "v{k}"\nextends = "{base}"\nversion = "{k}"\ntitle = "variant {k}"\n'
            f"[patch.rules.plenary_leave]\npoints = {leave}\n"
            f"[patch.grades.competent]\nmin = {line}\n[patch.grades.incompetent]\nmax = {line}\n"
            f"[patch.escalation.below60_year]\ntrigger = {{ type = \"total_below\", value = {line} }}\n",
            encoding="utf-8",
        )
        out.append(Registry.build().load(path))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--records", type=int, default=2_000_000)
    parser.add_argument("--reference", action="store_true", help="also time the per-member path")
    parser.add_argument("--variants", type=int, default=0, help="re-score this many policy variants")
    parser.add_argument("--explain", type=int, default=0, help="time this many single-member scorecards")
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args(argv)
    registry = Registry.build()
    rule_set = registry.load(JINAN)
    period = Period.year(YEAR)
    print(f"city: {args.members:,} members, {args.records:,} records; rule set {JINAN}")
    t_gen, (members, records) = timed(lambda: generate(args.members, args.records, seed=0, year=YEAR))
    print(f"generate + build pydantic models: {t_gen:.2f} s   (peak RSS {rss_mib():,.0f} MiB)")
    t_mem, roster = timed(lambda: encode_members(members))
    print(f"encode members into columns:      {t_mem:.2f} s")
    t_enc, cols = timed(lambda: encode_records(rule_set, roster, records))
    print(f"encode records into columns:      {t_enc:.2f} s")
    batch_runs: list[float] = []
    numpy_runs: list[float] = []
    t_batch = t_np = 0.0
    for _ in range(args.repeat):  # interleaved, so both see the same machine load
        t_batch, result = timed(lambda: prepare(rule_set, roster, cols, period).score(rule_set), 1, batch_runs)
        t_np, hand = timed(lambda: numpy_pipeline(cols, rule_set, len(roster)), 1, numpy_runs)
    t_batch, t_np = statistics.median(batch_runs), statistics.median(numpy_runs)
    t_acc, counts = timed(result.accounting_counts)
    print(f"batch: totals, grades, gates, warnings, ranks: {t_batch:.3f} s (median of {args.repeat}: "
          f"{shown(batch_runs)}); accounting {t_acc:.3f} s; irregular members {int(result.irregular.sum())}")
    print(f"hand-written numpy pipeline:      {t_np:.3f} s (median of {args.repeat}: {shown(numpy_runs)}) "
          f"→ batch/numpy = {t_batch / t_np:.2f}×")
    agree = sum(int(t) == int(result.total_of(i) or 0) for i, t in enumerate(hand["total"].tolist()))
    print(f"  totals equal to the batch path: {agree:,} of {len(members):,} (numpy ignores 常委 gate variant)")
    print(f"peak RSS so far: {rss_mib():,.0f} MiB; accounting {counts['read']:,} read, {counts['counted']:,} counted")
    if args.variants:
        with __import__("tempfile").TemporaryDirectory() as tmp:
            base = Path(registry.rule_sets[JINAN].path)
            sweep = variants(base, args.variants, Path(tmp))
            workspace = prepare(rule_set, roster, cols, period)
            workspace.score(rule_set)  # warm the tallies once
            times = []
            for variant in sweep:
                t, _ = timed(lambda v=variant: workspace.score(v))
                times.append(t)
            print(f"{args.variants} parameter-only variants from one workspace: median {statistics.median(times) * 1000:.1f} ms, "
                  f"max {max(times) * 1000:.1f} ms per variant")
    if args.explain:
        ids = [m.id for m in members]
        random.Random(1).shuffle(ids)
        times = []
        for member_id in ids[: args.explain]:
            start = time.perf_counter()
            result.scorecard(member_id)
            times.append(time.perf_counter() - start)
        times.sort()
        print(f"one member's full scorecard ({args.explain} members): p50 {times[len(times) // 2] * 1e6:.0f} µs, "
              f"p99 {times[int(len(times) * 0.99)] * 1e6:.0f} µs")
    if args.reference:
        t_ref, _ = timed(lambda: score(rule_set, members, records, period))
        print(f"reference per-member path:        {t_ref:.2f} s → reference/batch = {t_ref / t_batch:.1f}×")
    print(f"peak RSS: {rss_mib():,.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
