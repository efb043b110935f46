"""Order acknowledgements: the vendor's 855 against our PO, and our 855 to customers.

- a vendor PO with no 855 by the partner's deadline;
- 855 lines (the latest 855 per PO counts: a corrected 855 settles the earlier one) that differ
  from our PO in quantity, price, date, item (substitution) or that reject the line;
- a customer's order whose 855 we have not sent within the agreed time.
Rejected drop-ship lines are sourced again through the core (`SourceOrder`) when the partner's
`resource_rejected` allows it, once, when the rejection is first seen.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Iterable, Mapping

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.engine import Connection

from core.adapters import tables as core
from gateway.reconcile.checks import Check
from gateway.reconcile.context import EPSILON, RunContext, within
from gateway.reconcile.findings import Finding, doc, fmt, make_key
from gateway.reconcile.kinds import ExceptionType as T
from gateway.reconcile.tables import reconcile_partner_settings as S

REJECT_CODES = ("IR", "ID", "R1", "R2", "R3", "R4")
CLOSED_VENDOR_PO = ("cancelled", "closed")
DONE_OUTBOX = ("sent", "skipped")

vo, vol, va, val = core.vendor_orders, core.vendor_order_lines, core.vendor_acks, core.vendor_ack_lines


def _po_doc(row: Mapping) -> dict:
    return doc("vendor_order", row["vo_id"], row["po_number"], f"850 PO {row['po_number']}")


def find_vendor_ack_overdue(ctx: RunContext) -> Iterable[Finding]:
    value = (select(func.sum(vol.c.quantity * vol.c.unit_price))
             .where(vol.c.vendor_order_id == vo.c.id).scalar_subquery())
    query = (select(vo.c.id.label("vo_id"), vo.c.vendor, vo.c.po_number, vo.c.order_id,
                    vo.c.created_at, value.label("value"))
             .join(S, S.c.partner_id == vo.c.vendor)
             .where(vo.c.created_at < S.c.vendor_ack_cutoff,
                    vo.c.status.not_in(CLOSED_VENDOR_PO),
                    ~exists().where(va.c.vendor_order_id == vo.c.id),
                    # goods already shipped answer the PO too: a missing 855 no longer matters
                    ~exists().where(core.vendor_shipments.c.vendor_order_id == vo.c.id)))
    for row in ctx.conn.execute(query).mappings():
        hours = ctx.settings_for(row["vendor"]).vendor_ack_within_hours
        yield Finding(
            key=make_key(T.VENDOR_ACK_OVERDUE, "vendor_order", row["vo_id"]),
            type=T.VENDOR_ACK_OVERDUE, partner_id=row["vendor"],
            subject=f"vendor_order:{row['vo_id']}", order_ref=row["po_number"],
            documents=(_po_doc(row),), amount=_dec(row["value"]),
            reason=(f"PO {row['po_number']} to {row['vendor']} sent {row['created_at']:%Y-%m-%d %H:%M}"
                    f" has no 855 after {fmt(hours)} h"),
            detail={"sent_at": row["created_at"], "window_hours": hours})


def settle_vendor_ack_overdue(conn: Connection, rows: list[dict]) -> dict[str, str]:
    ids = {int(r["subject"].split(":")[1]): r["key"] for r in rows if r["subject"]}
    query = (select(va.c.vendor_order_id, func.max(va.c.id).label("ack_id"))
             .where(va.c.vendor_order_id.in_(list(ids))).group_by(va.c.vendor_order_id))
    notes = {ids[r.vendor_order_id]: f"855 (vendor ack {r.ack_id})" for r in conn.execute(query)}
    vs = core.vendor_shipments
    shipped = (select(vs.c.vendor_order_id, func.min(vs.c.shipment_id).label("asn"))
               .where(vs.c.vendor_order_id.in_(list(ids))).group_by(vs.c.vendor_order_id))
    for r in conn.execute(shipped):
        notes.setdefault(ids[r.vendor_order_id], f"856 shipment {r.asn}")
    return notes


def _latest_ack_lines(ctx: RunContext):
    latest = (select(va.c.vendor_order_id, func.max(va.c.id).label("ack_id"))
              .group_by(va.c.vendor_order_id).subquery("latest"))
    differs = or_(
        val.c.status_code.in_(REJECT_CODES),
        vol.c.id.is_(None),
        and_(val.c.substitute_sku.is_not(None), val.c.substitute_sku != "",
             val.c.substitute_sku != vol.c.sku),
        val.c.status_code == "IS",
        and_(val.c.quantity.is_not(None),
             ~within(val.c.quantity - vol.c.quantity, vol.c.quantity,
                     S.c.quantity_tolerance_percent, S.c.quantity_tolerance_units)),
        and_(val.c.unit_price.is_not(None), vol.c.unit_price.is_not(None),
             ~within(val.c.unit_price - vol.c.unit_price, vol.c.unit_price,
                     S.c.price_tolerance_percent, S.c.price_tolerance_amount)),
        and_(val.c.date.is_not(None), vol.c.requested_date.is_not(None),
             ctx.days_between(val.c.date, vol.c.requested_date) > S.c.late_grace_days),
    )
    return (select(vo.c.id.label("vo_id"), vo.c.vendor, vo.c.po_number, vo.c.order_id, vo.c.kind,
                   latest.c.ack_id, val.c.line_number, val.c.status_code,
                   val.c.quantity.label("ack_qty"), val.c.unit_price.label("ack_price"),
                   val.c.date.label("ack_date"), val.c.substitute_sku, val.c.reason,
                   vol.c.id.label("vol_id"), vol.c.sku, vol.c.order_line_id,
                   vol.c.quantity.label("po_qty"), vol.c.unit_price.label("po_price"),
                   vol.c.requested_date, S.c.quantity_tolerance_percent,
                   S.c.quantity_tolerance_units, S.c.price_tolerance_percent,
                   S.c.price_tolerance_amount, S.c.late_grace_days)
            .select_from(latest)
            .join(val, val.c.vendor_ack_id == latest.c.ack_id)
            .join(vo, vo.c.id == latest.c.vendor_order_id)
            .join(S, S.c.partner_id == vo.c.vendor)
            .outerjoin(vol, and_(vol.c.vendor_order_id == vo.c.id,
                                 vol.c.line_number == val.c.line_number))
            .where(differs))


def find_vendor_ack_lines(ctx: RunContext) -> Iterable[Finding]:
    for r in ctx.conn.execute(_latest_ack_lines(ctx)).mappings():
        yield from _classify_ack_line(ctx, r)


def _classify_ack_line(ctx: RunContext, r: Mapping) -> Iterable[Finding]:
    s = ctx.settings_for(r["vendor"])
    po_qty, po_price = _dec(r["po_qty"]), _dec(r["po_price"])
    ack_qty, ack_price = _dec(r["ack_qty"]), _dec(r["ack_price"])
    line = r["line_number"]
    base = dict(partner_id=r["vendor"], subject=f"vendor_order:{r['vo_id']}",
                order_ref=r["po_number"], lines=(line,),
                documents=(_po_doc(r), doc("vendor_ack", r["ack_id"], r["po_number"],
                                           f"855 for PO {r['po_number']} (ack {r['ack_id']})")))
    where = f"PO {r['po_number']} line {line}"

    def key(t: T) -> str:
        return make_key(t, "vendor_order", r["vo_id"], "line", line)

    value = (po_qty * po_price) if po_qty is not None and po_price is not None else None
    if r["vol_id"] is None:
        yield Finding(key=key(T.VENDOR_ACK_SUBSTITUTION), type=T.VENDOR_ACK_SUBSTITUTION,
                      reason=f"855 acknowledges line {line}, which is not on {where.split(' line')[0]}",
                      detail={"status_code": r["status_code"]}, **base)
        return
    if r["status_code"] in REJECT_CODES:
        yield Finding(key=key(T.VENDOR_ACK_REJECTED), type=T.VENDOR_ACK_REJECTED, amount=value,
                      reason=(f"{where}: vendor rejected {fmt(po_qty)} x {r['sku']} "
                              f"({r['status_code']}{': ' + r['reason'] if r['reason'] else ''})"),
                      detail={"status_code": r["status_code"], "sku": r["sku"],
                              "order_id": r["order_id"], "kind": r["kind"],
                              "order_line_id": r["order_line_id"]}, **base)
        return
    sub = r["substitute_sku"]
    if r["status_code"] == "IS" or (sub and sub != r["sku"]):
        yield Finding(key=key(T.VENDOR_ACK_SUBSTITUTION), type=T.VENDOR_ACK_SUBSTITUTION,
                      amount=value, reason=f"{where}: {sub or 'another item'} offered for {r['sku']}",
                      detail={"ordered_sku": r["sku"], "substitute_sku": sub}, **base)
    if ack_qty is not None and po_qty is not None and not _within(
            ack_qty - po_qty, po_qty, s.quantity_tolerance_percent, s.quantity_tolerance_units):
        yield Finding(key=key(T.VENDOR_ACK_QUANTITY), type=T.VENDOR_ACK_QUANTITY,
                      amount=abs(ack_qty - po_qty) * (po_price or 0),
                      reason=f"{where}: 855 quantity {fmt(ack_qty)}, PO {fmt(po_qty)}",
                      detail={"po": po_qty, "ack": ack_qty, "status_code": r["status_code"]}, **base)
    if ack_price is not None and po_price is not None and not _within(
            ack_price - po_price, po_price, s.price_tolerance_percent, s.price_tolerance_amount):
        yield Finding(key=key(T.VENDOR_ACK_PRICE), type=T.VENDOR_ACK_PRICE,
                      amount=abs(ack_price - po_price) * (ack_qty or po_qty or 0),
                      reason=f"{where}: 855 price {fmt(ack_price)}, PO {fmt(po_price)}",
                      detail={"po": po_price, "ack": ack_price}, **base)
    if r["ack_date"] is not None and r["requested_date"] is not None and (
            (r["ack_date"] - r["requested_date"]).days > s.late_grace_days):
        yield Finding(key=key(T.VENDOR_ACK_DATE), type=T.VENDOR_ACK_DATE, amount=value,
                      reason=(f"{where}: 855 date {r['ack_date']}, requested {r['requested_date']}"),
                      detail={"requested": r["requested_date"], "ack": r["ack_date"]}, **base)


def settle_by_latest_ack(conn: Connection, rows: list[dict]) -> dict[str, str]:
    ids = {int(r["subject"].split(":")[1]) for r in rows if r["subject"]}
    query = (select(va.c.vendor_order_id, func.max(va.c.id).label("ack_id"))
             .where(va.c.vendor_order_id.in_(list(ids))).group_by(va.c.vendor_order_id))
    latest = {r.vendor_order_id: r.ack_id for r in conn.execute(query)}
    return {r["key"]: f"855 (vendor ack {latest[int(r['subject'].split(':')[1])]})"
            for r in rows if r["subject"] and int(r["subject"].split(":")[1]) in latest}


def resource_rejected(ctx: RunContext, new_rows: list[dict]) -> None:
    """Source again the customer orders whose drop-ship lines a vendor just rejected, when the
    partner allows it and quantity is still unallocated (the core re-sources on the 855 itself;
    this catches what its rules left open, e.g. stock that has arrived since)."""
    if ctx.core is None:
        return
    from core.domain.commands import SourceOrder

    orders = sorted({int(r["detail"]["order_id"]) for r in new_rows
                     if r["detail"].get("order_id") and r["detail"].get("kind") == "dropship"
                     and ctx.settings_for(r["partner_id"]).resource_rejected_lines})
    if not orders:
        return
    ol = core.order_lines
    with ctx.core.engine.connect() as conn:
        waiting = [oid for (oid,) in conn.execute(
            select(ol.c.order_id).where(ol.c.order_id.in_(orders))
            .group_by(ol.c.order_id)
            .having(func.sum(ol.c.open + ol.c.accepted + ol.c.backordered) > EPSILON))]
    for order_id in waiting:
        try:
            ctx.core.handle(SourceOrder(order_id=order_id), actor="reconcile")
            ctx.notes.append(f"order {order_id}: lines rejected by the vendor sourced again")
        except Exception as exc:  # noqa: BLE001 - a refusal is recorded, never fatal to the run
            ctx.notes.append(f"order {order_id}: sourcing the rejected lines again was refused: {exc}")


def find_customer_ack_late(ctx: RunContext) -> Iterable[Finding]:
    o, ob = core.orders, core.outbox
    value = (select(func.sum(core.order_lines.c.ordered * core.order_lines.c.unit_price))
             .where(core.order_lines.c.order_id == o.c.id).scalar_subquery())
    query = (select(o.c.id, o.c.partner_id, o.c.po_number, o.c.created_at, value.label("value"))
             .join(S, S.c.partner_id == o.c.partner_id)
             .where(o.c.created_at < S.c.customer_ack_cutoff, o.c.status != "cancelled",
                    ~exists().where(ob.c.order_id == o.c.id, ob.c.document_type == "855",
                                    ob.c.status.in_(DONE_OUTBOX))))
    if ctx.no_855_partners:
        query = query.where(o.c.partner_id.not_in(sorted(ctx.no_855_partners)))
    for row in ctx.conn.execute(query).mappings():
        hours = ctx.settings_for(row["partner_id"]).customer_ack_within_hours
        yield Finding(
            key=make_key(T.CUSTOMER_ACK_LATE, "order", row["id"]), type=T.CUSTOMER_ACK_LATE,
            partner_id=row["partner_id"], subject=f"order:{row['id']}", order_ref=row["po_number"],
            documents=(doc("order", row["id"], row["po_number"], f"850 PO {row['po_number']}"),),
            amount=_dec(row["value"]),
            reason=(f"order {row['po_number']} from {row['partner_id']} received "
                    f"{row['created_at']:%Y-%m-%d %H:%M}: no 855 sent within {fmt(hours)} h"),
            detail={"received_at": row["created_at"], "window_hours": hours})


def settle_customer_ack(conn: Connection, rows: list[dict]) -> dict[str, str]:
    ob = core.outbox
    ids = {int(r["subject"].split(":")[1]): r["key"] for r in rows if r["subject"]}
    query = (select(ob.c.order_id, func.max(ob.c.id).label("outbox_id"))
             .where(ob.c.order_id.in_(list(ids)), ob.c.document_type == "855",
                    ob.c.status.in_(DONE_OUTBOX)).group_by(ob.c.order_id))
    return {ids[r.order_id]: f"855 sent (outbox {r.outbox_id})" for r in conn.execute(query)}


def _dec(value) -> Decimal | None:
    if value is None:
        return None
    return value if isinstance(value, Decimal) else Decimal(str(value))


def _within(diff: Decimal, base: Decimal, percent: Decimal, units: Decimal) -> bool:
    eps = Decimal(str(EPSILON))
    return abs(diff) <= abs(base) * percent / 100 + eps or abs(diff) <= units + eps


ACK_LINE_TYPES = (T.VENDOR_ACK_QUANTITY, T.VENDOR_ACK_PRICE, T.VENDOR_ACK_DATE,
                  T.VENDOR_ACK_SUBSTITUTION, T.VENDOR_ACK_REJECTED)

CHECKS = [
    Check("vendor_ack_overdue", (T.VENDOR_ACK_OVERDUE,), find_vendor_ack_overdue,
          {T.VENDOR_ACK_OVERDUE.value: settle_vendor_ack_overdue}),
    Check("vendor_ack_lines", ACK_LINE_TYPES, find_vendor_ack_lines,
          {t.value: settle_by_latest_ack for t in ACK_LINE_TYPES},
          after={T.VENDOR_ACK_REJECTED.value: resource_rejected}),
    Check("customer_ack_late", (T.CUSTOMER_ACK_LATE,), find_customer_ack_late,
          {T.CUSTOMER_ACK_LATE.value: settle_customer_ack}),
]
