"""Distances from postal-code centroids (the `zipcodes` package, offline) or coordinates.
The centroid table is built once per process: `zipcodes.matching` scans the whole list per call."""
from __future__ import annotations

import math
from functools import lru_cache

EARTH_KM = 6371.0088


@lru_cache(maxsize=1)
def _centroids() -> dict[str, tuple[float, float]]:
    import zipcodes

    # zipcodes.list_all() keeps its 42k dicts cached in the module for ever, and every full GC
    # pass would rescan them; the extension's own list_all() gives a list we can drop after
    # keeping only (lat, lon) tuples, which the collector does not track.
    native = getattr(zipcodes, "_zipcodes", None)
    rows = native.list_all() if native is not None and hasattr(native, "list_all") else zipcodes.list_all()
    table: dict[str, tuple[float, float]] = {}
    for row in rows:
        try:
            table[row["zip_code"]] = (float(row["lat"]), float(row["long"]))
        except (KeyError, TypeError, ValueError):
            continue
    return table


def centroid(postal_code: str | None, country: str | None = "US") -> tuple[float, float] | None:
    """Latitude/longitude of a US ZIP (5 digits, ZIP+4 accepted); None when unknown."""
    if not postal_code or (country or "US").upper() not in ("US", "USA"):
        return None
    return _centroids().get(postal_code.strip()[:5])


def haversine_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = (math.sin((lat2 - lat1) / 2) ** 2
         + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2)
    return 2 * EARTH_KM * math.asin(math.sqrt(h))
