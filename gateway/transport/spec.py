"""The transport settings of one partner, read from the profile's `transport` section.

The profile model belongs to the partners part (`gateway/partners/profile.py`); this module reads
it by attribute or key so that it accepts that pydantic model, a plain dict (tests, tools) or
another `TransportSpec`. Unknown extra keys are ignored; defaults are the safe ones (timeouts set,
nothing auto-trusted).
"""
from __future__ import annotations

import enum
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any, Mapping

from gateway.transport.errors import ConfigurationError


class TransportType(str, enum.Enum):
    SFTP = "sftp"
    LOCAL = "local"


class AfterDownload(str, enum.Enum):
    MOVE = "move"
    DELETE = "delete"


@dataclass(frozen=True)
class TransportSpec:
    """Everything a transport needs; durations in seconds."""

    type: TransportType = TransportType.LOCAL
    partner: str | None = None
    host: str | None = None
    port: int = 22
    user: str | None = None
    key_file: str | None = None
    key_env: str | None = None
    host_key: str | None = None
    inbound_dir: str = "inbound"
    outbound_dir: str = "outbound"
    processed_dir: str | None = None
    after_download: AfterDownload = AfterDownload.MOVE
    filename_pattern: str | None = None
    done_suffix: str | None = None
    stable_seconds: float = 0.0
    poll_seconds: float = 60.0
    connect_timeout: float = 15.0
    banner_timeout: float = 15.0
    auth_timeout: float = 15.0
    channel_timeout: float = 30.0
    retries: int = 4
    backoff_seconds: float = 1.0
    backoff_max_seconds: float = 30.0
    max_file_bytes: int = 256 * 1024 * 1024
    durable: bool = True        # local folder: fsync each upload (file and folder) before "sent"

    @classmethod
    def from_profile(cls, source: Any, *, partner: str | None = None) -> "TransportSpec":
        """Accept the profile's transport model, a mapping, or a TransportSpec."""
        if isinstance(source, TransportSpec):
            return replace(source, partner=partner or source.partner)
        if source is None:
            raise ConfigurationError("the partner profile has no transport section",
                                     partner=partner, hint="add `transport:` to the profile")
        values: dict[str, Any] = {}
        for field in fields(cls):
            raw = _read(source, field.name)
            if raw is not None:
                values[field.name] = _plain(raw)
        values.setdefault("partner", partner)
        for key, enum_type, default in (("type", TransportType, "local"),
                                        ("after_download", AfterDownload, "move")):
            raw = str(values.get(key, default))
            try:
                values[key] = enum_type(raw.lower())
            except ValueError:
                allowed = " or ".join(member.value for member in enum_type)
                raise ConfigurationError(f"transport.{key} is {raw!r}, expected {allowed}",
                                         partner=partner, hint=f"set transport.{key} to {allowed}"
                                         ) from None
        for name in ("port", "retries", "max_file_bytes"):
            if name in values:
                values[name] = int(values[name])
        spec = cls(**values)
        spec.validate()
        return spec

    def validate(self) -> None:
        if self.type is TransportType.SFTP:
            missing = [n for n in ("host", "user", "host_key") if not getattr(self, n)]
            if not (self.key_file or self.key_env):
                missing.append("key_file or key_env")
            if missing:
                raise ConfigurationError(
                    f"transport (sftp) is missing {', '.join(missing)}", partner=self.partner,
                    hint="an SFTP transport needs host, user, a pinned host_key and a key")

    def local_folder(self, home: Path | None, folder: str) -> Path:
        """A local folder setting, relative to the home directory unless absolute."""
        path = Path(folder).expanduser()
        if not path.is_absolute():
            path = (home or Path.cwd()) / path
        return path


def _read(source: Any, name: str) -> Any:
    if isinstance(source, Mapping):
        return source.get(name)
    return getattr(source, name, None)


def _plain(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, Path):
        return str(value)
    if hasattr(value, "get_secret_value"):
        return value.get_secret_value()
    return value
