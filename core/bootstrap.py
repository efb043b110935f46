"""Composition root: builds the engine, loads the sourcing rules and wires the handlers.
Nothing connects at import time; `bootstrap(url)` is the one place that does."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from core.adapters.engine import create_engine_for, is_sqlite, normalise_url  # noqa: F401
from core.adapters.migrate import migrate  # noqa: F401  (public: core.bootstrap.migrate)


class Core:
    """The order core's facade: `handle(command)` runs one unit of work; `orders`/`inventory` read."""

    def __init__(self, engine: Engine, *, sourcing_path: Path | None = None,
                 clock: Any = None):
        from core.services.clock import system_clock
        from core.services.messagebus import MessageBus
        from core.inventory.rules import load_rules
        from core import queries

        self.engine = engine
        self.clock = clock or system_clock
        self.rules = load_rules(sourcing_path)
        self.bus = MessageBus(engine, rules=self.rules, clock=self.clock)
        self.orders = queries.OrderQueries(engine)
        self.inventory = queries.InventoryQueries(engine)

    def handle(self, command: Any, actor: str = "cli") -> Any:
        """Run `command` in one transaction (state + history + outbox) and return its Outcome."""
        return self.bus.handle(command, actor=actor)

    def handle_batch(self, commands: list[Any], actor: str = "cli", *, prepared: Any = None
                     ) -> list[Any]:
        """Run many commands, returning an Outcome or the DomainError for each, in order.
        Consecutive PlaceOrders share one transaction with batched writes (the fast path for
        gateways and bulk loads); every other command runs in its own. `prepared`: what
        `prepare_batch` built ahead for these commands."""
        return self.bus.handle_batch(commands, actor=actor, prepared=prepared)

    def prepare_batch(self, commands: list[Any], actor: str = "cli") -> Any:
        """Build the batch's new orders ahead, outside any write transaction, from a snapshot;
        `handle_batch(commands, prepared=...)` then takes each as it is if the stock, items and
        locations it depended on would still make it the same (else builds it again). For
        processes placing orders side by side: their write transactions get shorter."""
        return self.bus.prepare_batch(commands, actor=actor)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> "Core":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def bootstrap(database_url: str | None = None, *, home: Any = None, sourcing_path: Path | None = None,
              engine: Engine | None = None, clock: Any = None, migrate_first: bool = False) -> Core:
    """Build a `Core` for `database_url` (or for `home`, a `core.config.Home` or a path).
    `migrate_first=True` runs `upgrade heads` before (tests, `init`)."""
    if home is not None:
        from core.config import Home

        home = home if isinstance(home, Home) else Home(home)
        database_url = database_url or home.database_url
        if sourcing_path is None and home.sourcing_path.exists():
            sourcing_path = home.sourcing_path
    if engine is None:
        if database_url is None:
            raise ValueError("bootstrap needs a database_url, a home or an engine")
        if migrate_first:
            migrate(database_url)
        engine = create_engine_for(database_url)
    return Core(engine, sourcing_path=sourcing_path, clock=clock)
