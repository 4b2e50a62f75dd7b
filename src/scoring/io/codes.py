"""Mapping Chinese values to canonical vocabulary codes.

A value is accepted when it is a canonical code, the Chinese label (``zh``), one of the
``aliases`` or the English label of a term, compared after NFKC normalisation, case folding and
removal of whitespace. Record subtypes, statuses, roles and flags are looked up in the tables of
the record's kind, so ``其他`` means ``other`` meeting, activity or service depending on kind.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from difflib import get_close_matches

from ..errors import did_you_mean
from ..vocabulary import RecordField, Term, Vocabulary
from .problems import CellError

_FIELD_NAMES: dict[str, tuple[str, str]] = {
    "kind": ("记录类型", "record kind"),
    "subtype": ("子类", "subtype"),
    "status": ("状态", "status"),
    "role": ("身份", "role"),
    "flags": ("标记", "flag"),
    "level": ("级别", "level"),
    "roles": ("委员身份", "member role"),
}


def lookup_key(value: str) -> str:
    """The form in which values and vocabulary spellings are compared."""
    if value.isascii():  # NFKC leaves ASCII unchanged
        return "".join(value.lower().split())
    return "".join(unicodedata.normalize("NFKC", value).casefold().split())


def suggest(value: str, choices: Iterable[str]) -> str | None:
    """A did-you-mean hint; two-character Chinese words also match on one shared character,
    which :func:`~scoring.errors.did_you_mean`'s cut-off is too strict for, and a code's first
    word names it when no other code starts so (``absent`` → ``absent_unexcused``)."""
    options = sorted(set(choices))
    hint = did_you_mean(value, options)
    if hint is None and len(value) <= 3 and not value.isascii():
        close = get_close_matches(value, [c for c in options if not c.isascii()], n=1, cutoff=0.5)
        hint = f"did you mean '{close[0]}'? / 是否指 '{close[0]}'？" if close else None
    if hint is None and value.isascii() and len(value) >= 3:
        starting = [c for c in options if c.startswith(f"{value}_")]
        hint = f"did you mean '{starting[0]}'? / 是否指 '{starting[0]}'？" if len(starting) == 1 else None
    return hint


class ValueMap:
    """A mapping profile's cell values → vocabulary spellings for one field: values compared as
    codes are (:func:`lookup_key`); a value with ``*`` is a pattern (``*全体会议*``), tried in
    order after the exact values."""

    def __init__(self, entries: Mapping[str, str] | None = None) -> None:
        self.entries = dict(entries or {})
        self._exact = {lookup_key(v): t for v, t in self.entries.items() if "*" not in v}
        self._wild = [
            (re.compile(".*".join(re.escape(p) for p in lookup_key(v).split("*")), re.S), t)
            for v, t in self.entries.items() if "*" in v
        ]

    def __bool__(self) -> bool:
        return bool(self.entries)

    def get(self, value: str) -> str | None:
        """What the profile maps ``value`` to, or ``None``."""
        key = lookup_key(value)
        if key in self._exact:
            return self._exact[key]
        return next((target for pattern, target in self._wild if pattern.fullmatch(key)), None)


class CodeTable:
    """The codes allowed in one field, indexed by every spelling exports use.

    ``scope`` is the (zh, en) name of the record kind for kind-scoped tables; ``values`` is what
    a mapping profile maps this field's cells to (looked up before the vocabulary).
    """

    def __init__(
        self, field: str, terms: Mapping[str, Term], scope: tuple[str, str] | None = None,
        values: ValueMap | None = None,
    ) -> None:
        self.field = field
        self.terms = dict(terms)
        self.scope = scope
        self.values = values or ValueMap()
        ranked: dict[str, tuple[int, str]] = {}
        for code, term in self.terms.items():
            spellings = [(0, code), (1, term.zh), *((2, a) for a in term.aliases)]
            if term.en:
                spellings.append((3, term.en))
            for rank, spelling in spellings:
                key = lookup_key(spelling)
                if key and (key not in ranked or rank < ranked[key][0]):
                    ranked[key] = (rank, code)
        self._index = {key: code for key, (_, code) in ranked.items()}

    def lookup(self, value: str) -> str:
        """The canonical code for ``value`` (or for what the profile maps it to);
        :class:`CellError` when it is not known."""
        mapped = self.values.get(value) if self.values else None
        code = self._index.get(lookup_key(value if mapped is None else mapped))
        if code is not None:
            return code
        shown = value if mapped is None else f"{value} → {mapped} (mapping profile / 映射配置)"
        value = value if mapped is None else mapped
        zh_field, en_field = _FIELD_NAMES.get(self.field, (self.field, self.field))
        scope_zh, scope_en = self.scope or ("", "")
        if not self.terms:
            raise CellError(
                f"{scope_zh}记录没有{zh_field}，此处应留空",
                f"{scope_en} records take no {en_field}; leave this empty",
                expected="(empty) / 空", found=shown,
            )
        if self.scope:
            zh = f"不是{scope_zh}记录可用的{zh_field}"
            en = f"not a known {en_field} of {scope_en} records"
        else:
            zh, en = f"不是已知的{zh_field}", f"not a known {en_field}"
        spellings = [s for code, t in self.terms.items() for s in (code, t.zh, *t.aliases)]
        hint = suggest(value, spellings)
        raise CellError(zh, en, expected=self.expected(), hint=hint, found=shown)

    def expected(self) -> str:
        """The allowed codes with their Chinese labels, for error messages."""
        return "one of / 可选: " + ", ".join(f"{c} ({t.zh})" for c, t in self.terms.items())


class Codes:
    """Every code table of one vocabulary; kind-scoped tables are built when first used.
    ``values`` (field → cell value → spelling) is a mapping profile's value map."""

    def __init__(self, vocabulary: Vocabulary, values: Mapping[str, Mapping[str, str]] | None = None) -> None:
        self.vocabulary = vocabulary
        self.values = {f: ValueMap(v) for f, v in (values or {}).items()}
        self.kinds = CodeTable(
            "kind", {k: spec.label for k, spec in vocabulary.kinds.items()}, values=self.values.get("kind")
        )
        self.levels = CodeTable("level", vocabulary.levels, values=self.values.get("level"))
        self.member_roles = CodeTable("roles", vocabulary.roles, values=self.values.get("roles"))
        self._scoped: dict[tuple[str, RecordField], CodeTable] = {}

    def scoped(self, kind: str, field: RecordField) -> CodeTable:
        """The table for ``field`` of records of ``kind`` (levels are the same for all kinds)."""
        if field == "level":
            return self.levels
        key = (kind, field)
        if key not in self._scoped:
            label = self.vocabulary.kinds[kind].label.zh if kind in self.vocabulary.kinds else kind
            table = self.vocabulary.allowed(kind, field)
            self._scoped[key] = CodeTable(field, table, scope=(label, kind), values=self.values.get(field))
        return self._scoped[key]

