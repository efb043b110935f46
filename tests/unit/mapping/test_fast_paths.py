"""The engine's prepared (compiled) paths keep the behaviour of the plain ones.

Reading skips origin bookkeeping until the canonical model refuses a document, splits segments
in one decode, and keeps per-mapping plans; these tests pin that nothing observable changed.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gateway.mapping import ControlNumbers, InboundError, load_mapping, parse_inbound, render_outbound
from gateway.mapping.readplan import segment_parts
from gateway.mapping.reader import read
from gateway.partners import load_partners
from gateway.partners.setup import install_demo_partners
from gateway.x12 import Delimiters, Segment, iter_transactions

from tests.unit.mapping import builders as B

NOW = dt.datetime(2024, 5, 1, 12, 0)


@pytest.fixture
def home(tmp_path):
    install_demo_partners(tmp_path)
    return tmp_path


@given(raw=st.binary(max_size=60), sep=st.sampled_from([b"*", b"|", b"\x1d", b"\xe2", b"^^"]))
def test_segment_parts_match_the_engines_own_split(raw, sep):
    delimiters = Delimiters(element=sep, component=b">", segment=b"~")
    ours = segment_parts(Segment(raw, delimiters))
    assert ours == Segment(raw, delimiters)._split()


@given(text=st.text(max_size=20), extra=st.binary(max_size=8))
def test_segment_parts_keep_undecodable_bytes_reversible(text, extra):
    raw = b"REF*" + text.encode("utf-8", "surrogateescape").replace(b"*", b"") + b"*" + extra
    seg = Segment(raw, Delimiters())
    assert segment_parts(seg) == Segment(raw, Delimiters())._split()
    assert seg.id == "REF"


def _ship_notice_set(home, sscc_from: str, sscc_to: str):
    partner = load_partners(home)["demo-vendor"]
    data = render_outbound(partner, B.ship_notice(), control=ControlNumbers(1, 1, 1), now=NOW,
                           direction="in")
    assert sscc_from.encode() in data
    return partner, next(iter_transactions(data.replace(sscc_from.encode(), sscc_to.encode())))


def test_canonical_refusal_still_names_segment_position_and_element(home):
    good = B.sscc(1)
    bad = good[:-1] + str((int(good[-1]) + 1) % 10)  # wrong check digit: only the model sees it
    partner, tx = _ship_notice_set(home, good, bad)
    man = next(s for s in tx.segments if s.id == "MAN" and s[2] == bad)
    with pytest.raises(InboundError) as info:
        parse_inbound(partner, tx)
    err = info.value
    assert (err.segment_id, err.segment_position, err.element_position) == ("MAN", man.position, 2)
    assert err.field.startswith("cartons.0.sscc") and "check digit" in err.message.lower()


def test_reading_without_origins_gives_the_same_document(home):
    partner = load_partners(home)["demo-retailer"]
    data = render_outbound(partner, B.purchase_order("demo-retailer"),
                           control=ControlNumbers(1, 1, 1), now=NOW, direction="in")
    mapping = load_mapping("850/demo-retailer-in", home)
    tx = next(iter_transactions(data))
    fast = read(mapping, tx.segments, origins=False)
    slow = read(mapping, next(iter_transactions(data)).segments)
    assert fast.data == slow.data and fast.unmapped == slow.unmapped
    assert fast.origins == {}
    assert slow.origins["lines.1.quantity"][0] == "PO1"
    assert slow.origins["parties.0.address.lines.0"][0] == "N3"
