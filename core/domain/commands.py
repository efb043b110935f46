"""Commands: imperative requests to the core, frozen dataclasses with Decimal quantities/prices.

Order commands name their order by `order_id`, or by `po_number` (narrowed by `partner_id` or
`channel` when the same PO number exists under several keys). Empty line tuples mean "all lines"
where the docstring says so. Commands only carry data; validation happens in the handlers so
that every problem is reported with the line and the numbers.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import Enum


class AckAction(str, Enum):
    ACCEPT = "accept"
    CHANGE = "change"  # quantity, price or date changed (IQ/IP/DR)
    BACKORDER = "backorder"
    REJECT = "reject"


class HoldType(str, Enum):
    PRICE_MISMATCH = "price_mismatch"
    CREDIT = "credit"
    ADDRESS = "address"
    FRAUD = "fraud"
    MANUAL = "manual"


@dataclass(frozen=True)
class Party:
    """A party on an order: role is ship_to, bill_to, buyer, mark_for, ship_from, remit_to, vendor."""
    role: str
    name: str = ""
    address1: str = ""
    address2: str = ""
    city: str = ""
    state: str = ""
    postal_code: str = ""
    country: str = "US"
    id_qualifier: str = ""
    id_code: str = ""


@dataclass(frozen=True)
class Charge:
    """A SAC allowance ('A') or charge ('C')."""
    indicator: str
    code: str
    amount: Decimal
    description: str = ""


@dataclass(frozen=True)
class OrderRef:
    order_id: int | None = None
    po_number: str | None = None
    partner_id: str | None = None
    channel: str | None = None


@dataclass(frozen=True)
class _OrderCommand:
    order_id: int | None = field(default=None, kw_only=True)
    po_number: str | None = field(default=None, kw_only=True)
    partner_id: str | None = field(default=None, kw_only=True)
    channel: str | None = field(default=None, kw_only=True)

    @property
    def ref(self) -> OrderRef:
        return OrderRef(self.order_id, self.po_number, self.partner_id, self.channel)


# ----------------------------------------------------------------------------- seller side
@dataclass(frozen=True)
class OrderLineInput:
    line_number: str
    quantity: Decimal
    sku: str | None = None
    uom: str = "EA"
    unit_price: Decimal | None = None
    upc: str | None = None
    buyer_part: str | None = None
    vendor_part: str | None = None
    description: str = ""
    requested_ship_date: date | None = None


@dataclass(frozen=True)
class PlaceOrder:
    """Idempotent on (partner_id or channel, po_number): a repeat returns the existing order."""
    po_number: str
    lines: tuple[OrderLineInput, ...]
    channel: str = "edi"
    partner_id: str | None = None
    order_date: date | None = None
    requested_ship_date: date | None = None
    requested_delivery_date: date | None = None
    cancel_after: date | None = None
    parties: tuple[Party, ...] = ()
    currency: str = "USD"
    terms: str = ""
    carrier: str = ""
    service: str = ""
    references: tuple[tuple[str, str], ...] = ()
    source_document: str | None = None  # trace reference (e.g. the gateway's document id)
    auto_source: bool = True  # source (and acknowledge, if it has a partner) in the same unit


@dataclass(frozen=True)
class AckLine:
    line_number: str
    action: AckAction = AckAction.ACCEPT
    quantity: Decimal | None = None
    unit_price: Decimal | None = None
    date: date | None = None
    reason: str = ""


@dataclass(frozen=True)
class AcknowledgeOrder(_OrderCommand):
    """Manual acknowledgement; empty `lines` accepts every open quantity."""
    lines: tuple[AckLine, ...] = ()


@dataclass(frozen=True)
class SourceOrder(_OrderCommand):
    """Allocate open, accepted and backordered quantities per the sourcing rules."""


@dataclass(frozen=True)
class ReleaseToFulfillment(_OrderCommand):
    """Move allocated quantities to released; empty `lines` releases all."""
    lines: tuple[str, ...] = ()


@dataclass(frozen=True)
class ShipLine:
    line_number: str
    quantity: Decimal
    sscc: str | None = None  # the carton (SSCC-18) it travels in
    location: str | None = None  # ship-from; default: wherever it is allocated


@dataclass(frozen=True)
class RecordShipment(_OrderCommand):
    """Empty `lines` ships every allocated and released quantity."""
    lines: tuple[ShipLine, ...] = ()
    carrier: str = ""
    tracking: str = ""
    ship_date: date | None = None
    shipment_number: str | None = None


@dataclass(frozen=True)
class InvoiceLine:
    line_number: str
    quantity: Decimal


@dataclass(frozen=True)
class IssueInvoice(_OrderCommand):
    """Empty `lines` invoices every shipped-but-not-invoiced quantity."""
    lines: tuple[InvoiceLine, ...] = ()
    invoice_number: str | None = None
    invoice_date: date | None = None
    charges: tuple[Charge, ...] = ()
    tax: Decimal = Decimal("0")


@dataclass(frozen=True)
class CancelOrder(_OrderCommand):
    reason: str = ""


@dataclass(frozen=True)
class CancelLine:
    line_number: str
    quantity: Decimal | None = None  # None: everything still cancellable


@dataclass(frozen=True)
class CancelLines(_OrderCommand):
    lines: tuple[CancelLine, ...] = ()
    reason: str = ""


@dataclass(frozen=True)
class LineChange:
    line_number: str
    quantity: Decimal | None = None  # the new ordered quantity
    unit_price: Decimal | None = None
    requested_ship_date: date | None = None


@dataclass(frozen=True)
class ChangeOrder(_OrderCommand):
    """What an inbound 860 needs: per-line quantity/price/date changes and added lines."""
    changes: tuple[LineChange, ...] = ()
    add_lines: tuple[OrderLineInput, ...] = ()
    requested_ship_date: date | None = None
    cancel_after: date | None = None


@dataclass(frozen=True)
class ReturnLine:
    line_number: str
    quantity: Decimal
    reason: str = ""


@dataclass(frozen=True)
class CreateReturn(_OrderCommand):
    lines: tuple[ReturnLine, ...] = ()
    rma_number: str | None = None


@dataclass(frozen=True)
class ReturnReceipt:
    line_number: str
    quantity: Decimal


@dataclass(frozen=True)
class ReceiveReturn:
    """Restock returned goods at `location`; empty `lines` receives everything authorised."""
    rma_number: str
    location: str
    lines: tuple[ReturnReceipt, ...] = ()


@dataclass(frozen=True)
class PlaceHold(_OrderCommand):
    hold_type: HoldType | str = HoldType.MANUAL
    reason: str = ""
    line_number: str | None = None


@dataclass(frozen=True)
class ResolveHold(_OrderCommand):
    """Resolve by `hold_id`, or every active hold of `hold_type` on the order."""
    hold_id: int | None = None
    hold_type: HoldType | str | None = None
    resolution: str = ""


# ----------------------------------------------------------------------------- inventory
@dataclass(frozen=True)
class ReceiveInventory:
    sku: str
    location: str
    quantity: Decimal
    reference: str = ""


@dataclass(frozen=True)
class AdjustInventory:
    """`quantity` is a signed delta of on-hand stock."""
    sku: str
    location: str
    quantity: Decimal
    reason: str = ""


@dataclass(frozen=True)
class DefineLocation:
    """Create or update a location. type: warehouse | store | dropship."""
    code: str
    type: str
    name: str = ""
    postal_code: str = ""
    country: str = "US"
    state: str = ""
    latitude: float | None = None
    longitude: float | None = None
    priority: int = 100
    lead_time_days: int = 0
    capacity: Decimal | None = None  # drop-ship: max units outstanding at the vendor
    cost: Decimal = Decimal("0")
    partner_id: str | None = None  # drop-ship vendor's partner profile id (default: code)


@dataclass(frozen=True)
class DefineItem:
    sku: str
    description: str = ""
    upc: str | None = None
    uom: str = "EA"
    unit_price: Decimal | None = None
    vendors: tuple[tuple[str, str | None, Decimal | None], ...] = ()  # (location, vendor_part, cost)


# ----------------------------------------------------------------------------- buyer side
@dataclass(frozen=True)
class VendorOrderLine:
    line_number: str
    sku: str
    quantity: Decimal
    unit_price: Decimal | None = None
    requested_date: date | None = None


@dataclass(frozen=True)
class CreateVendorOrder:
    """A stock replenishment PO to a vendor (drop-ship POs are created by sourcing)."""
    vendor: str
    lines: tuple[VendorOrderLine, ...]
    ship_to_location: str
    po_number: str | None = None


@dataclass(frozen=True)
class VendorAckLine:
    line_number: str
    status_code: str  # IA, IB, IR, IQ, IP, IC, IS, DR, ...
    quantity: Decimal | None = None
    unit_price: Decimal | None = None
    date: date | None = None
    substitute_sku: str | None = None
    reason: str = ""


@dataclass(frozen=True)
class RecordVendorAcknowledgement:
    """A vendor's 855 for one of our purchase orders."""
    vendor: str
    vendor_po_number: str
    lines: tuple[VendorAckLine, ...] = ()
    ack_type: str = "AC"  # BAK02
    ack_date: date | None = None
    source_document: str | None = None


