"""``scoring compare`` and :mod:`scoring.report.compare`: the bundled example city under
``jinan-2015`` and the bundled variant ``examples/variants/jinan-2015-strict.toml``."""

from __future__ import annotations

import contextlib
import io
import json
import re
from collections import Counter
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from scoring import Period, ScoringResult, score
from scoring.cli import main
from scoring.io import read_members, read_records
from scoring.models import Scorecard
from scoring.plugins import Registry
from scoring.report.chart import (
    Chart,
    Series,
    distribution_figure,
    draw_distributions,
    find_cjk_font,
    marks,
    matplotlib_available,
)
from scoring.report.compare import compare

REPO = Path(__file__).resolve().parents[1]
CITY = REPO / "examples" / "city"
VARIANT = REPO / "examples" / "variants" / "jinan-2015-strict.toml"
DATA = Path(__file__).parent / "data" / "cli"
CITY_ARGS = ["-r", "jinan-2015", "--variant", str(VARIANT), "-m", str(CITY / "members.csv"),
             "-d", str(CITY / "records.csv"), "--year", "2024"]
SAMPLE_ARGS = ["-r", "jinan-2015", "--variant", str(VARIANT), "-m", str(DATA / "members_bom.csv"),
               "-d", str(DATA / "records_gbk.csv"), "--year", "2024"]

NOTES = re.compile(r"((注意：|note: )(读取 \d+ 条记录，|\d+ records read, )[^\n]*\n)?")
"""standard error of a run: nothing, or the line accounting for records not counted"""


