"""The generated pyx12 maps: in step with the spec, loadable by pyx12, indexed in maps.xml."""
from __future__ import annotations

import pyx12.map_if
import pyx12.params
import pytest

from gateway.x12.maps import index, map_file, pyx12_map_path, release_of
from gateway.x12.maps_build import Builder, stale_files
from gateway.x12.maps_spec import MAPS_DIR, parse_tree


def test_generated_maps_match_spec():
    assert stale_files() == [], "run: python -m gateway.x12.maps_build"


@pytest.mark.parametrize("name", ["850.4010.xml", "855.5010.xml", "856.4010.xml", "810.5010.xml",
                                  "997.4010.xml", "999.5010.xml"])
def test_pyx12_loads_each_map_from_our_folder(name):
    root = pyx12.map_if.load_map_file(name, pyx12.params.params(), pyx12_map_path())
    assert root.getnodebypath("/ISA_LOOP/GS_LOOP/ST_LOOP") is not None


def test_index_registers_our_sets_and_the_acks():
    entries = index()
    for set_id in ("850", "855", "856", "810"):
        for release in ("4010", "5010"):
            assert (MAPS_DIR / entries[(set_id, release)]).is_file()
    assert entries[("997", "4010")] == "997.4010.xml"
    assert entries[("999", "5010")] == "999.5010.xml"
    assert map_file("997", "004010VICS").is_file()


@pytest.mark.parametrize("gs08,release", [("004010", "4010"), ("004010VICS", "4010"),
                                          ("005010X231A1", "5010"), ("003060", None), ("", None)])
def test_release_of_gs08(gs08, release):
    assert release_of(gs08) == release


def test_trees_follow_the_standard_where_the_core_depends_on_it():
    sets = Builder().sets.SETS
    po = parse_tree("850", sets["850"][2])
    po1 = next(c for c in po.children if getattr(c, "id", "") == "PO1" and hasattr(c, "children"))
    assert (po1.usage, po1.repeat) == ("M", "100000")
    ack = parse_tree("855", sets["855"][2])
    assert next(c for c in ack.children if c.id == "PO1" and hasattr(c, "children")).usage == "O"
    invoice = parse_tree("810", sets["810"][2])
    tds = next(c for c in invoice.children if c.id == "TDS")
    assert tds.usage == "M"


def test_bad_tree_notation_names_the_line():
    with pytest.raises(ValueError, match="850 line 2"):
        parse_tree("850", "ST M/1\nBEG mandatory\n")
