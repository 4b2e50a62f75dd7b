"""Rule-set lint: problems a rule set can load with but almost certainly does not intend.

Loading (:mod:`scoring.ruleset.loader`) rejects what is *invalid*: unknown keys and codes,
dangling references, overlapping bands. :func:`lint` looks at a compiled, valid
:class:`~scoring.ruleset.RuleSet` for what is *suspicious*:

=========================  ========  ==========================================================
code                       severity  what
=========================  ========  ==========================================================
``unreachable_grade``      error     a grade band no total can reach (warning when a binding
                                     gate or a quota can still give the grade)
``gate_never_met``         error     a requirement no record can ever satisfy (every
                                     alternative of an ``any_of`` included)
``trigger_never_holds``    error     an escalation step whose trigger can never hold
``unknown_role``           error     a rule or requirement naming a member role the vocabulary
                                     does not define (normally already a load error)
``unknown_kind``           error     a selector reading a record kind the vocabulary does not
                                     define (normally already a load error)
``cap_below_item``         warning   a rule's or its category's cap below what one record earns
``rule_never_matches``     warning   a rule whose ``match`` can select no record
``eligibility_unreachable`` warning  an eligibility line above the highest possible total
``empty_category``         warning   a category no rule puts points into
``unused_setting``         warning   a ``[settings]`` entry nothing refers to
=========================  ========  ==========================================================

What is decided here is decidable from the rule set alone: the reachable range of totals is
an interval computed from each rule type's possible points (counts are unbounded), the rules'
and categories' caps and floors, the total's cap and floor and rounding. It over-approximates
(it never claims a reachable total unreachable), so findings are never false alarms about
reachability. Values that depend on unpublished settings are treated as unknown: nothing
depending on them is reported.

Pure data in, data out: :func:`lint` never raises for a valid rule set and never changes it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from ..errors import Problem, ScoringError
from ..rules.base import RuleType, SplitParams
from ..rules.commitment import Commitment, CommitmentParams
from ..rules.fixed import DeductFromFull, DeductParams, Fixed, FixedParams
from ..rules.lifecycle import Lifecycle, LifecycleParams
from ..rules.tables import StatusPoints, TableParams
from ..rules.units import (
    FromNth,
    FromNthParams,
    Once,
    OnceParams,
    PerUnit,
    PerUnitParams,
    Shortfall,
    ShortfallParams,
)
from ..selectors import Selector
from ..text import Lang
from .compiled import CompiledRule, RuleSet
from .raw import RawRuleSet, flatten_extends, read_toml, resolve_settings
from .schema import GradeBand, Requirement, RuleSetSpec

Severity = Literal["error", "warning"]

__all__ = ["Finding", "Interval", "lint", "total_range"]


@dataclass(frozen=True)
class Finding:
    """One lint finding: how serious, a stable code, where (key path) and what, in zh and en."""

    severity: Severity
    code: str
    key: str
    zh: str
    en: str
    file: str | None = None

    def message(self, lang: Lang = "zh") -> str:
        """The message in ``lang``."""
        return self.zh if lang == "zh" else self.en

    def format(self, lang: Lang = "zh") -> str:
        """``file: key: [severity code] message`` on one line."""
        where = ": ".join(p for p in (self.file, self.key) if p)
        label = {"error": "错误", "warning": "警告"}[self.severity] if lang == "zh" else self.severity
        return f"{where}: [{label} {self.code}] {self.message(lang)}"

    def to_problem(self) -> Problem:
        """The finding as a :class:`~scoring.errors.Problem` (for reporting with load errors)."""
        return Problem(zh=self.zh, en=self.en, file=self.file, key=self.key, hint=f"lint: {self.code}")


# --------------------------------------------------------------------------------------------
# intervals of possible points
# --------------------------------------------------------------------------------------------

_INF = Decimal("Infinity")
_ZERO = Decimal(0)


@dataclass(frozen=True)
class Interval:
    """A closed range of possible points; ``±Infinity`` when unbounded."""

    lo: Decimal
    hi: Decimal

    @classmethod
    def point(cls, value: Decimal) -> Interval:
        """Exactly ``value``."""
        return cls(value, value)

    @classmethod
    def hull(cls, values: Iterable[Decimal]) -> Interval:
        """The smallest interval holding every value."""
        items = list(values)
        return cls(min(items), max(items))

    def __add__(self, other: Interval) -> Interval:
        return Interval(self.lo + other.lo, self.hi + other.hi)

    def join(self, other: Interval) -> Interval:
        """The smallest interval holding both."""
        return Interval(min(self.lo, other.lo), max(self.hi, other.hi))

    def clamp(self, cap: Decimal | None, floor: Decimal | None) -> Interval:
        """Every value after the engine's clamp (above the cap → cap, else below the floor →
        floor); a floor above the cap, which the schema allows for rules, is handled too."""
        values = [_clamp(self.lo, cap, floor), _clamp(self.hi, cap, floor)]
        if cap is not None and self.hi > cap:
            values.append(cap)
        if floor is not None and self.lo < floor:
            values.append(floor)
        return Interval.hull(values)

    def widen(self, by: Decimal) -> Interval:
        """Both ends moved outwards by ``by`` (room for rounding)."""
        return Interval(self.lo - by, self.hi + by)


UNBOUNDED = Interval(-_INF, _INF)


def _clamp(value: Decimal, cap: Decimal | None, floor: Decimal | None) -> Decimal:
    if cap is not None and value > cap:
        return cap
    if floor is not None and value < floor:
        return floor
    return value


def _unbounded_from(gains: Iterable[Decimal]) -> Interval:
    """Any number of records, each adding one of ``gains`` (0 = no records is always possible)."""
    values = list(gains)
    lo = -_INF if any(v < 0 for v in values) else _ZERO
    hi = _INF if any(v > 0 for v in values) else _ZERO
    return Interval(lo, hi)


def _shares(split: SplitParams | None) -> list[Decimal]:
    """Every share a record may carry under ``split`` (1 for a sole author)."""
    if split is None:
        return [Decimal(1)]
    shares = [Decimal(1), split.first]
    shares.append(split.co if isinstance(split.co, Decimal) else (Decimal(1) - split.first))
    if split.collective_main is not None:
        shares.append(split.collective_main)
    return shares


def _scaled(points: Iterable[Decimal], split: SplitParams | None) -> list[Decimal]:
    return [p * s for p in points for s in _shares(split)]


def rule_range(rule: CompiledRule) -> Interval:
    """Every value the rule's line can take for a member it applies to (before its own cap and
    floor); unbounded when it cannot be known (unpublished values, plugin rule types)."""
    params: Any = rule.params
    if params is None or rule.unavailable is not None:
        return UNBOUNDED
    kind: RuleType[Any] = rule.rule_type
    if isinstance(kind, Fixed) and isinstance(params, FixedParams):
        return Interval.point(params.points)
    if isinstance(kind, (Once, Shortfall)) and isinstance(params, (OnceParams, ShortfallParams)):
        return Interval.hull((_ZERO, params.points))
    if isinstance(kind, DeductFromFull) and isinstance(params, DeductParams):
        return Interval(-_INF, params.full)
    if isinstance(kind, PerUnit) and isinstance(params, PerUnitParams):
        return _unbounded_from(_scaled([params.points], params.split))
    if isinstance(kind, FromNth) and isinstance(params, FromNthParams):
        return _unbounded_from([params.points])
    if isinstance(kind, StatusPoints) and isinstance(params, TableParams):
        return _unbounded_from(_scaled(params.points.values(), params.split))
    if isinstance(kind, Lifecycle) and isinstance(params, LifecycleParams):
        return _unbounded_from(_scaled([s.points for s in params.stages], params.split))
    if isinstance(kind, Commitment) and isinstance(params, CommitmentParams):
        values = [_ZERO, params.points]
        if params.none_committed is not None:
            values.append(params.none_committed)
        return Interval.hull(values)
    return UNBOUNDED


def _line_range(rule: CompiledRule) -> Interval:
    """The rule's line after its own cap and floor; 0 included when the rule may not apply."""
    spec = rule.spec
    if rule.unavailable is not None:
        return UNBOUNDED  # its cap or floor may be the unpublished value
    out = rule_range(rule).clamp(spec.cap, spec.floor)
    if spec.roles or spec.not_roles:
        out = out.join(Interval.point(_ZERO))  # a member the rule does not apply to gets no line
    return out


