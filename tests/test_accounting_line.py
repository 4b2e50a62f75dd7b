"""Nothing set aside without a word: the accounting line on standard error for ``score`` (every
format, both engines), ``explain`` and ``compare``; ``--strict``; and the same summary from the
library (``Accounting.summary`` and ``BatchResult.accounting_summary``)."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings

from scoring import Period, RuleSet, score
from scoring.batch import prepare
from scoring.batch.files import read_columns
from scoring.cli import main
from scoring.io import read_members, read_records
from scoring.models import AccountingSummary, ReasonCount
from test_properties import Scenario, random_scenarios

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data" / "cli"
SAMPLE = ["-r", "jinan-2015", "-m", str(DATA / "members_gbk.csv"), "-d", str(DATA / "records_gbk.csv"),
          "--year", "2024"]
ZH_LINE = ("注意：读取 28 条记录，计分 23 条，拒绝 1 条，忽略 4 条。"
           "拒绝：委员编号不在委员名单中 1 条（R026：委员 M999）。"
           "忽略：记录已删除（软删除） 1 条（R024）；本规则集没有适用于此记录的规则或要求 1 条（R028）；"
           "日期不在考核期内 1 条（R027）；与另一记录为同一事项，只计一次 1 条（R025）。\n")
EN_LINE = ("note: 28 records read, 23 counted, 1 rejected, 4 ignored. rejected: member id not in the member list: 1 "
           "(R026: member M999). ignored: soft-deleted record: 1 (R024) | no rule or requirement of this rule set "
           "applies: 1 (R028) | date outside the assessment period: 1 (R027) | same item as another record; counted "
           "once: 1 (R025).\n")
FORMATS = ["table", "json", "csv", "md", "html", "jsonl"]


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """Two members whose every record is counted."""
    folder = tmp_path_factory.mktemp("clean")
    (folder / "members.csv").write_text("委员编号,姓名,界别\nM1,甲,教育界\nM2,乙,教育界\n", encoding="utf-8")
    with (folder / "records.csv").open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["记录编号", "委员编号", "类型", "子类", "状态", "日期"])
        w.writerows([["R1", "M1", "会议", "全体会议", "出席", "2024-01-08"],
                     ["R2", "M2", "会议", "全体会议", "请假", "2024-01-08"]])
    return ["-r", "jinan-2015", "-m", str(folder / "members.csv"), "-d", str(folder / "records.csv"), "--year", "2024"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_unknown_member_is_named_on_stderr_in_every_format(capsys: pytest.CaptureFixture[str], fmt: str) -> None:
    code, out, err = run(capsys, "score", *SAMPLE, "-f", fmt)
    assert code == 0 and out
    assert err == ZH_LINE


def test_xlsx_and_the_reference_jsonl_say_it_too(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    pytest.importorskip("openpyxl")
    code, _, err = run(capsys, "score", *SAMPLE, "-o", str(tmp_path / "r.xlsx"), "--lang", "en")
    assert (code, err) == (0, EN_LINE)
    code, _, err = run(capsys, "score", *SAMPLE, "-f", "jsonl", "--engine", "reference", "--lang", "en")
    assert (code, err) == (0, EN_LINE)


def test_columnar_reading_names_the_unknown_member_too(capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("pyarrow")  # UTF-8 CSV is read column by column; the record is built to name its member
    args = ["-r", "jinan-2015", "-m", str(DATA / "members_bom.csv"), "-d", str(DATA / "records_bom.csv"),
            "--year", "2024"]
    code, _, err = run(capsys, "score", *args, "-f", "jsonl", "--lang", "en")
    assert (code, err) == (0, EN_LINE)


def test_explain_and_compare_say_it_too(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "explain", *SAMPLE, "--member", "M001")
    assert (code, err) == (0, ZH_LINE) and "M001" in out
    variant = str(ROOT / "examples" / "variants" / "jinan-2015-strict.toml")
    code, out, err = run(capsys, "compare", *SAMPLE, "-V", variant, "-f", "json", "--lang", "en")
    assert (code, err) == (0, EN_LINE)  # both rule sets account for the records alike: one line


def test_compare_names_each_rule_set_when_they_account_differently(capsys: pytest.CaptureFixture[str]) -> None:
    # tongcheng-2019 has rules for other kinds of records than jinan-2015: other records are "no rule"
    code, _, err = run(capsys, "compare", *SAMPLE, "-V", "tongcheng-2019", "-f", "json")
    lines = err.splitlines()
    assert code == 0 and len(lines) == 2
    assert lines[0].startswith("注意：jinan-2015: 读取 28 条记录")
    assert lines[1].startswith("注意：tongcheng-2019: 读取 28 条记录")


@pytest.mark.parametrize("fmt", ["json", "jsonl"])
def test_strict_fails_after_writing_the_output(capsys: pytest.CaptureFixture[str], tmp_path: Path, fmt: str) -> None:
    path = tmp_path / f"out.{fmt}"
    code, out, err = run(capsys, "score", *SAMPLE, "-f", fmt, "-o", str(path), "--strict", "--lang", "en")
    assert code == 1 and out == ""
    assert path.stat().st_size > 0  # the output is written all the same
    assert err == "error (--strict): " + EN_LINE.removeprefix("note: ")
    code, _, err = run(capsys, "explain", *SAMPLE, "--member", "M001", "--strict")
    assert code == 1 and err.startswith("错误（--strict）：读取 28 条记录")


def test_strict_passes_when_records_are_only_ignored(capsys: pytest.CaptureFixture[str], clean: list[str],
                                                     tmp_path: Path) -> None:
    records = Path(clean[clean.index("-d") + 1])
    ignored = tmp_path / "records.csv"
    ignored.write_text(records.read_text(encoding="utf-8") + "R3,M1,会议,全体会议,出席,2023-12-31\n", encoding="utf-8")
    args = [*clean]
    args[args.index("-d") + 1] = str(ignored)
    code, _, err = run(capsys, "score", *args, "-f", "json", "--strict")
    assert code == 0
    assert err == "注意：读取 3 条记录，计分 2 条，拒绝 0 条，忽略 1 条。忽略：日期不在考核期内 1 条（R3）。\n"


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_clean_run_prints_nothing_on_stderr(capsys: pytest.CaptureFixture[str], clean: list[str], fmt: str) -> None:
    code, out, err = run(capsys, "score", *clean, "-f", fmt, "--strict")
    assert (code, err) == (0, "") and out
    code, _, err = run(capsys, "explain", *clean, "--member", "M1", "--strict")
    assert (code, err) == (0, "")
    code, _, err = run(capsys, "compare", *clean, "-V", str(ROOT / "examples/variants/jinan-2015-strict.toml"))
    assert (code, err) == (0, "")


# -- the library ---------------------------------------------------------------------------------

def _both(rule_set: RuleSet, members: Path, records: Path) -> tuple[AccountingSummary, AccountingSummary]:
    period = Period.year(2024)
    reference = score(rule_set, read_members(members), read_records(records, vocabulary=rule_set.vocabulary), period)
    batch = prepare(rule_set, *read_columns(members, records, rule_set.vocabulary), period).score(rule_set)
    return reference.accounting.summary(), batch.accounting_summary()


def test_both_engines_give_the_same_summary(shipped: Callable[[str], RuleSet]) -> None:
    jinan = shipped("jinan-2015")
    reference, batch = _both(jinan, DATA / "members_gbk.csv", DATA / "records_gbk.csv")
    assert reference == batch
    assert (reference.read, reference.counted, reference.rejected, reference.ignored) == (28, 23, 1, 4)
    assert reference.reasons[0] == ReasonCount("unknown_member", "rejected", 1, ("R026",), ("M999",))
    assert reference.rejected_ids() == ("R026",)
    assert "注意：" + reference.line("zh") + "\n" == ZH_LINE and "note: " + reference.line("en") + "\n" == EN_LINE
    city = _both(jinan, ROOT / "examples/city/members.csv", ROOT / "examples/city/records.csv")
    assert city[0] == city[1] and city[0].rejected == 0 and city[0].ignored == 3262


def test_the_first_ids_are_the_smallest_and_limit_bounds_them(shipped: Callable[[str], RuleSet]) -> None:
    jinan = shipped("jinan-2015")
    members = read_members(ROOT / "examples/city/members.csv")
    records = read_records(ROOT / "examples/city/records.csv", vocabulary=jinan.vocabulary)
    accounting = score(jinan, members, records, Period.year(2024)).accounting
    for limit in (0, 1, 3, 10):
        for reason in accounting.summary(limit).reasons:
            ids = sorted(o.record_id for o in accounting.records if o.reason_code == reason.code)
            assert reason.record_ids == tuple(ids[:limit]) and reason.count == len(ids)
    assert accounting.summary(0).line("en") == (
        "6000 records read, 2738 counted, 0 rejected, 3262 ignored. ignored: no rule or requirement of this rule set "
        "applies: 3218 | soft-deleted record: 25 | same item as another record; counted once: 19.")
    assert accounting.rejected_ids() == ()


def test_every_record_counted_gives_an_empty_line() -> None:
    summary = AccountingSummary.build(5, 5, {}, {})
    assert summary.everything_counted and summary.line("zh") == summary.line("en") == ""
    assert (summary.rejected, summary.ignored, summary.rejected_ids()) == (0, 0, ())


@settings(max_examples=40, deadline=None)
@given(random_scenarios())
def test_the_summary_accounts_for_every_record_and_names_the_smallest(s: Scenario) -> None:
    accounting = s.run().accounting
    summary = accounting.summary(limit=2)
    assert summary.read == summary.counted + summary.ignored + summary.rejected == len(accounting.records)
    assert (summary.ignored, summary.rejected) == (accounting.ignored, accounting.rejected)
    assert {r.code: r.count for r in summary.reasons} == accounting.by_reason
    for reason in summary.reasons:
        ids = sorted({o.record_id for o in accounting.records if o.reason_code == reason.code})
        assert reason.record_ids == tuple(ids[:2])
        assert {o.outcome for o in accounting.records if o.reason_code == reason.code} == {reason.outcome}
    assert [r.outcome for r in summary.reasons] == sorted((r.outcome for r in summary.reasons), reverse=True)
    assert bool(summary.line("zh")) == bool(summary.line("en")) == (summary.counted < summary.read)
    assert set(summary.rejected_ids()) <= set(accounting.rejected_ids())
