"""One full pass of the gateway (`ordergate run --once`, and each tick of the scheduler): receive
from every partner, process what was received (and anything a crash left behind), render the
outbox, upload what is ready. Each step is safe to repeat and safe to interrupt."""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from gateway.flow.context import Gateway
from gateway.flow.process import FileOutcome, process_pending
from gateway.flow.receive import ReceiveResult, receive_partner
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
                partner_ids: list[str] | None = None) -> None:
    for pid in partner_ids or sorted(gw.partners):
        partner = gw.partners[pid]
        try:
            result.received.append(receive_partner(gw, partner, wait=wait))
        except Exception as exc:  # noqa: BLE001 - one partner's mailbox never stops the others
            result.errors.append(f"{pid}: {type(exc).__name__}: {exc}")
            log.warning("receive from %s failed: %s", pid, exc)


def send_all(gw: Gateway, result: PassResult) -> None:
    r = render_pending(gw)
    result.rendered.rendered += r.rendered
    result.rendered.skipped += r.skipped
    result.rendered.failed += r.failed
    u = upload_ready(gw)
    result.uploaded.sent += u.sent
    result.uploaded.failed += u.failed


def run_once(gw: Gateway, *, wait: bool = True, rounds: int = 4) -> PassResult:
    """Receive, process, send; then repeat the process/send part while new work appears (an 855
    rendered this pass may already have been answered in a mailbox; a drop-ship 850 follows an
    order placed this pass), up to `rounds` times."""
    result = PassResult()
    receive_all(gw, result, wait=wait)
    for _ in range(rounds):
        outcomes = process_pending(gw)
        result.processed += outcomes
        before = len(result.rendered.rendered) + len(result.uploaded.sent)
        send_all(gw, result)
        if not outcomes and len(result.rendered.rendered) + len(result.uploaded.sent) == before:
            break
    return result
