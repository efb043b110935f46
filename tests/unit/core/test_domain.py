"""Domain rules with no database: buckets, derived status, transitions, holds, acknowledgement."""
from __future__ import annotations

from decimal import Decimal as D

import pytest

from core.domain import acknowledgement as ack
from core.domain.commands import HoldType
from core.domain.errors import HoldBlocks, IllegalTransition, InvariantViolation
from core.domain.holds import Hold
from core.domain.model import Order, OrderLine
from core.domain.quantities import Status, derive_status
from core.domain.sscc import make_sscc, valid_sscc
from core.domain.transitions import Step


def line(qty: str = "10") -> OrderLine:
    return OrderLine("1", D(qty), sku="A", order_ref="PO1")


def test_new_line_is_open_and_adds_up() -> None:
    li = line()
    assert li.status is Status.OPEN
    li.check_invariant()


def test_moves_keep_the_sum_and_derive_status() -> None:
    li = line()
    li.move(Step.ALLOCATE, D(4), "t")
    assert li.status is Status.PARTIALLY_ALLOCATED
    li.move(Step.BACKORDER, D(6), "t")
    assert li.q["backordered"] == 6
    li.move(Step.SHIP, D(4), "t")
    assert li.status is Status.PARTIALLY_SHIPPED
    assert sum(li.q.values()) == li.ordered


def test_shipping_more_than_allocated_names_line_and_numbers() -> None:
    li = line()
    li.move(Step.ALLOCATE, D(3), "t")
    with pytest.raises(InvariantViolation) as info:
        li.move(Step.SHIP, D(5), "RecordShipment")
    err = info.value
    assert err.line == "1" and err.numbers == {"requested": D(5), "available": D(3)}
    assert err.command == "RecordShipment"
    assert "cannot ship 5, only 3" in err.message


def test_cancel_after_full_shipment_is_an_illegal_transition_naming_state() -> None:
    li = line("2")
    li.move(Step.ALLOCATE, D(2), "t")
    li.move(Step.SHIP, D(2), "t")
    with pytest.raises(IllegalTransition) as info:
        li.move(Step.CANCEL, D(1), "CancelLines")
    assert info.value.state == "shipped" and info.value.command == "CancelLines"


def test_invoice_more_than_shipped_refused() -> None:
    li = line()
    li.move(Step.ALLOCATE, D(10), "t")
    li.move(Step.SHIP, D(2), "t")
    with pytest.raises(InvariantViolation):
        li.move(Step.INVOICE, D(3), "IssueInvoice")
    li.move(Step.INVOICE, D(2), "IssueInvoice")
    assert li.q["invoiced"] == 2 and li.q["shipped"] == 0


def test_negative_quantity_refused() -> None:
    with pytest.raises(InvariantViolation):
        line().move(Step.ACCEPT, D(-1), "t")


@pytest.mark.parametrize("buckets,status", [
    ({"cancelled": 5}, Status.CANCELLED),
    ({"rejected": 3, "cancelled": 2}, Status.REJECTED),
    ({"invoiced": 4, "cancelled": 1}, Status.INVOICED),
    ({"shipped": 2, "invoiced": 3}, Status.SHIPPED),
    ({"shipped": 1, "allocated": 4}, Status.PARTIALLY_SHIPPED),
    ({"released": 5}, Status.RELEASED),
    ({"allocated": 2, "released": 3}, Status.ALLOCATED),
    ({"allocated": 2, "open": 3}, Status.PARTIALLY_ALLOCATED),
    ({"backordered": 5}, Status.BACKORDERED),
    ({"accepted": 5}, Status.ACCEPTED),
    ({"open": 5}, Status.OPEN),
])
def test_status_table(buckets: dict[str, int], status: Status) -> None:
    q = {b: D(0) for b in ("open", "accepted", "backordered", "rejected", "allocated", "released",
                           "shipped", "invoiced", "cancelled")}
    q.update({k: D(v) for k, v in buckets.items()})
    assert derive_status(q) is status


