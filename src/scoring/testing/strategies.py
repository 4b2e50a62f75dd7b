"""Hypothesis strategies for rule-set and plugin authors (``pip install 'cppcc-scoring[testing]'``).

Property tests need inputs that look like a real city: members with roles, peer groups and
membership dates; archive records using the rule set's vocabulary, with the noise real exports
carry (dates outside the period, soft-deleted rows, duplicated rows, ``same_as`` links, unknown
member ids); and rule sets themselves. The strategies here produce such inputs::

    from hypothesis import given
    from hypothesis import strategies as st
    from scoring import parse_rule_set, score
    from scoring.testing.strategies import cities, periods, rule_sets

    @given(rule_sets(), periods(), st.data())
    def test_my_property(text, period, data):
        rule_set = parse_rule_set(text)
        members, records = data.draw(cities(rule_set, period))
        result = score(rule_set, members, records, period)
        assert result.accounting.reconciles

Every value drawn is valid input: members and records validate, and rule-set texts compile with
:func:`scoring.parse_rule_set`. Only this module of ``scoring`` imports hypothesis.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any, TypeVar

from hypothesis import strategies as st

from ..models import ActivityRecord, Member, Period
from ..ruleset import RuleSet
from ..vocabulary import KindVocabulary, Vocabulary, base_vocabulary

__all__ = [
    "RULE_TYPES",
    "SECTORS",
    "Dice",
    "cities",
    "dice",
    "members",
    "periods",
    "records",
    "rule_sets",
]

#: Peer-group values members are drawn from (small pools, so that groups have several members).
SECTORS: tuple[str, ...] = ("中共", "民革", "经济界", "教育界")
COMMITTEES: tuple[str, ...] = ("提案委", "经济委", "文史委")
GROUPS: tuple[str, ...] = ("第一组", "第二组")
EMPLOYERS: tuple[str, ...] = ("市一中", "市医院", "某公司")
TERMS: tuple[str, ...] = ("十三届", "十四届")

#: The rule types :func:`rule_sets` draws from (the built-ins that need no external data).
RULE_TYPES: tuple[str, ...] = (
    "per_unit", "once", "from_nth", "status_points", "lifecycle", "fixed", "deduct_from_full", "shortfall",
)

UNKNOWN_MEMBER = "unknown-member"
DANGLING_ID = "no-such-record"

Dict = dict[str, Any]


def _vocab(vocabulary: Vocabulary | RuleSet | None) -> Vocabulary:
    """The vocabulary to draw codes from: a rule set's (with its extensions) or the base one."""
    if vocabulary is None:
        return base_vocabulary()
    if isinstance(vocabulary, RuleSet):
        return vocabulary.vocabulary
    return vocabulary


def _default_period(period: Period | None) -> Period:
    return period if period is not None else Period.year(2024)


T = TypeVar("T")


class Dice:
    """Many small random choices taken from one drawn integer.

    Each hypothesis draw has a fixed cost, and a city has hundreds of small decisions (is this
    record deleted? which subtype?). Taking them from one large integer keeps generation fast;
    shrinking the integer towards 0 makes every choice fall back to its simplest value (False,
    the first item, the lower bound).
    """

    BITS = 256

    def __init__(self, seed: int) -> None:
        self._rest = seed

    def roll(self, sides: int) -> int:
        """A number in ``[0, sides)``."""
        if sides <= 1:
            return 0
        value = self._rest % sides
        self._rest //= sides
        return value

    def chance(self, percent: int) -> bool:
        """True with roughly ``percent`` % probability."""
        return self.roll(100) >= 100 - percent

    def boolean(self) -> bool:
        """True or False."""
        return self.roll(2) == 1

    def between(self, low: int, high: int) -> int:
        """An integer in ``[low, high]``."""
        return low + self.roll(high - low + 1)

    def pick(self, items: Sequence[T]) -> T:
        """One of ``items`` (which must not be empty)."""
        return items[self.roll(len(items))]

    def some(self, items: Sequence[T], *, min_size: int = 0, max_size: int = 3) -> list[T]:
        """Distinct items of ``items``, in their order, between ``min_size`` and ``max_size`` of them."""
        pool = list(items)
        want = min(len(pool), self.between(min_size, max_size))
        chosen: list[T] = []
        for _ in range(want):
            chosen.append(pool.pop(self.roll(len(pool))))
        return [item for item in items if item in chosen]


