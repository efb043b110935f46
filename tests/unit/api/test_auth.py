"""API keys: hashed storage, constant-time lookup, scopes, and the problem answers for 401/403."""
from __future__ import annotations

import hashlib

from sqlalchemy import select

from gateway.api.keys import authenticate, create_key, list_keys, revoke_key
from gateway.api.scopes import Scope, allows, parse_scopes
from gateway.api.tables import api_keys


def test_key_is_stored_only_as_its_hash(engine) -> None:
    record, clear = create_key(engine, "shop", "read,write")
    with engine.connect() as conn:
        row = conn.execute(select(api_keys)).one()
    assert clear not in repr(tuple(row))
    assert row.key_hash == hashlib.sha256(clear.encode()).hexdigest()
    assert authenticate(engine, clear) == record
    assert record.actor == "api:shop"


def test_wrong_or_malformed_or_revoked_keys_are_refused(engine) -> None:
    _, clear = create_key(engine, "shop", "read")
    assert authenticate(engine, clear[:-1] + ("A" if clear[-1] != "A" else "B")) is None
    assert authenticate(engine, "not-a-key") is None
    assert authenticate(engine, "") is None
    assert revoke_key(engine, "shop") is True
    assert authenticate(engine, clear) is None
    assert revoke_key(engine, "shop") is False
    assert [k.name for k in list_keys(engine)] == ["shop"]


def test_scopes_nest() -> None:
    assert allows(parse_scopes("admin"), Scope.WRITE)
    assert allows(parse_scopes("write"), Scope.READ)
    assert not allows(parse_scopes("read"), Scope.WRITE)
    assert not allows(parse_scopes("write"), Scope.ADMIN)


def test_unknown_scope_is_named() -> None:
    import pytest

    with pytest.raises(ValueError, match="'owner'"):
        parse_scopes("read,owner")


def test_missing_key_is_401_problem(client) -> None:
    response = client.get("/v1/webhooks")
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == 401 and body["instance"] == "/v1/webhooks"
    assert body["type"].endswith("/unauthorized")
    assert "Bearer" in response.headers["www-authenticate"]


def test_unknown_key_is_401(client) -> None:
    response = client.get("/v1/webhooks", headers={"Authorization": "Bearer og_00000000_nope-nope-nope-nope-nope"})
    assert response.status_code == 401


def test_read_key_cannot_write_403(client, reader) -> None:
    response = client.post("/v1/webhooks", headers=reader,
                           json={"url": "http://127.0.0.1:9/x", "events": ["*"]})
    assert response.status_code == 403
    assert response.json()["required_scope"] == "admin"


def test_admin_manages_keys_over_http(client, admin) -> None:
    created = client.post("/v1/api-keys", headers=admin, json={"name": "wms", "scopes": ["write"]})
    assert created.status_code == 201, created.text
    key = created.json()["key"]
    listing = client.get("/v1/api-keys", headers={"Authorization": f"Bearer {key}"})
    assert listing.status_code == 403  # a write key may not list keys
    names = [k["name"] for k in client.get("/v1/api-keys", headers=admin).json()]
    assert names == ["ops", "wms"]
    duplicate = client.post("/v1/api-keys", headers=admin, json={"name": "wms", "scopes": ["read"]})
    assert duplicate.status_code == 409
    assert duplicate.json()["errors"][0]["field"] == "name"
    assert client.delete("/v1/api-keys/wms", headers=admin).status_code == 204
    assert client.get("/v1/webhooks", headers={"Authorization": f"Bearer {key}"}).status_code == 401
    assert client.delete("/v1/api-keys/wms", headers=admin).status_code == 404


def test_last_used_is_recorded(engine) -> None:
    _, clear = create_key(engine, "seen", "read")
    assert list_keys(engine)[0].last_used_at is None
    authenticate(engine, clear)
    first = list_keys(engine)[0].last_used_at
    assert first is not None
    authenticate(engine, clear)
    assert list_keys(engine)[0].last_used_at == first  # throttled: no write on every request
