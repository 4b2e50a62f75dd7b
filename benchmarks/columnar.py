"""Vectorised synthetic cities, streamed to Parquet and CSV: tens of millions of records in minutes.

The same city as :mod:`benchmarks.synthetic` — same canonical columns, vocabulary and mix of
records (its reference tables and weights are imported, not copied) — but drawn with a seeded
numpy ``Generator`` a chunk of members at a time and written with pyarrow, so 650,000 members
and 32 million records take a couple of minutes and well under 2 GB of memory instead of ~20
minutes of row-by-row Python. The draws differ from ``synthetic.py``, so the two generators give
different cities with approximately the same proportions; each is deterministic in its
arguments (same arguments → byte-identical files).

    python benchmarks/columnar.py --members 650000 --records 32000000 --out /tmp/national --format parquet,csv

Writes ``members.{parquet,csv}`` and ``records.{parquet,csv}``. Column types: CSV is text (as
``synthetic.write_csv`` writes it, except that pyarrow quotes every string cell); Parquet has
``string`` code and text columns, ``date32`` dates, ``int64`` ``signers`` and ``quantity`` (always 1)
and a ``bool`` ``deleted``; ``roles`` and ``flags`` are ``,``-joined sorted codes, absent values null.

Public API: :func:`plan_members`, :func:`iter_record_tables`, :func:`write_city`,
:data:`RECORD_SCHEMA`, :data:`MEMBER_SCHEMA`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import resource
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import synthetic as syn

Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]

DEFAULT_CHUNK = 2_000_000
"""Records per chunk (one Parquet row group each); memory grows with it (~0.5 GB per million)."""

EPOCH = dt.date(1970, 1, 1)

# --------------------------------------------------------------------------------------------
# Vocabularies: every value a column can take, in a fixed order (codes are indices into them)
# --------------------------------------------------------------------------------------------


def _unique(items: Sequence[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


def _items(pick: syn.Pick[str]) -> list[str]:
    return list(pick._items)


KINDS = ("meeting", "proposal", "opinion", "activity", "deed", "report", "study", "award", "discipline")
SUBTYPES = _unique([
    "plenary", "standing_committee", "duty_report", "research_report",
    *_items(syn._MEETING_SUBTYPE), *_items(syn._ACTIVITY_SUBTYPE), *_items(syn._DEED_SUBTYPE),
    *_items(syn._STUDY_SUBTYPE), *_items(syn._DISCIPLINE_SUBTYPE),
])
STATUSES = _unique([
    *_items(syn._PLENARY_STATUS), *_items(syn._STANDING_STATUS), *_items(syn._MEETING_STATUS),
    *_items(syn._PROPOSAL_STATUS), *_items(syn._DEED_STATUS), "submitted", "adopted",
])
ROLES = ("sole", "first", "co", "collective_main")
LEVELS = _unique(_items(syn._ADOPTION_LEVEL) + _items(syn._AWARD_LEVEL))
PROPOSAL_FLAGS = (("key", 0.04), ("excellent", 0.03), ("sent_up", 0.02))
FLAGS = (  # opinions, written speeches, then every combination of the proposal flags (sorted, joined)
    "instructed", "listed",
    *(",".join(sorted(c)) for r in (1, 2, 3) for c in itertools.combinations([f for f, _ in PROPOSAL_FLAGS], r)),
)
NOTE_GROUPS = {**syn._NOTES, "award": syn.AWARD_TITLES, **{k: (v,) for k, v in syn.DISCIPLINE_NOTES.items()}}
NOTES = tuple(note for group in NOTE_GROUPS.values() for note in group)
NOTE_START = dict(zip(NOTE_GROUPS, itertools.accumulate([0, *map(len, NOTE_GROUPS.values())]), strict=False))
MEMBER_ROLES = tuple(  # bit 1 standing committee, bit 2 core, bit 4 convener
    ",".join(sorted(["member"] + [r for b, r in ((1, "standing_committee"), (2, "core"), (4, "convener")) if bits & b]))
    for bits in range(8)
)

RECORD_SCHEMA = pa.schema([
    ("id", pa.string()), ("member_id", pa.string()), ("kind", pa.string()), ("subtype", pa.string()),
    ("status", pa.string()), ("role", pa.string()), ("signers", pa.int64()), ("flags", pa.string()),
    ("level", pa.string()), ("quantity", pa.int64()), ("date", pa.date32()), ("scored_on", pa.date32()),
    ("same_as", pa.string()), ("deleted", pa.bool_()), ("note", pa.string()),
])
MEMBER_SCHEMA = pa.schema([
    ("id", pa.string()), ("name", pa.string()), ("sector", pa.string()), ("committee", pa.string()),
    ("group", pa.string()), ("employer", pa.string()), ("roles", pa.string()), ("joined", pa.date32()),
    ("left", pa.date32()), ("term", pa.string()), ("exempt", pa.string()),
])
assert tuple(RECORD_SCHEMA.names) == syn.RECORD_COLUMNS and tuple(MEMBER_SCHEMA.names) == syn.MEMBER_COLUMNS


class Choice:
    """A weighted choice over one of ``synthetic.py``'s ``Pick`` tables, drawn as vocabulary codes."""

    def __init__(self, pick: syn.Pick[str] | syn.Pick[int], vocabulary: Sequence[object] | None = None) -> None:
        cum = np.asarray(pick._cum, dtype=float)
        self.p = np.diff(cum, prepend=0.0) / cum[-1]
        items = list(pick._items)
        self.codes = np.array([vocabulary.index(i) for i in items] if vocabulary else items, dtype=np.int64)

    def __call__(self, rng: np.random.Generator, n: int) -> Ints:
        """``n`` draws, as codes into the vocabulary (or the items themselves without one)."""
        return self.codes[rng.choice(len(self.p), size=n, p=self.p)]


