"""One full pass of the gateway (`ordergate run --once`, and each tick of the scheduler): receive
from every partner, process what was received (and anything a crash left behind), render the
outbox, upload what is ready. Each step is safe to repeat and safe to interrupt."""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from gateway.flow.context import Gateway
from gateway.flow.process import FileOutcome, process_pending
from gateway.flow.receive import MailboxBusy, ReceiveResult, receive_partner
from gateway.flow.render import RenderResult, render_pending
from gateway.flow.upload import UploadResult, upload_ready

log = logging.getLogger("ordergate.flow")


@dataclass
class PassResult:
    received: list[ReceiveResult] = field(default_factory=list)
    processed: list[FileOutcome] = field(default_factory=list)
    rendered: RenderResult = field(default_factory=RenderResult)
    uploaded: UploadResult = field(default_factory=UploadResult)
    errors: list[str] = field(default_factory=list)

    def add(self, other: "PassResult") -> None:
        """Take in what another process of the same pass did (flow/workers.py)."""
        self.received += other.received
        self.processed += other.processed
        self.rendered.rendered += other.rendered.rendered
        self.rendered.skipped += other.rendered.skipped
        self.rendered.failed += other.rendered.failed
        self.uploaded.sent += other.uploaded.sent
        self.uploaded.failed += other.uploaded.failed
        self.errors += other.errors

    def summary(self) -> dict[str, Any]:
        states: dict[str, int] = {}
        for outcome in self.processed:
            states[outcome.state.value] = states.get(outcome.state.value, 0) + 1
        return {"files_received": sum(len(r.received) for r in self.received),
                "duplicates_at_receive": sum(len(r.duplicates) for r in self.received),
                "files_processed": states,
                "orders_touched": sum(o.orders for o in self.processed),
                "documents_rendered": len(self.rendered.rendered),
                "documents_sent": len(self.uploaded.sent),
                "send_failures": len(self.uploaded.failed) + len(self.rendered.failed),
                "errors": self.errors}


def receive_all(gw: Gateway, result: PassResult, *, wait: bool = True,
                partner_ids: list[str] | None = None, block: bool = True) -> list[str]:
    """Poll every partner (or `partner_ids`); the ids of the mailboxes skipped because another
    process was polling them (only when not `block`)."""
    busy: list[str] = []
    for pid in partner_ids or sorted(gw.partners):
        partner = gw.partners[pid]
        try:
            result.received.append(receive_partner(gw, partner, wait=wait, block=block))
        except MailboxBusy:
            busy.append(pid)
        except Exception as exc:  # noqa: BLE001 - one partner's mailbox never stops the others
            result.errors.append(f"{pid}: {type(exc).__name__}: {exc}")
            log.warning("receive from %s failed: %s", pid, exc)
    return busy


def send_all(gw: Gateway, result: PassResult, *, order_ids: Any = None, file_ids: Any = None,
             limit: int = 200) -> None:
    """Render the outbox and upload what is ready (only what `order_ids` and `file_ids` produced,
    when given: a worker's own documents, see flow/workers.py)."""
    render_into(gw, result, order_ids=order_ids, limit=limit)
    filters = {} if order_ids is None and file_ids is None else dict(order_ids=order_ids,
                                                                      file_ids=file_ids)
    u = upload_ready(gw, limit=limit, **filters)
    result.uploaded.sent += u.sent
    result.uploaded.failed += u.failed


def render_into(gw: Gateway, result: PassResult, *, order_ids: Any = None, limit: int = 200
                ) -> None:
    """Render the outbox (only the rows of `order_ids`, when given) into `result`."""
    r = render_pending(gw, limit, order_ids=order_ids)
    result.rendered.rendered += r.rendered
    result.rendered.skipped += r.skipped
    result.rendered.failed += r.failed


# PostgreSQL, several processes: send once this many orders were touched since the last send
SEND_EVERY_ORDERS = 50


def run_once(gw: Gateway, *, wait: bool = True, rounds: int = 4, workers: int = 1) -> PassResult:
    """Receive, process, send; then repeat the process/send part while new work appears (an 855
    rendered this pass may already have been answered in a mailbox; a drop-ship 850 follows an
    order placed this pass), up to `rounds` times.

    On PostgreSQL several processes share the work, and the core serialises their order
    placements (stock rows are locked until a batch commits). So there a process renders and
    uploads as it goes (every SEND_EVERY_ORDERS orders) instead of after all files: while one
    process places orders, the other renders. A mailbox another process is polling is skipped at
    first (its files are processed as they are recorded) and polled again at the end.

    On SQLite `workers` > 1 processes the received files with that many processes (see
    gateway.flow.workers); the rounds that follow find them done and send what is left."""
    result = PassResult()
    interleave = not gw.is_sqlite
    busy = receive_all(gw, result, wait=wait, block=not interleave)
    if workers > 1:
        from gateway.flow.workers import process_in_parallel

        process_in_parallel(gw, result, workers)
    _rounds(gw, result, rounds, interleave)
    if busy:
        receive_all(gw, result, wait=wait, partner_ids=busy)
        _rounds(gw, result, rounds, interleave)
    return result


def _rounds(gw: Gateway, result: PassResult, rounds: int, interleave: bool) -> None:
    for _ in range(rounds):
        outcomes = _process(gw, result, interleave)
        before = len(result.rendered.rendered) + len(result.uploaded.sent)
        send_all(gw, result)
        if not outcomes and len(result.rendered.rendered) + len(result.uploaded.sent) == before:
            break


def _process(gw: Gateway, result: PassResult, interleave: bool) -> list[FileOutcome]:
    if not interleave:
        outcomes = process_pending(gw)
        result.processed += outcomes
        return outcomes
    outcomes, since_send, tried = [], 0, set()
    while True:
        step = process_pending(gw, limit=1, tried=tried)
        if not step:
            return outcomes
        outcomes += step
        result.processed += step
        since_send += sum(o.orders for o in step)
        if since_send >= SEND_EVERY_ORDERS:
            send_all(gw, result)
            since_send = 0
