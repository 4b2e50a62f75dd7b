"""``check_plugin``: load one plugin alone and validate everything it registers."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from importlib.metadata import entry_points

import numpy as np
from pydantic import BaseModel

from ..batch.facts import BatchTally
from ..errors import PluginError, Problem, ScoringError
from ..fixedpoint import SCALE, scaled, to_decimal
from ..plugins import ENTRY_POINT_GROUP, Registry, make_plugin_manager
from ..rules.base import Measure, RuleParams, RuleType, Tally
from ..text import Text


@dataclass(frozen=True)
class PluginReport:
    """What one plugin registered, all of it validated."""

    name: str
    distribution: str
    version: str
    rule_types: tuple[str, ...]
    rule_sets: tuple[str, ...]


def check_plugin(name: str, plugin: object | None = None) -> PluginReport:
    """Load plugin ``name`` (an installed entry point, or the given module/object) with only the
    built-ins beside it, compile every rule set it registers and check every rule type it
    registers. Raises :class:`PluginError` listing every problem found."""
    distribution, version = name, "(not installed)"
    if plugin is None:
        found = entry_points(group=ENTRY_POINT_GROUP, name=name)
        if not found:
            raise PluginError([Problem(f"未安装插件 '{name}'", f"no installed plugin named '{name}'",
                                       expected=f"an entry point in the '{ENTRY_POINT_GROUP}' group")])
        entry = next(iter(found))
        if entry.dist is not None:
            distribution, version = str(entry.dist.metadata["name"]), str(entry.dist.version)
        plugin = entry.load()
    registry = Registry.build(make_plugin_manager(load_entry_points=False, plugins=[(name, plugin)]))
    problems: list[Problem] = []
    own_types = tuple(sorted(n for n, (_, p) in registry.rule_types.items() if p.name == name))
    for type_name in own_types:
        problems += _check_rule_type(registry.rule_types[type_name][0], name)
    own_sets = tuple(sorted(e.id for e in registry.rule_sets.values() if e.plugin and e.plugin.name == name))
    for rule_set_id in own_sets:
        try:
            rule_set = registry.load(rule_set_id)
        except ScoringError as exc:
            problems += exc.problems
            continue
        for rule in rule_set.rules:
            if rule.spec.type in own_types and rule.params is not None:
                problems += _check_batch_form(rule.rule_type, rule.params, rule.measures, rule_set_id, rule.id)
        if rule_set.id != rule_set_id:
            problems.append(Problem(
                f"规则集 id 不一致：注册为 '{rule_set_id}'，生效为 '{rule_set.id}'",
                f"rule-set id mismatch: registered '{rule_set_id}', effective '{rule_set.id}'",
                file=str(registry.rule_sets[rule_set_id].path), key="rule_set.id",
            ))
    if problems:
        raise PluginError(problems)
    return PluginReport(
        name=name, distribution=distribution, version=version,
        rule_types=own_types, rule_sets=own_sets,
    )


def _check_batch_form(
    rule_type: RuleType, params: RuleParams, measures: Sequence[Measure], rule_set_id: str, rule_id: str,  # type: ignore[type-arg]
) -> list[Problem]:
    """A rule type's batch form, when it has one, must agree with its scalar form wherever it
    says its result is exact: checked on a grid of counts and values."""
    size = 60
    rng = np.random.default_rng(0)
    tallies = []
    for _ in measures:
        count = rng.integers(0, 6, size=size).astype(np.int64)
        value = count * SCALE * rng.integers(-3, 4, size=size).astype(np.int64) // 2
        tallies.append(BatchTally(count, value, np.zeros(size, dtype=bool), np.zeros(0, dtype=bool)))
    batch = rule_type.evaluate_batch(params, tallies, size)
    if batch is None:
        return []
    points, exact = batch
    for i in np.flatnonzero(exact).tolist():
        scalar = rule_type.evaluate(params, [Tally(int(t.count[i]), to_decimal(int(t.value[i]))) for t in tallies])
        if scaled(scalar.points) != int(points[i]):
            return [Problem(
                f"规则类型 {rule_type.name} 的批量形式与逐人形式结果不一致",
                f"the batch form of rule type {rule_type.name} disagrees with its scalar form",
                key=f"{rule_set_id}: rules (id={rule_id})",
                expected=str(scalar.points), found=str(to_decimal(int(points[i]))),
            )]
    return []


def _check_rule_type(rule_type: RuleType, plugin: str) -> list[Problem]:  # type: ignore[type-arg]
    where = f"plugin {plugin}, rule type {getattr(rule_type, 'name', '?')}"
    problems: list[Problem] = []
    if not isinstance(getattr(rule_type, "name", None), str) or not rule_type.name.isidentifier():
        problems.append(Problem("规则类型名称须为标识符", "a rule type's name must be an identifier", key=where))
    if not isinstance(getattr(rule_type, "label", None), Text):
        problems.append(Problem("规则类型须有双语 label", "a rule type needs a bilingual label (Text)", key=where))
    params = getattr(rule_type, "Params", None)
    if not (isinstance(params, type) and issubclass(params, RuleParams)):
        problems.append(Problem(
            "Params 须继承 scoring.rules.RuleParams", "Params must subclass scoring.rules.RuleParams", key=where
        ))
    elif issubclass(params, BaseModel):
        undocumented = [f for f, info in params.model_fields.items() if not info.description]
        if undocumented:
            problems.append(Problem(
                f"参数缺少说明：{', '.join(undocumented)}",
                f"parameters without a description: {', '.join(undocumented)}",
                key=where, expected="Field(description=...) on every parameter",
            ))
    return problems
