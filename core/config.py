"""The home directory (`ordergate init DIR`): where settings, the database and rules live.

Every part reads its own keys from `Home.settings`; the core only interprets `database.url`.
Keeping the path logic here means nobody else builds `sqlite:///...` strings by hand.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

SETTINGS_FILE = "ordergate.yaml"
DATABASE_FILE = "ordergate.db"
SOURCING_FILE = "sourcing.yaml"
DATABASE_URL_ENV = "ORDERGATE_DATABASE_URL"


class HomeError(Exception):
    """The home directory or its settings file cannot be used; `path` names the culprit."""

    def __init__(self, message: str, path: Path | None = None):
        super().__init__(message)
        self.path = path


def default_settings() -> dict[str, Any]:
    """Settings written by `ordergate init` (and assumed when a key is missing)."""
    return {
        "database": {"url": None},  # None -> sqlite:///HOME/ordergate.db
        "identity": {"isa_qualifier": "ZZ", "isa_id": "ORDERGATE", "gs_id": "ORDERGATE"},
    }


@dataclass
class Home:
    """A configuration directory; cheap to build, reads `ordergate.yaml` once."""

    path: Path
    settings: dict[str, Any] = field(init=False)

    def __post_init__(self) -> None:
        self.path = Path(self.path).expanduser().resolve()
        self.settings = self._load()

    def _load(self) -> dict[str, Any]:
        file = self.path / SETTINGS_FILE
        if not file.exists():
            return default_settings()
        try:
            data = yaml.safe_load(file.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as exc:
            raise HomeError(f"{file}: not valid YAML ({exc})", path=file) from None
        if not isinstance(data, dict):
            raise HomeError(f"{file}: expected a mapping at the top level", path=file)
        merged = default_settings()
        merged.update(data)
        return merged

    @property
    def settings_path(self) -> Path:
        return self.path / SETTINGS_FILE

    @property
    def database_url(self) -> str:
        """`ORDERGATE_DATABASE_URL`, else `database.url`, else the SQLite file in the home.
        A relative SQLite path in the settings is taken relative to the home."""
        env = os.environ.get(DATABASE_URL_ENV)
        if env:
            return env
        url = (self.settings.get("database") or {}).get("url")
        if not url:
            return f"sqlite:///{self.path / DATABASE_FILE}"
        if url.startswith("sqlite:///") and not url.startswith("sqlite:////"):
            rest = url[len("sqlite:///"):]
            if rest and rest != ":memory:" and not Path(rest).is_absolute():
                return f"sqlite:///{self.path / rest}"
        return url

    @property
    def sourcing_path(self) -> Path:
        return self.path / SOURCING_FILE

    @property
    def identity(self) -> dict[str, str]:
        return dict(self.settings.get("identity") or default_settings()["identity"])
