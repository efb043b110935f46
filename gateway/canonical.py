"""Canonical business documents: what an order, ack, ship notice or invoice *means*.

These models know nothing of X12 or XML, so the core, the API and reconciliation never depend on a
partner's format. Mappings translate between a partner's bytes and these models, in both
directions. Quantities and money are ``Decimal`` so nothing is lost to floating point; dates are
``datetime.date`` (times, where a format carries them, are kept separately as ``HHMM`` text).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import Enum
from typing import Literal, Union

from pydantic import BaseModel, ConfigDict, Field, field_validator


class _Model(BaseModel):
    """Base: forbid unknown fields so a typo in a mapping target fails loudly."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class PartyRole(str, Enum):
    """Who a party is in the transaction (X12 N101 codes are mapped onto these)."""

    SHIP_TO = "ship_to"
    BILL_TO = "bill_to"
    BUYER = "buyer"
    SELLER = "seller"
    SHIP_FROM = "ship_from"
    REMIT_TO = "remit_to"
    VENDOR = "vendor"
    OTHER = "other"


class Address(_Model):
    lines: list[str] = Field(default_factory=list)
    city: str | None = None
    state: str | None = None
    postal_code: str | None = None
    country: str | None = None


class Party(_Model):
    """A named party. ``id``/``id_qualifier`` carry e.g. a store number (N103/N104)."""

    role: PartyRole
    name: str | None = None
    id_qualifier: str | None = None
    id: str | None = None
    address: Address | None = None


class Reference(_Model):
    """A free reference (REF01 qualifier -> ``type``, REF02 -> ``value``)."""

    type: str
    value: str
    description: str | None = None


class DateRef(_Model):
    """A qualified date (DTM01 qualifier -> ``type``, e.g. ``delivery_requested``)."""

    type: str
    date: dt.date
    time: str | None = None


class ItemIds(_Model):
    """Every way a line can name its item; our SKU is the one the core understands."""

    sku: str | None = None
    upc: str | None = None
    gtin: str | None = None
    buyer_part: str | None = None
    vendor_part: str | None = None
    description: str | None = None


class Carrier(_Model):
    scac: str | None = None
    name: str | None = None
    service_level: str | None = None
    transport_method: str | None = None
    tracking_number: str | None = None


class AllowanceCharge(_Model):
    """An allowance (reduces the amount) or a charge (adds to it), SAC in X12."""

    kind: Literal["allowance", "charge", "none"]
    code: str | None = None
    amount: Decimal = Decimal(0)
    description: str | None = None


class Tax(_Model):
    type: str
    amount: Decimal
    rate: Decimal | None = None


class Totals(_Model):
    line_count: int | None = None
    quantity: Decimal | None = None
    amount: Decimal | None = None


# --- purchase order -------------------------------------------------------------------------


class OrderLine(_Model):
    line_number: str | None = None
    item: ItemIds = Field(default_factory=ItemIds)
    quantity: Decimal
    uom: str = "EA"
    unit_price: Decimal | None = None
    requested_date: dt.date | None = None


class PurchaseOrder(_Model):
    """An order a customer sends us (850 in) or we send a vendor (850 out)."""

    document_type: Literal["purchase_order"] = "purchase_order"
    po_number: str
    po_date: dt.date
    purpose: str = "original"
    order_type: str | None = None
    currency: str | None = None
    buyer_partner_id: str | None = None
    parties: list[Party] = Field(default_factory=list)
    references: list[Reference] = Field(default_factory=list)
    dates: list[DateRef] = Field(default_factory=list)
    carrier: Carrier | None = None
    lines: list[OrderLine]
    allowances_charges: list[AllowanceCharge] = Field(default_factory=list)
    totals: Totals | None = None

    def party(self, role: PartyRole) -> Party | None:
        """The first party with ``role`` (ship-to is what fulfilment needs)."""
        return next((p for p in self.parties if p.role == role), None)


# --- order acknowledgement ------------------------------------------------------------------