KIND = Choice(syn._KIND, KINDS)
SHAPE = Choice(syn._PROPOSAL_SHAPE, ["sole", "joint", "collective_main"])  # codes 0 sole, 1 joint, 2 collective
SIGNERS = Choice(syn._SIGNERS)
PLENARY_STATUS = Choice(syn._PLENARY_STATUS, STATUSES)
STANDING_STATUS = Choice(syn._STANDING_STATUS, STATUSES)
MEETING_STATUS = Choice(syn._MEETING_STATUS, STATUSES)
MEETING_SUBTYPE = Choice(syn._MEETING_SUBTYPE, SUBTYPES)
PROPOSAL_STATUS = Choice(syn._PROPOSAL_STATUS, STATUSES)
ADOPTION_LEVEL = Choice(syn._ADOPTION_LEVEL, LEVELS)
AWARD_LEVEL = Choice(syn._AWARD_LEVEL, LEVELS)
ACTIVITY_SUBTYPE = Choice(syn._ACTIVITY_SUBTYPE, SUBTYPES)
DEED_SUBTYPE = Choice(syn._DEED_SUBTYPE, SUBTYPES)
DEED_STATUS = Choice(syn._DEED_STATUS, STATUSES)
STUDY_SUBTYPE = Choice(syn._STUDY_SUBTYPE, SUBTYPES)
DISCIPLINE_SUBTYPE = Choice(syn._DISCIPLINE_SUBTYPE, SUBTYPES)

K = {k: i for i, k in enumerate(KINDS)}
S = {s: i for i, s in enumerate(SUBTYPES)}
ST = {s: i for i, s in enumerate(STATUSES)}
SECTORS = tuple(s for s, _ in syn.SECTORS)
SURNAMES = tuple(s for s, _ in syn.SURNAMES)
SECTOR = Choice(syn._SECTOR, SECTORS)
SURNAME = Choice(syn._SURNAME, SURNAMES)

# --------------------------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------------------------


def fixed_ids(prefix: str, numbers: Ints, width: int) -> pa.StringArray:
    """``f"{prefix}{n:0{width}d}"`` for every n, built as bytes (no Python string per row)."""
    head = np.frombuffer(prefix.encode(), dtype=np.uint8)
    length = len(head) + width
    buf = np.empty((len(numbers), length), dtype=np.uint8)
    buf[:, : len(head)] = head
    rest = numbers.astype(np.int64)
    for j in range(length - 1, len(head) - 1, -1):
        buf[:, j] = 48 + rest % 10
        rest = rest // 10
    offsets = np.arange(len(numbers) + 1, dtype=np.int64) * length
    return pa.LargeStringArray.from_buffers(len(numbers), pa.py_buffer(offsets), pa.py_buffer(buf.ravel())).cast(
        pa.string()
    )


def take(vocabulary: Sequence[str] | pa.Array, codes: Ints) -> pa.Array:
    """The strings of ``codes`` in ``vocabulary`` (code -1 → null)."""
    values = vocabulary if isinstance(vocabulary, pa.Array) else pa.array(list(vocabulary), pa.string())
    return values.take(pa.array(codes, mask=codes < 0))


def dates(days: Ints) -> pa.Array:
    """Day numbers since 1970-01-01 as a ``date32`` array (-1 → null)."""
    return pa.array(days.astype(np.int32), mask=days < 0).cast(pa.date32())


def exclusive_cumsum(counts: Ints) -> Ints:
    """Start offsets of consecutive runs of ``counts``."""
    out = np.zeros(len(counts), dtype=np.int64)
    np.cumsum(counts[:-1], out=out[1:])
    return out


