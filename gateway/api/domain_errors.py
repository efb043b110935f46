"""The core's domain errors mapped to HTTP problems, as data: class name -> (status, title, kind).
Every attribute the error carries (order, line, state, command, numbers) becomes an extension member
of the problem, so a client can act on them without parsing the message."""
from __future__ import annotations

import dataclasses
from decimal import Decimal
from enum import Enum
from typing import Any

from gateway.api.problems import Problem

# most specific first; matched along the exception's MRO
DOMAIN_STATUS: dict[str, tuple[int, str, str]] = {
    "UnknownOrder": (404, "Order not found", "unknown-order"),
    "UnknownItem": (404, "Item not found", "unknown-item"),
    "UnknownLocation": (404, "Location not found", "unknown-location"),
    "UnknownLine": (404, "Line not found", "unknown-line"),
    "IllegalTransition": (409, "Illegal transition", "illegal-transition"),
    "DuplicateOrder": (409, "Duplicate order", "duplicate-order"),
    "HoldBlocks": (409, "Blocked by a hold", "blocked-by-hold"),
    "InvariantViolation": (422, "Invariant violation", "invariant-violation"),
    "ValidationError": (422, "Validation failed", "validation-failed"),
    "DomainError": (422, "Refused by the order core", "domain-error"),
}


def domain_error_types() -> list[type[BaseException]]:
    try:
        from core.domain.errors import DomainError
    except ImportError:
        return []
    return [DomainError]


def problem_for_domain_error(exc: BaseException) -> Problem:
    status, title, kind = 422, "Refused by the order core", "domain-error"
    for klass in type(exc).__mro__:
        if klass.__name__ in DOMAIN_STATUS:
            status, title, kind = DOMAIN_STATUS[klass.__name__]
            break
    return Problem(status, title, str(exc), kind=kind, **_attributes(exc))


def _attributes(exc: BaseException) -> dict[str, Any]:
    if dataclasses.is_dataclass(exc):
        raw = {f.name: getattr(exc, f.name, None) for f in dataclasses.fields(exc)}
    else:
        raw = {k: v for k, v in vars(exc).items() if not k.startswith("_")}
    return {k: _jsonable(v) for k, v in raw.items()
            if k not in {"args", "type", "title", "status", "detail", "instance", "errors"}}


def _jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_jsonable(v) for v in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)
