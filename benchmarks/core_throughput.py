"""Order core throughput: place and source N orders of 20 lines across 10 locations through the
service layer: `Core.handle_batch` with --batch orders per unit of work (100 by default, what the
gateway does per file), or `Core.handle` one order per transaction with --batch 1. On SQLite and
PostgreSQL.

    python benchmarks/core_throughput.py --orders 2000            # quick, SQLite only
    python benchmarks/core_throughput.py --orders 10000 100000 --backend sqlite postgres

Prints orders/s, lines/s, wall and CPU time per order (CPU of this process: the figure to trust
on a shared machine; for PostgreSQL the server's CPU is not included), peak RSS and the growth
from the first size to the last (time per order should stay flat: linear scaling). Orders are
generated batch by batch outside the timed part (the input never sits in memory whole).
PostgreSQL runs in a throwaway cluster it starts itself.
"""
from __future__ import annotations

import argparse
import gc
import random
import resource
import sys
import tempfile
import time
from decimal import Decimal
from itertools import islice
from pathlib import Path
from typing import Iterator

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core.bootstrap import bootstrap  # noqa: E402
from core.domain import commands as c  # noqa: E402

LOCATIONS = [  # 10 locations: 6 warehouses, 3 stores, 1 drop-ship vendor
    ("WH-EAST", "warehouse", "08817"), ("WH-WEST", "warehouse", "91761"),
    ("WH-SOUTH", "warehouse", "30301"), ("WH-CENTRAL", "warehouse", "60601"),
    ("WH-NW", "warehouse", "98101"), ("WH-TX", "warehouse", "75201"),
    ("STORE-12", "store", "62701"), ("STORE-20", "store", "02108"), ("STORE-31", "store", "80202"),
    ("VENDOR-1", "dropship", "10001"),
]
ZIPS = ["10001", "94103", "60601", "33101", "98101", "02108", "30301", "75201", "80202", "85001"]
ITEMS = 500
LINES = 20


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def setup(core, orders: int) -> None:
    for code, typ, zip_code in LOCATIONS:
        core.handle(c.DefineLocation(code, typ, postal_code=zip_code))
    per_loc = Decimal(orders * LINES * 3 // ITEMS + 10)  # enough stock that most lines allocate
    for i in range(ITEMS):
        sku = f"SKU-{i:05d}"
        vendors = (("VENDOR-1", f"V-{i}", Decimal("4")),) if i % 10 == 0 else ()
        core.handle(c.DefineItem(sku, unit_price=Decimal("9.99"), vendors=vendors))
        for code, typ, _ in LOCATIONS:
            if typ != "dropship":
                core.handle(c.ReceiveInventory(sku, code, per_loc))


def make_orders(n: int, seed: int = 7) -> Iterator[c.PlaceOrder]:
    """The n PlaceOrder commands, made one at a time (a list of 100k orders of 20 lines would be
    ~1.6 GB and would swamp the peak RSS this benchmark reports)."""
    rnd = random.Random(seed)
    for i in range(n):
        lines = tuple(c.OrderLineInput(str(j + 1), Decimal(rnd.randint(1, 5)),
                                       sku=f"SKU-{rnd.randrange(ITEMS):05d}",
                                       unit_price=Decimal("9.99")) for j in range(LINES))
        yield c.PlaceOrder(f"PO{i:07d}", lines, channel="bench",
                           partner_id="bench-retailer" if i % 2 else None,
                           parties=(c.Party("ship_to", name="x", postal_code=rnd.choice(ZIPS)),))


def run(url: str, n: int, batch: int) -> dict[str, float]:
    core = bootstrap(url, migrate_first=True)
    setup(core, n)
    orders = make_orders(n)
    gc.collect()
    gc.freeze()
    elapsed = cpu = 0.0
    batch = max(batch, 1)
    while True:
        chunk = list(islice(orders, batch))  # made outside the timed part
        if not chunk:
            break
        start, cpu_start = time.perf_counter(), time.process_time()
        if batch == 1:
            core.handle(chunk[0], actor="bench")
        else:
            core.handle_batch(chunk, actor="bench")
        elapsed += time.perf_counter() - start
        cpu += time.process_time() - cpu_start
    core.close()
    gc.unfreeze()
    return {"orders": n, "seconds": elapsed, "orders_s": n / elapsed,
            "lines_s": n * LINES / elapsed, "us_per_order": elapsed / n * 1e6,
            "cpu_us_per_order": cpu / n * 1e6,
            "rss_mb": peak_rss_mb()}


def postgres_url(tmp: Path):
    from tests.fixtures.postgres import PostgresCluster

    cluster = PostgresCluster()  # its own /tmp dir: the postgres user must reach it
    cluster.start()
    return cluster, cluster.create_database("bench")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--orders", type=int, nargs="+", default=[10_000, 100_000])
    ap.add_argument("--batch", type=int, default=100,
                    help="orders per unit of work via Core.handle_batch (1 = Core.handle each)")
    ap.add_argument("--backend", nargs="+", default=["sqlite"], choices=["sqlite", "postgres"])
    args = ap.parse_args()
    for backend in args.backend:
        results = []
        with tempfile.TemporaryDirectory() as tmp:
            cluster = None
            for n in args.orders:
                if backend == "sqlite":
                    url = f"sqlite:///{tmp}/bench-{n}.db"
                else:
                    if cluster is None:
                        cluster, _ = postgres_url(Path(tmp))
                    url = cluster.create_database(f"bench_{n}")
                r = run(url, n, args.batch)
                results.append(r)
                print(f"{backend:8} batch {args.batch:>4} {n:>7} orders x {LINES} lines: {r['orders_s']:8.0f} orders/s "
                      f"{r['lines_s']:9.0f} lines/s  {r['us_per_order']:7.0f} us/order wall, "
                      f"{r['cpu_us_per_order']:6.0f} us/order CPU (this process)  "
                      f"peak RSS {r['rss_mb']:.0f} MB", flush=True)
            if cluster is not None:
                cluster.stop()
        if len(results) > 1:
            first, last = results[0], results[-1]
            print(f"{backend:8} growth {first['orders']} -> {last['orders']}: time per order x"
                  f"{last['us_per_order'] / first['us_per_order']:.2f} wall, "
                  f"x{last['cpu_us_per_order'] / first['cpu_us_per_order']:.2f} CPU; peak RSS "
                  f"{first['rss_mb']:.0f} -> {last['rss_mb']:.0f} MB (1.00 = linear: flat time "
                  "per order)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
