"""SSCC-18 (GS1 Serial Shipping Container Code): 18 digits, the last a mod-10 check digit."""
from __future__ import annotations

# GS1's documentation example company prefix; a deployment sets its own in a later version.
COMPANY_PREFIX = "0614141"
EXTENSION = "0"


def check_digit(digits17: str) -> str:
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(digits17)))
    return str((10 - total % 10) % 10)


def valid_sscc(value: str) -> bool:
    value = value.strip()
    if value.startswith("00") and len(value) == 20:  # with the (00) application identifier
        value = value[2:]
    return len(value) == 18 and value.isdigit() and check_digit(value[:17]) == value[17]


def make_sscc(serial: int) -> str:
    body = EXTENSION + COMPANY_PREFIX + f"{serial:09d}"
    return body + check_digit(body)
