"""The columnar file readers give exactly what the row-by-row readers give (then encoded), or
the very same error; files they cannot take as they are go to the row-by-row readers."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scoring.batch.columns import Codebook, RecordColumns, encode
from scoring.batch.files import read_member_columns, read_record_columns
from scoring.batch.members import MemberColumns
from scoring.errors import InputError
from scoring.io import read_members, read_records
from scoring.vocabulary import base_vocabulary

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
COLUMNS = (
    "member", "kind", "subtype", "status", "role", "level", "flags", "flags_unknown", "signers", "quantity",
    "quantity_exact", "date", "scored_on", "deleted",
)
VOCABULARY = base_vocabulary()


def reference(members: Path, records: Path) -> tuple[MemberColumns, RecordColumns, list[object]]:
    """Row-by-row reading, then encoding: what the columnar readers must reproduce."""
    member_cols = MemberColumns.of(read_members(members, vocabulary=VOCABULARY))
    rows = read_records(records, vocabulary=VOCABULARY)
    return member_cols, encode(rows, member_cols.index, Codebook.of(VOCABULARY)), list(rows)


def assert_same(members: Path, records: Path) -> RecordColumns:
    ref_members, ref, rows = reference(members, records)
    got_members = read_member_columns(members, VOCABULARY)
    got = read_record_columns(records, got_members, VOCABULARY)
    assert list(got_members.ids) == list(ref_members.ids)
    assert list(got_members.members) == list(ref_members.members)
    profiles = [got_members.profiles[p] for p in got_members.profile]
    assert profiles == [ref_members.profiles[p] for p in ref_members.profile]
    for name in ("joined", "left", "exempt"):
        assert np.array_equal(getattr(got_members, name), getattr(ref_members, name)), name
    for name, (codes, values) in got_members.attributes.items():
        ref_codes, ref_values = ref_members.attributes[name]
        assert [values[c] for c in codes] == [ref_values[c] for c in ref_codes], name
    for name in COLUMNS:
        assert np.array_equal(getattr(got, name), getattr(ref, name)), name
    assert (got.same_as, got.linked, got.repeated_ids) == (ref.same_as, ref.linked, ref.repeated_ids)
    assert list(got.ids) == list(ref.ids)
    assert list(got.records) == rows
    return got


def test_the_bundled_city_is_read_by_columns() -> None:
    got = assert_same(ROOT / "examples/city/members.csv", ROOT / "examples/city/records.csv")
    assert type(got.records).__name__ == "_LazyRecords"  # the columnar reader took it


SAMPLES = sorted(p for p in (DATA / "cli").glob("records*") if "bad" not in p.name) + sorted(
    p for p in (DATA / "io").glob("records*") if "bad" not in p.name
)


def _members_for(records: Path) -> Path:
    same = records.with_name(records.name.replace("records", "members"))
    if same.exists():
        return same
    return next(p for p in (records.with_name("members.csv"), records.with_name("members.json")) if p.exists())


@pytest.mark.parametrize("records", SAMPLES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_sample_file_gives_the_same_columns(records: Path) -> None:
    """CSV goes through pyarrow; GBK, JSON and XLSX through the row-by-row readers."""
    pytest.importorskip("openpyxl")
    assert_same(_members_for(records), records)


@pytest.mark.parametrize(
    "path", sorted(p for p in DATA.rglob("records*") if "bad" in p.name or "truncated" in p.name or "mixed" in p.name)
)
def test_bad_files_get_the_row_by_row_readers_error(path: Path) -> None:
    members = read_member_columns(ROOT / "examples/city/members.csv", VOCABULARY)
    with pytest.raises(InputError) as expected:
        read_records(path, vocabulary=VOCABULARY)
    with pytest.raises(InputError) as got:
        read_record_columns(path, members, VOCABULARY)
    assert str(got.value) == str(expected.value)


def test_duplicate_member_ids_get_the_row_by_row_readers_error() -> None:
    path = DATA / "bad" / "members_duplicate_ids.csv"
    with pytest.raises(InputError) as expected:
        read_members(path, vocabulary=VOCABULARY)
    with pytest.raises(InputError) as got:
        read_member_columns(path, VOCABULARY)
    assert str(got.value) == str(expected.value)


def _parquet(source: Path, target: Path, typed: bool) -> Path:
    """``source`` (CSV) rewritten as Parquet; ``typed`` stores dates, numbers and booleans as such."""
    with source.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    columns: dict[str, list[object]] = {name: [r[name] or None for r in rows] for name in rows[0]}
    if typed:
        for name, values in columns.items():
            if name in ("date", "scored_on", "joined", "left"):
                columns[name] = [dt.date.fromisoformat(v) if v else None for v in values]  # type: ignore[arg-type]
            elif name == "signers":
                columns[name] = [int(v) if v else None for v in values]  # type: ignore[arg-type]
            elif name == "deleted":
                columns[name] = [v == "true" if v else None for v in values]
    pq.write_table(pa.table(columns), target)
    return target


@pytest.mark.parametrize("typed", [False, True], ids=["text", "typed"])
def test_parquet_files_give_the_same_columns_as_csv(tmp_path: Path, typed: bool) -> None:
    city = ROOT / "examples/city"
    members = _parquet(city / "members.csv", tmp_path / "members.parquet", typed)
    records = _parquet(city / "records.csv", tmp_path / "records.parquet", typed)
    got = assert_same(members, records)
    assert type(got.records).__name__ == "_LazyRecords"
    csv_members = read_member_columns(city / "members.csv", VOCABULARY)
    from_csv = read_record_columns(city / "records.csv", csv_members, VOCABULARY)
    for name in COLUMNS:
        assert np.array_equal(getattr(got, name), getattr(from_csv, name)), name


@pytest.mark.parametrize("suffix", ["csv", "parquet"])
def test_small_batches_give_the_same_columns(tmp_path: Path, suffix: str) -> None:
    """Conversions cached across batches, ids sorted across batch boundaries, same_as targets in
    other batches: reading 4 KB (CSV) or 97 rows (Parquet) at a time changes nothing."""
    from scoring.batch.record_file import read_records_by_batch

    city = ROOT / "examples/city"
    records = city / "records.csv" if suffix == "csv" else _parquet(city / "records.csv", tmp_path / "r.parquet", True)
    members = read_member_columns(city / "members.csv", VOCABULARY)
    whole = read_record_columns(records, members, VOCABULARY)
    small = read_records_by_batch(records, members, VOCABULARY, Codebook.of(VOCABULARY), None, None,
                                  batch_rows=97, block_bytes=4096)
    for name in COLUMNS:
        assert np.array_equal(getattr(small, name), getattr(whole, name)), name
    assert (small.same_as, small.linked) == (whole.same_as, whole.linked) and small.same_as
    assert list(small.records) == list(whole.records)


@pytest.mark.parametrize("ids", [["M1", "M10", "M2"], ["M1", "M10", "M2", "MEMBER-0000000042"], ["委员1", "M2"]])
def test_member_ids_of_any_width_are_found(tmp_path: Path, ids: list[str]) -> None:
    """Short ids are searched as packed integers, long or mixed ones as bytes, others in Python."""
    members = tmp_path / "members.csv"
    members.write_text("id\n" + "".join(f"{m}\n" for m in ids), encoding="utf-8")
    records = tmp_path / "records.csv"
    wanted = [*ids, "M3", "MEMBER-0000000043", " M1 "]
    records.write_text("id,member_id,kind,date\n" + "".join(
        f"R{k:03d},{m},meeting,2024-01-0{1 + k % 9}\n" for k, m in enumerate(wanted)), encoding="utf-8")
    assert_same(members, records)


def test_a_ragged_row_in_a_late_block_falls_back_to_the_row_reader(tmp_path: Path) -> None:
    """The read-ahead thread's error reaches the caller, which hands the file to the row reader."""
    from scoring.batch.arrow import Unusual
    from scoring.batch.record_file import read_records_by_batch

    city = ROOT / "examples/city"
    path = tmp_path / "records.csv"
    ragged = "R-late,M0001,meeting,,,,,,,,2024-01-01,,,,,extra\n"
    path.write_text((city / "records.csv").read_text(encoding="utf-8") + ragged, encoding="utf-8")
    members = read_member_columns(city / "members.csv", VOCABULARY)
    with pytest.raises(Unusual):
        read_records_by_batch(path, members, VOCABULARY, Codebook.of(VOCABULARY), None, None, block_bytes=4096)
    with pytest.raises(InputError) as expected:
        read_records(path, vocabulary=VOCABULARY)
    with pytest.raises(InputError) as got:
        read_record_columns(path, members, VOCABULARY)
    assert str(got.value) == str(expected.value)


