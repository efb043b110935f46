"""Envelope rules: counts, control numbers, pairing, ISA formats, each with the ack code it maps to."""
from __future__ import annotations

import pytest

from gateway.x12 import check
from gateway.x12.checker_port import StructurePort

from tests.unit.x12.builders import interchange

ENVELOPE = StructurePort.envelope_only_port()


def run(data: bytes):
    return check(data, structure=ENVELOPE)


def codes(report) -> dict[str, list[tuple[str, str | None]]]:
    out: dict[str, list] = {"file": [(e.code, None) for e in report.errors], "ic": [], "group": [],
                            "tx": []}
    for ic in report.interchanges:
        out["ic"] += [(e.code, e.ta1_code) for e in ic.errors]
        for group in ic.groups:
            out["group"] += [(e.code, e.ak_group_code) for e in group.errors]
            for tx in group.transactions:
                out["tx"] += [(e.code, e.ak_set_code) for e in tx.errors]
    return out


def test_valid_interchange_is_accepted() -> None:
    report = run(interchange(3, groups=2))
    assert report.status.value == "accepted" and not report.anything_rejected
    assert codes(report) == {"file": [], "ic": [], "group": [], "tx": []}
    assert report.interchanges[0].ta1_code == "A"


def test_se01_wrong_count_rejects_the_set_only() -> None:
    report = run(interchange(2).replace(b"SE*16*0001", b"SE*15*0001"))
    assert codes(report)["tx"] == [("se_count", "4")]
    group = report.interchanges[0].groups[0]
    assert [tx.status.value for tx in group.transactions] == ["rejected", "accepted"]
    assert group.status.value == "partially_accepted" and group.ack_code == "P"
    assert report.status.value == "partially_accepted" and report.anything_rejected
    error = group.transactions[0].errors[0]
    assert (error.segment_id, error.segment_position, error.element_position) == ("SE", 16, 1)


def test_se02_mismatch() -> None:
    report = run(interchange(1).replace(b"SE*16*0001", b"SE*16*0002"))
    assert codes(report)["tx"] == [("se_control_mismatch", "3")]


def test_missing_se() -> None:
    report = run(interchange(2).replace(b"SE*16*0001~\n", b""))
    assert ("se_missing", "2") in codes(report)["tx"]


def test_duplicate_st02_in_group() -> None:
    report = run(interchange(2).replace(b"0002", b"0001"))
    assert codes(report)["tx"] == [("st_duplicate", "23")]


def test_st01_against_gs01() -> None:
    report = run(interchange(1, functional_id="IN"))
    assert codes(report)["tx"] == [("st_wrong_group", "6")]


def test_ge01_count_rejects_the_group() -> None:
    report = run(interchange(2).replace(b"GE*2*100", b"GE*3*100"))
    assert codes(report)["group"] == [("ge_count", "5")]
    group = report.interchanges[0].groups[0]
    assert group.ack_code == "R" and group.usable_count == 0 and group.accepted_count == 2
    assert report.status.value == "rejected"


def test_ge02_mismatch() -> None:
    report = run(interchange(1).replace(b"GE*1*100", b"GE*1*101"))
    assert codes(report)["group"] == [("ge_control_mismatch", "4")]


def test_missing_ge() -> None:
    report = run(interchange(1).replace(b"GE*1*100~\n", b""))
    assert ("ge_missing", "3") in codes(report)["group"]


def test_iea01_and_iea02() -> None:
    report = run(interchange(1).replace(b"IEA*1*000000001", b"IEA*2*000000002"))
    assert sorted(codes(report)["ic"]) == [("iea_control_mismatch", "001"), ("iea_count", "021")]
    ic = report.interchanges[0]
    assert ic.ta1_code == "R" and ic.ta1_note in ("001", "021")
    assert report.status.value == "rejected"


def test_missing_iea() -> None:
    data = interchange(1)
    report = run(data[:data.index(b"IEA")])
    assert codes(report)["ic"] == [("iea_missing", "023")]
    assert report.interchanges[0].ta1_note == "023"


def test_new_isa_without_iea_closes_the_first_interchange() -> None:
    one = interchange(1, control_number=1)
    data = one[:one.index(b"IEA")] + interchange(1, control_number=2)
    report = run(data)
    assert len(report.interchanges) == 2
    assert codes(report)["ic"] == [("iea_missing", "023")]
    assert report.interchanges[1].status.value == "accepted"
    assert report.status.value == "partially_accepted"


def test_duplicate_isa13_in_one_file() -> None:
    report = run(interchange(1) + interchange(1))
    assert ("duplicate_interchange", "025") in codes(report)["ic"]


def test_duplicate_gs06_in_one_interchange() -> None:
    report = run(interchange(1, groups=2).replace(b"*101*X*", b"*100*X*").replace(b"GE*1*101", b"GE*1*100"))
    assert ("duplicate_group", "19") in codes(report)["group"]


