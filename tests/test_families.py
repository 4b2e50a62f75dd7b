"""Rule-set families: asked for by family id, the version in force for the period is scored.

The test family ``testcity`` (tests/data/families, not a shipped plugin) has two versions —
``testcity-2015`` (2015-2019, plenary 10 points) and ``testcity-2020`` (from 2020, an overlay
doubling them) — and a variant ``testcity-2020-trial`` that names no family.
"""

from __future__ import annotations

import datetime as dt
import json
import types
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scoring import ActivityRecord, ConfigurationError, Member, Period, PluginError, RuleSetError, hookimpl, score
from scoring.catalog import RuleSetEntry
from scoring.cli import main
from scoring.families import choose_version
from scoring.plugins import Registry, make_plugin_manager
from scoring.ruleset import parse_rule_set
from scoring.ruleset.in_force import EffectiveDates
from stderr_notes import without_accounting

FAMILIES = Path(__file__).parent / "data" / "families"
VERSION_HEAD = """schema_version = 1
[rule_set]
id = "{id}"
version = "1"
family = "{family}"
title = "版本"
{dates}
[[categories]]
id = "c"
label = "C"
"""


def _registry(*dirs: Path) -> Registry:
    return Registry.build(make_plugin_manager(load_entry_points=False), path=dirs or (FAMILIES,))


def _write_version(folder: Path, rule_set_id: str, dates: str, family: str = "town") -> None:
    folder.mkdir(exist_ok=True)
    (folder / f"{rule_set_id}.toml").write_text(
        VERSION_HEAD.format(id=rule_set_id, family=family, dates=dates), encoding="utf-8")


def _plenary(day: str) -> ActivityRecord:
    return ActivityRecord(id=f"r{day}", member_id="m1", kind="meeting", subtype="plenary", status="attended", date=day)


@pytest.mark.parametrize(("year", "expected"), [
    (2015, "testcity-2015"), (2019, "testcity-2015"), (2020, "testcity-2020"), (2024, "testcity-2020"),
])
def test_a_family_id_gives_the_version_in_force_for_the_period(year: int, expected: str) -> None:
    rule_set = _registry().load("testcity", period=Period.year(year))
    assert rule_set.id == expected
    assert rule_set.in_force(Period.year(year)) and rule_set.period_problem(Period.year(year)) is None


def test_the_chosen_version_scores_under_its_own_rules() -> None:
    registry = _registry()
    totals = {}
    for year in (2016, 2024):
        period = Period.year(year)
        result = score(registry.load("testcity", period=period), [Member(id="m1")], [_plenary(f"{year}-03-01")], period)
        totals[year] = (result.scorecards[0].total, result.scorecards[0].provenance.rule_set_id)
    assert totals == {2016: (10, "testcity-2015"), 2024: (20, "testcity-2020")}


def test_an_exact_id_means_that_rule_set_whatever_the_period() -> None:
    rule_set = _registry().load("testcity-2015", period=Period.year(2024))
    assert rule_set.id == "testcity-2015"
    assert not rule_set.in_force(Period.year(2024))
    problem = rule_set.period_problem(Period.year(2024))
    assert problem is not None and "2015-01-01 to 2019-12-31" in problem.en and "testcity-2015" in problem.zh


def test_a_variant_is_not_a_version_of_the_family_but_inherits_its_dates() -> None:
    registry = _registry()
    trial = registry.rule_sets["testcity-2020-trial"]
    assert trial.family is None and trial.dates == EffectiveDates(dt.date(2020, 1, 1), None)
    assert [v.id for v in registry.families["testcity"]] == ["testcity-2015", "testcity-2020"]
    compiled = registry.load("testcity-2020-trial")
    assert compiled.spec.rule_set.family is None
    assert compiled.effective_dates == EffectiveDates(dt.date(2020, 1, 1), None)


def test_a_revision_giving_effective_from_replaces_the_base_date_range() -> None:
    revision = _registry().load("testcity-2020")
    assert revision.spec.rule_set.family == "testcity"
    assert (revision.spec.rule_set.effective_from, revision.spec.rule_set.effective_to) == (dt.date(2020, 1, 1), None)


@pytest.mark.parametrize("period", [
    Period.year(2014),
    Period(start=dt.date(2019, 7, 1), end=dt.date(2020, 6, 30)),  # straddles the revision
])
def test_no_version_in_force_for_the_whole_period_lists_the_versions(period: Period) -> None:
    with pytest.raises(ConfigurationError) as caught:
        _registry().load("testcity", period=period)
    (problem,) = caught.value.problems
    assert problem.en.startswith("no version of rule-set family 'testcity' is in force for the whole period")
    assert problem.expected == "testcity-2015 (2015-01-01 – 2019-12-31), testcity-2020 (2020-01-01 –)"
    assert problem.found == f"{period.start}~{period.end}"


