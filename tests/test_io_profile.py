"""Mapping profiles: loading and checking them (every bad key an error naming the file and key
path, with a did-you-mean), and what each key does to a reading."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from scoring.errors import ConfigurationError, InputError, Problem
from scoring.io import Note, Profile, load_profile, parse_profile, read_members, read_records
from scoring.models import Member
from scoring.vocabulary import base_vocabulary


def _profile(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "profile.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _problems(tmp_path: Path, text: str) -> list[Problem]:
    path = _profile(tmp_path, text)
    with pytest.raises(ConfigurationError) as caught:
        load_profile(path)
    assert all(p.file == str(path) for p in caught.value.problems)
    return list(caught.value.problems)


def _csv(tmp_path: Path, text: str, name: str = "records.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# -- loading and checking ------------------------------------------------------------------------


def test_unknown_keys_at_every_level_with_did_you_mean(tmp_path: Path) -> None:
    problems = _problems(tmp_path, """
titel = "x"
[record]
[records]
colums = {}
[skip_rows]
first_cells = []
""")
    assert [(p.key, p.en, p.hint) for p in problems] == [
        ("titel", "unknown key 'titel'", "did you mean 'title'? / 是否指 'title'？"),
        ("record", "unknown key 'record'", "did you mean 'records'? / 是否指 'records'？"),
        ("skip_rows.first_cells", "unknown key 'first_cells'", "did you mean 'first_cell'? / 是否指 'first_cell'？"),
        ("records.colums", "unknown key 'colums'", "did you mean 'columns'? / 是否指 'columns'？"),
    ]
    assert problems[0].zh == "未知的配置项 'titel'"


def test_unknown_target_fields(tmp_path: Path) -> None:
    problems = _problems(tmp_path, """
[records.columns]
"时间" = "dat"
"姓名" = "member_nam"
[records.fixed]
knd = "meeting"
[members.columns]
"姓名" = "member_name"
""")
    assert [(p.key, p.en, p.hint) for p in problems] == [
        ('members.columns."姓名"', "unknown field 'member_name'", None),  # a records-file field only
        ('records.columns."时间"', "unknown field 'dat'", "did you mean 'date'? / 是否指 'date'？"),
        ('records.columns."姓名"', "unknown field 'member_nam'",
         "did you mean 'member_name'? / 是否指 'member_name'？"),
        ("records.fixed.knd", "unknown field 'knd'", "did you mean 'kind'? / 是否指 'kind'？"),
    ]


def test_codes_not_in_the_vocabulary_of_the_field_and_kind(tmp_path: Path) -> None:
    problems = _problems(tmp_path, """
[records.fixed]
kind = "meeting"
[records.values.status]
"×" = "absent"
"√" = "registered"
[records.values.note]
"x" = "y"
[members.values.roles]
"市政协常委" = "常务"
""")
    assert [(p.key, p.en, p.found) for p in problems] == [
        ('records.values.note', "values map code fields only, not 'note'", "note"),
        ('members.values.roles."市政协常委"', "not a known member role", "常务"),
        ('records.values.status."×"', "not a known status of meeting records", "absent"),
        ('records.values.status."√"', "not a known status of meeting records", "registered"),
    ]
    assert problems[2].hint == "did you mean 'absent_unexcused'? / 是否指 'absent_unexcused'？"
    assert problems[2].zh == "不是会议记录可用的状态"


def test_a_code_of_some_kind_is_enough_without_a_fixed_kind(tmp_path: Path) -> None:
    """Without a fixed kind a value map's code must exist for some kind (registered: proposals)."""
    path = _profile(tmp_path, '[records.values.status]\n"√" = "registered"\n"×" = "nope"\n')
    with pytest.raises(ConfigurationError) as caught:
        load_profile(path)
    (problem,) = caught.value.problems
    assert problem.key == 'records.values.status."×"'


def test_bad_shapes_and_values(tmp_path: Path) -> None:
    problems = _problems(tmp_path, """
title = 3
[members]
ids = "row"
header_row = 0
ignore_columns = "序号"
[records]
ids = "rows"
columns = { "a" = 1 }
fixed = { kind = "meeting", date = "2024-02-30", id = "R1", level = [1] }
""")
    assert [(p.key, p.en) for p in problems] == [
        ("title", "must be text"),
        ("members.header_row", "must be a row number (1 or more)"),
        ("members.ids", "invalid source of ids"),
        ("members.ignore_columns", "must be a list of strings"),
        ("records.ids", "invalid source of ids"),
        ("records.columns.a", "must be a non-empty string"),
        ("records.fixed.id", "ids cannot be fixed"),
        ("records.fixed.level", "must be a single value"),
        ("records.fixed.date", "no such date"),
    ]


