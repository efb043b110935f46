"""Constrained field types shared by the request models: lengths match the database columns and
control characters are refused, so bad input is a 422 naming the field, never a database error."""
from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from pydantic import Field, StringConstraints

_PRINTABLE = r"^[^\x00-\x1f\x7f]*$"


def text(max_length: int, min_length: int = 0) -> type[str]:
    return Annotated[str, StringConstraints(min_length=min_length, max_length=max_length,  # type: ignore[return-value]
                                            pattern=_PRINTABLE)]


Code = Annotated[str, StringConstraints(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._:/#-]+$")]
LineNumber = Annotated[str, StringConstraints(min_length=1, max_length=32, pattern=r"^[A-Za-z0-9._-]+$")]
Sku = Annotated[str, StringConstraints(min_length=1, max_length=64, pattern=r"^[^\x00-\x20\x7f]+$")]
Uom = Annotated[str, StringConstraints(min_length=1, max_length=8, pattern=r"^[A-Za-z0-9]+$")]
Quantity = Annotated[Decimal, Field(gt=0, max_digits=18, decimal_places=4, allow_inf_nan=False)]
SignedQuantity = Annotated[Decimal, Field(max_digits=18, decimal_places=4, allow_inf_nan=False)]
Money = Annotated[Decimal, Field(ge=0, max_digits=18, decimal_places=4, allow_inf_nan=False)]
Name = text(200)
Short = text(64)
State = text(8)
PostalCode = text(16)
Country = text(3)
Currency = text(3, 3)
Sscc = Annotated[str, StringConstraints(min_length=18, max_length=20, pattern=r"^[0-9]+$")]
ChargeCode = text(8, 1)
