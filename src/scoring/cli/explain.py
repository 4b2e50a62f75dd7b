"""``scoring explain``: one member's scorecard with every point traced to records and clauses."""

from __future__ import annotations

import argparse

from ..errors import ConfigurationError, did_you_mean
from ..plugins import Registry
from .accounting import add_strict_argument, report_accounting
from .common import add_common_arguments, add_input_arguments, add_output_arguments, lang_of, progress_for
from .output import resolve_format, write_text
from .score import scored

FORMATS = ("table", "json")


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``explain`` sub-command."""
    e = sub.add_parser(
        "explain", help="one member's scorecard with every point traced to records and clauses",
        description="Show one member's 成绩单: each line item with its clause, records and computation, "
                    "the gates with the records that met them, and the warnings.",
    )
    add_input_arguments(e)
    e.add_argument("--member", required=True, metavar="ID", help="member id (委员编号)")
    add_output_arguments(e, FORMATS)
    add_strict_argument(e)
    add_common_arguments(e)
    e.set_defaults(run=run_explain)


def run_explain(args: argparse.Namespace, registry: Registry) -> int:
    """Explain one member's scorecard."""
    with progress_for(args, 4) as progress:
        inputs, result = scored(args, registry, progress)
    try:
        card = result.scorecard(args.member)
    except KeyError:
        raise ConfigurationError.one(
            f"委员 '{args.member}' 不在委员名单中", f"member '{args.member}' is not in the member list",
            file=str(args.members), column="id", hint=did_you_mean(args.member, (m.id for m in inputs.members)),
        ) from None
    fmt = resolve_format(args.format, args.output, FORMATS)
    from ..report.explain import explain  # the text renderer (and tabulate) only when it is used

    text = card.model_dump_json(indent=2) if fmt == "json" else explain(inputs.rule_set, card, lang_of(args))
    write_text(text, args.output)
    return report_accounting(args, [(inputs.rule_set.id, result.accounting.summary())])
