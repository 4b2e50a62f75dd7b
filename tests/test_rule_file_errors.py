"""The rule-file part of the bad-input catalogue, and rule files as pure data.

Each case writes a broken rule file (or a chain of them) and asserts the exact problem: file,
key path, message in both languages, what was expected and the did-you-mean hint. Problems a
rule file can load with but should not have (unreachable grade bands, caps below one item) are
lint findings (``scoring.ruleset.lint``; every code is tested in tests/test_lint.py).
tests/test_ruleset_loader.py covers the single-file basics; the cases here add the nested
tables, chains of three files, chains through plugins and the overlay shapes that still crash.

The last section checks that rule files are only ever data: code in a value stays text, and
``src/scoring`` has no ``eval``, ``exec``, ``pickle``, unsafe YAML or ``subprocess``.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from pathlib import Path

import pytest

import scoring
from scoring import (
    ActivityRecord,
    Member,
    Period,
    Problem,
    RuleSetError,
    hookimpl,
    load_rule_set,
    parse_rule_set,
    score,
)
from scoring.plugins import Registry, make_plugin_manager
from scoring.ruleset.lint import Finding, lint

SRC = Path(scoring.__file__).resolve().parent

HEAD = """\
[rule_set]
id = "broken"
version = "1"
title = { zh = "有问题的规则集", en = "broken rule set" }

[[categories]]
id = "meetings"
label = { zh = "会议", en = "Meetings" }

[[rules]]
id = "plenary"
type = "per_unit"
category = "meetings"
label = "全体会议"
match = { kind = "meeting", subtype = "plenary", status = "attended" }
points = 10
"""

BANDS = """
[[grades]]
id = "pass"
label = "合格"
min = 60

[[grades]]
id = "fail"
label = "不合格"
max = 60
"""


def write(directory: Path, name: str, text: str) -> Path:
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return path


def problems_of(load: Callable[[], object]) -> list[Problem]:
    with pytest.raises(RuleSetError) as caught:
        load()
    return list(caught.value.problems)


def file_problems(path: Path) -> list[Problem]:
    return problems_of(lambda: load_rule_set(path))


# --------------------------------------------------------------------------------------------
# a typo in a key
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("extra", "key", "typo", "expected", "meant"),
    [
        ('\n[[grades]]\nid = "g"\nlabel = "g"\nmni = 60\n', "grades[0] (id=g).mni", "mni",
         "one of: cite, id, label, max, max_inclusive, min, min_inclusive, note", "min"),
        ('\n[[gates]]\nid = "ones"\nlabel = "一"\nbinding = false\n\n[[gates.requirements]]\nid = "r"\nlabel = "r"\n'
         'match = { kind = "proposal" }\nmn = 2\n', "gates[0] (id=ones).requirements[0] (id=r).mn", "mn",
         "one of: any_of, id, label, match, min, roles", "min"),
        ('\n[settings]\nline = { label = "线", vlaue = 60 }\n', "settings.line.vlaue", "vlaue",
         "one of: cite, label, note, value", "value"),
        ("\n[total]\ncpa = 100\n", "total.cpa", "cpa", "one of: cap, cite, floor, model, nominal_max, pass_mark",
         "cap"),
        ('\n[policy]\ndate_bases = "event"\n', "policy.date_bases", "date_bases",
         "one of: date_basis, min_service_days", "date_basis"),
    ],
    ids=["grade", "requirement", "setting", "total", "policy"],
)
def test_typo_in_a_nested_key(tmp_path: Path, extra: str, key: str, typo: str, expected: str, meant: str) -> None:
    path = write(tmp_path, "rules.toml", HEAD + extra)
    (problem,) = file_problems(path)
    assert problem == Problem(
        zh=f"未知的键 '{typo}'", en=f"unknown key '{typo}'", file=str(path), key=key, expected=expected,
        hint=f"did you mean '{meant}'? / 是否指 '{meant}'？",
    )


def test_typo_in_an_escalation_trigger(tmp_path: Path) -> None:
    path = write(tmp_path, "rules.toml", HEAD + """
