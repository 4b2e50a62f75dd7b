"""Seeded synthetic CPPCC cities: members and a year of activity records.

The generator is fast, deterministic (same arguments → same output, byte for byte) and needs no
pydantic objects until asked for them, so millions of records can be streamed to CSV.

Shape of a city (see ``README.md`` in ``examples/city`` for the figures):

* ~20 sectors (界别), 8 special committees (专委会), ~10% standing-committee members (常委),
  term ``十五届``; a few members join at the plenary session, leave mid-year or are exempt.
* Structural records: one plenary-session record per member (mostly ``attended``); 4–6
  standing-committee meetings per 常委; a duty report per 常委 (and for ~25% of the others).
* Free records, spread over the year and weighted per member (some members are far more active
  than others): other meetings, proposals (sole / first / co with shared signers and a shared
  proposal number, key / excellent / sent_up flags), public-opinion reports (some adopted, some
  with a leader's instruction), activities of every subtype (written speeches ``listed``),
  livelihood deeds, research reports, study, awards with levels and rare disciplinary events.
* Data-quality noise: ~0.5% soft-deleted records and ~0.4% ``same_as`` duplicates.

Statuses that published rule sets leave unpriced are kept rare on purpose: plenary
``late_or_early`` ~1% and ``collective_main`` proposals ~0.5%.

Public API: :func:`plan_city`, :func:`iter_member_rows`, :func:`iter_record_rows`,
:func:`generate`, :func:`write_csv`, :data:`MEMBER_COLUMNS`, :data:`RECORD_COLUMNS`.
"""

from __future__ import annotations

import bisect
import csv
import datetime as dt
import itertools
import random
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Generic, TypeVar

from scoring import ActivityRecord, Member

Row = dict[str, Any]
"""A sparse row: canonical field names → native values (dates, tuples, ints, bools)."""

T = TypeVar("T")

MEMBER_COLUMNS: tuple[str, ...] = tuple(Member.model_fields)
RECORD_COLUMNS: tuple[str, ...] = tuple(ActivityRecord.model_fields)

DEFAULT_TERM = "十五届"

# --------------------------------------------------------------------------------------------
# Reference data
# --------------------------------------------------------------------------------------------

SECTORS: tuple[tuple[str, float], ...] = (
    ("中共", 9), ("民革", 3), ("民盟", 4), ("经济界", 10), ("教育界", 8), ("科技界", 6),
    ("医药卫生界", 7), ("文化艺术界", 5), ("农业界", 6), ("工商联", 8),
    ("社会福利和社会保障界", 4), ("少数民族界", 3), ("宗教界", 2), ("特邀人士", 6), ("共青团", 2),
    ("妇联", 3), ("新闻出版界", 3), ("体育界", 2), ("对外友好界", 2), ("港澳台侨", 3),
)

COMMITTEES: tuple[str, ...] = (
    "提案委员会", "经济委员会", "农业和农村委员会", "人口资源环境委员会", "教科卫体委员会",
    "社会和法制委员会", "民族宗教委员会", "文化文史和学习委员会",
)

PREFERRED_COMMITTEE: dict[str, str] = {
    "经济界": "经济委员会", "工商联": "经济委员会", "农业界": "农业和农村委员会",
    "教育界": "教科卫体委员会", "科技界": "教科卫体委员会", "医药卫生界": "教科卫体委员会",
    "体育界": "教科卫体委员会", "文化艺术界": "文化文史和学习委员会",
    "新闻出版界": "文化文史和学习委员会", "少数民族界": "民族宗教委员会", "宗教界": "民族宗教委员会",
    "社会福利和社会保障界": "社会和法制委员会", "妇联": "社会和法制委员会", "共青团": "社会和法制委员会",
    "民革": "提案委员会", "民盟": "提案委员会", "港澳台侨": "提案委员会", "对外友好界": "经济委员会",
    "中共": "人口资源环境委员会", "特邀人士": "人口资源环境委员会",
}

