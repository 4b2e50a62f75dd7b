"""Raw rule files: reading TOML, applying overlays (extends/patch/remove) and resolving settings.

Everything here works on plain dicts parsed by :mod:`tomllib` (a data parser: nothing in a rule
file is ever executed). The result feeds schema validation in :mod:`scoring.ruleset.loader`.
"""

from __future__ import annotations

import copy
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..errors import Problem, RuleSetError, did_you_mean

Raw = dict[str, Any]
Resolver = Callable[[str], "RawRuleSet"]

ID_ARRAYS = (
    "categories", "rules", "grades", "gates", "eligibility", "escalation", "quotas", "notifications", "choices",
)
DEEP_TABLES = ("settings", "vocabulary", "policy", "rounding", "total", "ranking")


@dataclass(frozen=True)
class RawRuleSet:
    """A parsed rule file and where it came from (a path, or a plugin distribution)."""

    data: Raw
    source: str
    path: Path | None = None


def read_toml(path: Path) -> RawRuleSet:
    """Parse a rule file; a syntax error names the file, line and column."""
    try:
        text = path.read_text(encoding="utf-8-sig")  # a BOM (Windows Notepad) is not an error
    except FileNotFoundError:
        raise RuleSetError.one("规则集文件不存在", "rule-set file not found", file=str(path)) from None
    except IsADirectoryError:
        raise RuleSetError.one("这是目录，不是规则集文件", "this is a directory, not a rule file", file=str(path),
                               expected="a .toml file") from None
    except OSError as exc:
        raise RuleSetError.one("无法读取规则集文件", "cannot read the rule file", file=str(path),
                               found=exc.strerror or str(exc)) from None
    except UnicodeDecodeError as exc:
        raise RuleSetError.one(
            "规则集文件不是 UTF-8 编码", "rule-set file is not UTF-8", file=str(path), found=str(exc.reason)
        ) from None
    return parse_toml(text, str(path), path)


