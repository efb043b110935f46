"""Ship notices: the vendor's 856 against our PO, our 856 to customers, SSCCs, goods in transit.

- shipped quantity per PO line (all of the vendor's ASNs for it, GROUP BY) outside tolerance;
- an ASN line whose item is not on the PO; shipped later than the requested date (+ grace);
- ASN ship-to postal code not the PO's; the same SSCC on two cartons;
- a shipment to a customer without our 856 sent within the partner's window;
- a vendor stock shipment still in transit past `ship_days` (settled by its receipt).
"""
from __future__ import annotations

from typing import Iterable

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.engine import Connection

from core.adapters import tables as core
from gateway.reconcile.checks import Check
from gateway.reconcile.checks.order_acks import REJECT_CODES, _dec
from gateway.reconcile.context import RunContext, within
from gateway.reconcile.findings import Finding, doc, fmt, make_key
from gateway.reconcile.kinds import ExceptionType as T
from gateway.reconcile.kinds import Severity
from gateway.reconcile.tables import reconcile_partner_settings as S

vo, vol = core.vendor_orders, core.vendor_order_lines
vs, vsl, vsc = core.vendor_shipments, core.vendor_shipment_lines, core.vendor_shipment_cartons
DONE_OUTBOX = ("sent", "skipped")
# the key of the shipment's id in an 856 outbox row's payload_ref (docs/CONTRACTS.md)
OUTBOX_SHIPMENT_KEY = "shipment_id"


def _po(vo_id, po_number) -> dict:
    return doc("vendor_order", vo_id, po_number, f"850 PO {po_number}")


def _asn(vs_id, shipment_id) -> dict:
    return doc("vendor_shipment", vs_id, shipment_id, f"856 shipment {shipment_id}")


def find_asn_quantity(ctx: RunContext) -> Iterable[Finding]:
    shipped = (select(vsl.c.vendor_order_line_id.label("vol_id"),
                      func.sum(vsl.c.quantity).label("shipped"),
                      func.max(vsl.c.vendor_shipment_id).label("last_vs"))
               .where(vsl.c.vendor_order_line_id.is_not(None))
               .group_by(vsl.c.vendor_order_line_id).subquery("shipped"))
    qty_shipped = func.coalesce(shipped.c.shipped, 0)
    # a line the vendor rejected in its latest 855 is not expected to ship
    va, val = core.vendor_acks, core.vendor_ack_lines
    latest_ack = select(func.max(va.c.id)).where(va.c.vendor_order_id == vo.c.id).scalar_subquery()
    rejected = exists().where(val.c.vendor_ack_id == latest_ack,
                              val.c.line_number == vol.c.line_number,
                              val.c.status_code.in_(REJECT_CODES))
    query = (select(vo.c.id.label("vo_id"), vo.c.vendor, vo.c.po_number, vol.c.line_number,
                    vol.c.sku, vol.c.quantity, vol.c.unit_price, qty_shipped.label("shipped"),
                    shipped.c.last_vs)
             .select_from(vol)
             .join(vo, vo.c.id == vol.c.vendor_order_id)
             .join(S, S.c.partner_id == vo.c.vendor)
             .outerjoin(shipped, shipped.c.vol_id == vol.c.id)
             .where(vo.c.status != "cancelled",
                    exists().where(vs.c.vendor_order_id == vo.c.id), ~rejected,
                    ~within(qty_shipped - vol.c.quantity, vol.c.quantity,
                            S.c.quantity_tolerance_percent, S.c.quantity_tolerance_units)))
    for r in ctx.conn.execute(query).mappings():
        shipped_q, ordered = _dec(r["shipped"]), _dec(r["quantity"])
        word = "over" if shipped_q > ordered else "under"
        documents = [_po(r["vo_id"], r["po_number"])]
        if r["last_vs"] is not None:
            documents.append(doc("vendor_shipment", r["last_vs"], None, f"856 (shipment {r['last_vs']})"))
        yield Finding(
            key=make_key(T.ASN_QUANTITY, "vendor_order", r["vo_id"], "line", r["line_number"]),
            type=T.ASN_QUANTITY, partner_id=r["vendor"], subject=f"vendor_order:{r['vo_id']}",
            order_ref=r["po_number"], lines=(r["line_number"],), documents=tuple(documents),
            amount=abs(shipped_q - ordered) * (_dec(r["unit_price"]) or 0),
            reason=(f"PO {r['po_number']} line {r['line_number']} ({r['sku']}): {word}-shipped, "
                    f"{fmt(shipped_q)} shipped of {fmt(ordered)} ordered"),
            detail={"ordered": ordered, "shipped": shipped_q, "direction": word})


