"""`ordergate partner list|check` and `ordergate schema`, run through the real entry point."""

from __future__ import annotations

import json
from pathlib import Path

from gateway.partners.samples import demo_850s

from tests.unit.mapping import builders as B


def test_partner_list_table_and_json(home, run):
    code, out, _ = run("partner", "list", "--home", home, "--json")
    assert code == 0
    ids = {p["id"]: p for p in json.loads(out)["partners"]}
    assert ids["demo-retailer"]["isa"] == "ZZ/DEMORETAILER"
    assert "850 in" in ids["demo-retailer"]["documents"]
    code, out, _ = run("partner", "list", "--home", home)
    assert code == 0 and "demo-vendor" in out


def test_partner_list_refuses_duplicate_isa_without_traceback(home, run):
    text = (home / "partners" / "demo-vendor.yaml").read_text()
    (home / "partners" / "twin.yaml").write_text(text.replace("id: demo-vendor", "id: twin"))
    code, out, err = run("partner", "list", "--home", home)
    assert code == 1
    assert "ISA ID ZZ/DEMOVENDOR" in err and "Traceback" not in err + out
    code, out, _ = run("partner", "check", "demo-vendor", "--home", home, "--json")
    assert code == 1
    finding = next(f for f in json.loads(out)["findings"] if f["check"] == "all partners")
    assert finding["key_path"] == "x12.partner.isa_id"


def test_check_demo_partners_is_clean(home, run):
    for pid in ("demo-retailer", "demo-vendor"):
        code, out, err = run("partner", "check", pid, "--home", home, "--json")
        assert code == 0, out + err
        data = json.loads(out)
        assert data["ok"] and all(f["severity"] == "ok" for f in data["findings"])


def test_check_unknown_partner(home, run):
    code, out, _ = run("partner", "check", "ghost", "--home", home, "--json")
    assert code == 1
    assert json.loads(out)["findings"][0]["check"] == "profile"


def _override(home: Path, name: str, text: str) -> None:
    file = home / "mappings" / f"{name}.yaml"
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_text(text)


def test_mapping_pointing_at_a_missing_element_is_named(home, run):
    _override(home, "850/broken", 'document: "850"\nextends: 850/default\nset:\n'
              '  BEG.BEG14: po_number\n  PO1/PO1.PO104: {field: item.skuu}\n')
    file = home / "partners" / "demo-retailer.yaml"
    file.write_text(file.read_text().replace("850/demo-retailer-in", "850/broken"))
    code, out, err = run("partner", "check", "demo-retailer", "--home", home, "--json")
    assert code == 1, out
    errors = [f for f in json.loads(out)["findings"] if f["severity"] == "error"]
    by_key = {f["key_path"]: f for f in errors}
    assert "BEG has no element 14" in by_key["BEG.BEG14"]["message"]
    assert "'skuu'" in by_key["PO1/PO1.PO104"]["message"]
    assert all(f["file"].endswith("850/broken.yaml") for f in errors)
    code, out, err = run("partner", "check", "demo-retailer", "--home", home)
    assert code == 1 and "Traceback" not in out + err and "BEG.BEG14" in out


def test_invalid_mapping_file_names_file_key_and_expectation(home, run):
    _override(home, "850/broken", 'document: "850"\nextends: 850/default\nset:\n'
              '  BEG.BEG05: {field: po_date, format: julian}\n')
    file = home / "partners" / "demo-retailer.yaml"
    file.write_text(file.read_text().replace("850/demo-retailer-in", "850/broken"))
    code, out, _ = run("partner", "check", "demo-retailer", "--home", home, "--json")
    assert code == 1
    bad = next(f for f in json.loads(out)["findings"] if f["severity"] == "error")
    assert bad["file"].endswith("broken.yaml") and bad["key_path"].startswith("set.BEG.BEG05")
    assert "unknown format 'julian'" in bad["message"]


def test_sample_inbound_850_shows_the_canonical_order(home, run, tmp_path):
    sample = tmp_path / "po.edi"
    sample.write_bytes(demo_850s(1, seed=3)[0])
    code, out, err = run("partner", "check", "demo-retailer", "--home", home, "--sample",
                         sample, "--json")
    assert code == 0, out + err
    data = json.loads(out)
    [doc] = data["sample"]["documents"]
    assert doc["document_type"] == "purchase_order" and doc["po_number"] == "DR003000001"
    assert all(line["item"]["sku"].startswith("DEMO-") for line in doc["lines"])
    code, out, _ = run("partner", "check", "demo-retailer", "--home", home, "--sample", sample)
    assert code == 0 and "DR003000001" in out


def test_sample_that_does_not_fit_is_refused_with_position(home, run, tmp_path):
    data = demo_850s(1, seed=3)[0].replace(b"*20240501~", b"*2024XX01~", 1)
    sample = tmp_path / "bad.edi"
    sample.write_bytes(data)
    code, out, _ = run("partner", "check", "demo-retailer", "--home", home, "--sample", sample,
                       "--json")
    assert code == 1
    bad = next(f for f in json.loads(out)["findings"] if f["severity"] == "error")
    assert bad["key_path"] == "BEG05 at segment 2"
    assert "CCYYMMDD" in bad["expected"]


def test_sample_from_another_sender_is_refused(home, run, tmp_path):
    sample = tmp_path / "po.edi"
    sample.write_bytes(demo_850s(1)[0].replace(b"DEMORETAILER   ", b"SOMEONEELSE    ", 1))
    code, out, _ = run("partner", "check", "demo-retailer", "--home", home, "--sample", sample,
                       "--json")
    assert code == 1
    assert any("not by this partner" in f["message"] for f in json.loads(out)["findings"])


