"""`ordergate reconcile types`: the catalogue of exception types, from the kinds table."""
from __future__ import annotations

import json

from gateway.cli.main import main
from gateway.reconcile.kinds import KINDS


def test_types_lists_every_kind(capsys) -> None:
    assert main(["reconcile", "types", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {r["type"] for r in rows} == {t.value for t in KINDS}
    assert {"type": "invoice_unknown_po", "area": "invoice", "severity": "critical",
            "title": "Invoice for a PO we never issued"} in rows