def _dice_from(raw: bytes) -> Dice:
    return Dice(int.from_bytes(raw, "little"))


def dice(bits: int = Dice.BITS) -> st.SearchStrategy[Dice]:
    """A :class:`Dice` for many cheap choices in one draw (``bits`` of randomness).

    The integer comes from random bytes (uniform, unlike hypothesis' integers, which favour
    small values); the first choices read the first bytes.
    """
    size = (bits + 7) // 8
    return st.binary(min_size=size, max_size=size).map(_dice_from)


# --------------------------------------------------------------------------------------------
# periods and members
# --------------------------------------------------------------------------------------------


@st.composite
def periods(draw: st.DrawFn, *, min_year: int = 2015, max_year: int = 2030, interim: bool = True) -> Period:
    """A calendar-year assessment period, sometimes (``interim``) with an ``as_of`` inside it."""
    year = draw(st.integers(min_value=min_year, max_value=max_year))
    as_of: dt.date | None = None
    if interim and draw(st.integers(min_value=0, max_value=3)) == 3:
        as_of = dt.date(year, 1, 1) + dt.timedelta(days=draw(st.integers(min_value=0, max_value=364)))
    return Period.year(year, as_of=as_of)


def _date_near(d: Dice, period: Period, *, outside: bool) -> dt.date:
    """A date inside ``period``, or (``outside``) up to 90 days before or after it."""
    if outside:
        if d.boolean():
            return period.end + dt.timedelta(days=d.between(1, 90))
        return period.start - dt.timedelta(days=d.between(1, 90))
    return period.start + dt.timedelta(days=d.roll(period.days()))


def _member(d: Dice, n: int, extra_roles: Sequence[str], period: Period, exempt: bool, dates: bool) -> Member:
    joined: dt.date | None = None
    left: dt.date | None = None
    if dates and d.chance(15):
        joined = _date_near(d, period, outside=d.chance(30))
    if dates and d.chance(10):
        left = _date_near(d, period, outside=d.chance(30))
        if joined is not None and left < joined:
            joined, left = left, joined
    return Member(
        id=f"m{n:02d}",
        name=f"委员{n}",
        sector=d.pick(SECTORS),
        committee=d.pick((None, *COMMITTEES)),
        group=d.pick(GROUPS),
        employer=d.pick((None, *EMPLOYERS)),
        roles=("member", *d.some(extra_roles, max_size=2)) if d.chance(40) else ("member",),
        joined=joined,
        left=left,
        term=d.pick((None, *TERMS)),
        exempt="病休" if exempt and d.chance(5) else None,
    )


@st.composite
def members(
    draw: st.DrawFn,
    vocabulary: Vocabulary | RuleSet | None = None,
    period: Period | None = None,
    *,
    min_size: int = 1,
    max_size: int = 8,
    exempt: bool = True,
    membership_dates: bool = True,
) -> list[Member]:
    """A list of members with unique ids (``m01`` …) for ``period`` (default: the year 2024).

    Members get roles from the vocabulary (``member`` always, often ``standing_committee`` …),
    a sector, committee, group, employer and term from small pools so that peer groups have
    several members. With ``membership_dates`` some join or leave during (or outside) the
    period; with ``exempt`` a few are exempt (免考).
    """
    vocab = _vocab(vocabulary)
    window = _default_period(period)
    extra_roles = sorted(r for r in vocab.roles if r != "member")
    count = draw(st.integers(min_value=min_size, max_value=max_size))
    return [
        _member(draw(dice()), n, extra_roles, window, exempt, membership_dates) for n in range(1, count + 1)
    ]


