"""Alembic entry points: `upgrade heads` over every part's branch (0001_core is the root)."""
from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

from core.adapters.engine import create_engine_for, normalise_url

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", normalise_url(url).replace("%", "%%"))
    return config


def migrate(url: str) -> None:
    """Bring the database at `url` to the newest revision of every branch (`upgrade heads`)."""
    engine = create_engine_for(url)
    try:
        with engine.begin() as conn:
            config = alembic_config(url)
            config.attributes["connection"] = conn
            command.upgrade(config, "heads")
    finally:
        engine.dispose()
