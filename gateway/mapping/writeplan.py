"""Outbound plans: each segment node prepared once for writing, and the node tree as the
writer walks it (kinds, into/each getters, plans), kept in ``Mapping.plans``.

Every element spec becomes one ``value_of(ctx, root) -> (text, from the document?)`` function
with its field path split, code table reversed and format function chosen here, so rendering a
document does no parsing; segments without components or conditions get a template list that
the writer copies and fills.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Callable, Sequence

from gateway.mapping import transforms
from gateway.mapping.access import _MODELS, Getter, collect, getter, is_record
from gateway.mapping.compiled import Mapping, element_spec
from gateway.mapping.errors import OutboundError
from gateway.mapping.spec import Condition, LoopNode, Node, SegmentNode, parse_element_ref
from gateway.mapping.writegen import _reverse, compile_segment, formatter


@dataclass
class SegmentPlan:
    """A segment node prepared once for writing: each element as a value function."""

    match: tuple[tuple[int, str], ...]
    elements: tuple[tuple[int, int | None, Callable[[Any, Any], tuple[str, bool]],
                          Condition | None], ...]
    """(element, component, value_of(ctx, root) -> (text, from the document?), condition to
    write alongside when the element has a value)."""
    ids: tuple[int, int, tuple[tuple[str, str, Any], ...]] | None
    template: list[str] | None = None
    """For segments without components: every element position, match values filled in, for
    the generated function (None: the general path)."""
    match_top: int = 0
    """The highest element position a match value sets."""
    fast: Any = None
    """For template plans: the plan as one generated function (writegen.py)."""


def segment_plan(mapping: Mapping, node: SegmentNode) -> SegmentPlan:
    key = ("write", id(node))
    plan = mapping.plans.get(key)
    if plan is None:
        match = tuple((parse_element_ref(ref)[1], value) for ref, value in node.match.items())
        elements = []
        specs = []
        for ref, raw in node.elements.items():
            spec = element_spec(raw)
            specs.append(spec)
            _, el, comp = parse_element_ref(ref)
            cond = Condition.parse(spec.when) if spec.when is not None and spec.field else None
            elements.append((el, comp, value_function(mapping, spec, node.segment, el), cond))
        ids = None
        if node.ids is not None:
            ids = (parse_element_ref(node.ids.start)[1], node.ids.pairs,
                   tuple((qual, target, getter(target))
                         for qual, target in node.ids.codes.items()))
        template = None
        match_top = max((el for el, _ in match), default=0)
        if all(comp is None for _, comp, _, _ in elements):
            width = max([match_top, *(el for el, _, _, _ in elements),
                         *([ids[0] + 2 * ids[1] - 1] if ids else [])])
            template = [""] * width
            for el, value in match:
                template[el - 1] = value
        plan = SegmentPlan(match, tuple(elements), ids, template, match_top)
        if template is not None:
            plan.fast = compile_segment(plan, tuple(specs), node, mapping)
        mapping.plans[key] = plan
    return plan


@dataclass(frozen=True, slots=True)
class WriteNode:
    """A node as the writer walks it: kind, into/each getters, the (header) segment's plan."""

    kind: str  # "segment" | "loop" | "hl"
    node: Node
    into: Getter | None
    each: Getter | None
    plan: SegmentPlan | None = None
    body: tuple["WriteNode", ...] = ()
    """A loop's body after its header, or an HL level's body."""
    children: tuple["WriteNode", ...] = ()
    force: bool = False
    """A qualified loop writes its header even when no field fills it."""
    segment_id: str = ""
    """A segment's id; for a loop, its header segment's id."""
    flat: tuple[tuple[str, Any], ...] | None = None
    """A loop whose body is only plain segments (no into/each, generated writers): each body
    segment's (id, generated function), written in order without walking the nodes."""


def top_nodes(mapping: Mapping) -> tuple[WriteNode, ...]:
    nodes = mapping.plans.get("write:top")
    if nodes is None:
        nodes = mapping.plans["write:top"] = _compile(mapping, mapping.body)
    return nodes


