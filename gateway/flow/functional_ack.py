"""Incoming 997/999: which of our groups and sets the partner accepted or rejected, and why.

Read straight from the segments (AK1/AK2/AK5/AK9, IK5 for 999): the answer must land on our own
document rows, found by the partner and the GS06/ST02 we sent, whatever mapping the partner uses.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from gateway.store.states import ACK_CODES, AckStatus


@dataclass
class SetAnswer:
    set_id: str
    st02: str
    code: str
    notes: list[str] = field(default_factory=list)


@dataclass
class GroupAnswer:
    functional_id: str
    gs06: str
    code: str = ""
    sets: list[SetAnswer] = field(default_factory=list)

    def status_for(self, st02: str | None) -> tuple[AckStatus, str]:
        for answer in self.sets:
            if st02 and answer.st02.lstrip("0") == st02.lstrip("0"):
                return ACK_CODES.get(answer.code, AckStatus.REJECTED), "; ".join(answer.notes)
        return ACK_CODES.get(self.code, AckStatus.REJECTED), f"group {self.gs06}: AK9 {self.code}"


def read_functional_ack(tx: Any) -> list[GroupAnswer]:
    groups: list[GroupAnswer] = []
    current: SetAnswer | None = None
    for seg in tx.segments:
        sid = seg.id
        if sid == "AK1":
            groups.append(GroupAnswer(seg[1], seg[2]))
        elif sid == "AK2" and groups:
            current = SetAnswer(seg[1], seg[2], "")
            groups[-1].sets.append(current)
        elif sid in ("AK3", "IK3") and current is not None:
            current.notes.append(f"{sid} segment {seg[1]} at {seg[2]} code {seg[4]}")
        elif sid in ("AK4", "IK4") and current is not None:
            current.notes.append(f"{sid} element {seg[1]} code {seg[3]} value {seg[4]!r}")
        elif sid in ("AK5", "IK5") and current is not None:
            current.code = seg[1]
            codes = [seg[n] for n in range(2, 7) if seg[n]]
            if codes:
                current.notes.append(f"{sid} {seg[1]} codes {','.join(codes)}")
        elif sid == "AK9" and groups:
            groups[-1].code = seg[1]
    return groups