# --------------------------------------------------------------------------------------------
# records
# --------------------------------------------------------------------------------------------


def _maybe(d: Dice, codes: Sequence[str], percent: int) -> str | None:
    """One of ``codes`` with roughly ``percent`` % probability, else None (always None without codes)."""
    return d.pick(codes) if codes and d.chance(percent) else None


def _record_data(d: Dice, member_ids: Sequence[str], vocab: Vocabulary, period: Period, kinds: Sequence[str],
                 noise: bool) -> Dict:
    """The fields of one record (without its id), valid for ``vocab``."""
    kind = d.pick(kinds)
    spec: KindVocabulary = vocab.kinds[kind]
    role = _maybe(d, list(spec.roles), 70)
    if role == "co":
        signers = d.between(2, 8)
    elif role in ("first", "collective_main"):
        signers = d.between(1, 8)
    else:
        signers = 1
    member_id = d.pick(member_ids) if member_ids else UNKNOWN_MEMBER
    if noise and d.chance(4):
        member_id = UNKNOWN_MEMBER
    date = _date_near(d, period, outside=noise and d.chance(10))
    return {
        "member_id": member_id,
        "kind": kind,
        "subtype": _maybe(d, list(spec.subtypes), 90),
        "status": _maybe(d, list(spec.statuses), 90),
        "role": role,
        "signers": signers,
        "flags": tuple(d.some(list(spec.flags), max_size=2)) if spec.flags and d.chance(30) else (),
        "level": _maybe(d, list(vocab.levels), 60 if kind == "award" else 15),
        "quantity": Decimal(d.roll(31)) / 4 if d.chance(30) else Decimal(1),
        "date": date,
        "scored_on": date + dt.timedelta(days=d.roll(91)) if d.chance(20) else None,
        "deleted": noise and d.chance(8),
    }


def _link_same_as(d: Dice, rows: list[Dict]) -> None:
    """Add ``same_as`` links: to an earlier record of the same member, mutual pairs, dangling ids.

    Links only point to earlier rows, except mutual pairs whose two rows had no link before, so
    the only cycles are mutual pairs.
    """
    for i, row in enumerate(rows):
        choice = d.roll(20)
        if row.get("same_as") is not None or choice > 3:
            continue
        earlier = [j for j in range(i) if rows[j]["member_id"] == row["member_id"]]
        if choice == 1 and earlier:
            row["same_as"] = rows[d.pick(earlier)]["id"]
        elif choice == 2:
            row["same_as"] = DANGLING_ID
        elif choice == 3:
            free = [j for j in earlier if rows[j].get("same_as") is None]
            if free:
                j = d.pick(free)
                row["same_as"] = rows[j]["id"]
                rows[j]["same_as"] = row["id"]


