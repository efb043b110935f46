"""One unit of work = one database transaction: state change, history rows and outbox rows
commit together or not at all."""
from __future__ import annotations

from datetime import datetime
from typing import Any, Iterable

from sqlalchemy import Engine

from core.adapters.inventory_repo import InventoryRepository
from core.adapters.orders_repo import OrderRepository
from core.adapters.outbox_repo import OutboxRepository, Sequences
from core.inventory.ledger import Ledger
from core.inventory.locations import Location
from core.inventory.rules import SourcingRules
from core.inventory.sourcing import Sourcer
from core.services.clock import Clock


class UnitOfWork:
    def __init__(self, engine: Engine, clock: Clock, actor: str, *, read_only: bool = False
                 ) -> None:
        """`read_only`: a snapshot to build from, never committed: no write lock on SQLite
        (BEGIN DEFERRED), no row locks on PostgreSQL."""
        self.engine = engine
        self.clock = clock
        self.actor = actor
        self.read_only = read_only

    def __enter__(self) -> "UnitOfWork":
        self.conn = self.engine.connect()
        if self.read_only:
            self.conn = self.conn.execution_options(sqlite_begin="DEFERRED")
        self.tx = self.conn.begin()
        self.now: datetime = self.clock()
        self.orders = OrderRepository(self.conn)
        self.inventory = InventoryRepository(self.conn, lock=not self.read_only)
        self.outbox = OutboxRepository(self.conn)
        self.sequences = Sequences(self.conn)
        self.committed = False
        self.ledger: Ledger | None = None
        self._ledger_skus: set[str] = set()
        self._locations: list[Location] | None = None
        self._items: dict[str, Any] = {}
        self._items_seen: set[str] = set()
        self._vendor_items: dict[tuple[str, str], Any] = {}
        self._vendor_seen: set[str] = set()
        self._sourcer: Sourcer | None = None
        return self

    def ledger_for(self, skus: Iterable[str]) -> Ledger:
        """The unit of work's one ledger, with levels loaded (and locked) for `skus`."""
        if (self.ledger is not None and type(skus) is list
                and self._ledger_skus.issuperset(skus)):
            return self.ledger  # all loaded already (a batch loads its SKUs up front)
        wanted = {s for s in skus if s}
        if self.ledger is None:
            self.ledger = self.inventory.ledger_for(wanted)
            self._ledger_skus = wanted
        else:
            missing = wanted - self._ledger_skus
            if missing:
                self.ledger.levels.update(self.inventory.ledger_for(missing).levels)
                self._ledger_skus |= missing
        return self.ledger

    def items(self, skus: Iterable[str]) -> dict[str, Any]:
        """Item rows by SKU, cached for the unit of work (one query for a whole batch)."""
        wanted = {s for s in skus if s} - self._items_seen
        if wanted:
            self._items.update(self.inventory.items(wanted))
            self._items_seen |= wanted
        return self._items

    def items_by_upc(self, upcs: Iterable[str]) -> dict[str, Any]:
        wanted = [u for u in upcs if u]
        return self.inventory.items_by_upc(wanted) if wanted else {}

    def vendor_items(self, skus: Iterable[str]) -> dict[tuple[str, str], Any]:
        if type(skus) is list and self._vendor_seen.issuperset(skus):
            return self._vendor_items
        wanted = {s for s in skus if s} - self._vendor_seen
        if wanted:
            self._vendor_items.update(self.inventory.vendor_items(wanted))
            self._vendor_seen |= wanted
        return self._vendor_items

    def locations(self) -> list[Location]:
        if self._locations is None:
            self._locations = self.inventory.locations()
        return self._locations

    def sourcer(self, rules: SourcingRules, skus: Iterable[str]) -> Sourcer:
        """The unit of work's sourcing engine, with levels and vendor items loaded for `skus`.
        One per unit of work (not per order) so that its caches (candidate ranking per
        destination, item-pattern matches) serve a whole batch; it reads the same ledger,
        locations and vendor items the unit of work holds."""
        skus = [s for s in skus if s]
        ledger = self.ledger_for(skus)
        vendor_items = self.vendor_items(skus)
        if self._sourcer is None or self._sourcer.rules is not rules:
            self._sourcer = Sourcer(rules, self.locations(), vendor_items, ledger)
        return self._sourcer

    def commit(self) -> None:
        if self.read_only:
            raise RuntimeError("a read-only unit of work is never committed")
        if self.ledger is not None:
            self.inventory.save(self.ledger)
        self.outbox.flush()
        self.tx.commit()
        self.committed = True

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        try:
            if not self.committed and self.tx.is_active:
                self.tx.rollback()
        finally:
            self.conn.close()
