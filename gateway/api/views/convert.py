"""JSON conversions for read models: exact decimals as strings, UTC datetimes, ISO dates."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from gateway.api import clock


def num(value: Any) -> str | None:
    if value is None:
        return None
    text = format(Decimal(str(value)).normalize(), "f")
    return "0" if text == "-0" else text


def when(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return clock.utc(value).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)
