"""Benchmark from files to per-member JSON Lines: the CLI against pyarrow plus a hand-written pipeline.

Measures the two bars of issue 5 on cities written by ``benchmarks/columnar.py`` (rule set
``jinan-2015``, year 2024):

* ``--size province`` — 100,000 members / 2,000,000 records from CSV: the CLI should be within
  2× of the hand-written step;
* ``--size national`` — 650,000 members / 32,000,000 records from Parquet: the CLI end to end
  under 15 s and under 6 GB peak memory (2-core machine);
* ``--size small`` — 5,000 / 100,000 from CSV, quick; also times ``--format json`` (the
  per-member reference path) as a baseline.

Steps, each in a fresh subprocess (wall time from spawn to exit, peak RSS from ``os.wait4``),
taking turns run by run:

* **generate** — ``columnar.py`` writes the files (only when they are missing);
* **hand** — read the records with pyarrow (``read_csv`` / ``read_table``, code columns read as
  dictionaries), turn codes into small integers, run the Jinan 2015 arithmetic of
  ``bench_batch.numpy_pipeline`` (totals, grades, the 三个一 gate, the below-60 warning; no
  vocabulary checks, duplicates, ``same_as``, exemptions or 常委 gate variant) and write one JSON
  object per member ``{"member_id", "total", "grade", "gate", "warning"}``;
* **hand-full** — the hand step made faithful to the rule set on this data (membership dates,
  ``same_as`` copies, the 常委 gate variant, exempt members): it agrees with the CLI on every
  member, and the province bar is judged against it;
* **cli** — ``scoring score --rule-set jinan-2015 --members M --records R --year 2024 --format
  jsonl --output OUT``; when the CLI rejects it (no ``jsonl`` format or no Parquet input yet) the
  step is reported "not available" with the CLI's message;
* **cli-json** (small only) — the same with ``--format json``.

    python benchmarks/bench_files.py --size small
    python benchmarks/bench_files.py --size province --repeat 3 --json province.json
    python benchmarks/bench_files.py --size national --repeat 3 --json national.json
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
YEAR = 2024
RULE_SET = "jinan-2015"
GRADES = ("excellent", "competent", "incompetent")  # jinan-2015's bands, best first
BAR_RATIO = 2.0  # province: cli within 2× of hand
BAR_SECONDS, BAR_BYTES = 15.0, 6e9  # national: end to end


@dataclass(frozen=True)
class Size:
    """A city size and the file format it is read from."""

    members: int
    records: int
    fmt: str
    steps: tuple[str, ...] = ("hand", "hand-full", "cli")


SIZES = {
    "small": Size(5_000, 100_000, "csv", ("hand", "hand-full", "cli", "cli-json")),
    "province": Size(100_000, 2_000_000, "csv"),
    "national": Size(650_000, 32_000_000, "parquet"),
}

# --------------------------------------------------------------------------------------------
# The hand-written step (runs in the child process)
# --------------------------------------------------------------------------------------------

CODE_COLUMNS = ("kind", "subtype", "status", "role", "flags")
VOCABULARY = {  # only the codes the Jinan 2015 arithmetic looks at: -1 is null, -2 any other value
    "kind": ("meeting", "proposal", "activity", "opinion"),
    "subtype": ("plenary", "standing_committee", "public_welfare", "inspection", "research"),
    "status": ("attended", "absent_unexcused", "leave_not_approved", "leave_approved", "registered"),
    "role": ("sole", "first"),
}


def read_columns(path: Path, columns: list[str], dictionary: list[str]) -> Any:
    """Read ``columns`` of a CSV or Parquet file with pyarrow, ``dictionary`` ones dictionary-encoded."""
    import pyarrow as pa

    if path.suffix == ".parquet":
        import pyarrow.parquet as pq

        return pq.read_table(path, columns=columns, read_dictionary=dictionary)
    import pyarrow.csv as pacsv

    types = {c: pa.dictionary(pa.int32(), pa.string()) for c in dictionary}
    types.update(date=pa.date32(), deleted=pa.bool_(), id=pa.string(), same_as=pa.string())
    options = pacsv.ConvertOptions(include_columns=columns, column_types=types, strings_can_be_null=True)
    return pacsv.read_csv(path, convert_options=options)


def by_dictionary(column: Any, lookup: Callable[[Any], npt.NDArray[Any]], null: int) -> npt.NDArray[Any]:
    """Map a dictionary column through ``lookup`` (values → one result per value; ``null`` for
    nulls): one call on the distinct dictionaries of all chunks concatenated (Parquet row groups
    share one), then each chunk's indices pick from the results."""
    import pyarrow as pa
    import pyarrow.compute as pc

    base: dict[tuple[int, int], int] = {}
    dictionaries = []
    for chunk in column.chunks:
        key = (chunk.dictionary.buffers()[-1].address, len(chunk.dictionary))
        if key not in base:
            base[key] = sum(map(len, dictionaries))
            dictionaries.append(chunk.dictionary)
    mapped = np.append(lookup(pa.concat_arrays(dictionaries)), null) if dictionaries else np.array([null])
    parts = []
    for chunk in column.chunks:
        start = base[(chunk.dictionary.buffers()[-1].address, len(chunk.dictionary))]
        indices = chunk.indices if chunk.null_count == 0 else pc.fill_null(chunk.indices, len(mapped) - 1 - start)
        parts.append(np.take(mapped, indices.to_numpy() + start if start else indices.to_numpy()))
    return np.concatenate(parts) if parts else mapped[:0]


