"""Partner tolerances -> reconciliation settings, defaults, and clear errors."""
from __future__ import annotations

from decimal import Decimal

import pytest

from gateway.reconcile.settings import DEFAULTS, SettingsError, settings_for


def test_defaults_without_profile() -> None:
    assert settings_for(None) == DEFAULTS
    assert DEFAULTS.vendor_ack_within_hours == 48 and DEFAULTS.price_tolerance_amount == Decimal("0.01")


def test_profile_model_tolerances_map_to_settings() -> None:
    from gateway.partners.profile import Acks, Tolerances

    class P:
        id = "acme"
        tolerances = Tolerances(quantity=2, quantity_percent=5, amount="0.05", ack_hours=12,
                                ship_days=3, invoice_days=10, allowed_charges=["D240"])
        acks = Acks(expect_997_within_hours=4)

    s = settings_for(P())
    assert s.quantity_tolerance_units == 2 and s.quantity_tolerance_percent == 5
    assert s.price_tolerance_amount == Decimal("0.05")
    assert s.vendor_ack_within_hours == 12 and s.customer_ack_within_hours == 12
    assert s.in_transit_days == 3 and s.invoice_within_days == 10
    assert s.allowed_charge_codes == ("D240",) and s.ack_within_hours == 4


def test_customer_window_can_differ() -> None:
    s = settings_for({"id": "x", "tolerances": {"ack_hours": 24, "customer_ack_hours": 2}})
    assert (s.vendor_ack_within_hours, s.customer_ack_within_hours) == (24, 2)


def test_bad_value_names_partner_and_key() -> None:
    with pytest.raises(SettingsError) as err:
        settings_for({"id": "acme", "tolerances": {"quantity_percent": -1}})
    assert err.value.partner_id == "acme"
    assert err.value.key == "quantity_percent"  # the name written in the profile
    assert "acme" in str(err.value)
