"""The HTML report as a finance person sees it: Debian's Chromium, driven by Playwright, opens the
page `ordergate reconcile report --format html` wrote and we read what is on screen."""
from __future__ import annotations

import os
import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from core.domain import commands as c
from tests.integration.reconcile.world import make_world

pytestmark = pytest.mark.browser

CHROMIUM = os.environ.get("ORDERGATE_CHROMIUM", "/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--no-first-run"]
D = Decimal


def _browser_or_skip():
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        pytest.skip(f"chromium not found at {CHROMIUM} (scripts/setup.sh installs Debian's chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("the playwright package is not installed (pip install -e '.[test]')")
    return sync_playwright


def _vendor_po(world, order_id: int) -> str:
    from sqlalchemy import select

    from core.adapters.tables import vendor_orders

    with world.core.engine.connect() as conn:
        return conn.execute(select(vendor_orders.c.po_number)
                            .where(vendor_orders.c.order_id == order_id)).scalar_one()


def _scenario(world) -> None:
    """demo-vendor: one matched invoice (120.00) and one invoiced at 61 instead of 60 (10 units:
    10.00 at stake); shop: an order whose 855 we never sent."""
    for po, qty, price, number in (("PO-B1", 2, "60.00", "INV-GOOD"), ("PO-B2", 10, "61.00", "INV-OFF")):
        order = world.handle(c.PlaceOrder(
            po_number=po, partner_id="shop",
            lines=(c.OrderLineInput("1", D(qty), sku="DEMO-900", unit_price=D("99.00")),),
            parties=(c.Party("ship_to", name="Shop", postal_code="08817"),))).order_id
        vpo = _vendor_po(world, order)
        world.handle(c.RecordVendorAcknowledgement(vendor="demo-vendor", vendor_po_number=vpo,
                                                   lines=(c.VendorAckLine("1", "IA", D(qty)),)))
        world.handle(c.RecordVendorShipment(vendor="demo-vendor", vendor_po_number=vpo,
                                            shipment_id=f"ASN-{po}", ship_date=date.today(),
                                            lines=(c.VendorShipLine("1", D(qty)),)))
        world.handle(c.RecordVendorInvoice(
            vendor="demo-vendor", vendor_po_number=vpo, invoice_number=number,
            total=D(qty) * D(price), lines=(c.VendorInvoiceLine("1", D(qty), D(price)),)))


def test_finance_reads_the_report_in_a_browser(tmp_path: Path) -> None:
    sync_playwright = _browser_or_skip()
    from gateway.cli.main import main

    world = make_world(tmp_path)
    try:
        _scenario(world)
        world.reconcile(hours=30)
    finally:
        world.core.close()
    page_file = tmp_path / "report.html"
    assert main(["reconcile", "report", "--home", str(world.home), "--format", "html",
                 "--output", str(page_file)]) == 0

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            page = browser.new_page()
            outside: list[str] = []
            page.on("request", lambda r: outside.append(r.url)
                    if not r.url.startswith(("file:", "data:", "about:")) else None)
            page.goto(page_file.as_uri())
            assert page.title().startswith("Ordergate reconciliation")
            assert page.locator("h1").inner_text() == "Reconciliation report"

            # the summary cards
            assert page.locator("#matched-amount").inner_text() == "120.00"
            assert page.locator("#disputed-amount").inner_text() == "610.00"

            # totals per partner: what a person reads in the vendor's row
            row = page.locator('#partner-totals tr[data-partner="demo-vendor"] td')
            assert row.all_inner_texts() == ["demo-vendor", "1", "120.00", "1", "610.00", "1",
                                             "10.00"]
            shop = page.locator('#partner-totals tr[data-partner="shop"] td').all_inner_texts()
            assert shop[0] == "shop" and shop[5] == "4"  # two 855s, two 856s never sent

            # aging: everything was first seen in this run, so all in the first bucket
            total_aging = page.locator("#aging tr.total td").all_inner_texts()
            assert total_aging[1].split()[0] == "5" and total_aging[2].split()[0] == "0"

            # the disputed invoice's exception links to its documents; following the link
            # brings the invoice's details into view
            exc = page.locator('#exceptions tr[data-type="invoice_price"]')
            assert exc.count() == 1
            assert "unit price 61, PO 60" in exc.inner_text()
            exc.get_by_role("link", name="810 invoice INV-OFF").click()
            assert page.url.endswith("#doc-vendor_invoice-2")
            target = page.locator("#doc-vendor_invoice-2")
            assert target.is_visible() and "INV-OFF" in target.inner_text()
            box, viewport = target.bounding_box(), page.viewport_size
            assert box is not None and 0 <= box["y"] < viewport["height"]
            assert outside == [], f"the page fetched {outside}: it must be self-contained"
            if os.environ.get("ORDERGATE_SCREENSHOT"):
                page.screenshot(path=os.environ["ORDERGATE_SCREENSHOT"], full_page=True)
        finally:
            browser.close()
