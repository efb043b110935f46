"""Invoices: three-way match of a vendor's 810 against our PO and their ASN or our receipt,
and customer shipments left uninvoiced.

Per invoice line: item on the PO, unit price within tolerance (percent OR amount).
Per PO line, over all invoices (GROUP BY): invoiced quantity not above the PO, and not above
what was shipped (their ASNs) or, for stock POs already received, what we received.
Per invoice: TDS equals lines + charges - allowances; charges only with agreed SAC codes.
An invoice with no open exception is matched (reconcile_outcomes).
"""
from __future__ import annotations

from decimal import Decimal
from typing import Iterable

from sqlalchemy import String, and_, case, cast, delete, exists, func, insert, literal, or_, select
from sqlalchemy.engine import Connection

from core.adapters import tables as core
from gateway.reconcile.checks import Check
from gateway.reconcile.checks.order_acks import _dec
from gateway.reconcile.checks.ship_notices import settle_by_latest_asn
from gateway.reconcile.context import EPSILON, RunContext, within
from gateway.reconcile.findings import Finding, doc, fmt, make_key
from gateway.reconcile.kinds import Area, Status
from gateway.reconcile.kinds import ExceptionType as T
from gateway.reconcile.tables import reconcile_exceptions as X
from gateway.reconcile.tables import reconcile_outcomes as OUT
from gateway.reconcile.tables import reconcile_partner_settings as S

vo, vol = core.vendor_orders, core.vendor_order_lines
vi, vil, vic = core.vendor_invoices, core.vendor_invoice_lines, core.vendor_invoice_charges
vsl = core.vendor_shipment_lines


def _inv(vi_id, number) -> dict:
    return doc("vendor_invoice", vi_id, number, f"810 invoice {number}")


def _po(vo_id, po_number) -> dict:
    return doc("vendor_order", vo_id, po_number, f"850 PO {po_number}")


def find_invoice_lines(ctx: RunContext) -> Iterable[Finding]:
    not_on_po = or_(vol.c.id.is_(None),
                    and_(vil.c.sku.is_not(None), vil.c.sku != "", vil.c.sku != vol.c.sku))
    price_off = and_(vol.c.unit_price.is_not(None),
                     ~within(vil.c.unit_price - vol.c.unit_price, vol.c.unit_price,
                             S.c.price_tolerance_percent, S.c.price_tolerance_amount))
    query = (select(vi.c.id.label("vi_id"), vi.c.invoice_number, vi.c.vendor, vo.c.id.label("vo_id"),
                    vo.c.po_number, vil.c.line_number, vil.c.sku.label("inv_sku"),
                    vil.c.quantity, vil.c.unit_price.label("inv_price"), vol.c.id.label("vol_id"),
                    vol.c.sku.label("po_sku"), vol.c.unit_price.label("po_price"))
             .select_from(vil)
             .join(vi, vi.c.id == vil.c.vendor_invoice_id)
             .join(vo, vo.c.id == vi.c.vendor_order_id)
             .join(S, S.c.partner_id == vi.c.vendor)
             .outerjoin(vol, vol.c.id == vil.c.vendor_order_line_id)
             .where(or_(not_on_po, price_off)))
    for r in ctx.conn.execute(query).mappings():
        qty, inv_price, po_price = _dec(r["quantity"]), _dec(r["inv_price"]), _dec(r["po_price"])
        base = dict(partner_id=r["vendor"], subject=f"vendor_invoice:{r['vi_id']}",
                    order_ref=r["po_number"], lines=(r["line_number"],),
                    documents=(_inv(r["vi_id"], r["invoice_number"]), _po(r["vo_id"], r["po_number"])))
        where = f"invoice {r['invoice_number']} line {r['line_number']}"
        if r["vol_id"] is None or (r["inv_sku"] and r["inv_sku"] != r["po_sku"]):
            yield Finding(
                key=make_key(T.INVOICE_ITEM_NOT_ON_PO, "vendor_invoice", r["vi_id"], "line",
                             r["line_number"]),
                type=T.INVOICE_ITEM_NOT_ON_PO, amount=(qty or 0) * (inv_price or 0),
                reason=f"{where}: {fmt(qty)} x {r['inv_sku'] or '?'} is not on PO {r['po_number']}",
                detail={"sku": r["inv_sku"], "quantity": qty, "unit_price": inv_price}, **base)
            continue
        yield Finding(
            key=make_key(T.INVOICE_PRICE, "vendor_invoice", r["vi_id"], "line", r["line_number"]),
            type=T.INVOICE_PRICE, amount=(inv_price - po_price) * (qty or 0),
            reason=f"{where}: unit price {fmt(inv_price)}, PO {fmt(po_price)} (x {fmt(qty)})",
            detail={"po_price": po_price, "invoice_price": inv_price, "quantity": qty}, **base)


