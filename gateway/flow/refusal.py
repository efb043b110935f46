"""The rejection we send back for a refused interchange: a TA1 with code 006 (invalid interchange
sender ID) or 025 (duplicate control number), written to the mailbox owner's outbound folder."""
from __future__ import annotations

from datetime import datetime
from typing import Any, Callable

from gateway.x12.model import Delimiters
from gateway.x12.writer import X12Writer, isa_elements

TA1_INVALID_SENDER = "006"
TA1_DUPLICATE = "025"


def refusal_ta1(partner: Any, header: Any, code: str, next_number: Callable[[str], int],
                now: datetime) -> tuple[int, bytes]:
    """(our ISA13, bytes) of a TA1 rejecting the received interchange `header`."""
    d = header.delimiters
    delimiters = Delimiters(d.element, d.component, d.segment, None)
    writer = X12Writer(delimiters, partner.x12.line_ending)
    isa13 = next_number("isa")
    us = partner.x12.us
    ident = partner.x12.partner
    out = [writer.segment("ISA", isa_elements((us.isa_qualifier, us.isa_id),
                                               (ident.isa_qualifier, ident.isa_id), isa13, "00401",
                                               partner.usage, delimiters, now)),
           writer.segment("TA1", [header.control_number, header.date, header.time, "R", code]),
           writer.segment("IEA", ["0", f"{isa13:09d}"])]
    return isa13, b"".join(out)
