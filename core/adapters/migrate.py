"""Alembic entry points: `upgrade heads` over every part's branch (0001_core is the root).

Every `ordergate` command opens the database through `migrate`, and nearly always the schema is
already current. Importing alembic (with mako and pygments behind it) cost ~0.2 s of each
command's start, so `migrate` first compares the database's `alembic_version` rows with the heads
read from the revision files, and imports alembic only when there is something to upgrade."""
from __future__ import annotations

import ast
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import inspect, text

from core.adapters.engine import create_engine_for, normalise_url

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config(url: str) -> Any:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", normalise_url(url).replace("%", "%%"))
    return config


def _revision_ids(value: Any) -> set[str]:
    if value is None:
        return set()
    return {value} if isinstance(value, str) else set(value)


@lru_cache(maxsize=1)
def revisions() -> dict[str, tuple[frozenset[str], frozenset[str]]]:
    """Each revision with its `down_revision`s and its `depends_on`, from the assignments in
    versions/ (literals, as alembic writes them)."""
    graph: dict[str, tuple[frozenset[str], frozenset[str]]] = {}
    for path in sorted((MIGRATIONS / "versions").glob("*.py")):
        found: dict[str, Any] = {}
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if (isinstance(node, ast.Assign) and len(node.targets) == 1
                    and isinstance(node.targets[0], ast.Name)
                    and node.targets[0].id in ("revision", "down_revision", "depends_on")):
                found[node.targets[0].id] = ast.literal_eval(node.value)
        if isinstance(found.get("revision"), str):
            graph[found["revision"]] = (frozenset(_revision_ids(found.get("down_revision"))),
                                        frozenset(_revision_ids(found.get("depends_on"))))
    return graph


def heads() -> frozenset[str]:
    """Alembic's heads: every revision that no other one revises."""
    graph = revisions()
    return frozenset(graph) - frozenset().union(*(down for down, _ in graph.values()))


def is_current(at: frozenset[str]) -> bool:
    """Whether a database whose `alembic_version` holds `at` has every revision applied. Alembic
    leaves out a head that another head depends on (0002_gateway under 0003_reconcile), so the
    test is: `at` holds only heads, and every head is in `at` or under one of them."""
    graph = revisions()
    if not at or not at <= heads():
        return False
    reached: set[str] = set()
    todo = list(at)
    while todo:
        rev = todo.pop()
        if rev not in reached:
            reached.add(rev)
            down, needs = graph.get(rev, (frozenset(), frozenset()))
            todo.extend(down | needs)
    return heads() <= reached


def current(conn: Any) -> frozenset[str]:
    """The revisions the database is at (none for an empty database)."""
    if not inspect(conn).has_table("alembic_version"):
        return frozenset()
    return frozenset(conn.execute(text("SELECT version_num FROM alembic_version")).scalars())


def migrate(url: str) -> None:
    """Bring the database at `url` to the newest revision of every branch (`upgrade heads`)."""
    engine = create_engine_for(url)
    try:
        with engine.begin() as conn:
            if is_current(current(conn)):
                return
            from alembic import command

            config = alembic_config(url)
            config.attributes["connection"] = conn
            command.upgrade(config, "heads")
    finally:
        engine.dispose()
