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
goes into one pack instead: HOME/archive/packs/<name>.pack holds the batch's blobs one after the
other, and HOME/archive/packs/index/ab (ab = the first two hex digits of the sha256) gets one line
per blob, `<sha256> <pack> <offset> <length>`. Creating a file (an inode) was the archive's main
cost on our disks (0.1-0.8 ms each, CPU in the kernel) and a pack makes one per batch instead of one
per document. The order keeps the guarantee: the pack is written and fsynced (and its folder), then
the index lines are appended and fsynced, and only then may the caller commit. A crash before that
leaves an unreferenced pack or a torn index line; every append starts with a newline, so a torn
line never swallows the next one, and the reader skips lines it cannot parse. Reads check the
sha256 as for loose blobs.
"""
from __future__ import annotations

import hashlib
import itertools
import os
import threading
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
    # blobs put with durable=False and not yet flushed: sha256 -> bytes (mutable state)
    _pending: dict = field(default_factory=dict, compare=False, repr=False)
    # packed blobs known to this instance: sha256 -> (pack name, offset, length), and how many
    # bytes of each index shard were read into it
    _packed: dict = field(default_factory=dict, compare=False, repr=False)
    _shard_read: dict = field(default_factory=dict, compare=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, compare=False, repr=False)

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
            if digest not in self._pending and digest not in self._packed \
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
        _fsync_path(target.parent)
        return digest

    def flush(self) -> None:
        """Make every blob put with `durable=False` durable, as one pack: the pack written and
        fsynced with its folder, then each blob's index line appended to its shard (the shards
        fsynced side by side). Only when this returns may rows naming the blobs commit."""
        with self._lock:
            pending = dict(self._pending)
            self._pending.clear()
            if not pending:
                return
            packs = self.root / PACKS
            index = packs / "index"
            index.mkdir(parents=True, exist_ok=True)
            name = f"{time.time_ns():016x}-{os.getpid()}-{next(_PACK_SEQ)}.pack"
            where: dict[str, tuple[str, int, int]] = {}
            offset = 0
            for digest, data in pending.items():
                where[digest] = (name, offset, len(data))
                offset += len(data)
            with open(packs / name, "xb") as fh:
                fh.write(b"".join(pending.values()))
                fh.flush()
                os.fsync(fh.fileno())
            _fsync_path(packs)
            shards: dict[str, list[str]] = {}
            for digest, (pack, start, length) in where.items():
                shards.setdefault(digest[:2], []).append(f"{digest} {pack} {start} {length}\n")
            items = [(index / shard, ("\n" + "".join(lines)).encode("ascii"))
                     for shard, lines in sorted(shards.items())]
            if len(items) > 1:
                with ThreadPoolExecutor(max_workers=min(8, len(items))) as pool:
                    list(pool.map(_append_synced, items))
            else:
                _append_synced(items[0])
            _fsync_path(index)      # a shard made just now must be found after a power cut
            self._packed.update(where)

    def get(self, sha256: str) -> bytes:
        pending = self._pending.get(sha256)
        if pending is not None:
            return pending
        target = self.path(sha256)
        try:
            try:
                data = target.read_bytes()
            except FileNotFoundError:
                target = self._legacy_path(sha256)
                data = target.read_bytes()
        except FileNotFoundError:
            data, target = self._read_packed(sha256)
        if sha256_of(data) != sha256:
            raise ArchiveError(f"archive blob {target} does not match its hash", sha256, target)
        return data

    def _read_packed(self, sha256: str) -> tuple[bytes, Path]:
        found = self._find_packed(sha256)
        if found is None:
            target = self.path(sha256)
            raise ArchiveError(f"archive blob {sha256} is missing ({target})", sha256, target)
        pack, start, length = found
        target = self.root / PACKS / pack
        try:
            with open(target, "rb") as fh:
                fh.seek(start)
                data = fh.read(length)
        except FileNotFoundError:
            raise ArchiveError(f"archive blob {sha256} is missing (pack {target})", sha256,
                               target) from None
        return data, target

    def _find_packed(self, sha256: str) -> tuple[str, int, int] | None:
        """Where a packed blob is, from this instance's memory or else from the new part of its
        index shard (read from where this instance stopped: shards are append-only)."""
        found = self._packed.get(sha256)
        if found is not None:
            return found
        shard = sha256[:2]
        path = self.root / PACKS / "index" / shard
        with self._lock:
            seen = self._shard_read.get(shard, 0)
            try:
                with open(path, "rb") as fh:
                    fh.seek(seen)
                    tail = fh.read()
            except FileNotFoundError:
                return None
            end = tail.rfind(b"\n") + 1        # a line still being appended waits for next time
            for line in tail[:end].split(b"\n"):
                record = _parse_index_line(line)
                if record is not None:
                    self._packed.setdefault(record[0], record[1:])
            self._shard_read[shard] = seen + end
        return self._packed.get(sha256)

    def exists(self, sha256: str) -> bool:
        if sha256 in self._pending or self._existing(sha256) is not None:
            return True
        found = self._find_packed(sha256)
        return found is not None and (self.root / PACKS / found[0]).is_file()

    def prune(self, older_than_days: float, keep: set[str] | None = None) -> int:
        """Retention: delete blobs older than the given age (except `keep`), and stray temporary
        files left by a crash. A pack goes as a whole once it is older than the age and holds
        nothing in `keep` (its index lines stay, naming a pack that is gone: the blob reads as
        missing, as a pruned loose blob does). Returns how many files were removed."""
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
        old_packs = [p for p in (self.root / PACKS).glob("*.pack")
                     if p.is_file() and p.stat().st_mtime < cutoff]
        if old_packs:
            held = self._pack_contents()
            for pack in old_packs:
                if keep and any(d in keep for d in held.get(pack.name, ())):
                    continue
                pack.unlink(missing_ok=True)
                removed += 1
        return removed

    def _pack_contents(self) -> dict[str, list[str]]:
        """Every pack's blobs, from all the index shards."""
        held: dict[str, list[str]] = {}
        index = self.root / PACKS / "index"
        for shard in (index.iterdir() if index.is_dir() else ()):
            for line in shard.read_bytes().split(b"\n"):
                record = _parse_index_line(line)
                if record is not None:
                    held.setdefault(record[1], []).append(record[0])
        return held


PACKS = "packs"
_PACK_SEQ = itertools.count(1)
_HEX = frozenset("0123456789abcdef")


def _parse_index_line(line: bytes) -> tuple[str, str, int, int] | None:
    """(sha256, pack, offset, length) from one index line; None for a blank or torn one."""
    parts = line.split()
    if len(parts) != 4:
        return None
    try:
        digest, pack = parts[0].decode("ascii"), parts[1].decode("ascii")
        start, length = int(parts[2]), int(parts[3])
    except (UnicodeDecodeError, ValueError):
        return None
    if len(digest) != 64 or not _HEX.issuperset(digest) or not pack.endswith(".pack") \
            or "/" in pack or start < 0 or length < 0:
        return None
    return digest, pack, start, length


def _append_synced(item: tuple[Path, bytes]) -> None:
    """Append `data` to `path` (made if missing) in one O_APPEND write, then fsync it."""
    path, data = item
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_path(path: Path) -> None:
    """fsync a file or a folder by path (read-only open is enough on POSIX)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