def codes(column: Any, values: Any) -> npt.NDArray[np.int8 | np.int32]:
    """Positions of a dictionary column's values in ``values`` (a pyarrow array); -1 if null, -2
    if not in ``values`` (int8 for small vocabularies)."""
    import pyarrow.compute as pc

    def lookup(dictionary: Any) -> npt.NDArray[np.int8 | np.int32]:
        found = pc.fill_null(pc.index_in(dictionary, value_set=values), -2).to_numpy()
        return found.astype(np.int8 if len(values) < 127 else np.int32)

    return by_dictionary(column, lookup, -1)


def flag_bits(column: Any, flags: tuple[str, ...]) -> npt.NDArray[np.uint8]:
    """A bit per flag of ``flags`` for each record (``flags`` cells are ``,``-joined codes)."""

    def lookup(dictionary: Any) -> npt.NDArray[np.uint8]:
        cells = [set((s or "").split(",")) for s in dictionary.to_pylist()]
        return np.array([sum(1 << b for b, f in enumerate(flags) if f in c) for c in cells], dtype=np.uint8)

    return by_dictionary(column, lookup, 0)


def jinan_2015(
    cols: dict[str, npt.NDArray[Any]], n: int, *, counted: npt.NDArray[np.bool_] | None = None,
    copies: tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]] | None = None,
    standing: npt.NDArray[np.bool_] | None = None,
) -> dict[str, npt.NDArray[Any]]:
    """The arithmetic of ``bench_batch.numpy_pipeline`` on columns of small integer codes; with
    ``counted`` (records within their member's membership), ``copies`` (rows with a ``same_as``
    link and the rows they name) and ``standing`` (members on the standing committee), also the
    screening and gate variant the engine applies."""
    v = {column: {code: i for i, code in enumerate(values)} for column, values in VOCABULARY.items()}
    start, end = ((dt.date(YEAR, m, d) - dt.date(1970, 1, 1)).days for m, d in ((1, 1), (12, 31)))
    kind, subtype, status, role, m = cols["kind"], cols["subtype"], cols["status"], cols["role"], cols["member"]
    ok = (m >= 0) & ~cols["deleted"] & (cols["date"] >= start) & (cols["date"] <= end)
    if counted is not None:
        ok &= counted
    if copies is not None:  # a copy of a record that is itself counted is not counted again
        rows, targets = copies
        ok[rows[ok[rows] & ok[targets]]] = False

    def count(mask: npt.NDArray[np.bool_]) -> npt.NDArray[np.int64]:
        return np.bincount(m[mask & ok], minlength=n)

    meeting, proposal, activity, opinion = (v["kind"][k] for k in ("meeting", "proposal", "activity", "opinion"))
    plenary = (kind == meeting) & (subtype == v["subtype"]["plenary"])
    unexcused = count(plenary & np.isin(status, [v["status"]["absent_unexcused"], v["status"]["leave_not_approved"]]))
    leave = count(plenary & (status == v["status"]["leave_approved"]))
    attended = count(plenary & (status == v["status"]["attended"]))
    prop = kind == proposal
    registered_first = count(prop & (status == v["status"]["registered"])
                             & np.isin(role, [-1, v["role"]["sole"], v["role"]["first"]]))
    key = count(prop & ((cols["flags"] & 1) != 0))
    excellent = count(prop & ((cols["flags"] & 2) != 0))
    welfare = count((kind == activity) & (subtype == v["subtype"]["public_welfare"]))
    rewards = np.minimum(50, 5 * np.maximum(0, registered_first - 1) + 5 * key + 10 * excellent
                         + np.minimum(10, 2 * welfare))
    total = np.minimum(120, 70 - 30 * unexcused - 10 * leave + rewards)
    proposal_or_opinion = count(prop) + count(kind == opinion)
    research = count((kind == activity) & np.isin(subtype, [v["subtype"]["inspection"], v["subtype"]["research"]]))
    gate = (attended >= 1) & (proposal_or_opinion >= 1) & (research >= 1)
    if standing is not None:  # the 常委 variant: three standing-committee meetings attended
        standing_meetings = count((kind == meeting) & (subtype == v["subtype"]["standing_committee"])
                                  & (status == v["status"]["attended"]))
        gate &= ~standing | (standing_meetings >= 3)
    grade = np.select([total >= 85, total >= 60], [0, 1], 2)
    grade = np.where(~gate & (grade < 2), 2, grade)
    return {"total": total, "grade": grade, "gate": gate, "warning": total < 60}


