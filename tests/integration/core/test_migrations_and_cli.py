"""Alembic `upgrade heads` == metadata.create_all; the CLI end to end on a fresh home."""
from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import create_engine, inspect

from core.adapters.migrate import migrate
from core.adapters.tables import CORE_TABLES, metadata
from gateway.cli.main import main


def _shape(url: str, only: tuple[str, ...]) -> dict[str, set[str]]:
    insp = inspect(create_engine(url))
    return {name: {c["name"] for c in insp.get_columns(name)} for name in insp.get_table_names()
            if name in only}


def test_core_migration_matches_metadata(tmp_path: Path) -> None:
    a, b = f"sqlite:///{tmp_path / 'a.db'}", f"sqlite:///{tmp_path / 'b.db'}"
    migrate(a)
    metadata.create_all(create_engine(b), tables=[metadata.tables[n] for n in CORE_TABLES])
    assert _shape(a, CORE_TABLES) == _shape(b, CORE_TABLES)
    assert set(_shape(a, CORE_TABLES)) == set(CORE_TABLES)


def test_cli_init_create_ship_invoice(tmp_path: Path, capsys) -> None:
    home = tmp_path / "home"
    assert main(["init", str(home)]) == 0
    assert main(["init", str(home)]) == 1  # not empty
    order = tmp_path / "o.json"
    order.write_text(json.dumps({"channel": "web", "po_number": "W1", "ship_to": {
        "name": "A", "address1": "1 Main", "city": "Ontario", "state": "CA", "postal_code": "91761",
        "country": "US"}, "lines": [{"line_number": "1", "sku": "DEMO-100", "quantity": 60,
                                     "uom": "EA", "unit_price": "12.50"}]}))
    capsys.readouterr()
    assert main(["orders", "create", str(order), "--home", str(home), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    line = data["lines"][0]
    assert set(line) >= {"line_number", "sku", "ordered", "status", "quantities", "allocations"}
    assert set(line["quantities"]) == {"open", "accepted", "backordered", "rejected", "allocated",
                                       "released", "shipped", "invoiced", "cancelled", "returned"}
    assert line["allocations"][0] == {**line["allocations"][0], "location": "WH-WEST", "quantity": "50"}
    assert main(["orders", "ship", "W1", "--home", str(home), "--line", "1=70"]) == 1
    assert "cannot ship 70" in capsys.readouterr().err
    assert main(["orders", "ship", "W1", "--home", str(home), "--line", "1=x"]) == 2
    assert main(["orders", "ship", "W1", "--home", str(home), "--carrier", "UPSN",
                 "--tracking", "1Z"]) == 0
    assert main(["orders", "invoice", "W1", "--home", str(home)]) == 0
    capsys.readouterr()
    assert main(["orders", "show", "W1", "--home", str(home), "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["status"] == "invoiced"
    assert main(["inventory", "show", "--item", "DEMO-100", "--home", str(home), "--json"]) == 0
    inv = json.loads(capsys.readouterr().out)
    assert inv["total"]["on_hand"] == "90"
    assert main(["orders", "show", "NOPE", "--home", str(home)]) == 1
    assert main(["orders", "create", str(tmp_path / "missing.json"), "--home", str(home)]) == 2