def runs(counts: Ints) -> tuple[Ints, Ints]:
    """For runs of ``counts``: each item's run index and its offset within the run."""
    owner = np.repeat(np.arange(len(counts)), counts)
    return owner, np.arange(len(owner)) - np.repeat(exclusive_cumsum(counts), counts)


# --------------------------------------------------------------------------------------------
# Members
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Members:
    """A planned city: its calendar, member table and what record generation needs per member."""

    year: int
    plenary: int  # day index (0 = 1 January)
    standing: Ints  # day indices of the six standing-committee meetings
    table: pa.Table
    ids: pa.StringArray
    sector: Ints
    first_day: Ints
    last_day: Ints
    weight: npt.NDArray[np.float64]
    standing_meetings: Ints
    duty_report: Bools

    @property
    def n(self) -> int:
        """Number of members."""
        return len(self.sector)

    @property
    def day0(self) -> int:
        """1 January of the year, in days since 1970-01-01."""
        return (dt.date(self.year, 1, 1) - EPOCH).days

    def structural_count(self) -> Ints:
        """Per member: the plenary record, standing-committee meetings and the duty report."""
        return 1 + self.standing_meetings + self.duty_report


def _calendar(rng: np.random.Generator, year: int) -> tuple[int, Ints, int]:
    jan1 = dt.date(year, 1, 1)
    plenary = 5 + int(rng.integers(10))
    standing = np.array([(dt.date(year, m, 10) - jan1).days for m in (2, 4, 6, 8, 10, 12)]) + rng.integers(15, size=6)
    return plenary, standing, (dt.date(year + 1, 1, 1) - jan1).days


def plan_members(n_members: int, seed: int = 0, year: int = 2024, term: str = syn.DEFAULT_TERM) -> Members:
    """Draw ``n_members`` members the way ``synthetic.plan_city`` does (deterministic in its arguments)."""
    if n_members < 1:
        raise ValueError("n_members must be at least 1")
    rng = np.random.default_rng([seed, year, 0])
    plenary, standing_days, n_days = _calendar(rng, year)
    n = n_members
    sector_code = SECTOR(rng, n)
    roles = (rng.random(n) < syn.P_STANDING) * 1 + (rng.random(n) < 0.15) * 2 + (rng.random(n) < 0.03) * 4
    standing = (roles & 1).astype(bool)
    first = np.zeros(n, dtype=np.int64)
    last = np.full(n, n_days - 1, dtype=np.int64)
    draw = rng.random(n)
    late = draw < 0.05  # 增补委员: elected at this year's plenary session
    first[late] = plenary
    gone = (draw >= 0.05) & (draw < 0.07)  # left during the year
    jan1 = dt.date(year, 1, 1)
    last[gone] = rng.integers((dt.date(year, 6, 1) - jan1).days, (dt.date(year, 11, 30) - jan1).days, size=gone.sum())
    exempt = rng.random(n) < 0.01
    span = (last - first + 1) / n_days
    weight = rng.lognormal(0.0, 0.5, n) * np.where(standing, 1.3, 1.0) * np.where(exempt, 0.3, 1.0) * span
    held = ((standing_days[None, :] >= first[:, None]) & (standing_days[None, :] <= last[:, None])).sum(axis=1)
    meetings = np.where(standing, np.minimum(4 + rng.integers(3, size=n), held), 0)
    duty = standing | (rng.random(n) < 0.25)
    table = _member_table(rng, n, sector_code, roles, first, last, late, gone, exempt, year, plenary, term)
    return Members(year=year, plenary=plenary, standing=standing_days, table=table, ids=table["id"].combine_chunks(),
                   sector=sector_code, first_day=first, last_day=last, weight=weight,
                   standing_meetings=meetings, duty_report=duty)