@dataclass(frozen=True)
class VendorShipLine:
    line_number: str
    quantity: Decimal
    sku: str | None = None
    sscc: str | None = None


@dataclass(frozen=True)
class RecordVendorShipment:
    """A vendor's 856: in-transit stock, or (drop-ship) our shipment to the customer."""
    vendor: str
    vendor_po_number: str
    shipment_id: str
    lines: tuple[VendorShipLine, ...] = ()
    ship_date: date | None = None
    carrier: str = ""
    tracking: str = ""
    ship_to: Party | None = None
    source_document: str | None = None


@dataclass(frozen=True)
class ReceiveVendorShipment:
    """Turn an in-transit stock shipment into on-hand stock at its destination."""
    vendor: str
    shipment_id: str


@dataclass(frozen=True)
class VendorInvoiceLine:
    line_number: str
    quantity: Decimal
    unit_price: Decimal
    sku: str | None = None


@dataclass(frozen=True)
class RecordVendorInvoice:
    """A vendor's 810."""
    vendor: str
    vendor_po_number: str
    invoice_number: str
    lines: tuple[VendorInvoiceLine, ...] = ()
    invoice_date: date | None = None
    charges: tuple[Charge, ...] = ()
    total: Decimal | None = None  # TDS01
    currency: str = "USD"
    source_document: str | None = None


@dataclass(frozen=True)
class Outcome:
    """What `Core.handle` returns: the order touched, whether something new was created, ids of
    documents the command produced (acknowledgement_id, shipment_id, invoice_id, ...)."""
    order_id: int | None = None
    po_number: str | None = None
    status: str | None = None
    created: bool = True
    ids: dict[str, object] = field(default_factory=dict)
    at: datetime | None = None


Command = (PlaceOrder | AcknowledgeOrder | SourceOrder | ReleaseToFulfillment | RecordShipment
           | IssueInvoice | CancelOrder | CancelLines | ChangeOrder | CreateReturn | ReceiveReturn
           | ReceiveInventory | AdjustInventory | PlaceHold | ResolveHold | DefineLocation
           | DefineItem | CreateVendorOrder | RecordVendorAcknowledgement | RecordVendorShipment
           | ReceiveVendorShipment | RecordVendorInvoice)
