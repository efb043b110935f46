"""Value transforms between X12 element text and canonical values, in both directions.

Each format is a pair of functions (to canonical, to X12) held in a table, so adding a format is
adding a row. Inbound failures raise ``ValueError`` with what was expected; the engine adds the
segment and element position.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any, Callable


def _date8_in(text: str) -> dt.date:
    if len(text) != 8 or not text.isdigit():
        raise ValueError(text)
    return dt.date(int(text[:4]), int(text[4:6]), int(text[6:]))


def _date6_in(text: str) -> dt.date:
    """YYMMDD with the X12 century rule of thumb: 00-49 -> 20xx, 50-99 -> 19xx."""
    if len(text) != 6 or not text.isdigit():
        raise ValueError(text)
    year = int(text[:2])
    return dt.date(2000 + year if year < 50 else 1900 + year, int(text[2:4]), int(text[4:]))


def _date_in(text: str) -> dt.date:
    """Tolerant: CCYYMMDD or YYMMDD (4010 partners still send either)."""
    return _date8_in(text) if len(text) == 8 else _date6_in(text)


def _as_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def _decimal_in(text: str) -> Decimal:
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError("a decimal number") from None
    if not value.is_finite():
        raise ValueError("a finite decimal number")
    return value


def _decimal_out(value: Any) -> str:
    """X12 R type: no exponent, no trailing zeros after the point, no lone point."""
    d = Decimal(str(value))
    text = format(d.normalize(), "f") if d != d.to_integral_value() else str(int(d))
    return text


def implied(places: int) -> tuple[Callable[[str], Any], Callable[[Any], str]]:
    """N2 style: '1050' <-> Decimal('10.50') with ``places`` implied decimal places."""

    def to_canonical(text: str) -> Decimal:
        if not text.lstrip("-").isdigit():
            raise ValueError(f"digits with {places} implied decimal places")
        return Decimal(text).scaleb(-places)

    def to_x12(value: Any) -> str:
        scaled = (Decimal(str(value)).scaleb(places)).quantize(Decimal(1))
        return str(int(scaled))

    return to_canonical, to_x12


def _int_in(text: str) -> int:
    if not text.lstrip("-").isdigit():
        raise ValueError("a whole number")
    return int(text)


def _sscc_in(text: str) -> str:
    """SSCC as sent: some partners keep the GS1 application identifier (00) in front."""
    text = text.strip()
    if len(text) == 20 and text.startswith("00") and text.isdigit():
        return text[2:]
    return text


FORMATS: dict[str, tuple[Callable[[str], Any], Callable[[Any], str]]] = {
    "text": (str, str),
    "date": (_date_in, lambda v: _as_date(v).strftime("%Y%m%d")),
    "date8": (_date8_in, lambda v: _as_date(v).strftime("%Y%m%d")),
    "date6": (_date6_in, lambda v: _as_date(v).strftime("%y%m%d")),
    "decimal": (_decimal_in, _decimal_out),
    "sscc": (_sscc_in, str),
    "int": (_int_in, lambda v: str(int(v))),
    "implied2": implied(2),
    "implied3": implied(3),
    "implied4": implied(4),
}

EXPECTED = {
    "date": "a date CCYYMMDD or YYMMDD",
    "date8": "a date CCYYMMDD",
    "date6": "a date YYMMDD",
    "decimal": "a decimal number",
    "int": "a whole number",
    "implied2": "digits with 2 implied decimal places",
    "implied3": "digits with 3 implied decimal places",
    "implied4": "digits with 4 implied decimal places",
}


def to_canonical(fmt: str, text: str) -> Any:
    try:
        return FORMATS[fmt][0](text)
    except ValueError:
        raise ValueError(EXPECTED.get(fmt, fmt)) from None


def to_x12(fmt: str, value: Any) -> str:
    return FORMATS[fmt][1](value)


def translate_in(table: dict[str, str], code: str) -> str:
    """Their code -> ours. ``'*'`` is the fallback; without one unknown codes pass unchanged."""
    if code in table:
        return table[code]
    return table.get("*", code)


def translate_out(table: dict[str, str], value: str) -> str:
    """Our value -> their code: the first code mapping to it, else the value itself."""
    for code, ours in table.items():
        if ours == value and code != "*":
            return code
    return value