def write_jsonl(path: Path, ids: Any, result: dict[str, npt.NDArray[Any]]) -> None:
    """One JSON object per member, built as one Arrow string column (no Python object per member)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    booleans = pa.array(["false", "true"])
    status = pa.array(['"status": "assessed", ', '"status": "exempt", ']).take(
        pa.array(result.get("exempt", np.zeros(len(ids), dtype=bool)).astype(np.int8)))
    lines = pc.binary_join_element_wise(
        '{"member_id": "', ids, '", ', status, '"total": ', pc.cast(pa.array(result["total"]), pa.string()),
        ', "grade": "', pa.array(GRADES).take(pa.array(result["grade"])),
        '", "gate": ', booleans.take(pa.array(result["gate"].astype(np.int8))),
        ', "warning": ', booleans.take(pa.array(result["warning"].astype(np.int8))), "}\n", "",
    )
    offsets = np.frombuffer(lines.buffers()[1], dtype=np.int32)[lines.offset: lines.offset + len(lines) + 1]
    with path.open("wb") as handle:
        handle.write(memoryview(lines.buffers()[2])[offsets[0]: offsets[-1]])


def encode_columns(table: Any, member_ids: Any) -> dict[str, npt.NDArray[Any]]:
    """The columns the Jinan 2015 arithmetic reads, as small integer codes."""
    import pyarrow as pa

    cols = {column: codes(table[column], pa.array(values)) for column, values in VOCABULARY.items()}
    # Member ids: each distinct dictionary (a Parquet row group's, a CSV block's) looked up once,
    # in one hash lookup of them all (unify_dictionaries would take 20 s at 32M records).
    cols["member"] = codes(table["member_id"], member_ids)
    cols["flags"] = flag_bits(table["flags"], ("key", "excellent"))
    cols["date"] = table["date"].cast(pa.int32()).to_numpy()
    cols["deleted"] = table["deleted"].to_numpy()
    return cols


class Phases(dict[str, float]):
    """Seconds of each phase of a step, a lap at a time."""

    def __init__(self) -> None:
        super().__init__()
        self._clock = time.perf_counter()

    def lap(self, name: str) -> None:
        """End the phase ``name`` now."""
        now = time.perf_counter()
        self[name] = now - self._clock
        self._clock = now


def hand(members: Path, records: Path, output: Path) -> dict[str, float]:
    """The hand-written step; returns the seconds of each phase."""
    import pyarrow.compute as pc

    phases = Phases()
    lap = phases.lap
    member_ids = read_columns(members, ["id"], [])["id"].combine_chunks()
    member_ids = member_ids.take(pc.sort_indices(member_ids))  # per-member arrays in id order
    table = read_columns(records, ["member_id", *CODE_COLUMNS, "date", "deleted"], ["member_id", *CODE_COLUMNS])
    lap("read")
    cols = encode_columns(table, member_ids)
    del table
    lap("encode")
    result = jinan_2015(cols, len(member_ids))
    lap("pipeline")
    write_jsonl(output, member_ids, result)
    lap("write")
    return phases


def hand_full(members: Path, records: Path, output: Path) -> dict[str, float]:
    """The hand-written step made faithful to the rule set on this data: :func:`hand` plus what the
    engine's screening and the 常委 gate variant do here — records outside a member's membership
    (joined/left) and ``same_as`` copies of a counted record are not counted, standing-committee
    members must attend three standing-committee meetings, exempt members are marked. (Only the
    cases this data has: no duplicated ids, no ``same_as`` chains, no unknown codes; it says so
    if that ever changes.)"""
    import pyarrow as pa
    import pyarrow.compute as pc

    phases = Phases()
    lap = phases.lap
    roster = read_columns(members, ["id", "roles", "joined", "left", "exempt"], ["roles", "exempt"])
    roster = roster.take(pc.sort_indices(roster["id"]))
    member_ids = roster["id"].combine_chunks()
    table = read_columns(records, ["id", "member_id", *CODE_COLUMNS, "date", "deleted", "same_as"],
                         ["member_id", *CODE_COLUMNS])
    lap("read")
    cols = encode_columns(table, member_ids)
    standing = flag_bits(roster["roles"], ("standing_committee",)).astype(bool)
    exempt = pc.greater(pc.binary_length(pc.fill_null(roster["exempt"].cast(pa.string()), "")), 0).to_numpy()
    joined = roster["joined"].cast(pa.int32()).fill_null(-(2**31)).to_numpy(zero_copy_only=False)
    left = roster["left"].cast(pa.int32()).fill_null(2**31 - 1).to_numpy(zero_copy_only=False)
    links = np.flatnonzero(pc.is_valid(table["same_as"]).to_numpy())  # empty cells are null
    named = table["same_as"].take(links).combine_chunks()
    # The row of each named id: the few named ids hashed, every id looked up among them.
    distinct_named = pc.unique(named)
    where = pc.index_in(table["id"], value_set=distinct_named).to_numpy(zero_copy_only=False)
    rows = np.flatnonzero(~np.isnan(where)) if where.dtype.kind == "f" else np.flatnonzero(where >= 0)
    row_of = np.full(len(distinct_named), -1, dtype=np.int64)
    row_of[where[rows].astype(np.int64)] = rows
    target_rows = row_of[pc.index_in(named, value_set=distinct_named).to_numpy()]
    lap("encode")
    m, date = cols["member"], cols["date"]  # (unknown members, -1, are not counted anyway)
    within = (date >= np.take(joined, m, mode="clip")) & (date <= np.take(left, m, mode="clip"))
    if np.any(target_rows < 0):
        raise SystemExit("hand-full: a same_as link names no record (not handled here)")
    if np.isin(target_rows, links).any():
        raise SystemExit("hand-full: a same_as chain (not handled here)")
    result = jinan_2015(cols, len(member_ids), counted=within, copies=(links, target_rows), standing=standing)
    result["exempt"] = exempt
    lap("pipeline")
    write_jsonl(output, member_ids, result)
    lap("write")
    return phases


# --------------------------------------------------------------------------------------------
# Steps as subprocesses (parent)
# --------------------------------------------------------------------------------------------


@dataclass
class Step:
    """Runs of one step: wall seconds, peak RSS, and the child's own phase timings."""

    name: str
    status: str = "ok"
    message: str = ""
    seconds: list[float] = field(default_factory=list)
    peak_mib: list[float] = field(default_factory=list)
    phases: list[dict[str, float]] = field(default_factory=list)

    @property
    def median(self) -> float | None:
        """Median wall seconds, if it ran."""
        return statistics.median(self.seconds) if self.seconds else None

    def as_json(self) -> dict[str, Any]:
        """The step for ``--json``."""
        phases = {k: statistics.median(p[k] for p in self.phases) for k in self.phases[0]} if self.phases else {}
        return {"status": self.status, "message": self.message, "median_s": self.median, "runs_s": self.seconds,
                "peak_rss_mib": max(self.peak_mib, default=None), "phases_median_s": phases}


