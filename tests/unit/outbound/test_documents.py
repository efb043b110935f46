"""Outbound builders from core rows (a fake reader): the 855's lines, statuses and item ids."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from gateway.canonical import AckStatus, ItemIds, PartyRole
from gateway.outbound import OutboundBuildError, build
from gateway.outbound.documents import order_ack
from gateway.outbound.reads import RowReader


class _Rows(RowReader):
    def __init__(self, statuses: list[object]):
        super().__init__(None)
        self.statuses = statuses

    def acknowledgement(self, ack_id):
        """Ack line rows as reads.ACK_LINES gives them: each with its order line's fields (here
        only line 1 has an order line; the others have None there)."""
        no_line = {"sku": None, "upc": None, "buyer_part": None, "vendor_part": None,
                   "description": None, "uom": None, "ordered": None, "line_unit_price": None}
        line_1 = {"sku": "S1", "upc": "", "buyer_part": "B1", "vendor_part": None,
                  "description": "Widget", "uom": "CA", "ordered": Decimal(3),
                  "line_unit_price": Decimal("9.5")}
        rows = [{"line_number": str(n), "status_code": code, "quantity": Decimal(n),
                 "unit_price": None if n % 2 else Decimal("2.5"), "date": dt.date(2024, 5, n),
                 **(line_1 if n == 1 else no_line)}
                for n, code in enumerate(self.statuses, start=1)]
        return {"id": ack_id, "created_at": dt.datetime(2024, 5, 2, 9, 0), "ack_type": "AC"}, rows

    def order(self, order_id):
        return {"po_number": "PO-9", "order_date": dt.date(2024, 5, 1), "created_at": None,
                "parties": [{"role": "ship_to", "name": "Store", "city": "X"}]}


def test_order_ack_lines_from_rows():
    codes = [s.value for s in AckStatus]
    ack = order_ack(_Rows(codes), {"acknowledgement_id": 4}, 1)
    assert [line.status for line in ack.lines] == list(AckStatus)
    assert all(type(line.status) is AckStatus for line in ack.lines)
    first, second = ack.lines[:2]
    assert first.item == ItemIds(sku="S1", buyer_part="B1", description="Widget")
    assert (first.ordered_quantity, first.uom, first.unit_price) == (Decimal(3), "CA",
                                                                    Decimal("9.5"))
    assert second.item == ItemIds() and second.uom == "EA" and second.unit_price == Decimal("2.5")
    assert (ack.po_number, ack.ack_number, ack.ack_date) == ("PO-9", "PO-9-4", dt.date(2024, 5, 2))
    assert [p.role for p in ack.parties] == [PartyRole.SHIP_TO]


@pytest.mark.parametrize("code", ["XX", "", None, 7, ["IA"]])
def test_unknown_status_codes_fail_as_the_enum_does(code):
    with pytest.raises(ValueError) as expected:
        AckStatus(code)
    row = {"id": 1, "document_type": "855", "order_id": 1, "payload_ref": {"acknowledgement_id": 4}}

    class _Partner:
        id = "p"

        @staticmethod
        def document(doc_type, direction):
            return object()

    with pytest.raises(OutboundBuildError) as info:
        build(row, _Partner(), None, reader=_Rows(["IA", code]))
    assert str(info.value) == f"outbox row 1: {expected.value}"
