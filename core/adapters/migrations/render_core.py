"""Developer tool: re-render versions/0001_core.py from the core tables (pre-release only).

    python -m core.adapters.migrations.render_core

Alembic's autogenerate renders explicit op.create_table calls, so the migration never imports the
models at run time; only the core's own tables are rendered (other parts own their branches)."""
from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import produce_migrations, render_python_code
from alembic.migration import MigrationContext
from sqlalchemy import MetaData, create_engine

from core.adapters import tables

HEADER = '''"""0001_core: the order core's tables (root of every part's branch).

Pre-release: edited in place (see docs/CONTRACTS.md), rendered by
`python -m core.adapters.migrations.render_core`. Explicit op.create_table calls, so the
migration never depends on the current models.

Revision ID: 0001_core
Revises:
"""
from alembic import op
import sqlalchemy as sa

revision = "0001_core"
down_revision = None
branch_labels = ("core",)
depends_on = None


def upgrade() -> None:
'''


def core_metadata() -> MetaData:
    md = MetaData(naming_convention=tables.NAMING)
    for name in tables.CORE_TABLES:
        tables.metadata.tables[name].to_metadata(md)
    return md


def render() -> str:
    engine = create_engine("sqlite://")
    with engine.connect() as conn:
        ops = produce_migrations(MigrationContext.configure(conn), core_metadata())
    strip = lambda code: "\n".join(l for l in code.splitlines() if not l.strip().startswith("# ###"))
    up = strip(render_python_code(ops.upgrade_ops, render_as_batch=False))
    down = strip(render_python_code(ops.downgrade_ops, render_as_batch=False))
    return HEADER + up.rstrip() + "\n\n\ndef downgrade() -> None:\n" + down.rstrip() + "\n"


if __name__ == "__main__":
    target = Path(__file__).parent / "versions" / "0001_core.py"
    target.write_text(render(), encoding="utf-8")
    print(f"wrote {target}")