def test_a_bad_parquet_value_is_reported_with_row_and_column(tmp_path: Path) -> None:
    path = tmp_path / "records.parquet"
    pq.write_table(pa.table({
        "id": ["R1", "R2"], "member_id": ["M1", "M1"], "kind": ["proposal", "议案"],
        "date": ["2024-01-02", "2024-13-01"],
    }), path)
    members = read_member_columns(ROOT / "examples/city/members.csv", VOCABULARY)
    with pytest.raises(InputError) as got:
        read_record_columns(path, members, VOCABULARY)
    text = str(got.value)
    assert "records.parquet: row 2: column kind" in text and "row 2: column date" in text


# Cells as exports write them: canonical codes, Chinese labels, aliases, padding, full-width
# characters, empty optional values, and a few values that are wrong.
CELLS = {
    "id": st.sampled_from(["R1", " R2", "Ｒ3", "R4\u200b", "R5", "", "R1"]),
    "member_id": st.sampled_from(["M0001", " M0002 ", "M9999", "Ｍ0003", ""]),
    "kind": st.sampled_from(["proposal", "提案", "meeting", "会议", " opinion ", "议案"]),
    "status": st.sampled_from(["", "registered", "立案", "attended", "出席", "absent_unexcused"]),
    "role": st.sampled_from(["", "first", "领衔", "co", "sole"]),
    "signers": st.sampled_from(["", "1", "2", "３", "0", "x"]),
    "flags": st.sampled_from(["", "key", "key,excellent", "重点提案", "nope"]),
    "quantity": st.sampled_from(["", "1", "2.5", "0.000001", "1/3", "-1"]),
    "date": st.sampled_from(["2024-03-01", "2024/3/2", "2024年3月3日", "20240304", "45356", "2024-02-30", ""]),
    "deleted": st.sampled_from(["", "false", "是", "否", "maybe"]),
    "note": st.sampled_from(["", "  备注  ", "ｆｕｌｌ", "a,b"]),
}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.fixed_dictionaries(CELLS), min_size=1, max_size=8))
def test_columnar_and_row_readers_agree_on_odd_cells(tmp_path: Path, rows: list[dict[str, str]]) -> None:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(CELLS), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path = tmp_path / "records.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    members = read_member_columns(ROOT / "examples/city/members.csv", VOCABULARY)
    try:
        expected = encode(read_records(path, vocabulary=VOCABULARY), members.index, Codebook.of(VOCABULARY))
    except InputError as error:
        with pytest.raises(InputError) as got:
            read_record_columns(path, members, VOCABULARY)
        assert str(got.value) == str(error)
        return
    got = read_record_columns(path, members, VOCABULARY)
    for name in COLUMNS:
        assert np.array_equal(getattr(got, name), getattr(expected, name)), name
    assert list(got.records) == list(expected.records)


