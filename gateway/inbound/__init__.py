"""Inbound: a canonical document received from a partner -> a core command, handled.

``apply(doc, partner, core, source=None) -> ApplyResult``. Which command depends on the document
and on the partner's role: an 850 from a customer places an order; an 855/856/810 from a vendor
records its acknowledgement, shipment or invoice against our PO. A 997/999 is not a core matter:
the gateway flow marks its sent documents from ``ApplyResult.functional_ack``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from gateway.canonical import (
    CanonicalDocument, FunctionalAck, Invoice, OrderAck, PurchaseOrder, ShipNotice,
)
from gateway.partners.errors import PartnerError
from gateway.partners.profile import Direction, PartnerProfile, Role

DOC_TYPES = {PurchaseOrder: "850", OrderAck: "855", ShipNotice: "856", Invoice: "810",
             FunctionalAck: "997"}
CUSTOMER_SENDS = {"850"}
VENDOR_SENDS = {"855", "856", "810"}


@dataclass(frozen=True)
class ApplyResult:
    document_type: str
    command: Any = None
    outcome: Any = None
    functional_ack: FunctionalAck | None = None

    @property
    def order_id(self) -> int | None:
        return getattr(self.outcome, "order_id", None)


def command_for(doc: CanonicalDocument, partner: PartnerProfile, source: str | None = None
                ) -> Any:
    """The core command for ``doc`` from ``partner`` (None for functional acks)."""
    from gateway.inbound import commands as build

    doc_type = DOC_TYPES[type(doc)]
    if isinstance(doc, FunctionalAck):
        return None
    if doc_type in CUSTOMER_SENDS and partner.role == Role.VENDOR or \
            doc_type in VENDOR_SENDS and partner.role == Role.CUSTOMER:
        raise PartnerError(
            f"partner {partner.id} is a {partner.role.value}; it does not send {doc_type}",
            key_path="role", expected="customer (850 in) or vendor (855/856/810 in)")
    vendor = partner.id
    if isinstance(doc, PurchaseOrder):
        return build.place_order(doc, partner.id, source)
    if isinstance(doc, OrderAck):
        return build.vendor_ack(doc, vendor, source)
    if isinstance(doc, ShipNotice):
        return build.vendor_shipment(doc, vendor, source)
    return build.vendor_invoice(doc, vendor, source)


def apply(doc: CanonicalDocument, partner: PartnerProfile, core: Any, *,
          source: str | None = None, actor: str | None = None) -> ApplyResult:
    """Run the command for ``doc`` on ``core``; DomainError from the core propagates."""
    doc_type = DOC_TYPES[type(doc)]
    command = _checked_command(doc, partner, source)
    if command is None:
        return ApplyResult(doc_type, functional_ack=doc)  # type: ignore[arg-type]
    outcome = core.handle(command, actor=actor or f"partner:{partner.id}")
    return ApplyResult(doc_type, command=command, outcome=outcome)


def _checked_command(doc: CanonicalDocument, partner: PartnerProfile, source: str | None) -> Any:
    doc_type = DOC_TYPES[type(doc)]
    if partner.documents and doc_type != "997" and \
            partner.document(doc_type, Direction.IN) is None:
        raise PartnerError(f"partner {partner.id} is not set up to send {doc_type}",
                           key_path="documents",
                           expected=f"an entry {{type: '{doc_type}', direction: in}}")
    return command_for(doc, partner, source)


def apply_many(docs: list[CanonicalDocument], partner: PartnerProfile, core: Any, *,
               source: str | None = None, actor: str | None = None, prepare: bool = False
               ) -> list[ApplyResult | Exception]:
    """`apply` for many documents of one partner through `core.handle_batch`: consecutive orders
    share one transaction, which is what a file of many 850s needs to reach its throughput.
    Returns, in order, an ApplyResult or the exception (PartnerError, DomainError) for each
    document; one refused document does not stop the others. `prepare`: have the core build the
    orders ahead of its write transaction (`core.prepare_batch`), for processes that queue for
    the writer."""
    return prepare_many(docs, partner, core, source=source, actor=actor, prepare=prepare)()


def prepare_many(docs: list[CanonicalDocument], partner: PartnerProfile, core: Any, *,
                 source: str | None = None, actor: str | None = None, prepare: bool = False
                 ) -> Callable[[], list[ApplyResult | Exception]]:
    """`apply_many` in two steps: this one writes nothing (the commands, and with `prepare` the
    orders built ahead); the step it returns runs them on the core."""
    results: list[ApplyResult | Exception | None] = [None] * len(docs)
    commands: list[Any] = []
    where: list[int] = []
    for i, doc in enumerate(docs):
        try:
            command = _checked_command(doc, partner, source)
        except Exception as exc:  # noqa: BLE001 - reported in the document's place
            results[i] = exc
            continue
        if command is None:
            results[i] = ApplyResult(DOC_TYPES[type(doc)], functional_ack=doc)  # type: ignore[arg-type]
        else:
            commands.append(command)
            where.append(i)
    actor = actor or f"partner:{partner.id}"
    prepared = core.prepare_batch(commands, actor=actor) if prepare and commands else None

    def run() -> list[ApplyResult | Exception]:
        if commands:
            outcomes = core.handle_batch(commands, actor=actor, prepared=prepared)
            for i, command, outcome in zip(where, commands, outcomes):
                results[i] = outcome if isinstance(outcome, Exception) else ApplyResult(
                    DOC_TYPES[type(docs[i])], command=command, outcome=outcome)
        return results  # type: ignore[return-value]
    return run


__all__ = ["ApplyResult", "apply", "apply_many", "command_for", "prepare_many"]
