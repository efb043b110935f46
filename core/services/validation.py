"""Turn loosely typed command fields into Decimals, naming the line and field on failure."""
from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from core.domain.errors import InvalidCommand

ZERO = Decimal("0")


def quantity(value: Any, *, line: str | None, field: str = "quantity", command: str = "",
             order: str | None = None, allow_zero: bool = False,
             allow_negative: bool = False) -> Decimal:
    if type(value) is Decimal and value.is_finite() and value > 0:
        return value  # the common case: what every check below would let through unchanged
    where = f"line {line}: " if line is not None else ""
    if isinstance(value, bool) or value is None:
        raise InvalidCommand(f"{where}{field} is missing or not a number ({value!r})",
                             order=order, line=line, command=command)
    try:
        q = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise InvalidCommand(f"{where}{field} {value!r} is not a number", order=order, line=line,
                             command=command) from None
    if not q.is_finite():
        raise InvalidCommand(f"{where}{field} {value!r} is not a finite number", order=order,
                             line=line, command=command)
    if q < 0 and not allow_negative:
        raise InvalidCommand(f"{where}{field} {q} is negative", order=order, line=line,
                             command=command, numbers={field: q})
    if q == 0 and not allow_zero:
        raise InvalidCommand(f"{where}{field} must be more than 0", order=order, line=line,
                             command=command, numbers={field: q})
    return q


def price(value: Any, *, line: str | None, command: str = "", order: str | None = None
          ) -> Decimal | None:
    # Decimal == "" is always False, but slowly (it checks the str against numbers.Rational)
    if value is None or (type(value) is not Decimal and value == ""):
        return None
    return quantity(value, line=line, field="unit_price", command=command, order=order,
                    allow_zero=True)
