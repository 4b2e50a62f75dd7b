"""Turning pydantic validation errors into :class:`Problem` entries that name the key path."""

from __future__ import annotations

import types
import typing
from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import BaseModel, ValidationError

from ..errors import Problem, did_you_mean

_EXPECTED = {
    "missing": "a value / 必填",
    "int_parsing": "an integer / 整数",
    "int_type": "an integer / 整数",
    "decimal_parsing": "a number / 数字",
    "decimal_type": "a number / 数字",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "string_type": "a string / 字符串",
    "date_from_datetime_parsing": "a date YYYY-MM-DD",
    "date_parsing": "a date YYYY-MM-DD",
    "date_type": "a date YYYY-MM-DD",
    "tuple_type": "an array / 数组",
    "dict_type": "a table / 表",
    "model_type": "a table / 表",
    "greater_than_equal": None,
    "less_than_equal": None,
}


def key_path(loc: Sequence[int | str], data: Any = None) -> str:
    """``rules[3] (id=plenary).points`` from a pydantic location and the raw data it points into."""
    out = ""
    node = data
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
            node = node[part] if isinstance(node, list) and part < len(node) else None
            if isinstance(node, dict) and "id" in node:
                out += f" (id={node['id']})"
        else:
            out += f".{part}" if out else str(part)
            node = node.get(part) if isinstance(node, dict) else None
    return out


def problems_from(
    exc: ValidationError, *, file: str, data: Any, model: type[BaseModel], prefix: str = ""
) -> list[Problem]:
    """One :class:`Problem` per pydantic error, with key path, expectation and did-you-mean hint."""
    problems: list[Problem] = []
    for err in exc.errors():
        loc = _without_union_tags(model, err["loc"])
        path = key_path(loc, data)
        if prefix:
            path = f"{prefix}.{path}" if path else prefix
        kind = err["type"]
        found = None if kind == "missing" else repr(err.get("input"))[:80]
        hint = None
        expected = _EXPECTED.get(kind)
        if kind == "extra_forbidden" and loc:
            parent = _walk(model, err["loc"][:-1])[1]
            inner = _inner_model(parent)
            allowed = list(inner.model_fields) if inner is not None else _fields_at(model, loc[:-1])
            expected = f"one of: {', '.join(sorted(allowed))}" if allowed else None
            hint = did_you_mean(str(loc[-1]), allowed)
            zh, en = f"未知的键 '{loc[-1]}'", f"unknown key '{loc[-1]}'"
            found = None
        elif kind == "missing":
            zh, en = "缺少必填项", "missing required key"
        else:
            zh, en = f"取值无效：{err['msg']}", f"invalid value: {err['msg']}"
        if kind == "literal_error" and "expected" in err.get("ctx", {}):
            expected = str(err["ctx"]["expected"])
        problems.append(Problem(zh, en, file=file, key=path, expected=expected, found=found, hint=hint))
    return problems


def _without_union_tags(model: type[BaseModel], loc: Sequence[int | str]) -> tuple[int | str, ...]:
    """The location without the parts pydantic inserts for union members (their class names,
    validator names or a discriminated union's tags), which a rule author never wrote."""
    return _walk(model, loc)[0]


def _walk(model: type[BaseModel], loc: Sequence[int | str]) -> tuple[tuple[int | str, ...], Any]:
    """Follow ``loc`` from ``model``: the cleaned location, and the annotation it ends on."""
    out: list[int | str] = []
    current: Any = model
    for part in loc:
        if isinstance(part, str) and _is_union(current):
            member = _union_member(current, part)
            if member is not None:  # a tag or member name inserted by pydantic
                current = member
                continue
        if isinstance(part, str) and _is_union_tag(part):
            continue
        out.append(part)
        inner = _inner_model(current)
        if isinstance(part, int):
            current = _element(current)
        elif _mapping_value(current) is not None:
            current = _mapping_value(current)
        elif inner is not None and part in inner.model_fields:
            current = inner.model_fields[part].annotation
        else:
            current = None
    return tuple(out), current


def _union_member(annotation: Any, tag: str) -> type[BaseModel] | None:
    """The member of a (discriminated) union named by ``tag``: its ``type`` literal or class name."""
    if typing.get_origin(annotation) is typing.Annotated:
        return _union_member(typing.get_args(annotation)[0], tag)
    for arg in typing.get_args(annotation):
        if isinstance(arg, type) and issubclass(arg, BaseModel):
            field = arg.model_fields.get("type")
            literal = typing.get_args(field.annotation) if field is not None else ()
            if tag == arg.__name__ or tag in literal:
                return arg
    return None


def _is_union(annotation: Any) -> bool:
    if typing.get_origin(annotation) is typing.Annotated:
        return _is_union(typing.get_args(annotation)[0])
    return typing.get_origin(annotation) in (typing.Union, types.UnionType)


def _element(annotation: Any) -> Any:
    origin = typing.get_origin(annotation)
    if origin in (tuple, list):
        return typing.get_args(annotation)[0]
    if origin is typing.Annotated:
        return _element(typing.get_args(annotation)[0])
    return annotation


def _is_union_tag(part: str) -> bool:
    # pydantic inserts the member type name for unions ("function-after[...]", "TotalBelow" …).
    return part[:1].isupper() or "[" in part


def _fields_at(model: type[BaseModel], loc: Sequence[int | str]) -> list[str]:
    """Field names of the model found by following ``loc`` from ``model`` (best effort)."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        if _mapping_value(current) is not None:
            current = _mapping_value(current)
            continue
        current = _inner_model(current)
        if current is None or part not in current.model_fields:
            return []
        current = current.model_fields[part].annotation
    inner = _inner_model(current)
    return list(inner.model_fields) if inner is not None else []


def _inner_model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is typing.Annotated:
        return _inner_model(args[0])
    if origin in (tuple, list, typing.Union, types.UnionType):
        for arg in args:
            found = _inner_model(arg)
            if found is not None:
                return found
    if origin in (dict, Mapping) and len(args) == 2:
        return _inner_model(args[1])
    return None


def _mapping_value(annotation: Any) -> Any:
    """The value type of a dict/Mapping annotation (through Annotated), else None."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _mapping_value(typing.get_args(annotation)[0])
    if origin in (dict, Mapping):
        args = typing.get_args(annotation)
        return args[1] if len(args) == 2 else None
    return None