def _member_table(
    rng: np.random.Generator, n: int, sector: Ints, roles: Ints, first: Ints, last: Ints,
    late: Bools, gone: Bools, exempt: Bools, year: int, plenary: int, term: str,
) -> pa.Table:
    """The member rows: names, committees, employers, roles and membership dates."""
    day0 = (dt.date(year, 1, 1) - EPOCH).days
    surname = take(SURNAMES, SURNAME(rng, n))
    chars = pa.array(list(syn.GIVEN_CHARS), pa.string())
    given1 = chars.take(pa.array(rng.integers(len(chars), size=n)))
    given2 = pc.if_else(pa.array(rng.random(n) < 0.7), chars.take(pa.array(rng.integers(len(chars), size=n))), "")
    name = pc.binary_join_element_wise(surname, given1, given2, "")
    committees = list(syn.COMMITTEES)
    preferred = np.array([committees.index(syn.PREFERRED_COMMITTEE[s]) for s in SECTORS])
    draw = rng.random(n)
    committee = np.where(draw < 0.5, preferred[sector], rng.integers(len(committees), size=n))
    committee[draw >= 0.92] = -1
    employers = [e for s in SECTORS for e in syn.EMPLOYERS[s]]
    counts = np.array([len(syn.EMPLOYERS[s]) for s in SECTORS])
    employer = exclusive_cumsum(counts)[sector] + (rng.random(n) * counts[sector]).astype(np.int64)
    joined = np.full(n, (dt.date(year - 2, 1, 10) - EPOCH).days, dtype=np.int64)
    joined[late] = day0 + plenary
    left = np.where(gone, day0 + last, -1)
    reason = np.where(exempt, rng.integers(len(syn.EXEMPT_REASONS), size=n), -1)
    return pa.table({
        "id": fixed_ids("M", np.arange(1, n + 1), max(4, len(str(n)))),
        "name": name,
        "sector": take(SECTORS, sector),
        "committee": take(committees, committee),
        "group": take([f"{s}组" for s in SECTORS], sector),
        "employer": take(employers, employer),
        "roles": take(MEMBER_ROLES, roles),
        "joined": dates(joined),
        "left": dates(left),
        "term": pa.array([term] * n, pa.string()),
        "exempt": take(syn.EXEMPT_REASONS, reason),
    }, schema=MEMBER_SCHEMA)


# --------------------------------------------------------------------------------------------
# Records
# --------------------------------------------------------------------------------------------

FLAG = {f: i for i, f in enumerate(FLAGS)}
PROPOSAL_FLAG_CODE = np.array([  # 3-bit mask (key 1, excellent 2, sent_up 4) → code in FLAGS
    -1, *(FLAG[",".join(sorted(f for b, (f, _) in enumerate(PROPOSAL_FLAGS) if bits >> b & 1))] for bits in range(1, 8))
])
ROLE_OF_SHAPE = np.array([ROLES.index("sole"), ROLES.index("first"), ROLES.index("collective_main")])
JOINT = 1  # shape code of a joint proposal (see SHAPE)
DISCIPLINE_NOTE = {S[sub]: NOTE_START[sub] for sub in syn.DISCIPLINE_NOTES}


@dataclass
class Events:
    """The free records of a chunk as events: one record, or a joint proposal with a record per
    signer, each optionally followed by a ``same_as`` copy of its first record."""

    start: Ints  # position of the first record among the chunk's free records
    kind: Ints
    shape: Ints  # proposals: 0 sole, 1 joint, 2 collective_main (0 for other kinds)
    signers: Ints  # records of the event before the copy (1 unless joint)
    copy: Bools  # followed by a same_as copy of its first record
    deleted: Bools  # first record soft-deleted

    @property
    def size(self) -> Ints:
        """Records of each event."""
        return self.signers + self.copy

    def subset(self, index: Ints | slice) -> Events:
        """The events at ``index``."""
        return Events(*(getattr(self, f)[index] for f in ("start", "kind", "shape", "signers", "copy", "deleted")))

    @staticmethod
    def draw(rng: np.random.Generator, n: int, joint: bool, max_signers: int) -> Events:
        """``n`` events drawn like ``synthetic._Records._free`` (without joint proposals and
        copies when ``joint`` is false: those fill single left-over slots)."""
        kind = KIND(rng, n)
        shape = np.zeros(n, dtype=np.int64)
        proposal = np.flatnonzero(kind == K["proposal"])
        shape[proposal] = SHAPE(rng, len(proposal))
        if not joint:
            shape[shape == JOINT] = 0
        signers = np.ones(n, dtype=np.int64)
        joint_ix = np.flatnonzero(shape == JOINT)
        signers[joint_ix] = np.minimum(SIGNERS(rng, len(joint_ix)), max_signers)
        deleted = rng.random(n) < syn.P_DELETED
        copy = (rng.random(n) < syn.P_SAME_AS) & ~deleted & joint
        return Events(np.zeros(n, dtype=np.int64), kind, shape, signers, copy, deleted)


def layout(rng: np.random.Generator, slots: Ints, n_members: int) -> tuple[Events, Ints]:
    """Events filling exactly ``slots[i]`` free records for each member, and each event's owner.

    A stream of events is laid end to end over all the members' slots; an event that would run
    past its owner's last slot is cut short (like ``synthetic``: a joint proposal gets at most
    the lead's remaining slots), and slots left uncovered get single-record events of their own.
    """
    total = int(slots.sum())
    bound = np.cumsum(slots)  # end of each member's run of free positions
    stream = Events.draw(rng, total, True, n_members)
    stream.start = exclusive_cumsum(stream.size)
    stream = stream.subset(slice(0, int(np.searchsorted(stream.start, total))))
    room = bound[np.searchsorted(bound, stream.start, side="right")] - stream.start
    stream.signers = np.minimum(stream.signers, room)
    stream.shape[(stream.shape == JOINT) & (stream.signers < 2)] = 0
    stream.copy &= stream.signers < room
    covered = np.zeros(total, dtype=bool)
    covered[np.repeat(stream.start, stream.size) + runs(stream.size)[1]] = True
    fill = Events.draw(rng, int(total - covered.sum()), False, n_members)
    fill.start = np.flatnonzero(~covered)
    order = np.argsort(np.concatenate([stream.start, fill.start]), kind="stable")
    events = Events(*(np.concatenate([getattr(stream, f), getattr(fill, f)])[order]
                      for f in ("start", "kind", "shape", "signers", "copy", "deleted")))
    assert int(events.size.sum()) == total
    return events, np.searchsorted(bound, events.start, side="right")