def find_invoice_quantities(ctx: RunContext) -> Iterable[Finding]:
    invoiced = (select(vil.c.vendor_order_line_id.label("vol_id"),
                       func.sum(vil.c.quantity).label("invoiced"),
                       func.max(vil.c.vendor_invoice_id).label("last_vi"))
                .where(vil.c.vendor_order_line_id.is_not(None))
                .group_by(vil.c.vendor_order_line_id).subquery("invoiced"))
    shipped = (select(vsl.c.vendor_order_line_id.label("vol_id"),
                      func.sum(vsl.c.quantity).label("shipped"))
               .where(vsl.c.vendor_order_line_id.is_not(None))
               .group_by(vsl.c.vendor_order_line_id).subquery("shipped"))
    basis = case((and_(vo.c.kind == "stock", vol.c.received > 0), vol.c.received),
                 else_=func.coalesce(shipped.c.shipped, 0))
    query = (select(vo.c.id.label("vo_id"), vo.c.vendor, vo.c.po_number, vo.c.kind,
                    vol.c.line_number, vol.c.sku, vol.c.quantity, vol.c.unit_price,
                    vol.c.received, invoiced.c.invoiced, invoiced.c.last_vi,
                    basis.label("basis"), vi.c.invoice_number)
             .select_from(invoiced)
             .join(vol, vol.c.id == invoiced.c.vol_id)
             .join(vo, vo.c.id == vol.c.vendor_order_id)
             .join(S, S.c.partner_id == vo.c.vendor)
             .join(vi, vi.c.id == invoiced.c.last_vi)
             .outerjoin(shipped, shipped.c.vol_id == vol.c.id)
             .where(or_(invoiced.c.invoiced > vol.c.quantity + S.c.quantity_tolerance_units + EPSILON,
                        invoiced.c.invoiced > basis + EPSILON)))
    for r in ctx.conn.execute(query).mappings():
        inv_q, po_q, basis_q = _dec(r["invoiced"]), _dec(r["quantity"]), _dec(r["basis"])
        price = _dec(r["unit_price"]) or Decimal(0)
        base = dict(partner_id=r["vendor"], subject=f"vendor_invoice:{r['last_vi']}",
                    order_ref=r["po_number"], lines=(r["line_number"],),
                    documents=(_inv(r["last_vi"], r["invoice_number"]),
                               _po(r["vo_id"], r["po_number"])))
        where = f"PO {r['po_number']} line {r['line_number']} ({r['sku']})"
        if inv_q > po_q + ctx.settings_for(r["vendor"]).quantity_tolerance_units:
            yield Finding(
                key=make_key(T.INVOICE_QUANTITY, "vendor_order", r["vo_id"], "line", r["line_number"]),
                type=T.INVOICE_QUANTITY, amount=(inv_q - po_q) * price,
                reason=f"{where}: invoiced {fmt(inv_q)}, ordered {fmt(po_q)}",
                detail={"invoiced": inv_q, "ordered": po_q}, **base)
            continue
        what = "received" if r["kind"] == "stock" and (_dec(r["received"]) or 0) > 0 else "shipped (856)"
        yield Finding(
            key=make_key(T.INVOICE_NOT_SHIPPED, "vendor_order", r["vo_id"], "line", r["line_number"]),
            type=T.INVOICE_NOT_SHIPPED, amount=(inv_q - basis_q) * price,
            reason=f"{where}: invoiced {fmt(inv_q)}, only {fmt(basis_q)} {what}",
            detail={"invoiced": inv_q, "basis": basis_q, "basis_kind": what}, **base)


