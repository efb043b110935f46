"""Outbound: a canonical dict -> (segment_id, elements) specs, driven by the same Mapping.

The inverse of reader.py: constants and ``match`` values are written, ``each`` repeats a node
per list item, HL01/HL02/HL04 are numbered here, ``count``/``sum`` compute totals (CTT01,
CTT02). A segment whose mapped fields are all empty is left out unless ``always`` or
``required``; a required element without a value is an OutboundError naming the field.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Sequence

from gateway.mapping import fields as F
from gateway.mapping import transforms
from gateway.mapping.compiled import Mapping, element_spec
from gateway.mapping.errors import OutboundError
from gateway.mapping.spec import Condition, HLNode, LoopNode, Node, SegmentNode, parse_element_ref

SegmentSpec = tuple[str, list[Any]]


class _Writer:
    def __init__(self, mapping: Mapping, root: dict):
        self.mapping = mapping
        self.root = root
        self.out: list[SegmentSpec] = []
        self.hl_counter = 0

    def _instances(self, node: Node, ctx: dict) -> list[dict]:
        into = getattr(node, "into", None)
        each = getattr(node, "each", None)
        if into:
            ctx = F.get(ctx, into)
            if not isinstance(ctx, dict):
                return []
        if each:
            items = F.get(ctx, each) or []
            return [item for item in items if isinstance(item, dict)]
        return [ctx]

    def write_nodes(self, nodes: Sequence[Node], ctx: dict, parent_hl: str = "") -> None:
        for node in nodes:
            for inst in self._instances(node, ctx):
                if isinstance(node, SegmentNode):
                    self.write_segment(node, inst)
                elif isinstance(node, LoopNode):
                    self.write_loop(node, inst)
                else:
                    self.write_hl(node, inst, parent_hl)

    def write_loop(self, node: LoopNode, ctx: dict) -> None:
        first = node.body[0]
        mark = len(self.out)
        self.write_segment(first, ctx, force=bool(node.match))  # type: ignore[arg-type]
        if len(self.out) == mark:
            return  # no loop header, no loop
        self.write_nodes(node.body[1:], ctx)

    def write_hl(self, node: HLNode, ctx: dict, parent_hl: str) -> None:
        self.hl_counter += 1
        own = str(self.hl_counter)
        has_children = any(self._instances(c, ctx) for c in node.children)
        self.out.append(("HL", [own, parent_hl, node.hl, "1" if has_children else "0"]))
        self.write_nodes(node.body, ctx)
        self.write_nodes(node.children, ctx, own)

    def _value(self, spec, ctx: dict, seg_id: str, el: int) -> tuple[str, bool]:
        """(element text, whether it came from the document rather than a constant)."""
        if spec.count:
            return str(len(F.collect(ctx, spec.count)) if "[]" in spec.count
                       else len(F.get(ctx, spec.count) or [])), True
        if spec.sum:
            values = F.collect(self.root if spec.sum.startswith("/") else ctx,
                               spec.sum.lstrip("/"))
            return transforms.to_x12(spec.format if spec.format != "text" else "decimal",
                                     sum((Decimal(str(v)) for v in values), Decimal(0))), True
        if spec.only_with and F.get(ctx, spec.only_with) in (None, ""):
            return "", False
        value = F.get(ctx, spec.field) if spec.field else None
        if hasattr(value, "value"):  # an Enum member
            value = value.value
        if value is None or value == "":
            if spec.const is not None:
                return spec.const, False
            if spec.default is not None:
                return spec.default, False
            if spec.required:
                raise OutboundError("required value is missing", segment_id=seg_id,
                                    element_position=el, field=spec.field,
                                    mapping=self.mapping.name)
            return "", False
        if spec.codes:
            value = transforms.translate_out(self.mapping.codes[spec.codes], str(value))
        if spec.format == "text":
            return str(value), True
        try:
            return transforms.to_x12(spec.format, value), True
        except (ValueError, ArithmeticError, TypeError):
            raise OutboundError("value cannot be written in this format", field=spec.field,
                                value=str(value), expected=spec.format,
                                mapping=self.mapping.name) from None

    def write_segment(self, node: SegmentNode, ctx: dict, force: bool = False) -> None:
        plan = _plan(self.mapping, node)
        values: dict[int, Any] = dict(plan.match)
        filled = False
        for el, comp, spec, cond in plan.elements:
            text, from_doc = self._value(spec, ctx, node.segment, el)
            if not text:
                continue
            filled = filled or from_doc
            if cond is not None and spec.field:
                values.setdefault(cond.element, cond.values[0])
            if comp:
                parts = list(values.get(el, ()) or ())
                while len(parts) < comp:
                    parts.append("")
                parts[comp - 1] = text
                values[el] = tuple(parts)
            else:
                values[el] = text
        if plan.ids is not None:
            start, pairs, codes = plan.ids
            written: set[str] = set()
            k = 0
            for qual, target in codes:
                if k >= pairs or target in written:
                    continue
                value = F.get(ctx, target)
                if value in (None, ""):
                    continue
                written.add(target)
                values[start + 2 * k] = qual
                values[start + 2 * k + 1] = str(value)
                k += 1
                filled = True
        if not (filled or node.always or node.required or force):
            return
        size = max(values) if values else 0
        self.out.append((node.segment, [values.get(n, "") for n in range(1, size + 1)]))


@dataclass(frozen=True)
class _Plan:
    """A segment node prepared once for writing."""

    match: tuple[tuple[int, str], ...]
    elements: tuple[tuple[int, int | None, Any, Condition | None], ...]
    ids: tuple[int, int, tuple[tuple[str, str], ...]] | None


def _plan(mapping: Mapping, node: SegmentNode) -> _Plan:
    key = ("write", id(node))
    plan = mapping.plans.get(key)
    if plan is None:
        match = tuple((parse_element_ref(ref)[1], value) for ref, value in node.match.items())
        elements = []
        for ref, raw in node.elements.items():
            spec = element_spec(raw)
            _, el, comp = parse_element_ref(ref)
            cond = Condition.parse(spec.when) if spec.when is not None else None
            elements.append((el, comp, spec, cond))
        ids = None
        if node.ids is not None:
            ids = (parse_element_ref(node.ids.start)[1], node.ids.pairs,
                   tuple(node.ids.codes.items()))
        plan = _Plan(match, tuple(elements), ids)
        mapping.plans[key] = plan
    return plan


def write(mapping: Mapping, data: dict, set_id: str, control: str,
          implementation: str | None = None) -> list[SegmentSpec]:
    """ST + mapped body; SE is added by the X12 writer, which counts the segments."""
    w = _Writer(mapping, data)
    st = [set_id, control] + ([implementation] if implementation else [])
    w.out.append(("ST", st))
    w.write_nodes(mapping.body, data)
    present = {seg_id for seg_id, _ in w.out}
    for node in mapping.body:
        if getattr(node, "required", False):
            seg_id = node.segment if isinstance(node, SegmentNode) else (
                node.loop if isinstance(node, LoopNode) else "HL")
            if seg_id not in present:
                raise OutboundError(f"required segment {seg_id} would be missing",
                                    segment_id=seg_id, mapping=mapping.name)
    return w.out