EMPLOYERS: dict[str, tuple[str, ...]] = {
    "中共": ("市委办公室", "市发展和改革委员会", "市自然资源和规划局", "某镇党委"),
    "民革": ("民革市委会", "市律师协会", "市城市建设投资公司"),
    "民盟": ("民盟市委会", "市第一中学", "市职业技术学院"),
    "经济界": ("市农村商业银行", "市国有资本投资运营公司", "某机械制造有限公司", "某新材料股份有限公司"),
    "教育界": ("市实验小学", "市第一中学", "市职业技术学院", "市教育体育局"),
    "科技界": ("市科学技术协会", "某电子科技有限公司", "市农业科学研究所"),
    "医药卫生界": ("市人民医院", "市中医院", "市疾病预防控制中心", "某镇卫生院"),
    "文化艺术界": ("市文化馆", "市图书馆", "市黄梅戏剧团", "市书法家协会"),
    "农业界": ("某家庭农场", "某农民专业合作社", "市农业农村局"),
    "工商联": ("市工商业联合会", "某商贸有限公司", "某建筑工程有限公司", "某食品有限公司"),
    "社会福利和社会保障界": ("市民政局", "市社会福利院", "市残疾人联合会"),
    "少数民族界": ("市民族宗教事务局", "某回族社区居委会"),
    "宗教界": ("市佛教协会", "市基督教两会"),
    "特邀人士": ("市人民法院", "市人民检察院", "市退役军人事务局", "某社区居委会"),
    "共青团": ("共青团市委", "市青年企业家协会"),
    "妇联": ("市妇女联合会", "某街道妇联"),
    "新闻出版界": ("市融媒体中心", "市新华书店"),
    "体育界": ("市体育运动学校", "市全民健身中心"),
    "对外友好界": ("市人民政府外事办公室", "某外贸进出口有限公司"),
    "港澳台侨": ("市归国华侨联合会", "市台湾同胞联谊会", "某港资企业"),
}

SURNAMES: tuple[tuple[str, float], ...] = tuple(
    (s, w) for s, w in zip(
        "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏"
        "魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚"
        "邵万钱严覃武戴莫孔向汤欧阳",
        itertools.chain((7.2, 7.1, 6.9, 5.4, 4.5, 3.1, 2.3, 2.2, 2.0, 1.9), itertools.repeat(1.0)),
        strict=False,
    )
)

GIVEN_CHARS = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建文辉力国庆志海波宁晓燕丹鹏飞斌宇"
    "浩凯俊峰雪琳颖倩婷欣怡佳慧瑞晨阳东林春梅立新永成宏亮德胜金荣光子云龙凤振家正学松"
)

TOPICS: tuple[str, ...] = (
    "乡村振兴", "优化营商环境", "居家养老服务", "义务教育均衡发展", "生态环境保护", "文旅融合发展",
    "基层医疗卫生", "老旧小区改造", "民营经济发展", "食品安全监管", "非物质文化遗产保护",
    "基层社会治理", "高校毕业生就业", "城乡公共交通", "科技创新平台建设", "农村饮水安全",
    "青少年心理健康", "历史文化街区保护", "中小企业融资", "垃圾分类",
)

AWARD_TITLES: tuple[str, ...] = (
    "优秀政协委员", "优秀提案者", "社情民意信息工作先进个人", "履职工作先进个人", "优秀调研成果奖",
)

DISCIPLINE_NOTES: dict[str, str] = {
    "criticism": "无故缺席会议 通报批评",
    "violation": "违纪违法 按规定处理",
    "other": "其他违反委员守则的情形",
}

EXEMPT_REASONS: tuple[str, ...] = ("长期病休", "挂职外地", "因公出国")

# --------------------------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------------------------


class Pick(Generic[T]):
    """A weighted choice with precomputed cumulative weights (faster than ``random.choices``)."""

    __slots__ = ("_cum", "_items", "_total")

    def __init__(self, weighted: Iterable[tuple[T, float]]) -> None:
        pairs = list(weighted)
        self._items = [item for item, _ in pairs]
        self._cum = list(itertools.accumulate(float(w) for _, w in pairs))
        self._total = self._cum[-1]

    def __call__(self, rng: random.Random) -> T:
        """Draw one item."""
        return self._items[bisect.bisect_right(self._cum, rng.random() * self._total)]


