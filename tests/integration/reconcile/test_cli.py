"""`ordergate reconcile ...` on a real home: run, report formats, list, ack, resolve, errors."""
from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from decimal import Decimal

from core.domain import commands as c
from gateway.cli.main import main


def _late_order(world) -> None:
    world.handle(c.PlaceOrder(po_number="PO-CLI", partner_id="shop",
                              lines=(c.OrderLineInput("1", Decimal(1), sku="DEMO-100",
                                                      unit_price=Decimal("12.50")),)))


def test_run_report_and_work_an_exception(world, capsys) -> None:
    _late_order(world)
    home = str(world.home)
    assert main(["reconcile", "--home", home, "--as-of", "2099-01-01T00:00:00Z", "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["by_type"] == {"customer_ack_late": 1} and summary["opened"] == 1

    assert main(["reconcile", "report", "--home", home, "--format", "csv"]) == 0
    [row] = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert row["type"] == "customer_ack_late" and row["order_ref"] == "PO-CLI"
    assert row["amount"] == "12.50"

    assert main(["reconcile", "report", "--home", home]) == 0
    table = capsys.readouterr().out
    assert "Totals per partner" in table and "PO-CLI" in table

    assert main(["reconcile", "list", "--home", home, "--json"]) == 0
    [listed] = json.loads(capsys.readouterr().out)
    assert main(["reconcile", "ack", str(listed["id"]), "--home", home, "--by", "ops"]) == 0
    assert "acknowledged" in capsys.readouterr().out
    assert main(["reconcile", "resolve", str(listed["id"]), "--home", home, "--note",
                 "855 sent by e-mail"]) == 0
    capsys.readouterr()
    assert main(["reconcile", "list", "--home", home, "--status", "resolved", "--json"]) == 0
    [done] = json.loads(capsys.readouterr().out)
    assert done["note"] == "resolved by cli: 855 sent by e-mail"
    # resolving twice is refused with a hint, not a traceback
    assert main(["reconcile", "resolve", str(listed["id"]), "--home", home, "--note", "x"]) == 1
    err = capsys.readouterr().err
    assert "cannot become resolved" in err and "hint:" in err


def test_partner_filter_and_html_to_file(world, tmp_path, capsys) -> None:
    _late_order(world)
    home = str(world.home)
    assert main(["reconcile", "--home", home, "--as-of", "2099-01-01"]) == 0
    out = tmp_path / "r.html"
    assert main(["reconcile", "report", "--home", home, "--format", "html", "--partner", "nobody",
                 "-o", str(out)]) == 0
    page = out.read_text()
    assert "for partner nobody" in page and "No open exceptions." in page


def test_errors_are_messages_with_hints(tmp_path) -> None:
    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "gateway.cli.main", *args],
                              capture_output=True, text=True, env={"PATH": "/usr/bin:/bin"})

    missing = run("reconcile", "--home", str(tmp_path / "nope"))
    assert missing.returncode == 2 and "ordergate init" in missing.stderr
    bad_date = run("reconcile", "--home", str(tmp_path), "--as-of", "yesterday")
    assert bad_date.returncode == 2 and "not a date" in bad_date.stderr
    (tmp_path / "partners").mkdir()
    (tmp_path / "partners" / "x.yaml").write_text("id: x\nname: X\nrole: nonsense\n")
    broken = run("reconcile", "--home", str(tmp_path))
    assert broken.returncode == 1 and "x.yaml" in broken.stderr and "hint:" in broken.stderr
    for result in (missing, bad_date, broken):
        assert "Traceback" not in result.stderr


def test_negative_tolerance_names_the_partner_file(world, capsys) -> None:
    profile = world.home / "partners" / "shop.yaml"
    profile.write_text(profile.read_text().replace("ack_hours: 4", "ack_hours: 4\n  quantity: -1"))
    assert main(["reconcile", "--home", str(world.home)]) == 2
    err = capsys.readouterr().err
    assert "partner shop: tolerances.quantity" in err and "partners/shop.yaml" in err