def _unit(places: int | None) -> Decimal:
    return Decimal(1).scaleb(-places) if places is not None else _ZERO


def total_range(rule_set: RuleSet) -> Interval:
    """An interval holding every total the rule set can produce (never too small)."""
    spec = rule_set.spec
    rounding = spec.rounding
    step = _unit(rounding.places)
    total = Interval.point(_ZERO)
    for category in spec.categories:
        lines = [_line_range(r).widen(step if rounding.apply_to == "lines" else _ZERO)
                 for r in rule_set.rules if r.spec.category == category.id]
        raw = Interval.point(_ZERO)
        for line in lines:
            raw = raw + line
        if category.id not in rule_set.categories_unavailable:
            raw = raw.clamp(category.cap, category.floor)
        else:
            raw = UNBOUNDED
        total = total + raw.widen(step if rounding.apply_to == "categories" else _ZERO)
    total = total.widen(step if rounding.apply_to == "total" else _ZERO)
    return total.clamp(spec.total.cap, spec.total.floor)


def _band_meets(band: GradeBand, span: Interval) -> bool:
    """True when some total in ``span`` falls into ``band``."""
    lo, hi = span.lo, span.hi
    if band.min is not None and (hi < band.min or (hi == band.min and not band.min_inclusive)):
        return False
    return not (band.max is not None and (lo > band.max or (lo == band.max and not band.max_inclusive)))


