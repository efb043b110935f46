"""Compiled patterns kept on disk (gateway.x12.pattern_cache): a later process rebuilds the same
patterns without reading the map; a corrupt, foreign or switched-off cache only costs a compile."""
from __future__ import annotations

import shutil

import pytest

from gateway.x12 import pattern_cache
from gateway.x12.maps import map_file
from gateway.x12.structure import Checker
from tests.unit.x12_structure.fixtures import PO_850, make_tx

D = make_tx(PO_850).delimiters
BAD = list(PO_850)
BAD[1] = "BEG*00*ZQ*PO-1001**20240115"      # ZQ is not a BEG02 code


def _checker(path=None) -> Checker:
    return Checker(set_id="850", release="4010", path=path or map_file("850", "004010"))


def _no_structure(checker: Checker) -> None:
    def refuse():
        raise AssertionError("the structure was loaded although the cache had the patterns")
    checker._root = refuse   # type: ignore[method-assign]


@pytest.fixture
def cache(tmp_path, monkeypatch):
    folder = tmp_path / "x12-cache"
    monkeypatch.setenv(pattern_cache.ENV, str(folder))
    return folder


def test_a_second_checker_takes_the_compiled_patterns_from_disk(cache):
    first = _checker()
    good, bad = make_tx(PO_850), make_tx(BAD)
    assert first.fast_accepts(good) and not first.fast_accepts(bad)
    assert list(cache.glob("*.sre"))
    second = _checker()
    _no_structure(second)
    assert second.fast_accepts(good)
    assert second.pattern(D).regex.pattern == first.pattern(D).regex.pattern
    assert second.pattern(D).compiled_ids == first.pattern(D).compiled_ids
    assert not second.pattern(D).fullmatch(make_tx(BAD).raw)


def test_corrupt_entries_fall_back_to_compiling(cache):
    assert _checker().fast_accepts(make_tx(PO_850))
    for entry in cache.glob("*.sre"):
        entry.write_bytes(b"not a cache entry")
    again = _checker()
    assert again.fast_accepts(make_tx(PO_850))
    assert not again.fast_accepts(make_tx(BAD))
    assert [e.ak_element_code for e in again.check(make_tx(BAD))] == ["7"]


def test_off_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv(pattern_cache.ENV, "off")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert pattern_cache.cache_dir() is None
    assert _checker().fast_accepts(make_tx(PO_850))
    assert not any(tmp_path.rglob("*.sre"))


def test_an_edited_map_gets_new_entries(cache, tmp_path):
    assert _checker().fast_accepts(make_tx(PO_850))
    before = set(cache.glob("*.sre"))
    folder = tmp_path / "maps"
    shutil.copytree(map_file("850", "004010").parent, folder)
    edited = folder / map_file("850", "004010").name
    # BEG02 allows only NE now: the old compiled pattern must not be reused for this map
    text = edited.read_text()
    start = text.index('<element xid="BEG02">')
    end = text.index("</element>", start)
    edited.write_text(text[:start] + text[start:end].replace(
        '<valid_codes external="e92"/>', "<valid_codes><code>NE</code></valid_codes>")
        + text[end:])
    changed = _checker(edited)
    assert not changed.fast_accepts(make_tx(PO_850))
    assert set(cache.glob("*.sre")) - before


def test_an_unwritable_folder_only_costs_a_compile(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache folder should be")
    monkeypatch.setenv(pattern_cache.ENV, str(blocker / "x12"))
    assert _checker().fast_accepts(make_tx(PO_850))


def test_the_folder_stays_bounded(cache, monkeypatch):
    monkeypatch.setattr(pattern_cache, "MAX_ENTRIES", 4)
    for n in range(6):
        pattern_cache.compile_and_store(pattern_cache.key_for("test", n), [b"a{%d}" % n])
    assert 1 <= len(list(cache.glob("*.sre"))) <= 4
    assert pattern_cache.load(pattern_cache.key_for("test", 5))[1][0].fullmatch(b"aaaaa")
