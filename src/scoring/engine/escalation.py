"""The exit mechanism: which escalation steps (提醒 → 约谈 → 劝辞 …) a member's results trigger,
and, in interim checks, which requirements are still open."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal

from ..models import GateResult, Member, Period, Warning
from ..models.trusted import trusted
from ..rules.base import Measure, fmt
from ..ruleset import RuleSet
from ..ruleset.schema import EscalationStep, GateFailed, GradeIn, RecordsAtLeast, TotalBelow
from ..text import Text, t
from .history import History, HistoryEntry


def trigger_measure(step: EscalationStep) -> Measure | None:
    """The measure a record-count trigger reads (None for score-based triggers)."""
    return Measure(step.trigger.match) if isinstance(step.trigger, RecordsAtLeast) else None


def escalate(
    rule_set: RuleSet,
    member: Member,
    period: Period,
    total: Decimal | None,
    grade: str | None,
    gates: tuple[GateResult, ...],
    counts: Mapping[str, int],
    history: History,
) -> tuple[list[Warning], list[Text]]:
    """Warnings for every triggered step, and reasons for steps that could not be decided."""
    warnings: list[Warning] = []
    undecided: list[Text] = []
    for step in rule_set.escalation:
        if step.id in rule_set.steps_unavailable:
            undecided.append(_undecided(step, rule_set.steps_unavailable[step.id]))
            continue
        trig = step.trigger
        if period.interim and not isinstance(trig, RecordsAtLeast):
            continue  # score-based steps are decided at the end of the period only
        if isinstance(trig, RecordsAtLeast):
            count = counts.get(step.id, 0)
            if trig.window == "term":
                count += sum(e.counters.get(step.id, 0) for e in history.in_term(member.id, member.term, period.start))
            if count >= trig.count:
                warnings.append(_warning(step, member, t(
                    zh=f"{'本届' if trig.window == 'term' else '本期'}相关记录 {count} 次（≥ {trig.count}）",
                    en=f"{count} matching records this {'term' if trig.window == 'term' else 'period'} "
                    f"(≥ {trig.count})",
                )))
            continue
        if isinstance(trig, TotalBelow) and total is None:
            undecided.append(_undecided(step, t(zh="总分无法计算", en="the total cannot be computed")))
            continue
        gate_met = next((g.met for g in gates if g.id == trig.gate), True) if isinstance(trig, GateFailed) else True
        if gate_met is None:
            undecided.append(_undecided(step, t(zh="门槛是否达到无法判断", en="the gate cannot be decided")))
            continue
        if isinstance(trig, GradeIn) and grade is None:
            undecided.append(_undecided(step, t(zh="等级无法评定", en="no grade")))
            continue
        now = _holds_now(trig, total, grade, gate_met)
        if not now:
            continue
        earlier = history.previous(member.id, period, trig.periods - 1) if trig.periods > 1 else []
        if earlier is None or not all(_holds_then(trig, e) for e in earlier):
            continue
        warnings.append(_warning(step, member, _why(trig, total, grade)))
    return warnings, undecided


def _holds_now(trig: TotalBelow | GradeIn | GateFailed, total: Decimal | None, grade: str | None,
               gate_met: bool | None) -> bool:
    if isinstance(trig, TotalBelow):
        return total is not None and total < trig.value
    if isinstance(trig, GradeIn):
        return grade in trig.grades
    return gate_met is False


def _holds_then(trig: TotalBelow | GradeIn | GateFailed, entry: HistoryEntry) -> bool:
    if isinstance(trig, TotalBelow):
        return entry.total is not None and entry.total < trig.value
    if isinstance(trig, GradeIn):
        return entry.grade in trig.grades
    return trig.gate in entry.gates_failed


def _why(trig: TotalBelow | GradeIn | GateFailed, total: Decimal | None, grade: str | None) -> Text:
    span_zh = f"连续 {trig.periods} 期" if trig.periods > 1 else "本期"
    span_en = f"{trig.periods} consecutive periods" if trig.periods > 1 else "this period"
    if isinstance(trig, TotalBelow):
        return t(zh=f"{span_zh}总分低于 {fmt(trig.value)}（本期 {fmt(total or Decimal(0))}）",
                    en=f"total below {fmt(trig.value)} in {span_en} (now {fmt(total or Decimal(0))})")
    if isinstance(trig, GradeIn):
        return t(zh=f"{span_zh}等级为 {grade}", en=f"grade {grade} in {span_en}")
    return t(zh=f"{span_zh}未达到门槛 {trig.gate}", en=f"gate {trig.gate} not met in {span_en}")


def _warning(step: EscalationStep, member: Member, why: Text) -> Warning:
    actor = f"（{step.actor.zh}）" if step.actor else ""
    actor_en = f" ({step.actor.get('en')})" if step.actor else ""
    return trusted(
        Warning,
        member_id=member.id, kind="escalation", rule_id=step.id, action=step.action,
        action_label=step.action_label, level=step.level, actor=step.actor,
        message=t(
            zh=f"{step.action_label.zh}{actor}：{why.zh}",
            en=f"{step.action_label.get('en')}{actor_en}: {why.get('en')}",
        ),
        cite=step.cite, due=None,
    )


def _undecided(step: EscalationStep, why: Text) -> Text:
    return t(zh=f"退出机制「{step.action_label.zh}」无法判断：{why.zh}",
                en=f"exit step '{step.action_label.get('en')}' cannot be decided: {why.get('en')}")


def open_requirements(member: Member, gates: tuple[GateResult, ...], due: dt.date) -> list[Warning]:
    """Interim warnings: each requirement not yet met, with what is missing and by when."""
    out: list[Warning] = []
    for gate in gates:
        for req in gate.requirements:
            if req.met or req.required is None:
                continue  # met, or its threshold is unpublished (reported on the scorecard)
            missing = req.required - req.done
            out.append(Warning(
                member_id=member.id, kind="open_requirement", rule_id=f"{gate.id}.{req.id}", action="complete",
                action_label=t(zh="待完成", en="to complete"), level=0, cite=gate.cite, due=due,
                message=t(
                    zh=f"「{gate.label.zh}」尚缺：{req.label.zh}（已完成 {req.done}/{req.required}，"
                    f"还需 {missing} 项），截止 {due.isoformat()}",
                    en=f"'{gate.label.get('en')}' still open: {req.label.get('en')} ({req.done}/{req.required} done, "
                       f"{missing} more needed) by {due.isoformat()}",
                ),
            ))
    return out