@dataclass
class Rows:
    """Columns of records as integer codes (-1 = absent) before they become strings and dates."""

    member: Ints
    kind: Ints
    subtype: Ints
    status: Ints
    role: Ints
    signers: Ints
    flags: Ints
    level: Ints
    day: Ints  # day index in the year (0 = 1 January)
    scored: Ints
    number: Ints  # proposal number, -1 for other kinds
    note: Ints
    deleted: Bools
    same_as: Ints  # position (in the chunk) of the record this one duplicates, or -1

    @staticmethod
    def empty(n: int) -> Rows:
        """``n`` rows with every column absent (``signers`` 1, not deleted)."""
        columns = {name: np.full(n, -1, dtype=np.int64) for name in Rows.__dataclass_fields__}
        columns["signers"][:] = 1
        columns["deleted"] = np.zeros(n, dtype=bool)
        return Rows(**columns)

    def put(self, at: Ints, **columns: Ints | int | Bools) -> None:
        """Set ``columns`` of the rows at positions ``at``."""
        for name, values in columns.items():
            getattr(self, name)[at] = values


class Fields:
    """Per-event field values (subtype, status, level, flags, note, dates) drawn by kind, as in
    the record makers of ``synthetic._Records``."""

    def __init__(self, rng: np.random.Generator, events: Events, lead: Ints, members: Members) -> None:
        self.rng = rng
        n = len(events.kind)
        self.kind, self.shape = events.kind, events.shape
        first, last = members.first_day[lead], members.last_day[lead]
        self.day = first + (rng.random(n) * (last - first + 1)).astype(np.int64)
        self.subtype, self.status, self.level, self.flags, self.note, self.scored = (
            np.full(n, -1, dtype=np.int64) for _ in range(6)
        )
        self.meeting(), self.opinion(), self.activity(), self.deed(), self.report(), self.study()
        self.award(), self.discipline(), self.proposal(members.plenary)

    def of(self, kind: str) -> Ints:
        """Indices of the events of ``kind``."""
        return np.flatnonzero(self.kind == K[kind])

    def chance(self, index: Ints, p: float) -> Ints:
        """The part of ``index`` that passes a coin with probability ``p``."""
        return index[self.rng.random(len(index)) < p]

    def topic(self, index: Ints, group: str) -> None:
        """A note of ``group`` (one per topic) for the events at ``index``."""
        self.note[index] = NOTE_START[group] + self.rng.integers(len(syn.TOPICS), size=len(index))

    def meeting(self) -> None:
        """Consultation, committee, group-discussion or other meetings."""
        i = self.of("meeting")
        self.subtype[i], self.status[i] = MEETING_SUBTYPE(self.rng, len(i)), MEETING_STATUS(self.rng, len(i))

    def opinion(self) -> None:
        """Public-opinion reports: 36% adopted at a level, 15% of those with a leader's instruction."""
        i = self.of("opinion")
        self.status[i] = ST["submitted"]
        self.topic(i, "opinion")
        adopted = self.chance(i, 0.36)
        self.status[adopted], self.level[adopted] = ST["adopted"], ADOPTION_LEVEL(self.rng, len(adopted))
        self.scored[adopted] = self.day[adopted] + self.rng.integers(5, 41, size=len(adopted))
        self.flags[self.chance(adopted, 0.15)] = FLAG["instructed"]

    def activity(self) -> None:
        """Duty activities; half the written speeches are ``listed``; research etc. have a topic."""
        i = self.of("activity")
        self.subtype[i], self.status[i] = ACTIVITY_SUBTYPE(self.rng, len(i)), ST["attended"]
        self.flags[self.chance(i[self.subtype[i] == S["speech_written"]], 0.5)] = FLAG["listed"]
        for subtype in ("research", "inspection", "supervision", "forum"):
            self.topic(i[self.subtype[i] == S[subtype]], subtype)

    def deed(self) -> None:
        """Livelihood deeds, completed or in progress."""
        i = self.of("deed")
        self.subtype[i], self.status[i] = DEED_SUBTYPE(self.rng, len(i)), DEED_STATUS(self.rng, len(i))

    def report(self) -> None:
        """Research reports, 30% adopted."""
        i = self.of("report")
        self.subtype[i], self.status[i] = S["research_report"], ST["submitted"]
        self.status[self.chance(i, 0.3)] = ST["adopted"]
        self.topic(i, "research_report")

    def study(self) -> None:
        """Study notebooks, reflection articles and readings (no status)."""
        i = self.of("study")
        self.subtype[i] = STUDY_SUBTYPE(self.rng, len(i))

    def award(self) -> None:
        """Awards with a level and a title."""
        i = self.of("award")
        self.level[i] = AWARD_LEVEL(self.rng, len(i))
        self.note[i] = NOTE_START["award"] + self.rng.integers(len(syn.AWARD_TITLES), size=len(i))

    def discipline(self) -> None:
        """Rare disciplinary events, with the note of their subtype."""
        i = self.of("discipline")
        self.subtype[i] = DISCIPLINE_SUBTYPE(self.rng, len(i))
        self.note[i] = [DISCIPLINE_NOTE[s] for s in self.subtype[i].tolist()]

    def proposal(self, plenary: int) -> None:
        """Proposals: joint ones (and 65% of the others) dated in the plenary session; a status,
        a scoring date unless merely submitted, and key / excellent / sent_up flags if registered."""
        i = self.of("proposal")
        session = i[(self.shape[i] == JOINT) | (self.rng.random(len(i)) < 0.65)]
        self.day[session] = plenary + self.rng.integers(4, size=len(session))
        self.status[i] = PROPOSAL_STATUS(self.rng, len(i))
        self.topic(i, "proposal")
        scored = i[self.status[i] != ST["submitted"]]
        self.scored[scored] = self.day[scored] + self.rng.integers(10, 61, size=len(scored))
        registered = i[self.status[i] == ST["registered"]]
        bits = sum((self.rng.random(len(registered)) < p) << b for b, (_, p) in enumerate(PROPOSAL_FLAGS))
        self.flags[registered] = PROPOSAL_FLAG_CODE[bits]


