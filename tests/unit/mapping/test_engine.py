"""The mapping language itself: paths, transforms, code tables, overrides, file validation."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gateway.canonical import gs1_check_digit, is_valid_sscc
from gateway.mapping import (
    ControlNumbers, InboundError, MappingFileError, OutboundError, load_mapping, parse_inbound,
    render_outbound,
)
from gateway.mapping import transforms
from gateway.mapping.path import X12Path
from gateway.mapping.reader import read
from gateway.mapping.writer import write
from gateway.partners import load_partners
from gateway.partners.setup import install_demo_partners
from gateway.x12 import iter_transactions

from tests.unit.mapping import builders as B
from tests.unit.mapping.builders import segs

NOW = dt.datetime(2024, 5, 1, 12, 0)


@pytest.fixture
def home(tmp_path):
    install_demo_partners(tmp_path)
    return tmp_path


def override(home: Path, name: str, text: str) -> None:
    file = home / "mappings" / f"{name}.yaml"
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_text(text)


def use_mapping(home: Path, partner_id: str, doc: str, direction: str, name: str):
    file = home / "partners" / f"{partner_id}.yaml"
    text = file.read_text()
    old = next(line for line in text.splitlines()
               if f'type: "{doc}", direction: {direction}' in line)
    new = f'  - {{type: "{doc}", direction: {direction}, mapping: {name}}}'
    file.write_text(text.replace(old, new))
    return load_partners(home)[partner_id]


# --- X12 paths ------------------------------------------------------------------------------

PO = segs("ST*850*0001", "BEG*00*SA*P1**20240501", "N1*BT*Billing", "N4*Boston*MA",
          "N1*ST*Shop*92*S7", "N4*Austin*TX*78701", "PO1*1*2*EA*3**BP*B1*VN*SKU1",
          "PO1*2*1*EA*3**VN*SKU2", "SE*9*0001")


@pytest.mark.parametrize("path, expected", [
    ("BEG03", ["P1"]),
    ("N1[ST].N104", ["S7"]),
    ("N1[ST].N4.N401", ["Austin"]),
    ("N1[BT].N4.N403", []),
    ("PO1.PO107 when PO106 = VN", ["SKU2"]),
    ("PO1.PO109 when PO108 = VN", ["SKU1"]),
    ("PO1.PO107 when PO106 in BP,VN", ["B1", "SKU2"]),
    ("N1[ST]", ["N1"]),
    ("N1[SF]", []),
])
def test_x12_paths(path, expected):
    assert X12Path.parse(path).values(PO) == expected


@pytest.mark.parametrize("bad", ["N1[ST].", "beg03", "PO1.PO107 when PO106 ~ VN", "1BEG"])
def test_bad_paths_are_refused(bad):
    with pytest.raises(ValueError):
        X12Path.parse(bad)


# --- transforms -----------------------------------------------------------------------------

@given(st.decimals(min_value=D("-99999999"), max_value=D("99999999"), places=2,
                   allow_nan=False, allow_infinity=False))
def test_implied_decimals_round_trip(value):
    text = transforms.to_x12("implied2", value)
    assert text.lstrip("-").isdigit()
    assert transforms.to_canonical("implied2", text) == value


@given(st.decimals(min_value=D("0"), max_value=D("1000000"), places=4, allow_nan=False,
                   allow_infinity=False))
def test_decimal_text_has_no_exponent_and_round_trips(value):
    text = transforms.to_x12("decimal", value)
    assert "E" not in text.upper() and not text.endswith(".")
    assert D(text) == value


def test_dates_both_lengths():
    assert transforms.to_canonical("date", "20240131") == dt.date(2024, 1, 31)
    assert transforms.to_canonical("date", "240131") == dt.date(2024, 1, 31)
    assert transforms.to_x12("date6", dt.date(2024, 1, 31)) == "240131"
    with pytest.raises(ValueError, match="CCYYMMDD"):
        transforms.to_canonical("date8", "2024-01-31")


@given(st.integers(min_value=0, max_value=10**17 - 1))
def test_sscc_check_digit_is_gs1_mod10(serial):
    body = f"{serial:017d}"
    sscc = body + gs1_check_digit(body)
    assert is_valid_sscc(sscc)
    wrong = body + str((int(sscc[-1]) + 1) % 10)
    assert not is_valid_sscc(wrong)


def test_known_sscc_example():
    assert gs1_check_digit("10614141123456789") == "7"  # GS1 General Specifications example


# --- engine behaviour ---------------------------------------------------------------------

def test_missing_required_segment_names_it():
    mapping = load_mapping("850/default")
    with pytest.raises(InboundError) as info:
        read(mapping, segs("ST*850*0001", "BEG*00*SA*P1**20240501", "CTT*0", "SE*4*0001"))
    assert info.value.segment_id == "PO1" and "required segment PO1" in str(info.value)


def test_bad_element_value_names_segment_position_and_element():
    mapping = load_mapping("850/default")
    with pytest.raises(InboundError) as info:
        read(mapping, segs("ST*850*0001", "BEG*00*SA*P1**20240501", "PO1*1*two*EA",
                           "SE*4*0001"))
    err = info.value
    assert (err.segment_id, err.segment_position, err.element_position) == ("PO1", 3, 2)
    assert err.value == "two" and err.expected == "a decimal number"
    assert err.to_json()["field"] == "quantity"


def test_unmapped_segments_are_skipped_and_reported():
    mapping = load_mapping("850/default")
    result = read(mapping, segs("ST*850*0001", "BEG*00*SA*P1**20240501", "ZZZ*1",
                                "PO1*1*2*EA", "MSG*hello", "SE*5*0001"))
    assert ("ZZZ", 3) in result.unmapped and ("MSG", 5) in result.unmapped
    assert result.data["lines"][0]["quantity"] == D("2")


def test_outbound_required_value_is_our_error():
    mapping = load_mapping("810/default")
    data = B.invoice().model_dump(mode="json")
    del data["invoice_number"]
    with pytest.raises(OutboundError) as info:
        write(mapping, data, "810", "0001")
    assert info.value.segment_id == "BIG" and info.value.field == "invoice_number"


def test_hl_parent_links_and_sscc(home):
    partner = load_partners(home)["demo-vendor"]
    data = render_outbound(partner, B.ship_notice(), control=ControlNumbers(1, 1, 1), now=NOW)
    tx = next(iter_transactions(data))
    hls = [s for s in tx.segments if s.id == "HL"]
    ids = {}
    for hl in hls:
        assert hl[2] == "" or hl[2] in ids  # parent precedes child
        if hl[2]:
            assert (ids[hl[2]], hl[3]) in {("S", "O"), ("O", "P"), ("P", "I")}
        ids[hl[1]] = hl[3]
    assert [h[3] for h in hls] == ["S", "O", "P", "I", "I", "P", "I"]
    assert [h[4] for h in hls] == ["1", "1", "1", "0", "0", "1", "0"]
    mans = [s for s in tx.segments if s.id == "MAN"]
    assert all(m[1] == "GM" and is_valid_sscc(m[2]) for m in mans) and len(mans) == 2
    ctt = next(s for s in tx.segments if s.id == "CTT")
    assert (ctt[1], ctt[2]) == ("3", "6")


def test_invoice_money_in_implied_decimals(home):
    partner = load_partners(home)["demo-vendor"]
    inv = B.invoice()
    data = render_outbound(partner, inv, control=ControlNumbers(1, 1, 1), now=NOW).decode()
    assert f"TDS*{int(inv.total_amount * 100)}~" in data
    assert "SAC*A*C310***500~" in data and "SAC*C*D240***1250~" in data
    assert "ITD*01*3*2**10**30*****2% 10 NET 30~" in data


# --- overrides ------------------------------------------------------------------------------

def test_code_translation_their_ca_is_our_cs(home):
    override(home, "855/quirky", 'document: "855"\nextends: 855/default\n'
             "codes:\n  ack_status: {CA: IA}\n")
    partner = use_mapping(home, "demo-vendor", "855", "in", "855/quirky")
    ack = B.order_ack()
    data = render_outbound(partner, ack, control=ControlNumbers(1, 1, 1), now=NOW,
                           direction="in")
    assert b"ACK*CA*3*EA" in data  # the partner's code on the wire...
    back = parse_inbound(partner, next(iter_transactions(data)))
    assert back.lines[0].status.value == "IA"  # ...ours in the canonical document
    assert back == ack


def test_override_qualifier_date_format_constant_and_required(home):
    override(home, "850/quirky", """document: "850"
