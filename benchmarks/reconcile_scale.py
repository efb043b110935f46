"""How long one full reconciliation pass takes at 100k and 1M orders, and how it grows.

Generates N customer orders with their documents straight into a fresh database (bulk
`executemany` on SQLite, COPY on PostgreSQL; ids assigned here so no round trips), then times
`gateway.reconcile.run_all` as of the generation's clock. Per order: 2 lines, the 855 sent, and
for most a shipment with an SSCC carton, the 856 sent and the invoice; the gateway's outbound
document per sent outbox row (acked by a 997 every 50 documents); 20 % are drop-shipped with a
vendor PO, the vendor's 855/856/810 (lines, cartons, SAC) and their inbound document records.
About 1 % of everything is wrong in one of the ways reconciliation looks for.

    python benchmarks/reconcile_scale.py                      # 100k and 1M, SQLite
    python benchmarks/reconcile_scale.py --orders 20000 --db both
Prints generation and reconciliation seconds, exceptions found and the growth from the
smallest to the largest size (1.0 per 1x more orders = linear). Target: 1M orders < 60 s on SQLite.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import sqlite3
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

AS_OF = datetime(2026, 3, 31, 12, 0, tzinfo=timezone.utc)
CHUNK = 20_000  # orders generated and written per batch (memory stays flat)
CUSTOMERS, VENDORS = 20, 10
ZIP_08817 = '{"postal_code": "08817"}'


def ts(value: datetime, sqlite: bool) -> Any:
    # SQLAlchemy's SQLite DATETIME text format, so comparisons with bound values hold
    return value.replace(tzinfo=None).isoformat(" ", "microseconds") if sqlite else value


def sscc(serial: int) -> str:
    body = f"0{614141:07d}{serial:09d}"
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return body + str((10 - total % 10) % 10)


class Ids:
    def __init__(self) -> None:
        self.n: dict[str, int] = {}

    def __call__(self, table: str) -> int:
        self.n[table] = self.n.get(table, 0) + 1
        return self.n[table]


def generate(first: int, count: int, rng: random.Random, ids: Ids, sqlite: bool
             ) -> dict[str, list[tuple]]:
    """Rows for orders first..first+count-1, per table, as tuples in COLUMNS order."""
    rows: dict[str, list[tuple]] = {name: [] for name in COLUMNS}
    J = json.dumps
    add = lambda table, *values: rows[table].append(values)  # noqa: E731
    batch = {"ack": 0, "n": 0, "partner": "cust-00", "at": AS_OF}

    def gw_out(doc_type: str, partner: str, order_id: int | None, outbox_id: int | None,
               sent: datetime) -> None:
        if not batch["ack"]:  # the 997 answering this batch of 50; its id is reserved now
            batch.update(ack=ids("gateway_documents"), partner=partner, at=sent)
        doc = ids("gateway_documents")
        r = rng.random()
        status, due, ack = "accepted", None, batch["ack"]
        if r < 0.003:
            status, due, ack = "pending", sent + timedelta(hours=24), None
        elif r < 0.004:
            status = "rejected"
        add("gateway_documents", doc, "out", doc_type, partner, outbox_id, f"{doc:09d}", "1",
            "0001", order_id, None, "sent", "t", status, ts(due, sqlite) if due else None, ack,
            "AK3 segment N1 at 7 code 8" if status == "rejected" else None,
            ts(sent, sqlite), ts(sent, sqlite), ts(sent, sqlite))
        batch["n"] += 1
        if batch["n"] >= 50:
            flush_ack()

    def flush_ack() -> None:
        ack, at = batch["ack"], batch["at"]
        add("gateway_documents", ack, "in", "997", batch["partner"], None, f"{ack:09d}", "1",
            "0001", None, None, "accepted", "t", None, None, None, None, ts(at, sqlite), None,
            ts(at, sqlite))
        batch.update(ack=0, n=0)

    for n in range(first, first + count):
        partner = f"cust-{n % CUSTOMERS:02d}"
        created = AS_OF - timedelta(minutes=rng.randrange(60 * 24 * 45))
        oid = ids("orders")
        shipped = rng.random() < 0.9
        invoiced = shipped and (rng.random() < 0.97)
        add("orders", oid, partner, f"PO{n:08d}", "edi", partner,
            "invoiced" if invoiced else "shipped" if shipped else "accepted",
            "[]", "[]", ts(created, sqlite), ts(created, sqlite))
        lines = []
        for ln in (1, 2):
            qty, price = rng.randint(1, 5), round(rng.uniform(2, 80), 2)
            line_id = ids("order_lines")
            lines.append((line_id, ln, f"SKU-{rng.randrange(5000)}", qty, price))
            add("order_lines", line_id, oid, str(ln), lines[-1][2], price, qty,
                qty if shipped else 0, qty if invoiced else 0, "shipped" if shipped else "accepted")
        if rng.random() < 0.995:
            box = ids("outbox")
            add("outbox", box, "855", partner, oid, f'{{"acknowledgement_id": {oid}}}', "sent",
                ts(created, sqlite))
            gw_out("855", partner, oid, box, created + timedelta(minutes=5))
        if shipped:
            sid = ids("shipments")
            at = created + timedelta(days=1)
            add("shipments", sid, oid, f"SH{sid:09d}", at.date().isoformat() if sqlite else at.date(),
                ts(at, sqlite))
            add("shipment_cartons", ids("shipment_cartons"), sid,
                sscc(sid - 1 if rng.random() < 0.0005 and sid > 1 else sid))
            if rng.random() < 0.995:
                box = ids("outbox")
                add("outbox", box, "856", partner, oid, f'{{"shipment_id": {sid}}}', "sent", ts(at, sqlite))
                gw_out("856", partner, oid, box, at)
            if invoiced:
                box = ids("outbox")
                add("outbox", box, "810", partner, oid, f'{{"invoice_id": {oid}}}', "sent", ts(at, sqlite))
                gw_out("810", partner, oid, box, at)
        if rng.random() < 0.2:
            vendor_documents(n, oid, created, lines, rng, ids, sqlite, add, J)
    if batch["ack"]:
        flush_ack()
    return rows


def vendor_documents(n, oid, created, lines, rng, ids, sqlite, add, J) -> None:
    vendor = f"vend-{n % VENDORS}"
    vo = ids("vendor_orders")
    day = (created + timedelta(days=3)).date()
    d = (lambda x: x.isoformat()) if sqlite else (lambda x: x)
    add("vendor_orders", vo, vendor, f"VPO{vo:08d}", "dropship", oid, ZIP_08817,
        "acknowledged", ts(created, sqlite))
    vls = []
    for line_id, ln, sku, qty, price in lines:
        cost = round(price * 0.6, 2)
        vl = ids("vendor_order_lines")
        vls.append((vl, ln, sku, qty, cost))
        add("vendor_order_lines", vl, vo, str(ln), line_id, sku, qty, cost, d(day), qty, 0, qty)
    if rng.random() < 0.98:
        ack = ids("vendor_acks")
        at = created + timedelta(hours=6)
        add("vendor_acks", ack, vo, "AC", ts(at, sqlite))
        for vl, ln, sku, qty, cost in vls:
            r = rng.random()
            code, price = ("IP", round(cost * 1.1, 2)) if r < 0.01 else ("IR", cost) if r < 0.015 \
                else ("IA", cost)
            add("vendor_ack_lines", ids("vendor_ack_lines"), ack, str(ln), code, qty, price)
        inbound(vendor, "855", f"VPO{vo:08d}", at, rng, ids, sqlite, add)
    if rng.random() < 0.9:
        vs = ids("vendor_shipments")
        at = created + timedelta(days=1)
        ship = day + timedelta(days=1 if rng.random() < 0.01 else 0)
        add("vendor_shipments", vs, vo, vendor, f"ASN{vs:08d}", d(ship), ZIP_08817,
            "delivered", ts(at, sqlite))
        add("vendor_shipment_cartons", ids("vendor_shipment_cartons"), vs, sscc(10**8 + vs))
        shipped = {}
        for vl, ln, sku, qty, cost in vls:
            q = qty - 1 if qty > 1 and rng.random() < 0.01 else qty
            shipped[vl] = q
            add("vendor_shipment_lines", ids("vendor_shipment_lines"), vs, vl, str(ln), sku, q)
        inbound(vendor, "856", f"ASN{vs:08d}", at, rng, ids, sqlite, add)
        if rng.random() < 0.95:
            vi = ids("vendor_invoices")
            total = 0.0
            for vl, ln, sku, qty, cost in vls:
                price = round(cost * 1.05, 2) if rng.random() < 0.01 else cost
                total += shipped[vl] * price
                add("vendor_invoice_lines", ids("vendor_invoice_lines"), vi, vl, str(ln), sku,
                    shipped[vl], price)
            if rng.random() < 0.01:
                add("vendor_invoice_charges", ids("vendor_invoice_charges"), vi, "C", "D240", 7.5)
                total += 7.5
            if rng.random() < 0.005:
                total += 1.0
            add("vendor_invoices", vi, vo, vendor, f"INV{vi:08d}", round(total, 2), ts(at, sqlite))
            inbound(vendor, "810", f"INV{vi:08d}", at, rng, ids, sqlite, add)


def inbound(vendor, doc_type, ref, at, rng, ids, sqlite, add) -> None:
    doc = ids("gateway_documents")
    failed = rng.random() < 0.0005
    add("gateway_documents", doc, "in", doc_type, vendor, None, f"{doc:09d}", "1", "0001", None,
        ref, "failed" if failed else "accepted", "t", None, None, None, None, ts(at, sqlite), None,
        ts(at, sqlite))
    if failed:
        add("gateway_errors", ids("gateway_errors"), doc, vendor, "apply", "UnknownVendorOrder",
            f"set {doc_type} 0001: no purchase order {ref} to vendor {vendor}", ts(at, sqlite))


COLUMNS: dict[str, tuple[str, ...]] = {
    "orders": ("id", "order_key", "po_number", "channel", "partner_id", "status", "parties",
               "order_refs", "created_at", "updated_at"),
    "order_lines": ("id", "order_id", "line_number", "sku", "unit_price", "ordered", "shipped",
                    "invoiced", "status"),
    "outbox": ("id", "document_type", "partner_id", "order_id", "payload_ref", "status", "created_at"),
    "shipments": ("id", "order_id", "shipment_number", "ship_date", "created_at"),
    "shipment_cartons": ("id", "shipment_id", "sscc"),
    "vendor_orders": ("id", "vendor", "po_number", "kind", "order_id", "ship_to", "status",
                      "created_at"),
    "vendor_order_lines": ("id", "vendor_order_id", "line_number", "order_line_id", "sku",
                           "quantity", "unit_price", "requested_date", "shipped", "received",
                           "invoiced"),
    "vendor_acks": ("id", "vendor_order_id", "ack_type", "created_at"),
    "vendor_ack_lines": ("id", "vendor_ack_id", "line_number", "status_code", "quantity",
                         "unit_price"),
    "vendor_shipments": ("id", "vendor_order_id", "vendor", "shipment_id", "ship_date", "ship_to",
                         "status", "created_at"),
    "vendor_shipment_cartons": ("id", "vendor_shipment_id", "sscc"),
    "vendor_shipment_lines": ("id", "vendor_shipment_id", "vendor_order_line_id", "line_number",
                              "sku", "quantity"),
    "vendor_invoice_lines": ("id", "vendor_invoice_id", "vendor_order_line_id", "line_number",
                             "sku", "quantity", "unit_price"),
    "vendor_invoice_charges": ("id", "vendor_invoice_id", "indicator", "code", "amount"),
    "vendor_invoices": ("id", "vendor_order_id", "vendor", "invoice_number", "total", "created_at"),
    "gateway_documents": ("id", "direction", "doc_type", "partner_id", "outbox_id", "isa13",
                          "gs06", "st02", "order_id", "reference", "status", "trace_id",
                          "ack_status", "ack_due_at", "ack_document_id", "ack_detail",
                          "created_at", "sent_at", "updated_at"),
    "gateway_errors": ("id", "document_id", "partner_id", "stage", "code", "message", "created_at"),
}
# order matters for foreign keys (PostgreSQL checks them during COPY)
TABLE_ORDER = ("orders", "order_lines", "outbox", "shipments", "shipment_cartons", "vendor_orders",
               "vendor_order_lines", "vendor_acks", "vendor_ack_lines", "vendor_shipments",
               "vendor_shipment_cartons", "vendor_shipment_lines", "vendor_invoices",
               "vendor_invoice_lines", "vendor_invoice_charges", "gateway_documents",
               "gateway_errors")


def fill_defaults(table: str) -> dict[str, Any]:
    """NOT NULL columns the generator does not set, with their values."""
    return {
        "order_lines": {"open": 0, "accepted": 0, "backordered": 0, "rejected": 0, "allocated": 0,
                        "released": 0, "cancelled": 0, "returned": 0, "description": "", "uom": "EA",
                        "item_known": True},
        "orders": {"currency": "USD", "terms": "", "carrier": "", "service": "", "version": 1},
        "outbox": {"attempts": 0},
        "shipments": {"carrier": "", "tracking": ""},
        "vendor_ack_lines": {"reason": ""},
        "vendor_shipments": {"carrier": "", "tracking": ""},
        "vendor_invoices": {"currency": "USD"},
        "vendor_invoice_charges": {"description": ""},
        "gateway_documents": {"attempts": 0},
        "vendor_shipment_lines": {},
    }.get(table, {})


def create_schema(url: str) -> None:
    from sqlalchemy import create_engine

    from core.adapters.tables import metadata
    import gateway.reconcile.tables  # noqa: F401
    import gateway.store.tables  # noqa: F401

    engine = create_engine(url)
    metadata.create_all(engine)
    engine.dispose()


def load(url: str, orders: int, seed: int) -> tuple[int, float]:
    sqlite = url.startswith("sqlite")
    rng, ids = random.Random(seed), Ids()
    started, total = time.perf_counter(), 0
    if sqlite:
        conn = sqlite3.connect(url.split("///", 1)[1])
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=OFF")
    else:
        import psycopg

        conn = psycopg.connect(url.replace("postgresql+psycopg", "postgresql"))
    for first in range(0, orders, CHUNK):
        rows = generate(first, min(CHUNK, orders - first), rng, ids, sqlite)
        for table in TABLE_ORDER:
            data = rows[table]
            if not data:
                continue
            extra = fill_defaults(table)
            cols = COLUMNS[table] + tuple(extra)
            tail = tuple(extra.values())
            total += len(data)
            if sqlite:
                marks = ",".join("?" * len(cols))
                conn.executemany(f'INSERT INTO {table} ({",".join(cols)}) VALUES ({marks})',
                                 (r + tail for r in data))
            else:
                with conn.cursor() as cur, cur.copy(
                        f'COPY {table} ({",".join(cols)}) FROM STDIN') as copy:
                    for r in data:
                        copy.write_row(r + tail)
        conn.commit()
    if not sqlite:
        conn.execute("ANALYZE")
        conn.commit()
    else:
        conn.execute("ANALYZE")
    conn.close()
    return total, time.perf_counter() - started


def reconcile(url: str) -> tuple[float, Any]:
    from core.adapters.engine import create_engine_for
    from gateway.reconcile import run_all

    engine = create_engine_for(url)
    started = time.perf_counter()
    summary = run_all(engine, {}, AS_OF)
    seconds = time.perf_counter() - started
    engine.dispose()
    return seconds, summary


def sqlite_url(workdir: Path, orders: int) -> str:
    path = workdir / f"reconcile_{orders}.db"
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    return f"sqlite:///{path}"


def warm_up(workdir: Path) -> None:
    """Import and compile everything once, so the first size is not charged for it."""
    url = sqlite_url(workdir, 0)
    create_schema(url)
    reconcile(url)
    Path(url.split("///", 1)[1]).unlink(missing_ok=True)


def run_size(backend: str, orders: int, url: str, seed: int, rerun: bool) -> dict[str, Any]:
    create_schema(url)
    rows, gen = load(url, orders, seed)
    seconds, summary = reconcile(url)
    result = {"backend": backend, "orders": orders, "rows": rows, "generate_s": gen,
              "reconcile_s": seconds, "found": summary.found, "matched": summary.matched,
              "disputed": summary.disputed, "errors": summary.errors, "timings": summary.timings}
    if rerun:
        result["rerun_s"], again = reconcile(url)
        result["rerun_new"] = again.opened
    return result


def pg_cluster() -> Any:
    from tests.fixtures.postgres import PostgresCluster

    reason = PostgresCluster.available()
    if reason:
        print(f"postgres skipped: {reason}")
        return None
    cluster = PostgresCluster()
    cluster.start()
    return cluster


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orders", default="100000,1000000",
                        help="comma-separated sizes (default 100000,1000000)")
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="sqlite")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--rerun", action="store_true", help="time a second pass too (no changes)")
    parser.add_argument("--keep", action="store_true", help="keep the SQLite files (see --workdir)")
    parser.add_argument("--verbose", "-v", action="store_true", help="print the slowest checks")
    parser.add_argument("--workdir", type=Path, default=None,
                        help="where SQLite files go (default: a temporary directory)")
    args = parser.parse_args(argv)
    sizes = sorted(int(s.replace("_", "")) for s in args.orders.split(","))
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="ordergate-reconcile-"))
    workdir.mkdir(parents=True, exist_ok=True)
    warm_up(workdir)
    results = []
    backends = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    for backend in backends:
        cluster = pg_cluster() if backend == "postgres" else None
        if backend == "postgres" and cluster is None:
            continue
        try:
            for n in sizes:
                url = (sqlite_url(workdir, n) if backend == "sqlite"
                       else cluster.create_database(f"reconcile_{n}"))
                r = run_size(backend, n, url, args.seed, args.rerun)
                results.append(r)
                print(f"{backend:8} {n:>9,} orders  {r['rows']:>11,} rows  generate "
                      f"{r['generate_s']:7.1f} s  reconcile {r['reconcile_s']:7.2f} s  "
                      f"({r['reconcile_s'] / n * 1e6:6.1f} us/order)  found {r['found']:,}  "
                      f"invoices matched {r['matched']:,} disputed {r['disputed']:,}"
                      + (f"  rerun {r['rerun_s']:.2f} s new {r['rerun_new']}" if args.rerun else "")
                      + (f"  ERRORS {r['errors']}" if r["errors"] else ""), flush=True)
                if args.verbose:
                    slow = sorted(r["timings"].items(), key=lambda kv: -kv[1])[:6]
                    print("          slowest steps: " + ", ".join(f"{k} {v:.2f} s" for k, v in slow))
                if backend == "sqlite" and not args.keep:
                    for suffix in ("", "-wal", "-shm"):
                        Path(url.split("///", 1)[1] + suffix).unlink(missing_ok=True)
        finally:
            if cluster is not None:
                cluster.stop()
        mine = [r for r in results if r["backend"] == backend]
        if len(mine) >= 2:
            a, b = mine[0], mine[-1]
            factor = b["orders"] / a["orders"]
            growth = b["reconcile_s"] / a["reconcile_s"]
            print(f"{backend:8} growth {a['orders']:,} -> {b['orders']:,} orders ({factor:.0f}x): "
                  f"time x{growth:.2f} (linear = x{factor:.0f}; per order x{growth / factor:.2f})")
        if backend == "sqlite" and mine and mine[-1]["orders"] >= 1_000_000:
            verdict = "met" if mine[-1]["reconcile_s"] < 60 else "NOT met"
            print(f"target 1M orders under 60 s on SQLite: {verdict} ({mine[-1]['reconcile_s']:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