def test_sample_outbound_fixture_is_rendered(home, run, tmp_path):
    fixture = tmp_path / "asn.json"
    fixture.write_text(B.ship_notice().model_dump_json())
    code, out, err = run("partner", "check", "demo-retailer", "--home", home, "--sample",
                         fixture, "--json")
    data = json.loads(out)
    rendered = data["sample"]["rendered"]
    assert rendered.startswith("ISA*00*") and "ST*856*0001~" in rendered
    assert "LIN*1*VN*DEMO-100*UP*" in rendered and "CTT*3*6~" in rendered  # the retailer's own qualifier for our SKU
    structural = [f for f in data["findings"] if f["check"] == "x12 check"]
    if all("no structure definition" not in f["message"] for f in structural):
        assert code == 0, out + err


def test_sample_fixture_that_is_not_canonical(home, run, tmp_path):
    fixture = tmp_path / "junk.json"
    fixture.write_text(json.dumps({"document_type": "invoice", "invoice_number": "1"}))
    code, out, _ = run("partner", "check", "demo-retailer", "--home", home, "--sample", fixture,
                       "--json")
    assert code == 1
    bad = next(f for f in json.loads(out)["findings"] if f["severity"] == "error")
    assert bad["key_path"] in ("invoice_date", "lines", "total_amount")


def test_sample_unreadable_kind(home, run, tmp_path):
    junk = tmp_path / "junk.bin"
    junk.write_bytes(b"\x00\x01hello")
    code, out, _ = run("partner", "check", "demo-retailer", "--home", home, "--sample", junk)
    assert code == 1 and "Traceback" not in out


def test_connect_to_local_mailbox(home, run):
    (home / "mailboxes" / "demo-vendor" / "inbound" / "a.edi").write_bytes(demo_850s(1)[0])
    code, out, err = run("partner", "check", "demo-vendor", "--home", home, "--connect",
                         "--json")
    assert code == 0, out + err
    connect = next(f for f in json.loads(out)["findings"] if f["check"] == "connect")
    assert connect["severity"] == "ok" and "1 file(s)" in connect["message"]


def test_schema_writes_json_schemas(run, tmp_path):
    code, out, _ = run("schema", tmp_path / "schemas")
    assert code == 0
    profile = json.loads((tmp_path / "schemas" / "partner-profile.schema.json").read_text())
    mapping = json.loads((tmp_path / "schemas" / "mapping.schema.json").read_text())
    assert "x12" in profile["properties"] and "transport" in profile["properties"]
    assert "body" in mapping["properties"] and "$defs" in mapping
    asn = json.loads((tmp_path / "schemas" / "canonical-ship-notice.schema.json").read_text())
    assert "cartons" in asn["properties"]


def test_missing_home_is_a_usage_error(run, tmp_path):
    code, _, err = run("partner", "list", "--home", tmp_path / "nope")
    assert code == 2 and "ordergate init" in err


def test_odd_document_for_the_role_is_a_warning_not_a_failure(home, run):
    file = home / "partners" / "demo-retailer.yaml"
    file.write_text(file.read_text().replace('  - {type: "997", direction: in}',
                                             '  - {type: "997", direction: in}\n'
                                             '  - {type: "856", direction: in}'))
    code, out, _ = run("partner", "check", "demo-retailer", "--home", home, "--json")
    assert code == 0
    [warning] = [f for f in json.loads(out)["findings"] if f["severity"] == "warning"]
    assert warning["key_path"] == "documents.6" and "856" in warning["message"]


def test_demo_samples_are_reproducible_and_distinct():
    first, again = demo_850s(5, seed=11), demo_850s(5, seed=11)
    assert first == again and len(set(first)) == 5
    assert demo_850s(5, seed=12) != first
    assert all(b"*VN*DEMO-" in f and b"ST*850*" in f for f in first)


def test_xml_documents_are_checked_by_the_xml_part(home, run):
    file = home / "partners" / "demo-retailer.yaml"
    file.write_text(file.read_text().replace(
        '  - {type: "997", direction: in}',
        '  - {type: "997", direction: in}\n  - {type: "850", direction: in, format: xml}'
    ).replace('  - {type: "850", direction: in, mapping: 850/demo-retailer-in}\n', ''))
    code, out, _ = run("partner", "check", "demo-retailer", "--home", home, "--json")
    findings = json.loads(out)["findings"]
    xml = [f for f in findings if f["check"] == "mapping 850 in"]
    assert xml and xml[0]["severity"] == "error" and code == 1  # format xml needs a mapping


def test_outbound_sample_for_a_cxml_partner_renders_xml(home, run, tmp_path):
    file = home / "partners" / "demo-retailer.yaml"
    file.write_text(file.read_text().replace(
        '{type: "855", direction: out, mapping: 855/demo-retailer-out}',
        '{type: "855", direction: out, format: cxml}'))
    fixture = tmp_path / "ack.json"
    fixture.write_text(B.order_ack().model_dump_json())
    code, out, err = run("partner", "check", "demo-retailer", "--home", home, "--sample",
                         fixture, "--json")
    data = json.loads(out)
    assert code == 0, out + err
    assert data["sample"]["rendered"].lstrip().startswith("<?xml")
    assert "ConfirmationRequest" in data["sample"]["rendered"]
