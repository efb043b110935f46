"""Reconciliation: acknowledgements, ship notices and invoices against order state.

`run_all(core_or_engine, partners, as_of)` runs every check once, set-based, and merges what it
finds into exception records (see gateway/reconcile/tables.py). The scheduler in `ordergate run`
and `ordergate reconcile` both call it. Imports are lazy so that importing the package is cheap.
"""
from __future__ import annotations

from typing import Any

__all__ = ["run_all"]


def run_all(core_or_engine: Any, partners: Any = None, as_of: Any = None, **kw: Any) -> Any:
    """Run one full reconciliation pass; returns a `RunSummary` (see runner.run_all)."""
    from gateway.reconcile.runner import run_all as _run_all

    return _run_all(core_or_engine, partners, as_of, **kw)
