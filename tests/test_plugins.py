"""The plugin contract: discovery, attribution, failures named, disabling, and the kit."""

from __future__ import annotations

import subprocess
import sys
import types
from pathlib import Path

import pytest

from scoring import ActivityRecord, Member, Period, PluginError, hookimpl, score
from scoring.plugins import DISABLE_ENV, Registry, make_plugin_manager
from scoring.testing import check_plugin

PLUGINS = ("tongcheng", "jinan", "jilin-city", "huzhou", "zhangjiakou")
TONGCHENG = Path(__file__).resolve().parents[1] / "plugins/scoring-tongcheng/src/scoring_tongcheng/rule_sets"


def _plugin(name: str, **hooks: object) -> types.ModuleType:
    module = types.ModuleType(name)
    for hook, function in hooks.items():
        setattr(module, hook, hookimpl(function))  # type: ignore[arg-type]
    return module


def _rule_sets(*paths: Path) -> types.ModuleType:
    def scoring_register_rule_sets(register):  # type: ignore[no-untyped-def]
        for path in paths:
            register(path)

    return _plugin("fake", scoring_register_rule_sets=scoring_register_rule_sets)


def test_installed_plugins_are_listed_with_distribution_and_version() -> None:
    registry = Registry.build()
    by_name = {p.name: p for p in registry.plugins}
    for name in PLUGINS:
        assert by_name[name].distribution == f"cppcc-scoring-{name}"
        assert by_name[name].version == "0.1.0"
    assert by_name["scoring.builtins"].distribution == "cppcc-scoring"
    assert {"tongcheng-2019", "jinan-2015", "jilin-city", "huzhou", "zhangjiakou"} <= set(registry.rule_sets)
    assert registry.rule_sets["jinan-2015"].plugin.label() == "cppcc-scoring-jinan 0.1.0"


def test_builtin_rule_types_come_through_the_same_hook() -> None:
    registry = Registry.build(make_plugin_manager(load_entry_points=False))
    assert {"per_unit", "status_points", "lifecycle", "commitment"} <= set(registry.rule_types)
    assert {info.name for _, info in registry.rule_types.values()} == {"scoring.builtins"}


def test_disabling_a_plugin_by_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(DISABLE_ENV, "jinan,huzhou")
    registry = Registry.build()
    assert "jinan-2015" not in registry.rule_sets and "huzhou" not in registry.rule_sets
    assert "tongcheng-2019" in registry.rule_sets
    assert set(registry.disabled) == {"jinan", "huzhou"}


def test_no_plugins_loads_only_the_builtins() -> None:
    registry = Registry.build(make_plugin_manager(load_entry_points=False))
    assert registry.rule_sets == {}
    assert [p.name for p in registry.plugins] == ["scoring.builtins"]


def test_the_same_rule_set_id_from_two_plugins_names_both() -> None:
    pm = make_plugin_manager(load_entry_points=False, plugins=[
        ("first", _rule_sets(TONGCHENG / "tongcheng-2019.toml")),
        ("second", _rule_sets(TONGCHENG / "tongcheng-2019.toml")),
    ])
    with pytest.raises(PluginError) as caught:
        Registry.build(pm)
    message = caught.value.format("en")
    assert "rule set 'tongcheng-2019' is registered twice" in message
    assert "first" in message and "second" in message
    assert f"{DISABLE_ENV}=" in message


def test_the_same_rule_type_name_from_a_plugin_and_the_builtins_is_an_error() -> None:
    from scoring.rules import builtin_rule_types

    def scoring_register_rule_types(register):  # type: ignore[no-untyped-def]
        register(builtin_rule_types()[0])

    pm = make_plugin_manager(load_entry_points=False, plugins=[
        ("copycat", _plugin("copycat", scoring_register_rule_types=scoring_register_rule_types)),
    ])
    with pytest.raises(PluginError, match="rule type 'per_unit'"):
        Registry.build(pm)


def test_a_plugin_that_raises_is_named_with_how_to_disable_it() -> None:
    def scoring_register_rule_sets(register):  # type: ignore[no-untyped-def]
        raise RuntimeError("database unreachable")

    pm = make_plugin_manager(load_entry_points=False, plugins=[
        ("broken", _plugin("broken", scoring_register_rule_sets=scoring_register_rule_sets)),
    ])
    with pytest.raises(PluginError) as caught:
        Registry.build(pm)
    problem = caught.value.problems[0]
    assert "plugin broken" in problem.en and "database unreachable" in problem.en
    assert problem.hint == f"disable it with {DISABLE_ENV}=broken"


def test_a_plugin_registering_garbage_is_reported() -> None:
    def scoring_register_rule_types(register):  # type: ignore[no-untyped-def]
        register("not a rule type")

    pm = make_plugin_manager(load_entry_points=False, plugins=[
        ("garbage", _plugin("garbage", scoring_register_rule_types=scoring_register_rule_types)),
    ])
    with pytest.raises(PluginError, match="expected a RuleType instance"):
        Registry.build(pm)


