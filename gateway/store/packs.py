"""Archive packs: a batch of blobs in one file, HOME/archive/packs/<name>.pack (see archive.py).

A pack is self-describing: a fixed-width table of contents, then the blobs one after the other.

    OGPACK1 <count, 8 digits>\\n
    <sha256> <offset, 12 digits> <length, 12 digits>\\n      (count lines; offsets from the start)
    <blob><blob>...

It is written under a temporary name, fsynced, renamed into place and its folder fsynced, so a pack
that can be seen is complete. Names start with the time in hex nanoseconds, so sorting them puts the
newest last; a lookup reads tables of contents newest first (what is looked up is nearly always
what was written last) and remembers them, and keeps the last pack it read in memory for the
uploads that follow a render.
"""
from __future__ import annotations

import itertools
import os
import threading
import time
from pathlib import Path

MAGIC = b"OGPACK1 "
HEAD = len(MAGIC) + 9                 # "OGPACK1 " + 8 digits + newline
ENTRY = 64 + 1 + 12 + 1 + 12 + 1      # "<sha256> <offset> <length>\n"
REMEMBER = 500_000                    # table-of-contents entries kept in memory at most
_SEQ = itertools.count(1)


def encode(blobs: dict[str, bytes]) -> tuple[bytes, dict[str, tuple[int, int]]]:
    """The pack's bytes, and where each blob is in it: sha256 -> (offset, length)."""
    pos = HEAD + ENTRY * len(blobs)
    where: dict[str, tuple[int, int]] = {}
    lines = []
    for digest, data in blobs.items():
        where[digest] = (pos, len(data))
        lines.append(f"{digest} {pos:012d} {len(data):012d}\n")
        pos += len(data)
    head = MAGIC + b"%08d\n" % len(blobs) + "".join(lines).encode("ascii")
    return head + b"".join(blobs.values()), where


def contents(path: Path) -> dict[str, tuple[int, int]] | None:
    """A pack's table of contents; None when the file is not a readable pack."""
    with open(path, "rb") as fh:
        head = fh.read(HEAD)
        if len(head) != HEAD or not head.startswith(MAGIC) or not head.endswith(b"\n"):
            return None
        try:
            count = int(head[len(MAGIC):-1])
        except ValueError:
            return None
        table = fh.read(count * ENTRY)
    if len(table) != count * ENTRY:
        return None
    where: dict[str, tuple[int, int]] = {}
    for start in range(0, len(table), ENTRY):
        line = table[start:start + ENTRY]
        try:
            where[line[:64].decode("ascii")] = (int(line[65:77]), int(line[78:90]))
        except (UnicodeDecodeError, ValueError):
            return None
    return where


class Packs:
    """The packs of one archive folder, as seen by this process."""

    def __init__(self, folder: Path):
        self.folder = folder
        self._where: dict[str, tuple[str, int, int]] = {}   # sha256 -> (pack, offset, length)
        self._read: set[str] = set()                        # packs whose contents are in _where
        self._last: tuple[str, bytes] | None = None         # the last pack read or written
        self._lock = threading.RLock()

    def known(self, sha256: str) -> bool:
        return sha256 in self._where

    def write(self, blobs: dict[str, bytes]) -> Path:
        """One durable pack of `blobs` (visible only once complete and fsynced)."""
        data, where = encode(blobs)
        name = f"{time.time_ns():016x}-{os.getpid()}-{next(_SEQ)}.pack"
        self.folder.mkdir(parents=True, exist_ok=True)
        target = self.folder / name
        tmp = self.folder / f".{name}.tmp"
        try:
            with open(tmp, "xb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, target)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        fsync_path(self.folder)
        with self._lock:
            self._remember(name, where)
            self._last = (name, data)
        return target

    def find(self, sha256: str) -> tuple[str, int, int] | None:
        """(pack, offset, length) of a blob, reading packs not yet read, newest first."""
        found = self._where.get(sha256)
        if found is not None:
            return found
        with self._lock:
            try:
                names = sorted((e.name for e in os.scandir(self.folder)
                                if e.name.endswith(".pack") and not e.name.startswith(".")),
                               reverse=True)
            except FileNotFoundError:
                return None
            for name in names:
                if name in self._read:
                    continue
                try:
                    where = contents(self.folder / name)
                except FileNotFoundError:      # pruned meanwhile
                    continue
                if where is None:
                    continue
                self._remember(name, where)
                if sha256 in where:
                    return (name, *where[sha256])
        return None

    def _remember(self, name: str, where: dict[str, tuple[int, int]]) -> None:
        if len(self._where) + len(where) > REMEMBER:   # a very old lookup: start afresh
            self._where.clear()
            self._read.clear()
        for digest, (offset, length) in where.items():
            self._where.setdefault(digest, (name, offset, length))
        self._read.add(name)

    def read(self, name: str, offset: int, length: int) -> bytes:
        """A blob's bytes (FileNotFoundError when the pack is gone)."""
        with self._lock:
            last = self._last
            if last is None or last[0] != name:
                last = (name, (self.folder / name).read_bytes())
                self._last = last
        return last[1][offset:offset + length]

    def prune(self, cutoff: float, keep: set[str] | None) -> int:
        """Remove packs last written before `cutoff` that hold nothing in `keep`, and temporary
        files of a pack cut by a crash (older than an hour). How many files were removed."""
        removed = 0
        try:
            entries = list(os.scandir(self.folder))
        except FileNotFoundError:
            return 0
        for entry in entries:
            path = Path(entry.path)
            if entry.name.startswith(".") and entry.name.endswith(".tmp"):
                if entry.stat().st_mtime < time.time() - 3600:
                    path.unlink(missing_ok=True)
                    removed += 1
                continue
            if not entry.name.endswith(".pack") or entry.stat().st_mtime >= cutoff:
                continue
            held = contents(path) or {}
            if keep and not keep.isdisjoint(held):
                continue
            path.unlink(missing_ok=True)
            removed += 1
        if removed:
            with self._lock:     # forget everything read: a blob may live on in another pack
                self._where.clear()
                self._read.clear()
                self._last = None
        return removed


def fsync_path(path: Path) -> None:
    """fsync a file or a folder by path (read-only open is enough on POSIX)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
