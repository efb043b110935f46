"""Distances from postal-code centroids (the `zipcodes` package, offline) or coordinates.

Only the postal codes actually asked for are looked up, one `zipcodes` call each, and kept in a
per-process dict: materialising the whole 42k-row table cost seconds per process (7-9 s on a
loaded machine) while a run only ever meets a handful of distinct ship-to and location ZIPs."""
from __future__ import annotations

import math
import threading

EARTH_KM = 6371.0088

_cache: dict[str, tuple[float, float] | None] = {}
_lock = threading.Lock()


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
    found = _lookup(zip5)
    with _lock:
        if len(_cache) < 100_000:  # bounded: at most every US ZIP
            _cache[zip5] = found
    return found


def haversine_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = (math.sin((lat2 - lat1) / 2) ** 2
         + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2)
    return 2 * EARTH_KM * math.asin(math.sqrt(h))
