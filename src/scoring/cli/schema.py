"""``scoring schema``: JSON Schemas of inputs, outputs and rule files, for portals in any language."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from ..plugins import Registry
from ..report.schemas import WHAT, json_schemas
from .common import add_common_arguments
from .output import write_text


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``schema`` sub-command."""
    s = sub.add_parser(
        "schema", help="JSON Schemas of the inputs, outputs and rule files",
        description="Print JSON Schemas (draft 2020-12): inputs (Member, ActivityRecord, Period), outputs "
                    "(ScoringResult, Comparison) and the rule file (RuleSetSpec, with each installed rule "
                    "type's parameters).",
    )
    s.add_argument("--what", choices=(*WHAT, "all"), default="all", help="which schemas (default all)")
    s.add_argument("--output", "-o", type=Path, metavar="FILE", help="write to this file instead of standard output")
    add_common_arguments(s)
    s.set_defaults(run=run_schema)


def run_schema(args: argparse.Namespace, registry: Registry) -> int:
    """Print the schemas as one JSON document."""
    rule_types: dict[str, Any] = {name: rt for name, (rt, _) in registry.rule_types.items()}
    write_text(json.dumps(json_schemas(args.what, rule_types), ensure_ascii=False, indent=2), args.output)
    return 0
