"""Ranking within peer groups (per committee, 常委 apart …) and grade quotas within them."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal

from ..models import Member, Rank
from ..ruleset import RuleSet
from ..ruleset.schema import Quota
from ..text import Text, t


@dataclass
class Rankable:
    """What ranking needs of a member's draft scorecard; ``grade`` may be demoted by a quota."""

    member: Member
    total: Decimal | None
    grade: str | None
    assessed: bool
    rank: Rank | None = None
    quota_note: Text | None = None


def group_key(rule_set: RuleSet, member: Member) -> str:
    """The peer-group name of ``member`` under the rule set's ranking settings."""
    spec = rule_set.spec.ranking
    parts = [f"{getattr(member, f) or '—'}" for f in spec.group_by]
    roles = rule_set.vocabulary.roles
    parts += [roles[r].zh if r in roles else r for r in spec.separate_roles if member.has_role(r)]
    return " / ".join(parts) if parts else "全体"


def rank_all(rule_set: RuleSet, drafts: Sequence[Rankable]) -> None:
    """Set ranks (competition ranking: ties share a position) and apply quotas, group by group."""
    groups: dict[str, list[Rankable]] = defaultdict(list)
    for d in drafts:
        if d.assessed and d.total is not None:
            groups[group_key(rule_set, d.member)].append(d)
    for name, members in groups.items():
        members.sort(key=lambda d: (-(d.total or 0), d.member.id))
        position = 0
        previous: Decimal | None = None
        for i, d in enumerate(members, start=1):
            if d.total != previous:
                position, previous = i, d.total
            d.rank = Rank(group=name, position=position, of=len(members))
        _quotas(rule_set, members)


def _quotas(rule_set: RuleSet, ranked: list[Rankable]) -> None:
    for quota in rule_set.spec.quotas:
        if quota.id in rule_set.quotas_unavailable:
            continue  # an unpublished share is never applied as if it were 1
        allowed = quota_allowed(quota, len(ranked))
        holders = [d for d in ranked if d.grade == quota.grade]
        for d in holders[allowed:]:
            d.grade = quota.demote_to
            d.quota_note = quota_note(quota, allowed)


def quota_allowed(quota: Quota, group_size: int) -> int:
    """How many members of a group of ``group_size`` may hold the quota's grade."""
    return int((quota.max_share * group_size).to_integral_value(rounding=ROUND_FLOOR))


def quota_note(quota: Quota, allowed: int) -> Text:
    """Why a member was demoted by ``quota``."""
    return t(
        zh=f"「{quota.grade}」名额为本组 {quota.max_share * 100:.0f}%（{allowed} 名），"
        f"按排名调整为「{quota.demote_to}」",
        en=f"quota for '{quota.grade}' is {quota.max_share * 100:.0f}% of the group ({allowed}); "
           f"demoted to '{quota.demote_to}' by rank",
    )
