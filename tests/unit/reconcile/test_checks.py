"""Each check's SQL against hand-made rows: what it finds, what it leaves alone."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import select

from gateway.reconcile import run_all
from gateway.reconcile.tables import reconcile_exceptions as X
from tests.unit.reconcile.builder import T0, hours

D = Decimal


def exceptions(engine, status: str | None = "open") -> dict[str, dict]:
    query = select(X)
    if status:
        query = query.where(X.c.status == status)
    with engine.connect() as conn:
        return {r["key"]: dict(r) for r in conn.execute(query).mappings()}


def types(engine) -> list[str]:
    return sorted(r["type"] for r in exceptions(engine).values())


class Profile:
    """A stand-in for a PartnerProfile: only the attributes reconciliation reads."""

    def __init__(self, pid: str, **tolerances):
        self.id = pid
        self.tolerances = tolerances
        self.acks = {"expect_997_within_hours": 24}


# ---------------------------------------------------------------------- order acknowledgements
def test_vendor_po_without_855_is_overdue_only_after_the_window(engine, build) -> None:
    vo, _ = build.vendor_order(po="VPO-1", created_at=T0)
    run_all(engine, {}, T0 + hours(47))
    assert types(engine) == []
    run_all(engine, {}, T0 + hours(49))
    [row] = exceptions(engine).values()
    assert row["type"] == "vendor_ack_overdue"
    assert row["amount"] == D("25")
    assert "VPO-1" in row["reason"] and "48 h" in row["reason"]


def test_855_lines_that_differ(engine, build) -> None:
    vo, _ = build.vendor_order(po="VPO-2", lines=[("1", "A", 10, "2.00"), ("2", "B", 5, "3.00"),
                                                  ("3", "C", 4, "1.00"), ("4", "D", 1, "9.00"),
                                                  ("5", "E", 2, "5.00")],
                               requested=date(2026, 3, 5))
    build.vendor_ack(vo, [
        {"line_number": "1", "status_code": "IQ", "quantity": D(8)},
        {"line_number": "2", "status_code": "IP", "quantity": D(5), "unit_price": D("3.50")},
        {"line_number": "3", "status_code": "IR", "reason": "discontinued"},
        {"line_number": "4", "status_code": "IS", "quantity": D(1), "substitute_sku": "D2"},
        {"line_number": "5", "status_code": "DR", "quantity": D(2), "date": date(2026, 3, 9)},
    ])
    run_all(engine, {}, T0 + hours(1))
    found = {(r["type"], tuple(r["lines"])): r for r in exceptions(engine).values()}
    assert set(found) == {("vendor_ack_quantity", ("1",)), ("vendor_ack_price", ("2",)),
                          ("vendor_ack_rejected", ("3",)), ("vendor_ack_substitution", ("4",)),
                          ("vendor_ack_date", ("5",))}
    assert found[("vendor_ack_quantity", ("1",))]["amount"] == D("4")
    assert found[("vendor_ack_price", ("2",))]["amount"] == D("2.5")
    assert "discontinued" in found[("vendor_ack_rejected", ("3",))]["reason"]


def test_855_within_tolerance_is_not_an_exception(engine, build) -> None:
    vo, _ = build.vendor_order(vendor="tol", lines=[("1", "A", 100, "10.00")])
    build.vendor_ack(vo, [{"line_number": "1", "status_code": "IC", "quantity": D(97),
                           "unit_price": D("10.05")}])
    partners = {"tol": Profile("tol", quantity_percent=5, price_percent=1)}
    run_all(engine, partners, T0 + hours(1))
    assert types(engine) == []


def test_a_corrected_855_settles_the_earlier_difference(engine, build) -> None:
    vo, _ = build.vendor_order(lines=[("1", "A", 10, "2.00")])
    build.vendor_ack(vo, [{"line_number": "1", "status_code": "IQ", "quantity": D(6)}])
    run_all(engine, {}, T0 + hours(1))
    assert types(engine) == ["vendor_ack_quantity"]
    ack2 = build.vendor_ack(vo, [{"line_number": "1", "status_code": "IA", "quantity": D(10)}],
                            at=T0 + hours(2))
    run_all(engine, {}, T0 + hours(3))
    assert types(engine) == []
    [row] = exceptions(engine, "resolved").values()
    assert row["note"] == f"settled by 855 (vendor ack {ack2})"


def test_customer_order_without_855_sent(engine, build) -> None:
    late = build.order("shop", "PO-LATE", at=T0)
    sent = build.order("shop", "PO-SENT", at=T0)
    build.outbox("855", "shop", sent, status="sent")
    pending = build.order("shop", "PO-PENDING", at=T0)
    build.outbox("855", "shop", pending, status="pending")
    run_all(engine, {}, T0 + hours(25))
    rows = exceptions(engine)
    assert {r["order_ref"] for r in rows.values()} == {"PO-LATE", "PO-PENDING"}
    assert all(r["type"] == "customer_ack_late" for r in rows.values())
    assert rows[f"customer_ack_late:order:{late}"]["amount"] == D("50")


# ---------------------------------------------------------------------- ship notices
def test_asn_quantity_item_late_and_ship_to(engine, build) -> None:
    vo, lines = build.vendor_order(po="VPO-S", lines=[("1", "A", 10, "2.00"), ("2", "B", 4, "1.00")],
                                   requested=date(2026, 3, 1), ship_to={"postal_code": "08817"})
    build.vendor_shipment(vo, shipment_id="ASN-1", ship_date=date(2026, 3, 4),
                          ship_to={"postal_code": "91761-1234"}, lines=[
                              {"line_number": "1", "vendor_order_line_id": lines["1"], "sku": "A",
                               "quantity": D(12)},
                              {"line_number": "2", "vendor_order_line_id": lines["2"], "sku": "B",
                               "quantity": D(4)},
                              {"line_number": "3", "vendor_order_line_id": None, "sku": "ZZZ",
                               "quantity": D(1)}])
    run_all(engine, {}, T0 + hours(1))
    by_type = {}
    for r in exceptions(engine).values():
        by_type.setdefault(r["type"], []).append(r)
    assert sorted(by_type) == ["asn_item_not_on_po", "asn_late", "asn_quantity", "asn_ship_to"]
    [qty] = by_type["asn_quantity"]
    assert "over-shipped, 12 shipped of 10 ordered" in qty["reason"]
    assert "ZZZ" in by_type["asn_item_not_on_po"][0]["reason"]
    assert {tuple(r["lines"]) for r in by_type["asn_late"]} == {("1",), ("2",)}
    assert "91761" in by_type["asn_ship_to"][0]["reason"]


def test_asn_quantity_tolerance_and_under_shipment(engine, build) -> None:
    vo, lines = build.vendor_order(vendor="tol", lines=[("1", "A", 100, "1.00"), ("2", "B", 10, "1.00")])
    build.vendor_shipment(vo, "tol", lines=[
        {"line_number": "1", "vendor_order_line_id": lines["1"], "quantity": D(96)},
        {"line_number": "2", "vendor_order_line_id": lines["2"], "quantity": D(5)}])
    run_all(engine, {"tol": Profile("tol", quantity_percent=5)}, T0 + hours(1))
    [row] = exceptions(engine).values()
    assert row["type"] == "asn_quantity" and row["lines"] == ["2"]
    assert "under-shipped, 5 shipped of 10" in row["reason"]


def test_sscc_seen_twice(engine, build) -> None:
    vo1, _ = build.vendor_order()
    vo2, _ = build.vendor_order()
    build.vendor_shipment(vo1, cartons=["000123456789012345", "000000000000000001"])
    build.vendor_shipment(vo2, cartons=["000123456789012345"])
    run_all(engine, {}, T0 + hours(1))
    [row] = [r for r in exceptions(engine).values() if r["type"] == "sscc_duplicate"]
    assert row["key"] == "sscc_duplicate:vendor:000123456789012345"
    assert len(row["documents"]) == 2


def test_shipment_without_856_and_its_settlement(engine, build) -> None:
    order = build.order("shop", "PO-SHIP")
    build.outbox("855", "shop", order)
    ship = build.shipment(order, at=T0, number="SH-1")
    run_all(engine, {}, T0 + hours(25))
    assert types(engine) == ["shipment_without_asn"]
    ob = build.outbox("856", "shop", order, payload={"shipment_id": ship})
    run_all(engine, {}, T0 + hours(26))
    assert types(engine) == []
    [row] = exceptions(engine, "resolved").values()
    assert row["note"] == f"settled by 856 sent (outbox {ob})"


def test_stock_shipment_in_transit_until_received(engine, build) -> None:
    from sqlalchemy import update

    from core.adapters.tables import vendor_shipments

    vo, lines = build.vendor_order(kind="stock", lines=[("1", "A", 10, "2.00")])
    vs = build.vendor_shipment(vo, status="in_transit", at=T0, shipment_id="ASN-T", lines=[
        {"line_number": "1", "vendor_order_line_id": lines["1"], "quantity": D(10)}])
    run_all(engine, {}, T0 + hours(24 * 6))
    assert types(engine) == []
    run_all(engine, {}, T0 + hours(24 * 8))
    [row] = exceptions(engine).values()
    assert row["type"] == "in_transit" and row["amount"] == D("20")
    with engine.begin() as conn:
        conn.execute(update(vendor_shipments).where(vendor_shipments.c.id == vs).values(
            status="received", received_at=T0 + hours(24 * 9)))
    run_all(engine, {}, T0 + hours(24 * 10))
    [row] = exceptions(engine, "resolved").values()
    assert row["note"].startswith("settled by receipt of 856 ASN-T")


# ---------------------------------------------------------------------- invoices
def _three_way(build, *, invoiced=10, price="2.00", shipped=10, total=None, charges=()):
    vo, lines = build.vendor_order(po="VPO-I", lines=[("1", "A", 10, "2.00")])
    build.vendor_shipment(vo, lines=[{"line_number": "1", "vendor_order_line_id": lines["1"],
                                      "quantity": D(shipped)}])
    line_total = D(invoiced) * D(price)
    sac = sum((D(a) if i == "C" else -D(a)) for i, _, a in charges)
    vi = build.vendor_invoice(vo, number="INV-1", total=total or str(line_total + sac),
                              charges=charges, lines=[{"line_number": "1", "vendor_order_line_id":
                                                       lines["1"], "sku": "A", "quantity": D(invoiced),
                                                       "unit_price": D(price)}])
    return vo, lines, vi


def test_matching_invoice_is_matched(engine, build) -> None:
    _three_way(build)
    summary = run_all(engine, {}, T0 + hours(1))
    assert types(engine) == []
    assert (summary.matched, summary.disputed) == (1, 0)


def test_invoice_price_outside_tolerance(engine, build) -> None:
    _three_way(build, price="2.10")
    summary = run_all(engine, {}, T0 + hours(1))
    [row] = exceptions(engine).values()
    assert row["type"] == "invoice_price" and row["amount"] == D("1")
    assert (summary.matched, summary.disputed) == (0, 1)


def test_invoice_price_within_amount_tolerance(engine, build) -> None:
    _three_way(build, price="2.04")
    run_all(engine, {"acme": Profile("acme", amount="0.05", price_percent=0)}, T0 + hours(1))
    assert types(engine) == []


def test_invoice_for_quantities_not_shipped_settles_when_the_asn_arrives(engine, build) -> None:
    vo, lines, vi = _three_way(build, invoiced=10, shipped=6)
    run_all(engine, {}, T0 + hours(1))
    rows = {r["type"]: r for r in exceptions(engine).values()}
    assert set(rows) == {"invoice_not_shipped", "asn_quantity"}  # 6 of 10 shipped so far
    assert rows["invoice_not_shipped"]["amount"] == D("8")
    assert "invoiced 10, only 6 shipped (856)" in rows["invoice_not_shipped"]["reason"]
    build.vendor_shipment(vo, shipment_id="ASN-REST", lines=[
        {"line_number": "1", "vendor_order_line_id": lines["1"], "quantity": D(4)}])
    summary = run_all(engine, {}, T0 + hours(2))
    assert types(engine) == [] and summary.resolved == 2 and summary.matched == 1
    notes = {r["type"]: r["note"] for r in exceptions(engine, "resolved").values()}
    assert notes == {"invoice_not_shipped": "settled by 856 ASN-REST",
                     "asn_quantity": "settled by 856 ASN-REST"}


def test_invoice_over_the_po_quantity(engine, build) -> None:
    _three_way(build, invoiced=12, shipped=12)
    run_all(engine, {}, T0 + hours(1))
    got = types(engine)
    assert "invoice_quantity" in got and "invoice_not_shipped" not in got


def test_invoice_totals_and_charges(engine, build) -> None:
    _three_way(build, total="25.00", charges=[("C", "D240", "3.00"), ("A", "C310", "1.00")])
    run_all(engine, {}, T0 + hours(1))
    rows = {r["type"]: r for r in exceptions(engine).values()}
    assert set(rows) == {"invoice_total", "invoice_charges"}
    assert "TDS 25 but lines 20 + SAC 2 = 22" in rows["invoice_total"]["reason"]
    assert rows["invoice_charges"]["amount"] == D("3")


def test_agreed_charge_is_fine(engine, build) -> None:
    _three_way(build, charges=[("C", "D240", "3.00")])
    run_all(engine, {"acme": Profile("acme", allowed_charges=["D240"])}, T0 + hours(1))
    assert types(engine) == []


def test_invoice_item_not_on_po(engine, build) -> None:
    vo, _ = build.vendor_order(lines=[("1", "A", 1, "1.00")])
    build.vendor_invoice(vo, total="5.00", lines=[{"line_number": "9", "sku": "X", "quantity": D(5),
                                                   "unit_price": D("1.00")}])
    run_all(engine, {}, T0 + hours(1))
    assert types(engine) == ["invoice_item_not_on_po"]


def test_customer_shipment_not_invoiced(engine, build) -> None:
    order = build.order("shop", "PO-U", shipped=5, invoiced=0)
    build.outbox("855", "shop", order)
    build.outbox("856", "shop", order, payload={"shipment_id": build.shipment(order, at=T0)})
    run_all(engine, {}, T0 + hours(24 * 29))
    assert types(engine) == []
    run_all(engine, {}, T0 + hours(24 * 31))
    [row] = exceptions(engine).values()
    assert row["type"] == "uninvoiced_shipment" and row["amount"] == D("50")


# ---------------------------------------------------------------------- functional acks, bad input
def test_functional_acks(engine, build) -> None:
    overdue = build.document(ack_status="pending", ack_due_at=T0 + hours(24), sent_at=T0)
    ack = build.document(direction="in", doc_type="997", status="accepted", partner_id="shop")
    build.document(ack_status="rejected", ack_document_id=ack, st02="0002",
                   ack_detail="AK3 segment N1 at 7 code 8; AK4 element 4 code 7 value 'XX'")
    stray = build.document(direction="in", doc_type="997", status="accepted", isa13="000000077")
    run_all(engine, {}, T0 + hours(25))
    rows = {r["type"]: r for r in exceptions(engine).values()}
    assert set(rows) == {"ack_overdue", "ack_rejected", "ack_unsolicited"}
    assert "AK4 element 4" in rows["ack_rejected"]["reason"]
    assert rows["ack_unsolicited"]["subject"] == f"document:{stray}"
    assert rows["ack_overdue"]["subject"] == f"document:{overdue}"


def test_refused_inbound_documents_become_exceptions(engine, build) -> None:
    f = build.gateway_file()
    build.document(direction="in", doc_type="810", status="failed", partner_id="acme", file_id=f,
                   st02="0001", reference="INV-9")
    build.error(f, "set 810 0001: unknown vendor PO 'NOPE' from acme", segment_id="BIG",
                segment_position=2, element_position=4)
    build.document(direction="in", doc_type="856", status="failed", partner_id="acme", file_id=f,
                   st02="0002", reference="ASN-9")
    build.error(f, "set 856 0002: unknown order PO-404")
    build.document(direction="in", doc_type="855", status="failed", partner_id="acme", file_id=f,
                   st02="0003", reference="X")
    run_all(engine, {}, T0 + hours(1))
    rows = {r["type"]: r for r in exceptions(engine).values()}
    assert set(rows) == {"invoice_unknown_po", "asn_unknown_order", "vendor_ack_refused"}
    assert "at BIG (segment 2, element 4)" in rows["invoice_unknown_po"]["reason"]
    assert "NOPE" in rows["invoice_unknown_po"]["reason"]
    assert "no reason" in rows["vendor_ack_refused"]["reason"]


def test_duplicate_invoice_number(engine, build) -> None:
    for isa in ("000000010", "000000011"):
        build.document(direction="in", doc_type="810", status="accepted", partner_id="acme",
                       reference="INV-7", isa13=isa)
    build.document(direction="in", doc_type="810", status="duplicate", partner_id="acme",
                   reference="INV-8", isa13="000000012")
    build.document(direction="in", doc_type="810", status="duplicate", partner_id="acme",
                   reference="INV-8", isa13="000000012")
    run_all(engine, {}, T0 + hours(1))
    [row] = exceptions(engine).values()
    assert row["key"] == "invoice_duplicate:acme:INV-7" and len(row["documents"]) == 2


def test_refused_documents_are_classified_by_the_cores_reason() -> None:
    from gateway.reconcile.checks.inbound_failures import _classify

    assert _classify("856", "InvalidCommand vendor PO VPO1 has no line 9") == T_("asn_item_not_on_po")
    assert _classify("856", "InvariantViolation shipment of 12 exceeds the 10 not yet shipped") == \
        T_("asn_quantity")
    assert _classify("810", "UnknownVendorOrder no purchase order X to vendor v") == \
        T_("invoice_unknown_po")
    assert _classify("810", "InvalidCommand vendor PO VPO1 has no line 3") == T_("invoice_item_not_on_po")
    assert _classify("855", "anything else") == T_("vendor_ack_refused")
    assert _classify("850", "UnknownItem") == T_("order_refused")


def T_(value: str):
    from gateway.reconcile.kinds import ExceptionType

    return ExceptionType(value)


def test_rejected_line_is_not_under_shipped(engine, build) -> None:
    vo, lines = build.vendor_order(lines=[("1", "A", 5, "1.00"), ("2", "B", 5, "1.00")])
    build.vendor_ack(vo, [{"line_number": "1", "status_code": "IA", "quantity": D(5)},
                          {"line_number": "2", "status_code": "IR"}])
    build.vendor_shipment(vo, lines=[{"line_number": "1", "vendor_order_line_id": lines["1"],
                                      "quantity": D(5)}])
    run_all(engine, {}, T0 + hours(1))
    assert types(engine) == ["vendor_ack_rejected"]
