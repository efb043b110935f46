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
from gateway.mapping.parts import segment_parts
from gateway.mapping.reader import read
from gateway.partners import load_partners
from gateway.partners.setup import install_demo_partners
from gateway.x12 import Delimiters, Segment, iter_transactions

from tests.unit.mapping import builders as B
from tests.unit.mapping.builders import segs

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


# --- generated (fast) inbound path against the general one -----------------------------------

@pytest.mark.parametrize("origins", [True, False])
def test_bad_element_is_named_the_same_on_both_paths(origins):
    mapping = load_mapping("850/default")
    with pytest.raises(InboundError) as info:
        read(mapping, segs("ST*850*0001", "BEG*00*SA*P1**20240501", "PO1*1*2*EA*x1",
                           "SE*4*0001"), origins=origins)
    err = info.value
    assert (err.segment_id, err.segment_position, err.element_position) == ("PO1", 3, 4)
    assert (err.field, err.value, err.expected) == ("unit_price", "x1", "a decimal number")


@pytest.mark.parametrize("origins", [True, False])
def test_bad_date_is_refused_on_both_paths_even_after_good_ones(origins):
    mapping = load_mapping("850/default")
    good = segs("ST*850*0001", "BEG*00*SA*P1**20240501", "PO1*1*2*EA", "SE*4*0001")
    assert read(mapping, good, origins=origins).data["po_date"] == dt.date(2024, 5, 1)
    with pytest.raises(InboundError) as info:
        read(mapping, segs("ST*850*0001", "BEG*00*SA*P1**20241301", "PO1*1*2*EA", "SE*4*0001"),
             origins=origins)
    assert (info.value.segment_id, info.value.element_position) == ("BEG", 5)
    assert info.value.value == "20241301"


@pytest.mark.parametrize("origins", [True, False])
def test_required_empty_element_on_both_paths(origins):
    mapping = load_mapping("850/default")
    with pytest.raises(InboundError) as info:
        read(mapping, segs("ST*850*0001", "BEG*00*SA*P1**20240501", "PO1*1**EA", "SE*4*0001"),
             origins=origins)
    err = info.value
    assert (err.segment_id, err.segment_position, err.element_position, err.field) == (
        "PO1", 3, 2, "quantity")
    assert "required element is empty" in str(err)


@pytest.mark.parametrize("origins", [True, False])
def test_codes_fallback_ids_and_nested_fields_on_both_paths(origins):
    mapping = load_mapping("850/default")
    data = read(mapping, segs(
        "ST*850*0001", "BEG*04*SA*P1**240501", "N1*ZZ*Someone", "N3*1 Main*Floor 2",
        "N1*ST*Store", "PO1*1*2*EA*1.5**SK*A1*UP*0123*SK*IGNORED", "PID*X****not mapped",
        "PID*F****Widget", "DTM*002*20240509", "SE*10*0001"), origins=origins).data
    assert data["purpose"] == "change" and data["po_date"] == dt.date(2024, 5, 1)
    assert [p["role"] for p in data["parties"]] == ["other", "ship_to"]
    assert data["parties"][0]["address"]["lines"] == ["1 Main", "Floor 2"]
    [line] = data["lines"]
    assert line["item"] == {"sku": "A1", "upc": "0123", "description": "Widget"}
    assert line["requested_date"] == dt.date(2024, 5, 9)


@pytest.mark.parametrize("ack04, scheduled", [("068", dt.date(2024, 5, 6)), ("002", None)])
@pytest.mark.parametrize("origins", [True, False])
def test_conditional_element_on_both_paths(origins, ack04, scheduled):
    mapping = load_mapping("855/default")
    data = read(mapping, segs("ST*855*0001", "BAK*00*AC*P1*20240501", "PO1*1*2*EA",
                              f"ACK*IA*2*EA*{ack04}*20240506", "SE*5*0001"),
                origins=origins).data
    assert data["lines"][0].get("scheduled_date") == scheduled


