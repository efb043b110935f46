"""Crash harness: kill -9 the gateway at random moments while it works through a batch of files,
restart it, repeat; then check that nothing was lost, duplicated or sent twice.

    python benchmarks/crash_harness.py --files 200 --kills 100      # the figure in the report
    python benchmarks/crash_harness.py --files 20 --kills 5         # quick, while developing

Each round starts `ordergate run --once` as its own process and SIGKILLs it after a random delay
(unless it finishes first). When a batch is done before the kills are used up, another batch is
dropped (`--no-refill` to stop instead), so every kill lands on real work. Every batch also holds
one file redelivered under a second name and one file under another partner's ISA ID.

Pass criteria (RELIABILITY.md): every received file has exactly one final record, no file is
lost, every PO has exactly one order, no document went out twice under different numbers.
Prints the figures; exit 1 when any of them is not zero.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

RETAILER = "demo-retailer"


def prepare_home(home: Path, database_url: str | None = None) -> None:
    from gateway.flow.context import Gateway
    from gateway.flow.samples import seed_world

    (home / "partners").mkdir(parents=True, exist_ok=True)
    for profile in (REPO / "partners").glob("demo-*.yaml"):
        shutil.copy(profile, home / "partners" / profile.name)
    if database_url:
        (home / "ordergate.yaml").write_text(f"database:\n  url: {database_url}\n")
    gw = Gateway.open(home)
    try:
        seed_world(gw.core)
    finally:
        gw.close()


def drop_batch(home: Path, batch: int, files: int, lines: int) -> dict[str, Any]:
    """`files` files of one 850 each, plus one redelivery and one forged file."""
    from gateway.flow.samples import STOCK_SKUS, Line, interchange_850s
    from gateway.partners import load_partners

    partners = load_partners(home)
    retailer, vendor = partners[RETAILER], partners["demo-vendor"]
    inbound = home / "mailboxes" / RETAILER / "inbound"
    inbound.mkdir(parents=True, exist_ok=True)
    pos, names = [], []
    first = None
    for n in range(files):
        po = f"CR{batch:03d}-{n:04d}"
        picked = [Line(STOCK_SKUS[(n + k) % len(STOCK_SKUS)], 1 + k) for k in range(lines)]
        data = interchange_850s(retailer, [(po, picked)], isa13=batch * 10_000 + n + 1)
        first = first or data
        name = f"{po}.edi"
        (inbound / f".{name}.part").write_bytes(data)
        (inbound / f".{name}.part").rename(inbound / name)
        pos.append(po)
        names.append(name)
    again = f"CR{batch:03d}-redelivered.edi"
    (inbound / again).write_bytes(first)
    forged = f"CR{batch:03d}-forged.edi"
    (inbound / forged).write_bytes(interchange_850s(
        retailer, [(f"FORGED{batch:03d}", [Line(STOCK_SKUS[0], 1)])],
        isa13=batch * 10_000 + 9_999, sender=vendor))
    return {"pos": pos, "names": names + [again, forged], "redelivered": again, "forged": forged}


def gateway_command(home: Path) -> list[str]:
    return [sys.executable, "-m", "gateway.cli.main", "run", "--once", "--home", str(home)]


def work_left(home: Path) -> bool:
    """Files still in the mailbox, files not yet final, or documents not yet sent."""
    inbound = home / "mailboxes" / RETAILER / "inbound"
    if any(not p.name.startswith(".") for p in inbound.iterdir()):
        return True
    from sqlalchemy import func, select

    import gateway.store.tables  # noqa: F401
    from core.adapters.engine import create_engine_for
    from core.adapters.tables import outbox
    from core.config import Home
    from gateway.store.tables import gateway_documents, gateway_files

    engine = create_engine_for(Home(home).database_url)
    try:
        with engine.connect() as conn:
            open_files = conn.execute(select(func.count()).select_from(gateway_files).where(
                gateway_files.c.state.in_(["received", "checked"]))).scalar()
            unsent = conn.execute(select(func.count()).select_from(gateway_documents).where(
                gateway_documents.c.status == "ready")).scalar()
            pending = conn.execute(select(func.count()).select_from(outbox).where(
                outbox.c.status == "pending")).scalar()
    finally:
        engine.dispose()
    return bool(open_files or unsent or pending)


def verify(home: Path, batches: list[dict[str, Any]]) -> dict[str, Any]:
    from sqlalchemy import func, select

    import gateway.store.tables  # noqa: F401
    from core.adapters.engine import create_engine_for
    from core.adapters.tables import orders
    from core.config import Home
    from gateway.store.archive import Archive, ArchiveError
    from gateway.store.states import FINAL_FILE_STATES
    from gateway.store.tables import gateway_documents, gateway_files
    from gateway.x12 import iter_transactions

    engine = create_engine_for(Home(home).database_url)
    with engine.connect() as conn:
        file_rows = conn.execute(select(gateway_files.c.remote_name, gateway_files.c.state)).all()
        order_counts = dict(conn.execute(select(orders.c.po_number, func.count())
                                         .group_by(orders.c.order_key, orders.c.po_number)).all())
        named = set(conn.execute(select(gateway_files.c.sha256)).scalars())
        named |= set(conn.execute(select(gateway_documents.c.sha256)).scalars())
    engine.dispose()
    archive = Archive.for_home(home)
    unreadable = 0
    for digest in sorted(d for d in named if d):     # archive before record: every row has bytes
        try:
            archive.get(digest)
        except ArchiveError:
            unreadable += 1
    records = Counter(name for name, _ in file_rows)
    states = Counter(state for _, state in file_rows)
    final = {s.value for s in FINAL_FILE_STATES}
    dropped = [name for b in batches for name in b["names"]]
    pos = [po for b in batches for po in b["pos"]]
    outbound = home / "mailboxes" / RETAILER / "outbound"
    acks_855: dict[str, set[str]] = {}
    acks_997: dict[str, set[str]] = {}
    temp_left = 0
    for path in outbound.iterdir() if outbound.is_dir() else []:
        if path.name.startswith("."):
            temp_left += 1
            continue
        for tx in iter_transactions(path.read_bytes()):
            isa13 = tx.interchange.control_number
            if tx.set_id == "855":
                po = next(s[3] for s in tx.segments if s.id == "BAK")
                acks_855.setdefault(po, set()).add(isa13)
            elif tx.set_id == "997":
                gs = next(s[2] for s in tx.segments if s.id == "AK1")
                acks_997.setdefault(gs, set()).add(isa13)
    forged = [b["forged"] for b in batches]
    return {
        "files_dropped": len(dropped),
        "files_lost": sum(1 for name in dropped if records[name] == 0),
        "files_with_two_records": sum(1 for name in dropped if records[name] > 1),
        "files_not_final": sum(n for s, n in states.items() if s not in final),
        "file_states": dict(states),
        "forged_not_refused": sum(1 for name in forged
                                  if (name, "refused") not in set(file_rows)),
        "orders_missing": sum(1 for po in pos if order_counts.get(po, 0) == 0),
        "orders_duplicated": sum(1 for po in pos if order_counts.get(po, 0) > 1),
        "forged_orders": sum(1 for po in order_counts if po.startswith("FORGED")),
        "documents_sent_twice": (sum(1 for v in acks_855.values() if len(v) > 1)
                                 + sum(1 for v in acks_997.values() if len(v) > 1)),
        "855_files": sum(len(v) for v in acks_855.values()),
        "997_files": sum(len(v) for v in acks_997.values()),
        "pos_without_855": sum(1 for po in pos if po not in acks_855),
        "temporary_files_left_in_outbound": temp_left,
        "archived_bytes_unreadable": unreadable,
    }


MUST_BE_ZERO = ("files_lost", "files_with_two_records", "files_not_final", "forged_not_refused",
                "orders_missing", "orders_duplicated", "forged_orders", "documents_sent_twice",
                "pos_without_855", "temporary_files_left_in_outbound", "archived_bytes_unreadable")


def run_harness(*, files: int, kills: int, lines: int, seed: int, min_delay: float,
                max_delay: float, refill: bool, workdir: Path, database_url: str | None = None,
                log=print) -> dict[str, Any]:
    rng = random.Random(seed)
    home = workdir / "home"
    prepare_home(home, database_url)
    env = dict(os.environ, PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    # calibrate: an idle pass gives the start-up time, so kills land during start-up and work alike
    t0 = time.perf_counter()
    subprocess.run(gateway_command(home), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   env=env, check=False)
    startup = time.perf_counter() - t0
    low, high = min_delay + 0.5 * startup, max_delay + startup
    log(f"  start-up {startup:.1f}s: kills after {low:.1f}..{high:.1f}s")
    batches = [drop_batch(home, 1, files, lines)]
    killed = finished = 0
    started = time.perf_counter()
    with open(workdir / "gateway.log", "ab") as gateway_log:
        for round_no in range(1, kills + 1):
            if refill and not work_left(home):
                batches.append(drop_batch(home, len(batches) + 1, files, lines))
            proc = subprocess.Popen(gateway_command(home), stdout=subprocess.DEVNULL,
                                    stderr=gateway_log, env=env)
            try:
                proc.wait(timeout=rng.uniform(low, high))
                finished += 1
            except subprocess.TimeoutExpired:
                proc.kill()             # SIGKILL: no cleanup, no flush, no goodbye
                proc.wait()
                killed += 1
            if round_no % 10 == 0:
                log(f"  round {round_no}/{kills}: {killed} killed, {finished} finished, "
                    f"{len(batches)} batch(es)")
        for _ in range(3):              # let it finish, undisturbed
            subprocess.run(gateway_command(home), stdout=subprocess.DEVNULL, stderr=gateway_log,
                           env=env, check=False)
    figures = verify(home, batches)
    figures.update(startup_seconds=round(startup, 1), kills=killed, rounds_finished_before_kill=finished, batches=len(batches),
                   seconds=round(time.perf_counter() - started, 1))
    figures["passed"] = all(figures[key] == 0 for key in MUST_BE_ZERO)
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=200, help="850 files per batch")
    parser.add_argument("--kills", type=int, default=100, help="rounds (each killed unless done)")
    parser.add_argument("--lines", type=int, default=3, help="lines per order")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--min-delay", type=float, default=0.0,
                        help="seconds before a kill, min, added to half the start-up time")
    parser.add_argument("--max-delay", type=float, default=4.0,
                        help="seconds before a kill, max, added to the start-up time")
    parser.add_argument("--no-refill", action="store_true", help="one batch only")
    parser.add_argument("--database-url", help="run against this database instead of SQLite")
    parser.add_argument("--keep", action="store_true", help="keep the work directory")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="ordergate-crash-"))
    print(f"crash harness: {args.files} files a batch, {args.kills} rounds, work dir {workdir}",
          file=sys.stderr)
    try:
        figures = run_harness(files=args.files, kills=args.kills, lines=args.lines, seed=args.seed,
                              min_delay=args.min_delay, max_delay=args.max_delay,
                              refill=not args.no_refill, workdir=workdir,
                              database_url=args.database_url,
                              log=lambda m: print(m, file=sys.stderr))
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        for key, value in figures.items():
            print(f"{key:34} {value}")
    return 0 if figures["passed"] else 1


if __name__ == "__main__":
    sys.exit(main())
