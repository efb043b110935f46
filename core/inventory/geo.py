"""Distances from postal-code centroids (the `zipcodes` package, offline) or coordinates.

Materialising the package's 42k-row table as dicts cost seconds per process (7-9 s on a loaded
machine), and even its compiled index takes ~0.7 s to load on first use. So the first process
on a machine writes a compact table (ZIP, lat, lon; ~1 MB) to the user's cache folder, and every
later process reads only that (~40 ms). Without a usable cache folder the codes asked for are
looked up one by one in the compiled index. Either way results are kept in a per-process dict.
The cache file is named after the package version, so an upgrade rebuilds it; set
ORDERGATE_GEO_CACHE to a file path to place it elsewhere, or to "off" to never write it."""
from __future__ import annotations

import math
import os
import threading
from pathlib import Path

EARTH_KM = 6371.0088

_cache: dict[str, tuple[float, float] | None] = {}
_table: "_Table | dict[str, tuple[float, float]] | None" = None
_table_tried = False
_lock = threading.Lock()


def _table_path() -> Path | None:
    setting = os.environ.get("ORDERGATE_GEO_CACHE")
    if setting == "off":
        return None
    if setting:
        return Path(setting)
    try:
        import zipcodes

        version = getattr(zipcodes, "__version__", "0")
    except ImportError:
        return None
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "ordergate" / f"zip-centroids-{version}.tsv"


class _Table:
    """The cache file's text, searched per ZIP: a process meets a handful of distinct codes, so
    finding each in the text (a C-speed scan) beats parsing 42k lines up front."""

    def __init__(self, text: str) -> None:
        self.text = text if text.startswith("\n") else "\n" + text

    def get(self, zip5: str) -> tuple[float, float] | None:
        at = self.text.find(f"\n{zip5}\t")
        if at < 0:
            return None
        end = self.text.find("\n", at + 1)
        parts = self.text[at + 1:end if end >= 0 else None].split("\t")
        try:
            return float(parts[1]), float(parts[2])
        except (IndexError, ValueError):
            return None


def _read_table(path: Path) -> _Table | None:
    try:
        text = path.read_text(encoding="ascii")
    except (OSError, UnicodeDecodeError):
        return None
    table = _Table(text)
    # a table that cannot answer a ZIP every build contains is damaged: not used
    return table if table.get("10001") is not None else None


def _write_table(path: Path) -> dict[str, tuple[float, float]] | None:
    """Build the compact table from the package once and store it atomically; None on failure."""
    import zipcodes

    native = getattr(zipcodes, "_zipcodes", None)
    rows = native.list_all() if native is not None and hasattr(native, "list_all") else zipcodes.list_all()
    table: dict[str, tuple[float, float]] = {}
    for row in rows:
        try:
            table[row["zip_code"]] = (float(row["lat"]), float(row["long"]))
        except (KeyError, TypeError, ValueError):
            continue
    del rows
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_text("".join(f"{z}\t{lat!r}\t{lon!r}\n" for z, (lat, lon) in table.items()),
                       encoding="ascii")
        os.replace(tmp, path)
    except OSError:
        pass   # no cache this time: the table is still good for this process
    return table or None


def _load() -> "_Table | dict[str, tuple[float, float]] | None":
    """The compact table: read from the cache, else built and written once; None if disabled."""
    global _table, _table_tried
    with _lock:
        if not _table_tried:
            _table_tried = True
            path = _table_path()
            if path is not None:
                try:
                    _table = _read_table(path) if path.exists() else _write_table(path)
                except Exception:  # noqa: BLE001 - fall back to lookups one by one
                    _table = None
        return _table


def _lookup(zip5: str) -> tuple[float, float] | None:
    """One centroid from the package's compiled index; None for unknown or malformed codes."""
    import zipcodes

    native = getattr(zipcodes, "_zipcodes", None)
    try:
        rows = native.matching(zip5) if native is not None else zipcodes.matching(zip5)
    except (TypeError, ValueError):
        return None
    for row in rows or ():
        try:
            return float(row["lat"]), float(row["long"])
        except (KeyError, TypeError, ValueError):
            continue
    return None


def centroid(postal_code: str | None, country: str | None = "US") -> tuple[float, float] | None:
    """Latitude/longitude of a US ZIP (5 digits, ZIP+4 accepted); None when unknown."""
    if not postal_code or (country or "US").upper() not in ("US", "USA"):
        return None
    zip5 = postal_code.strip()[:5]
    try:
        return _cache[zip5]
    except KeyError:
        pass
    if len(zip5) != 5 or not zip5.isdigit():
        return None
    table = _load()
    found = table.get(zip5) if table is not None else _lookup(zip5)
    with _lock:
        if len(_cache) < 100_000:  # bounded: at most every US ZIP
            _cache[zip5] = found
    return found


def haversine_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = (math.sin((lat2 - lat1) / 2) ** 2
         + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2)
    return 2 * EARTH_KM * math.asin(math.sqrt(h))