def run(command: list[str]) -> tuple[int, float, float, str, str]:
    """Run ``command``; exit code, wall seconds, peak RSS of that child (MiB), stdout, stderr."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        child = subprocess.Popen(command, stdout=out, stderr=err, cwd=REPO)
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return child.returncode, seconds, usage.ru_maxrss / 1024, out.read().decode(), err.read().decode()


def scoring_command() -> list[str]:
    """The ``scoring`` console script (or ``python -m scoring`` if it is not on PATH)."""
    script = shutil.which("scoring")
    return [script] if script else [sys.executable, "-m", "scoring"]


def command(step: str, members: Path, records: Path, output: Path) -> list[str]:
    """The command line of ``step``."""
    if step.startswith("hand"):
        child = [sys.executable, str(Path(__file__).resolve()), f"--child-{step}"]
        return [*child, str(members), str(records), str(output)]
    fmt = "json" if step == "cli-json" else "jsonl"
    return [*scoring_command(), "score", "--rule-set", RULE_SET, "--members", str(members), "--records",
            str(records), "--year", str(YEAR), "--format", fmt, "--output", str(output)]


def measure(steps: list[str], members: Path, records: Path, work: Path, repeat: int) -> dict[str, Step]:
    """``repeat`` rounds of every step, interleaved (a slow spell of a shared machine then falls on
    every step alike); a step that fails once is reported as not available and not run again."""
    results = {step: Step(step) for step in steps}
    for _ in range(repeat):
        for step, result in results.items():
            if result.status != "ok":
                continue
            output = work / f"{step}.{'json' if step == 'cli-json' else 'jsonl'}"
            code, seconds, peak, out, err = run(command(step, members, records, output))
            if code != 0:
                result.status = "not available" if step.startswith("cli") else "failed"
                result.message = (err.strip().splitlines() or [f"exit code {code}"])[-1][:300]
                continue
            result.seconds.append(seconds)
            result.peak_mib.append(peak)
            if step.startswith("hand"):
                result.phases.append(json.loads(out))
    return results


def generate(size: Size, directory: Path) -> dict[str, Any]:
    """Write the city's files with ``columnar.py`` unless they exist; time and size them."""
    names = [f"members.{size.fmt}", f"records.{size.fmt}"]
    info: dict[str, Any] = {}
    if not all((directory / n).exists() for n in names):
        code, seconds, peak, _, err = run([
            sys.executable, str(HERE / "columnar.py"), "--members", str(size.members), "--records",
            str(size.records), "--out", str(directory), "--format", size.fmt,
        ])
        if code != 0:
            raise SystemExit(f"columnar.py failed: {err}")
        info.update(generate_s=seconds, generate_peak_rss_mib=peak)
    info["files_mib"] = {n: (directory / n).stat().st_size / 2**20 for n in names}
    return info