@pytest.mark.parametrize("doc_type", sorted(B.ALL))
@pytest.mark.parametrize("partner_id", ["demo-retailer", "demo-vendor"])
def test_both_inbound_paths_read_every_default_mapping_alike(home, doc_type, partner_id):
    from gateway.mapping.api import mapping_for

    partner = load_partners(home)[partner_id]
    data = render_outbound(partner, B.ALL[doc_type](), control=ControlNumbers(1, 1, 1), now=NOW,
                           direction="in")
    tx = next(iter_transactions(data))
    mapping = mapping_for(partner, tx.set_id, "in")
    fast = read(mapping, tx.segments, origins=False)
    slow = read(mapping, next(iter_transactions(data)).segments, origins=True)
    assert fast.data == slow.data and fast.unmapped == slow.unmapped


# --- outbound: from the model itself, as from its JSON dump ----------------------------------

@pytest.mark.parametrize("doc_type", sorted(B.ALL))
@pytest.mark.parametrize("partner_id", ["demo-retailer", "demo-vendor"])
@pytest.mark.parametrize("direction", ["in", "out"])
def test_writing_from_the_model_equals_writing_from_its_dump(home, doc_type, partner_id,
                                                             direction):
    from gateway.mapping.api import SET_IDS, mapping_for
    from gateway.mapping.writer import write

    partner = load_partners(home)[partner_id]
    doc = B.ALL[doc_type]()
    set_id = SET_IDS[doc.document_type]
    if set_id == "997" and getattr(doc, "kind", "997") == "999":
        set_id = "999"
    mapping = mapping_for(partner, set_id, direction)
    from_model = write(mapping, doc, set_id, "0001")
    from_dump = write(mapping, doc.model_dump(mode="json"), set_id, "0001")
    assert from_model == from_dump and len(from_model) > 2


# --- segments split for mapping, as the engine splits them -----------------------------------

_PIECE = st.lists(st.sampled_from([b"BEG", b"PO1", b"*", b"1", b"A", b" ", b"\r\n", b"\t",
                                   b"\xc3\xa9", b"\xff", b"~", b""]), max_size=12).map(b"".join)


@given(pieces=st.lists(_PIECE, max_size=8),
       terminator=st.sampled_from([b"~", b"\n", b"~\r\n", b"\x85"]), base=st.integers(0, 500))
def test_transaction_segments_equal_the_engines(pieces, terminator, base):
    from gateway.mapping.parts import SegmentRows, transaction_segments
    from gateway.x12.model import TransactionSet, iter_segments

    raw = terminator.join(pieces)
    delimiters = Delimiters(element=b"*", component=b">", segment=terminator)
    ours = transaction_segments(TransactionSet(raw, delimiters, byte_offset=base))
    theirs = list(iter_segments(raw, delimiters, base))
    assert isinstance(ours, SegmentRows) == terminator.isascii()
    rows = ours.rows if isinstance(ours, SegmentRows) else [segment_parts(s) for s in ours]
    assert [tuple(row) for row in rows] == [(s.id, *s.elements) for s in theirs]
    # the Segment objects, when asked for, are the engine's own
    assert [(s.raw, s.position, s.byte_offset) for s in (ours[n] for n in range(len(ours)))] \
        == [(s.raw, s.position, s.byte_offset) for s in theirs]


def test_rows_are_read_without_building_segments_until_an_error_needs_one(home):
    from gateway.mapping.api import mapping_for
    from gateway.mapping.parts import SegmentRows, transaction_segments

    partner = load_partners(home)["demo-retailer"]
    data = render_outbound(partner, B.purchase_order("demo-retailer"),
                           control=ControlNumbers(1, 1, 1), now=NOW, direction="in")
    tx = next(iter_transactions(data))
    rows = transaction_segments(tx)
    assert isinstance(rows, SegmentRows)
    mapping = mapping_for(partner, "850", "in")
    result = read(mapping, rows, origins=False)
    assert result.data["po_number"] == "PO-1001" and rows._segments is None
    bad = next(iter_transactions(data.replace(b"PO1*1*2*", b"PO1*1*two*")))
    with pytest.raises(InboundError) as info:
        read(mapping, transaction_segments(bad), origins=False)
    po1 = next(s for s in bad.segments if s.id == "PO1")
    assert (info.value.segment_id, info.value.segment_position) == ("PO1", po1.position)