# --------------------------------------------------------------------------------------------
# selectors
# --------------------------------------------------------------------------------------------


def _never_matches(sel: Selector) -> str | None:
    """Why no record can ever match ``sel`` (``None`` when some record can)."""
    for name in ("subtype", "status", "role", "level"):
        if getattr(sel, name) == ():
            return f"{name} = [] (an empty list matches nothing)"
    both = sorted(set(sel.flags) & set(sel.not_flags))
    if both:
        return f"flags and not_flags both name {', '.join(both)}"
    return None


def _alternatives(req: Requirement) -> tuple[Requirement, ...]:
    return req.any_of or (req,)


# --------------------------------------------------------------------------------------------
# the checks
# --------------------------------------------------------------------------------------------


def _at(array: str, index: int, ident: str) -> str:
    return f"{array}[{index}] (id={ident})"


class _Linter:
    def __init__(self, rule_set: RuleSet) -> None:
        self.rule_set = rule_set
        self.spec: RuleSetSpec = rule_set.spec
        self.file = rule_set.chain[-1] if rule_set.chain else rule_set.source
        self.findings: list[Finding] = []
        self.span = total_range(rule_set)
        self.demotion_targets = {g.fail_grade for g in self.spec.gates if g.binding and g.fail_grade} | {
            q.demote_to for q in self.spec.quotas
        }

    def add(self, severity: Severity, code: str, key: str, zh: str, en: str) -> None:
        self.findings.append(Finding(severity, code, key, zh, en, self.file))

    def run(self) -> list[Finding]:
        self.vocabulary()
        self.grades()
        self.gates()
        self.escalation()
        self.eligibility()
        self.caps()
        self.rules()
        self.categories()
        self.settings()
        order = {"error": 0, "warning": 1}
        return sorted(self.findings, key=lambda f: order[f.severity])

    # --- vocabulary (normally load errors; kept for rule sets built by other means) ----------

    def vocabulary(self) -> None:
        vocab = self.rule_set.vocabulary
        for i, rule in enumerate(self.rule_set.rules):
            where = _at("rules", i, rule.id)
            for role in (*rule.spec.roles, *rule.spec.not_roles):
                if role not in vocab.roles:
                    self._unknown_role(role, f"{where}.roles")
            selectors = [m.selector for m in rule.measures]
            if rule.spec.match is not None:
                selectors.append(rule.spec.match)
            for kind in sorted({s.kind for s in selectors}):
                self._check_kind(kind, f"{where}.match.kind")
        for i, gate in enumerate(self.spec.gates):
            for j, req in enumerate(gate.requirements):
                where = f"{_at('gates', i, gate.id)}.requirements[{j}] (id={req.id})"
                for role in req.roles:
                    if role not in vocab.roles:
                        self._unknown_role(role, f"{where}.roles")
                for alt in _alternatives(req):
                    if alt.match is not None:
                        self._check_kind(alt.match.kind, f"{where}.match.kind")
        for i, step in enumerate(self.spec.escalation):
            if step.trigger.type == "records_at_least":
                self._check_kind(step.trigger.match.kind, f"{_at('escalation', i, step.id)}.trigger.match.kind")

    def _unknown_role(self, role: str, key: str) -> None:
        self.add("error", "unknown_role", key, f"成员身份 '{role}' 不在词表中，任何委员都不会有此身份",
                 f"member role '{role}' is not in the vocabulary: no member can hold it")

    def _check_kind(self, kind: str, key: str) -> None:
        if kind not in self.rule_set.vocabulary.kinds:
            self.add("error", "unknown_kind", key, f"记录类型 '{kind}' 不在词表中，没有记录能匹配",
                     f"record kind '{kind}' is not in the vocabulary: no record can match")

    # --- grades --------------------------------------------------------------------------------

    def grades(self) -> None:
        if self.rule_set.grades_unavailable is not None:
            return
        span = self.span
        for i, band in enumerate(self.spec.grades):
            if _band_meets(band, span):
                continue
            reach = f"[{_show(span.lo)}, {_show(span.hi)}]"
            where = _at("grades", i, band.id)
            if band.id in self.demotion_targets:
                self.add("warning", "unreachable_grade", where,
                         f"等级 '{band.id}' 的分数区间不可能达到（总分范围 {reach}），只会因门槛或名额限制而评定",
                         f"no total falls into grade '{band.id}' (totals lie in {reach}); "
                         "only a gate or a quota can give it")
            else:
                self.add("error", "unreachable_grade", where,
                         f"等级 '{band.id}' 不可能达到：总分范围为 {reach}",
                         f"grade '{band.id}' is unreachable: totals lie in {reach}")

    def _grade_reachable(self, grade: str) -> bool:
        if self.rule_set.grades_unavailable is not None or grade in self.demotion_targets:
            return True
        band = self.rule_set.grade(grade)
        return band is None or _band_meets(band, self.span)

    # --- gates ---------------------------------------------------------------------------------

    def _unmeetable(self, req: Requirement) -> str | None:
        reasons = []
        for alt in _alternatives(req):
            if alt.match is None:
                return None
            why = _never_matches(alt.match)
            if why is None:
                return None
            reasons.append(why if not req.any_of else f"{alt.id}: {why}")
        return "; ".join(reasons)

    def gates(self) -> None:
        for i, gate in enumerate(self.spec.gates):
            for j, req in enumerate(gate.requirements):
                why = self._unmeetable(req)
                if why is None:
                    continue
                where = f"{_at('gates', i, gate.id)}.requirements[{j}] (id={req.id})"
                what = "任何一个备选项都" if req.any_of else ""
                self.add("error", "gate_never_met", where,
                         f"要求 '{req.id}' {what}不可能满足：{why}",
                         f"requirement '{req.id}' can never be met{' by any alternative' if req.any_of else ''}: "
                         f"{why}")

    def _gate_can_fail(self, gate_id: str) -> bool:
        gate = next((g for g in self.spec.gates if g.id == gate_id), None)
        return gate is None or bool(gate.requirements)

    # --- escalation ----------------------------------------------------------------------------

    def escalation(self) -> None:
        for i, step in enumerate(self.spec.escalation):
            if step.id in self.rule_set.steps_unavailable:
                continue
            why = self._never_holds(step.trigger)
            if why is not None:
                zh, en = why
                self.add("error", "trigger_never_holds", f"{_at('escalation', i, step.id)}.trigger",
                         f"步骤 '{step.id}' 的触发条件永远不会成立：{zh}",
                         f"the trigger of step '{step.id}' can never hold: {en}")

    def _never_holds(self, trigger: Any) -> tuple[str, str] | None:
        if trigger.type == "total_below":
            if trigger.value <= self.span.lo:
                low = _show(self.span.lo)
                return (f"总分不可能低于 {_show(trigger.value)}（最低可能总分 {low}）",
                        f"no total is below {_show(trigger.value)} (the lowest possible total is {low})")
        elif trigger.type == "grade_in":
            if not any(self._grade_reachable(g) for g in trigger.grades):
                listed = ", ".join(trigger.grades)
                return f"等级 {listed} 都不可能评定", f"none of the grades {listed} can be given"
        elif trigger.type == "gate_failed":
            if not self._gate_can_fail(trigger.gate):
                return f"门槛 '{trigger.gate}' 没有任何要求", f"gate '{trigger.gate}' has no requirement"
        elif trigger.type == "records_at_least":
            why = _never_matches(trigger.match)
            if why is not None:
                return f"match 不可能匹配任何记录（{why}）", f"its match selects no record ({why})"
        return None

    # --- eligibility ---------------------------------------------------------------------------

    def eligibility(self) -> None:
        hi = self.span.hi
        for i, mark in enumerate(self.spec.eligibility):
            if hi < mark.min or (hi == mark.min and not mark.min_inclusive):
                self.add("warning", "eligibility_unreachable", f"{_at('eligibility', i, mark.id)}.min",
                         f"'{mark.id}' 的分数线 {_show(mark.min)} 高于最高可能总分 {_show(hi)}",
                         f"the line {_show(mark.min)} of '{mark.id}' is above the highest possible total {_show(hi)}")

    # --- caps below one item -------------------------------------------------------------------

    def caps(self) -> None:
        categories = {c.id: (j, c) for j, c in enumerate(self.spec.categories)}
        for i, rule in enumerate(self.rule_set.rules):
            item = _max_gain(rule)
            if item is None or item <= 0:
                continue
            where = _at("rules", i, rule.id)
            if rule.spec.cap is not None and rule.spec.cap < item:
                self._cap_below(f"{where}.cap", rule.id, rule.spec.cap, item, "规则", "the rule's")
            j, category = categories.get(rule.spec.category, (-1, None))
            if (category is not None and category.cap is not None
                    and category.id not in self.rule_set.categories_unavailable and category.cap < item):
                self._cap_below(f"{_at('categories', j, category.id)}.cap", rule.id, category.cap, item,
                                f"类别 '{category.id}' 的", f"category '{category.id}''s")

    def _cap_below(self, key: str, rule_id: str, cap: Decimal, item: Decimal, whose_zh: str, whose_en: str) -> None:
        self.add("warning", "cap_below_item", key,
                 f"{whose_zh}上限 {_show(cap)} 低于规则 '{rule_id}' 单项记录可得的 {_show(item)} 分",
                 f"{whose_en} cap {_show(cap)} is below the {_show(item)} points "
                 f"one record earns under rule '{rule_id}'")

    # --- rules, categories, settings -----------------------------------------------------------

    def rules(self) -> None:
        for i, rule in enumerate(self.rule_set.rules):
            reasons = [why for m in rule.measures if (why := _never_matches(m.selector)) is not None]
            if rule.measures and len(reasons) == len(rule.measures):
                self.add("warning", "rule_never_matches", f"{_at('rules', i, rule.id)}.match",
                         f"规则 '{rule.id}' 的 match 不可能匹配任何记录：{reasons[0]}",
                         f"rule '{rule.id}' matches no record: {reasons[0]}")

    def categories(self) -> None:
        used = {r.spec.category for r in self.rule_set.rules}
        for j, category in enumerate(self.spec.categories):
            if category.id not in used:
                self.add("warning", "empty_category", _at("categories", j, category.id),
                         f"类别 '{category.id}' 没有任何规则", f"category '{category.id}' has no rule")

    def settings(self) -> None:
        used = _used_settings(self.rule_set)
        if used is None:
            return
        for name in self.spec.settings:
            if name not in used:
                self.add("warning", "unused_setting", f"settings.{name}",
                         f"设定 '{name}' 没有被任何地方引用", f"setting '{name}' is referenced by nothing")


