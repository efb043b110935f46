"""Who sent it: an interchange found in partner A's mailbox must carry A's ISA sender and GS02.

Anything else is refused whole and never applied: a mailbox is the proof of origin we have, and a
file naming someone else is either a misrouted file or a forgery.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Mismatch:
    isa13: str
    field: str          # "ISA06" or "GS02"
    found: str
    expected: str
    segment_id: str
    element_position: int

    @property
    def message(self) -> str:
        return (f"interchange {self.isa13}: {self.field} is {self.found!r} but this mailbox "
                f"belongs to a partner whose id is {self.expected!r}")


def _norm(value: str | None) -> str:
    return (value or "").strip().upper()


def check_sender(partner: Any, report: Any) -> list[Mismatch]:
    ident = partner.x12.partner
    expected_isa = _norm(ident.isa_id)
    expected_qual = _norm(ident.isa_qualifier)
    expected_gs = _norm(getattr(ident, "gs_code", None) or ident.gs_id or ident.isa_id)
    found: list[Mismatch] = []
    for ic in report.interchanges:
        h = ic.header
        if _norm(h.sender_id) != expected_isa or (expected_qual and _norm(h.sender_qualifier) != expected_qual):
            found.append(Mismatch(h.control_number, "ISA06", f"{h.sender_qualifier}/{h.sender_id}",
                                  f"{ident.isa_qualifier}/{ident.isa_id}", "ISA", 6))
        for group in ic.groups:
            if _norm(group.header.sender_code) != expected_gs:
                found.append(Mismatch(h.control_number, "GS02", group.header.sender_code,
                                      expected_gs, "GS", 2))
    return found
