"""Notifications (通报): which members' results go to which recipient."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from ..models import Member, Notification, Scorecard
from ..ruleset import RuleSet
from ..text import Text


def notifications(
    rule_set: RuleSet, cards: Sequence[Scorecard], members: dict[str, Member]
) -> tuple[Notification, ...]:
    """One notification per recipient (or per recipient and employer, sector …)."""
    out: list[Notification] = []
    for rule in rule_set.spec.notifications:
        chosen = [
            c for c in cards
            if c.status == "assessed" and (
                rule.send == "all"
                or (rule.send == "warnings" and c.warnings)
                or (rule.send == "grades" and c.grade in rule.grades)
            )
        ]
        if rule.per_member_field is None:
            out.append(Notification(
                recipient_id=rule.id, recipient=rule.recipient, member_ids=tuple(c.member_id for c in chosen),
                cite=rule.cite,
            ))
            continue
        split: dict[str, list[str]] = defaultdict(list)
        for c in chosen:
            value = getattr(members[c.member_id], rule.per_member_field) or "—"
            split[value].append(c.member_id)
        for value in sorted(split):
            out.append(Notification(
                recipient_id=f"{rule.id}:{value}",
                recipient=Text(zh=f"{rule.recipient.zh}：{value}", en=f"{rule.recipient.get('en')}: {value}"),
                member_ids=tuple(split[value]), cite=rule.cite,
            ))
    return tuple(out)
