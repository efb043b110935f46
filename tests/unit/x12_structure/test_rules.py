"""Every rule of the checker, on our own fixtures, with the AK304/AK403 code it must produce and
pyx12's verdict (our maps, its validator) on the same set."""
from __future__ import annotations

import pytest

from gateway.x12.errors import Severity
from gateway.x12.model import Delimiters
from gateway.x12.structure import get_checker
from tests.unit.x12_structure.fixtures import (ASN_856, FIXTURES, INVOICE_810, PO_850, VERSIONS,
                                               make_tx, raw_segments)
from tests.unit.x12_structure.pyx12_oracle import pyx12_verdict


def check(segments, set_id="850", release="4010"):
    tx = make_tx(segments, set_id, release)
    return tx, get_checker(set_id, VERSIONS[release]).check(tx)


def replace(segments, index, new):
    out = list(segments)
    out[index] = new
    return out


@pytest.mark.parametrize("set_id", sorted(FIXTURES))
@pytest.mark.parametrize("release", ["4010", "5010"])
def test_valid_fixtures_pass_ours_and_pyx12(set_id, release):
    tx, errors = check(FIXTURES[set_id], set_id, release)
    assert errors == []
    assert pyx12_verdict(raw_segments(tx), set_id, release)


def test_unsupported_versions_and_sets_have_no_checker():
    assert get_checker("850", "003060") is None
    assert get_checker("204", "004010") is None
    assert get_checker("999", "004010") is None
    assert get_checker("850", "004010VICS") is get_checker("850", "004010")