def run(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    code = main(list(args))
    out, err = capsys.readouterr()
    assert code == 0 and NOTES.fullmatch(err), err
    return out


@cache
def city_results() -> tuple[ScoringResult, ScoringResult]:
    """The example city scored through the library under the base and the variant."""
    registry = Registry.build()
    base, variant = registry.load("jinan-2015"), registry.load(str(VARIANT))
    members = read_members(CITY / "members.csv")
    records = read_records(CITY / "records.csv", vocabulary=base.vocabulary)
    period = Period.year(2024)
    return score(base, members, records, period), score(variant, members, records, period)


def _grade(card: Scorecard) -> str:
    return "exempt" if card.status == "exempt" else (card.grade or "none")


@pytest.fixture(scope="module")
def city_json() -> dict[str, Any]:
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        assert main(["compare", *CITY_ARGS, "-f", "json"]) == 0
    doc: dict[str, Any] = json.loads(buffer.getvalue())
    return doc


def test_variant_loads_and_differs_only_where_intended() -> None:
    registry = Registry.build()
    base, variant = registry.load("jinan-2015"), registry.load(str(VARIANT))
    assert variant.id == "jinan-2015-strict" and variant.spec.rule_set.example
    assert [Path(p).name for p in variant.chain] == ["jinan-2015.toml", "jinan-2015-strict.toml"]
    assert variant.grade("competent").min == 65  # type: ignore[union-attr]
    assert variant.grade("incompetent").max == 65  # type: ignore[union-attr]
    assert base.grade("competent").min == 60  # type: ignore[union-attr]
    assert variant.spec.total.pass_mark == 65
    triggers = {s.id: s.trigger for s in variant.escalation}
    assert {k: (t.type, getattr(t, "value", None)) for k, t in triggers.items()} == {
        "below60_year": ("total_below", Decimal(65)), "below60_two_years": ("total_below", Decimal(65)),
    }
    rules = {r.id: r.spec.params for r in variant.rules}
    assert rules["plenary_leave"]["points"] == -5
    assert {r.id for r in variant.rules} == {r.id for r in base.rules}


def test_check_accepts_the_variant(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "check", "--rule-set", str(VARIANT)).startswith("OK: jinan-2015-strict 2015.1-strict")


def test_transitions_on_the_example_city_match_the_library(city_json: dict[str, Any]) -> None:
    before, after = city_results()
    later = {c.member_id: c for c in after.scorecards}
    expected = Counter((_grade(c), _grade(later[c.member_id])) for c in before.scorecards)
    (variant,) = city_json["variants"]
    matrix = variant["transitions"]
    got = Counter({
        (row, col): n for i, row in enumerate(matrix["rows"]) for j, col in enumerate(matrix["columns"])
        for n in [matrix["counts"][i][j]] if n
    })
    assert got == expected
    assert sum(sum(r) for r in matrix["counts"]) == len(before.scorecards) == city_json["members"]
    changed = {c.member_id for c in before.scorecards
               if (c.total, _grade(c), [w.rule_id for w in c.warnings])
               != (later[c.member_id].total, _grade(later[c.member_id]),
                   [w.rule_id for w in later[c.member_id].warnings])}
    assert {c["member_id"] for c in variant["changes"]} == changed
    assert variant["grade_changed"] == sum(n for (b, a), n in expected.items() if b != a)
    assert variant["total_changed"] == sum(
        c.total != later[c.member_id].total for c in before.scorecards
    )


def test_example_city_spot_checks(city_json: dict[str, Any]) -> None:
    (variant,) = city_json["variants"]
    changes = {c["member_id"]: c for c in variant["changes"]}
    # M0160 (常委, 经济界) took approved leave from the plenary: 60 → 65, still 不称职 because
    # missing the plenary fails the three ones; the leave line is the only one that moved.
    m0160 = changes["M0160"]
    assert (m0160["total_before"], m0160["total_after"]) == ("60", "65")
    assert (m0160["grade_before"], m0160["grade_after"]) == ("incompetent", "incompetent")
    assert [(x["rule_id"], x["before"], x["after"]) for x in m0160["lines"]] == [("plenary_leave", "-10", "-5")]
    assert m0160["warnings_added"] == [] and m0160["warnings_removed"] == []
    # M0074 was absent without leave (40 under both): warned under both, so not a change.
    assert "M0074" not in changes
    # Every member scoring 60–64 under jinan-2015 missed the plenary and already fails the gate,
    # so raising the pass mark moves no final grade in this city.
    assert variant["grade_changed"] == 0 and variant["warnings_changed"] == 0
    assert variant["transitions"]["rows"][:3] == ["excellent", "competent", "incompetent"]


def test_sample_city_transition_and_new_warning(capsys: pytest.CaptureFixture[str]) -> None:
    doc = json.loads(run(capsys, "compare", *SAMPLE_ARGS, "-f", "json"))
    (variant,) = doc["variants"]
    t = variant["transitions"]
    cell = {(r, c): t["counts"][i][j] for i, r in enumerate(t["rows"]) for j, c in enumerate(t["columns"])}
    assert cell[("competent", "incompetent")] == 1
    assert cell[("competent", "competent")] == 1 and cell[("excellent", "excellent")] == 1
    assert cell[("incompetent", "incompetent")] == 2 and cell[("exempt", "exempt")] == 1
    changes = {c["member_id"]: c for c in variant["changes"]}
    assert set(changes) == {"M002", "M004"}
    m004 = changes["M004"]
    assert (m004["total_before"], m004["total_after"]) == ("61", "61")
    assert (m004["grade_before"], m004["grade_after"]) == ("competent", "incompetent")
    assert [(w["rule_id"], w["action"]) for w in m004["warnings_added"]] == [("below60_year", "talk")]
    assert m004["lines"] == []
    assert changes["M002"]["lines"][0]["record_ids"] == ["R008"]
    by_grade = {s["key"]: s for s in variant["distribution"]["by_grade"]}
    assert (by_grade["incompetent"]["count"], by_grade["incompetent"]["mean"]) == (3, "55.33")
    assert doc["distribution"]["by_sector"][2]["label"]["zh"] == "经济界"


def test_compare_table_markdown_and_html(capsys: pytest.CaptureFixture[str]) -> None:
    table = run(capsys, "compare", *SAMPLE_ARGS)
    assert "等级变化矩阵" in table and "M004" in table and "约谈" in table
    md = run(capsys, "compare", *SAMPLE_ARGS, "-f", "md", "--lang", "en")
    assert "| base \\\\ variant | excellent | competent | incompetent | exempt | all |" in md
    assert "| competent | 0 | 1 | 1 | 0 | 2 |" in md
    assert "| M004 | 赵六 | 经济界 | 61 → 61 | 0 | competent → incompetent | talk (the convener" in md
    assert "Plenary: approved leave: -10 → -5" in md
    html = run(capsys, "compare", *SAMPLE_ARGS, "-f", "html")
    assert html.startswith("<!DOCTYPE html>") and "<th>称职</th><td class=\"num\">0</td>" in html


def test_library_compare_without_the_cli() -> None:
    registry = Registry.build()
    base, variant = registry.load("jinan-2015"), registry.load(str(VARIANT))
    members = read_members(DATA / "members.json")
    records = read_records(DATA / "records.jsonl", vocabulary=base.vocabulary)
    result = compare(base, [variant], members, records, Period.year(2024))
    v = result.variants[0]
    assert v.transitions.count("competent", "incompetent") == 1
    assert v.transitions.changed == 1
    assert [c.member_id for c in v.changes if c.grade_changed] == ["M004"]
    assert type(result).model_validate_json(result.model_dump_json()) == result


@pytest.mark.skipif(matplotlib_available(), reason="matplotlib is installed")
def test_chart_without_matplotlib_says_how_to_install(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code = main(["compare", *SAMPLE_ARGS, "--chart", str(tmp_path / "c.png")])
    out, err = capsys.readouterr()
    assert code == 1 and out == ""
    assert "matplotlib" in err and "pip install matplotlib" in err and "Traceback" not in err
    assert not (tmp_path / "c.png").exists()


needs_matplotlib = pytest.mark.skipif(not matplotlib_available(), reason="matplotlib is not installed")
CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


def _chart_texts(chart: Chart) -> dict[str, Any]:
    (axes,) = chart.figure.axes
    return {"x": axes.get_xlabel(), "y": axes.get_ylabel(), "title": axes.get_title(),
            "legend": [t.get_text() for legend in chart.figure.legends for t in legend.get_texts()],
            "marks": [t.get_text() for t in axes.texts]}


def _series() -> list[Series]:
    registry = Registry.build()
    (base, after), rule_sets = city_results(), (registry.load("jinan-2015"), registry.load(str(VARIANT)))
    return [Series(rs, [c.total for c in r.scorecards if c.total is not None and c.status == "assessed"])
            for rs, r in zip(rule_sets, (base, after), strict=True)]


FONT_NOTE = ("注意：未找到中文字体，图表使用英文标注"
             "（Debian/Ubuntu：apt-get install fonts-noto-cjk 或 fonts-wqy-microhei）\n")


@needs_matplotlib
def test_chart_is_a_png(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "c.png"
    code = main(["compare", *SAMPLE_ARGS, "--chart", str(path), "-f", "json"])
    _, err = capsys.readouterr()
    assert code == 0 and path.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    if find_cjk_font() is None:  # English labels, and a note saying why
        assert err.startswith(FONT_NOTE)
        err = err.removeprefix(FONT_NOTE)
    assert NOTES.fullmatch(err)


@needs_matplotlib
def test_without_a_cjk_font_the_command_says_so(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("scoring.report.chart.find_cjk_font", lambda: None)  # a machine without Chinese fonts
    code = main(["compare", *SAMPLE_ARGS, "--chart", str(tmp_path / "c.png"), "-f", "json"])
    _, err = capsys.readouterr()
    assert code == 0 and err.startswith(FONT_NOTE) and (tmp_path / "c.png").exists()
    code = main(["compare", *SAMPLE_ARGS, "--chart", str(tmp_path / "e.png"), "-f", "json", "--lang", "en"])
    _, err = capsys.readouterr()
    assert code == 0 and "未找到中文字体" not in err  # English was asked for: nothing to say


@needs_matplotlib
def test_chart_labels_are_chinese_with_a_cjk_font() -> None:
    font = find_cjk_font()
    if font is None:
        pytest.skip("no Chinese font installed (Debian: apt-get install fonts-wqy-microhei)")
    chart = distribution_figure(_series(), period="2024", lang="zh", font=font)
    texts = _chart_texts(chart)
    assert (chart.lang, chart.fell_back, texts["x"], texts["y"]) == ("zh", False, "总分", "人数")
    assert texts["title"] == "总分分布 — 2024"
    # the legend names each rule set by its title (wrapped), not its id
    assert [t.replace("\n", "") for t in texts["legend"]] == [
        "关于政协委员履职量化考核的实施办法（济南市政协）",
        "济南市政协委员履职量化考核（示例变体：及格线65分，请假扣5分）",
    ]
    # the pass mark and the grade boundaries: 60 under the base, 65 under the variant, 85 under both
    assert sorted(texts["marks"]) == ["优秀 ≥ 85", "及格线 · 称职 ≥ 60", "及格线 · 称职 ≥ 65"]


@needs_matplotlib
def test_without_a_cjk_font_the_chart_is_english_never_tofu() -> None:
    chart = distribution_figure(_series(), period="2024", lang="zh", font=None)
    texts = _chart_texts(chart)
    assert (chart.lang, chart.fell_back, texts["x"], texts["y"]) == ("en", True, "total", "members")
    assert [t.replace("\n", " ") for t in texts["legend"]] == [
        "Jinan CPPCC implementing measures for the quantitative assessment of members' duty performance",
        "Jinan 2015, example variant: pass mark 65, approved leave −5"]
    assert sorted(texts["marks"]) == ["excellent ≥ 85", "pass mark · competent ≥ 60", "pass mark · competent ≥ 65"]
    assert not [t for t in (texts["x"], texts["y"], texts["title"], *texts["legend"], *texts["marks"]) if CJK.search(t)]
    english = distribution_figure(_series(), period="2024", lang="en", font="WenQuanYi Micro Hei")
    assert (english.lang, english.fell_back) == ("en", False)


@needs_matplotlib
def test_a_title_with_dollars_is_drawn_as_written(tmp_path: Path) -> None:
    registry = Registry.build()
    rule_file = tmp_path / "dollars.toml"
    rule_file.write_text(VARIANT.read_text(encoding="utf-8").replace(
        'en = "Jinan 2015, example variant: pass mark 65, approved leave −5"', 'en = "$x^{2$ costs $5"'),
        encoding="utf-8")
    series = [Series(registry.load(str(rule_file)), [Decimal(60), Decimal(-20)])]
    chart = draw_distributions(series, tmp_path / "d.png", period="2024", lang="en")
    assert (tmp_path / "d.png").read_bytes().startswith(b"\x89PNG")  # unbalanced math did not fail the drawing
    assert _chart_texts(chart)["legend"] == [r"\$x^{2\$ costs \$5"]  # escaped: drawn as written, not as math


@needs_matplotlib
def test_marks_of_a_rule_set() -> None:
    jinan = Registry.build().load("jinan-2015")
    assert marks(jinan, "zh") == {Decimal(60): "及格线 · 称职 ≥ 60", Decimal(85): "优秀 ≥ 85"}
    assert marks(jinan, "en") == {Decimal(60): "pass mark · competent ≥ 60", Decimal(85): "excellent ≥ 85"}
