"""Request models for order routes. `OrderCreate` is the JSON of `ordergate orders create` (issue 3):
`{"channel", "po_number", "ship_to": {...}, "lines": [{"line_number", "sku", "quantity", "uom",
"unit_price"}]}`, with optional extras. Each model turns itself into the core's command."""
from __future__ import annotations

from decimal import Decimal
from enum import Enum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from gateway.api.schemas.types import (ChargeCode, Code, Country, Currency, LineNumber, Money, Name,
                                       IsoDate, PostalCode, Quantity, Short, Sku, Sscc, State, Uom)


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _unique_lines(lines: list[Any], field: str = "lines") -> None:
    seen: set[str] = set()
    for index, line in enumerate(lines):
        if line.line_number in seen:
            raise ValueError(f"{field}.{index}.line_number: line {line.line_number!r} appears twice")
        seen.add(line.line_number)


class Address(Strict):
    name: Name = ""
    address1: Name = ""
    address2: Name = ""
    city: Short = ""
    state: State = ""
    postal_code: PostalCode = ""
    country: Country = "US"

    def party(self, role: str) -> Any:
        from core.domain.commands import Party

        return Party(role=role, **self.model_dump())


class LineIn(Strict):
    line_number: LineNumber
    sku: Sku
    quantity: Quantity
    uom: Uom = "EA"
    unit_price: Money | None = None
    description: Name = ""
    requested_ship_date: IsoDate | None = None

    def command(self) -> Any:
        from core.domain.commands import OrderLineInput

        return OrderLineInput(line_number=self.line_number, quantity=self.quantity, sku=self.sku,
                              uom=self.uom, unit_price=self.unit_price, description=self.description,
                              requested_ship_date=self.requested_ship_date)


class OrderCreate(Strict):
    """Place an order and source it (what `ordergate orders create FILE.json` reads)."""

    channel: Code = Field(examples=["webshop"])
    po_number: Code = Field(examples=["WEB-1001"])
    ship_to: Address
    lines: list[LineIn] = Field(min_length=1, max_length=1000)
    partner_id: Code | None = None
    bill_to: Address | None = None
    currency: Currency = "USD"
    order_date: IsoDate | None = None
    requested_ship_date: IsoDate | None = None
    requested_delivery_date: IsoDate | None = None
    cancel_after: IsoDate | None = None
    carrier: Short = ""
    service: Short = ""
    terms: Short = ""

    @model_validator(mode="after")
    def _lines_unique(self) -> "OrderCreate":
        _unique_lines(self.lines)
        return self

    def command(self) -> Any:
        from core.domain.commands import PlaceOrder

        parties = [self.ship_to.party("ship_to")]
        if self.bill_to is not None:
            parties.append(self.bill_to.party("bill_to"))
        return PlaceOrder(po_number=self.po_number, lines=tuple(l.command() for l in self.lines),
                          channel=self.channel, partner_id=self.partner_id, order_date=self.order_date,
                          requested_ship_date=self.requested_ship_date,
                          requested_delivery_date=self.requested_delivery_date,
                          cancel_after=self.cancel_after, parties=tuple(parties),
                          currency=self.currency, terms=self.terms, carrier=self.carrier,
                          service=self.service)


class LineChangeIn(Strict):
    line_number: LineNumber
    quantity: Quantity | None = Field(default=None, description="the new ordered quantity")
    unit_price: Money | None = None
    requested_ship_date: IsoDate | None = None


class OrderChange(Strict):
    changes: list[LineChangeIn] = Field(default_factory=list, max_length=1000)
    add_lines: list[LineIn] = Field(default_factory=list, max_length=1000)
    requested_ship_date: IsoDate | None = None
    cancel_after: IsoDate | None = None

    @model_validator(mode="after")
    def _something(self) -> "OrderChange":
        if not (self.changes or self.add_lines or self.requested_ship_date or self.cancel_after):
            raise ValueError("nothing to change: give changes, add_lines, requested_ship_date or "
                             "cancel_after")
        _unique_lines(self.changes, "changes")
        _unique_lines(self.add_lines, "add_lines")
        return self

    def command(self, order_id: int) -> Any:
        from core.domain.commands import ChangeOrder, LineChange

        return ChangeOrder(order_id=order_id, changes=tuple(LineChange(**c.model_dump()) for c in self.changes),
                           add_lines=tuple(l.command() for l in self.add_lines),
                           requested_ship_date=self.requested_ship_date, cancel_after=self.cancel_after)


class CancelLineIn(Strict):
    line_number: LineNumber
    quantity: Quantity | None = Field(default=None, description="omit: all that is still cancellable")


class OrderCancel(Strict):
    reason: Name = ""
    lines: list[CancelLineIn] = Field(default_factory=list, max_length=1000,
                                      description="omit to cancel the whole order")

    def command(self, order_id: int) -> Any:
        from core.domain.commands import CancelLine, CancelLines, CancelOrder

        if not self.lines:
            return CancelOrder(order_id=order_id, reason=self.reason)
        return CancelLines(order_id=order_id, reason=self.reason,
                           lines=tuple(CancelLine(l.line_number, l.quantity) for l in self.lines))


