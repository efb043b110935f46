"""`migrate` on a database already at every head answers from `alembic_version` without importing
alembic; anything behind goes through `upgrade heads` as before."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from sqlalchemy import create_engine

from core.adapters.migrate import alembic_config, current, heads, is_current, migrate


def test_heads_match_alembic() -> None:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    assert heads() == frozenset(script.get_heads())


def test_a_migrated_database_is_current_and_one_behind_is_not(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'a.db'}"
    engine = create_engine(url)
    with engine.connect() as conn:
        assert current(conn) == frozenset()
    assert not is_current(frozenset())
    migrate(url)
    with engine.connect() as conn:
        at = current(conn)
    assert is_current(at)
    # alembic leaves out a head another head depends on (0002 under 0003): still current
    assert at < heads()
    assert not is_current(frozenset({"0001_core"}))
    assert not is_current(at | {"no_such_revision"})



def test_a_database_with_a_branch_missing_is_brought_forward(tmp_path: Path) -> None:
    from alembic import command

    url = f"sqlite:///{tmp_path / 'c.db'}"
    engine = create_engine(url)
    with engine.begin() as conn:
        config = alembic_config(url)
        config.attributes["connection"] = conn
        command.upgrade(config, "0002_gateway")
    with engine.connect() as conn:
        assert current(conn) == frozenset({"0002_gateway"})
        assert not is_current(current(conn))
    migrate(url)
    with engine.connect() as conn:
        assert is_current(current(conn))
        assert {"0003_reconcile", "0004_api"} <= current(conn)


def test_migrate_on_a_current_database_does_not_import_alembic(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'b.db'}"
    migrate(url)
    code = ("import sys; from core.adapters.migrate import migrate; "
            f"migrate({url!r}); print('alembic' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