def _chance(rng: random.Random, p: float) -> bool:
    return rng.random() < p


_PLENARY_STATUS = Pick([
    ("attended", 90.0), ("leave_approved", 7.5), ("absent_unexcused", 1.0),
    ("leave_not_approved", 0.5), ("late_or_early", 1.0),
])
_STANDING_STATUS = Pick([
    ("attended", 88.0), ("leave_approved", 9.0), ("absent_unexcused", 2.0), ("leave_not_approved", 1.0),
])
_MEETING_STATUS = Pick([
    ("attended", 86.0), ("leave_approved", 10.0), ("absent_unexcused", 2.0),
    ("leave_not_approved", 1.0), ("late_or_early", 1.0),
])
_MEETING_SUBTYPE = Pick([("consultation", 25.0), ("committee", 35.0), ("group_discussion", 25.0), ("other", 15.0)])
_PROPOSAL_SHAPE = Pick([("sole", 47.0), ("joint", 52.5), ("collective_main", 0.5)])
_SIGNERS = Pick([(2, 40.0), (3, 30.0), (4, 15.0), (5, 10.0), (6, 2.0), (7, 1.5), (8, 1.0), (10, 0.5)])
_PROPOSAL_STATUS = Pick([
    ("registered", 70.0), ("not_registered", 12.0), ("submitted", 6.0), ("converted", 7.0), ("returned", 5.0),
])
_ADOPTION_LEVEL = Pick([("city", 55.0), ("prefecture", 25.0), ("provincial", 15.0), ("national", 5.0)])
_AWARD_LEVEL = Pick([("city", 60.0), ("prefecture", 25.0), ("provincial", 12.0), ("national", 3.0)])
_ACTIVITY_SUBTYPE = Pick([
    ("research", 28.0), ("inspection", 16.0), ("supervision", 6.0), ("forum", 12.0), ("speech_oral", 4.0),
    ("speech_written", 6.0), ("training", 12.0), ("commemoration", 5.0), ("material_collection", 3.0),
    ("public_welfare", 8.0), ("liaison", 8.0), ("online_deliberation", 6.0), ("other", 4.0),
])
_DEED_SUBTYPE = Pick([
    ("livelihood", 35.0), ("public_welfare", 25.0), ("wenshi_material", 5.0),
    ("key_enterprise_project", 10.0), ("household_pairing", 15.0), ("other", 10.0),
])
_DEED_STATUS = Pick([("completed", 80.0), ("in_progress", 20.0)])
_STUDY_SUBTYPE = Pick([("notebook", 40.0), ("reflection_article", 35.0), ("reading", 25.0)])
_DISCIPLINE_SUBTYPE = Pick([("criticism", 70.0), ("other", 25.0), ("violation", 5.0)])
_KIND = Pick([
    ("meeting", 16.0), ("proposal", 7.0), ("opinion", 12.0), ("activity", 40.0), ("deed", 7.0),
    ("report", 3.0), ("study", 8.0), ("award", 1.2), ("discipline", 0.05),
])
_SURNAME = Pick(SURNAMES)

P_DELETED = 0.005
P_SAME_AS = 0.004
P_STANDING = 0.10

# Notes are formatted once and shared, so millions of records do not hold millions of strings.
_NOTES: dict[str, tuple[str, ...]] = {
    "proposal": tuple(f"关于{t}的提案" for t in TOPICS),
    "opinion": tuple(f"关于{t}的社情民意信息" for t in TOPICS),
    "research": tuple(f"{t}专题调研" for t in TOPICS),
    "inspection": tuple(f"{t}专项视察" for t in TOPICS),
    "supervision": tuple(f"{t}民主监督" for t in TOPICS),
    "forum": tuple(f"{t}座谈会" for t in TOPICS),
    "research_report": tuple(f"{t}调研报告" for t in TOPICS),
}


