"""Writer: delimiter safety, line endings, ISA padding, counted trailers, byte-exact round trips."""
from __future__ import annotations

from datetime import datetime

import pytest

from gateway.x12 import DelimiterInData, Delimiters, GroupSpec, X12Writer, write_interchange
from gateway.x12.reader import EnvelopeSegment, GroupStart, InterchangeStart, TransactionBlock, read_events
from gateway.x12.model import Segment

from tests.unit.x12.builders import STAR, STAR_5010, interchange, po_850


def test_segment_bytes_and_line_endings() -> None:
    assert X12Writer(STAR).segment("N1", ["ST", "STORE"]) == b"N1*ST*STORE~"
    assert X12Writer(STAR, "lf").segment("N1", ["ST"]) == b"N1*ST~\n"
    assert X12Writer(STAR, "crlf").segment("N1", ["ST"]) == b"N1*ST~\r\n"


def test_trailing_empty_elements_are_trimmed() -> None:
    assert X12Writer(STAR).segment("PID", ["F", "", "", "", "X", "", ""]) == b"PID*F****X~"


def test_composites_and_repeats() -> None:
    writer = X12Writer(STAR_5010)
    assert writer.segment("SLN", ["1", ("A", "B"), ["R1", ("C", "D")]]) == b"SLN*1*A:B*R1^C:D~"


def test_repeats_need_a_repetition_separator() -> None:
    with pytest.raises(ValueError, match="repetition"):
        X12Writer(STAR).segment("X", [["a", "b"]])


@pytest.mark.parametrize("value, character", [("A*B", "*"), ("A~B", "~"), ("A>B", ">")])
def test_delimiter_in_data_names_segment_element_and_character(value: str, character: str) -> None:
    with pytest.raises(DelimiterInData) as caught:
        X12Writer(STAR).segment("N1", ["ST", value])
    error = caught.value
    assert (error.segment_id, error.element_position, error.character) == ("N1", 2, character)
    assert "N102" in str(error)


def test_delimiter_in_component_names_the_component() -> None:
    with pytest.raises(DelimiterInData) as caught:
        X12Writer(STAR).segment("SLN", ["1", ("A", "B~")])
    assert caught.value.component_position == 2


def test_interchange_counts_and_padding() -> None:
    data = write_interchange(sender=("ZZ", "US"), receiver=("01", "123456789"), control_number=42,
                             version="00401", usage="P",
                             groups=[GroupSpec("PO", "US", "THEM", 7, "004010",
                                               [po_850("1", 3), po_850("2", 1)])],
                             delimiters=STAR, now=datetime(2024, 1, 2, 3, 4))
    isa = data[:106]
    assert len(isa.split(b"~")[0]) == 105
    assert isa.startswith(b"ISA*00*          *00*          *ZZ*US             *01*123456789      "
                          b"*240102*0304*U*00401*000000042*0*P*>~")
    assert b"SE*19*0001~" in data and b"SE*13*0002~" in data
    assert data.endswith(b"GE*2*7~IEA*1*000000042~")


def test_5010_interchange_writes_repetition_separator() -> None:
    data = write_interchange(sender=("ZZ", "US"), receiver=("ZZ", "THEM"), control_number=1,
                             version="00501", groups=[], delimiters=STAR_5010,
                             now=datetime(2024, 1, 2, 3, 4))
    assert b"*^*00501*" in data


def test_bad_isa_arguments_are_refused() -> None:
    with pytest.raises(ValueError):
        write_interchange(sender=("ZZ", "X" * 16), receiver=("ZZ", "T"), control_number=1, groups=[])
    with pytest.raises(ValueError):
        write_interchange(sender=("ZZ", "X"), receiver=("ZZ", "T"), control_number=10**9, groups=[])


def _rewrite(data: bytes, line_ending: str) -> bytes:
    """Parse every segment of `data` and write it back with the same delimiters."""
    out = []
    writer = None
    for event in read_events(data):
        if isinstance(event, InterchangeStart):
            h = event.header
            writer = X12Writer(h.delimiters, line_ending, trim_trailing=False)
            out.append(writer.segment("ISA", h.elements))
        elif isinstance(event, GroupStart):
            out.append(writer.write(event.segment))
        elif isinstance(event, TransactionBlock):
            out.extend(writer.write(seg) for seg in event.tx.segments)
        elif isinstance(event, EnvelopeSegment):
            out.append(writer.write(event.segment))
    return b"".join(out)


@pytest.mark.parametrize("delimiters, line_ending", [
    (STAR, ""), (STAR, "\n"), (STAR, "\r\n"), (STAR_5010, "\n"),
    (Delimiters(b"|", b"^", b"\n", None), ""), (Delimiters(b"\x1d", b"@", b"\x1c", None), ""),
    (Delimiters(b"*", b">", "\u2026".encode(), None), "\n"),
])
def test_parse_then_write_round_trips_byte_for_byte(delimiters: Delimiters, line_ending: str) -> None:
    version = "00501" if delimiters.repetition else "00401"
    data = interchange(3, lines=4, groups=2, delimiters=delimiters, line_ending=line_ending,
                       version=version, gs_version="005010X220" if delimiters.repetition else "004010")
    assert _rewrite(data, line_ending) == data


def test_round_trip_keeps_composites_and_utf8() -> None:
    data = interchange(1).replace(b"STORE 12", "M\u00fcller & S\u00f6hne".encode()).replace(
        b"PO4*6*1*EA", b"PO4*6*1*EA*****G>H")
    assert _rewrite(data, "\n") == data
    seg = [s for s in next(e for e in read_events(data) if isinstance(e, TransactionBlock)).tx.segments
           if s.id == "N1"][0]
    assert seg[2] == "M\u00fcller & S\u00f6hne"


def test_segment_build_and_access() -> None:
    seg = Segment.build("SLN", ["1", "", "A>B"], STAR)
    assert seg.id == "SLN" and seg[3] == "A>B" and seg.component(3, 2) == "B" and seg[9] == ""
    assert seg.repeats(1) == ["1"] and seg.component(2, 1) == ""
    with pytest.raises(IndexError):
        seg[0]


def test_5010_without_a_repetition_separator_gets_a_free_one() -> None:
    data = write_interchange(sender=("ZZ", "US"), receiver=("ZZ", "THEM"), control_number=1,
                             version="00501", groups=[GroupSpec("PO", "US", "THEM", 1, "005010",
                                                                [po_850("1", 1)])],
                             delimiters=STAR, now=datetime(2024, 1, 2, 3, 4))
    assert b"*^*00501*" in data
    with pytest.raises(DelimiterInData):
        write_interchange(sender=("ZZ", "US"), receiver=("ZZ", "THEM"), control_number=1,
                          version="00501", groups=[GroupSpec("PO", "US", "THEM", 1, "005010",
                                                             [[("ST", ("850", "")), ("REF", ("DP", "A^B"))]])],
                          delimiters=STAR, now=datetime(2024, 1, 2, 3, 4))
    assert b"*U*00401*" in write_interchange(sender=("ZZ", "US"), receiver=("ZZ", "T"),
                                             control_number=1, groups=[], delimiters=STAR_5010,
                                             now=datetime(2024, 1, 2, 3, 4))
