"""Core party dicts (core.domain.commands.Party as stored) -> canonical parties."""

from __future__ import annotations

from typing import Any

from gateway.canonical import Address, Party, PartyRole

ROLES = {r.value: r for r in PartyRole}


def to_canonical(data: dict[str, Any] | None, role: str | None = None) -> Party | None:
    """One stored party; unknown roles (mark_for ...) become ``other``."""
    if not data:
        return None
    lines = [v for v in (data.get("address1"), data.get("address2")) if v]
    address = Address(lines=lines, city=data.get("city") or None,
                      state=data.get("state") or None,
                      postal_code=data.get("postal_code") or None,
                      country=data.get("country") or None)
    has_address = bool(lines or address.city or address.postal_code)
    return Party(role=ROLES.get(role or data.get("role") or "", PartyRole.OTHER),
                 name=data.get("name") or None, id_qualifier=data.get("id_qualifier") or None,
                 id=data.get("id_code") or None, address=address if has_address else None)


def all_parties(rows: list[dict[str, Any]] | None) -> list[Party]:
    return [p for p in (to_canonical(r) for r in rows or []) if p is not None]
