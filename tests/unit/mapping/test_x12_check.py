"""Every document our mappings write passes the X12 engine's own check with zero findings:
structure, codes and envelope (the same check a partner's translator would run)."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from gateway.mapping import ControlNumbers, render_outbound
from gateway.partners import load_partners
from gateway.partners.sample import _collect_errors
from gateway.x12 import check

from tests.unit.mapping import builders as B

NOW = dt.datetime(2024, 5, 1, 12, 0)


def with_version(partner, version):
    return partner.model_copy(update={"x12": partner.x12.model_copy(
        update={"default_version": version})}).with_home(partner.home)


def structure_available(set_id: str, version: str) -> bool:
    try:
        from gateway.x12.structure import get_checker
    except ImportError:
        return False
    return get_checker(set_id, version) is not None


@pytest.fixture(scope="module")
def partners(repo_root):
    return load_partners(repo_root)


CASES = [(p, t, v, d) for p in ("demo-retailer", "demo-vendor") for t in sorted(B.ALL)
         for v in ("4010", "5010") for d in ("out", "in")]


@pytest.mark.parametrize("partner_id, doc_type, version, direction", CASES)
def test_rendered_documents_pass_x12_check(partners, partner_id, doc_type, version, direction):
    if not structure_available(doc_type, f"00{version}"):
        pytest.skip(f"no structure checker for {doc_type} {version} yet")
    partner = with_version(partners[partner_id], version)
    data = render_outbound(partner, B.ALL[doc_type](), control=ControlNumbers(11, 12, 13),
                           now=NOW, direction=direction)
    report = check(data).to_json()
    assert _collect_errors(report) == []
    assert report["status"] == "accepted", json.dumps(report)[:2000]


@pytest.mark.parametrize("partner_id", ["demo-retailer", "demo-vendor"])
@pytest.mark.parametrize("doc_type", ["850", "855", "856", "810"])
def test_minimal_documents_pass_x12_check(partners, partner_id, doc_type):
    if not structure_available(doc_type, "004010"):
        pytest.skip(f"no structure checker for {doc_type} yet")
    data = render_outbound(partners[partner_id], B.minimal()[doc_type],
                           control=ControlNumbers(1, 1, 1), now=NOW)
    assert _collect_errors(check(data).to_json()) == []


def test_999_passes_x12_check(partners):
    if not structure_available("999", "005010"):
        pytest.skip("no structure checker for 999 yet")
    partner = with_version(partners["demo-vendor"], "5010")
    data = render_outbound(partner, B.functional_ack("999"), control=ControlNumbers(1, 1, 1),
                           now=NOW, direction="in")
    report = check(data).to_json()
    assert _collect_errors(report) == [] and report["status"] == "accepted"


def test_cli_x12_check_accepts_our_856(partners, tmp_path, capsys):
    from gateway.cli.main import main

    if not structure_available("856", "004010"):
        pytest.skip("no structure checker for 856 yet")
    file = tmp_path / "asn.edi"
    file.write_bytes(render_outbound(partners["demo-retailer"], B.ship_notice(),
                                     control=ControlNumbers(1, 1, 1), now=NOW))
    assert main(["x12", "check", "--json", str(file)]) == 0
    out = json.loads(capsys.readouterr().out)
    assert _collect_errors(out) == []
