"""Inbound: a transaction set's segments -> a canonical dict, driven by a Mapping.

A recursive-descent walk: each level knows the segment ids its nodes start with; a segment that
belongs to an outer level ends the inner loop; a segment nobody maps is skipped (partners send
extras) and reported in ``unmapped``. Every field set remembers where it came from (segment,
position, element), so a canonical validation error can still point into the file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Sequence

from gateway.mapping import fields as F
from gateway.mapping import transforms
from gateway.mapping.compiled import Mapping, element_spec, match_of, trigger
from gateway.mapping.errors import InboundError
from gateway.mapping.spec import Condition, HLNode, LoopNode, Node, SegmentNode, parse_element_ref

Origin = tuple[str, int, int | None]


@dataclass
class ReadResult:
    data: dict
    origins: dict[str, Origin] = field(default_factory=dict)
    unmapped: list[tuple[str, int]] = field(default_factory=list)


class _Reader:
    def __init__(self, mapping: Mapping, segments: Sequence):
        self.mapping = mapping
        self.segs = list(segments)
        self.result = ReadResult({})
        self.implicit: dict[tuple[int, int], tuple[dict, str]] = {}
        self.single_levels: set[tuple[int, int]] = set()

    # -- helpers -------------------------------------------------------------------------
    def _matches(self, node: Node, seg) -> bool:
        if trigger(node) != seg.id:
            return False
        for ref, value in match_of(node).items():
            _, el, comp = parse_element_ref(ref)
            got = seg.component(el, comp) if comp else seg[el]
            if got != value:
                return False
        return True

    def _context(self, node: Node, ctx: dict, prefix: str) -> tuple[dict, str]:
        each = getattr(node, "each", None)
        into = getattr(node, "into", None)
        if into:
            ctx = F.child(ctx, into)
            prefix = f"{prefix}{into}."
        if each:
            ctx, index = F.append(ctx, each)
            prefix = f"{prefix}{each}.{index}."
        return ctx, prefix

    def _error(self, seg, message: str, element: int | None = None, **kw: Any) -> InboundError:
        return InboundError(message, segment_id=seg.id, segment_position=seg.position,
                            element_position=element, mapping=self.mapping.name, **kw)

    # -- segments ------------------------------------------------------------------------
    def apply_segment(self, node: SegmentNode, seg, ctx: dict, prefix: str) -> None:
        ctx, prefix = self._context(node, ctx, prefix)
        plan = _plan(self.mapping, node)
        parts = seg._split()  # the segment's id and elements as one tuple (hot path)
        size = len(parts)
        for el, comp, spec, cond in plan.elements:
            if comp:
                text = seg.component(el, comp)
            else:
                text = parts[el] if el < size else ""
            if cond is not None and not cond.holds(parts[cond.element]
                                                   if cond.element < size else ""):
                continue
            if text == "":
                if spec.required:
                    raise self._error(seg, "required element is empty", el, field=spec.field)
                continue
            self._set(ctx, prefix, spec.field, self._convert(spec, text, seg, el), seg, el)
        if plan.ids_codes:
            taken: set[str] = set()
            start = plan.ids_start
            for n in range(start, min(start + 2 * plan.ids_pairs, size - 1), 2):
                target = plan.ids_codes.get(parts[n])
                value = parts[n + 1]
                if target and value and target not in taken:
                    taken.add(target)
                    self._set(ctx, prefix, target, value, seg, n + 1)

    def _convert(self, spec, text: str, seg, el: int) -> Any:
        if spec.codes:
            text = transforms.translate_in(self.mapping.codes[spec.codes], text)
        if spec.format == "text":
            return text
        try:
            return transforms.to_canonical(spec.format, text)
        except ValueError as exc:
            raise self._error(seg, "element does not fit", el, field=spec.field, value=text,
                              expected=str(exc)) from None

    def _set(self, ctx: dict, prefix: str, path: str, value: Any, seg, el: int | None) -> None:
        F.put(ctx, path, value)
        self.result.origins[prefix + path.replace("[", ".").replace("]", "")] = (
            seg.id, seg.position, el)

    # -- levels --------------------------------------------------------------------------
    def read_level(self, nodes: Sequence[Node], i: int, ctx: dict, prefix: str,
                   stop: frozenset[str], seen: set[int] | None = None) -> int:
        """Consume segments for ``nodes`` from ``i``; return where the caller continues."""
        own = {trigger(n) for n in nodes}
        while i < len(self.segs):
            seg = self.segs[i]
            index = next((k for k, n in enumerate(nodes) if self._matches(n, seg)), None)
            node = nodes[index] if index is not None else None
            if node is None:
                if seg.id in stop or seg.id in ("SE",):
                    return i
                if seg.id not in own and seg.id != "ST":
                    self.result.unmapped.append((seg.id, seg.position))
                i += 1
                continue
            if seen is not None:
                seen.add(id(node))
            if isinstance(node, SegmentNode):
                self.apply_segment(node, seg, ctx, prefix)
                i += 1
            elif isinstance(node, LoopNode):
                i = self.read_loop(node, i, ctx, prefix, stop | own)
            else:
                after = frozenset(trigger(n) for n in nodes[index + 1:]) | {"SE"}  # type: ignore[index]
                i = self.read_hl(node, i, ctx, prefix, after - {"HL"})
        return i

    def read_loop(self, node: LoopNode, i: int, ctx: dict, prefix: str,
                  outer: frozenset[str]) -> int:
        lctx, lprefix = self._context(node, ctx, prefix)
        first = node.body[0]
        self.apply_segment(first, self.segs[i], lctx, lprefix)  # type: ignore[arg-type]
        inner_stop = outer | {node.loop}
        return self.read_level(node.body[1:], i + 1, lctx, lprefix, frozenset(inner_stop))

    def read_hl(self, node: HLNode, i: int, ctx: dict, prefix: str, stop: frozenset[str]) -> int:
        """Collect every HL block, rebuild the tree from HL02 parents, map by level code."""
        blocks: list[tuple[Any, int, int]] = []  # (HL segment, start, end)
        while i < len(self.segs) and self.segs[i].id not in stop:
            if self.segs[i].id == "HL":
                blocks.append((self.segs[i], i, i + 1))
            elif blocks:
                hl, start, _ = blocks[-1]
                blocks[-1] = (hl, start, i + 1)
            i += 1
        children: dict[str, list[tuple[Any, int, int]]] = {}
        ids: set[str] = set()
        for block in blocks:
            hl = block[0]
            if hl[1] in ids:
                raise self._error(hl, f"HL01 {hl[1]} is used twice", 1, value=hl[1])
            ids.add(hl[1])
            if hl[2] and hl[2] not in ids:
                raise self._error(hl, "HL02 names a parent that does not precede it", 2,
                                  value=hl[2], expected="the HL01 of an earlier HL")
            children.setdefault(hl[2], []).append(block)
        self._map_blocks(children.get("", []), [node], children, ctx, prefix)
        return i

    def _map_blocks(self, blocks, nodes: Sequence[HLNode], children, ctx: dict,
                    prefix: str) -> None:
        for block in blocks:
            hl, start, _end = block
            node = next((n for n in nodes if n.hl == hl[3]), None)
            if node is None:
                path = self._find_deeper(nodes, hl[3])
                if path is None:
                    # a level we do not map (tare, component): its children keep our nodes
                    self._map_blocks(children.get(hl[1], []), nodes, children, ctx, prefix)
                    continue
                # levels skipped by the partner (S-O-I without P, S-I): one implicit instance
                # of each skipped level, shared by the blocks under the same parent
                ictx, iprefix = ctx, prefix
                for skipped in path[:-1]:
                    key = (id(ictx), id(skipped))
                    if key not in self.implicit:
                        self.implicit[key] = self._context(skipped, ictx, iprefix)
                    ictx, iprefix = self.implicit[key]
                self._map_blocks([block], [path[-1]], children, ictx, iprefix)
                continue
            if node.each is None:
                key = (id(ctx), id(node))
                if key in self.single_levels:
                    raise self._error(
                        hl, f"a second HL level {node.hl} under the same parent; this mapping "
                        f"takes one {node.hl} level there (one order per ship notice)", 3,
                        value=node.hl, expected=f"one {node.hl} level, or a mapping with "
                        f"'each' on HL[{node.hl}]")
                self.single_levels.add(key)
            nctx, nprefix = self._context(node, ctx, prefix)
            self.read_level(node.body, start + 1, nctx, nprefix, frozenset({"HL"}))
            self._map_blocks(children.get(hl[1], []), node.children, children, nctx, nprefix)

    @classmethod
    def _find_deeper(cls, nodes: Sequence[HLNode], code: str) -> list[HLNode] | None:
        """The chain of nodes from one of ``nodes`` down to the level ``code``, if any."""
        for n in nodes:
            if n.hl == code:
                return [n]
            below = cls._find_deeper(n.children, code)
            if below is not None:
                return [n, *below]
        return None


@dataclass(frozen=True)
class _Plan:
    """A segment node prepared once: (element, component, spec, condition) for mapped fields."""

    elements: tuple[tuple[int, int | None, Any, Condition | None], ...]
    ids_start: int = 0
    ids_pairs: int = 0
    ids_codes: dict[str, str] | None = None


def _plan(mapping: Mapping, node: SegmentNode) -> _Plan:
    plan = mapping.plans.get(id(node))
    if plan is None:
        elements = []
        for ref, raw in node.elements.items():
            spec = element_spec(raw)
            if spec.field:
                _, el, comp = parse_element_ref(ref)
                cond = Condition.parse(spec.when) if spec.when is not None else None
                elements.append((el, comp, spec, cond))
        if node.ids is not None:
            _, start, _ = parse_element_ref(node.ids.start)
            plan = _Plan(tuple(elements), start, node.ids.pairs, dict(node.ids.codes))
        else:
            plan = _Plan(tuple(elements))
        mapping.plans[id(node)] = plan
    return plan


def read(mapping: Mapping, segments: Sequence) -> ReadResult:
    """Map ST..SE segments to a canonical dict; raises InboundError when it does not fit."""
    reader = _Reader(mapping, segments)
    seen: set[int] = set()
    start = 1 if reader.segs and reader.segs[0].id == "ST" else 0
    reader.read_level(mapping.body, start, reader.result.data, "", frozenset({"SE"}), seen)
    _check_required(mapping, reader, seen)
    for target, xpath in mapping.extract:
        values = xpath.values(reader.segs)
        if values:
            F.put(reader.result.data, target, values[0])
    for target, xpath in mapping.fallback:
        if F.get(reader.result.data, target) in (None, ""):
            values = xpath.values(reader.segs)
            if values:
                F.put(reader.result.data, target, values[0])
    return reader.result


def _check_required(mapping: Mapping, reader: _Reader, seen: set[int]) -> None:
    last = reader.segs[-1] if reader.segs else None
    for node in mapping.body:
        if getattr(node, "required", False) and id(node) not in seen:
            raise InboundError(
                f"required segment {trigger(node)} is missing", segment_id=trigger(node),
                segment_position=last.position if last else None, mapping=mapping.name,
                expected=f"a {trigger(node)} segment")
    for xpath in mapping.require:
        if not xpath.values(reader.segs):
            raise InboundError(
                f"the partner's mapping requires {xpath.text}, which is absent or empty",
                segment_id=xpath.steps[-1].segment, element_position=xpath.element,
                mapping=mapping.name, expected=xpath.text)
