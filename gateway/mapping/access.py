"""Field access prepared once per path, over canonical models and plain dicts alike.

The writer used to turn every document into a JSON-mode dict (``model_dump``) and walk it by
splitting paths per value; reading attributes of the model itself gives the same values (the
canonical models have no aliases or custom serializers: Decimal, date, Enum and str are read
as they are and formatted by the transforms), and each path is split into its steps only once.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Callable

from pydantic import BaseModel

from gateway.mapping import fields as F

Getter = Callable[[Any], Any]


_MODELS: set[type] = set()
"""Model classes seen so far (an isinstance check against BaseModel goes through ABC hooks)."""


def _is_model(cls: type) -> bool:
    if cls in _MODELS:
        return True
    if issubclass(cls, BaseModel):
        _MODELS.add(cls)
        return True
    return False


def is_record(value: Any) -> bool:
    """A dict or a canonical model: something a node can read fields from."""
    cls = value.__class__
    return cls is dict or cls in _MODELS or isinstance(value, dict) or _is_model(cls)


def _step(value: Any, name: str) -> Any:
    cls = value.__class__
    if cls is dict:
        return value.get(name)
    if cls in _MODELS or _is_model(cls):
        return getattr(value, name, None)
    if isinstance(value, dict):
        return value.get(name)
    return None


@lru_cache(maxsize=4096)
def getter(path: str) -> Getter:
    """``get(record) -> value or None`` for a path like ``po_number`` or ``item.sku``."""
    parts = F._parts(path)
    if len(parts) == 1 and parts[0][1] is None:
        name = parts[0][0]

        def get_one(record: Any) -> Any:
            cls = record.__class__
            if cls is dict:
                return record.get(name)
            if cls in _MODELS:
                return getattr(record, name, None)
            return _step(record, name)
        return get_one
    if all(index is None for _, index, _ in parts):
        names = tuple(name for name, _, _ in parts)

        def get_chain(record: Any) -> Any:
            value = record
            for name in names:
                value = _step(value, name)
                if value is None:
                    return None
            return value
        return get_chain

    def get_indexed(record: Any) -> Any:
        value = record
        for name, index, _ in parts:
            value = _step(value, name)
            if index is not None:
                if not isinstance(value, list) or index >= len(value):
                    return None
                value = value[index]
            if value is None:
                return None
        return value
    return get_indexed


def collect(record: Any, path: str) -> list[Any]:
    """Every value reached by ``path``, flattening ``[]`` steps; None values are skipped."""
    values = [record]
    for name, index, every in F._parts(path):
        nxt: list[Any] = []
        for v in values:
            # _step, with a model's field read without the call
            item = getattr(v, name, None) if v.__class__ in _MODELS else _step(v, name)
            if every and isinstance(item, list):
                nxt.extend(item)
            elif index is not None:
                if isinstance(item, list) and index < len(item):
                    nxt.append(item[index])
            elif item is not None:
                nxt.append(item)
        values = nxt
    return [v for v in values if v is not None]