@dataclass(frozen=True)
class SectorIndex:
    """Members grouped by sector, for drawing co-signers mostly from the lead's sector."""

    order: Ints
    start: Ints
    size: Ints

    @staticmethod
    def of(sector: Ints) -> SectorIndex:
        """The grouping of members by their ``sector`` codes."""
        size = np.bincount(sector, minlength=len(SECTORS))
        return SectorIndex(np.argsort(sector, kind="stable"), exclusive_cumsum(size), size)


def co_signers(
    rng: np.random.Generator, event: Ints, lead: Ints, signers: Ints, m: Members, sectors: SectorIndex
) -> Ints:
    """A co-signer for each co-signing row (``event`` = its event): 60% from the lead's sector
    when the sector is large enough, else anyone; distinct within an event and not the lead."""
    sector = m.sector[lead[event]]
    same = (sectors.size[sector] > signers[event]) & (rng.random(len(event)) < 0.6)
    pick = sectors.order[sectors.start[sector] + (rng.random(len(event)) * sectors.size[sector]).astype(np.int64)]
    chosen = np.where(same, pick, rng.integers(m.n, size=len(event)))
    joint = np.unique(event)
    all_event = np.concatenate([joint, event])
    is_co = np.concatenate([np.zeros(len(joint), dtype=bool), np.ones(len(event), dtype=bool)])
    while True:  # redraw clashes (a co-signer twice, or the lead) until every signer is distinct
        members = np.concatenate([lead[joint], chosen])
        order = np.lexsort((is_co, all_event * m.n + members))
        key = (all_event * m.n + members)[order]
        clash = order[1:][key[1:] == key[:-1]] - len(joint)  # leads sort first: clashes are co rows
        if not len(clash):
            return chosen
        chosen[clash] = rng.integers(m.n, size=len(clash))


