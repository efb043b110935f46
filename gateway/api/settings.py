"""Settings of the HTTP API, read from the home directory's ordergate.yaml (key `api:`).

The API reads its own keys from the shared settings file and leaves the rest to the other parts:
```yaml
api:
  base_url: http://127.0.0.1:8080     # used in `next` links when behind a proxy
  page_size: 50                       # default page size, capped by max_page_size
  max_page_size: 500
  webhooks:
    timeout_seconds: 10
    max_attempts: 8
    deliver_every_seconds: 15         # background sending inside `ordergate api`; 0 turns it off
```
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml


@dataclass(frozen=True)
class WebhookSettings:
    timeout_seconds: float = 10.0
    max_attempts: int = 8
    backoff_base_seconds: float = 30.0
    backoff_cap_seconds: float = 6 * 3600.0
    deliver_every_seconds: float = 15.0  # `ordergate api` sends due webhooks this often; 0: never


@dataclass(frozen=True)
class ApiSettings:
    """Everything the app factory needs; build it with `ApiSettings.from_home(path)` or directly."""

    database_url: str
    home: Path | None = None
    page_size: int = 50
    max_page_size: int = 500
    base_url: str | None = None
    webhooks: WebhookSettings = field(default_factory=WebhookSettings)

    @classmethod
    def from_home(cls, home: Path | str) -> "ApiSettings":
        home = Path(home).expanduser().resolve()
        raw = _read_yaml(home / "ordergate.yaml")
        database_url = _database_url(home, raw)
        api: dict[str, Any] = dict(raw.get("api") or {})
        hooks = dict(api.get("webhooks") or {})
        return cls(
            database_url=database_url,
            home=home,
            page_size=int(api.get("page_size", 50)),
            max_page_size=int(api.get("max_page_size", 500)),
            base_url=api.get("base_url"),
            webhooks=WebhookSettings(**{k: v for k, v in hooks.items()
                                        if k in WebhookSettings.__dataclass_fields__}),
        )


def _read_yaml(path: Path) -> dict[str, Any]:
    if not path.is_file():
        return {}
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return data if isinstance(data, dict) else {}


def _database_url(home: Path, raw: dict[str, Any]) -> str:
    """The core's `Home` is the authority; this mirrors its rule when core.config is not importable."""
    try:
        from core.config import Home
    except ImportError:
        override = os.environ.get("ORDERGATE_DATABASE_URL")
        if override:
            return override
        url = (raw.get("database") or {}).get("url")
        return url or f"sqlite:///{home / 'ordergate.db'}"
    return Home(home).database_url
