"""997, 999 and TA1: exact statuses, counts, detail segments, swapped parties, never a 997 for a 997."""
from __future__ import annotations

from datetime import datetime

from gateway.x12 import X12Error, build_acks, check
from gateway.x12.acks import SequentialControlNumbers, functional_ack_segments
from gateway.x12.checker_port import StructurePort
from gateway.x12.model import GroupHeader
from gateway.x12.reader import TransactionBlock, read_events
from gateway.x12.report import GroupReport, TransactionReport

from tests.unit.x12.builders import STAR, STAR_5010, interchange

ENVELOPE = StructurePort.envelope_only_port()
NOW = datetime(2024, 5, 6, 7, 8)


def acks_for(data: bytes, **kwargs):
    return build_acks(check(data, structure=ENVELOPE), now=NOW, **kwargs)


def segments_of(ack_bytes: bytes) -> list[list[str]]:
    out = []
    for event in read_events(ack_bytes):
        if isinstance(event, TransactionBlock):
            out += [[s.id, *s.elements] for s in event.tx.segments]
    return out


def test_997_for_an_accepted_4010_group() -> None:
    acks = acks_for(interchange(2))
    assert len(acks) == 1 and acks[0].kinds == ("997",)
    data = acks[0].data
    assert data.startswith(b"ISA*00*          *00*          *ZZ*ORDERGATE      *ZZ*BUYERCO        ")
    assert b"GS*FA*ORDERGATE*BUYERCO*" in data and b"*X*004010~" in data
    assert segments_of(data) == [["ST", "997", "0001"], ["AK1", "PO", "100"],
                                 ["AK2", "850", "0001"], ["AK5", "A"], ["AK2", "850", "0002"],
                                 ["AK5", "A"], ["AK9", "A", "2", "2", "2"], ["SE", "8", "0001"]]
    # the ack itself reads back as a clean interchange
    again = check(data, structure=ENVELOPE)
    assert again.status.value == "accepted"


def test_partially_accepted_group() -> None:
    data = interchange(3).replace(b"SE*16*0002", b"SE*17*0002")
    segs = segments_of(acks_for(data)[0].data)
    assert ["AK5", "R", "4"] in segs
    assert segs[-2] == ["AK9", "P", "3", "3", "2"]


def test_rejected_group_by_ge_count() -> None:
    data = interchange(2).replace(b"GE*2*100", b"GE*5*100")
    segs = segments_of(acks_for(data)[0].data)
    assert segs[-2] == ["AK9", "R", "5", "2", "2", "5"]   # AK904 counts AK5 = A, as pyx12 does


def test_999_for_5010_groups_echoes_version_and_st03() -> None:
    data = interchange(1, version="00501", gs_version="005010X220", delimiters=STAR_5010)
    ack = acks_for(data)[0]
    assert ack.kinds == ("999",)
    segs = segments_of(ack.data)
    assert segs[0] == ["ST", "999", "0001", "005010X231"]
    assert segs[1] == ["AK1", "PO", "100", "005010X220"]
    assert segs[2] == ["AK2", "850", "0001", "005010X999"]
    assert segs[3] == ["IK5", "A"]
    assert b"*^*00501*" in ack.data


def test_ta1_when_requested() -> None:
    ack = acks_for(interchange(1, ack_requested="1"))[0]
    assert ack.kinds == ("TA1", "997")
    assert b"TA1*000000001*240301*0930*A*000~" in ack.data


def test_ta1_only_when_the_envelope_is_rejected() -> None:
    data = interchange(1).replace(b"IEA*1*000000001", b"IEA*1*000000009")
    ack = acks_for(data)[0]
    assert ack.kinds == ("TA1",)
    assert b"TA1*000000001*240301*0930*R*001~" in ack.data
    assert ack.data.endswith(b"IEA*0*000000001~\n") or ack.data.endswith(b"IEA*0*000000001~")


def test_no_ack_for_unreadable_isa() -> None:
    assert acks_for(b"ISA 00 broken") == []


def test_never_acknowledge_a_997() -> None:
    first = acks_for(interchange(1))[0].data
    assert acks_for(first) == []


def test_control_numbers_from_the_caller() -> None:
    acks = acks_for(interchange(1) + interchange(1, control_number=2),
                    control_numbers=SequentialControlNumbers(500))
    assert [a.control_number for a in acks] == [500, 501]
    assert b"*000000501*" in acks[1].data and b"GS*FA*ORDERGATE*BUYERCO*20240506*0708*501*" in acks[1].data
    assert [a.in_reply_to for a in acks] == ["000000001", "000000002"]


