"""Outbound file names from the partner's `filename_pattern` ({partner}, {doc_type}, {control});
the control number makes a name unique, and a resend reuses it (the same bytes, the same name)."""
from __future__ import annotations

import re
from typing import Any

SAFE = re.compile(r"[^A-Za-z0-9._+-]")
DEFAULT_PATTERN = "{partner}_{doc_type}_{control}.edi"


def outbound_name(partner: Any, doc_type: str, control: int | str) -> str:
    pattern = getattr(getattr(partner, "transport", None), "filename_pattern", None) or DEFAULT_PATTERN
    control_text = f"{int(control):09d}" if str(control).isdigit() else str(control)
    try:
        name = pattern.format(partner=partner.id, doc_type=doc_type, control=control_text,
                              us=partner.x12.us.isa_id.strip())
    except (KeyError, IndexError, ValueError):
        name = DEFAULT_PATTERN.format(partner=partner.id, doc_type=doc_type, control=control_text)
    return SAFE.sub("_", name)
