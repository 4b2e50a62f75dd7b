"""Documentation stays true: every hook and rule type is documented, and README code runs."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest

from scoring import hookspecs
from scoring.rules import builtin_rule_types

ROOT = Path(__file__).resolve().parents[1]
HOOKS = sorted(name for name in dir(hookspecs) if name.startswith("scoring_"))


@pytest.mark.parametrize("hook", HOOKS)
def test_every_hook_is_documented_with_its_signature(hook: str) -> None:
    doc = (ROOT / "docs" / "plugin-hooks.md").read_text(encoding="utf-8")
    assert f"## {hook}\n" in doc, f"docs/plugin-hooks.md has no section for {hook}"
    params = ", ".join(
        f"{p.name}: {p.annotation}" for p in inspect.signature(getattr(hookspecs, hook)).parameters.values()
    )
    assert f"def {hook}({params}) -> None" in doc, f"the signature of {hook} in the docs is out of date"


def test_docs_name_no_hook_that_does_not_exist() -> None:
    doc = (ROOT / "docs" / "plugin-hooks.md").read_text(encoding="utf-8")
    assert sorted(set(re.findall(r"^## (scoring_\w+)", doc, re.M))) == HOOKS


@pytest.mark.parametrize("rule_type", builtin_rule_types(), ids=lambda rt: rt.name)
def test_every_rule_type_and_parameter_is_documented(rule_type: object) -> None:
    doc = (ROOT / "docs" / "rule-types.md").read_text(encoding="utf-8")
    name = rule_type.name  # type: ignore[attr-defined]
    assert f"## `{name}`" in doc
    section = doc.split(f"## `{name}`", 1)[1].split("\n## ", 1)[0]
    for param in rule_type.Params.model_fields:  # type: ignore[attr-defined]
        assert f"| `{param}` |" in section, f"parameter {param} of {name} is not documented"


def test_readme_python_example_runs() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("## Use it from Python", 1)[1].split("```python\n", 1)[1].split("```", 1)[0]
    exec(compile(block.replace("print(", "str("), "README.md", "exec"), {})