def structural(rng: np.random.Generator, m: Members, a: int, b: int) -> tuple[Rows, Ints, Ints]:
    """Plenary, standing-committee and duty-report records of members ``a``..``b-1``: the rows,
    each row's member (local index) and its place among that member's records."""
    n = b - a
    meetings, duty = m.standing_meetings[a:b], m.duty_report[a:b]
    first, last = m.first_day[a:b], m.last_day[a:b]
    standing = np.flatnonzero(meetings > 0)
    held = (m.standing[None, :] >= first[standing, None]) & (m.standing[None, :] <= last[standing, None])
    keys = np.where(held, rng.random(held.shape), 2.0)
    chosen = keys.argsort(axis=1).argsort(axis=1) < meetings[standing, None]
    row, col = np.nonzero(chosen)  # member by member, in date order
    reporting = np.flatnonzero(duty)
    low = np.maximum(first[reporting], (dt.date(m.year, 11, 15) - dt.date(m.year, 1, 1)).days)
    low = np.where(low <= last[reporting], low, first[reporting])
    report_day = low + (rng.random(len(reporting)) * (last[reporting] - low + 1)).astype(np.int64)
    owner = np.concatenate([np.arange(n), standing[row], reporting])
    place = np.concatenate([np.zeros(n, dtype=np.int64), 1 + runs(meetings[standing])[1], 1 + meetings[reporting]])
    rows = Rows.empty(len(owner))
    rows.member[:] = a + owner
    rows.kind[:] = np.concatenate([np.full(n + len(row), K["meeting"]), np.full(len(reporting), K["report"])])
    rows.subtype[:] = np.concatenate([
        np.full(n, S["plenary"]), np.full(len(row), S["standing_committee"]), np.full(len(reporting), S["duty_report"])
    ])
    rows.status[:] = np.concatenate([
        PLENARY_STATUS(rng, n), STANDING_STATUS(rng, len(row)), np.full(len(reporting), ST["submitted"])
    ])
    rows.day[:] = np.concatenate([np.full(n, m.plenary), m.standing[col], report_day])
    return rows, owner, place


def free(rng: np.random.Generator, m: Members, a: int, slots: Ints, sectors: SectorIndex, numbered: int) -> Rows:
    """The free records of members ``a``..``a+len(slots)-1``: ``slots[i]`` filled by member i's
    events, co-signing rows included; ``same_as`` points at a free-record position."""
    events, owner = layout(rng, slots, m.n)
    lead = a + owner
    fields = Fields(rng, events, lead, m)
    event, offset = runs(events.size)
    n = len(event)
    signers = events.signers[event]
    co = np.flatnonzero((offset >= 1) & (offset < signers))
    copy = offset == signers
    rows = Rows.empty(n)
    rows.member[:] = lead[event]
    rows.member[co] = co_signers(rng, event[co], lead, events.signers, m, sectors)
    proposal = events.kind[event] == K["proposal"]
    rows.role[proposal] = ROLE_OF_SHAPE[events.shape[event[proposal]]]
    rows.role[co] = ROLES.index("co")
    rows.signers[:] = signers
    for name in ("kind", "subtype", "status", "flags", "level", "day", "scored", "note"):
        getattr(rows, name)[:] = getattr(fields, name)[event]
    is_proposal_event = events.kind == K["proposal"]
    rows.number[:] = np.where(is_proposal_event, numbered + np.cumsum(is_proposal_event), -1)[event]
    rows.deleted[:] = np.where(offset == 0, events.deleted[event], rng.random(n) < syn.P_DELETED) & ~copy
    rows.same_as[copy] = events.start[event[copy]]
    return rows


def iter_record_tables(
    members: Members, n_records: int, seed: int = 0, chunk_records: int = DEFAULT_CHUNK
) -> Iterator[pa.Table]:
    """Exactly ``n_records`` records of the city in tables of about ``chunk_records`` rows, each
    member's structural records first, then its free records (as ``synthetic.iter_record_rows``)."""
    m = members
    counts = m.structural_count()
    budget = n_records - int(counts.sum())
    if budget < 0:
        raise ValueError(f"n_records={n_records} is below the {int(counts.sum())} structural records of this city")
    rng = np.random.default_rng([seed, m.year, 1])
    slots = rng.multinomial(budget, m.weight / m.weight.sum())
    totals = np.cumsum(counts + slots)
    cuts = np.searchsorted(totals, np.arange(chunk_records, n_records, chunk_records), side="left") + 1
    bounds = np.unique(np.concatenate([[0], cuts, [m.n]]))
    sectors = SectorIndex.of(m.sector)
    width, prefix = max(6, len(str(n_records))), f"R{m.year}-"
    written = numbered = 0
    for c, (a, b) in enumerate(itertools.pairwise(bounds.tolist())):
        chunk_rng = np.random.default_rng([seed, m.year, 2, c])
        table, proposals = chunk(chunk_rng, m, a, b, slots[a:b], sectors, numbered, written, prefix, width)
        written, numbered = written + table.num_rows, numbered + proposals
        yield table
    assert written == n_records


