"""Constrained field types shared by the request models: lengths match the database columns and
control characters are refused, so bad input is a 422 naming the field, never a database error."""
from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, StringConstraints, WithJsonSchema

_PRINTABLE = r"^[^\x00-\x1f\x7f]*$"


def text(max_length: int, min_length: int = 0) -> type[str]:
    return Annotated[str, StringConstraints(min_length=min_length, max_length=max_length,  # type: ignore[return-value]
                                            pattern=_PRINTABLE)]


Code = Annotated[str, StringConstraints(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._:/#-]+$")]
LineNumber = Annotated[str, StringConstraints(min_length=1, max_length=32, pattern=r"^[A-Za-z0-9._-]+$")]
Sku = Annotated[str, StringConstraints(min_length=1, max_length=64, pattern=r"^[^\x00-\x20\x7f]+$")]
Uom = Annotated[str, StringConstraints(min_length=1, max_length=8, pattern=r"^[A-Za-z0-9]+$")]
MAX_AMOUNT = Decimal("99999999999999")  # NUMERIC(18, 4): 14 digits before the point
DECIMAL_TEXT = r"^[0-9]{1,14}(\.[0-9]{1,4})?$"
_DECIMAL_RE = re.compile(DECIMAL_TEXT)
STEP = Decimal("0.0001")


def _decimal(minimum: Decimal) -> Any:
    """Quantities and money: a JSON number, or a string of digits with up to 4 decimals. Numbers
    are rounded to 4 decimal places (the columns are NUMERIC(18, 4)); strings must be exact."""

    def parse(value: Any) -> Decimal:
        if isinstance(value, bool):
            raise ValueError("expected a number or a decimal string, not a boolean")
        if isinstance(value, str):
            if not _DECIMAL_RE.match(value):
                raise ValueError("expected a decimal string like \"12\" or \"9.99\" "
                                 "(at most 14 digits, 4 decimals)")
            number = Decimal(value)
        elif isinstance(value, (int, float, Decimal)):
            try:
                number = Decimal(str(value))
            except InvalidOperation:
                raise ValueError("not a number") from None
        else:
            raise ValueError("expected a number or a decimal string")
        if not number.is_finite() or number < minimum or number > MAX_AMOUNT:
            raise ValueError(f"must be between {minimum} and {MAX_AMOUNT}")
        return max(number.quantize(STEP, rounding=ROUND_HALF_EVEN), minimum)

    schema = {"anyOf": [{"type": "number", "minimum": float(minimum), "maximum": float(MAX_AMOUNT)},
                        {"type": "string", "pattern": DECIMAL_TEXT}]}
    if minimum > 0:
        schema["anyOf"][1]["pattern"] = r"^(0*[1-9][0-9]{0,13}(\.[0-9]{1,4})?|0{0,14}\.(?=[0-9]*[1-9])[0-9]{1,4})$"
    return [BeforeValidator(parse), WithJsonSchema(schema)]


Quantity = Annotated[Decimal, *_decimal(STEP)]
Money = Annotated[Decimal, *_decimal(Decimal("0"))]
Name = text(200)
Short = text(64)
State = text(8)
PostalCode = text(16)
Country = text(3)
Currency = text(3, 3)
Sscc = Annotated[str, StringConstraints(min_length=18, max_length=20, pattern=r"^[0-9]+$")]
ChargeCode = text(8, 1)


def _iso_text(value: Any) -> Any:
    """Dates arrive as ISO 8601 text only (pydantic would otherwise read 0 as 1970-01-01)."""
    if isinstance(value, (int, float, bool)):
        raise ValueError("expected a date as text, YYYY-MM-DD")
    return value


IsoDate = Annotated[dt.date, BeforeValidator(_iso_text)]

# Database ids in paths: positive and within BIGINT, so a huge number is a 422, not a driver error
MAX_ID = 2**63 - 1