class AckAction(str, Enum):
    ACCEPT = "accept"
    CHANGE = "change"
    BACKORDER = "backorder"
    REJECT = "reject"


class AckLineIn(Strict):
    line_number: LineNumber
    action: AckAction = AckAction.ACCEPT
    quantity: Quantity | None = None
    unit_price: Money | None = None
    date: IsoDate | None = None
    reason: Name = ""


class OrderAcknowledge(Strict):
    lines: list[AckLineIn] = Field(default_factory=list, max_length=1000,
                                   description="omit to accept every open quantity")

    def command(self, order_id: int) -> Any:
        from core.domain.commands import AckAction as CoreAction, AckLine, AcknowledgeOrder

        return AcknowledgeOrder(order_id=order_id, lines=tuple(
            AckLine(l.line_number, CoreAction(l.action.value), l.quantity, l.unit_price, l.date, l.reason)
            for l in self.lines))


class ShipLineIn(Strict):
    line_number: LineNumber
    quantity: Quantity
    sscc: Sscc | None = None
    location: Code | None = None


class ShipmentIn(Strict):
    lines: list[ShipLineIn] = Field(default_factory=list, max_length=1000,
                                    description="omit to ship everything allocated or released")
    carrier: Short = ""
    tracking: Short = ""
    ship_date: IsoDate | None = None
    shipment_number: Code | None = None

    def command(self, order_id: int) -> Any:
        from core.domain.commands import RecordShipment, ShipLine

        return RecordShipment(order_id=order_id, lines=tuple(
            ShipLine(l.line_number, l.quantity, l.sscc, l.location) for l in self.lines),
            carrier=self.carrier, tracking=self.tracking, ship_date=self.ship_date,
            shipment_number=self.shipment_number)


class InvoiceLineIn(Strict):
    line_number: LineNumber
    quantity: Quantity


class ChargeIn(Strict):
    indicator: str = Field(pattern="^[AC]$", description="A allowance, C charge")
    code: ChargeCode
    amount: Money
    description: Name = ""


class InvoiceIn(Strict):
    lines: list[InvoiceLineIn] = Field(default_factory=list, max_length=1000,
                                       description="omit to invoice everything shipped, not invoiced")
    invoice_number: Code | None = None
    invoice_date: IsoDate | None = None
    charges: list[ChargeIn] = Field(default_factory=list, max_length=100)
    tax: Money = Decimal("0")

    def command(self, order_id: int) -> Any:
        from core.domain.commands import Charge, InvoiceLine, IssueInvoice

        return IssueInvoice(order_id=order_id,
                            lines=tuple(InvoiceLine(l.line_number, l.quantity) for l in self.lines),
                            invoice_number=self.invoice_number, invoice_date=self.invoice_date,
                            charges=tuple(Charge(c.indicator, c.code, c.amount, c.description)
                                          for c in self.charges), tax=self.tax)


class ReturnLineIn(Strict):
    line_number: LineNumber
    quantity: Quantity
    reason: Name = ""


class ReturnIn(Strict):
    lines: list[ReturnLineIn] = Field(min_length=1, max_length=1000)
    rma_number: Code | None = None

    def command(self, order_id: int) -> Any:
        from core.domain.commands import CreateReturn, ReturnLine

        return CreateReturn(order_id=order_id, rma_number=self.rma_number,
                            lines=tuple(ReturnLine(l.line_number, l.quantity, l.reason) for l in self.lines))


class ReturnReceiptLineIn(Strict):
    line_number: LineNumber
    quantity: Quantity


class ReturnReceive(Strict):
    location: Code
    lines: list[ReturnReceiptLineIn] = Field(default_factory=list, max_length=1000,
                                             description="omit to receive everything authorised")

    def command(self, rma_number: str) -> Any:
        from core.domain.commands import ReceiveReturn, ReturnReceipt

        return ReceiveReturn(rma_number=rma_number, location=self.location,
                             lines=tuple(ReturnReceipt(l.line_number, l.quantity) for l in self.lines))


class ReleaseIn(Strict):
    lines: list[LineNumber] = Field(default_factory=list, max_length=1000,
                                    description="omit to release everything allocated")

    def command(self, order_id: int) -> Any:
        from core.domain.commands import ReleaseToFulfillment

        return ReleaseToFulfillment(order_id=order_id, lines=tuple(self.lines))


class SourcingPreviewIn(Strict):
    """An order as it would be placed; nothing is stored or reserved."""

    channel: Code = "api"
    po_number: Code | None = None
    partner_id: Code | None = None
    ship_to: Address
    lines: list[LineIn] = Field(min_length=1, max_length=1000)

    @model_validator(mode="after")
    def _lines_unique(self) -> "SourcingPreviewIn":
        _unique_lines(self.lines)
        return self
