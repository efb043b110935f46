"""Rows for unit tests of the reconciliation queries.

Unit level only: these tests check the SQL of each check against rows of the core's and the
gateway's tables. The scenarios in tests/integration/reconcile and tests/e2e/reconcile build the
same situations through core commands and X12 files instead.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

from sqlalchemy import Engine, insert

from core.adapters import tables as t
from gateway.store import tables as g

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)
D = Decimal


class Builder:
    def __init__(self, engine: Engine):
        self.engine = engine
        self._n = 0

    def _id(self, table, **values: Any) -> int:
        with self.engine.begin() as conn:
            return conn.execute(insert(table).values(**values).returning(table.c.id)).scalar_one()

    def _next(self) -> int:
        self._n += 1
        return self._n

    # ------------------------------------------------------------------ buyer side
    def vendor_order(self, vendor: str = "acme", po: str | None = None, *, lines=(("1", "SKU-1", 10, "2.50"),),
                     created_at: datetime = T0, kind: str = "dropship", order_id: int | None = None,
                     ship_to: dict | None = None, requested: date | None = None) -> tuple[int, dict[str, int]]:
        po = po or f"VPO-{self._next()}"
        vo_id = self._id(t.vendor_orders, vendor=vendor, po_number=po, kind=kind, order_id=order_id,
                         ship_to=ship_to or {"name": "Store 1", "postal_code": "08817"},
                         status="sent", created_at=created_at)
        ids = {}
        for line, sku, qty, price in lines:
            ids[line] = self._id(t.vendor_order_lines, vendor_order_id=vo_id, line_number=line,
                                 sku=sku, quantity=D(str(qty)), unit_price=D(price),
                                 requested_date=requested, shipped=0, received=0, invoiced=0)
        return vo_id, ids

    def vendor_ack(self, vo_id: int, lines=(), *, at: datetime = T0) -> int:
        ack = self._id(t.vendor_acks, vendor_order_id=vo_id, ack_type="AC", created_at=at)
        for line in lines:
            values = {"line_number": "1", "status_code": "IA", **line}
            self._id(t.vendor_ack_lines, vendor_ack_id=ack, **values)
        return ack

    def vendor_shipment(self, vo_id: int, vendor: str = "acme", *, lines=(), cartons=(),
                        ship_date: date | None = date(2026, 3, 3), ship_to: dict | None = None,
                        status: str = "delivered", at: datetime = T0, shipment_id: str | None = None) -> int:
        vs = self._id(t.vendor_shipments, vendor_order_id=vo_id, vendor=vendor,
                      shipment_id=shipment_id or f"ASN-{self._next()}", ship_date=ship_date,
                      ship_to=ship_to or {}, status=status, created_at=at)
        for line in lines:
            values = {"line_number": "1", **line}
            self._id(t.vendor_shipment_lines, vendor_shipment_id=vs, **values)
        for sscc in cartons:
            self._id(t.vendor_shipment_cartons, vendor_shipment_id=vs, sscc=sscc)
        return vs

    def vendor_invoice(self, vo_id: int, vendor: str = "acme", number: str | None = None, *,
                       lines=(), charges=(), total: str | None = None, at: datetime = T0) -> int:
        vi = self._id(t.vendor_invoices, vendor_order_id=vo_id, vendor=vendor,
                      invoice_number=number or f"INV-{self._next()}",
                      total=None if total is None else D(total), created_at=at)
        for line in lines:
            values = {"line_number": "1", **line}
            self._id(t.vendor_invoice_lines, vendor_invoice_id=vi, **values)
        for indicator, code, amount in charges:
            self._id(t.vendor_invoice_charges, vendor_invoice_id=vi, indicator=indicator, code=code,
                     amount=D(amount))
        return vi

    # ------------------------------------------------------------------ seller side
    def order(self, partner: str | None = "shop", po: str | None = None, *,
              lines=(("1", "SKU-1", 5, "10.00"),), at: datetime = T0, shipped=0, invoiced=0) -> int:
        po = po or f"PO-{self._next()}"
        order_id = self._id(t.orders, order_key=partner or "web", po_number=po, channel="edi",
                            partner_id=partner, status="accepted", parties=[], order_refs=[],
                            created_at=at, updated_at=at)
        for line, sku, qty, price in lines:
            self._id(t.order_lines, order_id=order_id, line_number=line, sku=sku,
                     unit_price=D(price), ordered=D(str(qty)), open=0, accepted=D(str(qty)),
                     shipped=D(str(shipped)), invoiced=D(str(invoiced)), status="accepted")
        return order_id

    def shipment(self, order_id: int, *, at: datetime = T0, cartons=(), number: str | None = None) -> int:
        sid = self._id(t.shipments, order_id=order_id, shipment_number=number or f"SH-{self._next()}",
                       ship_date=at.date(), created_at=at)
        for sscc in cartons:
            self._id(t.shipment_cartons, shipment_id=sid, sscc=sscc)
        return sid

    def invoice(self, order_id: int, number: str, *, at: datetime = T0) -> int:
        return self._id(t.invoices, order_id=order_id, invoice_number=number, invoice_date=at.date(),
                        subtotal=0, allowances=0, charges=0, tax=0, total=0, created_at=at)

    def outbox(self, doc_type: str, partner: str, order_id: int | None, *, status: str = "sent",
               payload: dict | None = None, at: datetime = T0) -> int:
        return self._id(t.outbox, document_type=doc_type, partner_id=partner, order_id=order_id,
                        payload_ref=payload or {}, status=status, attempts=0, created_at=at)

    # ------------------------------------------------------------------ gateway records
    def document(self, **values: Any) -> int:
        now = values.pop("at", T0)
        base = dict(direction="out", doc_type="855", partner_id="shop", isa13="000000001",
                    gs06="1", st02="0001", status="sent", trace_id="t", attempts=0,
                    created_at=now, updated_at=now)
        base.update(values)
        return self._id(g.gateway_documents, **base)

    def gateway_file(self, partner: str = "acme") -> int:
        return self._id(g.gateway_files, partner_id=partner, transport="local", evidence={},
                        remote_name="f.edi", size=1, sha256="0" * 64, received_at=T0,
                        state="quarantined", trace_id="t", updated_at=T0)

    def error(self, file_id: int, message: str, *, code: str = "UnknownOrder", stage: str = "apply",
              **extra: Any) -> int:
        return self._id(g.gateway_errors, file_id=file_id, stage=stage, code=code, message=message,
                        created_at=T0, **extra)


def hours(n: float) -> timedelta:
    return timedelta(hours=n)
