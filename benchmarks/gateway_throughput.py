"""Gateway throughput: N 850s of L lines in F files through `ordergate run --once`, measured from
the files in the mailbox to every order committed with its 997 and 855 written to the retailer's
outbound folder.

    python benchmarks/gateway_throughput.py                         # 10,000 x 20 lines, 100 files
    python benchmarks/gateway_throughput.py --orders 500 --files 10 --backends sqlite   # quick

Backends: `sqlite` (the embedded default, local-folder transport, `run --once` as it comes: its
default `--workers`, 2 on a machine with 2 or more cores), `sqlite1` (the same with
`--workers 1`: one process), `pg1` and `pg2` (one and two `run --once` processes side by side on
one PostgreSQL; the script starts its own throwaway cluster with initdb/pg_ctl and removes it).
The `workers` column says how many processes each `run` used. Prints orders/s per backend and the pg2/pg1 ratio,
and the CPU seconds of the measured processes (not counting the PostgreSQL server).
Targets: >= 1,000 orders/s on SQLite; >= 1.7x with two processes on PostgreSQL.

`--workdir DIR` chooses where the throwaway homes go (default: tempfile's default, so TMPDIR
works too); the folder used is printed. It matters: on the machines we measure on, creating a file
under /tmp cost ~270 us against ~19 us under /var/tmp, /work or /root on the same ext4 disk
(os.open with O_CREAT, 2026-12-03), and a run creates a few files per order (archive blobs,
outbound documents), so a /tmp work folder measures /tmp as much as the gateway.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.crash_harness import RETAILER, prepare_home  # noqa: E402


def make_files(home: Path, orders: int, files: int, lines: int) -> int:
    from gateway.flow.samples import STOCK_SKUS, Line, interchange_850s
    from gateway.partners import load_partners

    retailer = load_partners(home)[RETAILER]
    inbound = home / "mailboxes" / RETAILER / "inbound"
    inbound.mkdir(parents=True, exist_ok=True)
    per_file = max(1, orders // files)
    made = 0
    for f in range(files):
        batch = []
        for n in range(per_file):
            po = f"TP{f:04d}-{n:05d}"
            batch.append((po, [Line(STOCK_SKUS[(n + k) % len(STOCK_SKUS)], 1 + k % 3)
                               for k in range(lines)]))
        data = interchange_850s(retailer, batch, isa13=f + 1)
        (inbound / f"tp-{f:04d}.edi").write_bytes(data)
        made += len(batch)
    return made


def count_results(home: Path) -> dict[str, int]:
    from sqlalchemy import func, select

    import gateway.store.tables  # noqa: F401
    from core.adapters.engine import create_engine_for
    from core.adapters.tables import orders
    from core.config import Home

    engine = create_engine_for(Home(home).database_url)
    with engine.connect() as conn:
        n_orders = conn.execute(select(func.count()).select_from(orders)).scalar()
    engine.dispose()
    out = home / "mailboxes" / RETAILER / "outbound"
    names = [p.name for p in out.iterdir()] if out.is_dir() else []
    return {"orders": n_orders, "files_997": sum("_997_" in n for n in names),
            "files_855": sum("_855_" in n for n in names)}


def run_env(root: Path) -> dict[str, str]:
    """The environment of the measured processes: bytecode cached under `root` (as an installed
    package has it), so each process does not compile the project's sources again. Where
    PYTHONDONTWRITEBYTECODE is set (as on the CI machines) that was ~0.6 s of CPU per process."""
    env = dict(os.environ, PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""),
               PYTHONPYCACHEPREFIX=str(root / "pycache"))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def warm_up(root: Path, lines: int) -> None:
    """Fill the bytecode cache before anything is timed: the project compiled, then one small
    untimed `run --once` (every module a run imports, libraries included: with a cache prefix
    Python keeps all bytecode there) and the PostgreSQL driver's modules."""
    env = run_env(root)
    quiet = dict(env=env, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(REPO / "gateway"),
                    str(REPO / "core")], **quiet)
    home = root / "warm-up"
    prepare_home(home, None)
    make_files(home, 4, 1, lines)
    subprocess.run([sys.executable, "-m", "gateway.cli.main", "run", "--once", "--home", str(home)],
                   **quiet)
    subprocess.run([sys.executable, "-c", "import psycopg, sqlalchemy.dialects.postgresql.psycopg"],
                   **quiet)
    shutil.rmtree(home, ignore_errors=True)


def timed_run(home: Path, processes: int, workers: int | None = None) -> tuple[float, float]:
    """Wall seconds, and CPU seconds (user + system) of the measured processes (their workers
    included): on a machine shared with other work the CPU figure moves much less than the wall
    clock."""
    env = run_env(home.parent)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    cmd = [sys.executable, "-m", "gateway.cli.main", "run", "--once", "--home", str(home)]
    if workers is not None:
        cmd += ["--workers", str(workers)]
    log = open(home / "run.log", "ab")
    started = time.perf_counter()
    procs = [subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=log, env=env)
             for _ in range(processes)]
    for proc in procs:
        proc.wait()
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    log.close()
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return elapsed, cpu


