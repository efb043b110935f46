"""Locations as the sourcing engine sees them (reference data, loaded per unit of work)."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum

from core.inventory.geo import centroid


class LocationType(str, Enum):
    WAREHOUSE = "warehouse"
    STORE = "store"
    DROPSHIP = "dropship"  # a vendor shipping for us: no stock of ours; lead time, capacity


@dataclass(frozen=True, slots=True)
class Location:
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
    capacity: Decimal | None = None
    cost: Decimal = Decimal("0")
    partner_id: str | None = None
    is_dropship: bool = field(init=False, default=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "is_dropship", self.type == LocationType.DROPSHIP.value)

    @property
    def vendor_partner(self) -> str:
        """The partner id the drop-ship 850 goes to (the profile id = the location code)."""
        return self.partner_id or self.code

    @property
    def coordinates(self) -> tuple[float, float] | None:
        if self.latitude is not None and self.longitude is not None:
            return (float(self.latitude), float(self.longitude))
        return centroid(self.postal_code, self.country)
