"""A loaded mapping ready to run: the merged node tree plus its code tables and requirements."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from gateway.mapping.path import X12Path
from gateway.mapping.spec import ElementSpec, HLNode, LoopNode, Node, SegmentNode


@dataclass(frozen=True)
class Mapping:
    name: str
    document: str
    body: tuple[Node, ...]
    codes: dict[str, dict[str, str]]
    require: tuple[X12Path, ...] = ()
    extract: tuple[tuple[str, X12Path], ...] = ()
    fallback: tuple[tuple[str, X12Path], ...] = ()
    functional_id: str | None = None
    implementation_reference: str | None = None
    files: tuple[str, ...] = field(default=())
    """The files merged into this mapping, parent first (for error messages)."""
    chain_names: tuple[str, ...] = field(default=())
    plans: dict = field(default_factory=dict, compare=False, repr=False)
    """Per-node preparations made on first use by the reader and writer (keyed by id(node)):
    dispatch levels, segment plans and their generated functions (readplan/readgen,
    writeplan/writegen). They live as long as this Mapping, which the registry replaces when
    one of its files changes."""


def element_spec(value: str | ElementSpec) -> ElementSpec:
    """Shorthand ``po_number`` means ``{field: po_number}``."""
    return _shorthand(value) if isinstance(value, str) else value


@lru_cache(maxsize=4096)
def _shorthand(field_path: str) -> ElementSpec:
    return ElementSpec(field=field_path)


def trigger(node: Node) -> str:
    """The segment id that starts a node when reading."""
    if isinstance(node, SegmentNode):
        return node.segment
    if isinstance(node, LoopNode):
        return node.loop
    return "HL"


def match_of(node: Node) -> dict[str, str]:
    if isinstance(node, SegmentNode):
        return node.match
    if isinstance(node, LoopNode):
        return node.match or node.body[0].match  # type: ignore[union-attr]
    return {}


__all__ = ["HLNode", "LoopNode", "Mapping", "SegmentNode", "element_spec", "match_of", "trigger"]
