"""What we tell the buyer in an 855: ACK01 status per quantity, derived from the line buckets.
Committed quantities are IA (accepted), backordered IB, rejected IR with the reason,
cancelled ID (deleted). BAK02 is AD when everything is accepted unchanged, RJ when nothing is,
AC otherwise."""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from core.domain.model import Order
from core.domain.quantities import ZERO

ACK_CODE_FOR = (
    # (status code, buckets counted)
    ("IA", ("open", "accepted", "allocated", "released", "shipped", "invoiced")),
    ("IB", ("backordered",)),
    ("IR", ("rejected",)),
    ("ID", ("cancelled",)),
)


def ack_lines(order: Order, overrides: dict[str, dict[str, Any]] | None = None
              ) -> list[dict[str, Any]]:
    rows = []
    for line in order.lines:
        extra = overrides.get(line.line_number) if overrides else None
        q = line.q
        for code, buckets in ACK_CODE_FOR:
            qty = ZERO  # the buckets' sum, added in table order
            for b in buckets:
                qty += q[b]
            if qty <= ZERO:
                continue
            if extra is None:  # the automatic 855: the line as it stands
                rows.append({
                    "line": line, "line_number": line.line_number, "status_code": code,
                    "quantity": qty, "unit_price": line.unit_price,
                    "date": line.requested_ship_date,
                    "reason": (line.reject_reason or "") if code == "IR" else "",
                })
                continue
            if code == "IA" and extra.get("code"):
                code = extra["code"]
            rows.append({
                "line": line, "line_number": line.line_number, "status_code": code,
                "quantity": qty,
                "unit_price": extra.get("unit_price", line.unit_price),
                "date": extra.get("date", line.requested_ship_date),
                "reason": (line.reject_reason or "") if code == "IR" else extra.get("reason", ""),
            })
    return rows


def ack_type(rows: list[dict[str, Any]]) -> str:
    codes = {r["status_code"] for r in rows}
    if not codes or codes <= {"IR", "ID"}:
        return "RJ"
    if codes == {"IA"}:
        return "AD"
    return "AC"


def total(rows: list[dict[str, Any]], code: str) -> Decimal:
    return sum((r["quantity"] for r in rows if r["status_code"] == code), ZERO)
