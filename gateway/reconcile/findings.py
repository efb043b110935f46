"""A finding: one condition a check saw in this run, before it becomes an exception record.

The `key` is what makes reruns update instead of duplicate: it names the exception type and the
documents and lines it is about (never a time or an amount), e.g.
`invoice_price:vendor_invoice:12:line:3`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from gateway.reconcile.kinds import ExceptionType, Severity, kind_of


def doc(doc_type: str, doc_id: Any, ref: Any = None, label: str | None = None) -> dict[str, Any]:
    """A reference to a document involved, as stored in the exception's `documents` list.

    `doc_type` names where it lives (vendor_order, vendor_ack, vendor_shipment, vendor_invoice,
    order, shipment, invoice, document for the gateway's document records)."""
    ref_s = None if ref is None else str(ref)
    return {"type": doc_type, "id": None if doc_id is None else str(doc_id), "ref": ref_s,
            "label": label or f"{doc_type.replace('_', ' ')} {ref_s or doc_id}"}


def make_key(exception_type: ExceptionType, *parts: Any) -> str:
    return ":".join([exception_type.value, *(str(p) for p in parts)])[:255]


@dataclass(frozen=True)
class Finding:
    key: str
    type: ExceptionType
    reason: str
    partner_id: str | None = None
    subject: str | None = None          # the main document, "doc_type:id"
    order_ref: str | None = None
    documents: tuple[dict[str, Any], ...] = ()
    lines: tuple[str, ...] = ()
    amount: Decimal | None = None
    detail: dict[str, Any] = field(default_factory=dict)
    severity: Severity | None = None    # overrides the type's default (e.g. overdue in transit)

    def row(self, run_id: int) -> dict[str, Any]:
        kind = kind_of(self.type)
        return {
            "run_id": run_id, "key": self.key, "type": self.type.value, "area": kind.area.value,
            "severity": (self.severity or kind.severity).value, "partner_id": self.partner_id,
            "subject": self.subject, "order_ref": self.order_ref,
            "documents": list(self.documents), "lines": [str(x) for x in self.lines],
            "amount": self.amount, "reason": self.reason, "detail": _jsonable(self.detail),
        }


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, Decimal):
        return str(value.normalize()) if value == value.to_integral() else str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def fmt(value: Any) -> str:
    """Numbers for reasons: 10 not 10.0000, 1.5 not 1.5000."""
    if value is None:
        return "-"
    if isinstance(value, (int, float)):
        value = Decimal(str(value))
    if isinstance(value, Decimal):
        q = value.normalize()
        return f"{q:f}"
    return str(value)
