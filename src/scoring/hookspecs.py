"""The plugin contract of ``scoring``: every hook a plugin may implement.

Plugins are found through the ``scoring`` entry-point group and implement these hooks with
``@scoring.hookimpl``. Each ``register`` hook receives a callback; the plugin calls it once per
thing it provides. Hooks are called once per plugin, in registration order, when a
:class:`scoring.plugins.Registry` is built — never at import time. The built-in rule types are
registered through the same hooks (see :mod:`scoring.builtins`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:
    from .rules.base import RuleType

PROJECT = "scoring"

hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)

RegisterRuleType = Callable[["RuleType[Any]"], None]
RegisterRuleSet = Callable[[Path], None]
RegisterVocabulary = Callable[[Mapping[str, Any]], None]


@hookspec
def scoring_register_rule_types(register: RegisterRuleType) -> None:
    """Register rule types (instances of :class:`scoring.rules.RuleType` subclasses).

    When: once per plugin while a registry is built, before any rule set is loaded.
    Receives: ``register(rule_type)``; a type name registered twice (by any two plugins) is a
    :class:`scoring.PluginError` naming both distributions.
    Returns: nothing.
    Added in: 0.1.0.
    """


@hookspec
def scoring_register_rule_sets(register: RegisterRuleSet) -> None:
    """Register rule-set files (TOML) shipped by the plugin.

    When: once per plugin while a registry is built; files are read lazily, when first loaded.
    Receives: ``register(path)`` — a :class:`pathlib.Path` to a rule file, typically
    ``Path(str(importlib.resources.files("my_plugin") / "rule_sets" / "city.toml"))``. The
    rule-set id is the ``[rule_set] id`` inside the file; an id registered twice is an error.
    Returns: nothing.
    Added in: 0.1.0.
    """


@hookspec
def scoring_register_vocabulary(register: RegisterVocabulary) -> None:
    """Extend the record vocabulary (new kinds, subtypes, statuses, roles, flags, levels).

    When: once per plugin while a registry is built; extensions are merged into the base
    vocabulary before any rule set is compiled, so rule sets of every plugin may use them.
    Receives: ``register(table)`` — a mapping with the shape of ``scoring/data/vocabulary.toml``,
    e.g. ``{"kinds": {"deed": {"subtypes": {"volunteer": {"zh": "志愿服务", "en": "volunteering"}}}}}``.
    Returns: nothing.
    Added in: 0.1.0.
    """
