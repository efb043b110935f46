"""The hierarchical-level rule of X12 (856 and other HL sets), which no loop grammar can express:
HL01 counts 1, 2, 3... in order, and a non-empty HL02 names an HL still open above this one
(an ancestor). pyx12 applies the same rule; without it a duplicated or reordered HL would pass.
"""
from __future__ import annotations

from typing import Iterable


def hl_problems(levels: Iterable[tuple[str, str]]) -> list[tuple[int, int, str, str]]:
    """(index among HLs, element position, bad value, message) for (HL01, HL02) pairs."""
    out: list[tuple[int, int, str, str]] = []
    stack: list[int] = []
    for count, (hl01, hl02) in enumerate(levels, 1):
        if hl01 != str(count):
            out.append((count, 1, hl01, f"HL01 is {hl01!r} but this is hierarchical level "
                        f"{count}: HL01 counts 1, 2, 3... in order"))
        if hl02:
            parent = int(hl02) if hl02.isdigit() else None
            if parent not in stack:
                out.append((count, 2, hl02, f"HL02 {hl02!r} is not an open parent level "
                            f"(open: {', '.join(map(str, stack)) or 'none'})"))
            while stack and stack[-1] != parent:
                stack.pop()
        stack.append(count)
    return out
