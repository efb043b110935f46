"""Simple location paths that can be written as well as read: `a:B/a:C[@type='x']/@attr`.

Rendering creates what such a path names: intermediate elements are found or created (so two
fields under `a:Header` share one Header), the last element is created anew when `fresh` (one per
list item or repeated value), predicates `[@k='v']` become attributes, `@name` sets an attribute.
"""
from __future__ import annotations

import re
from functools import lru_cache
from dataclasses import dataclass
from typing import Any

from lxml import etree

_STEP = re.compile(r"^(?:(?P<prefix>[A-Za-z_][\w.-]*):)?(?P<name>[A-Za-z_][\w.-]*)"
                   r"(?P<preds>(?:\[@[A-Za-z_][\w.:-]*=(?:'[^']*'|\"[^\"]*\")\])*)$")
_PRED = re.compile(r"\[@(?P<key>[A-Za-z_][\w.:-]*)=(?:'(?P<v1>[^']*)'|\"(?P<v2>[^\"]*)\")\]")


@dataclass(frozen=True)
class Step:
    tag: str                          # Clark notation {uri}name
    attributes: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class WritablePath:
    steps: tuple[Step, ...]
    attribute: str | None             # a final @name, or None for element text


def writable(path: str, namespaces: dict[str, str]) -> WritablePath | None:
    """The parsed path, or None when it is not a simple location path (then it is read-only)."""
    return _writable(path, tuple(sorted(namespaces.items())))


@lru_cache(maxsize=4096)
def _writable(path: str, ns_items: tuple[tuple[str, str], ...]) -> WritablePath | None:
    namespaces = dict(ns_items)
    parts = [p for p in path.strip().split("/")]
    if not path.strip() or parts[0] == "" or any(p == "" for p in parts):
        return None
    attribute = None
    if parts[-1].startswith("@"):
        attribute = parts.pop()[1:]
        if not re.fullmatch(r"[A-Za-z_][\w.-]*", attribute):
            return None
    steps = []
    for part in parts:
        if part == ".":
            continue
        match = _STEP.match(part)
        if not match:
            return None
        prefix = match["prefix"]
        if prefix and prefix not in namespaces:
            return None
        tag = f"{{{namespaces[prefix]}}}{match['name']}" if prefix else match["name"]
        preds = tuple((m["key"], m["v1"] if m["v1"] is not None else m["v2"])
                      for m in _PRED.finditer(match["preds"] or ""))
        steps.append(Step(tag, preds))
    return WritablePath(tuple(steps), attribute)


def _matches(element: Any, step: Step) -> bool:
    return element.tag == step.tag and all(element.get(k) == v for k, v in step.attributes)


def _create(parent: Any, step: Step) -> Any:
    return etree.SubElement(parent, step.tag, dict(step.attributes))


def locate(context: Any, path: WritablePath, *, fresh: bool) -> Any:
    """The element the path ends at (before any @attribute), creating what is missing."""
    element = context
    for n, step in enumerate(path.steps):
        last = n == len(path.steps) - 1
        found = None if (fresh and last) else next(
            (child for child in element if isinstance(child.tag, str) and _matches(child, step)),
            None)
        element = found if found is not None else _create(element, step)
    return element


def put(context: Any, path: WritablePath, text: str, *, fresh: bool = False) -> None:
    element = locate(context, path, fresh=fresh and path.attribute is None)
    if path.attribute:
        element.set(path.attribute, text)
    else:
        element.text = text
