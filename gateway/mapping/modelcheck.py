"""Check a mapping's field paths against the canonical model, so a typo (``item.skuu``) or a
field the model lacks fails when the mapping is checked, not when a partner's file arrives."""

from __future__ import annotations

import types
import typing
from typing import Any

from pydantic import BaseModel

from gateway.canonical import DOCUMENT_MODELS
from gateway.mapping.compiled import Mapping
from gateway.mapping.fields import _parts
from gateway.mapping.spec import HLNode, LoopNode, SegmentNode


def _unwrap(tp: Any) -> Any:
    """Optional[X] -> X."""
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        return args[0] if len(args) == 1 else tp
    return tp


def resolve(model: Any, path: str) -> Any:
    """The type at ``path`` inside ``model``; KeyError naming the first unknown step."""
    tp: Any = model
    for name, index, every in _parts(path):
        tp = _unwrap(tp)
        if not (isinstance(tp, type) and issubclass(tp, BaseModel)):
            raise KeyError(f"{name!r} (the value before it is not an object)")
        field = tp.model_fields.get(name)
        if field is None:
            raise KeyError(f"{name!r}; {tp.__name__} has {sorted(tp.model_fields)}")
        tp = _unwrap(field.annotation)
        if index is not None or every:
            if typing.get_origin(tp) is not list:
                raise KeyError(f"{name}[] ({name} is not a list)")
            tp = typing.get_args(tp)[0]
    return tp


def check_mapping(mapping: Mapping) -> list[tuple[str, str]]:
    """(key path in the mapping, problem) for each field that the canonical model lacks."""
    problems: list[tuple[str, str]] = []
    root = DOCUMENT_MODELS[mapping.document]

    def ctx_for(model: Any, node: Any, where: str) -> Any:
        for attr in ("into", "each"):
            path = getattr(node, attr, None)
            if path:
                try:
                    model = resolve(model, path)
                except KeyError as exc:
                    problems.append((f"{where}.{attr}", f"unknown field {exc.args[0]}"))
                    return None
                if attr == "each" and typing.get_origin(model) is list:
                    model = typing.get_args(model)[0]
        return model

    def field(model: Any, path: str, where: str) -> None:
        try:
            base = root if path.startswith("/") else model
            resolve(base, path.lstrip("/"))
        except KeyError as exc:
            problems.append((where, f"unknown field {exc.args[0]}"))

    def walk(nodes: Any, model: Any, where: str) -> None:
        for node in nodes:
            here = f"{where}/{node.key}" if where else node.key
            inner = ctx_for(model, node, here)
            if inner is None:
                continue
            if isinstance(node, SegmentNode):
                for ref, spec in node.elements.items():
                    if isinstance(spec, str):
                        field(inner, spec, f"{here}.{ref}")
                        continue
                    if spec.field:
                        field(inner, spec.field, f"{here}.{ref}")
                    if spec.only_with:
                        field(inner, spec.only_with, f"{here}.{ref}.only_with")
                    for p in (spec.count, spec.sum):
                        if p:
                            field(inner, p.replace("[]", "[0]"), f"{here}.{ref}")
                if node.ids:
                    for target in node.ids.codes.values():
                        field(inner, target, f"{here}.ids")
            elif isinstance(node, (LoopNode, HLNode)):
                walk(node.body, inner, here)
                if isinstance(node, HLNode):
                    walk(node.children, inner, here)

    walk(mapping.body, root, "")
    for target, _ in (*mapping.extract, *mapping.fallback):
        field(root, target, f"extract.{target}")
    return problems