def test_transaction_segments_reuse_an_already_parsed_set(home):
    from gateway.mapping.parts import transaction_segments

    partner = load_partners(home)["demo-retailer"]
    data = render_outbound(partner, B.purchase_order("demo-retailer"),
                           control=ControlNumbers(1, 1, 1), now=NOW, direction="in")
    tx = next(iter_transactions(data))
    fresh = transaction_segments(tx)
    assert [s.elements for s in fresh] == [s.elements for s in tx.segments]
    assert transaction_segments(tx) is tx.segments


# --- outbound: generated segment functions against the interpreted plans ---------------------

@pytest.mark.parametrize("doc_type", sorted(B.ALL))
@pytest.mark.parametrize("partner_id", ["demo-retailer", "demo-vendor"])
@pytest.mark.parametrize("direction", ["in", "out"])
def test_generated_writers_equal_the_interpreted_ones(home, doc_type, partner_id, direction):
    from gateway.mapping.api import SET_IDS, mapping_for
    from gateway.mapping.writer import write

    partner = load_partners(home)[partner_id]
    doc = B.ALL[doc_type]()
    set_id = SET_IDS[doc.document_type]
    if set_id == "997" and getattr(doc, "kind", "997") == "999":
        set_id = "999"
    mapping = mapping_for(partner, set_id, direction)
    assert write(mapping, doc, set_id, "0001") == \
        write(mapping, doc, set_id, "0001", generated=False)


def test_generated_writer_conditions_defaults_and_codes():
    from gateway.mapping.writer import write

    mapping = load_mapping("855/default")
    doc = B.order_ack()
    out = write(mapping, doc, "855", "0001")
    assert out == write(mapping, doc, "855", "0001", generated=False)
    acks = [els for seg, els in out if seg == "ACK"]
    # ACK05 (a date) brings its condition's first value into ACK04
    assert acks[0][:5] == ["IA", "3", "EA", "068", "20240506"]
    bare = doc.model_copy(update={"lines": [line.model_copy(update={"scheduled_date": None,
                                                                     "uom": "CA"})
                                            for line in doc.lines]})
    plain = [els for seg, els in write(mapping, bare, "855", "0001") if seg == "ACK"]
    assert plain[0] == ["IA", "3", "CA"] and plain == [
        els for seg, els in write(mapping, bare, "855", "0001", generated=False) if seg == "ACK"]


@pytest.mark.parametrize("generated", [True, False])
def test_outbound_errors_are_the_same_on_both_paths(generated):
    from gateway.mapping import OutboundError
    from gateway.mapping.writer import write

    mapping = load_mapping("810/default")
    data = B.invoice().model_dump(mode="json")
    del data["invoice_number"]
    with pytest.raises(OutboundError) as info:
        write(mapping, data, "810", "0001", generated=generated)
    assert (info.value.segment_id, info.value.field) == ("BIG", "invoice_number")
    data = B.invoice().model_dump(mode="json")
    data["invoice_date"] = "not a date"
    with pytest.raises(OutboundError) as info:
        write(mapping, data, "810", "0001", generated=generated)
    assert info.value.value == "not a date" and info.value.expected.startswith("date")


@given(price=st.decimals(min_value=-10**6, max_value=10**6, places=4, allow_nan=False),
       qty=st.decimals(min_value=0, max_value=10**5, places=3, allow_nan=False))
def test_cached_decimal_formats_equal_the_plain_transform(price, qty):
    from gateway.mapping import transforms
    from gateway.mapping.writegen import formatter

    fmt = formatter("decimal")
    for value in (price, qty, price, str(price)):
        assert fmt(value) == transforms.to_x12("decimal", value)


# --- registry: names and compiled plans are reused, and follow file changes ------------------