[[escalation]]
id = "talk"
action = "talk"
action_label = "约谈"
trigger = { type = "total_below", vaule = 60 }
""")
    unknown = [p for p in file_problems(path) if p.en.startswith("unknown key")]
    assert [(p.key, p.hint) for p in unknown] == [
        ("escalation[0] (id=talk).trigger.vaule", "did you mean 'value'? / 是否指 'value'？"),
    ]


def test_typo_in_a_rule_set_key_also_reports_the_key_it_replaced(tmp_path: Path) -> None:
    path = write(tmp_path, "rules.toml", HEAD.replace("title = ", "titel = "))
    assert file_problems(path) == [
        Problem(zh="缺少必填项", en="missing required key", file=str(path), key="rule_set.title",
                expected="a value / 必填"),
        Problem(zh="未知的键 'titel'", en="unknown key 'titel'", file=str(path), key="rule_set.titel",
                expected="one of: description, effective_from, effective_to, example, extends, family, id, issuer, "
                         "sources, title, version",
                hint="did you mean 'title'? / 是否指 'title'？"),
    ]


# --------------------------------------------------------------------------------------------
# encodings of the rule file itself
# --------------------------------------------------------------------------------------------


def test_rule_file_saved_as_gbk(tmp_path: Path) -> None:
    path = tmp_path / "rules.toml"
    path.write_bytes((HEAD + BANDS).encode("gbk"))
    assert file_problems(path) == [Problem(zh="规则集文件不是 UTF-8 编码", en="rule-set file is not UTF-8",
                                           file=str(path), found="invalid continuation byte")]


def test_rule_file_with_a_utf8_bom(tmp_path: Path) -> None:
    path = tmp_path / "rules.toml"
    path.write_bytes(b"\xef\xbb\xbf" + (HEAD + BANDS).encode("utf-8"))
    try:
        assert load_rule_set(path).id == "broken"
    except RuleSetError as exc:
        assert "BOM" in exc.format("en")


# --------------------------------------------------------------------------------------------
# grade bands: overlapping (load error) and unreachable (lint)
# --------------------------------------------------------------------------------------------


def test_a_variant_that_makes_bands_overlap_is_named(tmp_path: Path) -> None:
    write(tmp_path, "base.toml", HEAD + BANDS)
    variant = write(tmp_path, "variant.toml", '[rule_set]\nid = "lenient"\nextends = "base.toml"\n\n'
                                              "[patch.grades.fail]\nmax = 70\n")
    assert file_problems(variant) == [Problem(
        zh="等级 'pass' 与 'fail' 重叠", en="grades 'pass' and 'fail' overlap", file=str(variant), key="grades[1].max",
        expected="max = 60 with max_inclusive = false", found="max = 70, max_inclusive = false",
    )]


def test_a_band_no_total_can_reach_is_a_lint_error(tmp_path: Path) -> None:
    # 2 plenary sessions a year at 10 points, capped at 20: 优秀 from 85 can never be reached.
    label = 'label = { zh = "会议", en = "Meetings" }'
    capped = HEAD.replace(label, label + "\ncap = 20")
    text = capped + """
[[grades]]
id = "excellent"
label = "优秀"
min = 85

[[grades]]
id = "pass"
label = "合格"
min = 10
max = 85

