"""Partner profiles: valid demo files, and errors that name file, key path and expectation."""

from __future__ import annotations

from pathlib import Path

import pytest

from gateway.partners import (
    DuplicateIsaId, PartnerError, UnknownPartner, find_partner_by_isa, load_partner, load_partners,
)
from gateway.partners.errors import ProfileErrors
from gateway.partners.profile import Direction, Role


def write(home: Path, partner_id: str, text: str) -> Path:
    file = home / "partners" / f"{partner_id}.yaml"
    file.write_text(text, encoding="utf-8")
    return file


def test_demo_partners_load_with_their_identities(home):
    partners = load_partners(home)
    retailer, vendor = partners["demo-retailer"], partners["demo-vendor"]
    assert retailer.role == Role.CUSTOMER and vendor.role == Role.VENDOR
    assert (retailer.x12.partner.isa_qualifier, retailer.x12.partner.isa_id) == ("ZZ",
                                                                                 "DEMORETAILER")
    assert vendor.x12.partner.isa_id == "DEMOVENDOR" and retailer.x12.us.isa_id == "ORDERGATE"
    assert retailer.document("850", Direction.IN).mapping == "850/demo-retailer-in"
    assert {d.type for d in retailer.documents if d.direction == Direction.OUT} == {
        "997", "855", "856", "810"}
    assert {d.type for d in vendor.documents if d.direction == Direction.IN} == {
        "997", "855", "856", "810"}
    assert retailer.home == home
    for pid in ("demo-retailer", "demo-vendor"):
        for box in ("inbound", "outbound"):
            assert (home / "mailboxes" / pid / box).is_dir()


def test_route_by_isa_sender(home):
    partners = load_partners(home)
    assert find_partner_by_isa(partners, "ZZ", "DEMOVENDOR     ").id == "demo-vendor"
    assert find_partner_by_isa(partners, "01", "DEMOVENDOR") is None


def test_unknown_partner_lists_the_known_ones(home):
    with pytest.raises(UnknownPartner) as info:
        load_partner(home, "nobody")
    assert "demo-retailer" in info.value.expected


def test_two_partners_with_the_same_isa_id_are_refused(home):
    text = (home / "partners" / "demo-vendor.yaml").read_text()
    write(home, "copycat", text.replace("id: demo-vendor", "id: copycat"))
    with pytest.raises(DuplicateIsaId) as info:
        load_partners(home)
    assert info.value.key_path == "x12.partner.isa_id"
    assert "ZZ/DEMOVENDOR" in str(info.value) and "copycat" in str(info.value)


@pytest.mark.parametrize("change, key, expected", [
    (("isa_qualifier: ZZ, isa_id: DEMOVENDOR", "isa_qualifier: ZZZ, isa_id: DEMOVENDOR"),
     "x12.partner.isa_qualifier", None),
    (("role: vendor", "role: supplier"), "role", "'customer', 'vendor' or 'both'"),
    (("usage: T", "usage: X"), "usage", "'T' or 'P'"),
    (("type: local", "type: ftp"), "transport.type", "'sftp' or 'local'"),
    (("stable_seconds: 0", "stable_seconds: -1"), "transport.stable_seconds", None),
])
def test_invalid_profile_names_key_and_expectation(home, change, key, expected):
    file = home / "partners" / "demo-vendor.yaml"
    file.write_text(file.read_text().replace(*change))
    with pytest.raises(PartnerError) as info:
        load_partner(home, "demo-vendor")
    assert info.value.file == str(file)
    assert info.value.key_path == key
    if expected:
        assert info.value.expected == expected


def test_unknown_key_is_an_error_not_ignored(home):
    file = home / "partners" / "demo-vendor.yaml"
    file.write_text(file.read_text().replace("usage: T", "usage: T\nusgae: P"))
    with pytest.raises(ProfileErrors) as info:
        load_partner(home, "demo-vendor")
    assert info.value.key_path == "usgae"


def test_sftp_transport_needs_host_key_and_a_secret_reference(home):
    file = home / "partners" / "demo-vendor.yaml"
    text = file.read_text()
    start = text.index("transport:")
    end = text.index("acks:")
    file.write_text(text[:start] + "transport:\n  type: sftp\n  host: sftp.example.com\n"
                    "  user: ordergate\n" + text[end:])
    with pytest.raises(PartnerError) as info:
        load_partner(home, "demo-vendor")
    assert info.value.key_path == "transport"
    assert "host_key" in str(info.value) and "key_file or key_env" not in str(info.value)


def test_bad_yaml_names_line(home):
    write(home, "broken", "id: broken\nname: [unclosed\n")
    with pytest.raises(PartnerError) as info:
        load_partner(home, "broken")
    assert info.value.key_path.startswith("line ")


def test_id_must_match_file_name(home):
    text = (home / "partners" / "demo-vendor.yaml").read_text()
    (home / "partners" / "demo-vendor.yaml").unlink()
    write(home, "other-name", text)
    with pytest.raises(PartnerError) as info:
        load_partners(home)
    assert info.value.key_path == "id" and info.value.expected == "'other-name'"


def test_install_keeps_an_edited_profile(home):
    from gateway.partners.setup import install_demo_partners

    file = home / "partners" / "demo-vendor.yaml"
    file.write_text(file.read_text().replace("Demo Vendor Co.", "Edited Vendor"))
    install_demo_partners(home)
    assert load_partner(home, "demo-vendor").name == "Edited Vendor"
    install_demo_partners(home, overwrite=True)
    assert load_partner(home, "demo-vendor").name == "Demo Vendor Co."


def test_version_per_document(home):
    import datetime as dt

    from gateway.mapping import ControlNumbers, parse_inbound, render_outbound
    from gateway.x12 import iter_transactions
    from tests.unit.mapping import builders as B

    file = home / "partners" / "demo-vendor.yaml"
    file.write_text(file.read_text().replace('default_version: "4010"',
                                             'default_version: "4010"\n  versions: {"856": "5010"}'))
    vendor = load_partner(home, "demo-vendor")
    assert vendor.x12.version_for("856") == "5010" and vendor.x12.version_for("850") == "4010"
    asn = render_outbound(vendor, B.ship_notice(), control=ControlNumbers(1, 1, 1),
                          now=dt.datetime(2024, 1, 1), direction="in")
    assert b"*00501*" in asn and b"*005010~" in asn and b"^" in asn[:106]
    assert parse_inbound(vendor, next(iter_transactions(asn))) == B.ship_notice()
    po = render_outbound(vendor, B.purchase_order(), control=ControlNumbers(2, 2, 1),
                         now=dt.datetime(2024, 1, 1))
    assert b"*00401*" in po and b"*004010~" in po
    file.write_text(file.read_text().replace('versions: {"856": "5010"}',
                                             'versions: {"857": "5010"}'))
    with pytest.raises(PartnerError) as info:
        load_partner(home, "demo-vendor")
    assert info.value.key_path == "x12.versions" and "857" in str(info.value)