# ------------------------------------------------------------------ a throwaway PostgreSQL cluster
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_postgres(root: Path) -> tuple[str, Callable[[], None]]:
    """initdb + pg_ctl start on 127.0.0.1 (as user postgres when run as root); returns the URL and
    a stop function. fsync=off: the benchmark measures our work, not the disk."""
    if shutil.which("initdb") is None or shutil.which("pg_ctl") is None:
        raise RuntimeError("initdb/pg_ctl not on PATH (install postgresql)")
    data, sock = root / "pgdata", root / "pgsock"
    sock.mkdir(parents=True)
    as_user: list[str] = []
    if os.geteuid() == 0:
        as_user = ["runuser", "-u", "postgres", "--"]
        for folder in (root.parent, root):     # mkdtemp makes 0700 folders: let postgres through
            folder.chmod(folder.stat().st_mode | 0o711)
        shutil.chown(root, "postgres")
        shutil.chown(sock, "postgres")
    port = _free_port()
    run = lambda *cmd: subprocess.run([*as_user, *cmd], check=True, stdout=subprocess.DEVNULL,  # noqa: E731
                                      stderr=subprocess.DEVNULL)
    run("initdb", "-D", str(data), "-U", "postgres", "-A", "trust")
    run("pg_ctl", "-D", str(data), "-w", "-l", str(root / "pg.log"), "-o",
        f"-c listen_addresses=127.0.0.1 -p {port} -k {sock} -c fsync=off "
        "-c synchronous_commit=off -c max_connections=100", "start")
    run("createdb", "-w", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "ordergate")

    def stop() -> None:
        subprocess.run([*as_user, "pg_ctl", "-D", str(data), "-m", "fast", "-w", "stop"],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)

    return f"postgresql://postgres@127.0.0.1:{port}/ordergate", stop


def reset_postgres(url: str) -> None:
    from sqlalchemy import text

    from core.adapters.engine import create_engine_for

    engine = create_engine_for(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    engine.dispose()


def measure(name: str, root: Path, orders: int, files: int, lines: int, processes: int,
            database_url: str | None, workers: int | None = None) -> dict[str, Any]:
    from gateway.flow.workers import default_workers

    home = root / name
    if database_url:
        reset_postgres(database_url)
    prepare_home(home, database_url)
    made = make_files(home, orders, files, lines)
    elapsed, cpu = timed_run(home, processes, workers)
    counts = count_results(home)
    used = 1 if database_url else (workers or default_workers())
    return {"backend": name, "processes": processes, "workers": used, "orders_in_files": made,
            **counts,
            "seconds": round(elapsed, 2), "orders_per_second": round(counts["orders"] / elapsed, 1),
            "cpu_seconds": round(cpu, 2),
            "cpu_ms_per_order": round(1000 * cpu / counts["orders"], 2) if counts["orders"] else None,
            "complete": counts["orders"] == made and counts["files_855"] >= 1}


BACKENDS = ("sqlite", "sqlite1", "pg1", "pg2")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orders", type=int, default=10_000)
    parser.add_argument("--files", type=int, default=100)
    parser.add_argument("--lines", type=int, default=20)
    parser.add_argument("--backends", default="sqlite,pg1,pg2",
                        help="comma list of sqlite, sqlite1, pg1, pg2")
    parser.add_argument("--workdir", default=None,
                        help="folder for the throwaway homes (default: tempfile's, e.g. TMPDIR)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    backends = [b.strip() for b in args.backends.split(",") if b.strip()]
    unknown = sorted(set(backends) - set(BACKENDS))
    if unknown or not backends:
        parser.error(f"unknown backend(s) {', '.join(unknown) or '(none given)'}: "
                     f"choose from {', '.join(BACKENDS)}")
    if args.workdir:
        Path(args.workdir).mkdir(parents=True, exist_ok=True)
    root = Path(tempfile.mkdtemp(prefix="ordergate-bench-", dir=args.workdir))
    results: list[dict[str, Any]] = []
    stop = None
    try:
        warm_up(root, args.lines)
        for name, workers in (("sqlite", None), ("sqlite1", 1)):
            if name in backends:
                results.append(measure(name, root, args.orders, args.files, args.lines, 1, None,
                                       workers))
        if {"pg1", "pg2"} & set(backends):
            url, stop = start_postgres(root / "pg")
            for name, procs in (("pg1", 1), ("pg2", 2)):
                if name in backends:
                    results.append(measure(name, root, args.orders, args.files, args.lines, procs, url))
    finally:
        if stop is not None:
            stop()
        shutil.rmtree(root, ignore_errors=True)
    by = {r["backend"]: r for r in results}
    ratio = (round(by["pg2"]["orders_per_second"] / by["pg1"]["orders_per_second"], 2)
             if "pg1" in by and "pg2" in by and by["pg1"]["orders_per_second"] else None)
    if args.json:
        print(json.dumps({"results": results, "pg2_over_pg1": ratio, "workdir": str(root.parent)},
                         indent=2))
        return 0
    print(f"{args.orders} orders x {args.lines} lines in {args.files} files, "
          f"work folder {root.parent}")
    print(f"{'backend':8} {'procs':>5} {'workers':>7} {'orders':>7} {'997':>5} {'855':>6} {'seconds':>8} "
          f"{'orders/s':>9} {'cpu s':>7} {'cpu ms/order':>12}")
    for r in results:
        print(f"{r['backend']:8} {r['processes']:>5} {r['workers']:>7} {r['orders']:>7} {r['files_997']:>5} "
              f"{r['files_855']:>6} {r['seconds']:>8} {r['orders_per_second']:>9} "
              f"{r['cpu_seconds']:>7} {r['cpu_ms_per_order']!s:>12}"
              + ("" if r["complete"] else "  INCOMPLETE"))
    if ratio is not None:
        print(f"pg2 / pg1 = {ratio}x (target >= 1.7x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
