"""The compact centroid table written to the cache holds what the package's index answers, and
a damaged or missing cache never changes a result."""
from __future__ import annotations

from pathlib import Path

from core.inventory import geo

SAMPLE = ["10001", "94103", "60601", "33101", "98101", "02108", "00501", "99950"]


def test_written_table_reads_back_and_matches_the_package(tmp_path: Path):
    path = tmp_path / "cache" / "zip.tsv"
    built = geo._write_table(path)
    assert built and path.exists()
    read = geo._read_table(path)
    for z in SAMPLE:
        assert built.get(z) == geo._lookup(z) == read.get(z)
    assert read.get("00000") is None and read.get("1000") is None
    assert "00000" not in built and geo._lookup("00000") is None


def test_damaged_cache_is_ignored(tmp_path: Path):
    path = tmp_path / "zip.tsv"
    path.write_bytes(b"\xff\xfe not a table")
    assert geo._read_table(path) is None
    path.write_text("10001\tnorth\twest\nshort line\n")
    assert geo._read_table(path) is None
    path.write_text("94103\t37.7\t-122.4\n")   # truncated: lacks a ZIP every table has
    assert geo._read_table(path) is None


def test_cache_location_follows_the_setting(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("ORDERGATE_GEO_CACHE", "off")
    assert geo._table_path() is None
    monkeypatch.setenv("ORDERGATE_GEO_CACHE", str(tmp_path / "x.tsv"))
    assert geo._table_path() == tmp_path / "x.tsv"
    monkeypatch.delenv("ORDERGATE_GEO_CACHE")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert geo._table_path().parent == tmp_path / "ordergate"


def test_centroid_and_distance():
    ny, sf = geo.centroid("10001"), geo.centroid("94103-1234")
    assert ny and sf
    assert 4000 < geo.haversine_km(ny, sf) < 4200
    assert geo.centroid("10001", "CA") is None and geo.centroid("", "US") is None
    assert geo.centroid("abcde") is None
