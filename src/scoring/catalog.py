"""What the registry knows about a rule set before compiling it: its ``[rule_set]`` table.

An entry is read from the rule file alone (id, title, version, what it extends, its family) and
then completed along its ``extends`` chain (:func:`with_inherited`), so that a variant shows the
effective dates and version it inherits. Nothing here validates a rule file: that happens when
it is compiled (``Registry.load``, ``scoring check``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .errors import Problem, RuleSetError
from .ruleset.in_force import EffectiveDates
from .ruleset.raw import RawRuleSet, base_path, merge_meta, read_toml
from .text import Text, t


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
    """A rule set the registry can load: registered by a plugin, or a rule file found on the
    rule-set path (``plugin`` is then ``None``). Its file is compiled when first loaded."""

    id: str
    path: Path
    plugin: PluginInfo | None
    title: Text = field(default_factory=lambda: t(""))
    version: str = ""
    extends: str | None = None
    family: str | None = None
    dates: EffectiveDates = field(default_factory=EffectiveDates)
    example: bool = False

    @property
    def provider(self) -> str:
        """Who provides it: ``dist version`` of the plugin, or the file's path."""
        return self.plugin.label() if self.plugin is not None else str(self.path)


def read_entry(path: Path, plugin: PluginInfo | None) -> RuleSetEntry:
    """The entry of the rule file ``path`` from its own ``[rule_set]`` table."""
    return entry_of(read_toml(path), path, plugin)


def entry_of(raw: RawRuleSet, path: Path, plugin: PluginInfo | None) -> RuleSetEntry:
    """The entry of an already parsed rule file; a file without ``[rule_set] id`` is an error."""
    meta = raw.data.get("rule_set")
    if not isinstance(meta, dict) or not isinstance(meta.get("id"), str):
        raise RuleSetError([Problem("规则集缺少 [rule_set] id", "rule file has no [rule_set] id", file=str(path),
                                    key="rule_set.id")])
    extends = meta.get("extends")
    family = meta.get("family")
    return replace(
        _described(RuleSetEntry(id=meta["id"], path=path, plugin=plugin), meta),
        extends=extends if isinstance(extends, str) else None,
        family=family if isinstance(family, str) else None,
    )


Reader = Callable[[Path], RawRuleSet]
"""reads (and may cache) a rule file"""

MAX_CHAIN = 32


def with_inherited(entry: RuleSetEntry, paths_by_id: Mapping[str, Path], read: Reader = read_toml) -> RuleSetEntry:
    """``entry`` with the title, version, dates and example flag of its effective ``[rule_set]``
    table, merged along ``extends`` as loading merges it (bases by id from ``paths_by_id``, by path
    relative to the file). Only the ``[rule_set]`` tables are merged. A chain that cannot be
    followed (a missing base, a cycle, a broken file) leaves the entry as read: the problem is
    reported when the rule set is loaded."""
    if entry.extends is None:
        return entry
    try:
        chain = [read(entry.path)]
        while len(chain) <= MAX_CHAIN:
            meta = chain[-1].data.get("rule_set")
            ref = meta.get("extends") if isinstance(meta, dict) else None
            if not isinstance(ref, str):
                break
            where = base_path(chain[-1], ref) or paths_by_id.get(ref)
            if where is None:
                return entry
            chain.append(read(where))
        else:
            return entry  # a cycle: loading reports it
    except RuleSetError:
        return entry
    merged: dict[str, Any] = {}
    for raw in reversed(chain):
        meta = raw.data.get("rule_set")
        if not isinstance(meta, dict):
            return entry
        merged = merge_meta(merged, meta) if merged else dict(meta)
    return _described(entry, merged)


def _described(entry: RuleSetEntry, meta: Mapping[str, Any]) -> RuleSetEntry:
    return replace(
        entry, title=_title(meta.get("title")), version=str(meta.get("version", "")),
        dates=EffectiveDates.of(dict(meta)), example=meta.get("example") is True,
    )


def _title(value: object) -> Text:
    if isinstance(value, dict):
        zh, en = value.get("zh"), value.get("en")
        return t(str(zh or ""), str(en) if en else None)
    return t(str(value or ""))
