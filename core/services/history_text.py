"""Human sentences for history rows. Details are stored as compact data (cheap to write at
1,000 orders/s); the words are made only when someone reads the history."""
from __future__ import annotations

from typing import Any, Callable


def _sourced(d: dict[str, Any]) -> str:
    parts = []
    rules = d.get("rules") or {}
    for line in d.get("lines") or []:
        bits = []
        for loc, qty, rule in line.get("placed") or []:
            ranked = (rules.get(rule) or {}).get("ranked") or []
            dist = next((km for code, km in ranked if code == loc), None)
            bits.append(f"{qty} from {loc} by rule {rule}"
                        + (f" ({km_text(dist)})" if dist is not None else ""))
        if line.get("fallback"):
            how, qty = line["fallback"]
            bits.append(f"{qty} {'backordered' if how == 'backorder' else 'rejected'} (fallback)")
        if line.get("skipped"):
            bits.append(f"not sourced: {line['skipped']}")
        losers = []
        for loc, avail, rule in line.get("short") or []:
            if avail == "max_splits":
                losers.append(f"{loc} lost under {rule}: the line already uses the maximum splits")
            else:
                losers.append(f"{loc} lost under {rule}: only {avail} available")
        text = f"line {line['line']} ({line.get('sku')}, {line['quantity']}): " + "; ".join(bits)
        if losers:
            text += " [" + "; ".join(losers) + "]"
        parts.append(text)
    for name, info in rules.items():
        ranked = info.get("ranked") or []
        excluded = info.get("excluded") or {}
        if ranked:
            order = ", ".join(f"{code}" + (f" {km_text(km)}" if km is not None else "")
                              for code, km in ranked)
            parts.append(f"rule {name} ranked {order}")
        if excluded:
            parts.append(f"rule {name} excluded " + ", ".join(f"{k} ({v})" for k, v in excluded.items()))
    if d.get("held"):
        parts.append("held lines not sourced: " + ", ".join(d["held"]))
    return "sourced: " + " | ".join(parts)


def km_text(km: Any) -> str:
    return f"{km} km" if km is not None else "distance unknown"


TEMPLATES: dict[str, Callable[[dict[str, Any]], str]] = {
    "placed": lambda d: f"placed with {d.get('lines')} lines via {d.get('partner') or d.get('channel')}",
    "line_rejected": lambda d: f"line {d.get('line')} rejected: {d.get('reason')} ({d.get('item')})",
    "sourced": _sourced,
    "sourcing_held": lambda d: f"sourcing held for lines {', '.join(d.get('lines') or [])}",
    "acknowledged": lambda d: (f"acknowledged ({d.get('ack_type')}"
                               f"{', automatic' if d.get('automatic') else ''}): "
                               + ", ".join(f"{k} {v}" for k, v in (d.get('quantities') or {}).items())
                               + ("; 855 queued" if d.get("outbox") else "")),
    "shipped": lambda d: (f"shipment {d.get('shipment_number')} "
                          + ", ".join(f"line {n}: {q} from {loc}" for n, q, loc in d.get("lines") or [])
                          + (f" via {d.get('carrier')} {d.get('tracking')}" if d.get("carrier") else "")),
    "invoiced": lambda d: f"invoice {d.get('invoice_number')} total {d.get('total')}",
    "released": lambda d: "released " + ", ".join(f"line {n}: {q}" for n, q in d.get("lines") or []),
    "cancelled": lambda d: f"cancelled ({d.get('reason') or 'no reason'})",
    "lines_cancelled": lambda d: (f"cancelled ({d.get('reason') or 'no reason'}) "
                                  + ", ".join(f"line {x['line']}: {x['quantity']}" for x in d.get("lines") or [])),
    "hold_placed": lambda d: f"{d.get('type')} hold placed{' on line ' + d['line'] if d.get('line') else ''}: {d.get('reason')}",
    "hold_resolved": lambda d: f"holds resolved: {d.get('holds')} ({d.get('resolution') or ''})",
    "vendor_order_sent": lambda d: f"purchase order {d.get('po_number')} to {d.get('vendor')} (850 queued)",
    "vendor_rejected": lambda d: f"vendor {d.get('vendor')} rejected {d.get('lines')}; sourcing again",
    "vendor_invoiced": lambda d: f"vendor invoice {d.get('invoice_number')} from {d.get('vendor')}",
    "changed": lambda d: f"changed {d.get('changes')}",
    "return_authorised": lambda d: f"return {d.get('rma_number')} authorised {d.get('lines')}",
    "return_received": lambda d: f"return {d.get('rma_number')} received at {d.get('location')} {d.get('lines')}",
}


def describe(event: str, detail: dict[str, Any] | None) -> str:
    fn = TEMPLATES.get(event)
    try:
        return fn(detail or {}) if fn else event
    except (KeyError, TypeError, ValueError):
        return event
