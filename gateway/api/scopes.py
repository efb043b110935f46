"""API key scopes. They nest: admin can do what write can, write what read can, so a key is given
the highest scope it needs and routes ask for the lowest scope that suffices."""
from __future__ import annotations

from enum import Enum


class Scope(str, Enum):
    READ = "read"
    WRITE = "write"
    ADMIN = "admin"


# scope -> the scopes it grants (data, not code)
GRANTS: dict[Scope, frozenset[Scope]] = {
    Scope.READ: frozenset({Scope.READ}),
    Scope.WRITE: frozenset({Scope.READ, Scope.WRITE}),
    Scope.ADMIN: frozenset({Scope.READ, Scope.WRITE, Scope.ADMIN}),
}


def parse_scopes(text: str) -> frozenset[Scope]:
    """`"read,write"` -> {READ, WRITE}; raises ValueError naming the unknown scope."""
    scopes: set[Scope] = set()
    for part in (p.strip().lower() for p in text.split(",")):
        if not part:
            continue
        try:
            scopes.add(Scope(part))
        except ValueError:
            raise ValueError(f"unknown scope {part!r} (use read, write, admin)") from None
    if not scopes:
        raise ValueError("no scope given (use read, write, admin)")
    return frozenset(scopes)


def format_scopes(scopes: frozenset[Scope]) -> str:
    order = list(Scope)
    return ",".join(s.value for s in sorted(scopes, key=order.index))


def allows(granted: frozenset[Scope], needed: Scope) -> bool:
    return any(needed in GRANTS[scope] for scope in granted)
