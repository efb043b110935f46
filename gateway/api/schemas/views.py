"""Response models: what the order routes answer. Decimal quantities and money are strings (exact,
like the core's NUMERIC columns); dates are ISO 8601."""
from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

BUCKET_NAMES = ("open", "accepted", "backordered", "rejected", "allocated", "released", "shipped",
                "invoiced", "cancelled", "returned")


class Quantities(BaseModel):
    open: str
    accepted: str
    backordered: str
    rejected: str
    allocated: str
    released: str
    shipped: str
    invoiced: str
    cancelled: str
    returned: str


class AllocationOut(BaseModel):
    location: str
    quantity: str = Field(description="allocated and released, not yet shipped")
    released: str
    shipped: str
    rule: str
    vendor_order_id: int | None = None


class LineOut(BaseModel):
    line_number: str
    sku: str | None
    uom: str
    unit_price: str | None
    upc: str | None = None
    buyer_part: str | None = None
    description: str | None = None
    ordered: str
    status: str
    reject_reason: str | None = None
    quantities: Quantities
    allocations: list[AllocationOut]


class HistoryEntry(BaseModel):
    at: str
    actor: str = Field(description="who: cli, gateway, api:<key name>, ...")
    event: str
    text: str | None = None
    detail: Any = None


class HoldOut(BaseModel):
    id: int
    type: str
    reason: str
    line_number: str | None
    active: bool
    resolution: str | None = None


class DocumentRef(BaseModel):
    id: int
    number: str
    date: str | None = None
    total: str | None = None
    carrier: str | None = None
    tracking: str | None = None
    status: str | None = None


class OrderSummary(BaseModel):
    id: int
    po_number: str
    channel: str
    partner_id: str | None
    status: str
    created_at: str | None
    updated_at: str | None


class OrderOut(OrderSummary):
    currency: str
    order_date: str | None
    requested_ship_date: str | None
    requested_delivery_date: str | None
    cancel_after: str | None
    carrier: str
    service: str
    terms: str
    acknowledged_at: str | None
    parties: Any
    references: Any = None
    lines: list[LineOut]
    holds: list[HoldOut]
    shipments: list[DocumentRef]
    invoices: list[DocumentRef]
    returns: list[DocumentRef]
    history: list[HistoryEntry]


class OrderPage(BaseModel):
    items: list[OrderSummary]
    next: str | None = Field(description="URL of the next page; null on the last page")
    next_cursor: str | None = None


class CommandResult(BaseModel):
    """What a write answers: the core's outcome and the order as it now stands."""

    created: bool
    ids: dict[str, Any] = Field(default_factory=dict, description="ids of documents produced")
    order: OrderOut | None


class LevelOut(BaseModel):
    location: str
    on_hand: str
    reserved: str
    in_transit: str
    available: str


class TotalOut(BaseModel):
    on_hand: str
    reserved: str
    in_transit: str
    available: str


class InventoryOut(BaseModel):
    item: str
    locations: list[LevelOut]
    total: TotalOut


class AtpLocation(BaseModel):
    location: str
    type: str
    available: str
    distance_km: float | None
    can_fill: bool


class AtpVendor(BaseModel):
    location: str
    lead_time_days: int
    cost: str | None


class AtpOut(BaseModel):
    item: str
    quantity: str
    ship_to: dict[str, str | None]
    available: str
    promisable: bool = Field(description="from stock, or a drop-ship vendor carries the item")
    from_stock: bool
    single_location: str | None = Field(description="nearest location that can fill it alone")
    locations: list[AtpLocation]
    dropship_vendors: list[AtpVendor]


class PlacementOut(BaseModel):
    location: str
    quantity: str
    rule: str
    dropship: bool


class ShortOut(BaseModel):
    location: Any
    available: str
    rule: Any = None


class PreviewLine(BaseModel):
    line_number: str
    sku: str | None
    quantity: str
    placements: list[PlacementOut]
    unfilled: str
    fallback: str | None
    skipped: str | None
    short: list[ShortOut]


class PreviewOut(BaseModel):
    lines: list[PreviewLine]
    rules: dict[str, Any] = Field(description="per rule: candidates ranked and excluded, with why")
    changed_nothing: bool
