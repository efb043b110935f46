"""Outbound: a canonical dict -> (segment_id, elements) specs, driven by the same Mapping.

The inverse of reader.py: constants and ``match`` values are written, ``each`` repeats a node
per list item, HL01/HL02/HL04 are numbered here, ``count``/``sum`` compute totals (CTT01,
CTT02). A segment whose mapped fields are all empty is left out unless ``always`` or
``required``; a required element without a value is an OutboundError naming the field.
"""

from __future__ import annotations

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

    def _value(self, spec, ctx: dict, ref: str) -> str:
        if spec.count:
            return str(len(F.collect(ctx, spec.count)) if "[]" in spec.count
                       else len(F.get(ctx, spec.count) or []))
        if spec.sum:
            values = F.collect(self.root if spec.sum.startswith("/") else ctx,
                               spec.sum.lstrip("/"))
            return transforms.to_x12(spec.format if spec.format != "text" else "decimal",
                                     sum((Decimal(str(v)) for v in values), Decimal(0)))
        if spec.only_with and F.get(ctx, spec.only_with) in (None, ""):
            return ""
        value = F.get(ctx, spec.field) if spec.field else None
        if hasattr(value, "value"):  # an Enum member
            value = value.value
        if value is None or value == "":
            if spec.const is not None:
                return spec.const
            if spec.default is not None:
                return spec.default
            if spec.required:
                raise OutboundError("required value is missing", segment_id=ref[:-2],
                                    element_position=int(ref[-2:]) if ref[-2:].isdigit()
                                    else None, field=spec.field, mapping=self.mapping.name)
            return ""
        if spec.codes:
            value = transforms.translate_out(self.mapping.codes[spec.codes], str(value))
        try:
            return transforms.to_x12(spec.format, value)
        except (ValueError, ArithmeticError, TypeError):
            raise OutboundError("value cannot be written in this format", field=spec.field,
                                value=str(value), expected=spec.format,
                                mapping=self.mapping.name) from None

    def write_segment(self, node: SegmentNode, ctx: dict, force: bool = False) -> None:
        values: dict[int, Any] = {}
        filled = False
        for ref, value in node.match.items():
            _, el, _ = parse_element_ref(ref)
            values[el] = value
        for ref, raw_spec in node.elements.items():
            spec = element_spec(raw_spec)
            _, el, comp = parse_element_ref(ref)
            text = self._value(spec, ctx, ref)
            if not text:
                continue
            if spec.field and F.get(ctx, spec.field) not in (None, "") or spec.count or spec.sum:
                filled = True
            if spec.when is not None and spec.field:
                cond = Condition.parse(spec.when)
                values.setdefault(cond.element, cond.values[0])
            if comp:
                parts = list(values.get(el, ()) or ())
                while len(parts) < comp:
                    parts.append("")
                parts[comp - 1] = text
                values[el] = tuple(parts)
            else:
                values[el] = text
        if node.ids is not None:
            _, start, _ = parse_element_ref(node.ids.start)
            written: set[str] = set()
            k = 0
            for qual, target in node.ids.codes.items():
                value = F.get(ctx, target)
                if value in (None, "") or target in written or k >= node.ids.pairs:
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
