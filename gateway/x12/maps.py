"""Where the X12 structure maps live and how to hand them to pyx12.

mappings/x12/ holds our generated maps (850/855/856/810 for 004010 and 005010), their data element
dictionary (dataele.xml), code lists (codes.xml) and the maps.xml index. pyx12 reads everything from
ONE folder, and its own 997/999 and envelope control maps ship inside the pyx12 package; rather
than copying those, `pyx12_map_path()` assembles a folder of links: ours plus pyx12's.
"""
from __future__ import annotations

import hashlib
import os
import tempfile
from functools import lru_cache
from importlib.resources import files as resource_files
from pathlib import Path

from lxml import etree

from gateway.x12.maps_spec import MAPS_DIR

PYX12_FILES = ("997.4010.xml", "999.5010.xml", "999.5010X231.A1.xml",
               "x12.control.00401.xml", "x12.control.00501.xml")
SAFE_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


def release_of(version: str) -> str | None:
    """GS08 -> the release tag of our maps: 004010* -> '4010', 005010* -> '5010', else None."""
    if version.startswith("004010"):
        return "4010"
    if version.startswith("005010"):
        return "5010"
    return None


@lru_cache(maxsize=None)
def index() -> dict[tuple[str, str], str]:
    """(set id, release) -> map file name, read from mappings/x12/maps.xml (first entry wins)."""
    tree = etree.parse(str(MAPS_DIR / "maps.xml"), SAFE_PARSER)
    out: dict[tuple[str, str], str] = {}
    for node in tree.iter("map"):
        release = release_of(node.get("vriic") or "")
        abbr = node.get("abbr") or ""
        if release and abbr and (abbr, release) not in out:
            out[(abbr, release)] = (node.text or "").strip()
    return out


def map_file(set_id: str, version: str) -> Path | None:
    """The map for a set and GS08 (our folder first, then pyx12's package for 997/999)."""
    release = release_of(version)
    name = index().get((set_id, release or ""))
    if not name:
        return None
    ours = MAPS_DIR / name
    if ours.is_file():
        return ours
    theirs = resource_files("pyx12").joinpath("map", name)
    return Path(str(theirs)) if theirs.is_file() else None


def read_xml(path: Path) -> etree._Element:
    return etree.parse(str(path), SAFE_PARSER).getroot()


def pyx12_map_path() -> str:
    """A folder pyx12 can use as `map_path`: links to our files and to pyx12's 997/999/control maps.

    Built once per content (the folder name carries a hash of our files), so it is safe to call
    from several processes.
    """
    ours = sorted(p for p in MAPS_DIR.glob("*.xml"))
    digest = hashlib.sha256()
    for path in ours:
        digest.update(path.name.encode())
        digest.update(str(path.stat().st_mtime_ns).encode())
    target = Path(tempfile.gettempdir()) / f"ordergate-pyx12-maps-{digest.hexdigest()[:16]}"
    if (target / "maps.xml").exists():
        return str(target)
    staging = Path(tempfile.mkdtemp(prefix="ordergate-pyx12-maps-"))
    for path in ours:
        os.symlink(path, staging / path.name)
    package = resource_files("pyx12").joinpath("map")
    for name in PYX12_FILES:
        source = Path(str(package.joinpath(name)))
        if source.is_file() and not (staging / name).exists():
            os.symlink(source, staging / name)
    try:
        os.rename(staging, target)
    except OSError:  # another process won the race; its folder is identical
        for child in staging.iterdir():
            child.unlink()
        staging.rmdir()
    return str(target)