def parse_toml(text: str, source: str, path: Path | None = None) -> RawRuleSet:
    """Parse rule-file text (``source`` names it in errors)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RuleSetError.one("TOML 语法错误", "TOML syntax error", file=source, found=str(exc)) from None
    return RawRuleSet(data, source, path)


def flatten_extends(
    top: RawRuleSet, resolve: Resolver | None, _seen: tuple[RawRuleSet, ...] = ()
) -> tuple[Raw, tuple[str, ...]]:
    """The effective raw rule set after applying ``top`` over its chain of bases.

    Returns the merged dict and the chain of sources, base first.
    """
    meta = top.data.get("rule_set", {})
    base_ref = meta.get("extends") if isinstance(meta, dict) else None
    if base_ref is None:
        return copy.deepcopy(top.data), (top.source,)
    if not isinstance(base_ref, str):
        raise RuleSetError.one("extends 必须是字符串", "extends must be a string", file=top.source,
                               key="rule_set.extends", expected="a rule-set id or a relative .toml path")
    chain = (*_seen, top)
    base = _load_base(top, base_ref, resolve)
    if _identity(base) in {_identity(r) for r in chain}:
        raise RuleSetError.one(
            "规则集继承出现循环", "rule sets extend each other in a cycle", file=top.source,
            key="rule_set.extends", found=" → ".join(r.source for r in (*chain, base)),
        )
    merged_base, sources = flatten_extends(base, resolve, chain)
    return apply_overlay(merged_base, top.data, top.source), (*sources, top.source)


def _identity(raw: RawRuleSet) -> str:
    """What makes two loaded files the same file (resolved path, or the source name)."""
    return str(raw.path.resolve()) if raw.path is not None else raw.source


def base_path(top: RawRuleSet, ref: str) -> Path | None:
    """The file ``extends = ref`` names when ``ref`` is a path (relative to ``top``'s file);
    ``None`` when ``ref`` is a rule-set id."""
    if ref.endswith(".toml") or "/" in ref:
        return (top.path.parent if top.path else Path.cwd()) / ref
    return None


def _load_base(top: RawRuleSet, ref: str, resolve: Resolver | None) -> RawRuleSet:
    where = base_path(top, ref)
    if where is not None:
        if not where.is_file():
            raise RuleSetError.one(
                "extends 指向的规则集文件不存在", "the file named by extends is not a rule file", file=top.source,
                key="rule_set.extends", expected="a .toml file relative to this file, or a rule-set id",
                found=str(where),
            )
        return read_toml(where)
    if resolve is None:
        raise RuleSetError.one(
            f"无法解析基础规则集 '{ref}'", f"cannot resolve base rule set '{ref}'", file=top.source,
            key="rule_set.extends", hint="give a relative .toml path or install the plugin that provides it",
        )
    return resolve(ref)


def apply_overlay(base: Raw, overlay: Raw, source: str) -> Raw:
    """Merge ``overlay`` into a copy of ``base``; never mutates either.

    - ``rule_set``: keys replace the base's (a variant must have its own ``id``); ``family`` is not
      inherited (a variant is not a version of the method unless it says so), and the effective dates
      go together (a file giving either gives the range: the other end is open unless given too);
    - ``settings``, ``vocabulary``, ``policy``, ``rounding``, ``total``, ``ranking``: deep-merged;
    - id-keyed arrays (``rules``, ``grades`` …): entries are appended; an id already in the base is an error;
    - ``[patch.<array>.<id>]``: deep-merged into the base entry with that id (which must exist);
    - ``remove = { rules = ["id"] }``: drops base entries (which must exist).
    """
    out = copy.deepcopy(base)
    problems: list[Problem] = []
    for key, value in overlay.items():
        if key == "rule_set":
            base_id = out.get("rule_set", {}).get("id")
            meta = merge_meta(out.get("rule_set", {}), value)
            if meta.get("id") == base_id:
                problems.append(Problem(
                    "变体必须有自己的 id", "a variant needs an id of its own", file=source, key="rule_set.id",
                    found=str(base_id),
                ))
            out["rule_set"] = meta
        elif key in DEEP_TABLES and isinstance(value, Mapping):
            out[key] = _deep_merge(out.get(key, {}), value)
        elif key in ID_ARRAYS and isinstance(value, list):
            existing = _ids(out.get(key, []))
            for i, entry in enumerate(value):
                if isinstance(entry, Mapping) and isinstance(entry.get("id"), str) and entry["id"] in existing:
                    problems.append(Problem(
                        f"'{entry.get('id')}' 已在基础规则集中定义",
                        f"'{entry.get('id')}' is already defined in the base",
                        file=source, key=f"{key}[{i}].id", hint=f"use [patch.{key}.{entry.get('id')}] to change it",
                    ))
            out[key] = [*out.get(key, []), *copy.deepcopy(value)]
        elif key in ("patch", "remove"):
            continue
        else:
            out[key] = copy.deepcopy(value)
    problems += _apply_patches(out, overlay.get("patch", {}), source)
    problems += _apply_removals(out, overlay.get("remove", {}), source)
    if problems:
        raise RuleSetError(problems)
    return out


def merge_meta(base: Mapping[str, Any], overlay: Mapping[str, Any]) -> Raw:
    """The ``[rule_set]`` table of a variant: the overlay's keys over the base's, without ``extends``
    and without the base's ``family``; either effective date in the overlay replaces both of the base's."""
    meta = dict(base)
    meta.pop("family", None)
    if isinstance(overlay, Mapping) and ("effective_from" in overlay or "effective_to" in overlay):
        meta.pop("effective_from", None)
        meta.pop("effective_to", None)
    meta.update(overlay)
    meta.pop("extends", None)
    return meta


def _apply_patches(out: Raw, patches: object, source: str) -> list[Problem]:
    problems: list[Problem] = []
    if not isinstance(patches, Mapping):
        return [Problem("patch 必须是表", "patch must be a table", file=source, key="patch")]
    for array, by_id in patches.items():
        if array in ID_ARRAYS and not isinstance(by_id, Mapping):
            problems.append(Problem(
                f"patch.{array} 必须是以 id 为键的表", f"patch.{array} must be a table keyed by id", file=source,
                key=f"patch.{array}", expected=f"[patch.{array}.<id>] tables", found=repr(by_id)[:60],
            ))
            continue
        if array not in ID_ARRAYS:
            problems.append(Problem(
                f"不能修补 '{array}'", f"cannot patch '{array}'", file=source, key=f"patch.{array}",
                expected=", ".join(ID_ARRAYS), hint=did_you_mean(array, ID_ARRAYS),
            ))
            continue
        entries = out.get(array, [])
        if not isinstance(entries, list):
            problems.append(Problem(
                f"基础规则集的 {array} 不是数组，无法修补",
                f"'{array}' of the base is not an array and cannot be patched",
                file=source, key=f"patch.{array}", expected=f"[[{array}]] entries in the base",
                found=repr(entries)[:60],
            ))
            continue
        index = {e["id"]: i for i, e in enumerate(entries) if isinstance(e, Mapping) and isinstance(e.get("id"), str)}
        for entry_id, change in by_id.items():
            if entry_id not in index:
                problems.append(Problem(
                    f"要修补的 '{entry_id}' 在基础规则集中不存在", f"patched '{entry_id}' does not exist in the base",
                    file=source, key=f"patch.{array}.{entry_id}", expected=f"one of: {', '.join(map(str, index))}",
                    hint=did_you_mean(entry_id, map(str, index)),
                ))
                continue
            entries[index[entry_id]] = _deep_merge(entries[index[entry_id]], change)
    return problems


def _apply_removals(out: Raw, removals: object, source: str) -> list[Problem]:
    problems: list[Problem] = []
    if not isinstance(removals, Mapping):
        return [Problem("remove 必须是表", "remove must be a table", file=source, key="remove")]
    for array, ids in removals.items():
        if array not in ID_ARRAYS or not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
            problems.append(Problem(
                f"remove.{array} 必须是 id 列表", f"remove.{array} must be a list of ids", file=source,
                key=f"remove.{array}",
                expected=f'remove = {{ {array if array in ID_ARRAYS else "rules"} = ["id", …] }}',
                found=repr(ids)[:60], hint=None if array in ID_ARRAYS else did_you_mean(array, ID_ARRAYS),
            ))
            continue
        entries = out.get(array, [])
        if not isinstance(entries, list):
            entries = []
        present = _ids(entries)
        for entry_id in ids:
            if entry_id not in present:
                problems.append(Problem(
                    f"要删除的 '{entry_id}' 不存在", f"removed '{entry_id}' does not exist", file=source,
                    key=f"remove.{array}", hint=did_you_mean(str(entry_id), map(str, present)),
                ))
        out[array] = [e for e in entries if not (isinstance(e, Mapping) and e.get("id") in ids)]
    return problems


def _ids(entries: object) -> set[str]:
    """The string ids of a raw id-keyed array (malformed entries are left to schema validation)."""
    if not isinstance(entries, list):
        return set()
    return {e["id"] for e in entries if isinstance(e, Mapping) and isinstance(e.get("id"), str)}


def _deep_merge(base: Any, extra: Any) -> Any:
    if isinstance(base, Mapping) and isinstance(extra, Mapping):
        merged = dict(copy.deepcopy(base))
        for key, value in extra.items():
            merged[key] = _deep_merge(merged.get(key), value)
        return merged
    return copy.deepcopy(extra)


@dataclass
class SettingUse:
    """Where settings are referenced, and which of them have no published value."""

    unresolved: dict[tuple[str, int], list[str]] = field(default_factory=dict)
    paths: dict[tuple[str, int], list[str]] = field(default_factory=dict)
    used: set[str] = field(default_factory=set)


def resolve_settings(data: Raw, source: str) -> tuple[Raw, SettingUse]:
    """Replace ``{ setting = "name" }`` references by their values.

    A reference to a setting without a value is replaced by 1 *for structural validation only*
    (1 satisfies the usual bounds: counts ≥ 1, amounts > 0)
    and recorded in :attr:`SettingUse.unresolved` under (array, index): the engine then reports
    whatever depends on it as not computable, never as 0.
    """
    settings = data.get("settings", {})
    if not isinstance(settings, Mapping) or not all(isinstance(v, Mapping) for v in settings.values()):
        raise RuleSetError.one(
            "[settings] 必须是表，每项一个子表", "[settings] must be a table of tables", file=source, key="settings",
            expected='[settings.name] label = "…" value = …', found=repr(settings)[:60],
        )
    use = SettingUse()
    problems: list[Problem] = []

    def walk(node: Any, path: str, owner: tuple[str, int] | None) -> Any:
        if isinstance(node, dict):
            if set(node) == {"setting"}:
                name = node["setting"]
                if not isinstance(name, str) or name not in settings:
                    problems.append(Problem(
                        f"引用了未定义的设定 '{name}'", f"reference to undefined setting '{name}'", file=source,
                        key=path, expected=f"one of: {', '.join(settings) or '(no settings defined)'}",
                        hint=did_you_mean(str(name), settings),
                    ))
                    return Decimal(0)
                use.used.add(name)
                value = settings[name].get("value") if isinstance(settings[name], dict) else None
                if value is None:
                    if owner is not None:
                        use.unresolved.setdefault(owner, []).append(name)
                        use.paths.setdefault(owner, []).append(path)
                    else:
                        problems.append(Problem(
                            f"设定 '{name}' 未公布数值，不能用于此处",
                            f"setting '{name}' has no value and cannot be used here",
                            file=source, key=path,
                        ))
                    return Decimal(1)
                return value
            return {k: walk(v, f"{path}.{k}" if path else k, owner) for k, v in node.items()}
        if isinstance(node, list):
            out = []
            for i, v in enumerate(node):
                item_owner = (path, i) if owner is None and path in ID_ARRAYS else owner
                out.append(walk(v, f"{path}[{i}]", item_owner))
            return out
        return node

    resolved = {k: (v if k in ("settings", "rule_set", "choices") else walk(v, k, None)) for k, v in data.items()}
    if problems:
        raise RuleSetError(problems)
    return resolved, use