def test_order_step_table_refuses_with_state_and_command() -> None:
    order = Order("PO9", "web", lines=[line("1")])
    order.lines[0].move(Step.CANCEL, D(1), "t")
    with pytest.raises(IllegalTransition) as info:
        order.require(Step.SHIP, "RecordShipment")
    assert info.value.state == "cancelled" and "RecordShipment" in info.value.message


def test_holds_block_named_steps_only() -> None:
    order = Order("PO9", "web", lines=[line()])
    order.holds.append(Hold(HoldType.CREDIT, "limit"))
    order.require(Step.SOURCE, "SourceOrder")  # credit does not block sourcing
    with pytest.raises(HoldBlocks) as info:
        order.require(Step.RELEASE, "ReleaseToFulfillment")
    assert info.value.hold_type == "credit"
    order.holds[0].active = False
    order.require(Step.RELEASE, "ReleaseToFulfillment")


def test_line_hold_blocks_its_line_and_order_level_ack() -> None:
    order = Order("PO9", "web", lines=[line(), OrderLine("2", D(1), sku="B")])
    order.holds.append(Hold(HoldType.PRICE_MISMATCH, "price", line_number="2"))
    assert order.blocking_hold(Step.ACKNOWLEDGE, "1") is None
    assert order.blocking_hold(Step.ACKNOWLEDGE, "2") is not None
    assert order.blocking_hold(Step.ACKNOWLEDGE) is not None


def test_ack_codes_per_quantity() -> None:
    a, b, c = line("5"), OrderLine("2", D(4), sku="B"), OrderLine("3", D(1), sku="X")
    a.move(Step.ALLOCATE, D(3), "t")
    a.move(Step.BACKORDER, D(2), "t")
    b.move(Step.ALLOCATE, D(4), "t")
    c.move(Step.REJECT, D(1), "t")
    c.reject_reason = "unknown item"
    order = Order("PO1", "edi", partner_id="p", lines=[a, b, c])
    rows = ack.ack_lines(order)
    got = [(r["line_number"], r["status_code"], r["quantity"], r["reason"]) for r in rows]
    assert got == [("1", "IA", 3, ""), ("1", "IB", 2, ""), ("2", "IA", 4, ""),
                   ("3", "IR", 1, "unknown item")]
    assert ack.ack_type(rows) == "AC"
    assert ack.ack_type([r for r in rows if r["status_code"] == "IA"]) == "AD"


def test_sscc_check_digit() -> None:
    assert valid_sscc("106141411234567897")
    assert not valid_sscc("106141411234567898")
    assert valid_sscc(make_sscc(42)) and len(make_sscc(42)) == 18


def test_status_by_pattern_agrees_with_the_rule_table() -> None:
    """derive_status remembers the table's answer per pattern of non-zero buckets; for every
    pattern (and with negative buckets, which bypass the memory) it must say what the table says."""
    import itertools
    import random

    from core.domain import quantities as qm

    for combo in itertools.product((D(0), D(1), D("2.5")), repeat=len(qm.BUCKETS)):
        q = dict(zip(qm.BUCKETS, combo))
        assert qm.derive_status(q) is qm._derive(q), q
    rnd = random.Random(3)
    for _ in range(2000):
        q = {b: rnd.choice((D(0), D(1), D(-1), D("0.0000"))) for b in qm.BUCKETS}
        assert qm.derive_status(q) is qm._derive(q), q


def test_fmt_prints_equal_quantities_alike() -> None:
    from core.domain.model import fmt

    assert [fmt(D(v)) for v in ("3", "3.0000", "2.5000", "0.0000", "-0", "1E+2")] == \
        ["3", "3", "2.5", "0", "-0", "100"]
    assert fmt(D("3.0000")) == fmt(D("3"))  # second time from the memory
