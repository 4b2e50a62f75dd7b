"""Turning pydantic validation errors of the input models into bilingual problems."""

from __future__ import annotations

from pydantic_core import ErrorDetails

_BOUNDS = {
    "greater_than_equal": ("ge", "≥", "不能小于", "must be at least"),
    "greater_than": ("gt", ">", "必须大于", "must be greater than"),
    "less_than_equal": ("le", "≤", "不能大于", "must be at most"),
    "less_than": ("lt", "<", "必须小于", "must be less than"),
}


def translate(error: ErrorDetails) -> tuple[str, str, str | None]:
    """``(zh, en, expected)`` describing one pydantic error."""
    kind = error["type"]
    ctx = error.get("ctx") or {}
    if kind in _BOUNDS:
        key, sign, zh, en = _BOUNDS[kind]
        bound = ctx.get(key)
        return f"取值{zh} {bound}", f"the value {en} {bound}", f"{sign} {bound}"
    if kind == "string_too_long":
        limit = ctx.get("max_length")
        return (
            f"文本过长（最多 {limit} 个字符）", f"the text is too long (at most {limit} characters)",
            f"at most {limit} characters / 最多 {limit} 个字符",
        )
    if kind == "finite_number":
        return "必须是有限数值", "the value must be a finite number", "a finite number / 有限数值"
    if kind == "missing":
        return "缺少必填值", "a required value is missing", None
    if kind in ("value_error", "assertion_error"):
        text = str(ctx.get("error", error["msg"]))
        en, _, zh = text.partition(" / ")
        return zh or en, en, None
    return f"取值无效：{error['msg']}", f"invalid value: {error['msg']}", None
