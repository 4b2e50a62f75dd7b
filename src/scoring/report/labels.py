"""Column headings and fixed phrases of reports, in Chinese and English."""

from __future__ import annotations

from ..text import Lang

_LABELS: dict[str, tuple[str, str]] = {
    "rank": ("排名", "rank"),
    "group": ("分组", "group"),
    "member_id": ("委员编号", "member id"),
    "name": ("姓名", "name"),
    "sector": ("界别", "sector"),
    "committee": ("专委会", "committee"),
    "total": ("总分", "total"),
    "grade": ("等级", "grade"),
    "grade_by_score": ("按分数等级", "score band"),
    "gates": ("门槛", "gates"),
    "warnings": ("预警", "warnings"),
    "rule": ("规则", "rule"),
    "category": ("类别", "category"),
    "cite": ("依据条款", "clause"),
    "records": ("记录", "records"),
    "raw": ("原始分", "raw"),
    "points": ("得分", "points"),
    "detail": ("计算", "computation"),
    "adjustment": ("封顶/保底", "cap/floor"),
    "met": ("达到", "met"),
    "not_met": ("未达到", "not met"),
    "not_computable": ("无法计算", "not computable"),
    "exempt": ("免考", "exempt"),
    "action": ("处理", "action"),
    "message": ("说明", "message"),
    "accounting": ("记录核对", "record accounting"),
    "read": ("读取", "read"),
    "counted": ("计分", "counted"),
    "ignored": ("忽略", "ignored"),
    "rejected": ("拒绝", "rejected"),
    "requirement": ("要求", "requirement"),
    "done": ("完成", "done"),
    "rule_set": ("规则集", "rule set"),
    "version": ("版本", "version"),
    "plugin": ("插件", "plugin"),
    "title": ("名称", "title"),
    "distribution": ("发行包", "distribution"),
    "period": ("考核期", "period"),
    "why_not_computable": ("无法计算的原因", "why not computable"),
    "example_values": ("示例值，非官方", "example values, not official"),
}


def label(key: str, lang: Lang) -> str:
    """The heading ``key`` in ``lang``."""
    zh, en = _LABELS[key]
    return zh if lang == "zh" else en