def find_invoice_totals(ctx: RunContext) -> Iterable[Finding]:
    lines = (select(vil.c.vendor_invoice_id.label("vi_id"),
                    func.sum(vil.c.quantity * vil.c.unit_price).label("lines"))
             .group_by(vil.c.vendor_invoice_id).subquery("lines"))
    sac = (select(vic.c.vendor_invoice_id.label("vi_id"),
                  func.sum(case((vic.c.indicator == "A", -vic.c.amount), else_=vic.c.amount))
                  .label("sac"))
           .group_by(vic.c.vendor_invoice_id).subquery("sac"))
    expected = func.coalesce(lines.c.lines, 0) + func.coalesce(sac.c.sac, 0)
    query = (select(vi.c.id.label("vi_id"), vi.c.invoice_number, vi.c.vendor, vi.c.total,
                    vo.c.id.label("vo_id"), vo.c.po_number,
                    func.coalesce(lines.c.lines, 0).label("lines"),
                    func.coalesce(sac.c.sac, 0).label("sac"))
             .join(vo, vo.c.id == vi.c.vendor_order_id)
             .join(S, S.c.partner_id == vi.c.vendor)
             .outerjoin(lines, lines.c.vi_id == vi.c.id)
             .outerjoin(sac, sac.c.vi_id == vi.c.id)
             .where(or_(vi.c.total.is_(None),
                        func.abs(vi.c.total - expected) > S.c.total_tolerance_amount + EPSILON)))
    for r in ctx.conn.execute(query).mappings():
        lines_t, sac_t, total = _dec(r["lines"]), _dec(r["sac"]), _dec(r["total"])
        expected_t = (lines_t + sac_t).quantize(Decimal("0.01"))
        reason = (f"invoice {r['invoice_number']} has no TDS total; lines + SAC = {fmt(expected_t)}"
                  if total is None else
                  f"invoice {r['invoice_number']}: TDS {fmt(total)} but lines {fmt(lines_t)} "
                  f"+ SAC {fmt(sac_t)} = {fmt(expected_t)}")
        yield Finding(
            key=make_key(T.INVOICE_TOTAL, "vendor_invoice", r["vi_id"]), type=T.INVOICE_TOTAL,
            partner_id=r["vendor"], subject=f"vendor_invoice:{r['vi_id']}", order_ref=r["po_number"],
            documents=(_inv(r["vi_id"], r["invoice_number"]), _po(r["vo_id"], r["po_number"])),
            amount=None if total is None else abs(total - lines_t - sac_t), reason=reason,
            detail={"tds": total, "lines": lines_t, "sac": sac_t})


def find_invoice_charges(ctx: RunContext) -> Iterable[Finding]:
    agreed = (literal(",") + S.c.allowed_charges + literal(",")).like(
        literal("%,") + func.upper(vic.c.code) + literal(",%"))
    query = (select(vi.c.id.label("vi_id"), vi.c.invoice_number, vi.c.vendor, vo.c.id.label("vo_id"),
                    vo.c.po_number, vic.c.code, vic.c.amount, vic.c.description)
             .select_from(vic)
             .join(vi, vi.c.id == vic.c.vendor_invoice_id)
             .join(vo, vo.c.id == vi.c.vendor_order_id)
             .join(S, S.c.partner_id == vi.c.vendor)
             .where(vic.c.indicator == "C", ~agreed))
    for r in ctx.conn.execute(query).mappings():
        yield Finding(
            key=make_key(T.INVOICE_CHARGES, "vendor_invoice", r["vi_id"], "sac", r["code"]),
            type=T.INVOICE_CHARGES, partner_id=r["vendor"], subject=f"vendor_invoice:{r['vi_id']}",
            order_ref=r["po_number"], amount=_dec(r["amount"]),
            documents=(_inv(r["vi_id"], r["invoice_number"]), _po(r["vo_id"], r["po_number"])),
            reason=(f"invoice {r['invoice_number']}: charge {r['code']} "
                    f"{r['description'] or ''} {fmt(r['amount'])} not agreed on the PO").replace("  ", " "),
            detail={"code": r["code"], "amount": r["amount"]})