def test_versions_in_force_together_are_ambiguous(tmp_path: Path) -> None:
    _write_version(tmp_path, "town-a", "effective_from = 2020-01-01")
    _write_version(tmp_path, "town-b", "effective_from = 2022-01-01")
    registry = _registry(tmp_path)
    assert registry.load("town", period=Period.year(2021)).id == "town-a"
    with pytest.raises(ConfigurationError) as caught:
        registry.load("town", period=Period.year(2023))
    (problem,) = caught.value.problems
    assert "several versions of rule-set family 'town'" in problem.en and "town-a, town-b" in problem.en
    assert problem.expected == "town-a (2020-01-01 –), town-b (2022-01-01 –)"


def test_without_a_period_a_family_means_its_only_version(tmp_path: Path) -> None:
    _write_version(tmp_path, "town-a", "")
    assert _registry(tmp_path).load("town").id == "town-a"
    _write_version(tmp_path, "town-b", "effective_from = 2022-01-01")
    with pytest.raises(ConfigurationError) as caught:
        _registry(tmp_path).load("town")
    (problem,) = caught.value.problems
    assert "a period is needed" in problem.en
    assert problem.expected == "town-a (no dates / 无施行日期), town-b (2022-01-01 –)"


def test_a_family_id_may_not_be_the_id_of_a_rule_set_outside_it(tmp_path: Path) -> None:
    _write_version(tmp_path, "town-a", "", family="testcity-2015")
    with pytest.raises(ConfigurationError) as caught:
        _registry(FAMILIES, tmp_path)
    (problem,) = caught.value.problems
    assert problem.key == "rule_set.family" and "which is not in it" in problem.en


def test_a_family_of_several_versions_may_not_share_the_id_of_one(tmp_path: Path) -> None:
    _write_version(tmp_path, "town", "effective_to = 2019-12-31")
    _registry(tmp_path)  # one version named like its family: fine
    _write_version(tmp_path, "town-2020", "effective_from = 2020-01-01")
    with pytest.raises(ConfigurationError) as caught:
        _registry(tmp_path)
    (problem,) = caught.value.problems
    assert "could not choose by period" in problem.en and problem.hint and "town-2020" in problem.hint


def test_families_registered_by_a_plugin_resolve_the_same() -> None:
    module = types.ModuleType("testcity")

    @hookimpl
    def scoring_register_rule_sets(register):  # type: ignore[no-untyped-def]
        for path in sorted(FAMILIES.glob("*.toml")):
            register(path)

    module.scoring_register_rule_sets = scoring_register_rule_sets  # type: ignore[attr-defined]
    registry = Registry.build(make_plugin_manager(load_entry_points=False, plugins=[("testcity", module)]))
    rule_set = registry.load("testcity", period=Period.year(2021))
    assert rule_set.id == "testcity-2020" and rule_set.source == "testcity (not installed): testcity-2020.toml"


def _plugin_with(path: Path, text: str) -> types.ModuleType:
    path.write_text(text, encoding="utf-8")
    module = types.ModuleType(path.stem)

    @hookimpl
    def scoring_register_rule_sets(register):  # type: ignore[no-untyped-def]
        register(path)

    module.scoring_register_rule_sets = scoring_register_rule_sets  # type: ignore[attr-defined]
    return module


def test_plugins_that_clash_on_a_family_are_named(tmp_path: Path) -> None:
    first = _plugin_with(tmp_path / "town.toml", VERSION_HEAD.format(id="town", family="town", dates=""))
    second = _plugin_with(tmp_path / "town-2.toml", VERSION_HEAD.format(id="town-2", family="town", dates=""))
    with pytest.raises(PluginError) as caught:
        Registry.build(make_plugin_manager(load_entry_points=False, plugins=[("one", first), ("two", second)]))
    (problem,) = caught.value.problems
    assert "could not choose by period" in problem.en and problem.file == str(tmp_path / "town.toml")


def test_the_shipped_rule_sets_carry_their_family() -> None:
    registry = Registry.build()
    families = {e.id: e.family for e in registry.rule_sets.values()}
    assert {k: families[k] for k in ("jinan-2015", "tongcheng-2019", "huzhou", "jilin-city", "zhangjiakou")} == {
        "jinan-2015": "jinan", "tongcheng-2019": "tongcheng", "huzhou": "huzhou", "jilin-city": "jilin-city",
        "zhangjiakou": "zhangjiakou",
    }
    # variants and example versions are not versions of the method in force
    assert all(families[k] is None for k in families if k.endswith(("-example", "-floored")))
    assert registry.load("jinan", period=Period.year(2024)).id == "jinan-2015"
    assert registry.load("tongcheng", period=Period.year(2020)).id == "tongcheng-2019"


@pytest.mark.parametrize(("value", "message"), [
    ('"济南"', "string_pattern_mismatch"), ("3", "string"),
])
def test_the_family_key_is_validated(value: str, message: str) -> None:
    text = VERSION_HEAD.format(id="x", family="f", dates="").replace('family = "f"', f"family = {value}")
    with pytest.raises(RuleSetError) as caught:
        parse_rule_set(text)
    assert [p.key for p in caught.value.problems] == ["rule_set.family"]


