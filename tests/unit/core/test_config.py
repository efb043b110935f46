"""Home settings: database URL resolution and clear errors for a broken ordergate.yaml."""
from __future__ import annotations

from pathlib import Path

import pytest

from core.config import Home, HomeError


def test_defaults_and_relative_sqlite(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ORDERGATE_DATABASE_URL", raising=False)
    assert Home(tmp_path).database_url == f"sqlite:///{tmp_path / 'ordergate.db'}"
    (tmp_path / "ordergate.yaml").write_text("database:\n  url: sqlite:///data/x.db\nmine: 1\n")
    home = Home(tmp_path)
    assert home.database_url == f"sqlite:///{tmp_path / 'data/x.db'}"
    assert home.settings["mine"] == 1 and home.identity["isa_id"] == "ORDERGATE"
    monkeypatch.setenv("ORDERGATE_DATABASE_URL", "postgresql://u@h/db")
    assert Home(tmp_path).database_url == "postgresql://u@h/db"


def test_broken_settings_name_the_file(tmp_path: Path) -> None:
    (tmp_path / "ordergate.yaml").write_text("database: [unclosed\n")
    with pytest.raises(HomeError) as info:
        Home(tmp_path)
    assert info.value.path == tmp_path / "ordergate.yaml"
