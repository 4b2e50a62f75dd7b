"""Plugin loading: a plugin manager per use (no global), and the registry built from it.

``make_plugin_manager()`` registers the built-ins, loads the ``scoring`` entry-point group
(minus disabled plugins) and checks that no plugin implements an unknown hook.
``Registry.build(pm)`` calls the ``register`` hooks plugin by plugin, so that every rule type and
rule set is attributed to its distribution and a failing plugin is named.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pluggy

from . import builtins, hookspecs
from ._version import DISTRIBUTION, __version__
from .errors import PluginError, Problem, RuleSetError, did_you_mean
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


def _disabled_from_env() -> list[str]:
    return [n.strip() for n in os.environ.get(DISABLE_ENV, "").split(",") if n.strip()]


@dataclass(frozen=True)
class PluginInfo:
    """A registered plugin: its name, distribution and version."""

    name: str
    distribution: str
    version: str

    def label(self) -> str:
        """``dist version`` for messages and provenance."""
        return f"{self.distribution} {self.version}"


@dataclass(frozen=True)
class RuleSetEntry:
    """A rule set registered by a plugin (its file is compiled when first loaded)."""

    id: str
    path: Path
    plugin: PluginInfo
    title: str = ""
    version: str = ""
    extends: str | None = None


@dataclass(frozen=True)
class Registry:
    """Everything the installed plugins registered; immutable once built."""

    plugins: tuple[PluginInfo, ...]
    rule_types: Mapping[str, tuple[RuleType[Any], PluginInfo]]
    rule_sets: Mapping[str, RuleSetEntry]
    vocabulary: Vocabulary
    disabled: tuple[str, ...] = field(default=())

    @classmethod
    def build(cls, pm: pluggy.PluginManager | None = None, *, trace: Trace | None = None) -> Registry:
        """Call every plugin's ``register`` hooks and collect the results (all problems at once)."""
        pm = pm or make_plugin_manager()
        infos = _plugin_infos(pm)
        problems: list[Problem] = []
        rule_types: dict[str, tuple[RuleType[Any], PluginInfo]] = {}
        rule_sets: dict[str, RuleSetEntry] = {}
        vocab_extensions: list[tuple[Mapping[str, Any], PluginInfo]] = []

        def add_rule_type(info: PluginInfo) -> Callable[[RuleType[Any]], None]:
            def register(rule_type: RuleType[Any]) -> None:
                if not isinstance(rule_type, RuleType):
                    raise TypeError(f"expected a RuleType instance, got {type(rule_type).__name__}")
                if rule_type.name in rule_types:
                    problems.append(_duplicate("rule type", rule_type.name, rule_types[rule_type.name][1], info))
                    return
                rule_types[rule_type.name] = (rule_type, info)
            return register

        def add_rule_set(info: PluginInfo) -> Callable[[Path], None]:
            def register(path: Path) -> None:
                entry = _entry(Path(str(path)), info)
                if entry.id in rule_sets:
                    problems.append(_duplicate("rule set", entry.id, rule_sets[entry.id].plugin, info))
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
        if problems:
            raise PluginError(problems)
        return cls(
            plugins=tuple(infos.values()),
            rule_types=MappingProxyType(rule_types),
            rule_sets=MappingProxyType(rule_sets),
            vocabulary=vocabulary,
            disabled=tuple(sorted(n for n in _blocked(pm))),
        )

    def load(self, ref: str | Path) -> RuleSet:
        """Compile a rule set by id (registered by a plugin) or by path to a TOML file."""
        text = str(ref)
        if text in self.rule_sets:
            entry = self.rule_sets[text]
            raw = read_toml(entry.path)
            origin = f"{entry.plugin.label()}: {entry.path.name}"
        elif text.endswith(".toml") or Path(text).exists():
            raw = read_toml(Path(text))
            origin = None
        else:
            raise RuleSetError([Problem(
                f"未知的规则集 '{text}'", f"unknown rule set '{text}'",
                expected=f"a .toml path or one of: {', '.join(sorted(self.rule_sets)) or '(none installed)'}",
                hint=did_you_mean(text, self.rule_sets),
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


def _entry(path: Path, info: PluginInfo) -> RuleSetEntry:
    raw = read_toml(path).data
    meta = raw.get("rule_set")
    if not isinstance(meta, dict) or not isinstance(meta.get("id"), str):
        raise RuleSetError([Problem("规则集缺少 [rule_set] id", "rule file has no [rule_set] id", file=str(path),
                                    key="rule_set.id")])
    title = meta.get("title")
    title_text = title.get("zh", "") if isinstance(title, dict) else str(title or "")
    return RuleSetEntry(
        id=meta["id"], path=path, plugin=info, title=title_text, version=str(meta.get("version", "")),
        extends=meta.get("extends"),
    )


def _duplicate(what: str, name: str, first: PluginInfo, second: PluginInfo) -> Problem:
    return Problem(
        f"{what} '{name}' 被重复注册：{first.label()} 与 {second.label()}",
        f"{what} '{name}' is registered twice: by {first.label()} and by {second.label()}",
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

