"""End-to-end fixtures: a real home (demo partner profiles, local mailboxes, SQLite file), the
order core seeded with a warehouse and a drop-ship vendor, and helpers to drop files and read
what the gateway wrote."""
from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]


def make_home(path: Path, database_url: str | None = None) -> Path:
    (path / "partners").mkdir(parents=True, exist_ok=True)
    for profile in (REPO / "partners").glob("demo-*.yaml"):
        shutil.copy(profile, path / "partners" / profile.name)
    if database_url:
        (path / "ordergate.yaml").write_text(f"database:\n  url: {database_url}\n")
    return path


class World:
    """The gateway of one home plus the helpers the flow tests share."""

    def __init__(self, home: Path):
        from gateway.flow.context import Gateway
        from gateway.flow.samples import seed_world

        self.home = home
        self.problems: list[tuple[str, list[str]]] = []   # our files our own check rejects
        self.gw = Gateway.open(home)
        seed_world(self.gw.core)

    def mailbox(self, partner: str, side: str) -> Path:
        return self.home / "mailboxes" / partner / side

    def drop(self, partner: str, name: str, data: bytes) -> None:
        folder = self.mailbox(partner, "inbound")
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f".{name}.part").write_bytes(data)
        (folder / f".{name}.part").rename(folder / name)

    def outbound(self, partner: str) -> dict[str, bytes]:
        folder = self.mailbox(partner, "outbound")
        if not folder.is_dir():
            return {}
        return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}

    def take_outbound(self, partner: str) -> dict[str, bytes]:
        """The files written so far, removed (as the partner would fetch them). Each must pass
        our own X12 check: a partner's translator would reject what ours rejects."""
        from gateway.x12 import check

        found = self.outbound(partner)
        for name, data in found.items():
            report = check(data)
            problems = [f"{tx.set_id} {tx.control_number}: {e.segment_id}{e.element_position or ''} "
                        f"{e.message}" for ic in report.interchanges for g in ic.groups
                        for tx in g.transactions for e in tx.errors if e.is_error]
            if problems or report.anything_rejected:
                self.problems.append((name, problems))
        for name in found:
            (self.mailbox(partner, "outbound") / name).unlink()
        return found

    def run(self) -> Any:
        from gateway.flow.passes import run_once

        return run_once(self.gw)

    def documents(self, **filters: Any) -> list[dict[str, Any]]:
        from gateway.store.trace import list_documents

        with self.gw.engine.connect() as conn:
            rows = list_documents(conn, limit=10_000, **filters)
            conn.rollback()
        return sorted(rows, key=lambda r: r["id"])

    def order(self, po: str, partner: str = "demo-retailer") -> dict[str, Any]:
        from sqlalchemy import select

        from core.adapters.tables import orders

        with self.gw.engine.connect() as conn:
            row = conn.execute(select(orders).where(orders.c.po_number == po,
                                                    orders.c.partner_id == partner)).mappings().all()
            conn.rollback()
        assert len(row) == 1, f"expected one order {po}, found {len(row)}"
        return dict(row[0])

    def close(self) -> None:
        self.gw.close()


def _need_parts() -> None:
    for module, name in (("gateway.inbound", "apply"), ("gateway.outbound", "build")):
        try:
            mod = __import__(module, fromlist=[name])
        except ImportError:
            mod = None
        if mod is None or not hasattr(mod, name):
            pytest.skip(f"{module}.{name} is not there yet (partners and mappings part)")


@pytest.fixture
def world(tmp_path: Path) -> World:
    _need_parts()
    w = World(make_home(tmp_path / "home"))
    yield w
    w.close()
