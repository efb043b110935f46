"""The gateway's composition root: home, engine, core, partners, archive and logger in one object.

Everything the flow needs is built here, once per process; nothing connects at import time.
The core and the gateway share one engine (one pool) so a pass does not open twice the connections.
"""
from __future__ import annotations

import logging
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from sqlalchemy import Engine

from gateway.store.archive import Archive

log = logging.getLogger("ordergate.flow")


@dataclass
class Gateway:
    home: Any                      # core.config.Home
    engine: Engine
    core: Any                      # core.bootstrap.Core
    partners: dict[str, Any]       # id -> gateway.partners.PartnerProfile
    archive: Archive
    transport_options: dict[str, Any] = field(default_factory=dict)
    transport_factory: Callable[..., Any] | None = None
    max_attempts: int = 5
    # held around a file's order placement and its record (flow/workers.py: SQLite's writer turn)
    write_turn: Callable[[], Any] = nullcontext
    # build a file's orders before its write transaction (flow/workers.py: processes that queue
    # for the one writer; see core.services.placing)
    prepare_orders: bool = False

    @classmethod
    def open(cls, home_path: Path | str, *, database_url: str | None = None,
             migrate: bool = True) -> "Gateway":
        from core.bootstrap import bootstrap, migrate as run_migrations
        from core.config import Home
        from gateway.partners import load_partners

        import gateway.store.tables  # noqa: F401 - register our tables on the metadata

        home = Home(home_path)
        url = database_url or home.database_url
        if migrate:
            _migrate_once(url, run_migrations)
        core = bootstrap(url, home=home)
        return cls(home=home, engine=core.engine, core=core, partners=load_partners(home.path),
                   archive=Archive.for_home(home.path))

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    def sqlite_lock_path(self, purpose: str) -> Path:
        """A lock file beside the SQLite database (`ordergate.db.<purpose>.lock`)."""
        from gateway.store.lock import beside_database

        where = beside_database(str(self.engine.url), self.home.path, purpose)
        if where is None:
            raise ValueError("lock files beside the database are for SQLite only")
        return where

    def partner(self, partner_id: str) -> Any:
        from gateway.flow.errors import FlowError

        try:
            return self.partners[partner_id]
        except KeyError:
            raise FlowError("unknown_partner", f"no partner profile {partner_id!r} in "
                            f"{self.home.path / 'partners'}") from None

    def open_transport(self, partner: Any) -> Any:
        if self.transport_factory is not None:
            return self.transport_factory(partner)
        from gateway.transport import open_transport

        return open_transport(partner.transport, home=self.home.path, partner=partner.id,
                              **self.transport_options)

    def close(self) -> None:
        self.core.close()


def _migrate_once(url: str, run_migrations: Callable[[str], None]) -> None:
    """Bring the schema up to date. On PostgreSQL several gateway processes may start together:
    a session advisory lock makes them migrate one after the other (the later ones find nothing
    to do) instead of racing to create the same tables."""
    from core.adapters.engine import create_engine_for

    engine = create_engine_for(url)
    try:
        if engine.dialect.name != "postgresql":
            run_migrations(url)
            return
        from sqlalchemy import text

        with engine.connect() as conn:
            conn.execute(text("SELECT pg_advisory_lock(hashtext('ordergate.migrate'))"))
            conn.commit()
            try:
                run_migrations(url)
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(hashtext('ordergate.migrate'))"))
                conn.commit()
    finally:
        engine.dispose()
