"""Distribution summaries of a result: count, mean, min and max of totals per grade and per sector."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal

from pydantic import BaseModel, ConfigDict, Field

from ..models import Member, Scorecard, ScoringResult
from ..ruleset import RuleSet
from ..text import Text, t

EXEMPT = "exempt"
"""Grade key of exempt members (免考)."""
NO_GRADE = "none"
"""Grade key of assessed members without a grade (total not computable)."""

_FROZEN = ConfigDict(frozen=True, extra="forbid")


class Stats(BaseModel):
    """Totals of one group of members."""

    model_config = _FROZEN

    key: str = Field(description="grade id, sector name, or 'all'")
    label: Text
    count: int = Field(description="members in the group")
    scored: int = Field(description="assessed members with a computable total (the statistics use these)")
    mean: Decimal | None = Field(description="mean total, rounded to 0.01; None when no member is scored")
    min: Decimal | None
    max: Decimal | None
    grades: dict[str, int] = Field(default_factory=dict, description="members per grade key")


class Distribution(BaseModel):
    """The totals of one result, overall, per grade (best first) and per sector."""

    model_config = _FROZEN

    overall: Stats
    by_grade: tuple[Stats, ...]
    by_sector: tuple[Stats, ...]


def grade_key(card: Scorecard) -> str:
    """The final grade of ``card``, ``exempt`` or ``none``."""
    if card.status == "exempt":
        return EXEMPT
    return card.grade or NO_GRADE


def band_key(card: Scorecard) -> str:
    """The grade by score alone of ``card``, ``exempt`` or ``none``."""
    if card.status == "exempt":
        return EXEMPT
    return card.grade_by_score or NO_GRADE


def grade_labels(rule_set: RuleSet) -> dict[str, Text]:
    """Grade key → label, best grade first, then ``exempt`` and ``none``."""
    out = {band.id: band.label for band in rule_set.grades}
    out[EXEMPT] = t("免考", "exempt")
    out[NO_GRADE] = t("未定等级", "no grade")
    return out


def sector_of(members: Mapping[str, Member], member_id: str) -> str:
    """The sector of a member, or '' when unknown."""
    member = members.get(member_id)
    return (member.sector or "") if member else ""


def distribution(rule_set: RuleSet, result: ScoringResult, members: Mapping[str, Member]) -> Distribution:
    """Statistics of ``result``'s totals, overall, per grade and per sector (sectors sorted by name)."""
    cards = result.scorecards
    labels = grade_labels(rule_set)
    by_grade = [
        stats(key, label, [c for c in cards if grade_key(c) == key], grade_key)
        for key, label in labels.items()
    ]
    sectors = sorted({sector_of(members, c.member_id) for c in cards})
    by_sector = [
        stats(s or "", t(s, s) if s else t("（未填界别）", "(no sector)"),
              [c for c in cards if sector_of(members, c.member_id) == s], grade_key)
        for s in sectors
    ]
    return Distribution(
        overall=stats("all", t("全体", "all"), list(cards), grade_key),
        by_grade=tuple(s for s in by_grade if s.count or s.key not in (EXEMPT, NO_GRADE)),
        by_sector=tuple(by_sector),
    )


def stats(key: str, label: Text, cards: Iterable[Scorecard], key_of: Callable[[Scorecard], str]) -> Stats:
    """Count, mean, min and max of the totals of ``cards`` (assessed, computable ones only)."""
    cards = list(cards)
    totals = [c.total for c in cards if c.status == "assessed" and c.total is not None]
    grades: dict[str, int] = {}
    for card in cards:
        grades[key_of(card)] = grades.get(key_of(card), 0) + 1
    mean = (sum(totals, Decimal(0)) / len(totals)).quantize(Decimal("0.01"), ROUND_HALF_UP) if totals else None
    return Stats(
        key=key, label=label, count=len(cards), scored=len(totals), mean=mean,
        min=min(totals) if totals else None, max=max(totals) if totals else None, grades=grades,
    )