[[grades]]
id = "fail"
label = "不合格"
max = 10
"""
    path = write(tmp_path, "rules.toml", text)
    rule_set = load_rule_set(path)  # loads: the bands themselves are consistent
    assert lint(rule_set) == [Finding(
        "error", "unreachable_grade", "grades[0] (id=excellent)", "等级 'excellent' 不可能达到：总分范围为 [0, 20]",
        "grade 'excellent' is unreachable: totals lie in [0, 20]", str(path),
    )]


def test_a_cap_smaller_than_one_items_points_is_a_lint_warning(tmp_path: Path) -> None:
    path = write(tmp_path, "rules.toml", HEAD.replace("points = 10\n", "points = 10\ncap = 5\n"))
    assert [f.format("en") for f in lint(load_rule_set(path))] == [
        f"{path}: rules[0] (id=plenary).cap: [warning cap_below_item] the rule's cap 5 is below the 10 points one "
        "record earns under rule 'plenary'",
    ]


# --------------------------------------------------------------------------------------------
# chains of rule files: cycles and patches of what does not exist
# --------------------------------------------------------------------------------------------


def test_a_cycle_through_three_files(tmp_path: Path) -> None:
    for name, base in (("a", "b"), ("b", "c"), ("c", "a")):
        write(tmp_path, f"{name}.toml", f'[rule_set]\nid = "{name}"\nversion = "1"\ntitle = "{name}"\n'
                                        f'extends = "{base}.toml"\n')
    (problem,) = file_problems(tmp_path / "a.toml")
    files = [str(tmp_path / f"{n}.toml") for n in "abca"]
    assert problem == Problem(zh="规则集继承出现循环", en="rule sets extend each other in a cycle",
                              file=str(tmp_path / "c.toml"), key="rule_set.extends", found=" → ".join(files))


class _Files:
    """A plugin registering the rule files given (as a distribution would)."""

    def __init__(self, *paths: Path) -> None:
        self.paths = paths

    @hookimpl
    def scoring_register_rule_sets(self, register: Callable[[Path], None]) -> None:
        for path in self.paths:
            register(path)


def registry_with(*paths: Path) -> Registry:
    return Registry.build(make_plugin_manager(plugins=[("catalogue", _Files(*paths))]))


def test_a_cycle_through_plugin_ids(tmp_path: Path) -> None:
    x = write(tmp_path, "x.toml", '[rule_set]\nid = "cycle-x"\nversion = "1"\ntitle = "x"\nextends = "cycle-y"\n')
    y = write(tmp_path, "y.toml", '[rule_set]\nid = "cycle-y"\nversion = "1"\ntitle = "y"\nextends = "cycle-x"\n')
    registry = registry_with(x, y)
    (problem,) = problems_of(lambda: registry.load("cycle-x"))
    assert problem == Problem(zh="规则集继承出现循环", en="rule sets extend each other in a cycle", file=str(y),
                              key="rule_set.extends", found=f"{x} → {y} → {x}")


def test_patches_of_what_the_shipped_base_does_not_have(tmp_path: Path) -> None:
    variant = write(tmp_path, "jinan-strict.toml", """
[rule_set]
id = "jinan-strict"
extends = "jinan-2015"

[patch.rules.plenary_absent]
points = -40