@pytest.mark.parametrize("old, new, code, ta1, severity", [
    (b"*000000001*0*T*", b"*00000000A*0*T*", "isa_bad_control_number", "018", "error"),
    (b"*000000001*0*T*", b"*000000001*2*T*", "isa_invalid_value", "019", "error"),
    (b"*000000001*0*T*", b"*000000001*0*X*", "isa_invalid_value", "020", "error"),
    (b"*240301*0930*", b"*241301*0930*", "isa_bad_date", "014", "warning"),
    (b"*240301*0930*", b"*240301*0961*", "isa_bad_time", "015", "warning"),
    (b"*U*00401*", b"*U*00040*", "isa_invalid_value", "017", "warning"),
    (b"ISA*00*", b"ISA*09*", "isa_invalid_value", "010", "warning"),
    (b"*ZZ*BUYERCO ", b"*Q9*BUYERCO ", "isa_invalid_value", "005", "warning"),
])
def test_isa_field_rules(old: bytes, new: bytes, code: str, ta1: str, severity: str) -> None:
    data = interchange(1)
    assert old in data
    report = run(data.replace(old, new, 1))
    errors = [e for e in report.interchanges[0].errors if e.code != "iea_control_mismatch"]
    assert [(e.code, e.ta1_code, e.severity.value) for e in errors] == [(code, ta1, severity)]
    assert errors[0].segment_id == "ISA" and errors[0].element_position is not None
    ic = report.interchanges[0]
    assert ic.ta1_code == ("R" if severity == "error" else "E")
    assert ic.ta1_note == ta1


def test_trimmed_isa_is_read_with_warnings() -> None:
    data = interchange(1).replace(b"BUYERCO        ", b"BUYERCO").replace(b"ISA*00*          *", b"ISA*00**")
    report = run(data)
    ic = report.interchanges[0]
    assert {e.code for e in ic.errors} == {"isa_field_length"}
    assert all(not e.is_error for e in ic.errors)
    assert report.status.value == "accepted"


def test_gs_field_rules() -> None:
    report = run(interchange(1).replace(b"*100*X*004010", b"*1A0*X*004010"))
    assert ("gs_bad_control_number", "6") in codes(report)["group"]


def test_unexpected_segment_in_interchange() -> None:
    data = interchange(1).replace(b"GS*PO*", b"XX*PO*")
    report = run(data)
    found = codes(report)["ic"]
    assert ("unexpected_segment", "024") in found and ("st_outside_group", "024") in found
    assert report.status.value == "rejected"


def test_not_x12() -> None:
    report = run(b"%PDF-1.4 not edi at all")
    assert codes(report)["file"] == [("not_x12", None)]
    assert report.status.value == "rejected" and report.anything_rejected


def test_empty_file() -> None:
    report = run(b"")
    assert report.status.value == "rejected"
    assert report.errors[0].code == "empty"


def test_on_transaction_sees_each_set_as_it_goes() -> None:
    seen = []
    report = check(interchange(3).replace(b"SE*16*0002", b"SE*1*0002"), structure=ENVELOPE,
                   on_transaction=lambda tx, r: seen.append((tx.control_number, r.status.value)))
    assert seen == [("0001", "accepted"), ("0002", "rejected"), ("0003", "accepted")]
    group = report.interchanges[0].groups[0]
    assert [report.accepted(t) for t in group.transactions] == [True, False, True]


def test_json_shape() -> None:
    report = run(interchange(1).replace(b"SE*16*0001", b"SE*15*0001"))
    data = report.to_json()
    assert set(data) >= {"path", "status", "errors", "interchanges"}
    ic = data["interchanges"][0]
    assert set(ic) >= {"control_number", "sender_id", "receiver_id", "version", "status", "errors",
                       "groups"}
    group = ic["groups"][0]
    assert set(group) >= {"functional_id", "control_number", "version", "status", "errors",
                          "transactions"}
    tx = group["transactions"][0]
    assert set(tx) >= {"set_id", "control_number", "status", "errors"}
    error = tx["errors"][0]
    assert set(error) >= {"code", "message", "segment_id", "segment_position", "element_position",
                          "byte_offset"}
    assert error["byte_offset"] is not None and error["segment_position"] == 16


def test_no_structure_checker_rejects_as_not_supported() -> None:
    port = StructurePort(get_checker=lambda set_id, version: None)
    report = check(interchange(1), structure=port)
    tx = report.interchanges[0].groups[0].transactions[0]
    assert [(e.code, e.ak_set_code) for e in tx.errors] == [("set_not_supported", "1")]
    assert "no structure definition for set 850 version 004010" in tx.errors[0].message


def test_iea02_same_number_unpadded_is_a_warning() -> None:
    report = run(interchange(1).replace(b"IEA*1*000000001", b"IEA*1*1"))
    ic = report.interchanges[0]
    assert [(e.code, e.severity.value) for e in ic.errors] == [("iea_control_format", "warning")]
    assert ic.status.value == "accepted" and ic.ta1_code == "E"


def test_accepted_looks_at_group_and_interchange() -> None:
    bad_iea = run(interchange(2).replace(b"IEA*1*000000001", b"IEA*1*000000002"))
    bad_ge = run(interchange(2).replace(b"GE*2*100", b"GE*3*100"))
    good = run(interchange(2))
    for report, expected in ((bad_iea, False), (bad_ge, False), (good, True)):
        txs = report.interchanges[0].groups[0].transactions
        assert all(tx.status.usable for tx in txs)
        assert [report.accepted(tx) for tx in txs] == [expected, expected]