def test_a_plugin_registering_an_invalid_rule_file_is_reported(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[rule_set]\nversion = "1"\n', encoding="utf-8")
    pm = make_plugin_manager(load_entry_points=False, plugins=[("badfile", _rule_sets(bad))])
    with pytest.raises(PluginError) as caught:
        Registry.build(pm)
    assert caught.value.problems[0].key == "rule_set.id"
    assert "plugin badfile" in caught.value.problems[0].en


def test_an_unknown_hook_is_rejected_when_the_manager_is_made() -> None:
    plugin = _plugin("typo", scoring_register_rule_set=lambda register: None)
    with pytest.raises(PluginError, match="unknown hook"):
        make_plugin_manager(load_entry_points=False, plugins=[("typo", plugin)])


def test_vocabulary_registered_by_a_plugin_is_usable_by_every_rule_set(tmp_path: Path) -> None:
    def scoring_register_vocabulary(register):  # type: ignore[no-untyped-def]
        register({"kinds": {"deed": {"subtypes": {"volunteer": {"zh": "志愿服务", "en": "volunteering"}}}}})

    rule_file = tmp_path / "v.toml"
    rule_file.write_text(
        '[rule_set]\nid = "v"\nversion = "1"\ntitle = "志愿"\n'
        '[[categories]]\nid = "c"\nlabel = "C"\n'
        '[[rules]]\nid = "volunteer"\ntype = "per_unit"\ncategory = "c"\nlabel = "志愿服务"\n'
        'match = { kind = "deed", subtype = "volunteer" }\npoints = 3\n',
        encoding="utf-8",
    )
    plugin = _plugin("volunteers", scoring_register_vocabulary=scoring_register_vocabulary)
    registry = Registry.build(make_plugin_manager(load_entry_points=False, plugins=[("volunteers", plugin)]))
    rule_set = registry.load(rule_file)
    result = score(
        rule_set, [Member(id="m1")],
        [ActivityRecord(id="r1", member_id="m1", kind="deed", subtype="volunteer", date="2024-05-01")],
        Period.year(2024),
    )
    assert result.scorecards[0].total == 3


def test_provenance_names_the_plugin_distribution() -> None:
    rule_set = Registry.build().load("jinan-2015")
    result = score(rule_set, [Member(id="m1")], [], Period.year(2015))
    provenance = result.scorecards[0].provenance
    assert provenance.source == "cppcc-scoring-jinan 0.1.0: jinan-2015.toml"
    assert provenance.rule_set_id == "jinan-2015" and provenance.fingerprint.startswith("sha256:")


@pytest.mark.parametrize("name", PLUGINS)
def test_check_plugin_validates_each_shipped_plugin(name: str) -> None:
    report = check_plugin(name)
    assert report.distribution == f"cppcc-scoring-{name}"
    assert report.rule_sets


def test_check_plugin_reports_every_problem_of_a_bad_plugin(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(
        '[rule_set]\nid = "bad"\nversion = "1"\ntitle = "坏"\n'
        '[[categories]]\nid = "c"\nlabel = "C"\n'
        '[[rules]]\nid = "r"\ntype = "per_unt"\ncategory = "c"\nlabel = "x"\nmatch = { kind = "proposal" }\n',
        encoding="utf-8",
    )
    with pytest.raises(PluginError) as caught:
        check_plugin("bad", _rule_sets(bad))
    assert caught.value.problems[0].key == "rules[0] (id=r).type"
    assert "per_unit" in (caught.value.problems[0].hint or "")


def test_check_plugin_on_an_unknown_name() -> None:
    with pytest.raises(PluginError) as caught:
        check_plugin("nowhere")
    assert caught.value.problems[0].en == "no installed plugin named 'nowhere'"
    assert str(caught.value).startswith("未安装插件 'nowhere'")


def test_importing_scoring_never_imports_hypothesis() -> None:
    code = "import sys, scoring, scoring.testing; print('hypothesis' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def _custom_rule_type_plugin(tmp_path: Path, factor: int) -> types.ModuleType:
    """A plugin with a rule type whose batch form is right (factor 1) or wrong (factor 2)."""
    from collections.abc import Sequence

    from scoring.fixedpoint import per
    from scoring.rules.units import PerUnit, PerUnitParams

    class Scaled(PerUnit):
        name = "scaled_unit"

        def evaluate_batch(self, params: PerUnitParams, tallies: Sequence, size: int):  # type: ignore[no-untyped-def, override, type-arg]
            points, exact = per(tallies[0].value, params.points)
            return points * factor, exact

    rule_file = tmp_path / "custom.toml"
    rule_file.write_text(
        '[rule_set]\nid = "custom"\nversion = "1"\ntitle = "自定义"\n[[categories]]\nid = "c"\nlabel = "C"\n'
        '[[rules]]\nid = "r"\ntype = "scaled_unit"\ncategory = "c"\nlabel = "x"\nmatch = { kind = "proposal" }\n'
        "points = 2.5\n",
        encoding="utf-8",
    )

    def scoring_register_rule_types(register):  # type: ignore[no-untyped-def]
        register(Scaled())

    def scoring_register_rule_sets(register):  # type: ignore[no-untyped-def]
        register(rule_file)

    return _plugin("custom", scoring_register_rule_types=scoring_register_rule_types,
                   scoring_register_rule_sets=scoring_register_rule_sets)


def test_check_plugin_accepts_a_batch_form_that_agrees(tmp_path: Path) -> None:
    report = check_plugin("custom", _custom_rule_type_plugin(tmp_path, 1))
    assert report.rule_types == ("scaled_unit",)


def test_check_plugin_rejects_a_batch_form_that_disagrees_with_the_scalar_form(tmp_path: Path) -> None:
    with pytest.raises(PluginError) as caught:
        check_plugin("custom", _custom_rule_type_plugin(tmp_path, 2))
    assert "disagrees with its scalar form" in caught.value.problems[0].en