[patch.grades.excelent]
min = 90
""")
    registry = registry_with(variant)
    assert problems_of(lambda: registry.load("jinan-strict")) == [
        Problem(zh="要修补的 'plenary_absent' 在基础规则集中不存在",
                en="patched 'plenary_absent' does not exist in the base", file=str(variant),
                key="patch.rules.plenary_absent",
                expected="one of: base, plenary_unexcused, plenary_leave, extra_registered_proposal, key_proposal, "
                         "excellent_proposal, public_welfare",
                hint="did you mean 'plenary_leave'? / 是否指 'plenary_leave'？"),
        Problem(zh="要修补的 'excelent' 在基础规则集中不存在", en="patched 'excelent' does not exist in the base",
                file=str(variant), key="patch.grades.excelent", expected="one of: excellent, competent, incompetent",
                hint="did you mean 'excellent'? / 是否指 'excellent'？"),
    ]


# --------------------------------------------------------------------------------------------
# shapes the loader does not yet turn into RuleSetError (each crashes with a Python exception)
# --------------------------------------------------------------------------------------------

OVERLAY = '[rule_set]\nid = "variant"\nextends = "base.toml"\n'


def test_patch_of_an_array_that_is_not_a_table(tmp_path: Path) -> None:
    write(tmp_path, "base.toml", HEAD + BANDS)
    path = write(tmp_path, "variant.toml", "patch = { rules = 5 }\n" + OVERLAY)
    (problem,) = file_problems(path)
    assert problem.key == "patch.rules"


@pytest.mark.parametrize("value", ["5", '[{ id = "plenary" }]', '"plenary"'], ids=["number", "tables", "string"])
def test_remove_with_something_other_than_a_list_of_ids(tmp_path: Path, value: str) -> None:
    write(tmp_path, "base.toml", HEAD + BANDS)
    path = write(tmp_path, "variant.toml", f"remove = {{ rules = {value} }}\n" + OVERLAY)
    problems = file_problems(path)
    assert [p.key for p in problems] == ["remove.rules"]


def test_settings_that_are_not_a_table() -> None:
    text = 'settings = "cap"\n' + HEAD.replace('label = { zh = "会议", en = "Meetings" }',
                                              'label = { zh = "会议", en = "Meetings" }\ncap = { setting = "cap" }')
    problems = problems_of(lambda: parse_rule_set(text))
    assert problems[0].key == "settings"


def test_extends_naming_a_directory(tmp_path: Path) -> None:
    (tmp_path / "bases").mkdir()
    path = write(tmp_path, "variant.toml", '[rule_set]\nid = "variant"\nextends = "bases/"\n')
    (problem,) = file_problems(path)
    assert problem.key == "rule_set.extends"


def test_unpublished_settings_in_eligibility_and_quotas_are_not_silently_one() -> None:
    text = HEAD + BANDS.replace("min = 60", "min = 5").replace("max = 60", "max = 5") + """
[settings]
line = { label = "推荐优秀分数线" }

[[eligibility]]
id = "nominate"
label = "可推荐评优"
min = { setting = "line" }
"""
    rule_set = parse_rule_set(text)
    plenary = ActivityRecord(id="r1", member_id="m1", kind="meeting", subtype="plenary", status="attended",
                             date="2024-03-05")  # type: ignore[arg-type]
    card = score(rule_set, [Member(id="m1")], [plenary], Period.year(2024)).scorecards[0]
    assert card.total == 10
    assert card.eligible == ()  # the line is unknown: not eligible, or not computable — never "10 ≥ 1"


# --------------------------------------------------------------------------------------------
# rule files are data
# --------------------------------------------------------------------------------------------

PAYLOAD = "__import__('pathlib').Path({target!r}).write_text('pwned')"


def test_code_in_rule_file_values_is_kept_as_text(tmp_path: Path) -> None:
    target = tmp_path / "pwned.txt"
    code = PAYLOAD.format(target=str(target))
    text = f"""
[rule_set]
id = "data-only"
version = "1"
title = {{ zh = "{code}", en = "{code}" }}
description = "{{{{ exec('{code}') }}}}"

[[categories]]
id = "c"
label = "{code}"
note = "eval(compile('{code}', 'x', 'exec'))"

[[rules]]
id = "base"
type = "fixed"
category = "c"
label = "{code}"
cite = "${{{code}}}"
points = 1