def find_asn_lines(ctx: RunContext) -> Iterable[Finding]:
    """Items not on the PO, and lines shipped after their requested date."""
    late_days = ctx.days_between(vs.c.ship_date, vol.c.requested_date)
    not_on_po = or_(vol.c.id.is_(None),
                    and_(vsl.c.sku.is_not(None), vsl.c.sku != "", vsl.c.sku != vol.c.sku))
    late = and_(vs.c.ship_date.is_not(None), vol.c.requested_date.is_not(None),
                late_days > S.c.late_grace_days)
    query = (select(vs.c.id.label("vs_id"), vs.c.shipment_id, vs.c.ship_date, vo.c.id.label("vo_id"),
                    vo.c.vendor, vo.c.po_number, vsl.c.line_number, vsl.c.sku.label("asn_sku"),
                    vsl.c.quantity, vol.c.id.label("vol_id"), vol.c.sku.label("po_sku"),
                    vol.c.unit_price, vol.c.requested_date, late_days.label("days_late"))
             .select_from(vsl)
             .join(vs, vs.c.id == vsl.c.vendor_shipment_id)
             .join(vo, vo.c.id == vs.c.vendor_order_id)
             .join(S, S.c.partner_id == vo.c.vendor)
             .outerjoin(vol, vol.c.id == vsl.c.vendor_order_line_id)
             .where(or_(not_on_po, late)))
    for r in ctx.conn.execute(query).mappings():
        base = dict(partner_id=r["vendor"], subject=f"vendor_shipment:{r['vs_id']}",
                    order_ref=r["po_number"], lines=(r["line_number"],),
                    documents=(_asn(r["vs_id"], r["shipment_id"]), _po(r["vo_id"], r["po_number"])))
        where = f"856 {r['shipment_id']} line {r['line_number']}"
        if r["vol_id"] is None or (r["asn_sku"] and r["asn_sku"] != r["po_sku"]):
            yield Finding(
                key=make_key(T.ASN_ITEM_NOT_ON_PO, "vendor_shipment", r["vs_id"], "line",
                             r["line_number"]),
                type=T.ASN_ITEM_NOT_ON_PO,
                reason=f"{where}: {fmt(r['quantity'])} x {r['asn_sku'] or '?'} not on PO {r['po_number']}",
                detail={"sku": r["asn_sku"], "quantity": r["quantity"]}, **base)
            continue
        days = int(r["days_late"] or 0)
        yield Finding(
            key=make_key(T.ASN_LATE, "vendor_shipment", r["vs_id"], "line", r["line_number"]),
            type=T.ASN_LATE, amount=(_dec(r["quantity"]) or 0) * (_dec(r["unit_price"]) or 0),
            reason=(f"{where}: shipped {r['ship_date']}, {days} day(s) after the requested "
                    f"{r['requested_date']}"),
            detail={"ship_date": r["ship_date"], "requested": r["requested_date"], "days_late": days},
            **base)


def find_ship_to(ctx: RunContext) -> Iterable[Finding]:
    asn_zip = func.substr(vs.c.ship_to["postal_code"].as_string(), 1, 5)
    po_zip = func.substr(vo.c.ship_to["postal_code"].as_string(), 1, 5)
    query = (select(vs.c.id.label("vs_id"), vs.c.shipment_id, vo.c.id.label("vo_id"), vo.c.vendor,
                    vo.c.po_number, asn_zip.label("asn_zip"), po_zip.label("po_zip"))
             .join(vo, vo.c.id == vs.c.vendor_order_id)
             .where(asn_zip.is_not(None), asn_zip != "", po_zip.is_not(None), po_zip != "",
                    asn_zip != po_zip))
    for r in ctx.conn.execute(query).mappings():
        yield Finding(
            key=make_key(T.ASN_SHIP_TO, "vendor_shipment", r["vs_id"]), type=T.ASN_SHIP_TO,
            partner_id=r["vendor"], subject=f"vendor_shipment:{r['vs_id']}",
            order_ref=r["po_number"],
            documents=(_asn(r["vs_id"], r["shipment_id"]), _po(r["vo_id"], r["po_number"])),
            reason=(f"856 {r['shipment_id']} ships to postal code {r['asn_zip']}, PO "
                    f"{r['po_number']} asked for {r['po_zip']}"),
            detail={"asn_postal_code": r["asn_zip"], "po_postal_code": r["po_zip"]})


