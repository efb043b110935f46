"""Property-based round trips: any purchase order or invoice survives canonical -> X12 -> canonical
with the default mappings (text without delimiters, any decimals and dates)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gateway.canonical import (
    Address, AllowanceCharge, Invoice, InvoiceLine, ItemIds, OrderLine, Party, PartyRole,
    PurchaseOrder,
)
from gateway.mapping import ControlNumbers, parse_inbound, render_outbound
from gateway.partners import load_partners
from gateway.x12 import iter_transactions

TEXT = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-/#.",
               min_size=1, max_size=20)
WORDS = st.lists(TEXT, min_size=1, max_size=3).map(" ".join)
DATES = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2089, 12, 31))
QTY = st.decimals(min_value=Decimal("0.001"), max_value=Decimal("999999"), places=3)
MONEY = st.decimals(min_value=Decimal("0"), max_value=Decimal("99999"), places=2)


@st.composite
def items(draw):
    return ItemIds(sku=draw(TEXT), upc=draw(st.none() | st.from_regex(r"\A[0-9]{12}\Z")),
                   buyer_part=draw(st.none() | TEXT))


@st.composite
def parties(draw):
    return Party(role=draw(st.sampled_from([PartyRole.SHIP_TO, PartyRole.BILL_TO,
                                            PartyRole.BUYER])),
                 name=draw(WORDS), address=Address(lines=[draw(WORDS)], city=draw(WORDS),
                                                   state=draw(st.from_regex(r"\A[A-Z]{2}\Z")),
                                                   postal_code=draw(st.from_regex(
                                                       r"\A[0-9]{5}\Z"))))


@st.composite
def purchase_orders(draw):
    lines = draw(st.lists(st.builds(OrderLine, line_number=st.integers(1, 999).map(str),
                                    item=items(), quantity=QTY,
                                    uom=st.sampled_from(["EA", "CA", "LB"]),
                                    unit_price=st.none() | MONEY,
                                    requested_date=st.none() | DATES),
                          min_size=1, max_size=8))
    return PurchaseOrder(po_number=draw(TEXT), po_date=draw(DATES), order_type="SA",
                         buyer_partner_id="demo-vendor", parties=draw(st.lists(parties(),
                                                                               max_size=3)),
                         lines=lines)


@st.composite
def invoices(draw):
    lines = draw(st.lists(st.builds(InvoiceLine, line_number=st.integers(1, 999).map(str),
                                    item=items(), quantity=QTY, unit_price=MONEY),
                          min_size=1, max_size=8))
    acs = draw(st.lists(st.builds(AllowanceCharge, kind=st.sampled_from(["allowance", "charge"]),
                                  code=st.sampled_from(["C310", "D240", "H850"]),
                                  amount=MONEY), max_size=3))
    return Invoice(invoice_number=draw(TEXT), invoice_date=draw(DATES), po_number=draw(TEXT),
                   lines=lines, allowances_charges=acs, total_amount=draw(MONEY))


@pytest.fixture(scope="module")
def vendor(repo_root):
    return load_partners(repo_root)["demo-vendor"]


def _round_trip(partner, doc):
    data = render_outbound(partner, doc, control=ControlNumbers(1, 1, 1),
                           now=dt.datetime(2024, 1, 1), direction="in")
    return parse_inbound(partner, next(iter_transactions(data)))


@given(doc=purchase_orders())
def test_any_purchase_order_round_trips(vendor, doc):
    assert _round_trip(vendor, doc) == doc


@given(doc=invoices())
def test_any_invoice_round_trips(vendor, doc):
    assert _round_trip(vendor, doc) == doc
