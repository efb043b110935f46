"""What the check callback keeps of each transaction set: its numbers, its verdict and, for a set
that may be used, its canonical document (or why mapping failed). Nothing else outlives the set."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

FUNCTIONAL_ACK_SETS = frozenset({"997", "999"})


@dataclass
class SetWork:
    set_id: str
    st02: str
    gs06: str
    isa13: str
    functional_id: str
    report: Any                       # gateway.x12 TransactionReport
    document: Any = None              # canonical document from the mapping
    answers: list[Any] = field(default_factory=list)   # 997/999: GroupAnswer list
    error: Exception | None = None    # mapping or apply failure
    stage: str = ""
    order_id: int | None = None
    reference: str | None = None
    status: str = ""


def reference_of(document: Any) -> str | None:
    """The document's own number (docs/CONTRACTS.md): 810 invoice, 856 shipment, 850/855 PO."""
    # the document's own number first (810: invoice, 856: shipment), then the PO it is about:
    # reconciliation finds duplicate invoice numbers by (partner, reference) (docs/CONTRACTS.md)
    for name in ("invoice_number", "shipment_id", "shipment_number", "po_number", "reference"):
        value = getattr(document, name, None)
        if value:
            return str(value)[:80]
    return None


def order_id_of(result: Any) -> int | None:
    for name in ("order_id", "id"):
        value = getattr(result, name, None)
        if isinstance(value, int):
            return value
    order = getattr(result, "order", None)
    value = getattr(order, "id", None)
    return value if isinstance(value, int) else None
