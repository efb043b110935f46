"""`ordergate init DIR`: a working home with settings, a migrated SQLite database, sourcing rules
and the demo reference data of issue 3 (then the demo partners, when that part is installed)."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import click
import yaml

from gateway.cli.common import EXIT_USAGE, CliError, console

DEMO_LOCATIONS = (
    # code, type, name, postal code, state
    ("WH-EAST", "warehouse", "East warehouse, Edison NJ", "08817", "NJ"),
    ("WH-WEST", "warehouse", "West warehouse, Ontario CA", "91761", "CA"),
    ("STORE-12", "store", "Store 12, Springfield IL", "62701", "IL"),
    ("demo-vendor", "dropship", "Demo Vendor (drop-ship)", "10001", "NY"),
)
DEMO_ITEMS = (
    # sku, description, price, stock {location: qty}, drop-ship vendors
    ("DEMO-100", "Demo widget", "12.50", {"WH-EAST": 100, "WH-WEST": 50}, ()),
    ("DEMO-200", "Demo gadget", "40.00", {"WH-WEST": 20}, ()),
    ("DEMO-300", "Demo gizmo", "7.25", {"STORE-12": 5}, ()),
    ("DEMO-900", "Demo special (vendor only)", "99.00", {}, (("demo-vendor", "DV-900", "60.00"),)),
)


def write_settings(home: Path) -> None:
    from core.config import default_settings

    settings = default_settings()
    settings["database"] = {"url": "sqlite:///ordergate.db"}
    (home / "ordergate.yaml").write_text(
        "# Ordergate settings (see docs/CONTRACTS.md). database.url: relative SQLite paths are\n"
        "# taken relative to this directory; ORDERGATE_DATABASE_URL overrides it.\n"
        + yaml.safe_dump(settings, sort_keys=False), encoding="utf-8")


def load_demo_data(core) -> None:  # noqa: ANN001 - core.bootstrap.Core
    from core.domain import commands as c

    for code, typ, name, postal, state in DEMO_LOCATIONS:
        core.handle(c.DefineLocation(code, typ, name=name, postal_code=postal, state=state,
                                     partner_id=code if typ == "dropship" else None,
                                     lead_time_days=3 if typ == "dropship" else 0),
                    actor="init")
    for sku, desc, price, stock, vendors in DEMO_ITEMS:
        core.handle(c.DefineItem(sku, description=desc, unit_price=Decimal(price),
                                 vendors=tuple((loc, part, Decimal(cost))
                                               for loc, part, cost in vendors)), actor="init")
        for loc, qty in stock.items():
            core.handle(c.ReceiveInventory(sku, loc, Decimal(qty), reference="demo stock"),
                        actor="init")


@click.command("init")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Initialise even if DIR is not empty (files are rewritten).")
@click.option("--no-demo", is_flag=True, help="Skip the demo locations, items and stock.")
def init(directory: Path, force: bool, no_demo: bool) -> int:
    """Create a home: ordergate.yaml, a migrated SQLite database, sourcing.yaml and demo data."""
    from core.bootstrap import bootstrap, migrate
    from core.config import Home
    from core.inventory.rules import DEFAULT_RULES_YAML
    from gateway.cli.orders import core_errors

    home = directory.expanduser().resolve()
    if home.exists() and not home.is_dir():
        raise CliError(f"{home} exists and is not a directory", hint="choose another path",
                       exit_code=EXIT_USAGE)
    if home.exists() and any(home.iterdir()) and not force:
        raise CliError(f"{home} is not empty", hint="choose an empty directory, or pass --force "
                       "to initialise it anyway", exit_code=EXIT_REFUSED_NONEMPTY)
    home.mkdir(parents=True, exist_ok=True)
    if force:
        db = home / "ordergate.db"
        for stale in (db, db.with_suffix(".db-wal"), db.with_suffix(".db-shm")):
            stale.unlink(missing_ok=True)
    write_settings(home)
    (home / "sourcing.yaml").write_text(DEFAULT_RULES_YAML, encoding="utf-8")
    h = Home(home)
    with core_errors():
        migrate(h.database_url)
        if not no_demo:
            with bootstrap(home=h) as core:
                load_demo_data(core)
    partners = install_partners(h)
    console.print(f"initialised {home}")
    console.print(f"  database  {h.database_url}")
    console.print(f"  rules     {h.sourcing_path}")
    if not no_demo:
        console.print("  demo      locations WH-EAST, WH-WEST, STORE-12, demo-vendor; items "
                      "DEMO-100, DEMO-200, DEMO-300, DEMO-900")
    console.print(f"  partners  {partners}")
    console.print(f"next: export ORDERGATE_HOME={home}; ordergate orders list")
    return 0


EXIT_REFUSED_NONEMPTY = 1


def install_partners(home) -> str:  # noqa: ANN001 - core.config.Home
    # The partners part (gateway/partners/setup.py) may not be installed yet; only this one
    # optional module is guarded, every other import error is a real failure.
    try:
        from gateway.partners.setup import install_demo_partners
    except ImportError:
        return "none (gateway.partners.setup not available)"
    result = install_demo_partners(home.path)
    if isinstance(result, (list, tuple)):
        return ", ".join(getattr(x, "stem", str(x)) for x in result) or "none"
    return "installed"
