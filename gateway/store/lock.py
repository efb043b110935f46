"""One gateway process per SQLite database: an exclusive advisory lock on a file beside it.

flock is released by the kernel when the process dies, even by kill -9, so a crash never leaves a
stale lock behind (a PID file would). PostgreSQL needs no such lock: its jobs claim rows with
FOR UPDATE SKIP LOCKED.
"""
from __future__ import annotations

import fcntl
import os
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator


class AlreadyRunning(Exception):
    """Another process holds the lock; `path` and `pid` (if known) say which."""

    def __init__(self, path: Path, pid: str):
        super().__init__(f"another gateway process (pid {pid or 'unknown'}) is already running on "
                         f"this SQLite database (lock {path})")
        self.path = path
        self.pid = pid


class ProcessLock:
    def __init__(self, path: Path):
        self.path = Path(path)
        self._fd: int | None = None

    def acquire(self) -> "ProcessLock":
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            try:
                pid = os.pread(fd, 32, 0).decode(errors="replace").strip()
            finally:
                os.close(fd)
            raise AlreadyRunning(self.path, pid) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        self._fd = fd
        return self

    def release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> "ProcessLock":
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()


@contextmanager
def taking_turns(path: Path) -> Iterator[None]:
    """Wait for, then hold, an exclusive flock on `path` for the block: processes that must not
    do one thing at the same time (upload the same documents from one SQLite database) take
    turns. Released by the kernel if the holder dies."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing the only descriptor releases the lock


def beside_database(database_url: str, home: Path, purpose: str) -> Path | None:
    """The lock file for `purpose` beside a SQLite database (`<file>.<purpose>.lock`; in the home
    for an in-memory one); None for a server database, which needs no lock file."""
    if not database_url.startswith("sqlite"):
        return None
    path = database_url.split("///", 1)[-1] if "///" in database_url else ""
    if not path or path == ":memory:":
        return Path(home) / f"ordergate.{purpose}.lock"
    return Path(f"{path}.{purpose}.lock")
