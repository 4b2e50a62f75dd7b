"""The JSON Schema of a rule file as written (TOML read as JSON-like data).

It is derived from :class:`~scoring.ruleset.schema.RuleSetSpec` — the *effective* rule set — and
loosened where files are written more freely than the model stores them:

- a number may be a setting reference ``{ setting = "name" }`` (outside ``[settings]``,
  ``[rule_set]`` and ``[[choices]]``);
- a label (``Text``) may be a bare string, the Chinese text;
- a selector's codes (``subtype = "plenary"``) may be one string instead of a list;
- a rule's type-specific parameters sit next to its common keys (described per rule type);
- a variant file may hold ``patch`` and ``remove`` tables (its other tables hold only what differs,
  so validate an overlay's top level only).
"""

from __future__ import annotations

from typing import Any

from ..ruleset.schema import RuleSetSpec

DIALECT = "https://json-schema.org/draft/2020-12/schema"
SETTING_REF = {
    "type": "object",
    "description": "a reference to a named number of [settings]",
    "properties": {"setting": {"type": "string"}},
    "required": ["setting"],
    "additionalProperties": False,
}
_LITERAL_SECTIONS = ("rule_set", "settings", "choices")
_LITERAL_DEFS = ("Meta", "Source", "Choice", "Setting")
_SELECTOR_CODES = ("subtype", "status", "role", "level", "flags", "not_flags")

Schema = dict[str, Any]


def rule_file_schema() -> Schema:
    """The schema of a rule file."""
    schema: Schema = {"$schema": DIALECT, **RuleSetSpec.model_json_schema(mode="validation")}
    defs: dict[str, Schema] = schema.setdefault("$defs", {})
    for name, definition in defs.items():
        if name not in _LITERAL_DEFS:
            defs[name] = _numbers_or_settings(definition)
    for key, prop in list(schema.get("properties", {}).items()):
        if key not in _LITERAL_SECTIONS:
            schema["properties"][key] = _numbers_or_settings(prop)
    defs["SettingRef"] = SETTING_REF
    if "Text" in defs:
        defs["Text"] = {"anyOf": [defs["Text"], {"type": "string", "description": "the Chinese text"}],
                        "title": "Text"}
    selector = defs.get("Selector", {}).get("properties", {})
    for name in _SELECTOR_CODES:
        if name in selector:
            selector[name] = {"anyOf": [selector[name], {"type": "string"}], "title": selector[name].get("title")}
    rule = defs.get("RuleSpec")
    if rule is not None:
        rule["additionalProperties"] = True
        rule.get("properties", {}).pop("params", None)
        rule["description"] = (rule.get("description", "") + " Keys other than the common ones are the "
                               "rule type's parameters (see rule_types).").strip()
    schema["properties"]["patch"] = {
        "type": "object", "description": "variant files: [patch.<array>.<id>] tables deep-merged into the base",
        "additionalProperties": {"type": "object", "additionalProperties": {"type": "object"}},
    }
    schema["properties"]["remove"] = {
        "type": "object", "description": "variant files: ids to drop per array, e.g. { rules = ['id'] }",
        "additionalProperties": {"type": "array", "items": {"type": "string"}},
    }
    return schema


def _numbers_or_settings(node: Any) -> Any:
    """``node`` with every number schema also accepting a setting reference."""
    if isinstance(node, list):
        return [_numbers_or_settings(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {k: _numbers_or_settings(v) for k, v in node.items()}
    if node.get("type") in ("number", "integer"):
        return {"anyOf": [out, {"$ref": "#/$defs/SettingRef"}]}
    return out


def loosen_parameters(schema: Schema) -> Schema:
    """A rule type's parameter schema as written in files: numbers may be setting references."""
    out: Schema = _numbers_or_settings(schema)
    out.setdefault("$defs", {})["SettingRef"] = SETTING_REF
    return out
