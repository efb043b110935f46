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


@pytest.fixture(scope="session")
def template_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _make_home(tmp_path_factory.mktemp("api-template") / "home")


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
