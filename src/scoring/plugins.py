"""Plugin loading: a plugin manager per use (no global), and the registry built from it.

``make_plugin_manager()`` registers the built-ins, loads the ``scoring`` entry-point group
(minus disabled plugins) and checks that no plugin implements an unknown hook.
``Registry.build(pm)`` calls the ``register`` hooks plugin by plugin, so that every rule type and
rule set is attributed to its distribution and a failing plugin is named; rule files found on the
rule-set path (``path=``, see :mod:`scoring.rule_set_path`) join the plugins' rule sets.
``Registry.load`` takes an exact id, a family id (the version in force for ``period``, see
:mod:`scoring.families`) or a file path.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, distribution
from importlib.resources import files
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pluggy

from . import builtins, hookspecs
from ._version import DISTRIBUTION, __version__
from .catalog import PluginInfo, RuleSetEntry, entry_of, with_inherited
from .errors import ConfigurationError, PluginError, Problem, RuleSetError, did_you_mean
from .families import choose_version, families_of, family_problems
from .models import Period
from .rule_set_path import find_rule_files
from .rules.base import RuleType
from .ruleset import RuleSet
from .ruleset.loader import compile_raw
from .ruleset.raw import RawRuleSet, read_toml
from .vocabulary import Vocabulary, base_vocabulary

ENTRY_POINT_GROUP = "scoring"
DISABLE_ENV = "SCORING_DISABLE_PLUGINS"
BUILTIN = "scoring.builtins"

Trace = Callable[[str], None]


def make_plugin_manager(
    *,
    load_entry_points: bool = True,
    disable: Iterable[str] | None = None,
    plugins: Iterable[tuple[str, object]] = (),
) -> pluggy.PluginManager:
    """A fresh plugin manager with the built-ins, the installed plugins and ``plugins``.

    ``disable`` defaults to the comma-separated names in ``$SCORING_DISABLE_PLUGINS``.
    """
    pm = pluggy.PluginManager(hookspecs.PROJECT)
    pm.add_hookspecs(hookspecs)
    pm.register(builtins, name=BUILTIN)
    blocked = set(disable if disable is not None else _disabled_from_env())
    for name in blocked:
        pm.set_blocked(name)
    if load_entry_points:
        try:
            pm.load_setuptools_entrypoints(ENTRY_POINT_GROUP)
        except Exception as exc:  # a plugin module that fails to import
            raise PluginError([Problem(
                f"加载插件失败：{exc}", f"a plugin failed to load: {exc}",
                hint=f"disable it with {DISABLE_ENV}=<name>",
            )]) from exc
    for name, plugin in plugins:
        if name not in blocked:
            pm.register(plugin, name=name)
    try:
        pm.check_pending()
    except pluggy.PluginValidationError as exc:
        raise PluginError([Problem(
            f"插件 {exc.plugin} 实现了未知的钩子", f"plugin {exc.plugin} implements an unknown hook",
            found=str(exc), hint=f"see docs/plugin-hooks.md; disable it with {DISABLE_ENV}={exc.plugin}",
        )]) from None
    return pm


def packaged_rule_sets(package: str, folder: str = "rule_sets") -> list[Path]:
    """The rule files (``*.toml``) shipped in ``package``'s ``folder``, sorted — what a plugin's
    ``scoring_register_rule_sets`` usually registers."""
    return sorted(Path(str(files(package) / folder)).glob("*.toml"))


def foreign_distribution() -> Problem | None:
    """A distribution named ``scoring`` installed beside ``cppcc-scoring``: PyPI's unrelated package of
    that name, or this project installed under its old name. Either claims the import name
    ``scoring`` (and its uninstaller may remove our files), so ``scoring plugins`` warns of it."""
    try:
        dist = distribution("scoring")
    except PackageNotFoundError:
        return None
    what = f"scoring {dist.version}: {dist.metadata.json.get('summary') or '?'}"
    return Problem(
        f"已安装名为 scoring 的发行包（{what}），它不是 {DISTRIBUTION}，而是 PyPI 上的无关包或本项目的旧名",
        f"a distribution named scoring is installed ({what}): not {DISTRIBUTION} but PyPI's unrelated package "
        "or this project under its old name",
        hint=f"python -m pip uninstall scoring, then install {DISTRIBUTION} again / "
             f"请先卸载 scoring，再重新安装 {DISTRIBUTION}",
    )


def _disabled_from_env() -> list[str]:
    return [n.strip() for n in os.environ.get(DISABLE_ENV, "").split(",") if n.strip()]


@dataclass(frozen=True)
class Registry:
    """Everything the installed plugins registered, and the rule files found on the rule-set
    path; immutable once built."""

    plugins: tuple[PluginInfo, ...]
    rule_types: Mapping[str, tuple[RuleType[Any], PluginInfo]]
    rule_sets: Mapping[str, RuleSetEntry]
    vocabulary: Vocabulary
    disabled: tuple[str, ...] = field(default=())
    path: tuple[Path, ...] = field(default=())

    @classmethod
    def build(
        cls, pm: pluggy.PluginManager | None = None, *, trace: Trace | None = None, path: Iterable[Path] = (),
    ) -> Registry:
        """Call every plugin's ``register`` hooks and collect the results (all problems at once),
        then add the rule files in the directories ``path`` (e.g. ``rule_set_path()``: ``$SCORING_RULE_SET_PATH``).

        Problems of plugins raise :class:`PluginError`; problems of the rule-set path (a missing
        directory, a broken file, an id already taken) raise :class:`ConfigurationError`.
        """
        pm = pm or make_plugin_manager()
        infos = _plugin_infos(pm)
        problems: list[Problem] = []
        rule_types: dict[str, tuple[RuleType[Any], PluginInfo]] = {}
        rule_sets: dict[str, RuleSetEntry] = {}
        parsed: dict[Path, RawRuleSet] = {}  # each file is parsed once while building

        def read(path: Path) -> RawRuleSet:
            key = path.resolve()
            if key not in parsed:
                parsed[key] = read_toml(path)
            return parsed[key]
        vocab_extensions: list[tuple[Mapping[str, Any], PluginInfo]] = []

        def add_rule_type(info: PluginInfo) -> Callable[[RuleType[Any]], None]:
            def register(rule_type: RuleType[Any]) -> None:
                if not isinstance(rule_type, RuleType):
                    raise TypeError(f"expected a RuleType instance, got {type(rule_type).__name__}")
                if rule_type.name in rule_types:
                    first = rule_types[rule_type.name][1].label()
                    problems.append(_duplicate("rule type", rule_type.name, first, info))
                    return
                rule_types[rule_type.name] = (rule_type, info)
            return register

        def add_rule_set(info: PluginInfo) -> Callable[[Path], None]:
            def register(path: Path) -> None:
                entry = entry_of(read(Path(str(path))), Path(str(path)), info)
                if entry.id in rule_sets:
                    problems.append(_duplicate("rule set", entry.id, rule_sets[entry.id].provider, info))
                    return
                rule_sets[entry.id] = entry
            return register

        def add_vocabulary(info: PluginInfo) -> Callable[[Mapping[str, Any]], None]:
            def register(table: Mapping[str, Any]) -> None:
                vocab_extensions.append((table, info))
            return register

        hooks: list[tuple[str, Callable[[PluginInfo], Callable[..., None]]]] = [
            ("scoring_register_vocabulary", add_vocabulary),
            ("scoring_register_rule_types", add_rule_type),
            ("scoring_register_rule_sets", add_rule_set),
        ]
        for hook_name, make_register in hooks:
            for impl in getattr(pm.hook, hook_name).get_hookimpls():
                info = infos.get(impl.plugin_name) or PluginInfo(impl.plugin_name, impl.plugin_name, "?")
                if trace:
                    trace(f"{hook_name}: {info.name} ({info.label()})")
                try:
                    impl.function(register=make_register(info))
                except RuleSetError as exc:
                    problems += [_in_plugin(p, info) for p in exc.problems]
                except Exception as exc:
                    problems.append(Problem(
                        f"插件 {info.name}（{info.label()}）在 {hook_name} 中出错：{exc!r}",
                        f"plugin {info.name} ({info.label()}) failed in {hook_name}: {exc!r}",
                        hint=f"disable it with {DISABLE_ENV}={info.name}",
                    ))
        vocabulary = base_vocabulary()
        for table, info in vocab_extensions:
            try:
                vocabulary = vocabulary.extended(table)
            except Exception as exc:
                problems.append(Problem(
                    f"插件 {info.name} 注册的词表无效：{exc}",
                    f"plugin {info.name} registered an invalid vocabulary: {exc}",
                    hint=f"disable it with {DISABLE_ENV}={info.name}",
                ))
        problems += family_problems(rule_sets)
        if problems:
            raise PluginError(problems)
        dirs = tuple(path)
        _add_rule_files(rule_sets, dirs)
        paths = {k: e.path for k, e in rule_sets.items()}
        return cls(
            plugins=tuple(infos.values()),
            rule_types=MappingProxyType(rule_types),
            rule_sets=MappingProxyType({k: with_inherited(e, paths, read) for k, e in rule_sets.items()}),
            vocabulary=vocabulary,
            disabled=tuple(sorted(n for n in _blocked(pm))),
            path=dirs,
        )

    @property
    def families(self) -> Mapping[str, tuple[RuleSetEntry, ...]]:
        """Family id → its versions, earliest first."""
        return MappingProxyType(families_of(self.rule_sets.values()))

    def entry(self, ref: str, period: Period | None = None) -> RuleSetEntry | None:
        """The rule set ``ref`` names: an exact id, else the version of family ``ref`` in force for
        ``period`` (an error when none or several are); ``None`` when ``ref`` is neither."""
        if ref in self.rule_sets:
            return self.rule_sets[ref]
        versions = self.families.get(ref)
        return choose_version(ref, versions, period) if versions else None

    def load(self, ref: str | Path, period: Period | None = None) -> RuleSet:
        """Compile a rule set by id (registered by a plugin or found on the rule-set path), by
        family id (the version in force for ``period``) or by path to a TOML file."""
        text = str(ref)
        entry = self.entry(text, period)
        if entry is not None:
            raw = read_toml(entry.path)
            origin = f"{entry.plugin.label()}: {entry.path.name}" if entry.plugin is not None else None
        elif text.endswith(".toml") or Path(text).exists():
            raw = read_toml(Path(text))
            origin = None
        else:
            families = sorted(set(self.families) - set(self.rule_sets))
            also = f"; or a family: {', '.join(families)}" if families else ""
            raise RuleSetError([Problem(
                f"未知的规则集 '{text}'", f"unknown rule set '{text}'",
                expected=f"a .toml path or one of: {', '.join(sorted(self.rule_sets)) or '(none installed)'}{also}",
                hint=did_you_mean(text, [*self.rule_sets, *families]),
            )])
        return compile_raw(
            raw, rule_types=[rt for rt, _ in self.rule_types.values()], vocabulary=self.vocabulary,
            resolve=self.raw, origin=origin,
        )

    def raw(self, rule_set_id: str) -> RawRuleSet:
        """The parsed file of a registered rule set (used to resolve ``extends`` by id)."""
        if rule_set_id not in self.rule_sets:
            raise RuleSetError([Problem(
                f"未知的基础规则集 '{rule_set_id}'", f"unknown base rule set '{rule_set_id}'",
                key="rule_set.extends", hint=did_you_mean(rule_set_id, self.rule_sets),
            )])
        return read_toml(self.rule_sets[rule_set_id].path)


def _add_rule_files(rule_sets: dict[str, RuleSetEntry], dirs: tuple[Path, ...]) -> None:
    """Add the rule files of ``dirs`` to ``rule_sets``; raise every problem found together."""
    if not dirs:
        return
    found, problems = find_rule_files(dirs)
    for entry in found:
        if entry.id in rule_sets:
            first = rule_sets[entry.id]
            problems.append(Problem(
                f"规则集 id '{entry.id}' 已被占用：{first.provider}",
                f"rule-set id '{entry.id}' is taken by {first.provider}",
                file=str(entry.path), key="rule_set.id", hint="give the file an id of its own / 请另取 id",
            ))
            continue
        rule_sets[entry.id] = entry
    problems += family_problems(rule_sets)
    if problems:
        raise ConfigurationError(problems)


def _duplicate(what: str, name: str, first: str, second: PluginInfo) -> Problem:
    return Problem(
        f"{what} '{name}' 被重复注册：{first} 与 {second.label()}",
        f"{what} '{name}' is registered twice: by {first} and by {second.label()}",
        hint=f"uninstall one, or disable it with {DISABLE_ENV}={second.name}",
    )


def _in_plugin(problem: Problem, info: PluginInfo) -> Problem:
    return Problem(
        f"插件 {info.name}（{info.label()}）：{problem.zh}", f"plugin {info.name} ({info.label()}): {problem.en}",
        file=problem.file, key=problem.key, expected=problem.expected, found=problem.found,
        hint=problem.hint or f"disable it with {DISABLE_ENV}={info.name}",
    )


def _plugin_infos(pm: pluggy.PluginManager) -> dict[str, PluginInfo]:
    dists = {id(plugin): dist for plugin, dist in pm.list_plugin_distinfo()}
    out: dict[str, PluginInfo] = {}
    for name, plugin in pm.list_name_plugin():
        if plugin is None:
            continue
        dist = dists.get(id(plugin))
        if dist is not None:
            out[name] = PluginInfo(name, str(dist.metadata["name"]), str(dist.version))
        elif name == BUILTIN:
            out[name] = PluginInfo(name, DISTRIBUTION, __version__)
        else:
            out[name] = PluginInfo(name, name, "(not installed)")
    return out


def _blocked(pm: pluggy.PluginManager) -> list[str]:
    return [name for name, plugin in pm.list_name_plugin() if plugin is None]