def test_conflicting_sources(tmp_path: Path) -> None:
    problems = _problems(tmp_path, """
[records]
ids = "row"
ignore_columns = ["活动名称"]
columns = { "类别" = "kind", "流水号" = "id", "活动名称" = "subtype" }
fixed = { kind = "meeting" }
""")
    assert [(p.key, p.en) for p in problems] == [
        ("records.ignore_columns", "column '活动名称' is both mapped and ignored"),
        ("records.ids", 'ids = "row" conflicts with records.columns."流水号"'),
        ("records.fixed.kind", 'field kind is both fixed and given by records.columns."类别"'),
    ]


def test_not_toml_and_missing_files(tmp_path: Path) -> None:
    (problem,) = _problems(tmp_path, '[records.values.status]\n× = "absent_unexcused"\n')
    assert problem.en == "the mapping profile is not valid TOML"
    assert problem.hint is not None and "quote" in problem.hint
    with pytest.raises(ConfigurationError) as caught:
        load_profile(tmp_path / "nope.toml")
    assert caught.value.problems[0].en == "cannot read the file"


def test_a_profile_is_checked_against_the_vocabulary_in_use(tmp_path: Path) -> None:
    """A code a rule set adds is accepted with that rule set's vocabulary only."""
    extended = base_vocabulary().extended({"kinds": {"meeting": {"statuses": {"online": {"zh": "线上参会"}}}}})
    path = _profile(tmp_path, '[records.values.status]\n"云" = "online"\n')
    with pytest.raises(ConfigurationError):
        load_profile(path)
    profile = load_profile(path, vocabulary=extended)
    records = _csv(tmp_path, "记录编号,委员编号,类型,状态,日期\nR1,M1,会议,云,2024-01-15\n")
    assert read_records(records, mapping=profile, vocabulary=extended)[0].status == "online"
    with pytest.raises(ConfigurationError):
        read_records(records, mapping=profile)  # checked again against the base vocabulary


def test_a_draft_with_nothing_in_it_is_a_profile() -> None:
    assert parse_profile({}) == Profile()


# -- what each key does --------------------------------------------------------------------------


OFFICE = """
[records]
ids = "row"
ignore_columns = ["序号"]
[records.columns]
"活动名称" = "subtype"
[records.fixed]
kind = "会议"
[records.values.subtype]
"*全体会议" = "plenary"
"2024年第三次常委会议" = "常委会议"
[records.values.status]
"×" = "absent_unexcused"
"病假" = "请假"
[skip_rows]
first_cell = ["制表人*"]
any_cell = ["以下空白"]
"""


def test_every_key_of_a_records_section(tmp_path: Path) -> None:
    profile = _profile(tmp_path, OFFICE)
    path = _csv(tmp_path, "\n".join([
        "序号,委员编号,活动名称,出席情况,日期",
        "1,M1,2024年第一次全体会议,×,2024-01-15",
        "2,M2,2024年第一次全体会议,病假,2024.1.15",
        "3,M1,2024年第三次常委会议,✓,2024年3月5日",
        "4,M2,以下空白,,",
        "制表人：李明,,,,",
    ]) + "\n", name="会议.csv")
    notes: list[Note] = []
    records = read_records(path, mapping=profile, notes=notes)
    assert [(r.id, r.kind, r.subtype, r.status, r.date) for r in records] == [
        ("会议:2", "meeting", "plenary", "absent_unexcused", dt.date(2024, 1, 15)),
        ("会议:3", "meeting", "plenary", "leave_approved", dt.date(2024, 1, 15)),
        ("会议:4", "meeting", "standing_committee", "attended", dt.date(2024, 3, 5)),
    ]
    assert [(r.row, r.reason, r.found) for r in notes[0].rows] == [
        (5, "pattern", "以下空白"), (6, "pattern", "制表人:李明"),
    ]
    assert read_records(path, mapping=str(profile)) == records  # a path works as well as a Profile


def test_a_mapped_value_whose_code_does_not_fit_the_row_kind(tmp_path: Path) -> None:
    """The error names the cell as written and what the profile made of it."""
    profile = _profile(tmp_path, '[records.values.status]\n"√" = "attended"\n')
    path = _csv(tmp_path, "记录编号,委员编号,类型,状态,日期\nR1,M1,提案,√,2024-01-15\n")
    with pytest.raises(InputError) as caught:
        read_records(path, mapping=profile)
    (problem,) = caught.value.problems
    assert (problem.row, problem.column, problem.en) == (2, "状态", "not a known status of proposal records")
    assert problem.found == "√ → attended (mapping profile / 映射配置)"


def test_header_row(tmp_path: Path) -> None:
    """A header the reader cannot find (a title row holding a known header) is named."""
    text = "日期,2024年\n记录编号,委员编号,类型,活动日期\nR1,M1,会议,2024-01-15\n"
    path = _csv(tmp_path, text)
    with pytest.raises(InputError):
        read_records(path)
    notes: list[Note] = []
    profile = parse_profile({"records": {"header_row": 2}})
    assert [r.id for r in read_records(path, mapping=profile, notes=notes)] == ["R1"]
    assert [(r.row, r.reason) for r in notes[0].rows] == [(1, "title")]
    with pytest.raises(InputError) as caught:
        read_records(path, mapping=parse_profile({"records": {"header_row": 9}}))
    assert caught.value.problems[0].en == "row 9 is not a header (it is blank or missing)"