def find_sscc_duplicates(ctx: RunContext) -> Iterable[Finding]:
    """One SSCC, two cartons: within the vendors' ASNs, and within our own shipments."""
    sides = (
        ("vendor", vsc, vsc.c.vendor_shipment_id, vs, vs.c.shipment_id, vs.c.vendor,
         "vendor_shipment"),
        ("customer", core.shipment_cartons, core.shipment_cartons.c.shipment_id, core.shipments,
         core.shipments.c.shipment_number, core.orders.c.partner_id, "shipment"),
    )
    for side, cartons, ship_fk, ships, ship_no, partner_col, doc_type in sides:
        dupes = (select(cartons.c.sscc).group_by(cartons.c.sscc)
                 .having(func.count() > 1).subquery("dupes"))
        query = (select(cartons.c.sscc, ships.c.id, ship_no.label("number"),
                        partner_col.label("partner_id"))
                 .join(dupes, dupes.c.sscc == cartons.c.sscc)
                 .join(ships, ships.c.id == ship_fk))
        if side == "customer":
            query = query.join(core.orders, core.orders.c.id == ships.c.order_id)
        seen: dict[str, list] = {}
        for r in ctx.conn.execute(query.order_by(cartons.c.sscc, ships.c.id)).mappings():
            seen.setdefault(r["sscc"], []).append(r)
        for sscc, rows in seen.items():
            numbers = sorted({str(r["number"]) for r in rows})
            yield Finding(
                key=make_key(T.SSCC_DUPLICATE, side, sscc), type=T.SSCC_DUPLICATE,
                partner_id=rows[0]["partner_id"], subject=f"{doc_type}:{rows[-1]['id']}",
                documents=tuple(doc(doc_type, r["id"], r["number"], f"856 shipment {r['number']}")
                                for r in rows),
                reason=(f"SSCC {sscc} appears on {len(rows)} cartons "
                        f"({side} shipment(s) {', '.join(numbers)})"),
                detail={"sscc": sscc, "count": len(rows), "side": side})


def find_shipment_without_asn(ctx: RunContext) -> Iterable[Finding]:
    s, o, ob = core.shipments, core.orders, core.outbox
    shipment_ref = ob.c.payload_ref[OUTBOX_SHIPMENT_KEY].as_integer()
    query = (select(s.c.id, s.c.shipment_number, s.c.created_at, o.c.id.label("order_id"),
                    o.c.po_number, o.c.partner_id)
             .join(o, o.c.id == s.c.order_id)
             .join(S, S.c.partner_id == o.c.partner_id)
             .where(s.c.created_at < S.c.asn_cutoff,
                    ~exists().where(ob.c.order_id == s.c.order_id, ob.c.document_type == "856",
                                    ob.c.status.in_(DONE_OUTBOX), shipment_ref == s.c.id)))
    if ctx.no_856_partners:
        query = query.where(o.c.partner_id.not_in(sorted(ctx.no_856_partners)))
    for r in ctx.conn.execute(query).mappings():
        hours = ctx.settings_for(r["partner_id"]).asn_within_hours
        yield Finding(
            key=make_key(T.SHIPMENT_WITHOUT_ASN, "shipment", r["id"]), type=T.SHIPMENT_WITHOUT_ASN,
            partner_id=r["partner_id"], subject=f"shipment:{r['id']}", order_ref=r["po_number"],
            documents=(doc("shipment", r["id"], r["shipment_number"],
                           f"shipment {r['shipment_number']}"),
                       doc("order", r["order_id"], r["po_number"], f"850 PO {r['po_number']}")),
            reason=(f"order {r['po_number']} shipped ({r['shipment_number']}, "
                    f"{r['created_at']:%Y-%m-%d %H:%M}) but no 856 sent within {fmt(hours)} h"),
            detail={"shipped_at": r["created_at"], "window_hours": hours})


def settle_shipment_asn(conn: Connection, rows: list[dict]) -> dict[str, str]:
    ob = core.outbox
    ids = {int(r["subject"].split(":")[1]): r["key"] for r in rows if r["subject"]}
    ref = ob.c.payload_ref[OUTBOX_SHIPMENT_KEY].as_integer()
    query = select(ref.label("shipment"), ob.c.id).where(
        ob.c.document_type == "856", ob.c.status.in_(DONE_OUTBOX), ref.in_(list(ids)))
    return {ids[r.shipment]: f"856 sent (outbox {r.id})" for r in conn.execute(query)}


