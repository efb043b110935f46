"""Outbound: a canonical document (model or dict) -> (segment_id, elements) specs, driven by
the same Mapping.

The inverse of reader.py: constants and ``match`` values are written, ``each`` repeats a node
per list item, HL01/HL02/HL04 are numbered here, ``count``/``sum`` compute totals (CTT01,
CTT02). A segment whose mapped fields are all empty is left out unless ``always`` or
``required``; a required element without a value is an OutboundError naming the field.
"""

from __future__ import annotations

from typing import Any, Sequence

from gateway.mapping.compiled import Mapping
from gateway.mapping.errors import OutboundError
from gateway.mapping.spec import LoopNode, SegmentNode
from gateway.mapping.writeplan import SegmentPlan, WriteNode, instances, segment_plan, top_nodes

SegmentSpec = tuple[str, list[Any]]


class _Writer:
    def __init__(self, mapping: Mapping, root: Any, generated: bool = True):
        self.mapping = mapping
        self.generated = generated
        self.root = root
        self.out: list[SegmentSpec] = []
        self.hl_counter = 0

    def write_nodes(self, nodes: Sequence[WriteNode], ctx: Any, parent_hl: str = "") -> None:
        out, root, generated = self.out, self.root, self.generated
        for wn in nodes:
            kind = wn.kind
            records = (ctx,) if wn.into is None and wn.each is None else instances(wn, ctx)
            if not records:
                continue
            if kind == "hl":
                for inst in records:
                    self.write_hl(wn, inst, parent_hl)
                continue
            fast = wn.plan.fast if generated else None  # type: ignore[union-attr]
            if fast is None:  # the interpreted plans
                for inst in records:
                    if kind == "segment":
                        self.write_segment(wn.node, inst, plan=wn.plan)  # type: ignore[arg-type]
                    else:
                        mark = len(out)
                        self.write_segment(wn.node.body[0], inst,  # type: ignore[union-attr]
                                           wn.force, plan=wn.plan)
                        if len(out) != mark:  # no loop header, no loop
                            self.write_nodes(wn.body, inst)
                continue
            seg_id = wn.segment_id
            if kind == "segment":
                for inst in records:
                    elements = fast(inst, root, False)
                    if elements is not None:
                        out.append((seg_id, elements))
                continue
            force, body, flat = wn.force, wn.body, wn.flat
            for inst in records:
                elements = fast(inst, root, force)
                if elements is None:  # no loop header, no loop
                    continue
                out.append((seg_id, elements))
                if flat is not None:
                    for body_id, body_fast in flat:
                        elements = body_fast(inst, root, False)
                        if elements is not None:
                            out.append((body_id, elements))
                elif body:
                    self.write_nodes(body, inst)

    def write_hl(self, wn: WriteNode, ctx: Any, parent_hl: str) -> None:
        self.hl_counter += 1
        own = str(self.hl_counter)
        has_children = any(instances(c, ctx) for c in wn.children)
        self.out.append(("HL", [own, parent_hl, wn.node.hl,  # type: ignore[union-attr]
                                "1" if has_children else "0"]))
        self.write_nodes(wn.body, ctx)
        self.write_nodes(wn.children, ctx, own)

    def write_segment(self, node: SegmentNode, ctx: Any, force: bool = False,
                      plan: SegmentPlan | None = None) -> None:
        plan = plan or segment_plan(self.mapping, node)
        if plan.fast is not None and self.generated:
            elements = plan.fast(ctx, self.root, force)
            if elements is not None:
                self.out.append((node.segment, elements))
            return
        values: dict[int, Any] = dict(plan.match)
        filled = False
        root = self.root
        for el, comp, value_of, cond in plan.elements:
            text, from_doc = value_of(ctx, root)
            if not text:
                continue
            filled = filled or from_doc
            if cond is not None:
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
            for qual, target, get in codes:
                if k >= pairs or target in written:
                    continue
                value = get(ctx)
                if value is None or value == "":
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


def write(mapping: Mapping, data: Any, set_id: str, control: str,
          implementation: str | None = None, *, generated: bool = True) -> list[SegmentSpec]:
    """ST + mapped body; SE is added by the X12 writer, which counts the segments.

    ``data`` is a canonical model or its ``model_dump`` dict: fields are read the same way.
    ``generated=False`` interprets every plan (the reference the generated functions are
    tested against)."""
    w = _Writer(mapping, data, generated)
    st = [set_id, control] + ([implementation] if implementation else [])
    w.out.append(("ST", st))
    w.write_nodes(top_nodes(mapping), data)
    for node in mapping.body:
        if getattr(node, "required", False):
            seg_id = node.segment if isinstance(node, SegmentNode) else (
                node.loop if isinstance(node, LoopNode) else "HL")
            # required segments sit near the top (BEG, BAK, BIG): a scan stops early
            if not any(written == seg_id for written, _ in w.out):
                raise OutboundError(f"required segment {seg_id} would be missing",
                                    segment_id=seg_id, mapping=mapping.name)
    return w.out
