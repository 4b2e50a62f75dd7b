"""Header mapping (defaults and overrides) and vocabulary-driven value mapping of the readers."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from scoring.errors import ConfigurationError, InputError
from scoring.io import DEFAULT_MEMBER_HEADERS, DEFAULT_RECORD_HEADERS, Note, read_members, read_records
from scoring.models import ActivityRecord, Member
from scoring.vocabulary import base_vocabulary

DOCS = Path(__file__).parents[1] / "docs" / "formats.md"


def _write(tmp_path: Path, text: str, name: str = "records.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_name_real_fields() -> None:
    assert set(DEFAULT_MEMBER_HEADERS.values()) <= set(Member.model_fields)
    # member_name: a records file's names, matched against the members list
    assert set(DEFAULT_RECORD_HEADERS.values()) <= {*ActivityRecord.model_fields, "member_name"}
    assert DEFAULT_MEMBER_HEADERS["编号"] == "id"
    assert DEFAULT_RECORD_HEADERS["编号"] == "member_id"
    assert DEFAULT_RECORD_HEADERS["记录编号"] == "id"


def test_override_mapping(tmp_path: Path) -> None:
    text = "流水号,代表号,类型,时间,序号\nR1,M1,会议,2024-03-05,1\n"
    records = read_records(
        _write(tmp_path, text),
        mapping={"流水号": "id", "代表号": "member_id", "时间": "date", "序号": None},
    )
    assert (records[0].id, records[0].member_id, records[0].kind) == ("R1", "M1", "meeting")


def test_override_replaces_a_default(tmp_path: Path) -> None:
    # here 编号 is the record number, not the member's
    text = "编号,委员编号,类型,日期\nR1,M1,会议,2024-03-05\n"
    with pytest.raises(InputError, match="委员编号"):
        read_records(_write(tmp_path, text))
    records = read_records(_write(tmp_path, text), mapping={"编号": "id"})
    assert (records[0].id, records[0].member_id) == ("R1", "M1")


def test_mapping_to_an_unknown_field(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError) as caught:
        read_records(_write(tmp_path, "id\n"), mapping={"时间": "dat"})
    (problem,) = caught.value.problems
    assert problem.key == "mapping['时间']"
    assert problem.en == "the mapping sends column '时间' to unknown field 'dat'"
    assert problem.hint == "did you mean 'date'? / 是否指 'date'？"


def test_title_row_in_csv(tmp_path: Path) -> None:
    text = "2024年度委员名单,,\n委员编号,姓名,界别\nM1,张三,经济界\n"
    (member,) = read_members(_write(tmp_path, text, "members.csv"))
    assert (member.id, member.name, member.sector) == ("M1", "张三", "经济界")


def test_chinese_header_suggestion(tmp_path: Path) -> None:
    path = _write(tmp_path, "委员编号,姓明\nM1,张三\n", "members.csv")
    notes: list[Note] = []
    assert [m.name for m in read_members(path, notes=notes)] == [""]
    (column,) = notes[0].columns
    assert column.name == "姓明" and column.hint is None  # the note only suggests close matches
    with pytest.raises(InputError) as caught:
        read_members(path, unknown_columns="error")
    (problem,) = caught.value.problems
    assert problem.hint is not None and problem.hint.startswith("did you mean '姓名'?")


def test_extended_vocabulary(tmp_path: Path) -> None:
    vocabulary = base_vocabulary().extended({
        "kinds": {"meeting": {"statuses": {"attended": {"zh": "出席", "aliases": ["到场"]}}}},
        "roles": {"chair": {"zh": "主席"}},
    })
    text = "id,member_id,kind,status,date\nR1,M1,会议,到场,2024-03-05\n"
    with pytest.raises(InputError):
        read_records(_write(tmp_path, text))
    assert read_records(_write(tmp_path, text), vocabulary=vocabulary)[0].status == "attended"
    member = _write(tmp_path, "id,roles\nM1,主席\n", "members.csv")
    assert read_members(member, vocabulary=vocabulary)[0].roles == ("chair",)


def test_every_documented_alias_is_accepted() -> None:
    """docs/formats.md lists the value aliases; each must belong to the code it is listed with."""
    terms = {(table, code): term for table, code, term in base_vocabulary().labels()}
    text = DOCS.read_text(encoding="utf-8")
    rows = re.findall(r"^\| `([a-z_.]+)` \| `([a-z_]+)` \| ([^|]+) \| ([^|]*) \|$", text, re.M)
    assert len(rows) > 50
    for table, code, zh, aliases in rows:
        term = terms[(table, code)]
        assert term.zh == zh.strip(), (table, code)
        documented = {a.strip() for a in aliases.split("、") if a.strip()}
        assert documented <= set(term.aliases), (table, code)
