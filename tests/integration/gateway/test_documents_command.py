"""`ordergate documents list|files|show|retry|resend` on a home processed by `run --once`."""
from __future__ import annotations

import json
from pathlib import Path

from gateway.cli.main import main
from gateway.flow.samples import Line, functional_ack_997, interchange_850s
from gateway.partners import load_partners


def _json(capsys, *args: str) -> object:
    capsys.readouterr()
    assert main(list(args)) == 0
    return json.loads(capsys.readouterr().out)


def test_list_show_resend_retry(gateway_home: Path, capsys):
    partners = load_partners(gateway_home)
    retailer, vendor = partners["demo-retailer"], partners["demo-vendor"]
    inbound = gateway_home / "mailboxes" / "demo-retailer" / "inbound"
    inbound.mkdir(parents=True)
    (inbound / "ack.edi").write_bytes(functional_ack_997(retailer, [("PR", "1", "0001", "A")], isa13=7))
    (inbound / "forged.edi").write_bytes(interchange_850s(retailer, [("PO-F", [Line("X", 1)])],
                                                          isa13=8, sender=vendor))
    (inbound / "junk.edi").write_bytes(b"hello")
    home = ["--home", str(gateway_home)]
    assert main(["run", "--once", *home]) == 1          # one refused, one quarantined

    files = _json(capsys, "documents", "files", "--json", *home)
    by_name = {f["remote_name"]: f for f in files}
    assert {n: f["state"] for n, f in by_name.items()} == {
        "ack.edi": "applied", "forged.edi": "refused", "junk.edi": "quarantined"}

    docs = _json(capsys, "documents", "list", "--json", *home)
    ta1 = next(d for d in docs if d["doc_type"] == "TA1")
    ack_in = next(d for d in docs if d["doc_type"] == "997" and d["direction"] == "in")
    assert ta1["status"] == "sent" and ta1["direction"] == "out"

    trace = _json(capsys, "documents", "show", str(ack_in["id"]), "--json", *home)
    assert trace["file"]["remote_name"] == "ack.edi"
    assert trace["interchange"]["isa13"] == "000000007"
    assert trace["file"]["sha256"] and trace["file"]["evidence"]["sha256"] == trace["file"]["sha256"]

    outbound = gateway_home / "mailboxes" / "demo-retailer" / "outbound"
    sent = outbound / ta1["filename"]
    original = sent.read_bytes()
    sent.unlink()
    assert main(["documents", "resend", str(ta1["id"]), *home]) == 0
    assert sent.read_bytes() == original                 # same bytes, same name, same ISA13
    assert len(list(outbound.iterdir())) == 1

    junk = by_name["junk.edi"]
    assert main(["documents", "retry", str(junk["id"]), "--file", *home]) == 1
    again = {f["remote_name"]: f for f in _json(capsys, "documents", "files", "--json", *home)}
    assert again["junk.edi"]["state"] == "quarantined" and again["junk.edi"]["attempts"] == 2

    capsys.readouterr()
    assert main(["documents", "show", "9999", *home]) == 1
    err = capsys.readouterr().err
    assert "no document with id 9999" in err and "Traceback" not in err


def test_documents_on_a_home_without_tables_says_what_to_do(tmp_path: Path, capsys):
    assert main(["documents", "list", "--home", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "ordergate init" in err and "Traceback" not in err
