"""Loading a rule set: parse, apply overlays, resolve settings, validate, cross-check, compile.

Every problem found is collected and raised together as one :class:`RuleSetError` naming the
file and key path of each, so an author fixes a rule file in one pass.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from itertools import pairwise
from pathlib import Path
from types import MappingProxyType
from typing import Any

from pydantic import ValidationError

from ..errors import Problem, RuleSetError, did_you_mean
from ..rules import builtin_rule_types
from ..rules.base import RuleType
from ..selectors import Selector
from ..text import Text
from ..vocabulary import Vocabulary, base_vocabulary
from .compiled import CompiledRule, RuleSet, fingerprint_of
from .raw import RawRuleSet, Resolver, SettingUse, flatten_extends, parse_toml, read_toml, resolve_settings
from .schema import GradeBand, RuleSetSpec, RuleSpec
from .validation import key_path, problems_from

RuleTypes = Mapping[str, RuleType]  # type: ignore[type-arg]


def load_rule_set(
    path: str | Path,
    *,
    rule_types: Iterable[RuleType] | None = None,  # type: ignore[type-arg]
    vocabulary: Vocabulary | None = None,
    resolve: Resolver | None = None,
) -> RuleSet:
    """Load a rule file (and the bases it extends) into a compiled :class:`RuleSet`.

    ``rule_types`` and ``vocabulary`` default to the built-ins; the plugin manager passes the
    ones registered by plugins. ``resolve`` finds a base rule set by id for ``extends``.
    """
    return compile_raw(read_toml(Path(path)), rule_types=rule_types, vocabulary=vocabulary, resolve=resolve)


def parse_rule_set(
    text: str,
    *,
    source: str = "<string>",
    rule_types: Iterable[RuleType] | None = None,  # type: ignore[type-arg]
    vocabulary: Vocabulary | None = None,
    resolve: Resolver | None = None,
) -> RuleSet:
    """Like :func:`load_rule_set`, from TOML text."""
    return compile_raw(parse_toml(text, source), rule_types=rule_types, vocabulary=vocabulary, resolve=resolve)


def compile_raw(
    raw: RawRuleSet,
    *,
    rule_types: Iterable[RuleType] | None = None,  # type: ignore[type-arg]
    vocabulary: Vocabulary | None = None,
    resolve: Resolver | None = None,
    origin: str | None = None,
) -> RuleSet:
    """Compile an already parsed rule file; ``origin`` (e.g. a plugin distribution) goes into
    provenance instead of the file path."""
    types_by_name = {rt.name: rt for rt in (rule_types if rule_types is not None else builtin_rule_types())}
    merged, chain = flatten_extends(raw, resolve)
    file = raw.source
    resolved, use = resolve_settings(merged, file)
    try:
        spec = RuleSetSpec.model_validate(resolved)
    except ValidationError as exc:
        raise RuleSetError(problems_from(exc, file=file, data=resolved, model=RuleSetSpec)) from None

    problems: list[Problem] = []
    vocab = _vocabulary(spec, vocabulary or base_vocabulary(), file, problems)
    unresolved_text = {
        owner: _unpublished(spec, names) for owner, names in use.unresolved.items()
    }
    rules = tuple(
        _compile_rule(i, r, types_by_name, vocab, file, resolved, unresolved_text.get(("rules", i)), problems)
        for i, r in enumerate(spec.rules)
    )
    _check_ids(spec, file, problems)
    _check_references(spec, vocab, file, resolved, problems)
    grade_settings = [n for (arr, _), names in use.unresolved.items() if arr == "grades" for n in names]
    grades_unavailable = _unpublished(spec, grade_settings) if grade_settings else None
    if grades_unavailable is None:
        _check_bands(spec.grades, file, problems)
    if problems:
        raise RuleSetError(problems)
    return RuleSet(
        spec=spec,
        vocabulary=vocab,
        rules=rules,
        fingerprint=fingerprint_of(spec),
        source=origin or file,
        chain=chain,
        grades_unavailable=grades_unavailable,
        steps_unavailable=MappingProxyType(
            {spec.escalation[i].id: text for (arr, i), text in unresolved_text.items() if arr == "escalation"}
        ),
        categories_unavailable=MappingProxyType(
            {spec.categories[i].id: text for (arr, i), text in unresolved_text.items() if arr == "categories"}
        ),
        requirements_unavailable=MappingProxyType(_requirements_unavailable(spec, use)),
        eligibility_unavailable=MappingProxyType(
            {spec.eligibility[i].id: text for (arr, i), text in unresolved_text.items() if arr == "eligibility"}
        ),
        quotas_unavailable=MappingProxyType(
            {spec.quotas[i].id: text for (arr, i), text in unresolved_text.items() if arr == "quotas"}
        ),
    )


def _requirements_unavailable(spec: RuleSetSpec, use: SettingUse) -> dict[str, Text]:
    """``gate.requirement`` ids whose threshold depends on an unpublished setting."""
    out: dict[str, Text] = {}
    for (array, i), paths in use.paths.items():
        if array != "gates":
            continue
        gate = spec.gates[i]
        for j, req in enumerate(gate.requirements):
            names = [
                name for path, name in zip(paths, use.unresolved[(array, i)], strict=True)
                if path.startswith(f"gates[{i}].requirements[{j}]")
            ]
            if names:
                out[f"{gate.id}.{req.id}"] = _unpublished(spec, names)
    return out


def _unpublished(spec: RuleSetSpec, names: Sequence[str]) -> Text:
    labels = [f"{spec.settings[n].label.get('zh')}（{n}）" for n in sorted(set(names))]
    labels_en = [f"{spec.settings[n].label.get('en')} ({n})" for n in sorted(set(names))]
    return Text(
        zh="依赖未公布的数值：" + "、".join(labels),
        en="depends on unpublished values: " + ", ".join(labels_en),
    )


def _vocabulary(spec: RuleSetSpec, base: Vocabulary, file: str, problems: list[Problem]) -> Vocabulary:
    if not spec.vocabulary:
        return base
    try:
        return base.extended(spec.vocabulary)
    except ValidationError as exc:
        problems += problems_from(exc, file=file, data=spec.vocabulary, model=Vocabulary, prefix="vocabulary")
        return base


def _compile_rule(
    index: int,
    rule: RuleSpec,
    types_by_name: RuleTypes,
    vocab: Vocabulary,
    file: str,
    data: Mapping[str, Any],
    unavailable: Text | None,
    problems: list[Problem],
) -> CompiledRule:
    where = key_path(("rules", index), data)
    if rule.match is not None:
        _check_selector(rule.match, vocab, file, f"{where}.match", problems)
    rule_type = types_by_name.get(rule.type)
    if rule_type is None:
        problems.append(Problem(
            f"未知的规则类型 '{rule.type}'", f"unknown rule type '{rule.type}'", file=file, key=f"{where}.type",
            expected=f"one of: {', '.join(sorted(types_by_name))}", hint=did_you_mean(rule.type, types_by_name),
        ))
        return CompiledRule(rule, _Placeholder(), None, ())
    if rule_type.needs_match and rule.match is None:
        problems.append(Problem(
            f"规则类型 '{rule.type}' 需要 match", f"rule type '{rule.type}' needs a match table",
            file=file, key=f"{where}.match", expected='e.g. match = { kind = "proposal" }',
        ))
        return CompiledRule(rule, rule_type, None, ())
    try:
        params = rule_type.parse(rule.params)
    except ValidationError as exc:
        problems += problems_from(
            exc, file=file, data=rule.params, model=rule_type.Params, prefix=where
        )
        return CompiledRule(rule, rule_type, None, ())
    try:
        measures = rule_type.measures(params, rule.match)
    except (ValidationError, ValueError) as exc:
        problems.append(Problem(
            "规则参数无法生成匹配条件", "rule parameters do not form valid match conditions",
            file=file, key=where, found=str(exc).splitlines()[0],
        ))
        return CompiledRule(rule, rule_type, params, ())
    for m in measures:
        if m.selector != rule.match:
            _check_selector(m.selector, vocab, file, f"{where}.match", problems)
    if rule.match is not None and rule.match.kind in vocab.kinds:
        for param, field, code in rule_type.codes(params):
            allowed = vocab.allowed(rule.match.kind, field)  # type: ignore[arg-type]
            _check_code(code, allowed, f"{rule.match.kind} {field}", file, f"{where}.{param}", problems)
    for role in (*rule.roles, *rule.not_roles):
        _check_code(role, vocab.roles, "member role", file, f"{where}.roles", problems)
    return CompiledRule(rule, rule_type, params, measures, unavailable)


class _Placeholder(RuleType):  # type: ignore[type-arg]
    """Stands in for an unknown rule type while the remaining problems are collected."""

    name = "<unknown>"
    label = Text(zh="未知", en="unknown")

    def measures(self, params: Any, match: Selector | None) -> tuple[()]:
        return ()

    def evaluate(self, params: Any, tallies: Any) -> Any:
        raise NotImplementedError


def _check_selector(sel: Selector, vocab: Vocabulary, file: str, key: str, problems: list[Problem]) -> None:
    if sel.kind not in vocab.kinds:
        _check_code(sel.kind, vocab.kinds, "record kind", file, f"{key}.kind", problems)
        return
    for field in ("subtype", "status", "role", "level"):
        allowed = vocab.allowed(sel.kind, field)
        for code in getattr(sel, field) or ():
            _check_code(code, allowed, f"{sel.kind} {field}", file, f"{key}.{field}", problems)
    flags = vocab.allowed(sel.kind, "flags")
    for code in (*sel.flags, *sel.not_flags):
        _check_code(code, flags, f"{sel.kind} flag", file, f"{key}.flags", problems)


def _check_code(
    code: str, allowed: Mapping[str, object], what: str, file: str, key: str, problems: list[Problem]
) -> None:
    if code not in allowed:
        problems.append(Problem(
            f"未知的{_ZH.get(what.split()[-1], what)} '{code}'", f"unknown {what} '{code}'", file=file, key=key,
            expected=f"one of: {', '.join(allowed) or '(none defined)'}", hint=did_you_mean(code, allowed),
        ))


_ZH = {
    "kind": "记录类型", "subtype": "子类", "status": "状态", "role": "角色", "level": "级别", "flag": "标记",
    "category": "类别", "grade": "等级", "gate": "门槛",
}


def _check_ids(spec: RuleSetSpec, file: str, problems: list[Problem]) -> None:
    for array in ("categories", "rules", "grades", "gates", "eligibility", "escalation", "quotas", "notifications"):
        seen: set[str] = set()
        for i, entry in enumerate(getattr(spec, array)):
            if entry.id in seen:
                problems.append(Problem(
                    f"重复的 id '{entry.id}'", f"duplicate id '{entry.id}'", file=file, key=f"{array}[{i}].id"
                ))
            seen.add(entry.id)


def _check_references(
    spec: RuleSetSpec, vocab: Vocabulary, file: str, data: Mapping[str, Any], problems: list[Problem]
) -> None:
    categories = {c.id for c in spec.categories}
    grades = {g.id for g in spec.grades}
    gates = {g.id for g in spec.gates}

    def ref(value: str, allowed: set[str], what: str, key: str) -> None:
        if value not in allowed:
            problems.append(Problem(
                f"引用了不存在的{_ZH.get(what, what)} '{value}'", f"reference to an undefined {what} '{value}'",
                file=file, key=key,
                expected=f"one of: {', '.join(sorted(allowed)) or '(none defined)'}", hint=did_you_mean(value, allowed),
            ))

    for i, rule in enumerate(spec.rules):
        ref(rule.category, categories, "category", f"{key_path(('rules', i), data)}.category")
    for i, gate in enumerate(spec.gates):
        where = key_path(("gates", i), data)
        if gate.fail_grade is not None:
            ref(gate.fail_grade, grades, "grade", f"{where}.fail_grade")
        for j, req in enumerate(gate.requirements):
            for alt in req.any_of or (req,):
                if alt.match is not None:
                    _check_selector(alt.match, vocab, file, f"{where}.requirements[{j}].match", problems)
            for role in req.roles:
                _check_code(role, vocab.roles, "member role", file, f"{where}.requirements[{j}].roles", problems)
    for i, step in enumerate(spec.escalation):
        where = f"{key_path(('escalation', i), data)}.trigger"
        trig = step.trigger
        if trig.type == "grade_in":
            for g in trig.grades:
                ref(g, grades, "grade", f"{where}.grades")
        elif trig.type == "gate_failed":
            ref(trig.gate, gates, "gate", f"{where}.gate")
        elif trig.type == "records_at_least":
            _check_selector(trig.match, vocab, file, f"{where}.match", problems)
    for i, quota in enumerate(spec.quotas):
        ref(quota.grade, grades, "grade", f"quotas[{i}].grade")
        ref(quota.demote_to, grades, "grade", f"quotas[{i}].demote_to")
    for i, elig in enumerate(spec.eligibility):
        for g in elig.requires_gates:
            ref(g, gates, "gate", f"eligibility[{i}].requires_gates")
    for i, note in enumerate(spec.notifications):
        for g in note.grades:
            ref(g, grades, "grade", f"notifications[{i}].grades")
    for i, role in enumerate(spec.ranking.separate_roles):
        _check_code(role, vocab.roles, "member role", file, f"ranking.separate_roles[{i}]", problems)


def _check_bands(bands: Sequence[GradeBand], file: str, problems: list[Problem]) -> None:
    """Bands, best first, must neither overlap nor leave a gap between neighbours."""
    for i, (upper, lower) in enumerate(pairwise(bands)):
        if upper.min is None or lower.max is None:
            problems.append(Problem(
                f"等级 '{upper.id}' 与 '{lower.id}' 之间缺少边界",
                f"no boundary between grades '{upper.id}' and '{lower.id}'",
                file=file, key=f"grades[{i}]", expected="upper band has min and lower band has max, best band first",
            ))
            continue
        if upper.min != lower.max or upper.min_inclusive == lower.max_inclusive:
            overlap = upper.min < lower.max or (upper.min == lower.max and upper.min_inclusive and lower.max_inclusive)
            zh = "重叠" if overlap else "之间有空档"
            en = "overlap" if overlap else "leave a gap"
            problems.append(Problem(
                f"等级 '{upper.id}' 与 '{lower.id}' {zh}", f"grades '{upper.id}' and '{lower.id}' {en}",
                file=file, key=f"grades[{i + 1}].max",
                expected=f"max = {upper.min} with max_inclusive = {str(not upper.min_inclusive).lower()}",
                found=f"max = {lower.max}, max_inclusive = {str(lower.max_inclusive).lower()}",
            ))
