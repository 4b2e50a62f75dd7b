"""JSON Schemas of the inputs, outputs and rule files, for portals written in any language.

Inputs are described as they are validated (decimals as numbers or strings); outputs as they
are serialised (decimals as strings). The rule-file schema is that of the effective rule set
(:class:`~scoring.ruleset.schema.RuleSetSpec`), loosened where rule files are more flexible than
the model: a rule's type-specific parameters are written next to the common keys, and variant
files may hold ``patch`` and ``remove`` tables. The parameters of each installed rule type are
described separately under ``rule_types``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from pydantic import BaseModel

from ..models import ActivityRecord, Member, Period, ScoringResult
from ..rules.base import RuleType
from ..ruleset.schema import RuleSetSpec
from .compare import Comparison

What = Literal["inputs", "outputs", "rule-set"]
WHAT: tuple[What, ...] = ("inputs", "outputs", "rule-set")
DIALECT = "https://json-schema.org/draft/2020-12/schema"

JsonSchema = dict[str, Any]


def model_schema(model: type[BaseModel], mode: Literal["validation", "serialization"]) -> JsonSchema:
    """The JSON Schema of one model, with ``$schema`` set."""
    return {"$schema": DIALECT, **model.model_json_schema(mode=mode)}


def input_schemas() -> dict[str, JsonSchema]:
    """Member, ActivityRecord and Period as they are validated."""
    return {m.__name__: model_schema(m, "validation") for m in (Member, ActivityRecord, Period)}


def output_schemas() -> dict[str, JsonSchema]:
    """ScoringResult (``scoring score --format json``) and Comparison (``scoring compare --format json``)."""
    return {m.__name__: model_schema(m, "serialization") for m in (ScoringResult, Comparison)}


def rule_file_schema() -> JsonSchema:
    """The schema of a rule file (TOML, read as JSON-like data)."""
    schema = model_schema(RuleSetSpec, "validation")
    rule = schema.get("$defs", {}).get("RuleSpec")
    if isinstance(rule, dict):
        rule["additionalProperties"] = True
        rule["description"] = (rule.get("description", "") + " Keys other than the common ones are the rule "
                               "type's parameters (see rule_types).").strip()
        rule.get("properties", {}).pop("params", None)
    properties = schema.setdefault("properties", {})
    properties["patch"] = {
        "type": "object", "description": "variant files: [patch.<array>.<id>] tables deep-merged into the base",
        "additionalProperties": {"type": "object", "additionalProperties": {"type": "object"}},
    }
    properties["remove"] = {
        "type": "object", "description": "variant files: ids to drop per array, e.g. { rules = ['id'] }",
        "additionalProperties": {"type": "array", "items": {"type": "string"}},
    }
    return schema


def rule_type_schemas(rule_types: Mapping[str, RuleType[Any]]) -> dict[str, JsonSchema]:
    """The parameters of each rule type, by name."""
    return {name: model_schema(rt.Params, "validation") for name, rt in sorted(rule_types.items())}


def json_schemas(what: What | Literal["all"], rule_types: Mapping[str, RuleType[Any]] | None = None) -> JsonSchema:
    """``{"Member": …, …}`` for one group, or ``{"inputs": …, "outputs": …, "rule-set": …}`` for all."""
    if what == "all":
        return {w: json_schemas(w, rule_types) for w in WHAT}
    if what == "inputs":
        return input_schemas()
    if what == "outputs":
        return output_schemas()
    return {"RuleSetSpec": rule_file_schema(), "rule_types": rule_type_schemas(rule_types or {})}
