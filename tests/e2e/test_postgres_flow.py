"""The gateway on PostgreSQL: the seller flow once, then two `run --once` processes side by side
on one mailbox and one database: every file processed once, every order placed once, every 997
and 855 written once (FOR UPDATE SKIP LOCKED claims, one poller per mailbox)."""
from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

from sqlalchemy import func, select

from gateway.flow.samples import STOCK_SKUS, Line, interchange_850s
from gateway.x12 import iter_transactions
from tests.e2e.conftest import REPO, World, _need_parts, make_home

RETAILER = "demo-retailer"


def test_seller_flow_on_postgres(tmp_path: Path, pg_cluster):
    _need_parts()
    world = World(make_home(tmp_path / "home", pg_cluster.create_database()))
    try:
        world.drop(RETAILER, "po.edi", interchange_850s(
            world.gw.partners[RETAILER], [("PG-1", [Line("DEMO-100", 2)]),
                                          ("PG-2", [Line("DEMO-200", 1)])], isa13=11))
        world.run()
        assert world.order("PG-1")["id"] != world.order("PG-2")["id"]
        kinds = Counter(tx.set_id for data in world.outbound(RETAILER).values()
                        for tx in iter_transactions(data))
        assert kinds == {"997": 1, "855": 2}
    finally:
        world.close()


def test_two_processes_side_by_side_do_nothing_twice(tmp_path: Path, pg_cluster):
    _need_parts()
    home = make_home(tmp_path / "home", pg_cluster.create_database())
    world = World(home)
    partner = world.gw.partners[RETAILER]
    pos = []
    for f in range(12):
        batch = [(f"PP{f:02d}-{n}", [Line(STOCK_SKUS[n % 3], 1)]) for n in range(3)]
        pos += [po for po, _ in batch]
        world.drop(RETAILER, f"f{f:02d}.edi", interchange_850s(partner, batch, isa13=100 + f))
    env = dict(os.environ, PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    cmd = [sys.executable, "-m", "gateway.cli.main", "run", "--once", "--home", str(home)]
    procs = [subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
             for _ in range(2)]
    errors = [p.communicate(timeout=600)[1].decode() for p in procs]
    assert [p.returncode for p in procs] == [0, 0], errors
    world.run()   # anything left (there should be nothing)
    try:
        from core.adapters.tables import orders
        from gateway.store.tables import gateway_files

        with world.gw.engine.connect() as conn:
            per_po = dict(conn.execute(select(orders.c.po_number, func.count())
                                       .group_by(orders.c.po_number)).all())
            states = Counter(conn.execute(select(gateway_files.c.state)).scalars())
        assert per_po == {po: 1 for po in pos}
        assert states == {"applied": 12}
        sent = Counter(tx.set_id for data in world.outbound(RETAILER).values()
                       for tx in iter_transactions(data))
        assert sent == {"997": 12, "855": 36}
        both_worked = sum("doc 850 in" in e for e in errors)
        assert both_worked >= 1
    finally:
        world.close()


def test_two_processes_starting_on_a_fresh_database_migrate_one_after_the_other(tmp_path: Path,
                                                                                pg_cluster):
    home = make_home(tmp_path / "home", pg_cluster.create_database())
    env = dict(os.environ, PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    cmd = [sys.executable, "-m", "gateway.cli.main", "run", "--once", "--home", str(home)]
    procs = [subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
             for _ in range(2)]
    errors = [p.communicate(timeout=600)[1].decode() for p in procs]
    assert [p.returncode for p in procs] == [0, 0], errors
