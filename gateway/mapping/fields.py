"""Canonical field paths over plain dicts: ``item.sku``, ``address.lines[0]``, ``lines[].quantity``.

Inbound, the engine fills plain dicts and validates once at the end, so a mapping can fill a
model in any order; outbound it reads the models themselves (access.py does the same walk over
models and dicts). ``[]`` in a path collects over every list item (used by ``count``/``sum``).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

_PART = re.compile(r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?:\[(?P<index>\d*)\])?$")


@lru_cache(maxsize=4096)
def _parts(path: str) -> tuple[tuple[str, int | None, bool], ...]:
    out = []
    for piece in path.split("."):
        m = _PART.match(piece)
        if not m:
            raise ValueError(f"{path!r} is not a field path like item.sku or lines[].quantity")
        index = m["index"]
        out.append((m["name"], int(index) if index else None, index == ""))
    return tuple(out)


def validate_path(path: str) -> None:
    _parts(path)


def get(ctx: Any, path: str) -> Any:
    """The value at ``path`` or None when any step is missing."""
    value = ctx
    for name, index, _ in _parts(path):
        if not isinstance(value, dict):
            return None
        value = value.get(name)
        if index is not None:
            if not isinstance(value, list) or index >= len(value):
                return None
            value = value[index]
    return value


def collect(ctx: Any, path: str) -> list[Any]:
    """Every value reached by ``path``, flattening ``[]`` steps; None values are skipped."""
    values = [ctx]
    for name, index, every in _parts(path):
        nxt: list[Any] = []
        for v in values:
            if not isinstance(v, dict):
                continue
            item = v.get(name)
            if every and isinstance(item, list):
                nxt.extend(item)
            elif index is not None:
                if isinstance(item, list) and index < len(item):
                    nxt.append(item[index])
            elif item is not None:
                nxt.append(item)
        values = nxt
    return [v for v in values if v is not None]


def put(ctx: dict, path: str, value: Any) -> None:
    """Set ``path`` in ``ctx``, creating dicts and padding lists as needed."""
    parts = _parts(path)
    target = ctx
    for n, (name, index, _) in enumerate(parts):
        last = n == len(parts) - 1
        if index is None:
            if last:
                target[name] = value
                return
            target = target.setdefault(name, {})
            if target is None:
                target = ctx[name] = {}
            continue
        lst = target.setdefault(name, [])
        while len(lst) <= index:
            lst.append(None if last else {})
        if last:
            lst[index] = value
            return
        if lst[index] is None:
            lst[index] = {}
        target = lst[index]


def child(ctx: dict, path: str) -> dict:
    """The sub-object at ``path`` (created when absent): the context of an ``into`` node."""
    existing = get(ctx, path)
    if isinstance(existing, dict):
        return existing
    new: dict = {}
    put(ctx, path, new)
    return new


def append(ctx: dict, path: str) -> tuple[dict, int]:
    """A new item at the end of the list at ``path``: the context of one ``each`` instance."""
    lst = get(ctx, path)
    if not isinstance(lst, list):
        lst = []
        put(ctx, path, lst)
    item: dict = {}
    lst.append(item)
    return item, len(lst) - 1
