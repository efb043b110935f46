"""API keys: high-entropy random keys stored only as their SHA-256, looked up by a public prefix and
compared in constant time. A stolen database therefore yields no usable key.

Key format: `og_<prefix>_<secret>`; `prefix` (8 hex chars) is stored in clear to find the row.
"""
from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine, insert, select, update
from sqlalchemy.exc import IntegrityError

from gateway.api.db import reading
from gateway.api import clock
from gateway.api.scopes import Scope, format_scopes, parse_scopes
from gateway.api.tables import api_keys

NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
TOUCH_EVERY = timedelta(minutes=10)
KEY_RE = re.compile(r"^og_([0-9a-f]{8})_([A-Za-z0-9_-]{20,})$")


class ApiKeyError(Exception):
    """A key could not be created or changed (duplicate name, bad name or scopes)."""


@dataclass(frozen=True)
class ApiKey:
    id: int
    name: str
    prefix: str
    scopes: frozenset[Scope]
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None

    @property
    def actor(self) -> str:
        """What the order history records for writes made with this key."""
        return f"api:{self.name}"

    def to_json(self) -> dict:
        return {"id": self.id, "name": self.name, "prefix": self.prefix,
                "scopes": format_scopes(self.scopes).split(","),
                "created_at": self.created_at.isoformat(),
                "last_used_at": self.last_used_at.isoformat() if self.last_used_at else None,
                "revoked": self.revoked_at is not None}


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def create_key(engine: Engine, name: str, scopes: str | frozenset[Scope]) -> tuple[ApiKey, str]:
    """Store a new key; returns the record and the clear key (shown once, never stored)."""
    if not NAME_RE.match(name or ""):
        raise ApiKeyError(f"invalid key name {name!r}: use letters, digits, '.', '_' or '-' (max 100)")
    granted = parse_scopes(scopes) if isinstance(scopes, str) else frozenset(scopes)
    if not granted:
        raise ApiKeyError("a key needs at least one scope (read, write, admin)")
    prefix = secrets.token_hex(4)
    clear = f"og_{prefix}_{secrets.token_urlsafe(32)}"
    created = clock.now()
    try:
        with engine.begin() as conn:
            key_id = conn.execute(insert(api_keys).values(
                name=name, prefix=prefix, key_hash=hash_key(clear),
                scopes=format_scopes(granted), created_at=created)).inserted_primary_key[0]
    except IntegrityError:
        raise ApiKeyError(f"an API key named {name!r} already exists") from None
    return ApiKey(key_id, name, prefix, granted, created, None, None), clear


def authenticate(engine: Engine, presented: str) -> ApiKey | None:
    """The live key matching `presented`, or None. Constant-time on the hash comparison."""
    match = KEY_RE.match(presented or "")
    if not match:
        return None
    with reading(engine) as conn:
        row = conn.execute(select(api_keys).where(api_keys.c.prefix == match.group(1))).first()
    if row is None or not hmac.compare_digest(row.key_hash, hash_key(presented)):
        return None
    if row.revoked_at is not None:
        return None
    _touch(engine, row)
    return _record(row)


def _touch(engine: Engine, row) -> None:  # type: ignore[no-untyped-def]
    """Record when a key was last used, at most every TOUCH_EVERY (a write on every read would
    queue API reads behind writers on SQLite)."""
    now = clock.now()
    last = clock.utc(row.last_used_at)
    if last is not None and now - last < TOUCH_EVERY:
        return
    with engine.begin() as conn:
        conn.execute(update(api_keys).where(api_keys.c.id == row.id).values(last_used_at=now))


def list_keys(engine: Engine) -> list[ApiKey]:
    with reading(engine) as conn:
        return [_record(r) for r in conn.execute(select(api_keys).order_by(api_keys.c.id))]


def revoke_key(engine: Engine, name: str) -> bool:
    with engine.begin() as conn:
        done = conn.execute(update(api_keys).where(api_keys.c.name == name,
                                                   api_keys.c.revoked_at.is_(None))
                            .values(revoked_at=clock.now()))
    return done.rowcount == 1


def _record(row) -> ApiKey:  # type: ignore[no-untyped-def]
    return ApiKey(row.id, row.name, row.prefix, parse_scopes(row.scopes), clock.utc(row.created_at),
                  clock.utc(row.last_used_at), clock.utc(row.revoked_at))
