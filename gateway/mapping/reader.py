"""Inbound: a transaction set's segments -> a canonical dict, driven by a Mapping.

A recursive-descent walk: each level knows the segment ids its nodes start with; a segment that
belongs to an outer level ends the inner loop; a segment nobody maps is skipped (partners send
extras) and reported in ``unmapped``. Levels and segment plans are prepared once per mapping
(readplan.py) and each segment's work is one generated function (readgen.py).

Where each field came from (segment, position, element) is recorded only on request
(``origins=True``, the general interpreted path): ``parse_inbound`` reads without it and reads
again with it only when the canonical model refuses the document, to point into the file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Sequence

from gateway.mapping import fields as F
from gateway.mapping.compiled import Mapping, trigger
from gateway.mapping.errors import InboundError
from gateway.mapping.parts import SegmentRows, segment_parts
from gateway.mapping.readplan import Level, SegmentPlan, context_of, hl_body_level, top_level
from gateway.mapping.spec import HLNode, Node

Origin = tuple[str, int, int | None]


@dataclass
class ReadResult:
    data: dict
    origins: dict[str, Origin] = field(default_factory=dict)
    unmapped: list[tuple[str, int]] = field(default_factory=list)


class _Reader:
    def __init__(self, mapping: Mapping, segments: Sequence, track: bool = True):
        self.mapping = mapping
        if isinstance(segments, SegmentRows):
            self.segs: Sequence = segments  # Segment objects made only if asked for
            self.rows = segments.rows
            self.positional = True
            """Row i is segment position i + 1 (ST = 1)."""
        else:
            self.segs = list(segments)
            self.rows = [segment_parts(seg) for seg in self.segs]
            self.positional = False
        """Each segment's id and elements (split once, up front)."""
        self.result = ReadResult({})
        self.track = track
        self.origins: dict[str, Origin] | None = self.result.origins if track else None
        self.implicit: dict[tuple[int, int], tuple[dict, str]] = {}
        self.single_levels: set[tuple[int, int]] = set()

    def _context(self, node: Node, ctx: dict, prefix: str) -> tuple[dict, str]:
        step = context_of(node)
        return step(ctx, prefix, True) if step is not None else (ctx, prefix)

    def _error(self, seg, message: str, element: int | None = None, **kw: Any) -> InboundError:
        return InboundError(message, segment_id=seg.id, segment_position=seg.position,
                            element_position=element, mapping=self.mapping.name, **kw)

    # -- segments ------------------------------------------------------------------------
    def apply_segment(self, plan: SegmentPlan, seg, parts: tuple, ctx: dict,
                      prefix: str) -> None:
        """Set every mapped element of one segment (the hot path: prepared tuples only)."""
        if plan.context is not None:
            ctx, prefix = plan.context(ctx, prefix, self.track)
        size = len(parts)
        origins = self.origins
        for f in plan.fields:
            el = f.element
            if f.component:
                text = seg.component(el, f.component)
            else:
                text = parts[el] if el < size else ""
            cond = f.condition
            if cond is not None and not cond.holds(parts[cond.element]
                                                   if cond.element < size else ""):
                continue
            if text == "":
                if f.required:
                    raise self._error(seg, "required element is empty", el, field=f.field)
                continue
            if f.convert is not None:
                try:
                    value = f.convert(text)
                except ValueError as exc:
                    raise self._error(seg, "element does not fit", el, field=f.field,
                                      value=text, expected=str(exc)) from None
            else:
                value = text
            put = f.setter
            if put.__class__ is str:
                ctx[put] = value
            else:
                put(ctx, value)
            if origins is not None:
                origins[prefix + f.origin] = (parts[0], seg.position, el)
        codes = plan.ids_codes
        if codes:
            taken: set[str] = set()
            for n in range(plan.ids_start, min(plan.ids_end, size - 1), 2):
                target = codes.get(parts[n])
                value = parts[n + 1]
                if target and value and target[1] not in taken:
                    taken.add(target[1])
                    put = target[0]
                    if put.__class__ is str:
                        ctx[put] = value
                    else:
                        put(ctx, value)
                    if origins is not None:
                        origins[prefix + target[2]] = (parts[0], seg.position, n + 1)

    # -- levels --------------------------------------------------------------------------
    def read_level(self, level: Level, i: int, ctx: dict, prefix: str,
                   seen: set[int] | None = None) -> int:
        """Consume segments for ``level`` from ``i``; return where the caller continues."""
        if not self.track:
            return self.read_fast(level, i, ctx, seen)
        segs, rows = self.segs, self.rows
        count = len(segs)
        single, dispatch = level.single, level.dispatch
        while i < count:
            parts = rows[i]
            entry = single.get(parts[0])
            if entry is None:
                for candidate in dispatch.get(parts[0], ()):
                    if _matches(candidate.tests, segs, i, parts):
                        entry = candidate
                        break
                else:
                    seg_id = parts[0]
                    if seg_id in level.stop:
                        return i
                    if seg_id not in level.own and seg_id != "ST":
                        self.result.unmapped.append(
                            (seg_id, i + 1 if self.positional else segs[i].position))
                    i += 1
                    continue
            if seen is not None:
                seen.add(entry.node_id)
            kind = entry.kind
            if kind == "segment":
                self.apply_segment(entry.segment, segs[i], parts, ctx,  # type: ignore[arg-type]
                                   prefix)
                i += 1
            elif kind == "loop":
                lctx, lprefix = ctx, prefix
                if entry.context is not None:
                    lctx, lprefix = entry.context(ctx, prefix, self.track)
                self.apply_segment(entry.segment, segs[i], parts, lctx,  # type: ignore[arg-type]
                                   lprefix)
                i = self.read_level(entry.inner, i + 1, lctx, lprefix)  # type: ignore[arg-type]
            else:
                i = self.read_hl(entry.node, i, ctx, prefix, entry.hl_stop)  # type: ignore[arg-type]
        return i

    def read_fast(self, level: Level, i: int, ctx: dict, seen: set[int] | None = None) -> int:
        """``read_level`` without origins (the hot path): each segment is its generated
        function, match tests and ``each`` steps inline; same walk, same results."""
        segs, rows = self.segs, self.rows
        count = len(rows)
        single, dispatch, stop, own = level.single, level.dispatch, level.stop, level.own
        while i < count:
            parts = rows[i]
            seg_id = parts[0]
            entry = single.get(seg_id)
            if entry is None:
                candidates = dispatch.get(seg_id)
                if candidates is not None:
                    size = len(parts)
                    for candidate in candidates:
                        for el, comp, value in candidate.tests:
                            got = segs[i].component(el, comp) if comp else (
                                parts[el] if el < size else "")
                            if got != value:
                                break
                        else:
                            entry = candidate
                            break
                if entry is None:
                    if seg_id in stop:
                        return i
                    if seg_id not in own and seg_id != "ST":
                        self.result.unmapped.append(
                            (seg_id, i + 1 if self.positional else segs[i].position))
                    i += 1
                    continue
            if seen is not None:
                seen.add(entry.node_id)
            kind = entry.kind
            if kind == "segment":
                entry.segment.fast(segs, i, parts, ctx)  # type: ignore[union-attr,misc]
                i += 1
            elif kind == "loop":
                each = entry.each
                if each:  # the loop's own each: a fresh item at the end of ctx[each]
                    items = ctx.get(each)
                    if not isinstance(items, list):
                        items = ctx[each] = []
                    lctx: dict = {}
                    items.append(lctx)
                elif entry.context is not None:
                    lctx = entry.context(ctx, "", False)[0]
                else:
                    lctx = ctx
                entry.segment.fast(segs, i, parts, lctx)  # type: ignore[union-attr,misc]
                i = self.read_fast(entry.inner, i + 1, lctx)  # type: ignore[arg-type]
            else:
                i = self.read_hl(entry.node, i, ctx, "", entry.hl_stop)  # type: ignore[arg-type]
        return i

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
            self.read_level(hl_body_level(self.mapping, node), start + 1, nctx, nprefix)
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


def _matches(tests: tuple, segs: Sequence, i: int, parts: Sequence) -> bool:
    size = len(parts)
    for el, comp, value in tests:
        got = segs[i].component(el, comp) if comp else (parts[el] if el < size else "")
        if got != value:
            return False
    return True


def read(mapping: Mapping, segments: Sequence, *, origins: bool = True) -> ReadResult:
    """Map ST..SE segments to a canonical dict; raises InboundError when it does not fit.

    ``origins=False`` skips recording where each field came from (the fast path: the caller
    reads again with origins only when the canonical model refuses the result)."""
    reader = _Reader(mapping, segments, origins)
    seen: set[int] = set()
    start = 1 if reader.rows and reader.rows[0][0] == "ST" else 0
    reader.read_level(top_level(mapping), start, reader.result.data, "", seen)
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
    for node in mapping.body:
        if getattr(node, "required", False) and id(node) not in seen:
            last = reader.segs[-1] if reader.segs else None
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