def find_uninvoiced(ctx: RunContext) -> Iterable[Finding]:
    o, ol, s = core.orders, core.order_lines, core.shipments
    open_lines = (select(ol.c.order_id,
                         func.sum((ol.c.shipped - ol.c.invoiced) * func.coalesce(ol.c.unit_price, 0))
                         .label("value"),
                         func.sum(ol.c.shipped - ol.c.invoiced).label("units"))
                  .where(ol.c.shipped > ol.c.invoiced + EPSILON)
                  .group_by(ol.c.order_id).subquery("uninvoiced"))
    last_ship = (select(func.max(s.c.created_at)).where(s.c.order_id == o.c.id)
                 .scalar_subquery())
    query = (select(o.c.id, o.c.po_number, o.c.partner_id, open_lines.c.value, open_lines.c.units,
                    last_ship.label("shipped_at"))
             .select_from(open_lines)
             .join(o, o.c.id == open_lines.c.order_id)
             .join(S, S.c.partner_id == o.c.partner_id)
             .where(last_ship < S.c.invoice_cutoff))
    for r in ctx.conn.execute(query).mappings():
        days = ctx.settings_for(r["partner_id"]).invoice_within_days
        yield Finding(
            key=make_key(T.UNINVOICED_SHIPMENT, "order", r["id"]), type=T.UNINVOICED_SHIPMENT,
            partner_id=r["partner_id"], subject=f"order:{r['id']}", order_ref=r["po_number"],
            documents=(doc("order", r["id"], r["po_number"], f"850 PO {r['po_number']}"),),
            amount=_dec(r["value"]),
            reason=(f"order {r['po_number']}: {fmt(r['units'])} unit(s) shipped by "
                    f"{r['shipped_at']:%Y-%m-%d} not invoiced after {fmt(days)} day(s)"),
            detail={"units": r["units"], "last_shipped_at": r["shipped_at"], "window_days": days})


def settle_uninvoiced(conn: Connection, rows: list[dict]) -> dict[str, str]:
    inv = core.invoices
    ids = {int(r["subject"].split(":")[1]): r["key"] for r in rows if r["subject"]}
    query = (select(inv.c.order_id, func.max(inv.c.invoice_number).label("number"))
             .where(inv.c.order_id.in_(list(ids))).group_by(inv.c.order_id))
    return {ids[r.order_id]: f"810 invoice {r.number}" for r in conn.execute(query)}


def record_outcomes(conn: Connection, as_of) -> int:
    """One outcome row per vendor invoice: disputed while an exception about it is open."""
    subject = literal("vendor_invoice:") + cast(vi.c.id, String)
    disputed = exists().where(X.c.subject == subject, X.c.status != Status.RESOLVED.value)
    conn.execute(delete(OUT).where(OUT.c.area == Area.INVOICE.value))
    query = select(
        literal("vendor_invoice:") + cast(vi.c.id, String), literal(Area.INVOICE.value), vi.c.vendor,
        literal("vendor_invoice"), cast(vi.c.id, String), vi.c.invoice_number, vi.c.total,
        case((disputed, "disputed"), else_="matched"), literal(as_of, OUT.c.as_of.type))
    return conn.execute(insert(OUT).from_select(
        ["key", "area", "partner_id", "doc_type", "doc_id", "doc_ref", "amount", "outcome",
         "as_of"], query)).rowcount


def outcome_counts(conn: Connection) -> tuple[int, int]:
    rows = dict(conn.execute(select(OUT.c.outcome, func.count()).where(
        OUT.c.area == Area.INVOICE.value).group_by(OUT.c.outcome)).all())
    return int(rows.get("matched", 0)), int(rows.get("disputed", 0))


LINE_TYPES = (T.INVOICE_ITEM_NOT_ON_PO, T.INVOICE_PRICE)
QTY_TYPES = (T.INVOICE_QUANTITY, T.INVOICE_NOT_SHIPPED)

CHECKS = [
    Check("invoice_lines", LINE_TYPES, find_invoice_lines),
    Check("invoice_quantities", QTY_TYPES, find_invoice_quantities,
          {T.INVOICE_NOT_SHIPPED.value: settle_by_latest_asn}),
    Check("invoice_totals", (T.INVOICE_TOTAL,), find_invoice_totals),
    Check("invoice_charges", (T.INVOICE_CHARGES,), find_invoice_charges),
    Check("uninvoiced_shipments", (T.UNINVOICED_SHIPMENT,), find_uninvoiced,
          {T.UNINVOICED_SHIPMENT.value: settle_uninvoiced}),
]
