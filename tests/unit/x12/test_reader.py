"""Streaming reader: framing tolerance, positions, offsets, chunk boundaries, several interchanges."""
from __future__ import annotations

import io

from gateway.x12 import iter_transactions
from gateway.x12.model import Delimiters
from gateway.x12.reader import (EnvelopeSegment, GroupStart, InterchangeStart, ReadProblem,
                                TransactionBlock, read_events)

from tests.unit.x12.builders import interchange


class Trickle(io.RawIOBase):
    """A file that hands out a few bytes per read, to put chunk boundaries everywhere."""

    def __init__(self, data: bytes, step: int):
        self.data, self.pos, self.step = data, 0, step

    def readable(self) -> bool:
        return True

    def read(self, n: int = -1) -> bytes:
        chunk = self.data[self.pos:self.pos + self.step]
        self.pos += len(chunk)
        return chunk


def kinds(data) -> list[str]:
    return [type(e).__name__ for e in read_events(data)]


def test_sets_stream_with_envelope_events() -> None:
    data = interchange(3)
    assert kinds(data) == ["InterchangeStart", "GroupStart", "TransactionBlock", "TransactionBlock",
                           "TransactionBlock", "EnvelopeSegment", "EnvelopeSegment"]
    txs = list(iter_transactions(data))
    assert [tx.control_number for tx in txs] == ["0001", "0002", "0003"]
    assert txs[0].group.control_number == "100" and txs[0].interchange.sender_id == "BUYERCO"


def test_segments_know_position_and_byte_offset() -> None:
    data = interchange(2)
    for tx in iter_transactions(data):
        assert tx.raw.startswith(b"ST*850*") and tx.raw.rstrip().endswith(b"~")
        for n, seg in enumerate(tx.segments, 1):
            assert seg.position == n
            assert data[seg.byte_offset:seg.byte_offset + len(seg.raw)] == seg.raw
        assert tx.segments[-1].id == "SE"
        assert int(tx.segments[-1][1]) == len(tx.segments)


def test_chunk_boundaries_do_not_change_the_result() -> None:
    data = interchange(4, lines=5, groups=2)
    whole = [(tx.byte_offset, tx.raw) for tx in iter_transactions(data)]
    for step in (1, 2, 3, 7, 64, 1000):
        assert [(tx.byte_offset, tx.raw) for tx in iter_transactions(Trickle(data, step))] == whole


def test_path_source(tmp_path) -> None:
    path = tmp_path / "in.x12"
    path.write_bytes(interchange(2))
    assert len(list(iter_transactions(path))) == 2
    assert len(list(iter_transactions(str(path)))) == 2


def test_bom_whitespace_and_several_interchanges() -> None:
    one = interchange(1, control_number=1)
    two = interchange(2, control_number=2, line_ending="\r\n",
                      delimiters=Delimiters(b"|", b"^", b"\n", None))
    data = b"\xef\xbb\xbf" + one + b"\n\n" + two.replace(b"\n", b"\n\t") + b"\x1a"
    events = list(read_events(data))
    starts = [e for e in events if isinstance(e, InterchangeStart)]
    assert [s.header.delimiters.element for s in starts] == [b"*", b"|"]
    blocks = [e for e in events if isinstance(e, TransactionBlock)]
    assert [b.segment_count for b in blocks] == [int(b.trailer[1]) for b in blocks]
    assert not [e for e in events if isinstance(e, ReadProblem)]


def test_isa_inside_data_is_just_data() -> None:
    data = interchange(1).replace(b"STORE 12", b"ISAAC*ISA STORES")
    blocks = [e for e in read_events(data) if isinstance(e, TransactionBlock)]
    assert len(blocks) == 1 and blocks[0].trailer is not None


def test_space_before_terminator_is_tolerated() -> None:
    data = interchange(1).replace(b"~", b" ~")
    tx = next(iter_transactions(data))
    assert tx.segments[1].id == "BEG" and tx.segments[1][5] == "20240301"