def _compile(mapping: Mapping, nodes: Sequence[Node]) -> tuple[WriteNode, ...]:
    out = []
    for node in nodes:
        into = getter(node.into) if node.into else None
        each = getter(node.each) if node.each else None
        if isinstance(node, SegmentNode):
            out.append(WriteNode("segment", node, into, each, segment_plan(mapping, node),
                                 segment_id=node.segment))
        elif isinstance(node, LoopNode):
            body = _compile(mapping, node.body[1:])
            flat = tuple((b.segment_id, b.plan.fast) for b in body  # type: ignore[union-attr]
                         if b.kind == "segment" and b.into is None and b.each is None
                         and b.plan is not None and b.plan.fast is not None)
            out.append(WriteNode("loop", node, into, each,
                                 segment_plan(mapping, node.body[0]),  # type: ignore[arg-type]
                                 body, force=bool(node.match),
                                 segment_id=node.body[0].segment,  # type: ignore[union-attr]
                                 flat=flat if len(flat) == len(body) else None))
        else:
            out.append(WriteNode("hl", node, into, each, None, _compile(mapping, node.body),
                                 _compile(mapping, node.children)))
    return tuple(out)


def instances(wn: WriteNode, ctx: Any) -> Sequence[Any]:
    """The records a node is written for: ctx itself, its ``into`` part, or each item."""
    if wn.into is not None:
        ctx = wn.into(ctx)
        if ctx is None or not is_record(ctx):
            return ()
    if wn.each is not None:
        items = wn.each(ctx) or ()
        return [item for item in items if item.__class__ in _MODELS or is_record(item)]
    return (ctx,)


_PLAIN = (str, Decimal, int)


def _total(values: list[Any]) -> Decimal:
    """``sum(Decimal(str(v)) for v in values)`` from Decimal(0), in the same order; a Decimal
    is added as it is (its str() reads back as the very same Decimal)."""
    total = Decimal(0)
    for v in values:
        total += v if v.__class__ is Decimal else Decimal(str(v))
    return total


def value_function(mapping: Mapping, spec: Any, seg_id: str,
                   el: int) -> Callable[[Any, Any], tuple[str, bool]]:
    """One element spec -> ``value_of(ctx, root) -> (text, from the document?)``, with its
    path split, code table reversed and format function looked up here, once."""
    if spec.count:
        path = spec.count
        if "[]" in path:
            return lambda ctx, root: (str(len(collect(ctx, path))), True)
        count_get = getter(path)
        return lambda ctx, root: (str(len(count_get(ctx) or [])), True)
    if spec.sum:
        to_text = transforms.FORMATS[spec.format if spec.format != "text" else "decimal"][1]
        from_root = spec.sum.startswith("/")
        sum_path = spec.sum.lstrip("/")
        return lambda ctx, root: (to_text(_total(collect(root if from_root else ctx,
                                                         sum_path))), True)
    only_with = getter(spec.only_with) if spec.only_with else None
    get = getter(spec.field) if spec.field else None
    fallback = spec.const if spec.const is not None else spec.default
    required, field, name, fmt = spec.required, spec.field, mapping.name, spec.format
    reverse = _reverse(mapping.codes[spec.codes]) if spec.codes else None
    out = formatter(fmt)

    def value_of(ctx: Any, root: Any) -> tuple[str, bool]:
        if only_with is not None:
            paired = only_with(ctx)
            if paired is None or paired == "":
                return "", False
        value = get(ctx) if get is not None else None
        if value is not None and value.__class__ not in _PLAIN and hasattr(value, "value"):
            value = value.value  # an Enum member
        if value is None or value == "":
            if fallback is not None:
                return fallback, False
            if required:
                raise OutboundError("required value is missing", segment_id=seg_id,
                                    element_position=el, field=field, mapping=name)
            return "", False
        if reverse is not None:
            text = str(value)
            value = reverse.get(text, text)
        if out is None:
            return str(value), True
        try:
            return out(value), True
        except (ValueError, ArithmeticError, TypeError):
            raise OutboundError("value cannot be written in this format", field=field,
                                value=str(value), expected=fmt, mapping=name) from None
    return value_of
