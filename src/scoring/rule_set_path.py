"""The rule-set path: directories of rule files (variants, local methods) beside the plugins.

Directories come from ``--path DIR`` on the command line and from ``$SCORING_RULE_SET_PATH``
(``os.pathsep``-separated, searched after ``--path``). Every ``*.toml`` directly in a directory
that has a ``[rule_set]`` table is a rule file and is found by its id like a plugin's rule set;
other TOML files (``*.cases.toml``, mappings) are passed over. A directory that does not exist, a
rule file that cannot be parsed or has no id, and an id found twice are errors: a rule file the
user pointed to is never skipped silently.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path

from .catalog import RuleSetEntry, entry_of
from .errors import Problem, RuleSetError
from .ruleset.raw import read_toml

RULE_SET_PATH_ENV = "SCORING_RULE_SET_PATH"
CASES_SUFFIX = ".cases.toml"


def rule_set_path(dirs: Iterable[Path | str] = (), environ: Mapping[str, str] | None = None) -> tuple[Path, ...]:
    """``dirs`` followed by the directories of ``$SCORING_RULE_SET_PATH`` (empty parts ignored)."""
    env = (os.environ if environ is None else environ).get(RULE_SET_PATH_ENV, "")
    return (*(Path(d) for d in dirs), *(Path(part) for part in env.split(os.pathsep) if part.strip()))


def find_rule_files(dirs: Iterable[Path]) -> tuple[list[RuleSetEntry], list[Problem]]:
    """The rule files in ``dirs`` (sorted by name within a directory) and the problems found."""
    entries: list[RuleSetEntry] = []
    problems: list[Problem] = []
    for directory in dirs:
        if not directory.is_dir():
            problems.append(Problem(
                "规则集目录不存在", "the rule-set directory does not exist", file=str(directory),
                expected="a directory of .toml rule files",
                hint=f"check --path and ${RULE_SET_PATH_ENV} / 请检查 --path 与 ${RULE_SET_PATH_ENV}",
            ))
            continue
        for path in sorted(directory.glob("*.toml")):
            if path.name.endswith(CASES_SUFFIX) or not path.is_file():
                continue
            try:
                raw = read_toml(path)
                if "rule_set" in raw.data:
                    entries.append(entry_of(raw, path, None))
            except RuleSetError as exc:
                problems += exc.problems
    return entries, problems
