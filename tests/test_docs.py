"""Documentation stays true: every hook and rule type is documented, and README code runs."""

from __future__ import annotations

import importlib
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


def test_columnar_reading_example_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    """The Python example of docs/formats.md ("Large files") runs on the bundled city."""
    pytest.importorskip("pyarrow")
    doc = (ROOT / "docs" / "formats.md").read_text(encoding="utf-8")
    block = doc.split("## Large files", 1)[1].split("```python\n", 1)[1].split("```", 1)[0]
    monkeypatch.chdir(ROOT)
    namespace: dict[str, object] = {}
    exec(compile(block.replace("print(", "str("), "docs/formats.md", "exec"), namespace)
    assert len(namespace["members"]) > 0  # type: ignore[arg-type]


def _titled_blocks(markdown: str) -> dict[str, str]:
    """Code blocks written as ```lang title="path"``` in a document."""
    return {m.group(1): m.group(2) for m in re.finditer(r'^```\w+ title="([^"]+)"\n(.*?)^```', markdown, re.M | re.S)}


def test_tutorial_plugin_from_the_guide_works(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Write out every file of docs/writing-a-rule-set.md and run its cases and its plugin hook."""
    from scoring.plugins import Registry, make_plugin_manager
    from scoring.testing import load_case_file, resolve_rule_set, run_case

    files = _titled_blocks((ROOT / "docs" / "writing-a-rule-set.md").read_text(encoding="utf-8"))
    assert len(files) == 5
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    cases_path = tmp_path / "scoring-example-county/tests/example-county.cases.toml"
    spec = load_case_file(cases_path)
    rule_set = resolve_rule_set(spec.rule_set, cases_path.parent)
    failures = {c.id: run_case(c, rule_set, spec.period).mismatches for c in spec.cases}
    assert failures == {c.id: () for c in spec.cases}

    monkeypatch.syspath_prepend(str(tmp_path / "scoring-example-county/src"))
    module = importlib.import_module("scoring_example_county")
    registry = Registry.build(make_plugin_manager(load_entry_points=False, plugins=[("example-county", module)]))
    assert set(registry.rule_sets) == {"example-county", "example-county-strict"}
    strict = registry.load("example-county-strict")
    assert strict.grade("competent").min == 65  # type: ignore[union-attr]
