"""docs/cli.md and the README's "Command line" section cover every command and option."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest

from scoring.cli import build_parser

ROOT = Path(__file__).resolve().parents[1]
DOC = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _commands() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(sub.choices)


def _section(command: str) -> str:
    heading = next(h for h in re.findall(r"^## .*$", DOC, re.M) if f"`scoring {command}`" in h)
    return DOC.split(heading + "\n", 1)[1].split("\n## ", 1)[0]


@pytest.mark.parametrize("command", sorted(_commands()))
def test_every_command_and_option_is_documented(command: str) -> None:
    section = _section(command)
    assert f"scoring {command}" in section, f"docs/cli.md: no example of `scoring {command}`"
    shared = _section("score").split("Options:")[0] + DOC.split("## `scoring score`")[0]
    for action in _commands()[command]._actions:
        for option in action.option_strings:
            if option.startswith("--") and option != "--help":
                assert option in section or option in shared, f"docs/cli.md does not document {command} {option}"


def test_global_options_are_documented() -> None:
    for action in build_parser()._actions:
        for option in action.option_strings:
            if option.startswith("--") and option != "--help":
                assert f"`{option}" in DOC, option


def test_readme_command_line_section_names_every_command() -> None:
    section = README.split("## Command line\n", 1)[1].split("\n## ", 1)[0]
    for command in _commands():
        assert f"scoring {command}" in section, command
    assert "docs/cli.md" in section


def test_the_python_examples_of_docs_cli_run(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    blocks = [part.split("```", 1)[0] for part in DOC.split("```python\n")[1:]]
    assert len(blocks) >= 2
    for block in blocks:
        exec(compile(block.replace("print(", "str("), "docs/cli.md", "exec"), {})
