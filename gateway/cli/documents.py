"""`ordergate documents list|show|retry|resend|files`: the trace of every document in and out.

- `list [--json]`: newest first, filterable by partner, direction, status, type.
- `show ID`: the whole trace: file and its evidence, interchange, the other sets of the file, the
  order (with its status from the core) and every document about it, acks both ways, errors.
- `retry ID`: process the document's stored file again from the archive (idempotent: no second
  order), or re-queue a document we failed to send.
- `resend ID`: upload one of our documents again: the same bytes under the same control numbers.
"""
from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

import click

from gateway.cli.common import (EXIT_OK, EXIT_REFUSED, CliError, console, home_option,
                                print_json, print_table, resolve_home)


def _engine(home: Path) -> Any:
    from core.adapters.engine import create_engine_for
    from core.config import Home

    import gateway.store.tables  # noqa: F401
    return create_engine_for(Home(home).database_url)


@contextmanager
def _reading(home: Path) -> Iterator[Any]:
    """A connection to the home's database; a database without our tables is a clear error."""
    from sqlalchemy.exc import OperationalError, ProgrammingError

    engine = _engine(home)
    try:
        with engine.connect() as conn:
            yield conn
    except (OperationalError, ProgrammingError) as exc:
        raise CliError(f"cannot read the gateway's records in {home}: {exc.orig}",
                       hint=f"initialise the home first: `ordergate init {home}` (or run "
                       "`ordergate run --once`, which creates the tables)") from None
    finally:
        engine.dispose()


def _missing(doc_id: int) -> CliError:
    return CliError(f"no document with id {doc_id}",
                    hint="see `ordergate documents list` for the ids")


@click.group()
def documents() -> None:
    """Documents in and out: list them, show a trace, retry or resend."""


@documents.command("list")
@home_option
@click.option("--partner", help="Only this partner id.")
@click.option("--direction", type=click.Choice(["in", "out"]), help="Only inbound or outbound.")
@click.option("--status", help="Only this status or ack status (e.g. failed, pending).")
@click.option("--type", "doc_type", help="Only this document type (850, 997, ...).")
@click.option("--limit", default=100, show_default=True, help="How many, newest first.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def list_cmd(home: Path, partner: str | None, direction: str | None, status: str | None,
             doc_type: str | None, limit: int, as_json: bool) -> int:
    """List documents, newest first."""
    from gateway.store.trace import list_documents

    with _reading(resolve_home(home)) as conn:
        rows = list_documents(conn, partner=partner, direction=direction, status=status,
                              doc_type=doc_type, limit=limit)
    if as_json:
        print_json(rows)
        return EXIT_OK
    print_table("Documents", ["id", "dir", "type", "partner", "ISA13", "ST02", "reference", "order",
                              "status", "ack", "file"],
                [(r["id"], r["direction"], r["doc_type"], r["partner_id"], r["isa13"], r["st02"],
                  r["reference"], r["order_id"], r["status"], r["ack_status"], r["filename"])
                 for r in rows])
    return EXIT_OK


@documents.command("files")
@home_option
@click.option("--state", help="Only files in this state (received, applied, quarantined, ...).")
@click.option("--limit", default=100, show_default=True)
@click.option("--json", "as_json", is_flag=True)
def files_cmd(home: Path, state: str | None, limit: int, as_json: bool) -> int:
    """List received files with their state and reason."""
    from gateway.store.trace import list_files

    with _reading(resolve_home(home)) as conn:
        rows = list_files(conn, state=state, limit=limit)
    if as_json:
        print_json(rows)
        return EXIT_OK
    print_table("Received files", ["id", "partner", "name", "size", "sha256", "state", "reason"],
                [(r["id"], r["partner_id"], r["remote_name"], r["size"], r["sha256"][:12],
                  r["state"], r["reason"]) for r in rows])
    return EXIT_OK


@documents.command("show")
@home_option
@click.argument("doc_id", type=int)
@click.option("--json", "as_json", is_flag=True)
def show_cmd(home: Path, doc_id: int, as_json: bool) -> int:
    """The whole trace of one document."""
    from gateway.store.trace import document_trace

    home = resolve_home(home)
    with _reading(home) as conn:
        trace = document_trace(conn, doc_id)
    if trace is None:
        raise _missing(doc_id)
    order_id = trace["document"].get("order_id")
    if order_id is not None:
        trace["order"] = _order_summary(home, order_id)
    if as_json:
        print_json(trace)
        return EXIT_OK
    doc = trace["document"]
    print_table(f"Document {doc_id}", ["field", "value"],
                [(k, v) for k, v in doc.items() if v not in (None, "")])
    if trace.get("file"):
        f = trace["file"]
        print_table("Received file", ["field", "value"],
                    [(k, f[k]) for k in ("id", "partner_id", "remote_name", "size", "sha256",
                                         "received_at", "state", "reason", "transport", "evidence")])
    if trace.get("interchange"):
        print_table("Interchange", ["field", "value"], list(trace["interchange"].items()))
    for key, title in (("sets_in_file", "Sets in the file"), ("acks_sent", "Acknowledgements sent"),
                       ("order_documents", "Every document of the order"), ("errors", "Errors")):
        rows = trace.get(key) or []
        if rows:
            print_table(title, list(rows[0].keys()), [list(r.values()) for r in rows])
    if trace.get("acknowledged_by"):
        print_table("Acknowledged by", ["field", "value"], list(trace["acknowledged_by"].items()))
    if trace.get("order"):
        print_table("Order", ["field", "value"], list(trace["order"].items()))
    return EXIT_OK


def _order_summary(home: Path, order_id: int) -> dict[str, Any] | None:
    from sqlalchemy import select

    from core.adapters.tables import orders

    engine = _engine(home)
    try:
        with engine.connect() as conn:
            row = conn.execute(select(orders.c.id, orders.c.po_number, orders.c.partner_id,
                                      orders.c.status, orders.c.updated_at)
                               .where(orders.c.id == order_id)).mappings().first()
    finally:
        engine.dispose()
    return dict(row) if row else None


@documents.command("retry")
@home_option
@click.argument("doc_id", type=int)
@click.option("--file", "is_file", is_flag=True, help="ID is a received file id, not a document id.")
def retry_cmd(home: Path, doc_id: int, is_file: bool) -> int:
    """Process a document's file again from the archive, or re-queue a failed send."""
    from gateway.cli.run import open_gateway, setup_logging
    from gateway.flow.retry import RetryError, retry

    setup_logging(False)
    with open_gateway(resolve_home(home)) as gw:
        try:
            outcome = retry(gw, doc_id, is_file=is_file)
        except RetryError as exc:
            raise CliError(str(exc), hint=exc.hint) from None
    console.print(outcome.message)
    return EXIT_OK if outcome.ok else EXIT_REFUSED


@documents.command("resend")
@home_option
@click.argument("doc_id", type=int)
def resend_cmd(home: Path, doc_id: int) -> int:
    """Upload one of our documents again: the same bytes, the same control numbers."""
    from gateway.cli.run import open_gateway, setup_logging
    from gateway.flow.retry import RetryError, resend

    setup_logging(False)
    with open_gateway(resolve_home(home)) as gw:
        try:
            outcome = resend(gw, doc_id)
        except RetryError as exc:
            raise CliError(str(exc), hint=exc.hint) from None
    console.print(outcome.message)
    return EXIT_OK if outcome.ok else EXIT_REFUSED