def test_missing_se_ends_the_block_at_the_next_envelope_segment() -> None:
    data = interchange(2).replace(b"SE*16*0001~\n", b"")
    blocks = [e for e in read_events(data) if isinstance(e, TransactionBlock)]
    assert blocks[0].trailer is None and blocks[0].ended_by == "ST"
    assert blocks[1].trailer is not None


def test_truncated_file_ends_the_block() -> None:
    data = interchange(1)
    cut = data[:data.index(b"PID")]
    events = list(read_events(cut))
    block = [e for e in events if isinstance(e, TransactionBlock)][0]
    assert block.trailer is None and block.ended_by == ""
    assert not [e for e in events if isinstance(e, EnvelopeSegment)]


def test_not_x12_is_a_problem_event() -> None:
    events = list(read_events(b"hello, this is not EDI"))
    assert len(events) == 1 and isinstance(events[0], ReadProblem)
    assert events[0].error.code == "not_x12"


def test_empty_segments_do_not_count() -> None:
    data = interchange(1).replace(b"REF*DP*038~", b"REF*DP*038~~")
    block = [e for e in read_events(data) if isinstance(e, TransactionBlock)][0]
    assert block.segment_count == 16


def test_group_start_carries_header() -> None:
    group = [e for e in read_events(interchange(1, gs_version="005010X220")) if isinstance(e, GroupStart)][0]
    assert group.header.version == "005010X220" and group.header.functional_id == "PO"


def test_iter_transactions_raises_on_unreadable_data() -> None:
    import pytest

    from gateway.x12 import X12ReadError

    with pytest.raises(X12ReadError) as caught:
        list(iter_transactions(interchange(1) + b"garbage after the interchange"))
    assert caught.value.error.code == "data_outside_interchange"
    assert caught.value.error.byte_offset == len(interchange(1))


def test_public_names_are_not_shadowed_by_modules() -> None:
    import importlib

    import gateway.x12 as x12

    for module in ("check_file", "acks", "reader", "writer", "report", "checker_port"):
        importlib.import_module(f"gateway.x12.{module}")
    assert callable(x12.check) and callable(x12.build_acks) and callable(x12.iter_transactions)


def test_runaway_segment_is_capped(monkeypatch) -> None:
    import gateway.x12.reader as reader

    monkeypatch.setattr(reader, "MAX_SEGMENT", 1000)
    monkeypatch.setattr(reader, "CHUNK", 256)
    data = interchange(1)
    cut = data.index(b"GS*")
    events = list(read_events(Trickle(data[:cut] + b"GS*" + b"x" * 5000, 300)))
    problem = events[-1]
    assert isinstance(problem, ReadProblem) and problem.error.code == "too_large"


def test_runaway_set_is_capped(monkeypatch) -> None:
    import gateway.x12.reader as reader

    monkeypatch.setattr(reader, "MAX_SET", 2000)
    monkeypatch.setattr(reader, "CHUNK", 256)
    data = interchange(1)
    body = data[:data.index(b"SE*")] + b"REF*DP*1~\n" * 500
    events = list(read_events(Trickle(body, 256)))
    assert isinstance(events[-1], ReadProblem) and events[-1].error.code == "too_large"


def test_element_split_is_bytewise_decoding() -> None:
    """Segment elements are each part's UTF-8 (surrogateescape) text, whichever way they are
    split: ASCII segments take a one-decode shortcut, including separators outside ASCII."""
    import random

    from gateway.x12.model import Segment, decode

    rng = random.Random(5)
    alphabet = [b"A", b"7", b" ", b"*", b"\x1d", b"\xa7", b"\xc3", b"\xa9", b"\xff",
                b"\xe2\x82\xac", b":", b"~"]
    for element in (b"*", b"\x1d", b"\xa7", b"|"):
        delimiters = Delimiters(element, b":", b"~", None)
        for _ in range(2_000):
            raw = b"SEG" + b"".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
            expected = tuple(decode(part) for part in raw.split(element))
            seg = Segment(raw, delimiters)
            assert (seg.id, seg.elements) == (expected[0], expected[1:]), raw
            assert seg[1] == (expected[1] if len(expected) > 1 else "")
