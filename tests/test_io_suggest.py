"""``suggest_profile`` / ``scoring check --suggest-mapping``: a draft an officer starts from. Known
headers and values filled in, unknown ones as commented TODO lines; the draft loads as a profile
as it is, and reads the files once its TODO lines are filled in."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from scoring.cli import main
from scoring.errors import InputError
from scoring.io import Note, load_profile, parse_profile, read_members, read_records
from scoring.io.suggest import suggest_profile

ROOT = Path(__file__).resolve().parents[1]
OFFICE = ROOT / "examples" / "office"
QUOTED = r'"(?:[^"\\]|\\.)*"'
TODO = re.compile(rf"^# (?P<key>{QUOTED}|\w+) = (?P<value>{QUOTED}|\[.*\])  # TODO: .*$")


def _todos(draft: str) -> list[tuple[str, str]]:
    return [(m["key"], m["value"]) for line in draft.splitlines() if (m := TODO.match(line))]


def _fill(draft: str, answers: dict[str, str]) -> str:
    """Uncomment each TODO line, with the answer for its key (or its proposal, if it has one)."""
    lines = []
    for line in draft.splitlines():
        match = TODO.match(line)
        if match is None:
            lines.append(line)
            continue
        key, value = match["key"], match["value"]
        value = answers.get(key.strip('"'), value)
        if value != '"?"':
            lines.append(f"{key} = {value}")
    return "\n".join(lines) + "\n"


def test_a_file_the_readers_know_gives_a_draft_without_todos(tmp_path: Path) -> None:
    path = tmp_path / "records.csv"
    path.write_text("记录编号,委员编号,类型,子类,状态,日期\nR1,M1,会议,全会,出席,2024-01-15\nR2,M1,提案,,立案,2024-02-01\n",
                    encoding="utf-8")
    draft = suggest_profile(records=path)
    assert _todos(draft) == [] and "TODO:" not in draft
    data = tomllib.loads(draft)
    assert data["records"]["columns"] == {
        "记录编号": "id", "委员编号": "member_id", "类型": "kind", "子类": "subtype", "状态": "status", "日期": "date",
    }
    assert data["records"]["values"] == {
        "kind": {"会议": "meeting", "提案": "proposal"}, "subtype": {"全会": "plenary"},
        "status": {"出席": "attended", "立案": "registered"},
    }
    profile = parse_profile(data)
    assert read_records(path, mapping=profile) == read_records(path)


def test_the_office_draft_lists_what_it_cannot_know() -> None:
    pytest.importorskip("openpyxl")
    draft = suggest_profile(members=OFFICE / "members.csv", records=OFFICE / "meetings.xlsx")
    assert parse_profile(tomllib.loads(draft)) is not None  # valid as it is: TODO lines are comments
    assert dict(_todos(draft)) == {
        '"序号"': '"?"', '"性别"': '"?"', '"民族"': '"?"', '"联系电话"': '"?"', '"界别"': '"?"',
        '"市政协常委"': '"standing_committee"',  # proposed: the value contains 政协常委
        "kind": '"meeting"',  # proposed: 出席 and 请假 are meeting statuses, and of no other kind
        '"2024年第一次全体会议"': '"plenary"', '"2024年第三次常委会议"': '"standing_committee"',
        '"关于优化营商环境的专题协商会"': '"consultation"', '"2024年第五次常委会议"': '"standing_committee"',
        '"×"': '"?"', '"病假"': '"?"',
        "first_cell": '["制表人*"]',  # row 29 names no one
    }
    assert 'ids = "row"' in draft  # the sheet has no record number
    assert '"缺席" = "absent_unexcused"' in draft  # known values filled in, for the officer to check
    assert "跳过了 7 行：标题行 1–2；空行 14, 18, 24；重复的表头 19；合计行 28（合计）" in draft


def test_suggest_fill_load_read(tmp_path: Path) -> None:
    """The round trip: draft, TODO lines filled in, profile loaded, files read."""
    pytest.importorskip("openpyxl")
    draft = suggest_profile(members=OFFICE / "members.csv", records=OFFICE / "meetings.xlsx")
    filled = _fill(draft, {"×": '"absent_unexcused"', "病假": '"leave_approved"'})
    path = tmp_path / "profile.toml"
    path.write_text(filled, encoding="utf-8")
    profile = load_profile(path)
    notes: list[Note] = []
    members = read_members(OFFICE / "members.csv", mapping=profile, notes=notes)
    records = read_records(OFFICE / "meetings.xlsx", mapping=profile, members=members, notes=notes)
    expected = read_records(OFFICE / "meetings.xlsx", mapping=OFFICE / "profile.toml", members=members)
    assert records == expected
    # the columns the draft left unmapped are not read, and said so
    assert [c.name for n in notes if n.code == "ignored_columns" for c in n.columns] == [
        "序号", "性别", "民族", "联系电话", "序号", "界别",
    ]


def test_the_draft_as_it_is_reads_up_to_the_values_it_could_not_know() -> None:
    pytest.importorskip("openpyxl")
    draft = suggest_profile(members=OFFICE / "members.csv", records=OFFICE / "meetings.xlsx")
    profile = parse_profile(tomllib.loads(draft))
    with pytest.raises(InputError) as caught:
        read_members(OFFICE / "members.csv", mapping=profile)
    assert {p.found for p in caught.value.problems} == {"市政协常委"}


def test_a_draft_built_on_the_profile_has_nothing_left_to_do() -> None:
    pytest.importorskip("openpyxl")
    base = load_profile(OFFICE / "profile.toml")
    draft = suggest_profile(members=OFFICE / "members.csv", records=OFFICE / "meetings.xlsx", base=base)
    assert _todos(draft) == []
    profile = parse_profile(tomllib.loads(draft))
    members = read_members(OFFICE / "members.csv", mapping=profile)
    assert read_records(OFFICE / "meetings.xlsx", mapping=profile, members=members) == read_records(
        OFFICE / "meetings.xlsx", mapping=base, members=members)


def test_strings_are_quoted_for_toml(tmp_path: Path) -> None:
    path = tmp_path / "records.csv"
    path.write_text('记录编号,委员编号,类型,"备\\注""x",日期\nR1,M1,会议,a,2024-01-15\n', encoding="utf-8")
    draft = suggest_profile(records=path)
    (key, _), = _todos(draft)
    assert tomllib.loads(f"{key} = 1") == {'备\\注"x': 1}


def test_the_command_writes_the_draft(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("openpyxl")
    args = ["check", "-r", "jinan-2015", "-m", str(OFFICE / "members.csv"), "-d", str(OFFICE / "meetings.xlsx"),
            "--suggest-mapping"]
    assert main(args) == 0
    out, err = capsys.readouterr()
    assert out == suggest_profile(members=OFFICE / "members.csv", records=OFFICE / "meetings.xlsx")
    assert err == ""
    target = tmp_path / "draft.toml"
    assert main([*args, "-o", str(target), "--mapping", str(OFFICE / "profile.toml")]) == 0
    assert _todos(target.read_text(encoding="utf-8")) == []
    assert main(["check", "-r", "jinan-2015", "--suggest-mapping", "--lang", "en"]) == 1
    assert "--suggest-mapping needs --members or --records" in capsys.readouterr().err