# --------------------------------------------------------------------------------------------
# The city plan: calendar and members
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Calendar:
    """The year's days and fixed meeting dates of one city."""

    year: int
    days: tuple[dt.date, ...]
    plenary: dt.date
    standing: tuple[dt.date, ...]

    def index(self, day: dt.date) -> int:
        """Day-of-year index (0-based) of ``day``."""
        return (day - self.days[0]).days


@dataclass(slots=True)
class Person:
    """Everything the record generator needs to know about one member."""

    row: Row
    id: str
    sector: str
    standing: bool
    first_day: int
    last_day: int
    weight: float
    standing_meetings: int = 0
    duty_report: bool = False


@dataclass(frozen=True)
class City:
    """A planned synthetic city: its calendar and members (records are generated on demand)."""

    seed: int
    calendar: Calendar
    term: str
    people: tuple[Person, ...]
    by_sector: dict[str, tuple[int, ...]] = field(repr=False)

    def structural_count(self) -> int:
        """Records every city of this plan has regardless of the record budget."""
        return sum(1 + p.standing_meetings + p.duty_report for p in self.people)


def _calendar(rng: random.Random, year: int) -> Calendar:
    first = dt.date(year, 1, 1)
    n_days = (dt.date(year + 1, 1, 1) - first).days
    days = tuple(first + dt.timedelta(d) for d in range(n_days))
    plenary = dt.date(year, 1, 6 + rng.randrange(10))
    standing = tuple(dt.date(year, month, 10 + rng.randrange(15)) for month in (2, 4, 6, 8, 10, 12))
    return Calendar(year=year, days=days, plenary=plenary, standing=standing)


def _name(rng: random.Random) -> str:
    given = rng.choice(GIVEN_CHARS)
    if _chance(rng, 0.7):
        given += rng.choice(GIVEN_CHARS)
    return _SURNAME(rng) + given


def _committee(rng: random.Random, sector: str) -> str | None:
    draw = rng.random()
    if draw < 0.5:
        return PREFERRED_COMMITTEE[sector]
    if draw < 0.92:
        return rng.choice(COMMITTEES)
    return None


def _roles(rng: random.Random) -> tuple[str, ...]:
    roles = ["member"]
    if _chance(rng, P_STANDING):
        roles.append("standing_committee")
    if _chance(rng, 0.15):
        roles.append("core")
    if _chance(rng, 0.03):
        roles.append("convener")
    return tuple(sorted(roles))


def _person(rng: random.Random, cal: Calendar, term: str, number: int, width: int) -> Person:
    sector = _SECTOR(rng)
    roles = _roles(rng)
    standing = "standing_committee" in roles
    row: Row = {
        "id": f"M{number:0{width}d}", "name": _name(rng), "sector": sector,
        "committee": _committee(rng, sector), "group": f"{sector}组",
        "employer": rng.choice(EMPLOYERS[sector]), "roles": roles,
        "joined": dt.date(cal.year - 2, 1, 10), "term": term,
    }
    first_day, last_day = 0, len(cal.days) - 1
    draw = rng.random()
    if draw < 0.05:  # 增补委员: elected at this year's plenary session
        row["joined"] = cal.plenary
        first_day = cal.index(cal.plenary)
    elif draw < 0.07:  # left during the year
        last_day = rng.randrange(cal.index(dt.date(cal.year, 6, 1)), cal.index(dt.date(cal.year, 11, 30)))
        row["left"] = cal.days[last_day]
    exempt = _chance(rng, 0.01)
    if exempt:
        row["exempt"] = rng.choice(EXEMPT_REASONS)
    span = (last_day - first_day + 1) / len(cal.days)
    weight = rng.lognormvariate(0.0, 0.5) * (1.3 if standing else 1.0) * (0.3 if exempt else 1.0) * span
    person = Person(row=row, id=row["id"], sector=sector, standing=standing, first_day=first_day,
                    last_day=last_day, weight=weight)
    if standing:
        person.standing_meetings = min(4 + rng.randrange(3), _standing_in(cal, person))
        person.duty_report = True
    else:
        person.duty_report = _chance(rng, 0.25)
    return person


