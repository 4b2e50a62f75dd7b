"""Building result models from values the engine already validated, without re-validation.

``pydantic.BaseModel.model_construct`` costs ~20 µs per object; scoring builds hundreds of
thousands of line items, texts and record outcomes, so the engine uses this minimal constructor.
It sets exactly the attributes ``model_construct`` sets, and insists on every field being given
in declaration order (the order serialisation follows).
"""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel

M = TypeVar("M", bound=BaseModel)

_set = object.__setattr__


def trusted(cls: type[M], /, **values: Any) -> M:
    """An instance of ``cls`` holding ``values`` (which must name every field, in declaration
    order) as they are."""
    fields = cls.__pydantic_fields__  # the class's field table (``model_fields`` is a slow property)
    if list(values) != list(fields):
        missing = set(fields) - set(values)
        raise TypeError(
            f"{cls.__name__}: every field must be given, in declaration order {list(fields)}; "
            f"missing {sorted(missing)}"
        )
    obj = object.__new__(cls)  # BaseModel has no __new__ of its own
    _set(obj, "__dict__", values)
    _set(obj, "__pydantic_fields_set__", set(values))
    _set(obj, "__pydantic_extra__", None)
    _set(obj, "__pydantic_private__", None)
    return obj
