"""Compiled fast-path patterns kept on disk between processes, like Python's own .pyc files.

Python's `re` parses and compiles a pattern in pure Python: ~2.5 us per pattern byte, ~50 ms for
the element and grammar patterns of a typical 850 partner. A long-running gateway pays that once;
`ordergate x12 check` on a small file paid it on every run, more than the check itself. So the
compiled form (the list of SRE opcodes that `re` hands to its C engine) is stored per key, and a
later process rebuilds the pattern from it with `_sre.compile`, which validates the code.

The key covers everything the pattern is a function of: the map file and its dictionaries, the
source of the modules that write patterns, the Python build and its regex engine version, the
delimiters, the release and the segment IDs compiled in. Any change gives a new key, never a
stale pattern. Anything unexpected (no folder, a corrupt or foreign file, another Python whose
`re` internals differ) falls back to plain `re.compile`.

Setting: ORDERGATE_X12_CACHE = a folder (default: the user cache, ~/.cache/ordergate/x12), or
"off" to neither read nor write.
"""
from __future__ import annotations

import hashlib
import marshal
import os
import re
import sys
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any, Sequence

try:   # CPython's regex internals (3.11-3.13 share this shape); absent elsewhere: no cache
    import _sre
    from re import _compiler, _parser
    _SUPPORTED = sys.implementation.name == "cpython" and sys.version_info[:2] in (
        (3, 11), (3, 12), (3, 13))
except ImportError:   # pragma: no cover - other interpreters
    _SUPPORTED = False

ENV = "ORDERGATE_X12_CACHE"
FORMAT = "ordergate-x12-patterns-1"
MAX_ENTRIES = 200     # beyond this many files, the least recently written half is removed
_SOURCES = ("model.py", "maps.py", "structure_block.py", "structure_elements.py",
            "structure_model.py", "structure_notes.py", "structure_regex.py")


def cache_dir() -> Path | None:
    """Where compiled patterns live, or None when the cache is off (or cannot work here)."""
    if not _SUPPORTED:
        return None
    setting = os.environ.get(ENV, "").strip()
    if setting.lower() == "off":
        return None
    if setting:
        return Path(setting)
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "ordergate" / "x12"


@lru_cache(maxsize=1)
def _engine_and_sources() -> bytes:
    digest = hashlib.sha256(f"{FORMAT}|{sys.version}|{getattr(_sre, 'MAGIC', '')}|"
                            f"{getattr(_sre, 'CODESIZE', '')}".encode())
    here = Path(__file__).resolve().parent
    for name in _SOURCES:
        digest.update(name.encode() + b"\0" + (here / name).read_bytes())
    return digest.digest()


@lru_cache(maxsize=64)
def inputs_fingerprint(files: tuple[Path, ...]) -> str:
    """A digest of the engine, our pattern-writing modules and these input files' contents."""
    digest = hashlib.sha256(_engine_and_sources())
    for path in files:
        digest.update(str(path).encode() + b"\0" + Path(path).read_bytes())
    return digest.hexdigest()


def _compile(pattern: bytes, flags: int) -> tuple[re.Pattern[bytes], tuple[Any, ...]]:
    """`re.compile`, also returning what `_sre.compile` needs to rebuild it (as re does)."""
    parsed = _parser.parse(pattern, flags)
    code = _compiler._code(parsed, flags)
    flags = flags | parsed.state.flags
    groupindex = dict(parsed.state.groupdict)
    indexgroup: list[str | None] = [None] * parsed.state.groups
    for name, index in groupindex.items():
        indexgroup[index] = name
    parts = (pattern, int(flags), [int(c) for c in code], parsed.state.groups - 1, groupindex,
             tuple(indexgroup))   # opcodes are int subclasses: plain ints for marshal
    return _sre.compile(*parts), parts


def _path(key: str) -> Path | None:
    folder = cache_dir()
    return None if folder is None else folder / f"{key}.sre"


def load(key: str) -> tuple[Any, list[re.Pattern[bytes]]] | None:
    """(extra, patterns) stored under `key`, or None (absent, off, unreadable or invalid)."""
    path = _path(key)
    if path is None:
        return None
    try:
        stored = marshal.loads(path.read_bytes())
        fmt, extra, entries = stored
        if fmt != FORMAT:
            return None
        return extra, [_sre.compile(*entry) for entry in entries]
    except Exception:  # noqa: BLE001 - missing, truncated, foreign: compile instead
        return None


def compile_and_store(key: str, patterns: Sequence[bytes], extra: Any = None,
                      flags: int = re.DOTALL) -> list[re.Pattern[bytes]]:
    """Compile `patterns` and keep their compiled form under `key` (best effort)."""
    path = _path(key)
    if path is None:
        return [re.compile(pattern, flags) for pattern in patterns]
    compiled, entries = [], []
    for pattern in patterns:
        try:
            found, parts = _compile(pattern, flags)
        except Exception:  # noqa: BLE001 - re internals differ: plain compile, nothing stored
            return [re.compile(p, flags) for p in patterns]
        compiled.append(found)
        entries.append(parts)
    temporary = None
    try:
        data = marshal.dumps((FORMAT, extra, entries))
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".sre")
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
        _prune(path.parent)
    except (OSError, ValueError):
        # a read-only or full disk only costs the next process a compile
        if temporary is not None:
            Path(temporary).unlink(missing_ok=True)
    return compiled


def _prune(folder: Path) -> None:
    """Keep the folder bounded (hypothesis runs, for one, see many different ID sets)."""
    entries = list(folder.glob("*.sre"))
    if len(entries) <= MAX_ENTRIES:
        return
    entries.sort(key=lambda entry: entry.stat().st_mtime)
    for entry in entries[:len(entries) - MAX_ENTRIES // 2]:
        entry.unlink(missing_ok=True)


def key_for(*parts: object) -> str:
    """A cache key from the fingerprint and the other inputs of a pattern."""
    return hashlib.sha256("\0".join(map(repr, parts)).encode()).hexdigest()[:40]