# -- the pieces the columnar readers are built from ---------------------------------------------


@settings(max_examples=200, deadline=None)
@given(
    lines=st.lists(st.text(st.characters(codec="utf-8", exclude_characters="\r\n"), max_size=40), max_size=30),
    block=st.integers(min_value=1, max_value=64),
    last_newline=st.booleans(),
)
def test_csv_blocks_end_at_line_ends_and_lose_nothing(lines: list[str], block: int, last_newline: bool) -> None:
    """However small the block, the blocks join to the file below the header, and every block but
    the last ends at a line end (a line longer than a block makes the block grow)."""
    from scoring.batch.arrow import _line_blocks

    body = "\n".join(lines) + ("\n" if last_newline and lines else "")
    handle = io.BufferedReader(io.BytesIO(("header\n" + body).encode()))  # type: ignore[arg-type]
    handle.readline()
    blocks = [bytes(b) for b in _line_blocks(handle, block)]  # copied: the buffer is reused
    assert b"".join(blocks) == body.encode()
    assert all(b.endswith(b"\n") for b in blocks[:-1])
    assert all(blocks)


@settings(max_examples=300, deadline=None)
@given(
    ids=st.lists(st.text(st.characters(min_codepoint=0, max_codepoint=300), max_size=130), max_size=12),
    skip=st.integers(min_value=0, max_value=3),
)
def test_the_id_check_on_raw_buffers_agrees_with_the_string_kernels(ids: list[str], skip: int) -> None:
    """Ids pass the fast check exactly when every one is 1–128 bytes of printable ASCII without a
    space at either end — also in a slice of a larger array (offsets not starting at 0)."""
    import pyarrow.compute as pc

    from scoring.batch.arrow import _plain, _plain_ids

    array = pa.array(["pad"] * skip + ids, pa.string()).slice(skip)
    expected = all(
        bool(pc.all(_plain(pa.array([i], pa.string()))).as_py()) and len(i.encode()) <= 128 for i in ids
    )
    assert _plain_ids(array) == expected


