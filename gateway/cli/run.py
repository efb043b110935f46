"""`ordergate run`: the gateway. `--once` does one full pass and exits; without it the scheduler
polls every partner on its own interval, sends the outbox, reconciles and prunes the archive until
SIGTERM or Ctrl-C, then stops cleanly (the running job finishes, nothing is cut in half).

On SQLite one process runs: a second one says so and exits with code 1. On PostgreSQL several run
side by side.
"""
from __future__ import annotations

import gc
import logging
import signal
import sys
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

import click

from gateway.cli.common import (EXIT_OK, EXIT_REFUSED, EXIT_USAGE, CliError, home_option,
                                print_json, print_table, resolve_home)


def setup_logging(verbose: bool) -> None:
    logging.basicConfig(level=logging.DEBUG if verbose else logging.INFO, stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s %(message)s")
    for noisy in ("apscheduler", "paramiko", "alembic"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def lock_path(database_url: str, home: Path) -> Path | None:
    """The lock file for a SQLite database (None for a server database)."""
    from gateway.store.lock import beside_database

    return beside_database(database_url, home, "gateway")


@contextmanager
def open_gateway(home: Path, *, single: bool = True) -> Iterator[Any]:
    """The Gateway context for `home`, holding the SQLite process lock when `single`."""
    from core.config import Home, HomeError
    from gateway.flow.context import Gateway
    from gateway.store.lock import AlreadyRunning, ProcessLock

    try:
        url = Home(home).database_url
    except HomeError as exc:
        raise CliError(str(exc), hint="fix the settings file or run `ordergate init`",
                       exit_code=EXIT_USAGE) from None
    lock = None
    where = lock_path(url, home)
    if single and where is not None:
        try:
            lock = ProcessLock(where).acquire()
        except AlreadyRunning as exc:
            raise CliError(str(exc), hint="stop the other `ordergate run` first, or use PostgreSQL "
                           "(database.url) to run several processes side by side",
                           exit_code=EXIT_REFUSED) from None
    try:
        try:
            gw = Gateway.open(home)
        except CliError:
            raise
        except Exception as exc:  # noqa: BLE001 - partner files, database: shown, not traced
            raise CliError(f"cannot start the gateway: {type(exc).__name__}: {exc}",
                           hint="check `ordergate partner check` and the database settings in "
                           f"{home / 'ordergate.yaml'}") from None
        settle_gc()
        try:
            yield gw
        finally:
            gw.close()
    finally:
        if lock is not None:
            lock.release()


def settle_gc() -> None:
    """Garbage collection for a gateway process. A pass allocates millions of short-lived
    containers (rows, canonical documents, segments) but makes few cycles, and with Python's
    defaults (a collection every 700 allocations, a full one as the heap grows) a 10,000-order
    pass spent ~1.1 s of each process's ~9 s of CPU collecting, 13 full collections included, to
    free ~17,000 cycles. So: what start-up built (modules, table metadata, models, profiles) is
    moved out of the collector's sight (`gc.freeze`), and the youngest generation is collected
    only once 500,000 containers more are alive than at the last collection.

    The batches (checking a file, placing its orders, rendering) pause the collector while they
    run (core.services.gc_pause); what matters is the collection that follows a batch, which
    scans everything the batch made that is still alive. The garbage a pass really leaves is ~4
    objects an order (an X12 set's report linked to its group's, SQLAlchemy statements), so at
    50,000 a worker still collected after about one file in three, ~15 ms each: ~0.25 s of its
    ~8 s of CPU in a 10,000-order pass, for ~9,000 objects freed. At 500,000 it does not
    collect within that pass, and its peak RSS was the same (127 against 125 MB); a long-running
    process still collects, every ~100,000 orders. Workers forked later inherit all this."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(500_000, 20, 100)


def print_pass(result: Any) -> None:
    summary = result.summary()
    rows = [("files received", summary["files_received"]),
            ("redelivered (same bytes)", summary["duplicates_at_receive"])]
    rows += [(f"files {state}", count) for state, count in sorted(summary["files_processed"].items())]
    rows += [("orders touched", summary["orders_touched"]),
             ("documents rendered", summary["documents_rendered"]),
             ("documents sent", summary["documents_sent"]),
             ("send failures (will retry)", summary["send_failures"])]
    print_table("One pass", ["step", "count"], rows)
    for error in summary["errors"]:
        click.echo(f"warning: {error}", err=True)


@click.command()
@home_option
@click.option("--once", is_flag=True, help="Do one full pass (receive, process, send) and exit.")
@click.option("--json", "as_json", is_flag=True, help="With --once: print the pass summary as JSON.")
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="With --once on SQLite: processes that share the pass's files (default: 2 on a "
              "machine with 2 or more cores, else 1). PostgreSQL runs several `run` processes "
              "instead.")
@click.option("--verbose", "-v", is_flag=True, help="Debug logging.")
def run(home: Path, once: bool, as_json: bool, verbose: bool, workers: int | None) -> int:
    """Run the gateway: poll partners, process files, send documents (Ctrl-C or SIGTERM stops)."""
    home = resolve_home(home)
    setup_logging(verbose)
    with open_gateway(home) as gw:
        if not gw.partners:
            click.echo(f"warning: no partner profiles in {home / 'partners'}: nothing to poll "
                       f"(add one, or run `ordergate init {home}` for the demo partners)", err=True)
        if once:
            from gateway.flow.passes import run_once
            from gateway.flow.workers import default_workers

            result = run_once(gw, workers=workers or default_workers())
            if as_json:
                print_json(result.summary())
            else:
                print_pass(result)
            bad = {"quarantined", "refused"} & set(result.summary()["files_processed"])
            return EXIT_REFUSED if bad else EXIT_OK
        return _serve(gw)


def _serve(gw: Any) -> int:
    from gateway.jobs.scheduler import build_scheduler

    stop = threading.Event()

    def on_signal(signum: int, _frame: Any) -> None:
        logging.getLogger("ordergate.jobs").info("signal %s: stopping after the running job", signum)
        stop.set()

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGTERM, signal.SIGINT)}
    scheduler = build_scheduler(gw)
    scheduler.start()
    logging.getLogger("ordergate.jobs").info(
        "gateway running: %d partner(s), jobs %s", len(gw.partners),
        ", ".join(job.id for job in scheduler.get_jobs()))
    try:
        while not stop.wait(1.0):
            pass
    finally:
        scheduler.shutdown(wait=True)
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    logging.getLogger("ordergate.jobs").info("gateway stopped cleanly")
    return EXIT_OK