def agreement(hand_out: Path, cli_out: Path) -> str:
    """How many members the CLI's JSON Lines give the hand-written total and grade (a sanity check;
    the hand-written step ignores exemptions, duplicates and the 常委 gate variant)."""
    try:
        mine = {r["member_id"]: r for r in map(json.loads, hand_out.read_text(encoding="utf-8").splitlines())}
        same = total = exempt = 0
        for line in cli_out.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            if "member_id" not in row:
                continue
            if row.get("status") == "exempt":
                exempt += 1
                continue
            total += 1
            ours = mine.get(row["member_id"])
            value = row.get("total")
            same += (ours is not None and value is not None and float(value) == ours["total"]
                     and row.get("grade") == ours["grade"])
        return f"{same:,} of {total:,} assessed members with the same total and grade ({exempt:,} exempt)"
    except (OSError, ValueError, TypeError, KeyError) as exc:
        return f"not compared ({type(exc).__name__}: {exc})"


def git_commit() -> str:
    """Current commit, with ``+dirty`` when tracked files differ from it."""
    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True).stdout.strip()

    dirty = git("status", "--porcelain", "--untracked-files=no")
    return git("rev-parse", "--short", "HEAD") + ("+dirty" if dirty else "")


def compile_sources() -> None:
    """Byte-compile the installed ``scoring`` package and plugins once, as installing a wheel does
    (an editable install under ``PYTHONDONTWRITEBYTECODE`` would otherwise compile every module
    on every CLI run, while numpy and pyarrow come precompiled)."""
    import importlib.util

    folders = []
    for name in ("scoring", "scoring_jinan"):
        spec = importlib.util.find_spec(name)
        folders += list(spec.submodule_search_locations or []) if spec else []
    subprocess.run([sys.executable, "-m", "compileall", "-q", *folders], check=False, capture_output=True)


