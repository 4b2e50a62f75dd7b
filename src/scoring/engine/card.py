"""One member's points: line items, category caps and floors, the total, grade bands and gates."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, ROUND_HALF_EVEN, ROUND_HALF_UP, ROUND_UP, Decimal

from ..models import CategoryScore, GateResult, LineItem, RequirementResult
from ..models.trusted import trusted
from ..rules.base import EMPTY_TALLY, ZERO, Measure, Tally, fmt
from ..ruleset import CompiledRule, RuleSet
from ..ruleset.schema import Category, Gate, Requirement, Rounding
from ..text import Text, t

_MODES = {"half_up": ROUND_HALF_UP, "half_even": ROUND_HALF_EVEN, "down": ROUND_DOWN, "up": ROUND_UP}


def round_points(value: Decimal, rounding: Rounding, level: str) -> Decimal:
    """``value`` rounded as the rule set says for ``level`` (lines, categories or total)."""
    if rounding.places is None or rounding.apply_to != level:
        return value
    return value.quantize(Decimal(1).scaleb(-rounding.places), rounding=_MODES[rounding.mode])


@dataclass
class Points:
    """The scoring part of a scorecard, before ranking and warnings."""

    lines: list[LineItem] = field(default_factory=list)
    categories: list[CategoryScore] = field(default_factory=list)
    total: Decimal | None = None
    not_computable: list[Text] = field(default_factory=list)


def line_item(rule: CompiledRule, tallies: Mapping[Measure, Tally], rounding: Rounding) -> LineItem:
    """The line of ``rule`` for one member, with its records, formula and any cap or floor."""
    spec = rule.spec
    measures = rule.measures
    if len(measures) == 1:  # the common case, without the comprehensions
        only = tallies.get(measures[0], EMPTY_TALLY)
        ts = [only]
        ids = tuple(sorted(set(only.record_ids)))
        unknown = sorted(set(only.unknown)) if only.unknown else []
    else:
        ts = [tallies.get(m, EMPTY_TALLY) for m in measures]
        ids = tuple(sorted({i for t in ts for i in t.record_ids}))
        unknown = sorted({u for t in ts for u in t.unknown})
    if rule.unavailable is not None and (ids or not rule.rule_type.zero_without_records):
        return _line(rule, ids, None, None, not_computable=rule.unavailable)
    if rule.unavailable is not None or rule.params is None:
        # No matching record: 0 whatever the unpublished value is, within the rule's own bounds.
        points, adjustment = _bounded(ZERO, spec.cap, spec.floor, rounding, "lines")
        return _line(rule, ids, ZERO, points, detail=t(zh="无相关记录", en="no matching records"),
                     adjustment=adjustment)
    if unknown:
        return _line(rule, ids, None, None, not_computable=t(
            zh=f"记录 {'、'.join(unknown)} 的取值在本规则集中没有公布分值",
            en=f"records {', '.join(unknown)} have values this rule set publishes no points for",
        ))
    outcome = rule.rule_type.evaluate(rule.params, ts)
    points, adjustment = _bounded(outcome.points, spec.cap, spec.floor, rounding, "lines")
    return _line(
        rule, ids, outcome.points, points, detail=outcome.detail, adjustment=adjustment or outcome.adjustment
    )


def _line(
    rule: CompiledRule, ids: tuple[str, ...], raw: Decimal | None, points: Decimal | None, *,
    detail: Text | None = None, adjustment: Text | None = None, not_computable: Text | None = None,
) -> LineItem:
    # Built from trusted values on the hot path: no re-validation.
    spec = rule.spec
    return trusted(LineItem,
        rule_id=spec.id, rule_type=spec.type, category=spec.category, label=spec.label, cite=spec.cite,
        record_ids=ids, count=len(ids), raw_points=raw, points=points, detail=detail, adjustment=adjustment,
        not_computable=not_computable,
    )


def _clamp(raw: Decimal, cap: Decimal | None, floor: Decimal | None) -> tuple[Decimal, Text | None]:
    if cap is not None and raw > cap:
        return cap, t(zh=f"{fmt(raw)} 超过上限 {fmt(cap)}，按 {fmt(cap)} 计", en=f"{fmt(raw)} capped at {fmt(cap)}")
    if floor is not None and raw < floor:
        return floor, t(
            zh=f"{fmt(raw)} 低于下限 {fmt(floor)}，按 {fmt(floor)} 计", en=f"{fmt(raw)} floored at {fmt(floor)}"
        )
    return raw, None


def _bounded(
    raw: Decimal, cap: Decimal | None, floor: Decimal | None, rounding: Rounding, level: str
) -> tuple[Decimal, Text | None]:
    """Clamp to [floor, cap], then round as the rule set says at ``level``; a rounded value never
    crosses a bound (a bound off the rounding grid is itself rounded inwards)."""
    if cap is None and floor is None and (rounding.places is None or rounding.apply_to != level):
        return raw, None
    value, adjustment = _clamp(raw, cap, floor)
    rounded = round_points(value, rounding, level)
    if cap is not None and rounded > cap:
        rounded = round_points(cap, rounding.model_copy(update={"mode": "down"}), level)
    if floor is not None and rounded < floor:
        rounded = round_points(floor, rounding.model_copy(update={"mode": "up"}), level)
    return rounded, adjustment


def category_score(
    category: Category, lines: list[LineItem], unavailable: Text | None, rounding: Rounding
) -> CategoryScore:
    """The category sum of ``lines`` with the category's cap and floor applied."""
    missing = [line for line in lines if line.points is None]
    if missing:
        return _category(category, None, None, not_computable=t(
            zh="含无法计算的项目：" + "、".join(line.label.zh for line in missing),
            en="includes items that cannot be computed: " + ", ".join(line.label.get("en") for line in missing),
        ))
    raw = sum((line.points for line in lines if line.points is not None), ZERO)
    if unavailable is not None:
        return _category(category, raw, None, not_computable=unavailable)
    points, adjustment = _bounded(raw, category.cap, category.floor, rounding, "categories")
    return _category(category, raw, points, adjustment=adjustment)