def test_a_fixed_value_and_a_column_for_it_conflict(tmp_path: Path) -> None:
    path = _csv(tmp_path, "记录编号,委员编号,类型,日期\nR1,M1,提案,2024-01-15\n")
    with pytest.raises(InputError) as caught:
        read_records(path, mapping=parse_profile({"records": {"fixed": {"kind": "meeting"}}}))
    (problem,) = caught.value.problems
    assert (problem.row, problem.column) == (1, "类型")
    assert problem.en.startswith("the mapping profile gives kind for every row (fixed.kind)")


def test_member_sections(tmp_path: Path) -> None:
    path = _csv(tmp_path, "序号,委员编号,姓名,职务,性别\n1,M1,张三,市政协常委、骨干,男\n", name="members.csv")
    profile = parse_profile({"members": {
        "ignore_columns": ["序号", "性别"], "values": {"roles": {"市政协常委": "standing_committee"}},
        "fixed": {"term": "十五届", "joined": "2022年1月10日"},
    }})
    notes: list[Note] = []
    (member,) = read_members(path, mapping=profile, notes=notes)
    assert member.roles == ("core", "standing_committee")
    assert (member.term, member.joined) == ("十五届", dt.date(2022, 1, 10))
    assert notes == []


# -- records keyed by name -----------------------------------------------------------------------


MEMBERS = [Member(id="M1", name="张三"), Member(id="M2", name="王芳"), Member(id="M3", name="李四"),
           Member(id="M4", name="李四"), Member(id="M5", name="")]


def test_records_keyed_by_name(tmp_path: Path) -> None:
    rows = "R1,张三,会议,2024-01-15\nR2,王　芳,会议,2024-01-15\nR3, 王 芳 ,会议,2024-01-15\n"
    path = _csv(tmp_path, "记录编号,姓名,类型,日期\n" + rows)
    notes: list[Note] = []
    records = read_records(path, members=MEMBERS, notes=notes)
    assert [r.member_id for r in records] == ["M1", "M2", "M2"]
    assert notes[-1].format("en") == (
        f"{path}: 3 record(s) matched to members by the names in column '姓名' (the file has no member id column)"
    )


def test_ambiguous_and_unknown_names_are_errors(tmp_path: Path) -> None:
    rows = "R1,李四,会议,2024-01-15\nR2,张山,会议,2024-01-15\nR3,,会议,2024-01-15\n"
    path = _csv(tmp_path, "记录编号,姓名,类型,日期\n" + rows)
    with pytest.raises(InputError) as caught:
        read_records(path, members=MEMBERS)
    assert [(p.row, p.column, p.en, p.hint) for p in caught.value.problems] == [
        (2, "姓名", "the name '李四' belongs to several members (M3, M4)",
         "add a 委员编号 column to the records file / 请在记录文件中增加委员编号列"),
        (3, "姓名", "no member named '张山' in the members list", "did you mean '张三'? / 是否指 '张三'？"),
        (4, "姓名", "required value '姓名' is empty", None),
    ]


def test_names_need_the_members_list(tmp_path: Path) -> None:
    path = _csv(tmp_path, "记录编号,姓名,类型,日期\nR1,张三,会议,2024-01-15\nR2,李四,会议,2024-01-15\n")
    with pytest.raises(InputError) as caught:
        read_records(path)
    (problem,) = caught.value.problems  # said once, not on every row
    assert (problem.row, problem.column) == (1, "姓名")
    assert "members list" in problem.en


def test_a_name_column_beside_member_ids_is_not_used(tmp_path: Path) -> None:
    path = _csv(tmp_path, "记录编号,委员编号,姓名,类型,日期\nR1,M9,张三,会议,2024-01-15\n")
    assert read_records(path, members=MEMBERS)[0].member_id == "M9"  # the id as written; the name is not checked


def test_a_fixed_member_name(tmp_path: Path) -> None:
    """A file of one member's records."""
    path = _csv(tmp_path, "记录编号,类型,日期\nR1,会议,2024-01-15\n")
    profile = parse_profile({"records": {"fixed": {"member_name": "王芳"}}})
    assert read_records(path, mapping=profile, members=MEMBERS)[0].member_id == "M2"


def test_the_mapping_argument_must_be_a_mapping_a_profile_or_a_path(tmp_path: Path) -> None:
    path = _csv(tmp_path, "记录编号,委员编号,类型,日期\nR1,M1,会议,2024-01-15\n")
    with pytest.raises(ConfigurationError) as caught:
        read_records(path, mapping=3)  # type: ignore[arg-type]
    assert caught.value.problems[0].key == "mapping"
    with pytest.raises(ConfigurationError):
        read_records(path, unknown_columns="warn")  # type: ignore[arg-type]
