"""Domain errors. Each carries its facts as attributes (order, line, state, command, numbers) so a
caller (CLI, gateway, API) can build an 855 reason or an HTTP problem without parsing text."""
from __future__ import annotations

from decimal import Decimal
from typing import Any


class DomainError(Exception):
    """Base of every refusal by the core. Nothing is partly applied when one is raised."""

    code = "domain_error"

    def __init__(self, message: str, *, order: str | int | None = None, line: str | None = None,
                 state: str | None = None, command: str | None = None,
                 numbers: dict[str, Decimal | int | str] | None = None,
                 problems: list["DomainError"] | None = None):
        super().__init__(message)
        self.message = message
        self.order = order
        self.line = line
        self.state = state
        self.command = command
        self.numbers = dict(numbers or {})
        self.problems = list(problems or [])

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"code": self.code, "message": self.message}
        for key in ("order", "line", "state", "command"):
            value = getattr(self, key)
            if value is not None:
                data[key] = value
        if self.numbers:
            data["numbers"] = {k: str(v) for k, v in self.numbers.items()}
        if self.problems:
            data["problems"] = [p.to_json() for p in self.problems]
        return data


class UnknownOrder(DomainError):
    code = "unknown_order"


class UnknownItem(DomainError):
    code = "unknown_item"


class UnknownLocation(DomainError):
    code = "unknown_location"


class UnknownVendorOrder(DomainError):
    code = "unknown_vendor_order"


class UnknownHold(DomainError):
    code = "unknown_hold"


class IllegalTransition(DomainError):
    """The command is not allowed in the current state (names both)."""

    code = "illegal_transition"


class HoldBlocks(IllegalTransition):
    """An active hold blocks the step; `hold_type` says which."""

    code = "hold_blocks"

    def __init__(self, message: str, *, hold_type: str, **kw: Any):
        super().__init__(message, **kw)
        self.hold_type = hold_type


class InvariantViolation(DomainError):
    """Quantities would break a rule (ship more than allocated, invoice more than shipped...)."""

    code = "invariant_violation"


class InvalidCommand(DomainError):
    """The command itself is malformed (negative or non-numeric quantity, missing field)."""

    code = "invalid_command"


class ConfigurationError(DomainError):
    """Sourcing rules or reference data are unusable; `source` names the file and key."""

    code = "configuration_error"

    def __init__(self, message: str, *, source: str | None = None, **kw: Any):
        super().__init__(message, **kw)
        self.source = source
