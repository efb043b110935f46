"""The hot path's shortcuts agree with the plain code they stand in for (same values, same
Decimal representation, same refusals)."""
from __future__ import annotations

from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.domain.acknowledgement import ACK_CODE_FOR, ack_lines
from core.domain.errors import InvalidCommand
from core.domain.model import Order, OrderLine
from core.domain.quantities import BUCKETS
from core.services.validation import price, quantity

decimals = st.decimals(allow_nan=True, allow_infinity=True, places=None)


def _slow_quantity(value: D) -> D | str:
    """What quantity() did before its fast path, for Decimal input: the value, or the refusal."""
    if not value.is_finite():
        return "not a finite number"
    if value < 0:
        return "is negative"
    if value == 0:
        return "must be more than 0"
    return value


@given(decimals)
def test_quantity_fast_path_matches_the_checks(value: D) -> None:
    expected = _slow_quantity(value)
    try:
        got = quantity(value, line="1")
    except InvalidCommand as exc:
        assert isinstance(expected, str) and expected in exc.message
    else:
        assert got is value and not isinstance(expected, str)


@pytest.mark.parametrize("value", [D("NaN"), D("sNaN"), D("-sNaN"), D("Infinity"), D("-0"),
                                   D("0E+3"), D("-1"), D("0.0000")])
def test_quantity_still_refuses_odd_decimals(value: D) -> None:
    with pytest.raises(InvalidCommand):
        quantity(value, line="1")


def test_price_keeps_zero_and_none() -> None:
    assert price(None, line="1") is None
    assert price("", line="1") is None
    assert price("2.5", line="1") == D("2.5")
    assert price(D("0"), line="1") == 0
    assert price(D("1.50"), line="1") == D("1.50")


bucket_values = st.decimals(min_value=0, max_value=10**6, places=4)


@given(st.lists(st.fixed_dictionaries({b: bucket_values for b in BUCKETS}), min_size=1,
                max_size=5))
def test_ack_quantities_are_the_bucket_sums(lines: list[dict[str, D]]) -> None:
    order = Order(po_number="P", channel="edi")
    for i, q in enumerate(lines):
        line = OrderLine(str(i + 1), sum(q.values(), D(0)))
        line.q.update(q)
        order.lines.append(line)
    rows = iter(ack_lines(order))
    for line in order.lines:
        for code, buckets in ACK_CODE_FOR:
            expected = sum((line.q[b] for b in buckets), D(0))
            if expected <= 0:
                continue
            row = next(rows)
            assert row["status_code"] == code
            assert str(row["quantity"]) == str(expected)  # same value and exponent
    assert next(rows, None) is None


def test_new_line_buckets_are_in_table_order() -> None:
    line = OrderLine("1", D("2.5"))
    assert tuple(line.q) == BUCKETS
    assert line.q["open"] == D("2.5") and sum(line.q.values()) == D("2.5")


def test_status_pattern_does_not_depend_on_the_bucket_order() -> None:
    from core.domain import quantities as qm

    for order in (qm.BUCKETS, tuple(reversed(qm.BUCKETS))):
        for on in (("allocated",), ("open", "allocated"), ("shipped", "cancelled"), ()):
            q = {b: (D("2") if b in on else D("0.0000")) for b in order}
            assert qm.derive_status(q) is qm._derive(q)


def test_ack_lines_without_overrides_match_empty_overrides() -> None:
    order = Order(po_number="P", channel="edi")
    for i, (bucket, reason) in enumerate([("allocated", None), ("rejected", "unknown item"),
                                          ("backordered", None), ("cancelled", None)]):
        line = OrderLine(str(i + 1), D("3"), unit_price=D("1.50"))
        line.q["open"] = D("1")
        line.q[bucket] = D("2")
        line.reject_reason = reason
        order.lines.append(line)
    assert ack_lines(order) == ack_lines(order, {}) == ack_lines(order, {"9": {"code": "IC"}})
    changed = ack_lines(order, {"1": {"code": "IC", "unit_price": D("2"), "reason": "r"}})
    assert changed[0]["status_code"] == "IC" and changed[0]["unit_price"] == D("2")
