"""Benchmark of one member's full scorecard with explanation (not a test; not run in CI).

Builds a seeded synthetic city (:func:`benchmarks.synthetic.generate`), scores it once with the
batch path (``prepare(...).score(rule_set)``), then times ``BatchResult.scorecard(member_id)``
— every line item with its records, clauses, raw and final points and cap/floor reasons, gates,
warnings, rank and provenance — for ``--sample`` random members, ``--repeat`` times, and prints
p50 / p99 of each pass.

For comparison it times the reference path's per-member work on the same members: the
functions ``scoring.score`` runs for every member (``draft_member`` on the member's accepted
records from the reference screening, then ``finish_card``; ranking is a whole-city step and is
left out). With ``--check`` it also runs ``scoring.score`` on the whole city (minutes for a large
city) and checks that every sampled lazy scorecard equals the reference scorecard.

The first scorecards of a role profile build that profile's shared parts; one untimed warm-up
pass over other members comes first, as a long-running service would have had.

    python benchmarks/bench_scorecard.py                                  # 30,000 members, 600,000 records
    python benchmarks/bench_scorecard.py --members 2000 --records 40000 --check
    python benchmarks/bench_scorecard.py --rule-set tongcheng-2019 --clock cpu
"""

from __future__ import annotations

import argparse
import gc
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.synthetic import generate
from scoring import Period, score
from scoring.batch import encode_records, prepare
from scoring.engine.core import MemberPlans, draft_member, finish_card
from scoring.engine.history import History
from scoring.engine.screening import screen
from scoring.plugins import Registry

YEAR = 2024


def percentiles(times: list[float]) -> tuple[float, float]:
    """p50 and p99 of ``times`` in microseconds."""
    ordered = sorted(times)
    return ordered[len(ordered) // 2] * 1e6, ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1e6


def timed_pass(ids: list[str], card: Callable[[str], object], clock: Callable[[], float]) -> list[float]:
    """The time of ``card(id)`` for each of ``ids``."""
    gc.collect()
    times = []
    for member_id in ids:
        start = clock()
        card(member_id)
        times.append(clock() - start)
    return times


def report(label: str, passes: list[list[float]]) -> None:
    """One line per pass and the spread of p50 / p99 over the passes."""
    p50s, p99s = zip(*(percentiles(t) for t in passes), strict=True)
    for k, (p50, p99) in enumerate(zip(p50s, p99s, strict=True), start=1):
        print(f"  {label} pass {k}: p50 {p50:6.0f} µs   p99 {p99:6.0f} µs")
    print(f"  {label}: p50 {min(p50s):.0f}–{max(p50s):.0f} µs (median {statistics.median(p50s):.0f}), "
          f"p99 {min(p99s):.0f}–{max(p99s):.0f} µs (median {statistics.median(p99s):.0f})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--members", type=int, default=30_000)
    parser.add_argument("--records", type=int, default=600_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--rule-set", default="jinan-2015")
    parser.add_argument("--sample", type=int, default=1000, help="members timed per pass")
    parser.add_argument("--repeat", type=int, default=3, help="timed passes")
    parser.add_argument("--clock", choices=("wall", "cpu"), default="wall",
                        help="wall: time.perf_counter; cpu: this thread's CPU time (less sensitive to a busy machine)")
    parser.add_argument("--no-reference", action="store_true", help="skip the reference path's per-member timing")
    parser.add_argument("--check", action="store_true", help="compare the sampled cards with scoring.score")
    args = parser.parse_args(argv)
    clock = time.perf_counter if args.clock == "wall" else time.thread_time
    rule_set = Registry.build().load(args.rule_set)
    period = Period.year(YEAR)
    print(f"city: {args.members:,} members, {args.records:,} records, seed {args.seed}; rule set {args.rule_set}; "
          f"clock {args.clock}")
    start = time.perf_counter()
    members, records = generate(args.members, args.records, seed=args.seed, year=YEAR)
    print(f"generate: {time.perf_counter() - start:.1f} s")
    start = time.perf_counter()
    result = prepare(rule_set, members, encode_records(rule_set, members, records), period).score(rule_set)
    print(f"batch encode + score: {time.perf_counter() - start:.1f} s")

    ids = sorted(m.id for m in members)
    random.Random(1).shuffle(ids)
    sample, warm = ids[: args.sample], ids[args.sample: 2 * args.sample]
    for member_id in warm:
        result.scorecard(member_id)
    print(f"one member's full scorecard, batch result ({len(sample)} random members per pass):")
    report("batch", [timed_pass(sample, result.scorecard, clock) for _ in range(args.repeat)])

    if not args.no_reference:
        start = time.perf_counter()
        by_id = {m.id: m for m in members}
        screening = screen(rule_set, by_id, records, period)
        plans, past = MemberPlans(rule_set), History(())
        print(f"reference screening: {time.perf_counter() - start:.1f} s")

        def reference_card(member_id: str) -> object:
            accepted = screening.accepted.get(member_id, ())
            draft = draft_member(rule_set, by_id[member_id], period, accepted, plans)
            return finish_card(rule_set, draft, period, past, plans)

        for member_id in warm:
            reference_card(member_id)
        print("the same members, reference path (draft_member + finish_card, no ranking):")
        report("reference", [timed_pass(sample, reference_card, clock) for _ in range(args.repeat)])

    if args.check:
        start = time.perf_counter()
        reference = score(rule_set, members, records, period)
        cards = {c.member_id: c for c in reference.scorecards}
        differ = [m for m in sample if result.scorecard(m) != cards[m]]
        print(f"check against scoring.score ({time.perf_counter() - start:.0f} s): "
              f"{len(sample) - len(differ)} of {len(sample)} sampled scorecards equal")
        if differ:
            print(f"  differ: {differ[:10]}")
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
