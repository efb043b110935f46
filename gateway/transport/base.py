"""The one interface both transports implement, and the rules they share.

Shared here: which listed files are ready to fetch (`stable_files`: a done-file per profile, or the
same size and time across two listings `stable_seconds` apart; names still being written under a
temporary name are never offered), the size check on every download, and the evidence record.
Implementations supply five primitives: `_list_all`, `_read`, `_write_atomic`, `_move`, `_delete`.
"""
from __future__ import annotations

import abc
import hashlib
import time
from datetime import datetime, timezone
from typing import Callable

from gateway.transport.errors import IncompleteTransfer, RemoteFileMissing, TransportError
from gateway.transport.model import Evidence, Fetched, RemoteFile
from gateway.transport.names import check_name, is_temporary
from gateway.transport.spec import AfterDownload, TransportSpec


class Transport(abc.ABC):
    """A partner's mailbox: an inbound folder we fetch from, an outbound folder we deliver to."""

    kind = "abstract"

    def __init__(self, spec: TransportSpec, *, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.spec = spec
        self._clock = clock
        self._sleep = sleep
        self._snapshot: tuple[float, dict[str, RemoteFile]] | None = None
        self.evidence: dict[str, Evidence] = {}
        self.refused_names: list[tuple[str, str]] = []   # (name, reason) seen in the last listing

    # ---- the contract (docs/CONTRACTS.md "Transport API") ----
    def list_inbound(self) -> list[RemoteFile]:
        """Data files in the inbound folder, oldest first; temporary names and done-markers left out."""
        entries = self._list_all()
        suffix = self.spec.done_suffix
        files = [f for f in entries.values()
                 if not is_temporary(f.name) and not (suffix and f.name.endswith(suffix))]
        return sorted(files, key=lambda f: (f.mtime, f.name))

    def stable_files(self, *, wait: bool = True) -> list[RemoteFile]:
        """Files safe to fetch now: complete by the partner's convention.

        With a `done_suffix`, a file is ready once `name + done_suffix` exists. Otherwise a file is
        ready when its size and time are unchanged across two listings at least `stable_seconds`
        apart. `wait=True` sleeps between the two listings; `wait=False` (for a poller called every
        few seconds) compares with the listing kept from the previous call and never sleeps.
        """
        if self.spec.done_suffix:
            entries = self._list_all()
            return [f for f in self.list_inbound() if f.name + self.spec.done_suffix in entries]
        if self._snapshot is None:
            self._snapshot = (self._clock(), {f.name: f for f in self.list_inbound()})
            if not wait:
                return []
        taken_at, before = self._snapshot
        age = self._clock() - taken_at
        if age < self.spec.stable_seconds:
            if not wait:
                return []
            self._sleep(self.spec.stable_seconds - age)
        current = self.list_inbound()
        self._snapshot = (self._clock(), {f.name: f for f in current})
        return [f for f in current
                if f.name in before and before[f.name].signature() == f.signature()]

    def download(self, name: str) -> bytes:
        """The file's bytes; its evidence is kept in `self.evidence[name]`."""
        return self.fetch(name).data

    def fetch(self, name: str) -> Fetched:
        """Download `name` whole, or raise: a short read never returns partial bytes."""
        check_name(name, **self._where("download"))
        expected, data, extra = self._read(name)
        if expected is not None and len(data) != expected:
            raise IncompleteTransfer(f"{name}: got {len(data)} bytes, the server listed {expected}",
                                     name=name, **self._where("download"))
        evidence = self._evidence("in", name, self._inbound_path(name), data, **extra)
        self.evidence[name] = evidence
        return Fetched(data, evidence)

    def archive_remote(self, name: str) -> None:
        """After the file is recorded: move it to the processed folder or delete it (per profile).

        Idempotent, because a crash can come between the two: a file already gone is fine.
        """
        check_name(name, **self._where("archive"))
        names = [name]
        if self.spec.done_suffix:
            names.append(name + self.spec.done_suffix)
        for each in names:
            try:
                if self.spec.after_download is AfterDownload.DELETE:
                    self._delete(each)
                else:
                    self._move(each)
            except RemoteFileMissing:
                continue

    def upload(self, name: str, data: bytes) -> Evidence:
        """Write under a temporary name, then rename into place: the partner never sees half a file."""
        check_name(name, **self._where("upload"))
        if len(data) > self.spec.max_file_bytes:
            raise TransportError(f"{name}: {len(data)} bytes is over the limit of "
                                 f"{self.spec.max_file_bytes}", name=name,
                                 hint="raise transport.max_file_bytes", **self._where("upload"))
        extra = self._write_atomic(name, data)
        return self._evidence("out", name, self._outbound_path(name), data, **extra)

    def upload_many(self, items: list[tuple[str, bytes]]) -> list[Evidence]:
        """Upload several files; each lands whole under its final name or not at all.

        The local folder overrides this to pay for durability once per batch; over SFTP it is a
        loop over one connection."""
        return [self.upload(name, data) for name, data in items]

    def probe(self) -> dict[str, object]:
        """Connect and list (for `partner check --connect`): what we saw, or raise."""
        files = self.list_inbound()
        return {"transport": self.kind, "inbound_files": len(files), **self._identity()}

    @abc.abstractmethod
    def close(self) -> None: ...

    def __enter__(self) -> "Transport":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- primitives ----
    @abc.abstractmethod
    def _list_all(self) -> dict[str, RemoteFile]:
        """Every regular file with a safe name in the inbound folder (unsafe ones noted)."""

    @abc.abstractmethod
    def _read(self, name: str) -> tuple[int | None, bytes, dict[str, object]]:
        """(size the server reports, bytes read, extra evidence fields)."""

    @abc.abstractmethod
    def _write_atomic(self, name: str, data: bytes) -> dict[str, object]: ...

    @abc.abstractmethod
    def _move(self, name: str) -> None: ...

    @abc.abstractmethod
    def _delete(self, name: str) -> None: ...

    @abc.abstractmethod
    def _inbound_path(self, name: str) -> str: ...

    @abc.abstractmethod
    def _outbound_path(self, name: str) -> str: ...

    def _identity(self) -> dict[str, object]:
        return {}

    def _where(self, operation: str) -> dict[str, object]:
        return {"partner": self.spec.partner, "operation": operation}

    def _evidence(self, direction: str, name: str, path: str, data: bytes,
                  **extra: object) -> Evidence:
        fields = {**self._identity(), **extra}
        return Evidence(direction=direction, transport=self.kind, partner=self.spec.partner,
                        name=name, remote_path=path, size=len(data),
                        sha256=hashlib.sha256(data).hexdigest(),
                        at=datetime.now(timezone.utc), **fields)  # type: ignore[arg-type]