def _category(
    category: Category, raw: Decimal | None, points: Decimal | None, *,
    adjustment: Text | None = None, not_computable: Text | None = None,
) -> CategoryScore:
    return trusted(CategoryScore,
        id=category.id, label=category.label, cite=category.cite, raw_points=raw, points=points,
        adjustment=adjustment, not_computable=not_computable,
    )


@dataclass
class Idle:
    """Parts of a scorecard that are the same for every member of one role profile who has no
    record that a rule, category, requirement or gate reads: built once, then shared (the
    models are frozen). Keys: rule, category and gate ids; ``gate.requirement`` ids."""

    lines: dict[str, LineItem] = field(default_factory=dict)
    categories: dict[str, CategoryScore] = field(default_factory=dict)
    requirements: dict[str, RequirementResult] = field(default_factory=dict)
    gates: dict[str, GateResult] = field(default_factory=dict)


def compute_points(
    rule_set: RuleSet, rules: list[CompiledRule], tallies: Mapping[Measure, Tally], idle: Idle | None = None,
) -> Points:
    """Lines, categories and total for one member subject to ``rules`` (with ``idle``, the cache
    of the member's role profile)."""
    spec = rule_set.spec
    rounding = spec.rounding
    present = tallies.keys()
    out = Points()
    lines = out.lines
    active: set[str] = set()  # categories with a line that depends on the member's records
    for rule in rules:
        if idle is not None and present.isdisjoint(rule.measures):
            line = idle.lines.get(rule.spec.id)
            if line is None:
                line = idle.lines[rule.spec.id] = line_item(rule, tallies, rounding)
        else:
            line = line_item(rule, tallies, rounding)
            active.add(line.category)
        lines.append(line)
    for category in spec.categories:
        cid = category.id
        score = idle.categories.get(cid) if idle is not None and cid not in active else None
        if score is None:
            score = category_score(
                category, [line for line in lines if line.category == cid], rule_set.categories_unavailable.get(cid),
                rounding,
            )
            if idle is not None and cid not in active:
                idle.categories[cid] = score
        out.categories.append(score)
    unknown = [c for c in out.categories if c.points is None]
    if unknown:
        out.not_computable += [
            t(zh=f"{c.label.zh}：{c.not_computable.zh if c.not_computable else ''}",
                 en=f"{c.label.get('en')}: {c.not_computable.get('en') if c.not_computable else ''}")
            for c in unknown
        ]
        return out
    total = sum((c.points for c in out.categories if c.points is not None), ZERO)
    out.total, _ = _bounded(total, spec.total.cap, spec.total.floor, rounding, "total")
    return out


