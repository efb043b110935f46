"""Quantity buckets and the statuses derived from them (IBM Sterling style: status per quantity).

A line's buckets always add up to its ordered quantity. `returned` is not a bucket: it is
counted against what was shipped. Status is never stored as truth; it is derived from the buckets
by the first matching row of STATUS_RULES, for a line and (summed) for the order alike.
"""
from __future__ import annotations

from decimal import Decimal
from enum import Enum
from itertools import compress
from typing import Callable, Mapping

ZERO = Decimal("0")


class Bucket(str, Enum):
    OPEN = "open"
    ACCEPTED = "accepted"
    BACKORDERED = "backordered"
    REJECTED = "rejected"
    ALLOCATED = "allocated"
    RELEASED = "released"
    SHIPPED = "shipped"
    INVOICED = "invoiced"
    CANCELLED = "cancelled"


BUCKETS: tuple[str, ...] = tuple(b.value for b in Bucket)
UNFILLED = ("open", "accepted", "backordered")  # waiting for a source
COMMITTED = ("allocated", "released")  # reserved somewhere, not yet shipped
DONE = ("shipped", "invoiced")  # left our hands
CLOSED = ("rejected", "cancelled")


class Status(str, Enum):
    OPEN = "open"
    ACCEPTED = "accepted"
    BACKORDERED = "backordered"
    PARTIALLY_ALLOCATED = "partially_allocated"
    ALLOCATED = "allocated"
    RELEASED = "released"
    PARTIALLY_SHIPPED = "partially_shipped"
    SHIPPED = "shipped"
    INVOICED = "invoiced"
    REJECTED = "rejected"
    CANCELLED = "cancelled"


Q = Mapping[str, Decimal]


class Sums:
    """The group totals the status rules read, computed once per derivation."""
    __slots__ = ("unfilled", "committed", "done", "closed", "total")

    def __init__(self, q: Q) -> None:
        self.unfilled = q["open"] + q["accepted"] + q["backordered"]
        self.committed = q["allocated"] + q["released"]
        self.done = q["shipped"] + q["invoiced"]
        self.closed = q["rejected"] + q["cancelled"]
        self.total = self.unfilled + self.committed + self.done + self.closed


# First match wins. Each predicate reads the bucket mapping `q` and its group sums `s`.
STATUS_RULES: tuple[tuple[Status, Callable[[Q, Sums], bool]], ...] = (
    (Status.CANCELLED, lambda q, s: q["cancelled"] > 0 and s.total == q["cancelled"]),
    (Status.REJECTED, lambda q, s: q["rejected"] > 0 and s.total == s.closed),
    (Status.INVOICED, lambda q, s: q["invoiced"] > 0 and s.unfilled + s.committed == 0
        and q["shipped"] == 0),
    (Status.SHIPPED, lambda q, s: s.done > 0 and s.unfilled + s.committed == 0),
    (Status.PARTIALLY_SHIPPED, lambda q, s: s.done > 0),
    (Status.RELEASED, lambda q, s: q["released"] > 0 and q["allocated"] == 0 and s.unfilled == 0),
    (Status.ALLOCATED, lambda q, s: s.committed > 0 and s.unfilled == 0),
    (Status.PARTIALLY_ALLOCATED, lambda q, s: s.committed > 0),
    (Status.BACKORDERED, lambda q, s: q["backordered"] > 0),
    (Status.ACCEPTED, lambda q, s: q["accepted"] > 0),
    (Status.OPEN, lambda q, s: True),
)


def _derive(q: Q) -> Status:
    sums = Sums(q)
    for status, test in STATUS_RULES:
        if test(q, sums):
            return status
    return Status.OPEN  # pragma: no cover - the last rule always matches


# With no negative bucket every rule above only asks which buckets are non-zero (a sum of
# non-negative numbers is 0 exactly when each part is; `total == cancelled` exactly when every
# other bucket is 0). So the table's answer is computed once per pattern of non-zero buckets and
# remembered: 2**9 patterns at most. Negative buckets (never valid, but a message may ask) go
# through the table directly. The pattern is the tuple of the non-zero buckets' names (for a
# non-negative value, non-zero is > 0), picked in C by itertools.compress.
_ONE = Decimal(1)
_BY_PATTERN: dict[tuple[str, ...], Status] = {}


def derive_status(q: Q) -> Status:
    """The status of a line or order: the first row of STATUS_RULES that matches `q`."""
    if min(q.values()) < ZERO:  # ZERO rather than 0: a Decimal compares faster with a Decimal
        return _derive(q)
    pattern = tuple(compress(q, q.values()))
    status = _BY_PATTERN.get(pattern)
    if status is None:
        status = _BY_PATTERN[pattern] = _derive(
            {b: (_ONE if b in pattern else ZERO) for b in BUCKETS})
    return status
