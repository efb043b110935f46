"""Fixtures for the API tests: a real home made by `ordergate init` (built once per session and copied
per test, SQLite file included), keys of each scope, and an httpx client on the ASGI app."""
from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path
from typing import Iterator

import pytest
from fastapi.testclient import TestClient

from gateway.api import create_app
from gateway.api.db import engine_for
from gateway.api.keys import create_key
from gateway.api.settings import ApiSettings


def _make_home(path: Path) -> Path:
    if importlib.util.find_spec("gateway.cli.setup") is not None:
        from gateway.cli.main import main

        code = main(["init", str(path)])
        assert code == 0, f"ordergate init {path} exited {code}"
    else:  # the core's `init` has not landed: a bare home with migrated tables
        from core.bootstrap import migrate

        path.mkdir(parents=True, exist_ok=True)
        (path / "ordergate.yaml").write_text("database:\n  url: null\n", encoding="utf-8")
        migrate(f"sqlite:///{path / 'ordergate.db'}")
    return path


def _stock(home: Path) -> None:
    """Our own reference data (independent of init's demo data): two warehouses, a drop-ship
    vendor, items API-1 (stock in both), API-2 (a little in the west), API-9 (vendor only)."""
    from decimal import Decimal as D

    from core.bootstrap import bootstrap
    from core.domain.commands import DefineItem, DefineLocation, ReceiveInventory

    with bootstrap(home=home) as core:
        core.handle(DefineLocation(code="API-EAST", type="warehouse", postal_code="08817", state="NJ",
                                   priority=10))
        core.handle(DefineLocation(code="API-WEST", type="warehouse", postal_code="91761", state="CA",
                                   priority=10))
        core.handle(DefineLocation(code="api-vendor", type="dropship", postal_code="60601", state="IL",
                                   lead_time_days=3))
        core.handle(DefineItem(sku="API-1", unit_price=D("9.50")))
        core.handle(DefineItem(sku="API-2", unit_price=D("20")))
        core.handle(DefineItem(sku="API-9", unit_price=D("5"), vendors=(("api-vendor", "V-9", D("3")),)))
        core.handle(ReceiveInventory(sku="API-1", location="API-EAST", quantity=D(100)))
        core.handle(ReceiveInventory(sku="API-1", location="API-WEST", quantity=D(50)))
        core.handle(ReceiveInventory(sku="API-2", location="API-WEST", quantity=D(5)))


@pytest.fixture(scope="session")
def template_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = _make_home(tmp_path_factory.mktemp("api-template") / "home")
    _stock(home)
    return home


@pytest.fixture
def home(template_home: Path, tmp_path: Path) -> Path:
    target = tmp_path / "home"
    shutil.copytree(template_home, target)
    return target


@pytest.fixture
def settings(home: Path) -> ApiSettings:
    return ApiSettings.from_home(home)


@pytest.fixture
def engine(settings: ApiSettings):  # type: ignore[no-untyped-def]
    engine = engine_for(settings.database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def app(home: Path, engine):  # type: ignore[no-untyped-def]
    return create_app(ApiSettings.from_home(home), engine=engine)


def order_body(po: str = "WEB-1", **extra) -> dict:  # type: ignore[no-untyped-def]
    """The JSON of `ordergate orders create` (issue 3)."""
    body = {"channel": "webshop", "po_number": po,
            "ship_to": {"name": "Ada", "address1": "1 Main St", "city": "New York", "state": "NY",
                        "postal_code": "10001", "country": "US"},
            "lines": [{"line_number": "1", "sku": "API-1", "quantity": 3, "uom": "EA",
                       "unit_price": "9.50"}]}
    body.update(extra)
    return body


@pytest.fixture
def client(app) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


def _bearer(engine, name: str, scopes: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    _, clear = create_key(engine, name, scopes)
    return {"Authorization": f"Bearer {clear}"}


@pytest.fixture
def admin(engine) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return _bearer(engine, "ops", "admin")


@pytest.fixture
def writer(engine) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return _bearer(engine, "webshop", "write")


@pytest.fixture
def reader(engine) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return _bearer(engine, "finance", "read")
