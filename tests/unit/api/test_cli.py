"""`ordergate api-key` and `ordergate api webhook|deliver` through the real command line."""
from __future__ import annotations

import json

from fastapi.testclient import TestClient

from gateway.api import create_app
from gateway.cli.main import main


def test_api_key_create_prints_the_key_last_and_it_works(home, capsys) -> None:
    assert main(["api-key", "create", "--home", str(home), "--name", "shop", "--scopes", "read,write"]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    key = out[-1]
    assert key.startswith("og_") and "shop" in out[0]
    with TestClient(create_app(home)) as client:
        ok = client.get("/v1/orders", headers={"Authorization": f"Bearer {key}"})
        assert ok.status_code == 200
        admin_only = client.get("/v1/api-keys", headers={"Authorization": f"Bearer {key}"})
        assert admin_only.status_code == 403
    assert main(["api-key", "list", "--home", str(home), "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert listed[0]["name"] == "shop" and listed[0]["scopes"] == ["read", "write"]
    assert key not in json.dumps(listed)


def test_api_key_errors_are_messages_not_tracebacks(home, capsys) -> None:
    assert main(["api-key", "create", "--home", str(home), "--name", "x", "--scopes", "root"]) == 2
    err = capsys.readouterr().err
    assert "unknown scope 'root'" in err and "hint:" in err and "Traceback" not in err
    assert main(["api-key", "create", "--home", str(home), "--name", "x"]) == 0
    capsys.readouterr()
    assert main(["api-key", "create", "--home", str(home), "--name", "x"]) == 1
    assert "already exists" in capsys.readouterr().err
    assert main(["api-key", "revoke", "--home", str(home), "x"]) == 0
    assert main(["api-key", "revoke", "--home", str(home), "x"]) == 1
    assert main(["api-key", "list", "--home", str(home / "missing")]) == 2


def test_webhook_commands_and_deliver(home, capsys) -> None:
    assert main(["api", "--home", str(home), "webhook", "add", "--url", "http://127.0.0.1:9/hook",
                 "--events", "order.*,invoice.issued"]) == 0
    secret = capsys.readouterr().out.strip().splitlines()[-1]
    assert len(secret) >= 32
    assert main(["api", "--home", str(home), "webhook", "list", "--json"]) == 0
    subs = json.loads(capsys.readouterr().out)
    assert subs[0]["events"] == ["order.*", "invoice.issued"] and "secret" not in subs[0]
    assert main(["api", "--home", str(home), "webhook", "add", "--url", "x", "--events", "*"]) == 2
    assert "absolute http(s) URL" in capsys.readouterr().err
    assert main(["api", "--home", str(home), "deliver", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert set(report) == {"collected", "delivered", "failed", "dead", "errors"}
    assert main(["api", "--home", str(home), "webhook", "remove", str(subs[0]["id"])]) == 0
    assert main(["api", "--home", str(home), "webhook", "remove", "999"]) == 1


def test_home_may_come_after_the_sub_command_and_is_required(home, monkeypatch, capsys) -> None:
    monkeypatch.delenv("ORDERGATE_HOME", raising=False)
    assert main(["api", "webhook", "list", "--home", str(home), "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []
    assert main(["api", "webhook", "list"]) == 2
    assert "--home" in capsys.readouterr().err
    assert main(["api"]) == 2