def bench(name: str, size: Size, data: Path, repeat: int, steps: tuple[str, ...]) -> dict[str, Any]:
    """Every step of one size; returns the report of that size."""
    directory = data / name
    files = generate(size, directory)
    members, records = directory / f"members.{size.fmt}", directory / f"records.{size.fmt}"
    report: dict[str, Any] = {"members": size.members, "records": size.records, "format": size.fmt, **files}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        results = measure([step for step in steps if step in size.steps], members, records, work, repeat)
        if results.get("cli", Step("cli", "missing")).status == "ok":
            for step in ("hand", "hand-full"):
                if results.get(step, Step(step, "missing")).status == "ok":
                    # In a child: a parent grown by parsing 650k lines would inflate later
                    # children's ru_maxrss (a forked child starts from its parent's resident size).
                    _, _, _, out, _ = run([sys.executable, str(Path(__file__).resolve()), "--child-agreement",
                                           str(work / f"{step}.jsonl"), str(work / "cli.jsonl")])
                    report[f"agreement_{step.replace('-', '_')}"] = out.strip()
    report["steps"] = {step: r.as_json() for step, r in results.items()}
    cli = results.get("cli", Step("cli"))
    for step in ("hand", "hand-full"):
        hand_s = results.get(step, Step(step)).median
        if hand_s and cli.median:
            report[f"cli_over_{step.replace('-', '_')}"] = cli.median / hand_s
    return report


def verdicts(name: str, report: dict[str, Any]) -> list[str]:
    """The issue-5 bars for this size, met or not."""
    cli = report["steps"].get("cli", {})
    if cli.get("median_s") is None:
        return [f"{name}: CLI {cli.get('status', 'not run')} — bars not measurable"]
    if name == "national":
        ok_t, ok_m = cli["median_s"] < BAR_SECONDS, cli["peak_rss_mib"] * 2**20 < BAR_BYTES
        return [f"national: CLI {cli['median_s']:.1f} s (bar < 15 s: {'met' if ok_t else 'NOT met'}), "
                f"peak {cli['peak_rss_mib']:,.0f} MiB (bar < 6 GB: {'met' if ok_m else 'NOT met'})"]
    lines = []
    for step, what in (("hand_full", "the faithful hand step (the bar)"), ("hand", "the 8-column hand step")):
        ratio = report.get(f"cli_over_{step}")
        if ratio is None:
            continue
        met = "met" if ratio <= BAR_RATIO else "NOT met"
        bar = f" (bar ≤ {BAR_RATIO:.0f}×: {met})" if name == "province" and step == "hand_full" else ""
        lines.append(f"{name}: CLI ÷ {what} = {ratio:.2f}×{bar}")
    return lines