def test_default_mapping_names_are_remembered_and_rechecked(home, monkeypatch):
    from gateway.mapping.registry import resolve_name

    monkeypatch.setattr("gateway.mapping.registry.RECHECK_SECONDS", 0)
    assert resolve_name("855", "in", "4010", None, home) == "855/default"
    specific = home / "mappings" / "855" / "default-in.yaml"
    specific.parent.mkdir(parents=True, exist_ok=True)
    specific.write_text('document: "855"\nextends: 855/default\n')
    assert resolve_name("855", "in", "4010", None, home) == "855/default-in"
    monkeypatch.setattr("gateway.mapping.registry.RECHECK_SECONDS", 3600)
    specific.unlink()
    assert resolve_name("855", "in", "4010", None, home) == "855/default-in"  # within the window
    monkeypatch.setattr("gateway.mapping.registry.RECHECK_SECONDS", 0)
    assert resolve_name("855", "in", "4010", None, home) == "855/default"


def test_compiled_plans_live_with_the_loaded_mapping_and_go_when_it_changes(home, monkeypatch):
    import os

    from gateway.mapping.readplan import top_level

    monkeypatch.setattr("gateway.mapping.registry.RECHECK_SECONDS", 0)
    file = home / "mappings" / "850" / "mine.yaml"
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_text('document: "850"\nextends: 850/default\n')
    first = load_mapping("850/mine", home)
    level = top_level(first)
    assert load_mapping("850/mine", home) is first and top_level(first) is level
    file.write_text('document: "850"\nextends: 850/default\nremove: [CUR]\n')
    stat = file.stat()
    os.utime(file, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    second = load_mapping("850/mine", home)
    assert second is not first and "CUR" not in top_level(second).own
    assert "CUR" in level.own


def test_unmapped_positions_from_rows_equal_the_engines(home):
    from gateway.mapping.api import mapping_for
    from gateway.mapping.parts import transaction_segments

    partner = load_partners(home)["demo-retailer"]
    data = render_outbound(partner, B.purchase_order("demo-retailer"),
                           control=ControlNumbers(1, 1, 1), now=NOW, direction="in")
    data = data.replace(b"~\nCUR*", b"~\nZZZ*1~\n  MSG*hello~\nCUR*", 1)
    mapping = mapping_for(partner, "850", "in")
    fast = read(mapping, transaction_segments(next(iter_transactions(data))), origins=False)
    slow = read(mapping, next(iter_transactions(data)).segments)
    assert fast.unmapped == slow.unmapped and [u[0] for u in fast.unmapped] == ["ZZZ", "MSG"]
    assert fast.data == slow.data


def test_mapping_text_stays_data_in_generated_functions(home):
    """Quotes, backslashes and newlines in codes, constants and conditions are values, never
    source: the generated functions read and write them literally."""
    import json

    odd = "x'); raise SystemExit(\"boom\") #\\n\n"
    file = home / "mappings" / "850" / "odd.yaml"
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_text(
        'document: "850"\nextends: 850/default\n'
        f'codes:\n  purpose: {{"00": {json.dumps(odd)}}}\n'
        'set:\n'
        '  BEG.BEG02: {field: order_type, default: "A\'B"}\n'
        '  PO1/PO1.PO107: {field: item.sku, when: "PO106 = V\'N"}\n')
    mapping = load_mapping("850/odd", home)
    data = read(mapping, segs("ST*850*0001", "BEG*00**P1**20240501", "PO1*1*2*EA***V'N*S1",
                              "SE*4*0001"), origins=False).data
    assert data["purpose"] == odd and data["lines"][0]["item"]["sku"] == "S1"
    from gateway.mapping.writer import write

    doc = {"purpose": odd, "po_number": "P1", "po_date": "2024-05-01",
           "lines": [{"quantity": "2", "item": {"sku": "S1"}}]}
    out = dict(write(mapping, doc, "850", "0001"))
    assert out["BEG"][:2] == ["00", "A'B"]
    assert write(mapping, doc, "850", "0001") == write(mapping, doc, "850", "0001",
                                                       generated=False)