def _standing_in(cal: Calendar, person: Person) -> int:
    return sum(person.first_day <= cal.index(d) <= person.last_day for d in cal.standing)


_SECTOR = Pick(SECTORS)


def plan_city(n_members: int, seed: int = 0, year: int = 2024, term: str = DEFAULT_TERM) -> City:
    """Plan a city of ``n_members`` members for ``year`` (deterministic in its arguments)."""
    if n_members < 1:
        raise ValueError("n_members must be at least 1")
    rng = random.Random(f"scoring-synthetic:{seed}:{year}:members")
    cal = _calendar(rng, year)
    width = max(4, len(str(n_members)))
    people = tuple(_person(rng, cal, term, n, width) for n in range(1, n_members + 1))
    by_sector: dict[str, list[int]] = {}
    for i, p in enumerate(people):
        by_sector.setdefault(p.sector, []).append(i)
    return City(seed=seed, calendar=cal, term=term, people=people,
                by_sector={s: tuple(ix) for s, ix in by_sector.items()})


def iter_member_rows(city: City) -> Iterator[Row]:
    """The members of ``city`` as sparse rows, in id order."""
    for person in city.people:
        yield person.row


# --------------------------------------------------------------------------------------------
# Records
# --------------------------------------------------------------------------------------------


class _Records:
    """Generates the records of one city; a single pass over :meth:`rows`."""

    def __init__(self, city: City, n_records: int) -> None:
        self.city = city
        self.cal = city.calendar
        self.rng = random.Random(f"scoring-synthetic:{city.seed}:{city.calendar.year}:records")
        self.n_records = n_records
        self.next_id = 0
        self.next_proposal = 0
        self.width = max(6, len(str(n_records)))
        self.prefix = f"R{self.cal.year}-"

    # -- ids and dates -----------------------------------------------------------------------

    def _new(self, person: Person, kind: str, date: dt.date, **fields: Any) -> Row:
        self.next_id += 1
        row: Row = {"id": f"{self.prefix}{self.next_id:0{self.width}d}", "member_id": person.id,
                    "kind": kind, "date": date}
        row.update(fields)
        return row

    def _day(self, person: Person) -> dt.date:
        return self.cal.days[self.rng.randint(person.first_day, person.last_day)]

    def _session_day(self) -> dt.date:
        return self.cal.days[self.cal.index(self.cal.plenary) + self.rng.randrange(4)]

    def _later(self, day: dt.date, low: int, high: int) -> dt.date:
        return day + dt.timedelta(self.rng.randint(low, high))

    # -- structural records ------------------------------------------------------------------

    def structural(self, person: Person) -> Iterator[Row]:
        """Plenary attendance, standing-committee meetings and the duty report of ``person``."""
        rng = self.rng
        yield self._new(person, "meeting", self.cal.plenary, subtype="plenary", status=_PLENARY_STATUS(rng))
        if person.standing_meetings:
            held = [d for d in self.cal.standing if person.first_day <= self.cal.index(d) <= person.last_day]
            for day in sorted(rng.sample(held, person.standing_meetings)):
                yield self._new(person, "meeting", day, subtype="standing_committee",
                                status=_STANDING_STATUS(rng))
        if person.duty_report:
            low = max(person.first_day, self.cal.index(dt.date(self.cal.year, 11, 15)))
            low = low if low <= person.last_day else person.first_day
            day = self.cal.days[rng.randint(low, person.last_day)]
            yield self._new(person, "report", day, subtype="duty_report", status="submitted")

    # -- free records, one maker per kind ----------------------------------------------------

    def meeting(self, person: Person) -> Row:
        """A consultation, committee, group-discussion or other meeting."""
        return self._new(person, "meeting", self._day(person), subtype=_MEETING_SUBTYPE(self.rng),
                         status=_MEETING_STATUS(self.rng))

    def opinion(self, person: Person) -> Row:
        """A public-opinion report, submitted or adopted (some with a leader's instruction)."""
        rng = self.rng
        day = self._day(person)
        row = self._new(person, "opinion", day, status="submitted", note=rng.choice(_NOTES["opinion"]))
        if _chance(rng, 0.36):
            row.update(status="adopted", level=_ADOPTION_LEVEL(rng), scored_on=self._later(day, 5, 40))
            if _chance(rng, 0.15):
                row["flags"] = ("instructed",)
        return row

    def activity(self, person: Person) -> Row:
        """A duty activity of any subtype; written speeches are often listed in meeting papers."""
        rng = self.rng
        subtype = _ACTIVITY_SUBTYPE(rng)
        row = self._new(person, "activity", self._day(person), subtype=subtype, status="attended")
        if subtype == "speech_written" and _chance(rng, 0.5):
            row["flags"] = ("listed",)
        notes = _NOTES.get(subtype)
        if notes is not None:
            row["note"] = rng.choice(notes)
        return row

    def deed(self, person: Person) -> Row:
        """A livelihood deed (民生实事)."""
        return self._new(person, "deed", self._day(person), subtype=_DEED_SUBTYPE(self.rng),
                         status=_DEED_STATUS(self.rng))

    def report(self, person: Person) -> Row:
        """A research report, submitted or adopted."""
        rng = self.rng
        status = "adopted" if _chance(rng, 0.3) else "submitted"
        return self._new(person, "report", self._day(person), subtype="research_report", status=status,
                         note=rng.choice(_NOTES["research_report"]))

    def study(self, person: Person) -> Row:
        """A study notebook, reflection article or reading."""
        return self._new(person, "study", self._day(person), subtype=_STUDY_SUBTYPE(self.rng))

    def award(self, person: Person) -> Row:
        """An award with its level."""
        return self._new(person, "award", self._day(person), level=_AWARD_LEVEL(self.rng),
                         note=self.rng.choice(AWARD_TITLES))

    def discipline(self, person: Person) -> Row:
        """A (rare) disciplinary event."""
        subtype = _DISCIPLINE_SUBTYPE(self.rng)
        return self._new(person, "discipline", self._day(person), subtype=subtype,
                         note=DISCIPLINE_NOTES[subtype])

    def proposal(self, lead: Person, slots: int) -> list[Row]:
        """One proposal: a sole or collective one, or a joint one with a record per signer.

        A joint proposal uses up to ``slots`` records (the lead's remaining budget); co-signers
        are drawn mostly from the lead's sector.
        """
        rng = self.rng
        shape = _PROPOSAL_SHAPE(rng)
        signers = min(_SIGNERS(rng), slots, len(self.city.people)) if shape == "joint" else 1
        if shape == "joint" and signers < 2:
            shape = "sole"
        day = self._session_day() if shape == "joint" or _chance(rng, 0.65) else self._day(lead)
        self.next_proposal += 1
        note = f"{rng.choice(_NOTES['proposal'])} 第{self.next_proposal}号"
        shared: Row = {"status": _PROPOSAL_STATUS(rng), "note": note}
        if shared["status"] != "submitted":
            shared["scored_on"] = self._later(day, 10, 60)
        if shared["status"] == "registered":
            flags = [f for f, p in (("key", 0.04), ("excellent", 0.03), ("sent_up", 0.02)) if _chance(rng, p)]
            if flags:
                shared["flags"] = tuple(flags)
        if shape != "joint":
            return [self._new(lead, "proposal", day, role=shape, **shared)]
        rows = [self._new(lead, "proposal", day, role="first", signers=signers, **shared)]
        for other in self._co_signers(lead, signers - 1):
            rows.append(self._new(other, "proposal", day, role="co", signers=signers, **shared))
        return rows

    def _co_signers(self, lead: Person, n: int) -> list[Person]:
        people = self.city.people
        chosen: dict[str, Person] = {}
        same = self.city.by_sector[lead.sector]
        while len(chosen) < n:
            pool = same if len(same) > n + 1 and _chance(self.rng, 0.6) else range(len(people))
            other = people[self.rng.choice(pool)]
            if other is not lead:
                chosen.setdefault(other.id, other)
        return list(chosen.values())

    # -- the pass ----------------------------------------------------------------------------

    def _slots(self, budget: int) -> list[int]:
        people = self.city.people
        counts = [0] * len(people)
        cum = list(itertools.accumulate(p.weight for p in people))
        for i in self.rng.choices(range(len(people)), cum_weights=cum, k=budget):
            counts[i] += 1
        return counts

    def _free(self, person: Person, slots: int) -> Iterator[Row]:
        rng = self.rng
        while slots > 0:
            kind = _KIND(rng)
            batch = self.proposal(person, slots) if kind == "proposal" else [getattr(self, kind)(person)]
            slots -= len(batch)
            for row in batch:
                if _chance(rng, P_DELETED):
                    row["deleted"] = True
                yield row
            if slots > 0 and not batch[0].get("deleted") and _chance(rng, P_SAME_AS):
                slots -= 1
                copy = dict(batch[0])
                self.next_id += 1
                copy.update(id=f"{self.prefix}{self.next_id:0{self.width}d}", same_as=batch[0]["id"])
                yield copy

    def rows(self) -> Iterator[Row]:
        """Every record: each member's structural records, then its share of the free budget."""
        budget = self.n_records - self.city.structural_count()
        if budget < 0:
            raise ValueError(
                f"n_records={self.n_records} is below the {self.city.structural_count()} structural "
                "records (plenary, standing-committee meetings, duty reports) of this city"
            )
        for person, slots in zip(self.city.people, self._slots(budget), strict=True):
            yield from self.structural(person)
            yield from self._free(person, slots)


