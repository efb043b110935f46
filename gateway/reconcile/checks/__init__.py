"""The checks, one module per area. Each is a `Check`: the exception types it owns, a `find`
that runs a few set-based queries and yields findings, and optional settlers that name the
document which settled an exception that is no longer found."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Iterable, Mapping

from gateway.reconcile.context import RunContext
from gateway.reconcile.findings import Finding
from gateway.reconcile.kinds import ExceptionType
from gateway.reconcile.ledger import Settler


@dataclass(frozen=True)
class Check:
    name: str
    types: tuple[ExceptionType, ...]
    find: Callable[[RunContext], Iterable[Finding]]
    settlers: Mapping[str, Settler] = field(default_factory=dict)
    # type -> hook(ctx, rows of exceptions of that type opened by this run), after the merge
    after: Mapping[str, Callable[[RunContext, list[dict]], None]] = field(default_factory=dict)
    needs: tuple[str, ...] = ()  # tables that must exist (the gateway store may not be installed)


def all_checks() -> list[Check]:
    from gateway.reconcile.checks import (functional_acks, inbound_failures, invoices,
                                          order_acks, ship_notices)

    return [*functional_acks.CHECKS, *order_acks.CHECKS, *ship_notices.CHECKS,
            *invoices.CHECKS, *inbound_failures.CHECKS]