extends: 850/default
set:
  BEG.BEG05: {field: po_date, format: date6}
  BEG.BEG02: {const: NE}
  N1/N1.N103: {const: UL}
  PO1/PO1.ids: {start: PO106, codes: {IN: item.buyer_part, VN: item.sku}}
remove: [PO1/PID]
require: ["N1[ST].N104", "REF[DP].REF02"]
""")
    partner = use_mapping(home, "demo-retailer", "850", "in", "850/quirky")
    po = B.purchase_order("demo-retailer")
    data = render_outbound(partner, po, control=ControlNumbers(1, 1, 1), now=NOW,
                           direction="in").decode()
    assert "BEG*00*NE*PO-1001**240501~" in data
    assert "N1*ST*Jane Doe*UL*STORE-7~" in data and "PID" not in data
    assert "VN*DEMO-100*IN*B-100" in data or "IN*B-100*VN*DEMO-100" in data
    back = parse_inbound(partner, next(iter_transactions(data.encode())))
    assert back.po_date == po.po_date and back.lines[0].item.sku == "DEMO-100"
    missing = data.replace("REF*DP*042~", "")
    with pytest.raises(InboundError) as info:
        parse_inbound(partner, next(iter_transactions(missing.encode())))
    assert info.value.expected == "REF[DP].REF02"


def test_extract_takes_the_po_number_from_a_reference(home):
    override(home, "810/ref-po", 'document: "810"\nextends: 810/default\n'
             'extract: {po_number: "REF[PO].REF02"}\n')
    partner = use_mapping(home, "demo-vendor", "810", "in", "810/ref-po")
    inv = B.invoice().model_copy(update={"references": [B.Reference(type="PO", value="X-9")]})
    data = render_outbound(partner, inv, control=ControlNumbers(1, 1, 1), now=NOW,
                           direction="in")
    assert parse_inbound(partner, next(iter_transactions(data))).po_number == "X-9"


@pytest.mark.parametrize("text, key, words", [
    ('document: "850"\nextends: 850/default\nset:\n  NOPE.BEG01: po_number\n', "set.NOPE.BEG01",
     "no node 'NOPE'"),
    ('document: "850"\nextends: 850/missing\n', "extends", "not found"),
    ('document: "850"\nbody:\n  - segment: BEG\n    elements: {N101: po_number}\n',
     "body.0.segment", "does not belong"),
    ('document: "850"\nbody:\n  - segment: BEG\n    elements: {BEG01: {field: purpose, '
     'codes: nope}}\n', "BEG.BEG01.codes", "code table 'nope'"),
    ('document: "850"\nbody:\n  - loop: N1\n    body:\n      - segment: N3\n', "body.0",
     "must start with the N1 segment"),
    ('document: "860"\nbody: []\n', "document", "String should match"),
    ('document: "850"\nextends: 850/default\nbody: []\nset: {}\nfrobnicate: 1\n',
     "frobnicate", "Extra inputs"),
])
def test_mapping_file_errors_name_file_and_key(home, text, key, words):
    override(home, "850/bad", text)
    with pytest.raises(MappingFileError) as info:
        load_mapping("850/bad", home)
    err = info.value
    assert err.file.endswith("850/bad.yaml")
    assert err.key_path.startswith(key), err.key_path
    assert words in str(err)


def test_extends_cycle_is_refused(home):
    override(home, "850/a", 'document: "850"\nextends: 850/b\n')
    override(home, "850/b", 'document: "850"\nextends: 850/a\n')
    with pytest.raises(MappingFileError, match="cycle"):
        load_mapping("850/a", home)


def test_home_override_shadows_the_default_and_reloads_on_change(home, monkeypatch):
    monkeypatch.setattr("gateway.mapping.registry.RECHECK_SECONDS", 0)
    assert load_mapping("850/default", home).files[-1].endswith("mappings/850/default.yaml")
    override(home, "850/default", 'document: "850"\nextends: 850/base\n')
    override(home, "850/base", (Path(__file__).parents[3] / "mappings" / "850" /
                                "default.yaml").read_text())
    files = load_mapping("850/default", home).files
    assert files[-1] == str(home / "mappings" / "850" / "default.yaml")


def test_second_order_level_in_one_ship_notice_is_refused_clearly():
    mapping = load_mapping("856/default")
    with pytest.raises(InboundError) as info:
        read(mapping, segs("ST*856*0001", "BSN*00*S1*20240501*1200", "HL*1**S", "HL*2*1*O",
                           "PRF*PO-A", "HL*3*2*I", "SN1**1*EA", "HL*4*1*O", "PRF*PO-B",
                           "HL*5*4*I", "SN1**2*EA", "CTT*2", "SE*13*0001"))
    err = info.value
    assert (err.segment_id, err.segment_position, err.element_position) == ("HL", 8, 3)
    assert "one order per ship notice" in err.message


def test_ship_notice_without_pack_level_reads_into_one_carton():
    mapping = load_mapping("856/default")
    data = read(mapping, segs("ST*856*0001", "BSN*00*S1*20240501*1200", "HL*1**S", "HL*2*1*O",
                              "PRF*PO-A", "HL*3*2*I", "LIN*1*VN*A", "SN1**1*EA", "HL*4*2*I",
                              "LIN*2*VN*B", "SN1**2*EA", "CTT*2", "SE*13*0001")).data
    [carton] = data["cartons"]
    assert "sscc" not in carton and [i["quantity"] for i in carton["items"]] == [D(1), D(2)]
    assert data["po_number"] == "PO-A"