def test_read_ahead_yields_everything_passes_errors_on_and_stops_when_closed() -> None:
    """The helper thread behind the columnar readers: items in order, a failure raised where the
    items are consumed, and no thread left behind when the consumer stops early."""
    import itertools

    from scoring.batch.arrow import ReadAhead

    assert list(ReadAhead(iter(range(5)))) == [0, 1, 2, 3, 4]

    def failing() -> Iterator[int]:
        yield 1
        raise ValueError("damaged")

    items = ReadAhead(failing())
    assert next(items) == 1
    with pytest.raises(ValueError, match="damaged"):
        next(items)
    with pytest.raises(StopIteration):
        next(items)

    endless = ReadAhead(itertools.count())
    with endless:
        assert next(endless) == 0
    assert not endless._worker.is_alive()


def test_screening_checks_codes_unless_they_were_checked_while_reading() -> None:
    """Columns read from a file carry the vocabulary their codes were checked against; screening
    under that vocabulary trusts them, columns from anywhere else are checked."""
    import dataclasses

    from scoring.batch.files import read_columns
    from scoring.batch.screen import CODE, screen
    from scoring.models import Period
    from scoring.plugins import Registry

    jinan = Registry.build().load("jinan-2015")
    city = ROOT / "examples" / "city"
    members, records = read_columns(city / "members.csv", city / "records.csv", jinan.vocabulary)
    assert records.checked_against == jinan.vocabulary
    book = Codebook.of(jinan.vocabulary)
    kind = int(records.kind[0])
    not_allowed = int(np.flatnonzero(~book.allowed["subtype"][kind])[-1])
    subtype = np.array(records.subtype, copy=True)
    subtype[0] = not_allowed
    unchecked = dataclasses.replace(records, subtype=subtype, checked_against=None)
    period = Period.year(2024)
    assert screen(jinan, members, unchecked, book, period).code[0] == CODE["unknown_code"]
    assert screen(jinan, members, records, book, period).code[0] != CODE["unknown_code"]