@dataclass(frozen=True)
class RequirementPlan:
    """A requirement with the measures it reads resolved once per rule set: its own ``match``, or
    one plan per ``any_of`` alternative. ``key``: ``gate.requirement``; ``unavailable``: why its
    threshold is unknown."""

    req: Requirement
    key: str
    measure: Measure | None
    alternatives: tuple[RequirementPlan, ...]
    measures: tuple[Measure, ...]
    unavailable: Text | None = None

    @classmethod
    def of(
        cls, req: Requirement, key: str, measure_of: Mapping[Requirement, Measure], unavailable: Text | None = None,
    ) -> RequirementPlan:
        """The plan of ``req``, its measures taken from ``measure_of``."""
        measure = measure_of.get(req)
        alternatives = tuple(cls.of(alt, f"{key}.{alt.id}", measure_of) for alt in req.any_of)
        own = (measure,) if measure is not None else ()
        measures = tuple(dict.fromkeys(own + tuple(m for alt in alternatives for m in alt.measures)))
        return cls(req, key, measure, alternatives, measures, unavailable)


@dataclass(frozen=True)
class GatePlan:
    """A gate with the requirements that apply to one role profile."""

    gate: Gate
    requirements: tuple[RequirementPlan, ...]
    measures: tuple[Measure, ...]

    @classmethod
    def of(
        cls, gate: Gate, roles: tuple[str, ...], measure_of: Mapping[Requirement, Measure],
        unavailable: Mapping[str, Text],
    ) -> GatePlan:
        """The plan of ``gate`` for members holding ``roles`` (requirement role variants)."""
        held = {"member", *roles}
        reqs = tuple(
            RequirementPlan.of(r, f"{gate.id}.{r.id}", measure_of, unavailable.get(f"{gate.id}.{r.id}"))
            for r in gate.requirements
            if not r.roles or held.intersection(r.roles)
        )
        return cls(gate, reqs, tuple(dict.fromkeys(m for r in reqs for m in r.measures)))


def _progress(plan: RequirementPlan, tallies: Mapping[Measure, Tally]) -> tuple[int, int, bool, tuple[str, ...]]:
    """Done, required, met and the records of one requirement; for ``any_of``, of the best
    alternative (the first met, else the closest), with the records of every alternative."""
    if plan.measure is not None:
        tally = tallies.get(plan.measure, EMPTY_TALLY)
        return tally.count, plan.req.min, tally.count >= plan.req.min, tally.record_ids
    alts = [_progress(alt, tallies) for alt in plan.alternatives]
    met = [a for a in alts if a[2]]
    best = met[0] if met else max(alts, key=lambda a: (a[0] / (a[1] or 1), a[0]))
    ids = tuple(sorted({i for a in alts for i in a[3]}))
    return best[0], best[1], bool(met), ids


def requirement_result(
    plan: RequirementPlan, tallies: Mapping[Measure, Tally], idle: Idle | None = None
) -> RequirementResult:
    """Whether one requirement is met; for ``any_of``, the best alternative is reported. When its
    threshold is unpublished it is undecided, never met or failed."""
    if idle is not None and tallies.keys().isdisjoint(plan.measures):
        found = idle.requirements.get(plan.key)
        if found is None:
            found = idle.requirements[plan.key] = requirement_result(plan, tallies)
        return found
    req = plan.req
    done, required, ok, ids = _progress(plan, tallies)
    if plan.unavailable is not None:
        return trusted(RequirementResult,
            id=req.id, label=req.label, required=None, done=done, met=None, record_ids=ids,
            not_computable=plan.unavailable,
        )
    return trusted(RequirementResult,
        id=req.id, label=req.label, required=required, done=done, met=ok, record_ids=ids, not_computable=None
    )


