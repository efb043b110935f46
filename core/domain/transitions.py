"""Allowed moves as data.

STEP_MOVES: which buckets a step takes quantity from (in that order) and where it puts it.
ORDER_STEPS: which steps an order may take in each derived status. A missing entry is refused with
an error naming the status and the command (the h11 / django-oscar pattern).
"""
from __future__ import annotations

from enum import Enum

from core.domain.errors import IllegalTransition
from core.domain.quantities import Status


class Step(str, Enum):
    ACKNOWLEDGE = "acknowledge"
    ACCEPT = "accept"
    BACKORDER = "backorder"
    REJECT = "reject"
    SOURCE = "source"
    ALLOCATE = "allocate"
    DEALLOCATE = "deallocate"
    RELEASE = "release"
    SHIP = "ship"
    INVOICE = "invoice"
    CANCEL = "cancel"
    CHANGE = "change"
    RETURN = "return"


STEP_MOVES: dict[Step, tuple[tuple[str, ...], str]] = {
    Step.ACCEPT: (("open",), "accepted"),
    Step.BACKORDER: (("open", "accepted"), "backordered"),
    Step.REJECT: (("open", "accepted", "backordered"), "rejected"),
    Step.ALLOCATE: (("backordered", "accepted", "open"), "allocated"),
    Step.DEALLOCATE: (("allocated",), "open"),
    Step.RELEASE: (("allocated",), "released"),
    Step.SHIP: (("released", "allocated"), "shipped"),
    Step.INVOICE: (("shipped",), "invoiced"),
    Step.CANCEL: (("open", "accepted", "backordered", "allocated", "released"), "cancelled"),
}

_ACTIVE = {Step.ACKNOWLEDGE, Step.ACCEPT, Step.BACKORDER, Step.REJECT, Step.SOURCE, Step.ALLOCATE,
           Step.DEALLOCATE, Step.RELEASE, Step.SHIP, Step.INVOICE, Step.CANCEL, Step.CHANGE}
_SHIPPING = {Step.ACKNOWLEDGE, Step.SOURCE, Step.ALLOCATE, Step.DEALLOCATE, Step.RELEASE, Step.SHIP,
             Step.INVOICE, Step.CANCEL, Step.CHANGE, Step.RETURN, Step.BACKORDER, Step.REJECT,
             Step.ACCEPT}

ORDER_STEPS: dict[Status, frozenset[Step]] = {
    Status.OPEN: frozenset(_ACTIVE),
    Status.ACCEPTED: frozenset(_ACTIVE),
    Status.BACKORDERED: frozenset(_ACTIVE),
    Status.PARTIALLY_ALLOCATED: frozenset(_ACTIVE),
    Status.ALLOCATED: frozenset(_ACTIVE),
    Status.RELEASED: frozenset(_ACTIVE),
    Status.PARTIALLY_SHIPPED: frozenset(_SHIPPING),
    Status.SHIPPED: frozenset({Step.ACKNOWLEDGE, Step.INVOICE, Step.RETURN, Step.CHANGE}),
    Status.INVOICED: frozenset({Step.RETURN, Step.ACKNOWLEDGE}),
    Status.REJECTED: frozenset({Step.ACKNOWLEDGE}),
    Status.CANCELLED: frozenset(),
}


def check_order_step(status: Status, step: Step, *, order: str | int | None, command: str) -> None:
    if step not in ORDER_STEPS[status]:
        raise IllegalTransition(
            f"order {order}: {command} is not allowed when the order is {status.value}",
            order=order, state=status.value, command=command)