# (mutated segments, set, expected (segment id, position, AK304, element, AK403))
CASES = {
    "mandatory segment missing": (PO_850[:1] + PO_850[2:], "850", ("BEG", "3", None, None)),
    "mandatory loop missing": ([s for s in PO_850 if not s.startswith(("PO1", "PID", "PO4"))
                                and not s.startswith("SAC*A") and s != "DTM*002*20240201"
                                or s.startswith("DTM*002") and PO_850.index(s) < 10],
                               "850", ("PO1", "3", None, None)),
    "segment over max use": (PO_850[:2] + ["BEG*00*SA*PO-1002**20240115"] + PO_850[2:], "850",
                             ("BEG", "5", None, None)),
    "loop over max": (PO_850[:-1] + ["CTT*2"] + PO_850[-1:], "850", ("CTT", "4", None, None)),
    "segment not in set": (replace(PO_850, 3, "BSN*00*X*20240101*1200"), "850",
                           ("BSN", "6", None, None)),
    "unrecognized segment id": (replace(PO_850, 3, "1X*00"), "850", ("1X", "1", None, None)),
    "segment out of sequence": (PO_850[:16] + ["BEG*00*SA*PO-1002**20240115"] + PO_850[16:],
                                "850", ("BEG", "7", None, None)),
    "mandatory element missing": (replace(PO_850, 1, "BEG*00**PO-1001**20240115"), "850",
                                  ("BEG", "8", 2, "1")),
    "element too long": (replace(PO_850, 1, "BEG*00*SA*" + "X" * 23 + "**20240115"), "850",
                         ("BEG", "8", 3, "5")),
    "element too short": (replace(ASN_856, 1, "BSN*00*S*20240130*1415"), "856",
                          ("BSN", "8", 2, "4")),
    "invalid code": (replace(PO_850, 1, "BEG*00*ZQ*PO-1001**20240115"), "850", ("BEG", "8", 2, "7")),
    "invalid unit code": (replace(PO_850, 15, "PO1*1*10*QQ*9.99**UP*012345678905"), "850",
                          ("PO1", "8", 3, "7")),
    "invalid date": (replace(PO_850, 1, "BEG*00*SA*PO-1001**20240230"), "850", ("BEG", "8", 5, "8")),
    "invalid time": (replace(PO_850, 9, "DTM*010*20240125*2460"), "850", ("DTM", "8", 3, "9")),
    "N2 implied decimals hold no point": (replace(INVOICE_810, 9, "TDS*699.92"), "810",
                                          ("TDS", "8", 1, "6")),
    "R is a decimal number": (replace(PO_850, 15, "PO1*1*1.2.3*EA*9.99**UP*012345678905"), "850",
                              ("PO1", "8", 2, "6")),
    "invalid character": (replace(PO_850, 11, "N1*ST*STORE\x0712*92*0012"), "850",
                          ("N1", "8", 2, "6")),
    "trailing spaces": (replace(PO_850, 11, "N1*ST*STORE 12 *92*0012"), "850", ("N1", "8", 2, "6")),
    "paired elements": (replace(PO_850, 15, "PO1*1*10*EA*9.99**UP"), "850", ("PO1", "8", 6, "2")),
    "exclusion": (PO_850[:11] + ["TD3*TL" + "*" * 8 + "ABCD"] + PO_850[11:], "850",
                  ("TD3", "8", 1, "10")),
    "empty segment": (replace(PO_850, 12, "N3"), "850", ("N3", "8", None, None)),
    "too many elements": (replace(PO_850, 12, "N3*1 MAIN ST*SUITE 2*EXTRA"), "850",
                          ("N3", "8", 3, "3")),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_rule(name):
    segments, set_id, (seg_id, ak304, element, ak403) = CASES[name]
    tx, errors = check(segments, set_id)
    hits = [e for e in errors if e.segment_id == seg_id and e.ak_segment_code == ak304
            and e.element_position == element and e.ak_element_code == ak403]
    assert hits, [str(e) for e in errors]
    error = hits[0]
    assert error.is_error and error.segment_position is not None and error.byte_offset is not None
    if ak403 and ak403 != "3":   # "too many elements" has no element to name in AK402
        assert error.element_ref and error.message
    assert not pyx12_verdict(raw_segments(tx), set_id, "4010"), "pyx12 should reject too"


@pytest.mark.parametrize("name", sorted(CASES))
def test_fast_path_rejects_every_rule_case(name):
    """The compiled fast path (grammar and element patterns) must not accept a set the walk
    rejects: an empty segment, for one, is caught by the patterns themselves."""
    segments, set_id, _ = CASES[name]
    tx = make_tx(segments, set_id, "4010")
    assert not get_checker(set_id, VERSIONS["4010"]).fast_accepts(tx)


def test_positions_count_st_as_one_and_name_the_loop():
    segments = replace(PO_850, 16, "PID*Q****BLUE WIDGET")
    tx, errors = check(segments)
    (error,) = [e for e in errors if e.is_error]
    assert (error.segment_id, error.segment_position, error.element_position) == ("PID", 17, 1)
    assert error.loop_id == "PID"
    assert tx.raw[error.byte_offset:].startswith(b"PID*Q")


def test_trailing_separator_is_a_warning_only():
    _, errors = check(replace(PO_850, 12, "N3*1 MAIN ST*"))
    assert [(e.code, e.severity) for e in errors] == [("trailing_separator", Severity.WARNING)]


def test_fast_path_agrees_on_other_delimiters():
    delimiters = Delimiters(element=b"|", component=b">", segment=b"\n")
    checker = get_checker("850", "004010")
    good = make_tx(PO_850, delimiters=delimiters)
    assert checker.pattern(delimiters).fullmatch(good.raw.replace(b"\n\n", b"\n"))
    bad = make_tx(replace(PO_850, 1, "BEG|00|ZQ|PO-1001||20240115"), delimiters=delimiters)
    assert checker.pattern(delimiters).fullmatch(bad.raw.replace(b"\n\n", b"\n")) is None
    assert [e.ak_element_code for e in checker.check(bad)] == ["7"]


def test_annotate_names_loops_and_segments():
    tx = make_tx(ASN_856, "856")
    rows = get_checker("856", "004010").annotate(tx)
    assert [r.segment.id for r in rows] == [s.split("*")[0] for s in ASN_856]
    hl = rows[2]
    assert (hl.depth, hl.loop_id, hl.segment_name) == (1, "HL", "Hierarchical Level")
    assert rows[0].loop_path == () and rows[-1].segment.id == "SE"
    depth, loop_id, _, segment, name = next(get_checker("856", "004010").iter_annotated(tx))
    assert (depth, loop_id, segment.id, name) == (0, None, "ST", "Transaction Set Header")
