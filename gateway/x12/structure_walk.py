"""The segment-by-segment walk through a set's loop tree: the slow path that names every error.

Like pyx12's map walker, placement is deterministic and greedy: a segment goes to the first place
at or after the current one in the current loop, else (ending loops on the way) in an enclosing
loop; a loop's first segment starts a new iteration. What is skipped and mandatory is reported
missing; counts over max use or loop repeat are reported; a segment that fits nowhere is reported
and skipped without moving the position.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable, Iterator

from gateway.x12.errors import Level, Severity, X12Error
from gateway.x12.model import Segment
from gateway.x12.structure_elements import check_segment
from gateway.x12.structure_hl import hl_problems
from gateway.x12.structure_model import LoopDef, SegmentDef, SetStructure

_SEGMENT_ID = re.compile(r"[A-Z][A-Z0-9]{1,2}")
SEGMENT_CODES = {"1": "segment_unrecognized", "2": "segment_unexpected", "3": "segment_missing",
                 "4": "loop_over_max", "5": "segment_over_max", "6": "segment_not_in_set",
                 "7": "segment_out_of_order", "8": "segment_empty"}
ELEMENT_CODES = {"1": "element_missing", "2": "element_conditional_missing",
                 "3": "too_many_elements", "4": "element_too_short", "5": "element_too_long",
                 "6": "element_invalid_character", "7": "element_invalid_code",
                 "8": "element_invalid_date", "9": "element_invalid_time",
                 "10": "element_exclusion_violated"}


@dataclass
class _Frame:
    loop: LoopDef
    index: int = 0
    counts: dict[int, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Placement:
    """Where one segment landed: its definition and the loops around it (outermost first)."""

    segment: Segment
    definition: SegmentDef | None
    loops: tuple[LoopDef, ...]


def _segment_error(code: str, message: str, seg: Segment, loop_id: str | None,
                   segment_id: str | None = None) -> X12Error:
    return X12Error(code=SEGMENT_CODES[code], message=message, level=Level.SEGMENT,
                    segment_id=segment_id or seg.id, segment_position=seg.position,
                    byte_offset=seg.byte_offset, ak_segment_code=code, loop_id=loop_id)


class Walker:
    """Walks one set; collects errors; yields placements (for `annotate`)."""

    def __init__(self, structure: SetStructure, clean: Callable[[bytes, SegmentDef], bool]
                 | None = None):
        self.structure = structure
        self.clean = clean
        self._by_loop: dict[int, dict[str, list[int]]] = {}
        self.known = structure.root.segment_ids()
        self.errors: list[X12Error] = []

    def _loop_id(self, stack: list[_Frame]) -> str | None:
        return stack[-1].loop.id if len(stack) > 1 else None

    def _candidates(self, loop: LoopDef) -> dict[str, list[int]]:
        """Segment ID -> indices of the children it can start (itself or a loop it triggers)."""
        found = self._by_loop.get(id(loop))
        if found is None:
            found = {}
            for i, child in enumerate(loop.children):
                key = child.id if isinstance(child, SegmentDef) else child.trigger.id
                found.setdefault(key, []).append(i)
            self._by_loop[id(loop)] = found
        return found

    def _find(self, stack: list[_Frame], seg_id: str) -> tuple[int, int] | None:
        for depth in range(len(stack) - 1, -1, -1):
            frame = stack[depth]
            for i in self._candidates(frame.loop).get(seg_id, ()):
                if i < frame.index or (i == 0 and depth > 0
                                       and isinstance(frame.loop.children[0], SegmentDef)):
                    continue
                return depth, i
        return None

    def _skip(self, frame: _Frame, upto: int, seg: Segment, loop_id: str | None) -> None:
        """Report mandatory children of `frame` between its position and `upto` never seen."""
        for j in range(frame.index, upto):
            child = frame.loop.children[j]
            if child.mandatory and frame.counts.get(j, 0) == 0:
                missing = child.id if isinstance(child, SegmentDef) else child.trigger.id
                kind = "segment" if isinstance(child, SegmentDef) else f"loop {child.id} (its"
                self.errors.append(_segment_error(
                    "3", f"mandatory {kind} {missing}{')' if kind != 'segment' else ''} is "
                    f"missing before {seg.id} (segment {seg.position})", seg, loop_id, missing))

    def _misplaced(self, stack: list[_Frame], seg: Segment) -> None:
        if not _SEGMENT_ID.fullmatch(seg.id):
            code, what = "1", f"{seg.id!r} is not a segment identifier"
        elif seg.id not in self.known:
            code, what = "6", f"{seg.id} is not part of the {self.structure.set_id} set"
        else:
            earlier = any(isinstance(c, SegmentDef) and c.id == seg.id or
                          isinstance(c, LoopDef) and c.trigger.id == seg.id
                          for f in stack for c in f.loop.children[:f.index])
            code = "7" if earlier else "2"
            what = (f"{seg.id} is not in its proper sequence" if earlier
                    else f"{seg.id} is not expected here")
        self.errors.append(_segment_error(code, what, seg, self._loop_id(stack)))

    def walk(self, segments: list[Segment]) -> Iterator[Placement]:
        release = self.structure.release
        stack = [_Frame(self.structure.root)]
        last: Segment | None = None
        for seg in segments:
            last = seg
            found = self._find(stack, seg.id)
            if found is None:
                self._misplaced(stack, seg)
                yield Placement(seg, None, tuple(f.loop for f in stack[1:]))
                continue
            depth, index = found
            while len(stack) - 1 > depth:          # close the loops we leave
                frame = stack.pop()
                self._skip(frame, len(frame.loop.children), seg, frame.loop.id)
            frame = stack[-1]
            self._skip(frame, index, seg, self._loop_id(stack))
            frame.index = index
            child = frame.loop.children[index]
            frame.counts[index] = frame.counts.get(index, 0) + 1
            if isinstance(child, LoopDef):
                if child.repeat is not None and frame.counts[index] > child.repeat:
                    self.errors.append(_segment_error(
                        "4", f"loop {child.id} repeats more than {child.repeat} times", seg,
                        child.id))
                inner = _Frame(child, 1, {0: 1})
                stack.append(inner)
                while True:                         # a loop whose first child is itself a loop
                    first = inner.loop.children[0]
                    if isinstance(first, SegmentDef):
                        definition = first
                        break
                    inner.index = 0
                    inner = _Frame(first, 1, {0: 1})
                    stack.append(inner)
            else:
                definition = child
                if child.max_use is not None and frame.counts[index] > child.max_use:
                    self.errors.append(_segment_error(
                        "5", f"{seg.id} occurs more than {child.max_use} times here", seg,
                        self._loop_id(stack)))
            self._elements(seg, definition, release, self._loop_id(stack))
            yield Placement(seg, definition, tuple(f.loop for f in stack[1:]))
        if last is not None:
            while len(stack) > 1:
                frame = stack.pop()
                self._skip(frame, len(frame.loop.children), last, frame.loop.id)
            self._skip(stack[0], len(stack[0].loop.children), last, None)

    def _elements(self, seg: Segment, definition: SegmentDef, release: str,
                  loop_id: str | None) -> None:
        if not any(seg.elements):
            self.errors.append(_segment_error("8", f"{seg.id} has no data elements (an empty "
                                              "segment is not sent)", seg, loop_id))
            return
        element_sep = seg.delimiters.element
        if self.clean is not None and not seg.raw.endswith(element_sep) \
                and self.clean(seg.raw, definition):
            return
        if seg.raw.endswith(element_sep):
            self.errors.append(X12Error(
                code="trailing_separator", message=f"{seg.id} ends with an element separator "
                "(empty trailing elements should not be sent)", level=Level.SEGMENT,
                severity=Severity.WARNING, segment_id=seg.id, segment_position=seg.position,
                byte_offset=seg.byte_offset, loop_id=loop_id))
        for problem in check_segment(seg, definition, release):
            element = problem.element
            self.errors.append(X12Error(
                code=ELEMENT_CODES[problem.ak_code], message=problem.message, level=Level.ELEMENT,
                segment_id=seg.id, segment_position=seg.position,
                element_position=problem.position, component_position=problem.component,
                byte_offset=seg.byte_offset, ak_segment_code="8",
                ak_element_code=problem.ak_code, element_ref=element.ref if element else None,
                bad_value=problem.value, loop_id=loop_id))


def walk_errors(structure: SetStructure, segments: list[Segment],
                clean: Callable[[bytes, SegmentDef], bool] | None = None) -> list[X12Error]:
    """All findings of a set; `clean(raw, definition)` may vouch for a segment's elements."""
    walker = Walker(structure, clean)
    for _ in walker.walk(segments):
        pass
    if "HL" in walker.known:
        walker.errors.extend(hierarchy_errors(segments))
    return walker.errors


def hierarchy_errors(segments: list[Segment]) -> list[X12Error]:
    """HL01 numbering and HL02 parents (structure_hl), as element errors on the HL."""
    hls = [seg for seg in segments if seg.id == "HL"]
    out = []
    for index, position, value, message in hl_problems((seg[1], seg[2]) for seg in hls):
        seg = hls[index - 1]
        out.append(X12Error(
            code="hierarchy_invalid", message=message, level=Level.ELEMENT, segment_id="HL",
            segment_position=seg.position, element_position=position,
            byte_offset=seg.byte_offset, ak_segment_code="8", ak_element_code="7",
            element_ref="628" if position == 1 else "734", bad_value=value, loop_id="HL"))
    return out