def iter_record_rows(city: City, n_records: int) -> Iterator[Row]:
    """Exactly ``n_records`` sparse record rows for ``city`` (deterministic)."""
    return _Records(city, n_records).rows()


# --------------------------------------------------------------------------------------------
# Pydantic models and CSV
# --------------------------------------------------------------------------------------------


def generate(
    n_members: int, n_records: int, seed: int = 0, year: int = 2024
) -> tuple[list[Member], list[ActivityRecord]]:
    """A synthetic city as validated :class:`Member` and :class:`ActivityRecord` objects."""
    city = plan_city(n_members, seed, year)
    members = [Member(**row) for row in iter_member_rows(city)]
    records = [ActivityRecord(**row) for row in iter_record_rows(city, n_records)]
    return members, records


_RECORD_DEFAULTS: Row = {"signers": 1, "flags": (), "quantity": Decimal(1), "deleted": False}
_MEMBER_DEFAULTS: Row = {"roles": ("member",)}


def _cell(value: object) -> str:
    """Canonical CSV text of a value: ISO dates, ',' joined codes, true/false, '' for None."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple):
        return ",".join(sorted(value))
    return str(value)


def write_rows(path: Path, columns: Sequence[str], rows: Iterable[Row], defaults: Row) -> int:
    """Write ``rows`` to ``path`` as UTF-8 CSV with ``columns`` as header; return the row count."""
    n = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow([_cell(row.get(c, defaults.get(c))) for c in columns])
            n += 1
    return n


def write_csv(
    directory: str | Path, n_members: int, n_records: int, seed: int = 0, year: int = 2024
) -> tuple[Path, Path]:
    """Stream a synthetic city to ``directory``/members.csv and records.csv (canonical columns)."""
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    city = plan_city(n_members, seed, year)
    members_csv, records_csv = out / "members.csv", out / "records.csv"
    write_rows(members_csv, MEMBER_COLUMNS, iter_member_rows(city), _MEMBER_DEFAULTS)
    write_rows(records_csv, RECORD_COLUMNS, iter_record_rows(city, n_records), _RECORD_DEFAULTS)
    return members_csv, records_csv
