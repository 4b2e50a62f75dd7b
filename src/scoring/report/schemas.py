"""JSON Schemas of the inputs, outputs and rule files, for portals written in any language.

Inputs are described as they are validated (decimals as numbers or strings); outputs as they
are serialised (decimals as strings). The rule-file schema (:mod:`.rule_file_schema`) describes
files as written; the parameters of each installed rule type are described under ``rule_types``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from pydantic import BaseModel

from ..models import ActivityRecord, Member, Period, ScoringResult
from ..rules.base import RuleType
from .compare import Comparison
from .rule_file_schema import loosen_parameters, rule_file_schema

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


def rule_type_schemas(rule_types: Mapping[str, RuleType[Any]]) -> dict[str, JsonSchema]:
    """The parameters of each rule type, by name (numbers may be setting references)."""
    return {name: loosen_parameters(model_schema(rt.Params, "validation")) for name, rt in sorted(rule_types.items())}


def json_schemas(what: What | Literal["all"], rule_types: Mapping[str, RuleType[Any]] | None = None) -> JsonSchema:
    """``{"Member": …, …}`` for one group, or ``{"inputs": …, "outputs": …, "rule-set": …}`` for all."""
    if what == "all":
        return {w: json_schemas(w, rule_types) for w in WHAT}
    if what == "inputs":
        return input_schemas()
    if what == "outputs":
        return output_schemas()
    return {"RuleSetSpec": rule_file_schema(), "rule_types": rule_type_schemas(rule_types or {})}