def chunk(
    rng: np.random.Generator, m: Members, a: int, b: int, slots: Ints, sectors: SectorIndex,
    numbered: int, written: int, prefix: str, width: int,
) -> tuple[pa.Table, int]:
    """The records of members ``a``..``b-1`` as a table, and the number of proposals in it."""
    fixed, owner, place = structural(rng, m, a, b)
    loose = free(rng, m, a, slots, sectors, numbered)
    counts = np.bincount(owner, minlength=b - a)
    begin = exclusive_cumsum(counts + slots)  # each member's first record in the chunk
    free_owner, free_offset = runs(slots)
    free_at = begin[free_owner] + counts[free_owner] + free_offset
    rows = Rows.empty(len(owner) + len(free_at))
    for at, part in ((begin[owner] + place, fixed), (free_at, loose)):
        rows.put(at, **{name: getattr(part, name) for name in Rows.__dataclass_fields__})
    copies = rows.same_as >= 0
    rows.same_as[copies] = free_at[rows.same_as[copies]]
    proposals = int(np.unique(loose.number[loose.number >= 0]).size)
    return to_table(rows, m, written, prefix, width), proposals


def to_table(rows: Rows, m: Members, written: int, prefix: str, width: int) -> pa.Table:
    """The Arrow table of ``rows`` (ids numbered from ``written + 1``)."""
    n = len(rows.kind)
    ids = fixed_ids(prefix, written + 1 + np.arange(n), width)
    number = pa.array(rows.number, mask=rows.number < 0)
    suffix = pc.coalesce(pc.binary_join_element_wise(" 第", pc.cast(number, pa.string()), "号", ""), "")
    return pa.table({
        "id": ids,
        "member_id": m.ids.take(pa.array(rows.member)),
        "kind": take(KINDS, rows.kind),
        "subtype": take(SUBTYPES, rows.subtype),
        "status": take(STATUSES, rows.status),
        "role": take(ROLES, rows.role),
        "signers": pa.array(rows.signers),
        "flags": take(FLAGS, rows.flags),
        "level": take(LEVELS, rows.level),
        "quantity": pa.array(np.ones(n, dtype=np.int64)),
        "date": dates(m.day0 + rows.day),
        "scored_on": dates(np.where(rows.scored >= 0, m.day0 + rows.scored, -1)),
        "same_as": ids.take(pa.array(rows.same_as, mask=rows.same_as < 0)),
        "deleted": pa.array(rows.deleted),
        "note": pc.binary_join_element_wise(take(NOTES, rows.note), suffix, ""),
    }, schema=RECORD_SCHEMA)


# --------------------------------------------------------------------------------------------
# Files
# --------------------------------------------------------------------------------------------

FORMATS = ("parquet", "csv")


def write_city(
    directory: str | Path, n_members: int, n_records: int, seed: int = 0, year: int = 2024,
    formats: Sequence[str] = FORMATS, chunk_records: int = DEFAULT_CHUNK,
) -> dict[str, Path]:
    """Write ``members.<fmt>`` and ``records.<fmt>`` for each format to ``directory``; records are
    streamed chunk by chunk (one Parquet row group per chunk). Returns the paths by name."""
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    unknown = set(formats) - set(FORMATS)
    if unknown:
        raise ValueError(f"unknown formats {sorted(unknown)}; choose from {FORMATS}")
    members = plan_members(n_members, seed, year)
    paths: dict[str, Path] = {}
    writers: list[pq.ParquetWriter | pacsv.CSVWriter] = []
    for fmt in formats:
        paths[f"members.{fmt}"], paths[f"records.{fmt}"] = out / f"members.{fmt}", out / f"records.{fmt}"
        if fmt == "parquet":
            pq.write_table(members.table, paths["members.parquet"])
            writers.append(pq.ParquetWriter(paths["records.parquet"], RECORD_SCHEMA))
        else:
            pacsv.write_csv(members.table, paths["members.csv"])
            writers.append(pacsv.CSVWriter(paths["records.csv"], RECORD_SCHEMA))
    try:
        for table in iter_record_tables(members, n_records, seed, chunk_records):
            for writer in writers:
                if isinstance(writer, pq.ParquetWriter):
                    writer.write_table(table, row_group_size=table.num_rows)
                else:
                    writer.write_table(table)
    finally:
        for writer in writers:
            writer.close()
    return paths


def main(argv: list[str] | None = None) -> int:
    """Command line: write a city and report time, peak memory and file sizes."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--records", type=int, default=2_000_000)
    parser.add_argument("--out", type=Path, required=True, help="directory to write the files to")
    parser.add_argument("--format", default="parquet,csv", help="comma-separated: parquet, csv")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--year", type=int, default=2024)
    parser.add_argument("--chunk-records", type=int, default=DEFAULT_CHUNK)
    args = parser.parse_args(argv)
    start = time.perf_counter()
    paths = write_city(args.out, args.members, args.records, args.seed, args.year,
                       [f for f in args.format.split(",") if f], args.chunk_records)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{args.members:,} members, {args.records:,} records in {seconds:.1f} s; peak RSS {peak:,.0f} MiB")
    for path in paths.values():
        print(f"  {path}  {path.stat().st_size / 2**20:,.1f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
