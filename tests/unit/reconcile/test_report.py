"""Report figures (totals, aging, documents) and their CSV/HTML renderings."""
from __future__ import annotations

import csv
import io
from decimal import Decimal

from gateway.reconcile import run_all
from gateway.reconcile.render import to_csv, to_html
from gateway.reconcile.report import AGING, bucket_of, build_report
from tests.unit.reconcile.builder import T0, hours

D = Decimal


def _invoices(build) -> None:
    """acme: one matched invoice (20.00) and one priced off (21.00 invoiced, 1.00 at stake);
    zeta: one PO with no 855 (overdue)."""
    for number, price in (("INV-OK", "2.00"), ("INV-BAD", "2.10")):
        vo, lines = build.vendor_order(po=f"PO-{number}", lines=[("1", "A", 10, "2.00")])
        build.vendor_ack(vo, [{"line_number": "1", "status_code": "IA", "quantity": D(10)}])
        build.vendor_shipment(vo, lines=[{"line_number": "1", "vendor_order_line_id": lines["1"],
                                          "quantity": D(10)}])
        build.vendor_invoice(vo, number=number, total=str(D(10) * D(price)), lines=[
            {"line_number": "1", "vendor_order_line_id": lines["1"], "quantity": D(10),
             "unit_price": D(price)}])
    build.vendor_order(vendor="zeta", po="PO-Z", created_at=T0, lines=[("1", "Z", 1, "7.00")])


def test_totals_aging_and_documents(engine, build) -> None:
    _invoices(build)
    run_all(engine, {}, T0 + hours(24 * 10))
    report = build_report(engine)
    by = {p.partner_id: p for p in report.partners}
    assert (by["acme"].matched_count, by["acme"].matched_amount) == (1, D("20"))
    assert (by["acme"].disputed_count, by["acme"].disputed_amount) == (1, D("21"))
    assert by["acme"].at_stake == D("1") and by["zeta"].at_stake == D("7")
    # both seen first at the run (age 0), so both in the first bucket
    assert report.totals.aging[0] == [2, D("8")]
    [price] = [r for r in report.exceptions if r["type"] == "invoice_price"]
    anchors = {f"doc-{d['type']}-{d['id']}" for d in price["documents"]}
    assert anchors <= set(report.documents)
    invoice_doc = next(v for k, v in report.documents.items() if k.startswith("doc-vendor_invoice"))
    assert invoice_doc["fields"]["invoice_number"] == "INV-BAD"


def test_age_is_counted_from_first_seen(engine, build) -> None:
    build.vendor_order(vendor="zeta", po="PO-Z", created_at=T0)
    run_all(engine, {}, T0 + hours(49))
    run_all(engine, {}, T0 + hours(49 + 24 * 9))
    report = build_report(engine)
    [row] = report.exceptions
    assert row["age_days"] == 9
    assert report.totals.aging[bucket_of(9)][0] == 1 and AGING[bucket_of(9)][0] == "8-30 d"


def test_partner_filter(engine, build) -> None:
    _invoices(build)
    run_all(engine, {}, T0 + hours(24 * 10))
    report = build_report(engine, partner="zeta")
    assert [p.partner_id for p in report.partners] == ["zeta"]
    assert {r["partner_id"] for r in report.exceptions} == {"zeta"}


def test_csv_has_one_row_per_exception(engine, build) -> None:
    _invoices(build)
    run_all(engine, {}, T0 + hours(24 * 10))
    rows = list(csv.DictReader(io.StringIO(to_csv(build_report(engine)))))
    assert sorted(r["type"] for r in rows) == ["invoice_price", "vendor_ack_overdue"]
    price = next(r for r in rows if r["type"] == "invoice_price")
    assert price["amount"] == "1.00" and "810 invoice INV-BAD" in price["documents"]


def test_html_is_self_contained_and_escaped(engine, build) -> None:
    vo, _ = build.vendor_order(vendor="<script>x</script>", po="PO-<b>")
    run_all(engine, {}, T0 + hours(49))
    page = to_html(build_report(engine))
    assert "<script>x" not in page and "&lt;script&gt;" in page
    assert "http://" not in page and "https://" not in page and "<link" not in page
    assert 'id="partner-totals"' in page and 'id="aging"' in page


def test_in_transit_per_vendor(engine, build) -> None:
    vo, lines = build.vendor_order(vendor="acme", kind="stock", lines=[("1", "A", 10, "2.00")])
    build.vendor_shipment(vo, status="in_transit", lines=[
        {"line_number": "1", "vendor_order_line_id": lines["1"], "quantity": D(4)}])
    build.vendor_shipment(vo, status="received", lines=[
        {"line_number": "1", "vendor_order_line_id": lines["1"], "quantity": D(6)}])
    run_all(engine, {}, T0 + hours(1))
    report = build_report(engine)
    assert [(t["vendor"], t["shipments"], t["units"], t["value"]) for t in report.in_transit] == [
        ("acme", 1, D(4), D(8))]
    assert 'data-vendor="acme"' in to_html(report)