def test_effective_dates_must_be_in_order() -> None:
    text = VERSION_HEAD.format(id="x", family="f", dates="effective_from = 2020-01-01\neffective_to = 2019-12-31")
    with pytest.raises(RuleSetError) as caught:
        parse_rule_set(text)
    assert any("effective_to is before effective_from" in p.en for p in caught.value.problems)


# --------------------------------------------------------------------------------------------
# the command line
# --------------------------------------------------------------------------------------------


@pytest.fixture
def city(tmp_path: Path) -> tuple[str, str]:
    members = tmp_path / "members.csv"
    members.write_text("id,name\nm1,张三\n", encoding="utf-8")
    records = tmp_path / "records.csv"
    records.write_text("id,member_id,kind,subtype,status,date\n"
                       "r1,m1,meeting,plenary,attended,2016-03-01\n"
                       "r2,m1,meeting,plenary,attended,2024-03-01\n", encoding="utf-8")
    return str(members), str(records)


@pytest.mark.parametrize(("year", "rule_set_id", "total"), [("2016", "testcity-2015", "10"),
                                                            ("2024", "testcity-2020", "20")])
def test_score_by_family_on_the_command_line(
    capsys: pytest.CaptureFixture[str], city: tuple[str, str], year: str, rule_set_id: str, total: str,
) -> None:
    code = main(["score", "--path", str(FAMILIES), "--rule-set", "testcity", "-m", city[0], "-d", city[1],
                 "--year", year, "-f", "json", "--strict-dates"])
    out, err = capsys.readouterr()
    err = without_accounting(err)
    assert code == 0 and err == ""
    result = json.loads(out)
    assert result["rule_set_id"] == rule_set_id and result["scorecards"][0]["total"] == total


def test_score_by_family_with_no_version_in_force_stops_with_the_versions(
    capsys: pytest.CaptureFixture[str], city: tuple[str, str],
) -> None:
    code = main(["score", "--path", str(FAMILIES), "-r", "testcity", "-m", city[0], "-d", city[1],
                 "--year", "2014", "--lang", "en"])
    out, err = capsys.readouterr()
    err = without_accounting(err)
    assert code == 1 and out == ""
    assert err.startswith("error: --rule-set: no version of rule-set family 'testcity' is in force for the whole "
                          "period 2014-01-01~2014-12-31 (expected testcity-2015 (2015-01-01 – 2019-12-31), "
                          "testcity-2020 (2020-01-01 –)")


# --------------------------------------------------------------------------------------------
# properties
# --------------------------------------------------------------------------------------------

DAYS = st.dates(min_value=dt.date(2010, 1, 1), max_value=dt.date(2030, 12, 31))


@st.composite
def date_ranges(draw: st.DrawFn) -> EffectiveDates:
    start, end = draw(st.none() | DAYS), draw(st.none() | DAYS)
    if start and end and end < start:
        start, end = end, start
    return EffectiveDates(start, end)


@st.composite
def periods(draw: st.DrawFn) -> Period:
    start, end = sorted((draw(DAYS), draw(DAYS)))
    return Period(start=start, end=end)


@given(date_ranges(), periods())
def test_in_force_means_the_dates_contain_the_whole_period(dates: EffectiveDates, period: Period) -> None:
    inside = (dates.start is None or dates.start <= period.start) and (dates.end is None or period.end <= dates.end)
    assert dates.contains(period) == inside
    assert not dates.contains(period) or dates.overlaps(period)
    days = [period.start + dt.timedelta(days=n) for n in range(period.days())]
    assert dates.overlaps(period) == any(
        (dates.start is None or dates.start <= d) and (dates.end is None or d <= dates.end) for d in days)


@given(st.lists(date_ranges(), min_size=1, max_size=4), periods())
def test_a_family_resolves_exactly_when_one_version_is_in_force(ranges: list[EffectiveDates], period: Period) -> None:
    versions = [RuleSetEntry(id=f"v{i}", path=Path(f"v{i}.toml"), plugin=None, family="f", dates=d)
                for i, d in enumerate(ranges)]
    in_force = [v for v in versions if v.dates.contains(period)]
    if len(in_force) == 1:
        assert choose_version("f", versions, period) == in_force[0]
    else:
        with pytest.raises(ConfigurationError) as caught:
            choose_version("f", versions, period)
        assert all(v.id in (caught.value.problems[0].expected or "") for v in versions)


def test_every_rule_set_key_is_documented_in_the_guide() -> None:
    from scoring.ruleset.schema import Meta

    guide = (Path(__file__).resolve().parents[1] / "docs" / "writing-a-rule-set.md").read_text(encoding="utf-8")
    table = guide.split("The `[rule_set]` table says what the file is:", 1)[1].split("\n\n", 2)[1]
    documented = [line.split("`")[1] for line in table.splitlines()[2:]]
    assert sorted(documented) == sorted(Meta.model_fields)
