"""The mapping language, as pydantic models (so files are validated and JSON Schemas exported).

A mapping is an ordered tree of nodes that mirrors the X12 structure:

- ``segment``: one segment; ``elements`` maps element references (``BEG03``, ``TD504-2`` for a
  component) to canonical fields; ``match`` qualifies it (``{REF01: IA}``: only those REF
  segments inbound, and REF01=IA written outbound); ``each`` repeats it per list item;
  ``into`` points it at a sub-object; ``ids`` reads/writes qualifier/value pairs (PO106/PO107...).
- ``loop``: a loop that starts with its first body segment (``N1``, ``PO1``); ``each``/``into`` as
  above, ``match`` for a qualified loop (``N1[ST]``).
- ``hl``: a hierarchical level of an 856 (S, O, P, I) with ``children``; HL01/HL02/HL03/HL04
  are counted by the engine, never mapped.

Element specs are either a field path (``po_number``, ``item.sku``, ``address.lines[0]``) or an
object with ``field``, ``const``, ``format`` (date, date6, decimal, implied2, int...), ``codes``
(a code table name), ``when`` (``PO106 = VN``), ``count``/``sum`` (computed, outbound) and
``required``. Overrides ``extends`` a parent and ``set``/``remove`` elements or nodes by path.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Annotated, Literal, Union

from pydantic import (
    BaseModel, ConfigDict, Discriminator, Field, Tag, field_validator, model_validator,
)

from gateway.mapping.transforms import FORMATS

ELEMENT_REF = re.compile(r"^(?P<seg>[A-Z][A-Z0-9]{1,2})(?P<el>\d{2})(?:-(?P<comp>\d{1,2}))?$")
CONDITION = re.compile(r"^\s*(?P<ref>[A-Z][A-Z0-9]{1,2}\d{2})\s*(?P<op>=|!=|in)\s*(?P<value>.+?)\s*$")


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


@lru_cache(maxsize=4096)
def parse_element_ref(ref: str) -> tuple[str, int, int | None]:
    """``'PO107'`` -> ('PO1', 7, None); ``'TD504-2'`` -> ('TD5', 4, 2)."""
    m = ELEMENT_REF.match(ref)
    if not m:
        raise ValueError(f"{ref!r} is not an element reference like BEG03 or TD504-2")
    return m["seg"], int(m["el"]), int(m["comp"]) if m["comp"] else None


class Condition(_Spec):
    """``PO106 = VN``, ``N101 != ST`` or ``N101 in ST,BT``."""

    segment: str
    element: int
    op: Literal["=", "!=", "in"]
    values: tuple[str, ...]

    @classmethod
    def parse(cls, text: str) -> "Condition":
        return _parse_condition(cls, text)

    @classmethod
    def _parse(cls, text: str) -> "Condition":
        m = CONDITION.match(text)
        if not m:
            raise ValueError(f"{text!r} is not a condition like 'PO106 = VN' or 'N101 in ST,BT'")
        seg, el, _ = parse_element_ref(m["ref"])
        values = tuple(v.strip() for v in m["value"].split(",")) if m["op"] == "in" else (
            m["value"].strip(),)
        return cls(segment=seg, element=el, op=m["op"], values=values)

    def holds(self, value: str) -> bool:
        if self.op == "!=":
            return value != self.values[0]
        return value in self.values


@lru_cache(maxsize=1024)
def _parse_condition(cls: type, text: str) -> "Condition":
    return cls._parse(text)


class ElementSpec(_Spec):
    field: str | None = None
    const: str | None = None
    format: str = "text"
    codes: str | None = None
    when: str | None = None
    count: str | None = None
    sum: str | None = None
    default: str | None = None
    required: bool = False
    only_with: str | None = None
    """Outbound: write this element only when that field has a value (paired elements such as
    TD107/TD108: no unit of measure without a weight)."""

    @field_validator("format")
    @classmethod
    def _known_format(cls, value: str) -> str:
        if value not in FORMATS:
            raise ValueError(f"unknown format {value!r}; use one of {sorted(FORMATS)}")
        return value

    @field_validator("when")
    @classmethod
    def _condition(cls, value: str | None) -> str | None:
        if value is not None:
            Condition.parse(value)
        return value

    @model_validator(mode="after")
    def _something(self) -> "ElementSpec":
        if not any((self.field, self.const is not None, self.count, self.sum, self.default)):
            raise ValueError("an element needs field, const, count, sum or default")
        return self


def _element_kind(value: object) -> str:
    return "field" if isinstance(value, str) else "spec"


ElementValue = Annotated[Union[Annotated[str, Tag("field")], Annotated[ElementSpec, Tag("spec")]],
                         Discriminator(_element_kind)]


class IdPairs(_Spec):
    """Qualifier/value pairs (PO106/PO107, PO108/PO109 ...): which qualifier feeds which field."""

    start: str
    pairs: int = Field(10, ge=1, le=20)
    codes: dict[str, str]

    @field_validator("start")
    @classmethod
    def _ref(cls, value: str) -> str:
        parse_element_ref(value)
        return value


class SegmentNode(_Spec):
    segment: str = Field(..., pattern=r"^[A-Z][A-Z0-9]{1,2}$")
    name: str | None = None
    each: str | None = None
    into: str | None = None
    match: dict[str, str] = Field(default_factory=dict)
    elements: dict[str, ElementValue] = Field(default_factory=dict)
    ids: IdPairs | None = None
    required: bool = False
    always: bool = False
    """Outbound: write even when no mapped field has a value (constants only)."""

    @model_validator(mode="after")
    def _refs_belong(self) -> "SegmentNode":
        for ref in [*self.elements, *self.match]:
            seg, _, _ = parse_element_ref(ref)
            if seg != self.segment:
                raise ValueError(f"element {ref} does not belong to segment {self.segment}")
        if self.ids is not None and parse_element_ref(self.ids.start)[0] != self.segment:
            raise ValueError(f"ids.start {self.ids.start} does not belong to {self.segment}")
        return self

    @property
    def key(self) -> str:
        return self.name or self.segment


class LoopNode(_Spec):
    loop: str = Field(..., pattern=r"^[A-Z][A-Z0-9]{1,2}$")
    name: str | None = None
    each: str | None = None
    into: str | None = None
    match: dict[str, str] = Field(default_factory=dict)
    required: bool = False
    body: list["Node"]

    @model_validator(mode="after")
    def _starts_with_loop_segment(self) -> "LoopNode":
        if not self.body or not isinstance(self.body[0], SegmentNode) or \
                self.body[0].segment != self.loop:
            raise ValueError(f"a {self.loop} loop's body must start with the {self.loop} segment")
        return self

    @property
    def key(self) -> str:
        return self.name or self.loop


class HLNode(_Spec):
    hl: str = Field(..., min_length=1, max_length=2)
    name: str | None = None
    each: str | None = None
    into: str | None = None
    body: list["Node"] = Field(default_factory=list)
    children: list["HLNode"] = Field(default_factory=list)

    @property
    def key(self) -> str:
        return self.name or f"HL[{self.hl}]"


def _node_kind(value: object) -> str | None:
    """Pick the node type by its key, so an error is reported for that type only."""
    if isinstance(value, dict):
        for kind in ("segment", "loop", "hl"):
            if kind in value:
                return kind
        return None
    return {SegmentNode: "segment", LoopNode: "loop", HLNode: "hl"}.get(type(value))


Node = Annotated[Union[Annotated[SegmentNode, Tag("segment")], Annotated[LoopNode, Tag("loop")],
                       Annotated[HLNode, Tag("hl")]],
                 Discriminator(_node_kind, custom_error_type="node_kind",
                               custom_error_message="a node needs a 'segment', 'loop' or 'hl' key")]
LoopNode.model_rebuild()
HLNode.model_rebuild()


class MappingFile(_Spec):
    """One YAML file under mappings/<doc>/. Either a full mapping or an override (``extends``)."""

    document: str = Field(..., pattern=r"^(850|855|856|810|997|999)$")
    description: str | None = None
    extends: str | None = None
    versions: list[Literal["4010", "5010"]] = Field(default_factory=lambda: ["4010", "5010"])
    functional_id: str | None = None
    implementation_reference: str | None = None
    """ST03 written by 5010 documents that require it (999: 005010X231A1)."""
    codes: dict[str, dict[str, str]] = Field(default_factory=dict)
    require: list[str] = Field(default_factory=list)
    """X12 paths that must be present inbound and are checked outbound (``N1[ST].N104``)."""
    extract: dict[str, str] = Field(default_factory=dict)
    """Inbound extras, canonical field -> X12 path, applied after the structure (they win)."""
    fallback: dict[str, str] = Field(default_factory=dict)
    """Like extract, but only fills fields the structure left empty (PRF at item level)."""
    body: list[Node] | None = None
    set: dict[str, ElementValue | IdPairs | None] = Field(default_factory=dict)
    """Override: ``'PO1/PO1.PO107'`` -> new element spec; ``'PO1/PO1.ids'`` -> new IdPairs;
    None removes the element."""
    remove: list[str] = Field(default_factory=list)
    """Override: node paths to drop (``'N1'``, ``'PO1/PID'``)."""

    @model_validator(mode="after")
    def _full_or_override(self) -> "MappingFile":
        if self.extends is None and self.body is None:
            raise ValueError("a mapping needs a body, or extends another mapping")
        if self.extends is None and (self.set or self.remove):
            raise ValueError("set/remove are only allowed in a mapping that extends another")
        return self
