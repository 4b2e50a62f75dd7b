"""Benchmark the pure-Python engine path, ``scoring.score``, on seeded synthetic cities.

Not a test and not run in CI. Each (case, rule set) pair runs in a fresh subprocess so that its
peak RSS (``resource.getrusage(...).ru_maxrss``) covers that run alone. Phases timed:

* ``generate`` — the synthetic rows (plain dicts) from :mod:`benchmarks.synthetic`; not engine
  work, shown for context;
* ``build`` — validating those rows into :class:`scoring.Member` / :class:`scoring.ActivityRecord`;
* ``score`` — ``scoring.score(rule_set, members, records, Period.year(2024))``.

Cases: ``small`` (500 members, 25,000 records), ``medium`` (20,000 / 400,000; a scaling point, not
run by default) and ``large`` (100,000 / 2,000,000). ``build`` and ``score`` are repeated
``--runs`` times (median reported; 5 runs for ``small``, 3 for ``medium``, 2 for ``large``). For
``small`` one extra, untimed pass under ``tracemalloc`` measures the peak traced Python
allocations of each phase; peak RSS is read before that pass.

Usage (from the repository root)::

    python benchmarks/bench_engine.py                       # cases small and large, Jinan 2015
    python benchmarks/bench_engine.py --cases small --rule-sets jinan-2015,tongcheng-2019
    python benchmarks/bench_engine.py --json results.json   # also save the raw figures
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

_ROOT = Path(__file__).resolve().parents[1]
if str(_ROOT) not in sys.path:
    sys.path.insert(0, str(_ROOT))

from benchmarks.synthetic import Row, iter_member_rows, iter_record_rows, plan_city  # noqa: E402

YEAR = 2024
SEED = 0


@dataclass(frozen=True)
class Case:
    """One benchmark size."""

    name: str
    n_members: int
    n_records: int
    runs: int
    tracemalloc: bool


CASES: dict[str, Case] = {
    "small": Case("small", 500, 25_000, runs=5, tracemalloc=True),
    "medium": Case("medium", 20_000, 400_000, runs=3, tracemalloc=False),
    "large": Case("large", 100_000, 2_000_000, runs=2, tracemalloc=False),
}


@dataclass
class Result:
    """Figures of one (case, rule set) run, as reported by the worker subprocess."""

    case: str
    rule_set: str
    n_members: int
    n_records: int
    runs: int
    generate_s: float
    build_s: list[float]
    score_s: list[float]
    rss_mb: dict[str, float]
    maxrss_mb: float
    scorecards: int
    counted: int
    ignored: int
    traced_peak_mb: dict[str, float] = field(default_factory=dict)

    @property
    def build_median(self) -> float:
        """Median build time in seconds."""
        return statistics.median(self.build_s)

    @property
    def score_median(self) -> float:
        """Median score time in seconds."""
        return statistics.median(self.score_s)


# --------------------------------------------------------------------------------------------
# Worker (runs in the subprocess)
# --------------------------------------------------------------------------------------------


def _rss_mb() -> float:
    """Current resident set size in MiB (Linux ``/proc``; 0 elsewhere)."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
    except (OSError, IndexError, ValueError):
        return 0.0
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def _maxrss_mb() -> float:
    """Peak resident set size of this process in MiB (``ru_maxrss`` is KiB on Linux)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 2**10


def _build(member_rows: Sequence[Row], record_rows: Sequence[Row]) -> tuple[list[Any], list[Any]]:
    from scoring import ActivityRecord, Member

    return [Member(**r) for r in member_rows], [ActivityRecord(**r) for r in record_rows]


def _traced_peaks(rule_set: Any, member_rows: Sequence[Row], record_rows: Sequence[Row]) -> dict[str, float]:
    """Peak traced allocations (MiB) of one build and one score, measured separately."""
    from scoring import Period, score

    gc.collect()
    tracemalloc.start()
    members, records = _build(member_rows, record_rows)
    build_peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.reset_peak()
    before = tracemalloc.get_traced_memory()[0]
    result = score(rule_set, members, records, Period.year(YEAR))
    score_peak = tracemalloc.get_traced_memory()[1] - before
    tracemalloc.stop()
    del result, members, records
    return {"build": build_peak / 2**20, "score": score_peak / 2**20}


def run_worker(case: Case, rule_set_path: Path) -> Result:
    """Generate, build and score ``case`` under the rule set at ``rule_set_path``."""
    from scoring import Period, load_rule_set, score

    rule_set = load_rule_set(rule_set_path)
    rss = {"import": _rss_mb()}
    start = time.perf_counter()
    city = plan_city(case.n_members, SEED, YEAR)
    member_rows = list(iter_member_rows(city))
    record_rows = list(iter_record_rows(city, case.n_records))
    generate_s = time.perf_counter() - start
    rss["rows"] = _rss_mb()
    build_s: list[float] = []
    score_s: list[float] = []
    summary = (0, 0, 0)
    for run in range(case.runs):
        start = time.perf_counter()
        members, records = _build(member_rows, record_rows)
        build_s.append(time.perf_counter() - start)
        if run == 0:
            rss["models"] = _rss_mb()
        start = time.perf_counter()
        result = score(rule_set, members, records, Period.year(YEAR))
        score_s.append(time.perf_counter() - start)
        if run == 0:
            rss["scored"] = _rss_mb()
        summary = (len(result.scorecards), result.accounting.counted, result.accounting.ignored)
        del result, members, records
        gc.collect()
    maxrss = _maxrss_mb()  # before the tracemalloc pass, whose own bookkeeping costs memory
    traced = _traced_peaks(rule_set, member_rows, record_rows) if case.tracemalloc else {}
    return Result(
        case=case.name, rule_set=rule_set.id, n_members=case.n_members, n_records=case.n_records,
        runs=case.runs, generate_s=generate_s, build_s=build_s, score_s=score_s, rss_mb=rss,
        maxrss_mb=maxrss, scorecards=summary[0], counted=summary[1], ignored=summary[2],
        traced_peak_mb=traced,
    )


# --------------------------------------------------------------------------------------------
# Driver (the parent process)
# --------------------------------------------------------------------------------------------


def rule_set_path(name: str) -> Path:
    """A rule-set file: a path, or the id of a rule set bundled with a plugin in this repo."""
    candidate = Path(name)
    if candidate.suffix == ".toml" and candidate.exists():
        return candidate
    found = sorted(_ROOT.glob(f"plugins/*/src/*/rule_sets/{name}.toml"))
    if not found:
        raise SystemExit(f"rule set {name!r} not found under plugins/*/src/*/rule_sets/")
    return found[0]


def _default_rule_set() -> str:
    return "jinan-2015" if list(_ROOT.glob("plugins/*/src/*/rule_sets/jinan-2015.toml")) else "tongcheng-2019"


def spawn(case: Case, path: Path) -> Result:
    """Run one worker in a fresh interpreter and parse its JSON report."""
    cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", case.name, "--rule-set-path", str(path),
           "--runs", str(case.runs)]
    if case.tracemalloc:
        cmd.append("--tracemalloc")
    done = subprocess.run(cmd, check=True, capture_output=True, text=True)
    return Result(**json.loads(done.stdout.strip().splitlines()[-1]))


def table(results: Sequence[Result]) -> str:
    """A small plain-text table of ``results``."""
    from tabulate import tabulate

    rows = [
        [
            r.case, r.rule_set, f"{r.n_members:,}", f"{r.n_records:,}", r.runs, f"{r.generate_s:.2f}",
            f"{r.build_median:.2f}", f"{r.score_median:.2f}", f"{r.build_median + r.score_median:.2f}",
            f"{r.n_records / (r.build_median + r.score_median):,.0f}",
            f"{r.traced_peak_mb['build']:.0f} / {r.traced_peak_mb['score']:.0f}" if r.traced_peak_mb else "—",
            f"{r.maxrss_mb:,.0f}",
        ]
        for r in results
    ]
    headers = ["case", "rule set", "members", "records", "runs", "generate s", "build s (median)",
               "score s (median)", "build+score s", "records/s", "tracemalloc peak MiB build / score",
               "peak RSS MiB"]
    return tabulate(rows, headers=headers, disable_numparse=True)


def _git(*args: str) -> str:
    try:
        done = subprocess.run(["git", *args], cwd=_ROOT, check=True, capture_output=True, text=True)
    except (OSError, subprocess.CalledProcessError):
        return "?"
    return done.stdout.strip()


def environment() -> dict[str, str]:
    """Where and on what code the figures were measured."""
    import pydantic

    import scoring

    dirty = bool(_git("status", "--porcelain", "--", "src"))
    return {
        "date": dt.date.today().isoformat(), "python": platform.python_version(),
        "implementation": platform.python_implementation(), "platform": platform.platform(),
        "cpus": str(os.cpu_count()), "pydantic": pydantic.VERSION, "scoring": scoring.__version__,
        "commit": _git("rev-parse", "--short", "HEAD") + ("+dirty-src" if dirty else ""),
    }


def _parse(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Benchmark scoring.score on synthetic cities.")
    parser.add_argument("--cases", default="small,large", help="comma-separated: small, medium, large")
    parser.add_argument("--rule-sets", default=None, help="comma-separated rule-set ids or .toml paths")
    parser.add_argument("--runs", type=int, default=None, help="override the number of timed runs")
    parser.add_argument("--json", type=Path, default=None, help="also write the raw figures here")
    parser.add_argument("--worker", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--rule-set-path", type=Path, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--tracemalloc", action="store_true", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the requested cases, each in its own subprocess, and print a table."""
    args = _parse(argv)
    if args.worker is not None:
        base = CASES[args.worker]
        case = Case(base.name, base.n_members, base.n_records, args.runs or base.runs, args.tracemalloc)
        print(json.dumps(asdict(run_worker(case, args.rule_set_path))))
        return 0
    names = (args.rule_sets or _default_rule_set()).split(",")
    env = environment()
    results: list[Result] = []
    for case_name in args.cases.split(","):
        base = CASES[case_name]
        case = Case(base.name, base.n_members, base.n_records, args.runs or base.runs, base.tracemalloc)
        for name in names:
            print(f"running {case.name} ({case.n_members:,} members, {case.n_records:,} records) "
                  f"with {name} …", file=sys.stderr, flush=True)
            results.append(spawn(case, rule_set_path(name)))
    print(" ".join(f"{k}={v}" for k, v in env.items()), flush=True)
    print(table(results))
    if args.json is not None:
        payload = {"environment": env, "results": [asdict(r) for r in results]}
        args.json.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