@st.composite
def records(
    draw: st.DrawFn,
    members: Sequence[Member],
    vocabulary: Vocabulary | RuleSet | None = None,
    period: Period | None = None,
    *,
    min_size: int = 0,
    max_size: int = 40,
    kinds: Sequence[str] | None = None,
    noise: bool = True,
) -> list[ActivityRecord]:
    """Activity records of ``members`` using the codes of ``vocabulary`` (a rule set's, or the base).

    Records have kinds, subtypes, statuses, roles, flags and levels from the vocabulary, and
    ``signers`` consistent with the role (a co-signer always has ``signers >= 2``); dates lie in
    ``period`` (default: the year 2024). Ids are ``r0001`` … With ``noise`` (the default) the list
    also holds what real exports contain: dates outside the period, soft-deleted records,
    records of an unknown member id, identical duplicate rows, conflicting rows sharing an id (a
    conflicting copy belongs to the same member but differs in content), and ``same_as`` links
    (to an earlier record of the same member, as a mutual pair, or to a missing id; never a
    longer cycle). The list comes in a random order.
    """
    vocab = _vocab(vocabulary)
    window = _default_period(period)
    kind_codes = [k for k in (kinds if kinds is not None else sorted(vocab.kinds)) if k in vocab.kinds]
    if not kind_codes:
        raise ValueError(f"no known record kind among {kinds!r}")
    member_ids = [m.id for m in members]
    count = draw(st.integers(min_value=min_size, max_value=max_size))
    rows: list[Dict] = []
    for n in range(1, count + 1):
        row = _record_data(draw(dice()), member_ids, vocab, window, kind_codes, noise)
        row["id"] = f"r{n:04d}"
        rows.append(row)
    if not noise:
        return [ActivityRecord.model_validate(row) for row in rows]
    d = draw(dice(1024))
    _link_same_as(d, rows)
    out = [ActivityRecord.model_validate(row) for row in rows]
    for row in rows:
        copy = d.roll(40)
        if copy in (1, 2):
            out.append(ActivityRecord.model_validate(row))  # an identical duplicate row
        elif copy == 3:
            changed = {**row, "quantity": row["quantity"] + 1, "note": "conflicting copy / 内容不同的副本"}
            out.append(ActivityRecord.model_validate(changed))
    return list(draw(st.permutations(out))) if len(out) > 1 else out


@st.composite
def cities(
    draw: st.DrawFn,
    vocabulary: Vocabulary | RuleSet | None = None,
    period: Period | None = None,
    *,
    min_members: int = 1,
    max_members: int = 8,
    max_records: int = 40,
    kinds: Sequence[str] | None = None,
    noise: bool = True,
) -> tuple[list[Member], list[ActivityRecord]]:
    """A small city: ``(members, records)`` drawn with :func:`members` and :func:`records`."""
    people = draw(members(vocabulary, period, min_size=min_members, max_size=max_members,
                          exempt=noise, membership_dates=noise))
    rows = draw(records(people, vocabulary, period, max_size=max_records, kinds=kinds, noise=noise))
    return people, rows


# --------------------------------------------------------------------------------------------
# rule sets
# --------------------------------------------------------------------------------------------


