"""Hypothesis: mutated interchanges never crash the engine and never get a wrong-count set accepted."""
from __future__ import annotations

from datetime import datetime

from hypothesis import given
from hypothesis import strategies as st

from gateway.x12 import Delimiters, build_acks, check
from gateway.x12.checker_port import StructurePort
from gateway.x12.reader import TransactionBlock, read_events

from tests.unit.x12.builders import interchange

ENVELOPE = StructurePort.envelope_only_port()
BASE = interchange(3, lines=3, groups=2)
TERM = b"~\n"
SEGMENTS = BASE.split(TERM)[:-1]


def _verify(data: bytes) -> None:
    """Run check and the acks; every set reported usable must really have right counts."""
    usable = []
    report = check(data, structure=ENVELOPE,
                   on_transaction=lambda tx, r: usable.append(tx) if r.status.usable else None)
    for tx in usable:
        segments = tx.segments
        assert segments[0].id == "ST" and segments[-1].id == "SE", tx.raw
        assert segments[-1][1].isdigit() and int(segments[-1][1]) == len(segments), tx.raw
        assert segments[-1][2] == segments[0][2]
    for ic in report.interchanges:
        for group in ic.groups:
            for tx in group.transactions:
                if report.accepted(tx):
                    assert tx.status.usable and not group.rejected_by_envelope
    acks = build_acks(report, now=datetime(2024, 1, 1))
    for ack in acks:
        # every AK5/IK5 agrees with the verdict; a rejected set is never acknowledged as accepted
        verdicts = [s[1] for e in read_events(ack.data) if isinstance(e, TransactionBlock)
                    for s in e.tx.segments if s.id in ("AK5", "IK5")]
        expected = [tx.status.ack_code for ic in report.interchanges for g in ic.groups
                    if g.functional_id != "FA" for tx in g.transactions]
        assert verdicts == expected[:len(verdicts)]
    report.to_json()


mutation = st.one_of(
    st.tuples(st.just("drop"), st.integers(1, len(SEGMENTS) - 1)),
    st.tuples(st.just("dup"), st.integers(1, len(SEGMENTS) - 1)),
    st.tuples(st.just("swap"), st.integers(1, len(SEGMENTS) - 2)),
)


@given(st.lists(mutation, min_size=1, max_size=4))
def test_segment_mutations(mutations) -> None:
    segments = list(SEGMENTS)
    for kind, index in mutations:
        index = min(index, len(segments) - 1)
        if kind == "drop" and len(segments) > 2:
            del segments[index]
        elif kind == "dup":
            segments.insert(index, segments[index])
        elif kind == "swap" and index + 1 < len(segments):
            segments[index], segments[index + 1] = segments[index + 1], segments[index]
    _verify(TERM.join(segments) + TERM)


@given(st.integers(0, len(BASE)))
def test_truncation(cut: int) -> None:
    _verify(BASE[:cut])


@given(st.binary(max_size=200), st.integers(0, len(BASE)))
def test_junk_inserted(junk: bytes, at: int) -> None:
    _verify(BASE[:at] + junk + BASE[at:])


@given(st.integers(0, len(BASE) - 1), st.integers(0, 255))
def test_byte_flip(at: int, value: int) -> None:
    _verify(BASE[:at] + bytes([value]) + BASE[at + 1:])


SEPARATORS = [b"*", b"|", b"^", b"!", b"\x1d", b"+", b"`"]
TERMINATORS = [b"~", b"\n", b"\r", b"!", b"\x1c", b"'", "\u2026".encode()]


@given(st.sampled_from(SEPARATORS), st.sampled_from([b">", b":", b"{", b"@"]),
       st.sampled_from(TERMINATORS), st.sampled_from(["", "\n", "\r\n"]))
def test_any_delimiters_read_back(element: bytes, component: bytes, terminator: bytes,
                                  line_ending: str) -> None:
    if len({element, component, terminator}) < 3:
        return
    data = interchange(2, lines=2, delimiters=Delimiters(element, component, terminator, None),
                       line_ending=line_ending)
    report = check(data, structure=ENVELOPE)
    assert not report.anything_rejected, report.to_json()
    _verify(data)