class AckStatus(str, Enum):
    """Line acknowledgement status (ACK01). Values are the X12 codes, since they are standard."""

    ACCEPTED = "IA"
    ACCEPTED_QTY_CHANGED = "IQ"
    ACCEPTED_PRICE_CHANGED = "IP"
    BACKORDERED = "IB"
    ACCEPTED_PARTIAL_BACKORDER = "BP"
    REJECTED = "IR"
    ACCEPTED_CHANGES = "IC"
    DELETED = "ID"
    ON_HOLD = "IH"
    SUBSTITUTED = "IS"
    DATE_RESCHEDULED = "DR"
    ACCEPTED_DATE_RESCHEDULED = "AR"


class AckLine(_Model):
    line_number: str | None = None
    item: ItemIds = Field(default_factory=ItemIds)
    ordered_quantity: Decimal
    uom: str = "EA"
    unit_price: Decimal | None = None
    status: AckStatus | None = None
    """None: the line follows the header's ack_type (an 855 without ACK segments)."""
    quantity: Decimal | None = None
    scheduled_date: dt.date | None = None


class OrderAck(_Model):
    """Our answer to a PO (855 out) or a vendor's answer to ours (855 in)."""

    document_type: Literal["order_ack"] = "order_ack"
    po_number: str
    po_date: dt.date | None = None
    ack_number: str | None = None
    ack_date: dt.date | None = None
    ack_type: str = "AC"  # BAK02: AC with detail/change, AD accepted no change, RJ rejected
    parties: list[Party] = Field(default_factory=list)
    references: list[Reference] = Field(default_factory=list)
    lines: list[AckLine] = Field(default_factory=list)
    totals: Totals | None = None


# --- ship notice ----------------------------------------------------------------------------


class PackItem(_Model):
    line_number: str | None = None
    item: ItemIds = Field(default_factory=ItemIds)
    quantity: Decimal
    uom: str = "EA"
    ordered_quantity: Decimal | None = None


def gs1_check_digit(digits: str) -> str:
    """GS1 mod-10: weights 3,1,3,... from the right of the data digits (SSCC, GTIN)."""
    total = sum(int(d) * (3 if n % 2 == 0 else 1) for n, d in enumerate(reversed(digits)))
    return str((10 - total % 10) % 10)


def is_valid_sscc(sscc: str) -> bool:
    return len(sscc) == 18 and sscc.isdigit() and gs1_check_digit(sscc[:17]) == sscc[17]


class Carton(_Model):
    """A pack (HL P) identified by its SSCC-18 (18 digits including the GS1 check digit).

    ``sscc`` may be None only when a partner's 856 has no pack level (S-O-I)."""

    sscc: str | None = None
    items: list[PackItem] = Field(default_factory=list)
    weight: Decimal | None = None

    @field_validator("sscc")
    @classmethod
    def _check_digit(cls, value: str | None) -> str | None:
        if value is not None and not is_valid_sscc(value):
            raise ValueError("an SSCC-18: 18 digits ending in the GS1 mod-10 check digit")
        return value


class ShipNotice(_Model):
    """A shipment: pick-and-pack hierarchy shipment -> order -> cartons -> items."""

    document_type: Literal["ship_notice"] = "ship_notice"
    shipment_id: str
    ship_date: dt.date
    ship_time: str | None = None
    po_number: str | None = None
    po_date: dt.date | None = None
    purpose: str = "00"
    carrier: Carrier | None = None
    bill_of_lading: str | None = None
    package_count: int | None = None
    gross_weight: Decimal | None = None
    weight_uom: str = "LB"
    parties: list[Party] = Field(default_factory=list)
    references: list[Reference] = Field(default_factory=list)
    cartons: list[Carton] = Field(default_factory=list)
    totals: Totals | None = None

    def items(self) -> list[PackItem]:
        """All packed items across cartons (what the core records as shipped)."""
        return [item for carton in self.cartons for item in carton.items]


# --- invoice --------------------------------------------------------------------------------


class PaymentTerms(_Model):
    type: str = "01"
    basis_date: str = "3"
    discount_percent: Decimal | None = None
    discount_days: int | None = None
    net_days: int | None = None
    description: str | None = None


class InvoiceLine(_Model):
    line_number: str | None = None
    item: ItemIds = Field(default_factory=ItemIds)
    quantity: Decimal
    uom: str = "EA"
    unit_price: Decimal


