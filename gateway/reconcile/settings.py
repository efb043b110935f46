"""Tolerances and windows, per partner, with defaults.

They live in the partner profile under `tolerances:` (gateway/partners/profile.py `Tolerances`;
every key optional), e.g.

    tolerances:
      quantity_percent: 5       # shipped/acked quantity may differ by 5 % ...
      quantity: 1               # ... or by 1 unit, whichever is larger
      amount: "0.05"            # unit price may differ by 0.05 ...
      price_percent: 1          # ... or by 1 %, whichever is larger
      ack_hours: 24             # vendor's 855 due 24 h after our 850; our 855 to a customer
      ship_days: 7              # vendor stock shipment in transit longer than this: overdue
      invoice_days: 30          # customer shipment not invoiced after this: exception
      allowed_charges: [D240]   # SAC02 charge codes agreed; other charges are disputed

The functional-ack window is the profile's `acks.expect_997_within_hours`; the gateway stamps
each sent document with its due time, so that check needs no setting here.
""" 
from __future__ import annotations

from decimal import Decimal
from typing import Any, Mapping

from pydantic import BaseModel, ConfigDict, Field, ValidationError


class ReconcileSettings(BaseModel):
    """Windows are hours or days after the event that starts the clock."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    # functional acks: the profile's `acks.expect_997_within_hours` wins when present
    ack_within_hours: float = Field(24, ge=0)
    # order acknowledgements
    vendor_ack_within_hours: float = Field(48, ge=0)
    customer_ack_within_hours: float = Field(24, ge=0)
    resource_rejected_lines: bool = True
    # ship notices
    quantity_tolerance_percent: Decimal = Field(Decimal("0"), ge=0)
    quantity_tolerance_units: Decimal = Field(Decimal("0"), ge=0)
    late_grace_days: int = Field(0, ge=0)
    asn_within_hours: float = Field(24, ge=0)
    in_transit_days: float = Field(7, ge=0)
    # invoices: a price passes if it is within EITHER tolerance (percent of the PO price, or an
    # absolute amount per unit), which is how finance teams state them
    price_tolerance_percent: Decimal = Field(Decimal("1"), ge=0)
    price_tolerance_amount: Decimal = Field(Decimal("0.01"), ge=0)
    total_tolerance_amount: Decimal = Field(Decimal("0.01"), ge=0)
    allowed_charge_codes: tuple[str, ...] = ()
    invoice_within_days: float = Field(30, ge=0)


DEFAULTS = ReconcileSettings()


class SettingsError(ValueError):
    """A partner's reconciliation settings are invalid; names the partner and the key."""

    def __init__(self, partner_id: str, key: str, problem: str):
        super().__init__(f"partner {partner_id}: tolerances.{key}: {problem}")
        self.partner_id = partner_id
        self.key = key
        self.problem = problem


# profile `tolerances` field -> ReconcileSettings field
_TOLERANCE_FIELDS = {
    "quantity": "quantity_tolerance_units",
    "quantity_percent": "quantity_tolerance_percent",
    "amount": "price_tolerance_amount",
    "price_percent": "price_tolerance_percent",
    "total_amount": "total_tolerance_amount",
    "ack_hours": "vendor_ack_within_hours",
    "customer_ack_hours": "customer_ack_within_hours",
    "asn_hours": "asn_within_hours",
    "ship_days": "in_transit_days",
    "invoice_days": "invoice_within_days",
    "late_days": "late_grace_days",
    "allowed_charges": "allowed_charge_codes",
    "resource_rejected": "resource_rejected_lines",
}


def _get(obj: Any, name: str) -> Any:
    if obj is None:
        return None
    if isinstance(obj, Mapping):
        return obj.get(name)
    return getattr(obj, name, None)


def _raw_of(profile: Any) -> dict[str, Any]:
    raw: dict[str, Any] = {}
    tolerances = _get(profile, "tolerances")
    if hasattr(tolerances, "model_dump"):
        tolerances = tolerances.model_dump()
    for key, value in (tolerances or {}).items():
        if value is None:
            continue
        target = _TOLERANCE_FIELDS.get(key, key)
        raw[target] = tuple(value) if isinstance(value, list) else value
    if "customer_ack_within_hours" not in raw and "vendor_ack_within_hours" in raw:
        raw["customer_ack_within_hours"] = raw["vendor_ack_within_hours"]
    hours = _get(_get(profile, "acks"), "expect_997_within_hours")
    if hours is not None:
        raw["ack_within_hours"] = hours
    return raw


def settings_for(profile: Any) -> ReconcileSettings:
    """The settings for one partner profile (pydantic model, dict or None)."""
    if profile is None:
        return DEFAULTS
    raw = _raw_of(profile)
    try:
        return ReconcileSettings(**raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        pid = _get(profile, "id") or "?"
        field_name = str(first["loc"][0]) if first["loc"] else "?"
        profile_key = next((k for k, v in _TOLERANCE_FIELDS.items() if v == field_name), field_name)
        raise SettingsError(str(pid), profile_key, first["msg"]) from None


def settings_by_partner(partners: Mapping[str, Any] | None) -> dict[str, ReconcileSettings]:
    return {pid: settings_for(p) for pid, p in (partners or {}).items()}
