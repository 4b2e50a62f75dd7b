"""Bilingual text: every label and message carries Chinese and, where available, English."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, model_validator

Lang = Literal["zh", "en"]
LANGS: tuple[Lang, ...] = ("zh", "en")


class Text(BaseModel):
    """A label in Chinese (required) and English (optional; falls back to Chinese)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    zh: str
    en: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _from_plain_string(cls, value: object) -> object:
        # A bare string in a rule file is the Chinese label.
        if isinstance(value, str):
            return {"zh": value}
        return value

    def get(self, lang: Lang = "zh") -> str:
        """The text in ``lang``; English falls back to Chinese when no translation exists."""
        if lang == "en" and self.en:
            return self.en
        return self.zh

    def __str__(self) -> str:
        return self.zh


def t(zh: str, en: str | None = None) -> Text:
    """Build a :class:`Text` from trusted strings without validation (used on hot paths)."""
    obj = Text.__new__(Text)
    object.__setattr__(obj, "__dict__", {"zh": zh, "en": en})
    object.__setattr__(obj, "__pydantic_fields_set__", {"zh", "en"})
    object.__setattr__(obj, "__pydantic_extra__", None)
    object.__setattr__(obj, "__pydantic_private__", None)
    return obj
