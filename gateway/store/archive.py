"""Content-addressed archive of every file received or sent: HOME/archive/ab/<sha256>, and packs.

One level of 256 folders: after the first few hundred blobs every folder exists, so a blob costs
no mkdir and a batch's flush fsyncs at most 256 folders (two levels, ab/cd/, meant a new folder
and a folder fsync for nearly every blob: ~40% of the archive's time). Blobs written under the
earlier ab/cd/ layout are still found.

A durable `put` writes one blob atomically (temporary file, fsync, rename, fsync of the folder)
*before* the database row that names it commits, so a committed row always has its bytes; a crash
in between leaves only an unreferenced blob, which is harmless. A blob is never rewritten: its name
is its content.

A batch (`put(..., durable=False)` then `flush()` before the commit, as the outbox renderer does)
goes into one pack instead, HOME/archive/packs/<name>.pack (`gateway.store.packs`): its own table
of contents, then the blobs. Creating a file (an inode) was the archive's main cost on our disks
(0.1-0.8 ms of kernel CPU each) and a pack makes one per batch instead of one per document, with
one file fsync and one folder fsync. A pack is written under a temporary name, fsynced and renamed
into place before `flush` returns, so a committed row's bytes are always in a complete pack; reads
check the sha256 as for loose blobs.
"""
from __future__ import annotations

import hashlib
import os
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from gateway.store.packs import Packs, fsync_path


class ArchiveError(Exception):
    """A blob is missing or does not match its hash; `sha256` and `path` say which."""

    def __init__(self, message: str, sha256: str, path: Path):
        super().__init__(message)
        self.sha256 = sha256
        self.path = path


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class Archive:
    root: Path
    # blobs put with durable=False and not yet flushed: sha256 -> bytes (mutable state)
    _pending: dict = field(default_factory=dict, compare=False, repr=False)
    _packs: Packs = field(init=False, compare=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_packs", Packs(Path(self.root) / PACKS))

    @classmethod
    def for_home(cls, home: Path) -> "Archive":
        return cls(Path(home) / "archive")

    def path(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256

    def _legacy_path(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def _existing(self, sha256: str) -> Path | None:
        for candidate in (self.path(sha256), self._legacy_path(sha256)):
            if candidate.exists():
                return candidate
        return None

    def put(self, data: bytes, *, durable: bool = True) -> str:
        """Store `data`; returns its sha256. Idempotent: an existing blob is left untouched.
        `durable=False` only takes the bytes (readable with `get` at once): the caller must call
        `flush()`, which writes them all as one pack, before committing the rows that name them.
        A batch then costs one new file and a few fsyncs instead of a file and an fsync a blob."""
        digest = sha256_of(data)
        if not durable:
            if digest not in self._pending and not self._packs.known(digest) \
                    and not self.path(digest).exists():
                self._pending[digest] = bytes(data)
            return digest
        target = self.path(digest)
        if target.exists():   # (a copy under the old layout is harmless: same name, same bytes)
            return digest
        tmp = target.with_name(f".{digest}.{os.getpid()}.tmp")
        try:
            fh = open(tmp, "wb")
        except FileNotFoundError:   # one of the 256 folders, made on first use
            target.parent.mkdir(parents=True, exist_ok=True)
            fh = open(tmp, "wb")
        with fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
        fsync_path(target.parent)
        return digest

    def flush(self) -> None:
        """Make every blob put with `durable=False` durable, as one pack (written, fsynced,
        renamed into place, folder fsynced). Only when this returns may rows naming them commit."""
        with self._lock:
            pending = dict(self._pending)
            self._pending.clear()
            if pending:
                self._packs.write(pending)

    def get(self, sha256: str) -> bytes:
        pending = self._pending.get(sha256)
        if pending is not None:
            return pending
        if self._packs.known(sha256):      # written or read by this process: no path probing
            data, pack = self._read_packed(sha256)
            if sha256_of(data) != sha256:
                target = self._pack_path(pack)
                raise ArchiveError(f"archive blob {target} does not match its hash", sha256, target)
            return data
        target = self.path(sha256)
        try:
            try:
                data = target.read_bytes()
            except FileNotFoundError:
                target = self._legacy_path(sha256)
                data = target.read_bytes()
        except FileNotFoundError:
            data, pack = self._read_packed(sha256)
            target = self._pack_path(pack)
        if sha256_of(data) != sha256:
            raise ArchiveError(f"archive blob {target} does not match its hash", sha256, target)
        return data

    def _pack_path(self, pack: str) -> Path:
        return self.root / PACKS / pack

    def _read_packed(self, sha256: str) -> tuple[bytes, str]:
        """A packed blob's bytes and its pack's name (the path is made only for a message: a
        pathlib join per read was a visible part of the sender's time)."""
        found = self._packs.find(sha256)
        if found is None:
            target = self.path(sha256)
            raise ArchiveError(f"archive blob {sha256} is missing ({target})", sha256, target)
        pack, start, length = found
        try:
            data = self._packs.read(pack, start, length)
        except FileNotFoundError:
            target = self._pack_path(pack)
            raise ArchiveError(f"archive blob {sha256} is missing (pack {target})", sha256,
                               target) from None
        return data, pack

    def exists(self, sha256: str) -> bool:
        if sha256 in self._pending or self._existing(sha256) is not None:
            return True
        found = self._packs.find(sha256)
        return found is not None and self._pack_path(found[0]).is_file()

    def prune(self, older_than_days: float, keep: set[str] | None = None) -> int:
        """Retention: delete blobs older than the given age (except `keep`), and stray temporary
        files left by a crash. A pack goes as a whole once it is older than the age and holds
        nothing in `keep`. Returns how many files were removed."""
        if not self.root.is_dir():
            return 0
        cutoff = time.time() - older_than_days * 86400
        removed = 0
        for path in [*self.root.glob("*/*"), *self.root.glob("*/*/*")]:
            if path.relative_to(self.root).parts[0] == PACKS or not path.is_file():
                continue
            name = path.name
            stale_tmp = name.startswith(".") and name.endswith(".tmp") and path.stat().st_mtime < time.time() - 3600
            if stale_tmp or (not name.startswith(".") and path.stat().st_mtime < cutoff
                             and (keep is None or name not in keep)):
                path.unlink(missing_ok=True)
                removed += 1
        return removed + self._packs.prune(cutoff, keep)


PACKS = "packs"
