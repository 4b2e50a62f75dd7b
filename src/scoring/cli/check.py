"""``scoring check``: validate a rule set and, if given, the input files, without scoring."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..errors import Problem, ScoringError
from ..models import ActivityRecord, Member
from ..plugins import Registry
from ..ruleset import RuleSet
from ..ruleset.lint import lint
from ..text import Lang
from .common import add_common_arguments, add_file_arguments, add_rule_path_argument, lang_of, progress_for, read_files
from .mapping import reading_options, suggestion
from .output import write_text

SHOWN = 10
"""records with an unknown member listed by id; the rest are counted"""


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``check`` sub-command."""
    c = sub.add_parser(
        "check", help="validate a rule set and input files without scoring (all problems are listed)",
        description="Validate a rule set and, if given, the members and records files; every problem of "
                    "all of them is listed at once. Exit status 1 when there is any.",
    )
    c.add_argument("--rule-set", "-r", required=True, metavar="ID_OR_FILE", help="rule-set id or .toml path")
    add_rule_path_argument(c)
    add_file_arguments(c, required=False)
    c.add_argument("--suggest-mapping", action="store_true",
                   help="instead of checking, write a draft mapping profile (TOML) for the files: known headers and "
                        "values filled in, unknown ones as commented TODO lines (builds on --mapping if given)")
    c.add_argument("--output", "-o", type=Path, metavar="FILE", help="write to this file instead of standard output")
    add_common_arguments(c)
    c.set_defaults(run=run_check)


def run_check(args: argparse.Namespace, registry: Registry) -> int:
    """Compile the rule set and read the files; raise one error holding every problem found."""
    lang = lang_of(args)
    if args.suggest_mapping:
        vocabulary = registry.load(args.rule_set).vocabulary
        write_text(suggestion(args, vocabulary).rstrip("\n"), args.output)
        return 0
    problems: list[Problem] = []
    rule_set: RuleSet | None = None
    with progress_for(args, 3) as progress:
        progress.step(args.rule_set)
        try:
            rule_set = registry.load(args.rule_set)
        except ScoringError as exc:
            problems += exc.problems
        vocabulary = rule_set.vocabulary if rule_set else registry.vocabulary
        try:
            members, records = read_files(args.members, args.records, args.encoding, vocabulary, progress, lang,
                                          **reading_options(args, vocabulary))
        except ScoringError as exc:
            problems += exc.problems
    findings = lint(rule_set) if rule_set is not None else []
    problems += [f.to_problem() for f in findings if f.severity == "error"]
    if problems or rule_set is None:
        raise ScoringError(problems)
    lines = [f"OK: {rule_set.id} {rule_set.version} ({len(rule_set.rules)} "
             f"{'条规则' if lang == 'zh' else 'rules'}) {rule_set.fingerprint}"]
    lines += [f.format(lang) for f in findings]  # warnings: reported, not failing
    if args.members is not None:
        lines.append(f"OK: {args.members}: {len(members)} {'名委员' if lang == 'zh' else 'members'}")
    if args.records is not None:
        lines.append(f"OK: {args.records}: {len(records)} {'条记录' if lang == 'zh' else 'records'}")
    if args.members is not None and args.records is not None:
        lines += unknown_member_notes(members, records, lang)
    write_text("\n".join(lines), args.output)
    return 0


def unknown_member_notes(members: list[Member], records: list[ActivityRecord], lang: Lang) -> list[str]:
    """A note on records whose member is not in the members file (scoring will reject them)."""
    known = {m.id for m in members}
    strays = [r for r in records if r.member_id not in known]
    if not strays:
        return []
    shown = ", ".join(f"{r.id} ({r.member_id})" for r in strays[:SHOWN])
    more = f" …(+{len(strays) - SHOWN})" if len(strays) > SHOWN else ""
    if lang == "zh":
        return [f"注意：{len(strays)} 条记录的委员编号不在委员名单中，计分时将被拒绝：{shown}{more}"]
    return [f"note: {len(strays)} records name a member not in the members file and will be rejected: {shown}{more}"]
