"""Rule-set families: the versions of one city's method, and the one in force for a period.

A rule file joins a family with ``[rule_set] family = "jinan"``. Asking for the family id
(``--rule-set jinan``) chooses the version whose effective dates contain the whole period; none
or several such versions is an error listing every version with its dates, so that the user
chooses by exact id. An exact rule-set id always means that rule set.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence

from .catalog import RuleSetEntry
from .errors import ConfigurationError, Problem
from .models import Period


def families_of(entries: Iterable[RuleSetEntry]) -> dict[str, tuple[RuleSetEntry, ...]]:
    """Family id → its versions, earliest first (by start date, then id)."""
    out: dict[str, list[RuleSetEntry]] = {}
    for entry in entries:
        if entry.family is not None:
            out.setdefault(entry.family, []).append(entry)
    return {
        family: tuple(sorted(versions, key=lambda e: (e.dates.start or dt.date.min, e.id)))
        for family, versions in sorted(out.items())
    }


def choose_version(family: str, versions: Sequence[RuleSetEntry], period: Period | None) -> RuleSetEntry:
    """The version of ``family`` in force for ``period`` (without a period: the only version)."""
    if period is None:
        if len(versions) == 1:
            return versions[0]
        raise ConfigurationError([Problem(
            f"规则集系列 '{family}' 有 {len(versions)} 个版本，须给出考核期才能选定",
            f"rule-set family '{family}' has {len(versions)} versions: a period is needed to choose one",
            key="--rule-set", expected=_listing(versions), hint="ask for a version by its id / 请用版本 id 指定",
        )])
    in_force = [v for v in versions if v.dates.contains(period)]
    if len(in_force) == 1:
        return in_force[0]
    what = f"{period.start}~{period.end}"
    if in_force:
        zh = f"规则集系列 '{family}' 有多个版本在考核期 {what} 内施行：{', '.join(v.id for v in in_force)}"
        en = f"several versions of rule-set family '{family}' are in force for the period {what}: " \
             f"{', '.join(v.id for v in in_force)}"
    else:
        zh = f"规则集系列 '{family}' 没有在整个考核期 {what} 内施行的版本"
        en = f"no version of rule-set family '{family}' is in force for the whole period {what}"
    raise ConfigurationError([Problem(
        zh, en, key="--rule-set", expected=_listing(versions), found=what,
        hint="ask for a version by its id (scoring then warns that the period is outside its dates) / "
             "请用版本 id 指定（超出施行期时给出警告）",
    )])


def family_problems(entries: Mapping[str, RuleSetEntry]) -> list[Problem]:
    """A family id must not be the id of another rule set, nor — once the family has several
    versions — of one of its versions (asking for it would then not choose by period)."""
    problems: list[Problem] = []
    for family, versions in families_of(entries.values()).items():
        same = entries.get(family)
        if same is None or (same in versions and len(versions) == 1):
            continue
        if same not in versions:
            zh = f"规则集系列 '{family}' 与规则集 '{family}'（{same.provider}）同名，但后者不属于该系列"
            en = f"rule-set family '{family}' has the id of rule set '{family}' ({same.provider}), which is not in it"
            hint = "give the family another id / 请为系列另取 id"
        else:
            zh = f"规则集系列 '{family}' 有 {len(versions)} 个版本，其中一个的 id 也是 '{family}'：" \
                 "按该名称无法按考核期选定版本"
            en = f"rule-set family '{family}' has {len(versions)} versions and one of them has the id '{family}': " \
                 "asking for it could not choose by period"
            hint = f"give that version an id of its own (e.g. {family}-2020) / 请为该版本另取 id（如加年份）"
        problems.append(Problem(
            zh, en, file=str((same if same in versions else versions[0]).path), key="rule_set.family",
            found=_listing(versions), hint=hint,
        ))
    return problems


def _listing(versions: Sequence[RuleSetEntry]) -> str:
    """``jinan-2015 (2015-03-01 – 2023-12-31), jinan-2024 (2024-01-01 –)``."""
    return ", ".join(f"{v.id} ({v.dates.text() or 'no dates / 无施行日期'})" for v in versions)
