"""Concurrent use and reproducibility.

A compiled rule set is immutable and shared freely: scoring the same inputs from 8 threads at
once, or 8 rule sets in 8 threads, gives exactly the sequential results; registries and rule
sets can be built and loaded concurrently; the readers can run side by side. A JSON result
carries enough provenance to reproduce itself: load the rule set it names, check the
fingerprint, score again, get the same scorecards.
"""

from __future__ import annotations

import dataclasses
import threading
import warnings
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import MappingProxyType
from typing import Any, TypeVar

import pytest
from pydantic import ValidationError

from scoring import ActivityRecord, Member, Period, RuleSet, ScoringResult, load_rule_set, score
from scoring.io import read_members, read_records
from scoring.plugins import Registry

REPO = Path(__file__).resolve().parents[1]
CITY = REPO / "examples" / "city"
THREADS = 8
Y2024 = Period.year(2024)
T = TypeVar("T")


def _head(source: Path, target: Path, lines: int) -> Path:
    with source.open(encoding="utf-8-sig") as src:
        target.write_text("".join(line for _, line in zip(range(lines), src, strict=False)), encoding="utf-8")
    return target


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[Member], list[ActivityRecord]]:
    """The first 40 members of the example city and 800 records (some of other members)."""
    folder = tmp_path_factory.mktemp("city")
    members = read_members(_head(CITY / "members.csv", folder / "members.csv", 41))
    records = read_records(_head(CITY / "records.csv", folder / "records.csv", 801))
    return members, records


@pytest.fixture(scope="module")
def registry() -> Registry:
    return Registry.build()


def all_at_once(jobs: list[Callable[[], T]]) -> list[T]:
    """Run ``jobs`` in as many threads, released together by a barrier; results in job order."""
    barrier = threading.Barrier(len(jobs))

    def run(job: Callable[[], T]) -> T:
        barrier.wait()
        return job()

    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        return list(pool.map(run, jobs))


# --------------------------------------------------------------------------------------------
# immutability
# --------------------------------------------------------------------------------------------