def _toml_value(value: object) -> str:
    """A TOML literal for a string, bool, int, Decimal, list or (inline) table."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal):
        text = format(value, "f")
        return "0" if text.lstrip("-").strip("0.") == "" else text
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, Mapping):
        return "{ " + ", ".join(f"{k} = {_toml_value(v)}" for k, v in value.items() if v is not None) + " }"
    raise TypeError(f"cannot write {value!r} as TOML")


def _toml_table(header: str, table: Mapping[str, object]) -> list[str]:
    return [header, *(f"{k} = {_toml_value(v)}" for k, v in table.items() if v is not None), ""]


def _points(d: Dice, low: int = -10, high: int = 10) -> Decimal:
    """A small decimal in ``[low, high]`` in steps of 0.25 (exact at two places)."""
    return Decimal(d.between(low * 4, high * 4)) / 4


def _bounds(d: Dice, low: int, high: int) -> tuple[Decimal | None, Decimal | None]:
    """An optional ``(cap, floor)`` pair with floor <= cap."""
    cap = _points(d, low, high) if d.chance(40) else None
    floor = _points(d, low, high) if d.chance(30) else None
    if cap is not None and floor is not None and floor > cap:
        cap, floor = floor, cap
    return cap, floor


def _selector(d: Dice, vocab: Vocabulary, kinds: Sequence[str]) -> Dict:
    """A valid ``match`` table."""
    kind = d.pick(kinds)
    spec = vocab.kinds[kind]
    out: Dict = {"kind": kind}
    if spec.subtypes and d.chance(40):
        out["subtype"] = d.some(list(spec.subtypes), min_size=1)
    if spec.statuses and d.chance(40):
        out["status"] = d.some(list(spec.statuses), min_size=1)
    if spec.roles and d.chance(30):
        out["role"] = d.some(list(spec.roles), min_size=1)
    if vocab.levels and d.chance(10):
        out["level"] = d.some(list(vocab.levels), min_size=1)
    if spec.flags and d.chance(20):
        flag = d.pick(list(spec.flags))
        out["flags"] = [flag]
        others = [f for f in spec.flags if f != flag]
        if others and d.chance(20):
            out["not_flags"] = [d.pick(others)]
    return out


def _split(d: Dice) -> Dict:
    return {
        "first": Decimal(d.roll(5)) / 4,
        "co": Decimal(d.roll(5)) / 4 if d.chance(30) else None,
        "collective_main": Decimal(d.roll(5)) / 4 if d.chance(50) else None,
    }


def _rule(
    d: Dice, n: int, categories: Sequence[str], vocab: Vocabulary, kinds: Sequence[str], negative: bool,
    settings: Dict,
) -> Dict:
    """One ``[[rules]]`` table of a random built-in type."""
    low = -10 if negative else 0
    rule_type = d.pick(RULE_TYPES)
    rule: Dict = {"id": f"r{n}", "type": rule_type, "category": d.pick(categories), "label": f"rule {n} / 规则{n}"}
    match = _selector(d, vocab, kinds) if rule_type != "fixed" else None
    rule["match"] = match
    spec = vocab.kinds[match["kind"]] if match else None
    if rule_type == "per_unit":
        if d.chance(15):
            name = f"s{n}"
            settings[name] = {"label": f"setting {n} / 设定{n}", "value": _points(d, low) if d.boolean() else None}
            rule["points"] = {"setting": name}
        else:
            rule["points"] = _points(d, low)
        rule["unit"] = "quantity" if d.chance(20) else None
        rule["split"] = _split(d) if d.chance(30) else None
    elif rule_type == "once":
        rule["points"] = _points(d, low)
        rule["min_count"] = d.between(1, 3)
    elif rule_type == "from_nth":
        rule["points"] = _points(d, low)
        rule["nth"] = d.between(2, 4)
    elif rule_type == "status_points":
        assert spec is not None
        tables: dict[str, list[str]] = {"level": list(vocab.levels)}
        for name, table in (("status", spec.statuses), ("subtype", spec.subtypes), ("role", spec.roles)):
            if table:
                tables[name] = list(table)
        field = d.pick(sorted(tables))
        codes = tables[field]
        listed = [c for c in codes if d.chance(85)] or codes[:1]
        rule["field"] = field
        rule["points"] = {c: _points(d, low) for c in listed}
        rule["split"] = _split(d) if d.chance(25) else None
    elif rule_type == "lifecycle":
        assert spec is not None
        stages: list[Dict] = []
        for s in range(d.between(1, 3)):
            stage: Dict = {"label": f"stage {s} / 阶段{s}", "points": _points(d, low)}
            if s > 0 and spec.statuses and d.boolean():
                stage["when"] = {"status": d.pick(list(spec.statuses))}
            elif s > 0 and spec.flags and d.boolean():
                stage["when"] = {"flags": [d.pick(list(spec.flags))]}
            stages.append(stage)
        rule["stages"] = stages
        rule["split"] = _split(d) if d.chance(30) else None
    elif rule_type == "fixed":
        rule["points"] = _points(d, low, 80)
    elif rule_type == "deduct_from_full":
        rule["full"] = _points(d, 0, 30)
        rule["deduct"] = Decimal(d.between(1, 40)) / 4
        rule["unit"] = "quantity" if d.chance(20) else None
    elif rule_type == "shortfall":
        rule["points"] = _points(d, low, 5 if negative else 10)
        rule["min_count"] = d.between(1, 3)
    rule["cap"], rule["floor"] = _bounds(d, low, 30)
    roles = sorted(vocab.roles)
    if d.chance(10):
        rule["roles"] = [d.pick(roles)]
    elif d.chance(10):
        rule["not_roles"] = [d.pick([r for r in roles if r != "member"] or roles)]
    return rule


_BAND_IDS = {2: ("pass", "fail"), 3: ("good", "pass", "fail"), 4: ("excellent", "good", "pass", "fail")}


def _bands(d: Dice) -> list[Dict]:
    """2–4 grade bands, best first, that neither overlap nor leave a gap."""
    count = d.between(2, 4)
    cuts = sorted({d.between(-20, 120) for _ in range(count - 1)}, reverse=True)
    ids = _BAND_IDS[len(cuts) + 1]
    bands: list[Dict] = []
    above_inclusive = False
    for i, band_id in enumerate(ids):
        band: Dict = {"id": band_id, "label": f"grade {band_id} / 等级{i}"}
        if i > 0:
            band["max"] = Decimal(cuts[i - 1])
            band["max_inclusive"] = not above_inclusive
        if i < len(cuts):
            above_inclusive = d.boolean()
            band["min"] = Decimal(cuts[i])
            band["min_inclusive"] = above_inclusive
        bands.append(band)
    return bands


def _gate(d: Dice, vocab: Vocabulary, kinds: Sequence[str], band_ids: Sequence[str]) -> list[str]:
    binding = d.boolean()
    out = _toml_table("[[gates]]", {
        "id": "gate", "label": "minimum / 门槛", "binding": binding,
        "fail_grade": d.pick(band_ids) if binding or d.chance(30) else None,
    })
    for j in range(d.between(1, 3)):
        req: Dict = {"id": f"q{j}", "label": f"requirement {j} / 要求{j}"}
        if d.chance(20):
            req["any_of"] = [
                {"id": f"q{j}a{k}", "label": f"alternative {k}", "match": _selector(d, vocab, kinds)} for k in range(2)
            ]
        else:
            req["match"] = _selector(d, vocab, kinds)
            req["min"] = d.between(1, 2)
        req["roles"] = [d.pick(sorted(vocab.roles))] if d.chance(15) else None
        out += _toml_table("[[gates.requirements]]", req)
    return out


def _extras(d: Dice, vocab: Vocabulary, kinds: Sequence[str], band_ids: Sequence[str], gate: bool) -> list[str]:
    """Optional escalation steps, ranking, a quota and notifications."""
    out: list[str] = []
    if d.chance(40):
        out += _toml_table("[[escalation]]", {
            "id": "low_total", "action": "talk", "action_label": "约谈", "level": 2,
            "trigger": {"type": "total_below", "value": _points(d, 0, 80), "periods": d.between(1, 2)},
        })
    if d.chance(20):
        out += _toml_table("[[escalation]]", {
            "id": "low_grade", "action": "remind", "action_label": "提醒", "level": 1,
            "trigger": {"type": "grade_in", "grades": [band_ids[-1]]},
        })
    if gate and d.chance(30):
        out += _toml_table("[[escalation]]", {
            "id": "gate_missed", "action": "notice", "action_label": "通知", "level": 0,
            "trigger": {"type": "gate_failed", "gate": "gate"},
        })
    if d.chance(20):
        out += _toml_table("[[escalation]]", {
            "id": "many_records", "action": "praise", "action_label": "表扬", "level": 0,
            "trigger": {"type": "records_at_least", "match": _selector(d, vocab, kinds), "count": d.between(1, 3),
                        "window": d.pick(("period", "term"))},
        })
    if d.chance(30):
        separate = ["standing_committee"] if "standing_committee" in vocab.roles and d.boolean() else []
        out += _toml_table("[ranking]", {
            "group_by": d.some(("sector", "committee", "group"), max_size=2), "separate_roles": separate,
        })
        if d.chance(50):
            out += _toml_table("[[quotas]]", {
                "id": "quota", "grade": band_ids[0], "max_share": Decimal(d.between(1, 4)) / 4,
                "demote_to": band_ids[1],
            })
    if d.chance(30):
        out += _toml_table("[[notifications]]", {
            "id": "notify", "recipient": "组织部", "send": d.pick(("all", "warnings", "grades")),
            "grades": [band_ids[-1]], "per_member_field": d.pick((None, "employer", "sector")),
        })
    return out


@st.composite
def rule_sets(
    draw: st.DrawFn,
    vocabulary: Vocabulary | RuleSet | None = None,
    *,
    max_categories: int = 4,
    max_rules: int = 6,
    negative: bool = True,
    kinds: Sequence[str] | None = None,
    extras: bool = True,
) -> str:
    """The TOML text of a small random rule set that compiles with :func:`scoring.parse_rule_set`.

    1–``max_categories`` categories with optional cap/floor; 1–``max_rules`` rules of the
    built-in types (per_unit, once, from_nth, status_points, lifecycle, fixed, deduct_from_full,
    shortfall) with small decimal points in steps of 0.25 (negative ones too, unless
    ``negative=False``), optional rule cap/floor, optional co-signer split and now and then a
    setting (published or not); an optional total cap/floor; 2–4 grade bands without overlap or
    gap; an optional gate (binding with a ``fail_grade``, or not). With ``extras``: sometimes
    escalation steps, ranking with a quota, notifications, a rounding policy (two places, at
    which every cap and floor is exact) and a date/service policy. Selectors use codes of
    ``vocabulary`` (default: the base vocabulary); compile the text with that same vocabulary.
    """
    vocab = _vocab(vocabulary)
    kind_codes = [k for k in (kinds if kinds is not None else sorted(vocab.kinds)) if k in vocab.kinds]
    if not kind_codes:
        raise ValueError(f"no known record kind among {kinds!r}")
    n_categories = draw(st.integers(min_value=1, max_value=max_categories))
    n_rules = draw(st.integers(min_value=1, max_value=max_rules))
    d = draw(dice(2048 + 1024 * n_rules))
    low = -20 if negative else 0
    number = d.roll(10000)
    head = _toml_table("[rule_set]", {
        "id": f"random-{number}", "version": "1", "title": f"random rule set {number} / 随机规则集",
    })
    body: list[str] = []
    if extras and d.chance(20):
        body += _toml_table("[rounding]", {
            "places": 2, "mode": d.pick(("half_up", "half_even", "down", "up")),
            "apply_to": d.pick(("total", "categories", "lines")),
        })
    if extras and d.chance(20):
        body += _toml_table("[policy]", {
            "date_basis": d.pick(("event", "scoring")),
            "min_service_days": d.between(30, 200) if d.boolean() else None,
        })
    cap, floor = _bounds(d, low, 150)
    if cap is not None or floor is not None:
        body += _toml_table("[total]", {"cap": cap, "floor": floor})
    categories = [f"c{i}" for i in range(1, n_categories + 1)]
    for cid in categories:
        c_cap, c_floor = _bounds(d, low, 60)
        body += _toml_table("[[categories]]", {
            "id": cid, "label": f"category {cid} / 类别{cid}", "cap": c_cap, "floor": c_floor,
        })
    settings: Dict = {}
    for i in range(1, n_rules + 1):
        body += _toml_table("[[rules]]", _rule(d, i, categories, vocab, kind_codes, negative, settings))
    bands = _bands(d)
    for band in bands:
        body += _toml_table("[[grades]]", band)
    band_ids = [b["id"] for b in bands]
    gate = d.chance(50)
    if gate:
        body += _gate(d, vocab, kind_codes, band_ids)
    if extras:
        body += _extras(d, vocab, kind_codes, band_ids, gate)
    if settings:
        head += _toml_table("[settings]", settings)
    return "\n".join(head + body)
