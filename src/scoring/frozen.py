"""Read-only mappings for frozen models: ``FrozenMap[K, V]`` validates like a dict, is stored as a
``MappingProxyType`` (so a shared, compiled rule set cannot be changed in place) and serialises
as a plain dict."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Annotated, Any, TypeVar

from pydantic import AfterValidator, WrapSerializer

K = TypeVar("K")
V = TypeVar("V")


def _freeze(value: Mapping[Any, Any]) -> Mapping[Any, Any]:
    return MappingProxyType(dict(value))


def _as_dict(value: Mapping[Any, Any], handler: Callable[[Any], Any]) -> Any:
    return handler(dict(value))


FrozenMap = Annotated[Mapping[K, V], AfterValidator(_freeze), WrapSerializer(_as_dict)]
