"""Delimiters and header fields from the ISA: fixed layout, walked layout, odd terminators."""
from __future__ import annotations

import pytest

from gateway.x12.errors import X12ReadError
from gateway.x12.isa import parse_isa

FIXED = (b"ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       *240131*1100*U*"
         b"00401*000000001*0*P*>")


def test_fixed_layout_gives_delimiters_and_fields() -> None:
    header, after = parse_isa(FIXED + b"~\nGS*PO")
    d = header.delimiters
    assert (d.element, d.component, d.segment, d.repetition) == (b"*", b">", b"~", None)
    assert after == 106
    assert header.sender_id == "SENDER" and header.receiver_qualifier == "ZZ"
    assert header.control_number == "000000001" and header.version == "00401"
    assert header.elements[5] == "SENDER         "


def test_repetition_separator_from_isa11_for_00501() -> None:
    data = FIXED.replace(b"*U*00401*", b"*^*00501*") + b"~GS*"
    header, _ = parse_isa(data)
    assert header.delimiters.repetition == b"^"
    assert header.standards_id == "U"


def test_isa11_is_not_a_repetition_separator_before_00402() -> None:
    header, _ = parse_isa(FIXED.replace(b"*U*", b"*^*") + b"~GS*")
    assert header.delimiters.repetition is None


def test_trimmed_isa_is_walked() -> None:
    data = b"ISA*00**00**ZZ*SENDER*ZZ*RECEIVER*240131*1100*U*00401*000000011*0*P*`~GS*PO*A"
    header, after = parse_isa(data)
    assert header.delimiters.component == b"`" and header.delimiters.segment == b"~"
    assert data[after:after + 2] == b"GS"
    assert header.receiver_id == "RECEIVER"


def test_multibyte_padding_is_walked() -> None:
    data = FIXED.replace(b"SENDER         ", "SENDER\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0".encode()) + b"~GS*"
    header, _ = parse_isa(data)
    assert header.delimiters.segment == b"~"
    assert header.sender_id.startswith("SENDER")


@pytest.mark.parametrize("terminator", [b"\n", b"\r", "\u2026".encode(), b"\xc3\x96", b"\x1c", b"!"])
def test_odd_terminators(terminator: bytes) -> None:
    header, after = parse_isa(FIXED + terminator + b"GS*PO")
    assert header.delimiters.segment == terminator
    assert after == 105 + len(terminator)


def test_crlf_after_newline_terminator_is_framing() -> None:
    header, _ = parse_isa(FIXED + b"\r\nGS*PO")
    assert header.delimiters.segment == b"\r"


def test_tilde_terminator_followed_by_crlf() -> None:
    header, _ = parse_isa(FIXED + b"~\r\n  GS*PO")
    assert header.delimiters.segment == b"~"


@pytest.mark.parametrize("data, code, ta1", [
    (FIXED + b"GS*PO*X", "isa_no_terminator", "004"),
    (FIXED, "isa_no_terminator", "004"),
    (b"ISA 00*          *00", "isa_bad_separator", "026"),
    (b"ISA*00*only*a*few*elements~", "isa_bad_separator", "026"),
    (b"NOT AN ISA", "not_x12", None),
    (FIXED[:-1] + b"*~GS*", "isa_bad_component", "027"),
])
def test_unreadable_isa_is_an_error_record(data: bytes, code: str, ta1: str | None) -> None:
    with pytest.raises(X12ReadError) as caught:
        parse_isa(data)
    assert caught.value.error.code == code
    assert caught.value.error.ta1_code == ta1
    assert caught.value.error.level_name == "file"