def test_on_error_only_skips_clean_groups() -> None:
    assert acks_for(interchange(1), only_on_error=True) == []


def _group(errors: list[X12Error], version: str = "004010") -> GroupReport:
    header = GroupHeader("PO", "A", "B", "20240101", "1200", "7", "X", version)
    return GroupReport(header=header, included_count=1, transactions=[
        TransactionReport(set_id="850", control_number="0001", errors=errors)])


ELEMENT_ERROR = X12Error(code="invalid_code", message="bad", level="element", segment_id="BEG",
                         segment_position=2, element_position=2, ak_segment_code="8",
                         ak_element_code="7", element_ref="92", bad_value="ZZ", loop_id=None)


def test_ak3_ak4_detail_for_element_errors() -> None:
    segs = functional_ack_segments(_group([ELEMENT_ERROR]), "997", STAR)
    assert ("AK3", ["BEG", "2", "", "8"]) in segs
    assert ("AK4", ["2", "92", "7", "ZZ"]) in segs
    assert ("AK5", ["R", "5"]) in segs
    assert segs[-1] == ("AK9", ["R", "1", "1", "0"])


def test_ik3_ik4_in_999_with_component_position() -> None:
    error = X12Error(code="too_long", message="x", level="element", segment_id="SLN",
                     segment_position=9, element_position=3, component_position=2,
                     ak_segment_code="8", ak_element_code="5", element_ref="C001",
                     bad_value="A~B", loop_id="PO1")
    segs = functional_ack_segments(_group([error], "005010X220"), "999", STAR_5010)
    assert ("IK3", ["SLN", "9", "PO1", "8"]) in segs
    assert ("IK4", [("3", "2"), "C001", "5", ""]) in segs   # bad value with a delimiter is left out


def test_warnings_give_accepted_with_errors() -> None:
    warning = X12Error(code="odd", message="noted", level="segment", severity="warning",
                       segment_id="REF", segment_position=3, ak_segment_code="2")
    segs = functional_ack_segments(_group([warning]), "997", STAR)
    assert ("AK5", ["E"]) in segs and segs[-1] == ("AK9", ["E", "1", "1", "1"])


def test_our_acks_pass_our_own_check() -> None:
    """With the structure checker installed, our 997/999/TA1 read back as accepted sets."""
    import pytest

    pytest.importorskip("gateway.x12.structure")
    cases = [interchange(3, lines=3).replace(b"BEG*00*SA*PO00001", b"BEG*00*XX*PO00001")
             .replace(b"SE*19*0003", b"SE*18*0003"),
             interchange(2, version="00501", gs_version="005010X220", delimiters=STAR_5010)
             .replace(b"BEG*00*SA*PO00001", b"BEG*00*XX*PO00001"),
             interchange(1, ack_requested="1")]
    for data in cases:
        for ack in build_acks(check(data), now=NOW):
            again = check(ack.data)
            assert not again.anything_rejected, again.to_json()


def test_ak2_echoes_ids_without_our_delimiters() -> None:
    """AK2 carries the set ID and ST02 as _clean gives them, whatever the delimiters (an
    alphanumeric separator turns off the shortcut for plain alphanumeric values)."""
    from gateway.x12.acks import _clean
    from gateway.x12.model import Delimiters

    values = ["850", "0001", "12AB", "", "A>B", "00*1", "Ωmega", "9~9", "7^7", "x y"]
    for d in (STAR, STAR_5010, Delimiters(b"*", b"A", b"~", None),
              Delimiters(b"1", b">", b"~", None), Delimiters(b"|", b"^", b"\n", b"!")):
        for set_id in values:
            for number in values:
                group = _group([])
                group.transactions[0] = TransactionReport(set_id=set_id, control_number=number)
                segs = functional_ack_segments(group, "997", d)
                assert segs[2] == ("AK2", [_clean(set_id, d), _clean(number, d)])
                assert segs[3] == ("AK5", ["A"])


def test_building_acks_leaves_the_collector_as_it_found_it() -> None:
    import gc

    was = gc.isenabled()
    try:
        for state in (True, False):
            (gc.enable if state else gc.disable)()
            assert acks_for(interchange(3))
            assert gc.isenabled() is state
    finally:
        (gc.enable if was else gc.disable)()
