"""The reader's block matcher (the structure checker finds a valid set's end while checking it)
must give exactly the verdicts of the usual path: search for the SE, then check the set."""
from __future__ import annotations

import pytest

from gateway.x12.check_file import check
from gateway.x12.checker_port import StructurePort
from gateway.x12.reader import TransactionBlock, read_events
from tests.unit.x12.builders import STAR, STAR_5010, interchange
from tests.unit.x12.test_reader import Trickle

pytest.importorskip("gateway.x12.structure")


class NoMatcher(StructurePort):
    """The usual path only: no matcher offered to the reader."""

    def block_matcher(self, set_id, version, delimiters):
        return None


class RaisingMatcher:
    """A checker whose block matcher fails (a bug): its checks are the real checker's."""

    def __init__(self, real):
        self.real = real

    def check(self, tx):
        return self.real.check(tx)

    def block_matcher(self, delimiters):
        def broken(data, pos):
            raise RuntimeError("a checker bug")
        return broken


def _raising(set_id, version):
    from gateway.x12.structure import get_checker
    real = get_checker(set_id, version)
    return RaisingMatcher(real) if real is not None else None


def _mixed(line_ending: str = "\n", delimiters=STAR, version="00401", gs="004010") -> bytes:
    data = interchange(12, lines=3, line_ending=line_ending, delimiters=delimiters,
                       version=version, gs_version=gs)
    sep, term = delimiters.element, delimiters.segment
    data = data.replace(sep + b"SA" + sep + b"PO00003", sep + b"ZQ" + sep + b"PO00003", 1)  # code
    data = data.replace(b"ST" + sep + b"850" + sep + b"0005", b"ST" + sep + b"850" + sep
                        + b"0055", 1)                                  # SE02 mismatch
    data = data.replace(b"PO00007" + sep + sep + b"20240301" + term,
                        b"PO00007" + sep + sep + b"20240301" + sep + term, 1)  # trailing sep
    cut = data.index(b"ST" + sep + b"850" + sep + b"0010")             # set 9 loses its SE
    se = data.rindex(b"SE" + sep, 0, cut)
    return data[:se] + data[data.index(term, se) + len(term):]


def _json(source, structure=None) -> dict:
    return check(source, path="f.x12", structure=structure).to_json()


@pytest.mark.parametrize("line_ending", ["", "\n", "\r\n"])
def test_same_report_with_and_without_the_matcher(line_ending):
    data = _mixed(line_ending)
    reference = _json(data, NoMatcher())      # (also compiles the pattern for these IDs)
    used = [e.structure_ok for e in read_events(data, StructurePort().block_matcher)
            if isinstance(e, TransactionBlock)]
    assert sum(used) >= 5 and not all(used)       # both paths ran
    assert _json(data) == reference
    statuses = [tx["status"] for tx in
                _json(data)["interchanges"][0]["groups"][0]["transactions"]]
    assert statuses.count("accepted") >= 5 and "rejected" in statuses
    assert "accepted_with_errors" in statuses


def test_5010_and_blocks_cut_by_the_buffer():
    data = _mixed(delimiters=STAR_5010, version="00501", gs="005010")
    assert _json(data) == _json(data, NoMatcher())
    cut, whole = _json(Trickle(data, 700)), _json(data, NoMatcher())
    cut.pop("size"), whole.pop("size")      # a stream has no size up front
    assert cut == whole


def test_a_failing_matcher_only_sends_blocks_the_usual_way():
    data = _mixed()
    assert _json(data, StructurePort(_raising)) == _json(data, NoMatcher())


@pytest.mark.parametrize("line_ending,delimiters,version,gs", [
    ("\r\n", STAR, "00401", "004010"), ("", STAR, "00401", "004010"),
    (b"\n  ", STAR, "00401", "004010"), ("\n", STAR_5010, "00501", "005010")])
def test_blocks_from_the_matcher_are_the_blocks_of_the_search(line_ending, delimiters, version,
                                                              gs):
    data = interchange(5, lines=2, line_ending=line_ending, delimiters=delimiters,
                       version=version, gs_version=gs)
    check(data)   # compiles the pattern: the matcher answers only once there is one
    fast = [e for e in read_events(data, StructurePort().block_matcher)
            if isinstance(e, TransactionBlock)]
    plain = [e for e in read_events(data) if isinstance(e, TransactionBlock)]
    assert all(b.structure_ok for b in fast) and not any(b.structure_ok for b in plain)
    for a, b in zip(fast, plain, strict=True):
        assert (a.tx.raw, a.tx.byte_offset, a.segment_count, a.ended_by) == \
            (b.tx.raw, b.tx.byte_offset, b.segment_count, b.ended_by)
        assert (a.tx.set_id, a.tx.control_number, a.tx.implementation_reference,
                a.tx.interchange, a.tx.group, a.tx.delimiters) == \
            (b.tx.set_id, b.tx.control_number, b.tx.implementation_reference,
             b.tx.interchange, b.tx.group, b.tx.delimiters)
        assert (a.trailer.raw, a.trailer.byte_offset, a.trailer.position) == \
            (b.trailer.raw, b.trailer.byte_offset, b.trailer.position)
        assert a.trailer.elements == b.trailer.elements


def _envelope(sets: list[list[str]], gs: str = "SH") -> bytes:
    from tests.unit.x12_structure.fixtures import with_count
    body = []
    for n, segments in enumerate(sets, 1):
        segments = with_count([s.replace("0003", f"{n:04d}") if s.startswith(("ST", "SE"))
                               else s for s in segments])
        body += segments
    head = ["ISA*00*          *00*          *ZZ*BUYERCO        *ZZ*ORDERGATE      *240301*0930*U*"
            "00401*000000001*0*T*>", f"GS*{gs}*BUYERCO*ORDERGATE*20240301*0930*7*X*004010"]
    tail = [f"GE*{len(sets)}*7", "IEA*1*000000001"]
    return "~\n".join(head + body + tail).encode() + b"~\n"


def test_hierarchy_rule_still_applies_to_matched_blocks():
    from tests.unit.x12_structure.fixtures import ASN_856
    bad = [s.replace("HL*3*2*P", "HL*3*9*P") for s in ASN_856]      # HL02 names no open level
    data = _envelope([ASN_856, ASN_856, bad, ASN_856])
    report = _json(data)
    assert report == _json(data, NoMatcher())
    statuses = [tx["status"] for tx in report["interchanges"][0]["groups"][0]["transactions"]]
    assert statuses == ["accepted", "accepted", "rejected", "accepted"]
    used = [e.structure_ok for e in read_events(data, StructurePort().block_matcher)
            if isinstance(e, TransactionBlock)]
    assert used == [True, True, False, True]
