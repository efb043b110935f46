"""A real home (`ordergate init`), the real core, and partner profiles written for these tests.
Shared by tests/integration/reconcile and tests/e2e/reconcile (the browser test)."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from sqlalchemy import select

CUSTOMER = """\
id: shop
name: Test Shop
role: customer
x12:
  partner: {isa_qualifier: ZZ, isa_id: TESTSHOP, gs_id: TESTSHOP}
  us: {isa_qualifier: ZZ, isa_id: ORDERGATE, gs_id: ORDERGATE}
documents:
  - {type: "850", direction: in}
  - {type: "855", direction: out}
  - {type: "856", direction: out}
  - {type: "810", direction: out}
tolerances:
  ack_hours: 4
  asn_hours: 12
  invoice_days: 10
"""

VENDOR = """\
id: demo-vendor
name: Demo Vendor Co.
role: vendor
location_code: demo-vendor
x12:
  partner: {isa_qualifier: ZZ, isa_id: DEMOVENDORX, gs_id: DEMOVENDORX}
  us: {isa_qualifier: ZZ, isa_id: ORDERGATE, gs_id: ORDERGATE}
documents:
  - {type: "850", direction: out}
  - {type: "855", direction: in}
  - {type: "856", direction: in}
  - {type: "810", direction: in}
tolerances:
  ack_hours: 24
  quantity_percent: 0
  amount: "0.05"
  price_percent: 0
  ship_days: 5
  allowed_charges: [D240]
"""


class World:
    def __init__(self, home: Path):
        from core.bootstrap import bootstrap
        from gateway.partners import load_partners

        self.home = home
        self.core = bootstrap(home=home)
        self.partners = load_partners(home)

    def handle(self, command: Any) -> Any:
        return self.core.handle(command, actor="test")

    def reconcile(self, hours: float = 0, days: float = 0):
        from gateway.reconcile import run_all

        as_of = datetime.now(timezone.utc) + timedelta(hours=hours, days=days)
        return run_all(self.core, self.partners, as_of)

    def open(self) -> dict[str, dict]:
        from gateway.reconcile.tables import reconcile_exceptions as X

        with self.core.engine.connect() as conn:
            return {r["key"]: dict(r) for r in conn.execute(
                select(X).where(X.c.status != "resolved")).mappings()}

    def by_type(self) -> dict[str, list[dict]]:
        out: dict[str, list[dict]] = {}
        for row in self.open().values():
            out.setdefault(row["type"], []).append(row)
        return out

    def resolved(self) -> dict[str, dict]:
        from gateway.reconcile.tables import reconcile_exceptions as X

        with self.core.engine.connect() as conn:
            return {r["key"]: dict(r) for r in conn.execute(
                select(X).where(X.c.status == "resolved")).mappings()}


def make_world(tmp_path: Path) -> World:
    from gateway.cli.main import main

    home = tmp_path / "home"
    assert main(["init", str(home)]) == 0
    (home / "partners").mkdir(exist_ok=True)
    for f in (home / "partners").glob("*.yaml"):
        f.unlink()
    (home / "partners" / "shop.yaml").write_text(CUSTOMER, encoding="utf-8")
    (home / "partners" / "demo-vendor.yaml").write_text(VENDOR, encoding="utf-8")
    return World(home)