def _max_gain(rule: CompiledRule) -> Decimal | None:
    """The most one record adds under ``rule`` (``max_points_per_item``), limited to what the
    rule can add at all; ``None`` when not applicable (deductions, unpublished values)."""
    if rule.params is None or rule.unavailable is not None or isinstance(rule.rule_type, DeductFromFull):
        return None
    item: Decimal | None = rule.rule_type.max_points_per_item(rule.params)
    if item is None:
        return None
    params: Any = rule.params
    if isinstance(params, TableParams):
        gains = [v for v in params.points.values() if v > 0]
        item = min(item, max(gains)) if gains else _ZERO
    elif rule_range(rule).hi <= 0:
        return None  # a deduction: its cap does not bound a gain
    return item


def _used_settings(rule_set: RuleSet) -> set[str] | None:
    """Names of the settings the effective rule set refers to, from its source files; ``None``
    when the sources cannot be read again (e.g. a rule set parsed from a string)."""
    paths = [Path(source) for source in rule_set.chain]
    if not paths or not all(p.is_file() for p in paths):
        return None
    try:
        raws = [read_toml(p) for p in paths]
        by_id = {_raw_id(r): r for r in raws}

        def resolve(ref: str) -> RawRuleSet:
            if ref in by_id:
                return by_id[ref]
            raise KeyError(ref)

        merged, _ = flatten_extends(raws[-1], resolve)
        _, use = resolve_settings(merged, raws[-1].source)
    except (ScoringError, KeyError, OSError):
        return None
    return set(use.used)


def _raw_id(raw: RawRuleSet) -> str:
    meta = raw.data.get("rule_set")
    return str(meta.get("id")) if isinstance(meta, dict) else raw.source


def _show(value: Decimal) -> str:
    if value.is_infinite():
        return "∞" if value > 0 else "-∞"
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "") else text


def lint(rule_set: RuleSet) -> list[Finding]:
    """Every lint finding of ``rule_set``, errors first (see the module docstring for codes)."""
    return _Linter(rule_set).run()


def errors(findings: Sequence[Finding]) -> list[Finding]:
    """The findings of severity ``error``."""
    return [f for f in findings if f.severity == "error"]
