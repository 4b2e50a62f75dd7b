"""The column headers accepted by default: field names and the Chinese headers exports use."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

MEMBER_NAME = "member_name"
"""The records' stand-in for ``member_id``: a member's name, matched against the members list
when the file has no member-id column (see :mod:`scoring.io.names`)."""

DEFAULT_MEMBER_HEADERS: Mapping[str, str] = MappingProxyType({
    "委员编号": "id",
    "编号": "id",
    "姓名": "name",
    "委员姓名": "name",
    "界别": "sector",
    "专委会": "committee",
    "专门委员会": "committee",
    "活动组": "group",
    "小组": "group",
    "界别组": "group",
    "工作单位": "employer",
    "单位": "employer",
    "身份": "roles",
    "职务": "roles",
    "角色": "roles",
    "任职日期": "joined",
    "离任日期": "left",
    "届次": "term",
    "免考原因": "exempt",
})
"""The Chinese member headers accepted by default."""

DEFAULT_RECORD_HEADERS: Mapping[str, str] = MappingProxyType({
    "记录编号": "id",
    "委员编号": "member_id",
    "编号": "member_id",
    "姓名": MEMBER_NAME,
    "委员姓名": MEMBER_NAME,
    "类型": "kind",
    "类别": "kind",
    "子类": "subtype",
    "子类型": "subtype",
    "会议类型": "subtype",
    "活动类型": "subtype",
    "状态": "status",
    "出席情况": "status",
    "参会情况": "status",
    "出勤情况": "status",
    "提案人身份": "role",
    "署名": "role",
    "角色": "role",
    "联名人数": "signers",
    "标记": "flags",
    "级别": "level",
    "数量": "quantity",
    "日期": "date",
    "活动日期": "date",
    "会议日期": "date",
    "活动时间": "date",
    "办理日期": "scored_on",
    "立案日期": "scored_on",
    "同一事项": "same_as",
    "已删除": "deleted",
    "备注": "note",
})
"""The Chinese record headers accepted by default. In a records file 角色 is the record's role
(提案人身份) and 姓名 the member's name; in a members file they are the member's roles and name."""

RECORD_FALLBACK_HEADERS: Mapping[str, str] = MappingProxyType({
    "活动名称": "subtype",
    "会议名称": "subtype",
})
"""Headers read only when no other column gives their field: the name of a meeting
(2024年第一次全体会议) is its subtype unless a 会议类型 column says so; beside one it is unused."""