def test_a_compiled_rule_set_cannot_be_changed(jinan: RuleSet) -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        jinan.fingerprint = "sha256:0"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        jinan.rules = ()  # type: ignore[misc]
    rule = jinan.rules[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        rule.params = None  # type: ignore[misc]
    frozen_models: list[Any] = [
        jinan.spec, jinan.spec.rule_set, jinan.spec.total, jinan.spec.rounding, jinan.spec.policy, jinan.spec.ranking,
        jinan.categories[0], jinan.grades[0], jinan.spec.gates[0], jinan.spec.gates[0].requirements[0],
        jinan.escalation[0], jinan.escalation[0].trigger, rule.spec, jinan.vocabulary,
    ]
    frozen_models += [r.params for r in jinan.rules if r.params is not None]
    frozen_models += [m.selector for r in jinan.rules for m in r.measures]
    for model in frozen_models:
        field = next(iter(type(model).model_fields))
        with pytest.raises(ValidationError, match="frozen"):
            setattr(model, field, getattr(model, field))
    assert all(isinstance(getattr(jinan.spec, name), tuple) for name in (
        "categories", "rules", "grades", "gates", "eligibility", "escalation", "quotas", "notifications", "choices"))
    for mapping in (jinan.steps_unavailable, jinan.categories_unavailable, jinan.requirements_unavailable):
        assert isinstance(mapping, MappingProxyType)
        with pytest.raises(TypeError):
            mapping["x"] = None  # type: ignore[index]


def test_a_rule_set_is_hashable_by_identity_and_equal_across_loads(rule_set_path: Callable[[str], Path]) -> None:
    first, second = (load_rule_set(rule_set_path("jinan-2015")) for _ in range(2))
    assert first.spec == second.spec and first.fingerprint == second.fingerprint


def test_the_mappings_inside_a_rule_set_cannot_be_changed(jinan: RuleSet, tongcheng: RuleSet) -> None:
    assert jinan.vocabulary is tongcheng.vocabulary  # one shared base vocabulary
    mappings: list[Any] = [jinan.vocabulary.roles, jinan.vocabulary.kinds, jinan.spec.settings]
    mappings += [r.params.points for r in tongcheng.rules if r.params is not None and hasattr(r.params, "points")
                 and isinstance(r.params.points, dict)]
    for mapping in mappings:
        try:
            mapping["__probe__"] = None
        except TypeError:
            continue
        del mapping["__probe__"]  # leave the shared object as it was
        pytest.fail(f"a {type(mapping).__name__} inside the rule set accepted a new key")


# --------------------------------------------------------------------------------------------
# scoring from many threads
# --------------------------------------------------------------------------------------------


def test_eight_threads_scoring_the_same_inputs_agree(
    jinan: RuleSet, city: tuple[list[Member], list[ActivityRecord]]
) -> None:
    members, records = city
    expected = score(jinan, members, records, Y2024).model_dump()
    results = all_at_once([lambda: score(jinan, members, records, Y2024)] * THREADS)
    assert all(r.model_dump() == expected for r in results)
    assert expected["accounting"]["rejected"] > 0  # records of members outside the subset


def test_eight_threads_each_with_another_rule_set(
    registry: Registry, city: tuple[list[Member], list[ActivityRecord]]
) -> None:
    members, records = city
    ids = sorted(registry.rule_sets)[:THREADS]
    assert len(ids) == THREADS
    rule_sets = [registry.load(rule_set_id) for rule_set_id in ids]
    expected = [score(rs, members, records, Y2024).model_dump() for rs in rule_sets]
    # every rule set twice, in a different order, so that each runs next to others
    jobs = [(lambda rs=rs: score(rs, members, records, Y2024)) for rs in [*rule_sets, *reversed(rule_sets)]]
    results = [r.model_dump() for r in all_at_once(jobs)]
    assert results == [*expected, *reversed(expected)]


def test_registries_and_rule_sets_built_concurrently_are_the_same(registry: Registry) -> None:
    built = all_at_once([Registry.build] * THREADS)
    assert all(dict(r.rule_sets) == dict(registry.rule_sets) for r in built)
    assert all(r.vocabulary == registry.vocabulary for r in built)
    ids = sorted(registry.rule_sets)
    loaded = all_at_once([(lambda r=r, i=i: r.load(ids[i % len(ids)]).fingerprint) for i, r in enumerate(built)])
    assert loaded == [registry.load(ids[i % len(ids)]).fingerprint for i in range(THREADS)]


def test_the_same_rule_set_loaded_in_eight_threads(registry: Registry) -> None:
    loaded = all_at_once([lambda: registry.load("tongcheng-2019-floored")] * THREADS)
    assert len({rs.fingerprint for rs in loaded}) == 1
    assert all(rs.spec == loaded[0].spec for rs in loaded)
    assert loaded[0].chain[0].endswith("tongcheng-2019.toml")


def test_readers_side_by_side(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["记录编号", "委员编号", "类型", "子类", "状态", "日期"])
    for i in range(100):
        sheet.append([f"R{i}", f"M{i % 7}", "会议", "全体会议", "出席", "2024-03-05"])
    xlsx = tmp_path / "records.xlsx"
    book.save(xlsx)
    csv = _head(CITY / "records.csv", tmp_path / "records.csv", 200)
    expected = {xlsx: read_records(xlsx), csv: read_records(csv)}
    results = all_at_once([(lambda p=p: read_records(p)) for p in [xlsx, csv] * (THREADS // 2)])
    assert results == [expected[p] for p in [xlsx, csv] * (THREADS // 2)]


def test_reading_workbooks_in_threads_leaves_the_warning_filters_alone(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    book.active.append(["id", "member_id", "kind", "date"])
    for i in range(50):
        book.active.append([f"R{i}", "M1", "meeting", "2024-03-05"])
    xlsx = tmp_path / "records.xlsx"
    book.save(xlsx)
    before = list(warnings.filters)
    for _ in range(5):
        all_at_once([lambda: read_records(xlsx)] * THREADS)
    after = list(warnings.filters)
    warnings.filters[:] = before  # whatever happened, do not leak it into other tests
    assert after == before


# --------------------------------------------------------------------------------------------
# reproducing a result from its provenance
# --------------------------------------------------------------------------------------------


def test_rescoring_from_the_provenance_of_a_json_result(
    registry: Registry, city: tuple[list[Member], list[ActivityRecord]], tmp_path: Path
) -> None:
    members, records = city
    first = score(registry.load("jinan-2015"), members, records, Y2024)
    out = tmp_path / "result.json"
    out.write_text(first.model_dump_json(indent=2), encoding="utf-8")

    # later, elsewhere: only the JSON file, the same inputs and the installed plugins
    saved = ScoringResult.model_validate_json(out.read_text(encoding="utf-8"))
    (provenance,) = {card.provenance for card in saved.scorecards}
    rule_set = Registry.build().load(provenance.rule_set_id)
    assert (rule_set.id, rule_set.version, rule_set.fingerprint) == (
        provenance.rule_set_id, provenance.rule_set_version, provenance.fingerprint)
    assert provenance.source == rule_set.source
    again = score(rule_set, members, records, provenance.period)
    assert again.scorecards == saved.scorecards
    assert again.accounting == saved.accounting
    assert again == saved


def test_a_changed_rule_file_is_caught_by_the_fingerprint(
    registry: Registry, city: tuple[list[Member], list[ActivityRecord]], tmp_path: Path
) -> None:
    members, records = city
    saved = score(registry.load("jinan-2015"), members[:5], records, Y2024)
    provenance = saved.scorecards[0].provenance
    source = Path(registry.rule_sets["jinan-2015"].path).read_text(encoding="utf-8")
    edited = tmp_path / "jinan-2015.toml"
    edited.write_text(source.replace("points = 70", "points = 71"), encoding="utf-8")
    changed = load_rule_set(edited)
    assert changed.id == provenance.rule_set_id and changed.version == provenance.rule_set_version
    assert changed.fingerprint != provenance.fingerprint
    # formatting alone does not change the fingerprint
    reformatted = tmp_path / "reformatted.toml"
    reformatted.write_text("# a comment\n" + source.replace("\n[", "\n\n# another comment\n["), encoding="utf-8")
    assert load_rule_set(reformatted).fingerprint == provenance.fingerprint
