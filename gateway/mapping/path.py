"""X12 path expressions over a transaction's segments, for ``require`` and ``extract``.

Grammar (readable by an admin, checked when the mapping loads)::

    BEG03                      element 03 of the first BEG
    N1[ST].N104                N104 of the N1 loop whose N101 is ST
    N1[ST].N4.N403             N403 of the N4 inside that loop (up to the next N1)
    REF[IA].REF02              REF02 of the REF whose REF01 is IA
    PO1.PO107 when PO106 = VN  every PO107 whose PO106 is VN (one value per PO1)
    N1[ST]                     (no element) the segment must exist

A qualifier in brackets tests element 01 of the segment. The loop of a qualified segment runs up
to the next segment with the same id.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from gateway.mapping.parts import segment_parts
from gateway.mapping.spec import Condition, parse_element_ref

_STEP = re.compile(r"^(?P<seg>[A-Z][A-Z0-9]{1,2})(?:\[(?P<qual>[^\]]+)\])?$")


@dataclass(frozen=True)
class Step:
    segment: str
    qualifier: str | None


@dataclass(frozen=True)
class X12Path:
    text: str
    steps: tuple[Step, ...]
    element: int | None
    component: int | None
    condition: Condition | None

    @classmethod
    def parse(cls, text: str) -> "X12Path":
        body, _, cond = text.partition(" when ")
        condition = Condition.parse(cond) if cond else None
        pieces = body.strip().split(".")
        element = component = None
        last = pieces[-1]
        try:
            seg, element, component = parse_element_ref(last)
            step_pieces = pieces[:-1] or [seg]
            if step_pieces[-1].split("[")[0] != seg:
                step_pieces = [*step_pieces, seg]
        except ValueError:
            step_pieces = pieces
        steps = []
        for piece in step_pieces:
            m = _STEP.match(piece)
            if not m:
                raise ValueError(
                    f"{text!r}: {piece!r} is not a segment step like N1 or N1[ST]")
            steps.append(Step(m["seg"], m["qual"]))
        return cls(text, tuple(steps), element, component, condition)

    def _found(self, rows: Sequence) -> list[int]:
        """Indexes of the rows the path's steps select (each step searches the previous one's
        loop: from its segment up to the next segment with the same id)."""
        scopes = [(0, len(rows))]
        last = len(self.steps) - 1
        for k, step in enumerate(self.steps):
            found = []
            sid, qual = step.segment, step.qualifier
            for low, high in scopes:
                for n in range(low, high):
                    parts = rows[n]
                    if parts[0] != sid:
                        continue
                    if qual is not None and (parts[1] if len(parts) > 1 else "") != qual:
                        continue
                    if k == last:
                        found.append((n, n + 1))  # only the segment itself is used from here
                        continue
                    end = next((m for m in range(n + 1, high) if rows[m][0] == sid), high)
                    found.append((n, end))
            scopes = found
        return [low for low, _ in scopes]

    def find_segments(self, segments: Sequence) -> list:
        """The segments the path's steps select."""
        return [segments[n] for n in self._found(_rows(segments))]

    def values(self, segments: Sequence) -> list[str]:
        """Non-empty element values selected by the path (the segment ids when no element)."""
        rows = _rows(segments)
        out = []
        cond = self.condition
        for n in self._found(rows):
            parts = rows[n]
            size = len(parts)
            if cond is not None and not cond.holds(
                    parts[cond.element] if cond.element < size else ""):
                continue
            if self.element is None:
                out.append(parts[0])
                continue
            if self.component:
                value = segments[n].component(self.element, self.component)
            else:
                value = parts[self.element] if self.element < size else ""
            if value:
                out.append(value)
        return out


def _rows(segments: Sequence) -> Sequence:
    """Each segment's id and elements: the rows a SegmentRows carries, else split here."""
    rows = getattr(segments, "rows", None)
    return rows if rows is not None else [segment_parts(seg) for seg in segments]
