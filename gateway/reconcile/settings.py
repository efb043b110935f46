"""Tolerances and windows, per partner, with defaults.

Read from the partner profile: its `tolerances` attribute when the partners part provides one,
else the raw `reconcile:` key of the profile YAML. Both shapes use the field names below, so a
partner file can say simply:

    reconcile:
      quantity_tolerance_percent: 5
      price_tolerance_amount: "0.05"
      vendor_ack_within_hours: 24
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
    in_transit_days: int = Field(14, ge=0)
    # invoices: a price passes if it is within EITHER tolerance (percent of the PO price, or an
    # absolute amount per unit), which is how finance teams state them
    price_tolerance_percent: Decimal = Field(Decimal("1"), ge=0)
    price_tolerance_amount: Decimal = Field(Decimal("0.01"), ge=0)
    total_tolerance_amount: Decimal = Field(Decimal("0.01"), ge=0)
    allowed_charge_codes: tuple[str, ...] = ()
    invoice_within_days: int = Field(3, ge=0)


DEFAULTS = ReconcileSettings()


class SettingsError(ValueError):
    """A partner's reconciliation settings are invalid; names the partner and the key."""

    def __init__(self, partner_id: str, key: str, problem: str):
        super().__init__(f"partner {partner_id}: reconcile.{key}: {problem}")
        self.partner_id = partner_id
        self.key = key
        self.problem = problem


def _raw_of(profile: Any) -> dict[str, Any]:
    raw: dict[str, Any] = {}
    for attr in ("reconcile", "tolerances"):
        value = getattr(profile, attr, None) if not isinstance(profile, Mapping) else profile.get(attr)
        if value is None:
            continue
        if hasattr(value, "model_dump"):
            value = value.model_dump()
        if isinstance(value, Mapping):
            raw.update({k: v for k, v in value.items() if v is not None})
    acks = getattr(profile, "acks", None) if not isinstance(profile, Mapping) else profile.get("acks")
    if acks is not None:
        hours = acks.get("expect_997_within_hours") if isinstance(acks, Mapping) else getattr(
            acks, "expect_997_within_hours", None)
        if hours is not None:
            raw.setdefault("ack_within_hours", hours)
    return raw


def settings_for(profile: Any) -> ReconcileSettings:
    """The settings for one partner profile (pydantic model, dict or None)."""
    if profile is None:
        return DEFAULTS
    raw = _raw_of(profile)
    if not raw:
        return DEFAULTS
    try:
        return ReconcileSettings(**raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        pid = getattr(profile, "id", None) or (profile.get("id") if isinstance(profile, Mapping) else "?")
        raise SettingsError(str(pid), ".".join(str(p) for p in first["loc"]), first["msg"]) from None


def settings_by_partner(partners: Mapping[str, Any] | None) -> dict[str, ReconcileSettings]:
    return {pid: settings_for(p) for pid, p in (partners or {}).items()}