class Invoice(_Model):
    document_type: Literal["invoice"] = "invoice"
    invoice_number: str
    invoice_date: dt.date
    po_number: str | None = None
    po_date: dt.date | None = None
    currency: str | None = None
    parties: list[Party] = Field(default_factory=list)
    references: list[Reference] = Field(default_factory=list)
    terms: PaymentTerms | None = None
    lines: list[InvoiceLine]
    allowances_charges: list[AllowanceCharge] = Field(default_factory=list)
    taxes: list[Tax] = Field(default_factory=list)
    total_amount: Decimal
    totals: Totals | None = None

    def computed_total(self) -> Decimal:
        """Lines + charges - allowances + taxes: what TDS01 must equal."""
        total = sum((ln.quantity * ln.unit_price for ln in self.lines), Decimal(0))
        for ac in self.allowances_charges:
            if ac.kind != "none":
                total += ac.amount if ac.kind == "charge" else -ac.amount
        total += sum((t.amount for t in self.taxes), Decimal(0))
        return total


# --- functional acknowledgement -------------------------------------------------------------


class AckVerdict(str, Enum):
    """AK5/AK9 (IK5) codes: accepted, accepted with errors, rejected, partially accepted."""

    ACCEPTED = "A"
    ACCEPTED_WITH_ERRORS = "E"
    REJECTED = "R"
    PARTIAL = "P"
    MESSAGE_AUTH_FAILED = "M"
    CONTENT_AUTH_FAILED = "W"
    NOT_ACCEPTED = "X"


class AckError(_Model):
    """One AK3/AK4 (IK3/IK4) reason, positions as attributes."""

    segment_id: str
    segment_position: int | None = None
    loop_id: str | None = None
    segment_code: str | None = None
    element_position: int | None = None
    component_position: int | None = None
    element_ref: str | None = None
    element_code: str | None = None
    bad_value: str | None = None


class SetAck(_Model):
    set_id: str
    control_number: str
    verdict: AckVerdict
    set_codes: list[str] = Field(default_factory=list)
    errors: list[AckError] = Field(default_factory=list)


class FunctionalAck(_Model):
    """A 997/999 received: which of our groups/sets the partner accepted, and why not."""

    document_type: Literal["functional_ack"] = "functional_ack"
    kind: Literal["997", "999"] = "997"
    functional_id: str
    group_control_number: str
    version: str | None = None
    """GS08 of the acknowledged group (AK103), e.g. 005010."""
    group_verdict: AckVerdict
    group_codes: list[str] = Field(default_factory=list)
    sets: list[SetAck] = Field(default_factory=list)
    included_sets: int | None = None
    received_sets: int | None = None
    accepted_sets: int | None = None

    @property
    def accepted(self) -> bool:
        return self.group_verdict in (AckVerdict.ACCEPTED, AckVerdict.ACCEPTED_WITH_ERRORS)


CanonicalDocument = Union[PurchaseOrder, OrderAck, ShipNotice, Invoice, FunctionalAck]

DOCUMENT_MODELS: dict[str, type[_Model]] = {
    "850": PurchaseOrder,
    "855": OrderAck,
    "856": ShipNotice,
    "810": Invoice,
    "997": FunctionalAck,
    "999": FunctionalAck,
}
"""X12 set id -> canonical model; also keyed by canonical ``document_type`` below."""

MODELS_BY_TYPE: dict[str, type[_Model]] = {
    "purchase_order": PurchaseOrder,
    "order_ack": OrderAck,
    "ship_notice": ShipNotice,
    "invoice": Invoice,
    "functional_ack": FunctionalAck,
}


def load_document(data: dict) -> CanonicalDocument:
    """Build the right model from a JSON dict carrying ``document_type`` (fixtures, API)."""
    kind = data.get("document_type")
    model = MODELS_BY_TYPE.get(kind) if isinstance(kind, str) else None
    if model is None:
        raise ValueError(
            f"document_type must be one of {sorted(MODELS_BY_TYPE)}, got {kind!r}"
        )
    return model.model_validate(data)  # type: ignore[return-value]
