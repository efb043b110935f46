"""Content-addressed archive of every file received or sent: HOME/archive/ab/<sha256>.

One level of 256 folders: after the first few hundred blobs every folder exists, so a blob costs
no mkdir and a batch's flush fsyncs at most 256 folders (two levels, ab/cd/, meant a new folder
and a folder fsync for nearly every blob: ~40% of the archive's time). Blobs written under the
earlier ab/cd/ layout are still found.

Written atomically (temporary file, fsync, rename, fsync of the folder) *before* the database row
that names it commits, so a committed row always has its bytes; a crash in between leaves only an
unreferenced blob, which is harmless. A blob is never rewritten: its name is its content.
"""
from __future__ import annotations

import hashlib
import os
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path


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
    # blobs written with durable=False and not yet flushed (the list itself is mutable state)
    _unsynced: list = field(default_factory=list, compare=False, repr=False)

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
        `durable=False` skips the fsyncs (the rename is still atomic); the caller must call
        `flush()` before committing the rows that name the blobs. A batch then costs one flush
        instead of two fsyncs a blob."""
        digest = sha256_of(data)
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
            if durable:
                fh.flush()
                os.fsync(fh.fileno())
        os.replace(tmp, target)
        if not durable:
            self._unsynced.append(target)
        if durable:
            dir_fd = os.open(target.parent, os.O_RDONLY)
            try:
                os.fsync(dir_fd)
            finally:
                os.close(dir_fd)
        return digest

    def flush(self) -> None:
        """Make every blob written with `durable=False` durable: their files fsynced side by side
        and each folder once. Only our own blobs: a system-wide sync() would also wait for every
        other writer's dirty pages on the machine (half a second and more on a busy disk)."""
        pending, self._unsynced[:] = list(self._unsynced), []
        if not pending:
            return
        folders = sorted({p.parent for p in pending})
        with ThreadPoolExecutor(max_workers=min(8, len(pending))) as pool:
            list(pool.map(_fsync_path, pending))
            # then the folders (at most 256), side by side too
            list(pool.map(_fsync_path, folders))

    def get(self, sha256: str) -> bytes:
        target = self.path(sha256)
        try:
            try:
                data = target.read_bytes()
            except FileNotFoundError:
                data = self._legacy_path(sha256).read_bytes()
                target = self._legacy_path(sha256)
        except FileNotFoundError:
            raise ArchiveError(f"archive blob {sha256} is missing ({target})", sha256, target) from None
        if sha256_of(data) != sha256:
            raise ArchiveError(f"archive blob {target} does not match its hash", sha256, target)
        return data

    def exists(self, sha256: str) -> bool:
        return self._existing(sha256) is not None

    def prune(self, older_than_days: float, keep: set[str] | None = None) -> int:
        """Retention: delete blobs older than the given age (except `keep`), and stray temporary
        files left by a crash. Returns how many files were removed."""
        if not self.root.is_dir():
            return 0
        cutoff = time.time() - older_than_days * 86400
        removed = 0
        for path in [*self.root.glob("*/*"), *self.root.glob("*/*/*")]:
            if not path.is_file():
                continue
            name = path.name
            stale_tmp = name.startswith(".") and name.endswith(".tmp") and path.stat().st_mtime < time.time() - 3600
            if stale_tmp or (not name.startswith(".") and path.stat().st_mtime < cutoff
                             and (keep is None or name not in keep)):
                path.unlink(missing_ok=True)
                removed += 1
        return removed


def _fsync_path(path: Path) -> None:
    """fsync a file or a folder by path (read-only open is enough on POSIX)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
