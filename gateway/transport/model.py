"""What a transport lists and what it proves about each transfer."""
from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime


@dataclass(frozen=True)
class RemoteFile:
    """One entry of a partner folder: a regular file with a safe name."""

    name: str
    size: int
    mtime: float

    def signature(self) -> tuple[int, float]:
        """What must not change between two listings for the file to count as complete."""
        return (self.size, self.mtime)


@dataclass(frozen=True)
class Evidence:
    """SFTP gives no signed receipt, so we keep the facts of each transfer (RELIABILITY.md)."""

    direction: str              # 'in' (downloaded) or 'out' (uploaded)
    transport: str              # 'sftp' or 'local'
    partner: str | None
    name: str                   # the file name in the partner folder
    remote_path: str            # full path on the server (or on disk)
    size: int
    sha256: str
    at: datetime                # UTC, when the transfer completed
    user: str | None = None     # SFTP user (local: the OS user)
    host: str | None = None
    port: int | None = None
    server_key_fingerprint: str | None = None   # 'SHA256:...' of the server's host key
    server_key_type: str | None = None
    remote_mtime: float | None = None

    def to_json(self) -> dict[str, object]:
        data = asdict(self)
        data["at"] = self.at.isoformat()
        return data


@dataclass(frozen=True)
class Fetched:
    """A downloaded file: its bytes and the evidence recorded for them."""

    data: bytes
    evidence: Evidence
