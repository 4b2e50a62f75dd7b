"""The vectorised benchmark generator (benchmarks/columnar.py) writes files the library reads.

A 200-member / 4,000-record city in several chunks: the library's own CSV readers accept every
row (so every code is valid), ids are unique and resolve, the same seed gives the same bytes,
Parquet holds the same table as the CSV, and Jinan 2015 counts a plausible share of records.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

pa = pytest.importorskip("pyarrow")
pacsv = pytest.importorskip("pyarrow.csv")
pq = pytest.importorskip("pyarrow.parquet")

from benchmarks import synthetic  # noqa: E402
from benchmarks.columnar import RECORD_SCHEMA, write_city  # noqa: E402

from scoring import Period, score  # noqa: E402
from scoring.io import read_members, read_records  # noqa: E402
from scoring.plugins import Registry  # noqa: E402

MEMBERS, RECORDS, CHUNK = 200, 4000, 1500  # three chunks: ids and proposal numbers must run on


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return write_city(tmp_path_factory.mktemp("city"), MEMBERS, RECORDS, seed=7, chunk_records=CHUNK)


def test_the_library_reads_every_row_and_ids_resolve(city: dict[str, Path]) -> None:
    members = read_members(city["members.csv"])
    records = read_records(city["records.csv"])
    assert len(members) == MEMBERS and len(records) == RECORDS
    member_ids = {m.id for m in members}
    record_ids = [r.id for r in records]
    assert len(member_ids) == MEMBERS and len(set(record_ids)) == RECORDS
    assert min(member_ids) == "M0001" and max(member_ids) == "M0200"
    assert {r.member_id for r in records} <= member_ids
    assert {r.same_as for r in records if r.same_as} <= set(record_ids)
    header = city["records.csv"].read_text(encoding="utf-8").splitlines()[0]
    assert header.replace('"', "").split(",") == list(synthetic.RECORD_COLUMNS)
    signers: dict[str, list[str]] = {}  # joint proposal (note) → its signers, lead first
    for r in records:
        if r.role in ("first", "co") and r.same_as is None:
            signers.setdefault(r.note or "", []).append(r.member_id)
    assert signers and all(len(set(ms)) == len(ms) for ms in signers.values())
    numbers = Counter(
        re.search(r"第(\d+)号", r.note or "").group(1)  # type: ignore[union-attr]
        for r in records if r.kind == "proposal" and r.role != "co" and r.same_as is None
    )
    assert max(numbers.values()) == 1  # one numbered proposal per lead record, across chunks


def test_every_kind_and_the_noise_of_synthetic_py_occur(city: dict[str, Path]) -> None:
    records = read_records(city["records.csv"])
    kinds = Counter(r.kind for r in records)
    assert set(kinds) >= {"meeting", "proposal", "opinion", "activity", "deed", "report", "study", "award"}
    assert kinds["meeting"] >= MEMBERS  # one plenary record per member at least
    assert any(r.deleted for r in records) and any(r.same_as for r in records)
    assert any(r.role == "co" for r in records) and any(r.flags for r in records)


def test_same_seed_same_bytes(city: dict[str, Path], tmp_path: Path) -> None:
    again = write_city(tmp_path, MEMBERS, RECORDS, seed=7, chunk_records=CHUNK)
    for name in ("members.csv", "records.csv", "records.parquet"):
        assert again[name].read_bytes() == city[name].read_bytes(), name
    other = write_city(tmp_path / "other", MEMBERS, RECORDS, seed=8, chunk_records=CHUNK, formats=["csv"])
    assert other["records.csv"].read_bytes() != city["records.csv"].read_bytes()


def test_parquet_holds_the_csv_table(city: dict[str, Path]) -> None:
    from_parquet = pq.read_table(city["records.parquet"])
    types = {f.name: f.type for f in RECORD_SCHEMA}
    options = pacsv.ConvertOptions(column_types=types, strings_can_be_null=True, quoted_strings_can_be_null=False)
    assert from_parquet.equals(pacsv.read_csv(city["records.csv"], convert_options=options))
    assert pq.ParquetFile(city["records.parquet"]).num_row_groups == 3


def test_jinan_counts_a_plausible_share(city: dict[str, Path]) -> None:
    rule_set = Registry.build().load("jinan-2015")
    result = score(rule_set, read_members(city["members.csv"]), read_records(city["records.csv"]), Period.year(2024))
    accounting = result.accounting
    assert accounting.read == RECORDS and accounting.rejected == 0
    assert 0.35 < accounting.counted / accounting.read < 0.6  # synthetic.py's cities: 44-46%
    grades = Counter(card.grade for card in result.scorecards)
    assert grades["competent"] > grades["incompetent"] > 0