def find_in_transit(ctx: RunContext) -> Iterable[Finding]:
    value = (select(func.sum(vsl.c.quantity * vol.c.unit_price))
             .join(vol, vol.c.id == vsl.c.vendor_order_line_id)
             .where(vsl.c.vendor_shipment_id == vs.c.id).scalar_subquery())
    query = (select(vs.c.id, vs.c.shipment_id, vs.c.ship_date, vs.c.created_at,
                    vo.c.id.label("vo_id"), vo.c.vendor, vo.c.po_number, vo.c.ship_to_location,
                    value.label("value"))
             .join(vo, vo.c.id == vs.c.vendor_order_id)
             .join(S, S.c.partner_id == vo.c.vendor)
             .where(vs.c.status == "in_transit", vo.c.kind == "stock",
                    vs.c.created_at < S.c.in_transit_cutoff))
    for r in ctx.conn.execute(query).mappings():
        days = ctx.settings_for(r["vendor"]).in_transit_days
        yield Finding(
            key=make_key(T.IN_TRANSIT, "vendor_shipment", r["id"]), type=T.IN_TRANSIT,
            partner_id=r["vendor"], subject=f"vendor_shipment:{r['id']}", order_ref=r["po_number"],
            documents=(_asn(r["id"], r["shipment_id"]), _po(r["vo_id"], r["po_number"])),
            amount=_dec(r["value"]), severity=Severity.WARNING,
            reason=(f"856 {r['shipment_id']} for PO {r['po_number']} in transit to "
                    f"{r['ship_to_location'] or '?'} since {r['created_at']:%Y-%m-%d}, not received "
                    f"after {fmt(days)} day(s)"),
            detail={"since": r["created_at"], "window_days": days})


def settle_in_transit(conn: Connection, rows: list[dict]) -> dict[str, str]:
    ids = {int(r["subject"].split(":")[1]): r["key"] for r in rows if r["subject"]}
    query = select(vs.c.id, vs.c.shipment_id, vs.c.received_at).where(
        vs.c.id.in_(list(ids)), vs.c.status != "in_transit")
    return {ids[r.id]: (f"receipt of 856 {r.shipment_id}"
                        + (f" on {r.received_at:%Y-%m-%d}" if r.received_at else ""))
            for r in conn.execute(query)}


def vendor_order_of(key: str) -> int | None:
    """The vendor PO id inside a key such as `asn_quantity:vendor_order:12:line:1`."""
    parts = key.split(":")
    if "vendor_order" in parts:
        value = parts[parts.index("vendor_order") + 1]
        return int(value) if value.isdigit() else None
    return None


def settle_by_latest_asn(conn: Connection, rows: list[dict]) -> dict[str, str]:
    """Quantities settled by goods: name the PO's latest 856 (and its receipt, for stock)."""
    wanted = {r["key"]: vendor_order_of(r["key"]) for r in rows}
    ids = sorted({v for v in wanted.values() if v is not None})
    if not ids:
        return {}
    last = (select(vs.c.vendor_order_id, func.max(vs.c.id).label("vs_id"))
            .where(vs.c.vendor_order_id.in_(ids)).group_by(vs.c.vendor_order_id).subquery())
    query = select(last.c.vendor_order_id, vs.c.shipment_id, vs.c.status).join(
        vs, vs.c.id == last.c.vs_id)
    label = {r.vendor_order_id: (f"receipt of 856 {r.shipment_id}" if r.status == "received"
                                 else f"856 {r.shipment_id}") for r in conn.execute(query)}
    return {key: label[vo_id] for key, vo_id in wanted.items() if vo_id in label}


CHECKS = [
    Check("asn_quantity", (T.ASN_QUANTITY,), find_asn_quantity,
          {T.ASN_QUANTITY.value: settle_by_latest_asn}),
    Check("asn_lines", (T.ASN_ITEM_NOT_ON_PO, T.ASN_LATE), find_asn_lines),
    Check("asn_ship_to", (T.ASN_SHIP_TO,), find_ship_to),
    Check("sscc_duplicates", (T.SSCC_DUPLICATE,), find_sscc_duplicates),
    Check("shipment_without_asn", (T.SHIPMENT_WITHOUT_ASN,), find_shipment_without_asn,
          {T.SHIPMENT_WITHOUT_ASN.value: settle_shipment_asn}),
    Check("in_transit", (T.IN_TRANSIT,), find_in_transit, {T.IN_TRANSIT.value: settle_in_transit}),
]