def table(reports: dict[str, dict[str, Any]]) -> str:
    """A plain-text table of every size and step."""
    head = f"{'size':9} {'step':9} {'status':14} {'median s':>9} {'runs s':>24} {'peak RSS MiB':>13}"
    lines = [f"{head}  phases (median s)"]
    for name, report in reports.items():
        for step, r in report["steps"].items():
            runs = " ".join(f"{s:.2f}" for s in r["runs_s"])
            med = f"{r['median_s']:.2f}" if r["median_s"] is not None else "—"
            peak = f"{r['peak_rss_mib']:,.0f}" if r["peak_rss_mib"] is not None else "—"
            phases = " ".join(f"{k} {v:.2f}" for k, v in r["phases_median_s"].items())
            lines.append(f"{name:9} {step:9} {r['status']:14} {med:>9} {runs:>24} {peak:>13}  {phases}")
            if r["message"]:
                lines.append(f"{'':20}{r['message']}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", action="append", choices=sorted(SIZES), help="repeatable; default: small")
    parser.add_argument("--repeat", type=int, default=3, help="runs per step (median reported)")
    parser.add_argument("--steps", default="hand,hand-full,cli,cli-json",
                        help="comma-separated subset of hand,hand-full,cli,cli-json")
    parser.add_argument("--data", type=Path, default=Path(tempfile.gettempdir()) / "scoring-bench-files",
                        help="where the generated cities are kept (one directory per size)")
    parser.add_argument("--json", type=Path, help="also write the report as JSON here")
    parser.add_argument("--child-hand", nargs=3, type=Path, metavar=("MEMBERS", "RECORDS", "OUT"),
                        help=argparse.SUPPRESS)
    parser.add_argument("--child-hand-full", nargs=3, type=Path, metavar=("MEMBERS", "RECORDS", "OUT"),
                        help=argparse.SUPPRESS)
    parser.add_argument("--child-agreement", nargs=2, type=Path, metavar=("HAND", "CLI"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child_agreement:
        print(agreement(*args.child_agreement))
        return 0
    if args.child_hand:
        print(json.dumps(hand(*args.child_hand)))
        return 0
    if args.child_hand_full:
        print(json.dumps(hand_full(*args.child_hand_full)))
        return 0
    steps = tuple(s for s in args.steps.split(",") if s)
    compile_sources()
    reports = {name: bench(name, SIZES[name], args.data, args.repeat, steps) for name in args.size or ["small"]}
    document = {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), "commit": git_commit(),
        "machine": f"{os.cpu_count()} CPUs, {platform.platform()}, Python {platform.python_version()}",
        "load_average": os.getloadavg(), "rule_set": RULE_SET, "year": YEAR, "sizes": reports,
    }
    print(table(reports))
    for name, report in reports.items():
        extra = {k: round(v, 1) for k, v in report.items() if k in ("generate_s", "generate_peak_rss_mib")}
        files = ", ".join(f"{k} {v:,.1f} MiB" for k, v in report["files_mib"].items())
        print(f"{name}: {report['members']:,} members, {report['records']:,} records ({files}) {extra or ''}")
        agreements = [f"{name}: {step} vs CLI: {report[f'agreement_{step}']}" for step in ("hand", "hand_full")
                      if f"agreement_{step}" in report]
        for line in verdicts(name, report) + agreements:
            print(line)
    if args.json:
        args.json.write_text(json.dumps(document, indent=2, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