[[choices]]
id = "why"
about = "{code}"
choice = "!!python/object/apply:os.system ['touch {target}']"
"""
    rule_set = parse_rule_set(text)
    result = score(rule_set, [Member(id="m1")], [], Period.year(2024))
    assert not target.exists()
    card = result.scorecards[0]
    assert card.lines[0].label.zh == code
    assert rule_set.title.zh == code
    assert rule_set.spec.choices[0].choice.zh == f"!!python/object/apply:os.system ['touch {target}']"
    assert code in result.model_dump_json()
    assert not target.exists()


@pytest.mark.parametrize(
    "text",
    [
        '[rule_set]\nid = "__import__(\'os\')"\nversion = "1"\ntitle = "t"\n',
        '[rule_set]\nid = "x"\nversion = "1"\ntitle = "t"\n\n[[rules]]\nid = "r"\ntype = "__import__"\n'
        'category = "c"\nlabel = "r"\n\n[[categories]]\nid = "c"\nlabel = "c"\n',
        '[rule_set]\nid = "x"\nversion = "1"\ntitle = "t"\n__class__ = "object"\n',
        '[rule_set]\nid = "x"\nversion = "1"\ntitle = "t"\n\n[[categories]]\nid = "c"\nlabel = "c"\n'
        'cap = { setting = "__builtins__" }\n',
    ],
    ids=["id", "rule-type", "dunder-key", "dunder-setting"],
)
def test_names_that_look_like_code_are_just_unknown_names(text: str) -> None:
    problems = problems_of(lambda: parse_rule_set(text))
    assert problems and all(p.file == "<string>" for p in problems)


def _calls_and_imports(path: Path, root: Path = SRC.parent) -> list[str]:
    """Every dangerous construct in one source file, as ``file:line: what``."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    found: list[str] = []
    for node in ast.walk(tree):
        where = f"{path.relative_to(root)}:{getattr(node, 'lineno', 0)}"
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
            for name in names:
                if name.split(".")[0] in ("pickle", "subprocess", "marshal", "shelve", "dill", "cloudpickle"):
                    found.append(f"{where}: import {name}")
        elif isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name) and func.id in ("eval", "exec", "compile", "__import__"):
                found.append(f"{where}: {func.id}()")
            elif isinstance(func, ast.Attribute):
                owner = func.value.id if isinstance(func.value, ast.Name) else ""
                if owner == "yaml" and func.attr in ("load", "load_all", "unsafe_load", "full_load"):
                    found.append(f"{where}: yaml.{func.attr}()")
                if owner == "os" and (func.attr in ("system", "popen") or func.attr.startswith("spawn")):
                    found.append(f"{where}: {owner}.{func.attr}()")
                if func.attr == "import_module" and not (node.args and isinstance(node.args[0], ast.Constant)):
                    found.append(f"{where}: import_module() of a computed name")
    return found


def test_the_package_never_evaluates_code_or_unpickles() -> None:
    sources = sorted(SRC.rglob("*.py"))
    assert len(sources) > 20
    assert [hit for path in sources for hit in _calls_and_imports(path)] == []


def test_the_source_scan_finds_what_it_looks_for(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("import pickle\nimport subprocess\nimport yaml\nimport importlib\n"
                   "eval('1')\nexec('x = 1')\nyaml.load('a')\nimportlib.import_module(name)\n", encoding="utf-8")
    hits = _calls_and_imports(bad, tmp_path)
    assert [h.split(": ", 1)[1] for h in hits] == [
        "import pickle", "import subprocess", "eval()", "exec()", "yaml.load()", "import_module() of a computed name",
    ]


# --------------------------------------------------------------------------------------------
# the committed samples of tests/data/bad
# --------------------------------------------------------------------------------------------

BAD = Path(__file__).parent / "data" / "bad"


def test_committed_rule_samples() -> None:
    (cycle,) = file_problems(BAD / "rules_cycle_a.toml")
    assert (cycle.key, cycle.en) == ("rule_set.extends", "rule sets extend each other in a cycle")
    registry = registry_with(BAD / "rules_patch_missing.toml")
    (patch,) = problems_of(lambda: registry.load("jinan-strict"))
    assert (patch.key, patch.en) == (
        "patch.rules.plenary_absent", "patched 'plenary_absent' does not exist in the base")
    assert [(f.severity, f.code, f.key) for f in lint(load_rule_set(BAD / "rules_lint.toml"))] == [
        ("error", "unreachable_grade", "grades[0] (id=excellent)"),
        ("warning", "cap_below_item", "categories[0] (id=meetings).cap"),
    ]