def gate_result(plan: GatePlan, tallies: Mapping[Measure, Tally], idle: Idle | None = None) -> GateResult:
    """The gate's requirements that apply to the member (``plan`` is for their role profile).
    Three-valued: failed if any requirement fails, undecided (None) if any cannot be decided,
    else met."""
    gate = plan.gate
    if idle is not None and tallies.keys().isdisjoint(plan.measures):
        found = idle.gates.get(gate.id)
        if found is None:
            found = idle.gates[gate.id] = gate_result(plan, tallies)
        return found
    reqs = tuple([requirement_result(r, tallies, idle) for r in plan.requirements])
    met: bool | None = True  # failed if any fails, else undecided if any is undecided
    for r in reqs:
        if r.met is False:
            met = False
            break
        if r.met is None:
            met = None
    return trusted(GateResult,
        id=gate.id, label=gate.label, cite=gate.cite, met=met, binding=gate.binding, requirements=reqs,
    )


@dataclass(frozen=True)
class Grading:
    """The grade from the score alone, the final grade after binding gates, and why they differ."""

    by_score: str | None
    final: str | None
    note: Text | None


def grade_of(rule_set: RuleSet, total: Decimal | None, gates: tuple[GateResult, ...]) -> Grading:
    """Apply grade bands to ``total``, then let failed binding gates limit the grade."""
    if not rule_set.grades:
        return Grading(None, None, None)
    if rule_set.grades_unavailable is not None:
        return Grading(None, None, rule_set.grades_unavailable)
    if total is None:
        return Grading(None, None, t(zh="总分无法计算，不能评定等级", en="no grade: the total cannot be computed"))
    band = next((g for g in rule_set.grades if g.contains(total)), None)
    if band is None:
        outside = t(zh=f"总分 {fmt(total)} 不在任何等级区间内", en=f"{fmt(total)} is in no grade band")
        return Grading(None, None, outside)
    final = band.id
    note: Text | None = None
    for gate_res in gates:
        if not gate_res.met:
            break
    else:  # every gate met: nothing limits the grade
        return Grading(band.id, final, note)
    for gate_res, gate in zip(gates, _gates_by_id(rule_set, gates), strict=True):
        if gate_res.met or not gate.binding or gate.fail_grade is None:
            continue
        if gate_res.met is None and rule_set.grade_rank(gate.fail_grade) > rule_set.grade_rank(final):
            return Grading(band.id, None, t(
                zh=f"「{gate.label.zh}」是否达到无法判断，不能评定等级（按分数为{band.label.zh}）",
                en=f"'{gate.label.get('en')}' cannot be decided: no grade (score band {band.label.get('en')})",
            ))
        if rule_set.grade_rank(gate.fail_grade) > rule_set.grade_rank(final):
            final = gate.fail_grade
            limit = rule_set.grade(final)
            label = limit.label if limit else t(zh=final)
            note = t(
                zh=f"未达到「{gate.label.zh}」要求，等级按{label.zh}评定（按分数为{band.label.zh}）",
                en=f"'{gate.label.get('en')}' not met: graded {label.get('en')} (score band {band.label.get('en')})",
            )
    return Grading(band.id, final, note)


def _gates_by_id(rule_set: RuleSet, gates: tuple[GateResult, ...]) -> list[Gate]:
    specs = {g.id: g for g in rule_set.spec.gates}
    return [specs[g.id] for g in gates]


def eligibility(rule_set: RuleSet, total: Decimal | None, gates: tuple[GateResult, ...]) -> tuple[str, ...]:
    """Eligibility marks earned (e.g. may be nominated 优秀): total above the line, gates met."""
    if total is None:
        return ()
    met = {g.id for g in gates if g.met is True}
    return tuple(
        e.id for e in rule_set.spec.eligibility
        if e.id not in rule_set.eligibility_unavailable  # an unpublished line decides nothing
        and (total > e.min or (total == e.min and e.min_inclusive)) and set(e.requires_gates) <= met
    )
