"""Matching records to members by name, for record files that have no member-id column.

Office sheets often list 姓名 and no 委员编号. A name is matched against the members list after
NFKC normalisation and removal of every space (exports pad two-character names: 张　三); a name
no member has, or one that several members share, is an error on that row — never a guess.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..models import Member
from .codes import lookup_key, suggest
from .problems import CellError


class MemberNames:
    """The members' ids by name."""

    def __init__(self, members: Iterable[Member]) -> None:
        self._ids: dict[str, list[str]] = {}
        self._names: dict[str, str] = {}
        for member in members:
            key = lookup_key(member.name)
            if key:
                self._ids.setdefault(key, []).append(member.id)
                self._names.setdefault(key, member.name)

    def member_id(self, name: str) -> str:
        """The id of the one member named ``name``; :class:`CellError` when none or several are."""
        key = lookup_key(name)
        ids = self._ids.get(key, [])
        if len(ids) == 1:
            return ids[0]
        if ids:
            listed = "、".join(ids)
            raise CellError(
                f"姓名「{name}」对应多名委员（{listed}），无法确定是哪一位",
                f"the name '{name}' belongs to several members ({', '.join(ids)})",
                expected="a name only one member has / 唯一的姓名",
                hint="add a 委员编号 column to the records file / 请在记录文件中增加委员编号列",
            )
        raise CellError(
            f"委员名单中没有名为「{name}」的委员", f"no member named '{name}' in the members list",
            expected="the name of a member of the members list / 委员名单中的姓名",
            hint=suggest("".join(name.split()), ("".join(n.split()) for n in self._names.values())),
        )
