"""Engines for the API come from the core's composition root (WAL, busy timeout and BEGIN IMMEDIATE
on SQLite); this module only names that dependency in one place."""
from __future__ import annotations

from sqlalchemy import Engine


def engine_for(url: str) -> Engine:
    from core.bootstrap import create_engine_for

    return create_engine_for(url)
