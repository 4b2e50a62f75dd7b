"""Packaging: our own distribution name, never the unrelated PyPI package ``scoring``.

``scoring`` on PyPI is a credit-scorecard package; a requirement on a bare ``scoring`` installs it.
The core is ``cppcc-scoring``, its plugins ``cppcc-scoring-<place>``; the import package, the command
and the entry-point group stay ``scoring``.
"""

from __future__ import annotations

import re
import tomllib
from importlib.metadata import PackageNotFoundError, distribution, entry_points, version
from pathlib import Path
from typing import Any

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

import scoring
from scoring._version import DISTRIBUTION
from scoring.plugins import ENTRY_POINT_GROUP

ROOT = Path(__file__).resolve().parents[1]
PYPROJECTS = sorted(
    p for p in ROOT.rglob("pyproject.toml")
    if not any(part.startswith(".") or part in ("node_modules", "build", "dist") for part in p.relative_to(ROOT).parts)
)
PLUGIN_DIRS = sorted(p.parent for p in PYPROJECTS if p.parent.parent == ROOT / "plugins")


def _project(path: Path) -> dict[str, Any]:
    project: dict[str, Any] = tomllib.loads(path.read_text(encoding="utf-8"))["project"]
    return project


def _requirements(project: dict[str, Any]) -> list[str]:
    out = list(project.get("dependencies", []))
    for extra in project.get("optional-dependencies", {}).values():
        out += extra
    return out


def _titled_pyprojects(markdown: str) -> list[str]:
    return re.findall(r'^```toml title="[^"]*pyproject\.toml"\n(.*?)^```', markdown, re.M | re.S)


def test_the_repository_has_the_core_and_every_plugin() -> None:
    assert ROOT / "pyproject.toml" in PYPROJECTS
    assert {p.name for p in PLUGIN_DIRS} >= {"scoring-jinan", "scoring-tongcheng", "scoring-huzhou"}


@pytest.mark.parametrize("path", PYPROJECTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_pyproject_depends_on_a_bare_scoring_distribution(path: Path) -> None:
    bare = [r for r in _requirements(_project(path)) if canonicalize_name(Requirement(r).name) == "scoring"]
    assert bare == [], f"{path.relative_to(ROOT)} requires the unrelated PyPI package `scoring`: {bare}"


def test_no_plugin_pyproject_shown_in_the_docs_depends_on_bare_scoring() -> None:
    blocks = [b for doc in (ROOT / "docs").glob("*.md") for b in _titled_pyprojects(doc.read_text(encoding="utf-8"))]
    assert blocks, "docs/writing-a-rule-set.md shows a plugin pyproject.toml"
    for block in blocks:
        project = tomllib.loads(block)["project"]
        names = {canonicalize_name(Requirement(r).name) for r in _requirements(project)}
        assert "scoring" not in names and DISTRIBUTION in names


def test_the_core_distribution_is_cppcc_scoring_with_the_fast_and_excel_readers() -> None:
    project = _project(ROOT / "pyproject.toml")
    assert project["name"] == DISTRIBUTION == "cppcc-scoring"
    required = {canonicalize_name(Requirement(r).name) for r in project["dependencies"]}
    assert {"pyarrow", "openpyxl"} <= required
    # the old extras stay, empty, so that `pip install '.[fast]'` / `'.[xlsx]'` keep working
    assert project["optional-dependencies"]["fast"] == [] and project["optional-dependencies"]["xlsx"] == []
    assert project["scripts"] == {"scoring": "scoring.cli:main"}


def test_the_installed_core_is_cppcc_scoring_and_no_bare_scoring_is_installed() -> None:
    assert version(DISTRIBUTION) == scoring.__version__
    with pytest.raises(PackageNotFoundError):  # PyPI's `scoring`, or this project under its old name
        distribution("scoring")


@pytest.mark.parametrize("plugin_dir", PLUGIN_DIRS, ids=lambda p: p.name)
def test_each_plugin_is_cppcc_named_and_requires_the_core(plugin_dir: Path) -> None:
    project = _project(plugin_dir / "pyproject.toml")
    assert project["name"] == f"cppcc-{plugin_dir.name}"  # the directory keeps its name
    requirements = [Requirement(r) for r in project["dependencies"]]
    assert [canonicalize_name(r.name) for r in requirements] == [DISTRIBUTION]
    group = project["entry-points"][ENTRY_POINT_GROUP]
    module = f"scoring_{plugin_dir.name.removeprefix('scoring-').replace('-', '_')}"
    assert list(group.values()) == [module]  # the import package keeps its name
    readme = (plugin_dir / "README.md").read_text(encoding="utf-8")
    assert readme.startswith(f"# {project['name']}\n")


def test_installed_plugins_come_from_cppcc_distributions() -> None:
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        assert ep.dist is not None
        assert canonicalize_name(ep.dist.name) != "scoring"
    pytest_plugins = [ep for ep in entry_points(group="pytest11") if ep.value == "scoring.testing.pytest_plugin"]
    assert [ep.dist.name for ep in pytest_plugins if ep.dist] == [DISTRIBUTION]


def _install_lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if "pip install" in line and "plugins/scoring-*" in line]


def test_the_readme_install_commands_need_no_pip_upgrade_and_ci_runs_the_same() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = _install_lines(readme.split("---", 1)[0])
    assert len(commands) == 2
    install = 'python -m pip install -e . -e ".[dev]" plugins/scoring-*'
    for command in commands:
        assert command.startswith(install + " && "), command
        assert "-U pip" not in command and "--upgrade pip" not in command
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "--upgrade pip" not in ci and "-U pip" not in ci
    assert [line.replace(" --quiet", "") for line in _install_lines(ci)] == [install]
