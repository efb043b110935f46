"""`ordergate demo --home DIR`: the README's main command. Sets the home up when needed (the demo
partners, items and stock from `ordergate init`), drops sample 850s from the demo retailer into its
mailbox, runs one pass of the gateway and prints what happened: the orders with their status, the
documents in and out, and the files written to each partner's outbound folder.
"""
from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import click

from gateway.cli.common import EXIT_OK, EXIT_USAGE, CliError, console, print_json, print_table

RETAILER = "demo-retailer"


def ensure_home(home: Path) -> None:
    """Run `ordergate init HOME` unless the home already has its settings file."""
    if (home / "ordergate.yaml").exists():
        return
    from gateway.cli.main import cli

    try:
        cli.main(args=["init", str(home)], prog_name="ordergate", standalone_mode=False)
    except CliError:
        raise
    except click.ClickException as exc:
        raise CliError(f"`ordergate init {home}` failed: {exc.format_message()}",
                       hint="run it by hand to see the details", exit_code=EXIT_USAGE) from None


def sample_files(gw: Any, count: int, lines: int) -> list[tuple[str, bytes]]:
    """(name, bytes) of the sample 850 files: the partners part's samples when it has them,
    else ours, over the items the demo home knows."""
    partner = gw.partner(RETAILER)
    try:
        from gateway.partners.samples import demo_850s  # type: ignore[import-not-found]
    except ImportError:
        demo_850s = None
    if demo_850s is not None:
        # a new seed and new control numbers per demo run: running the demo again places new
        # orders instead of showing the same files as duplicates
        runs = _earlier_files(gw)
        try:
            produced = demo_850s(gw.home.path, count=count, seed=runs % 1000,
                                 first_control=runs * 1000 + 1)
            return [(str(name), bytes(data)) for name, data in produced]
        except TypeError:
            pass
    from sqlalchemy import select

    from core.adapters.tables import items
    from gateway.flow.samples import Line, interchange_850s

    with gw.engine.connect() as conn:
        skus = list(conn.execute(select(items.c.sku).order_by(items.c.sku)).scalars())
        conn.rollback()
    if not skus:
        raise CliError("the demo home has no items to order",
                       hint="run `ordergate init` with the demo data, or add items first")
    stamp = int(time.time())
    out = []
    for n in range(count):
        picked = [Line(skus[(n + k) % len(skus)], 1 + (n + k) % 3) for k in range(min(lines, len(skus)))]
        isa13 = (stamp * 10 + n) % 1_000_000_000
        po = f"DEMO-{stamp}-{n + 1}"
        out.append((f"{RETAILER}_850_{po}.edi", interchange_850s(partner, [(po, picked)], isa13=isa13)))
    return out


@click.command()
@click.option("--home", "home", type=click.Path(file_okay=False, path_type=Path),
              envvar="ORDERGATE_HOME", required=True,
              help="Demo home directory (created with `ordergate init` when missing).")
@click.option("--orders", "count", default=3, show_default=True, help="How many sample 850s.")
@click.option("--lines", default=3, show_default=True, help="Lines per sample order.")
@click.option("--json", "as_json", is_flag=True, help="Print the outcome as JSON.")
def demo(home: Path, count: int, lines: int, as_json: bool) -> int:
    """Set up a demo home, drop sample 850s, run one pass, show what happened."""
    from gateway.cli.run import open_gateway, setup_logging
    from gateway.flow.passes import run_once

    home = home.expanduser().resolve()
    home.mkdir(parents=True, exist_ok=True)
    ensure_home(home)
    import logging
    setup_logging(False)
    logging.getLogger().setLevel(logging.WARNING)   # the tables tell the story; warnings still show
    with open_gateway(home) as gw:
        partner = gw.partner(RETAILER)
        inbound = _folder(gw, partner, "inbound_dir")
        inbound.mkdir(parents=True, exist_ok=True)
        dropped = []
        for name, data in sample_files(gw, count, lines):
            tmp = inbound / f".{name}.part"
            tmp.write_bytes(data)
            tmp.rename(inbound / name)
            dropped.append(name)
        result = run_once(gw)
        report = _report(gw, dropped, result)
    if as_json:
        print_json(report)
        return EXIT_OK
    console.print(f"[bold]Dropped {len(dropped)} sample 850(s)[/] into {inbound}")
    print_table("Orders", ["id", "PO", "partner", "status", "lines"],
                [(o["id"], o["po_number"], o["partner_id"], o["status"], o["lines"])
                 for o in report["orders"]])
    print_table("Documents in", ["id", "type", "partner", "reference", "status", "order"],
                [(d["id"], d["doc_type"], d["partner_id"], d["reference"], d["status"], d["order_id"])
                 for d in report["documents"] if d["direction"] == "in"])
    print_table("Documents out", ["id", "type", "partner", "ISA13", "reference", "status", "997"],
                [(d["id"], d["doc_type"], d["partner_id"], d["isa13"], d["reference"], d["status"],
                  d["ack_status"]) for d in report["documents"] if d["direction"] == "out"])
    print_table(f"Files in outbound folders (under {home})", ["folder", "file", "bytes"],
                [(_relative(f["folder"], home), f["name"], f["size"])
                 for f in report["outbound_files"]])
    console.print("Next: `ordergate documents show ID --home %s` for a whole trace; "
                  "`ordergate orders ship PO --home %s` to ship." % (home, home))
    return EXIT_OK


def _relative(folder: str, home: Path) -> str:
    try:
        return str(Path(folder).relative_to(home))
    except ValueError:
        return folder


def _earlier_files(gw: Any) -> int:
    from sqlalchemy import func, select

    from gateway.store.tables import gateway_files

    with gw.engine.connect() as conn:
        n = conn.execute(select(func.count()).select_from(gateway_files)
                         .where(gateway_files.c.partner_id == RETAILER)).scalar() or 0
        conn.rollback()
    return int(n)


def _folder(gw: Any, partner: Any, key: str) -> Path:
    folder = Path(getattr(partner.transport, key))
    return folder if folder.is_absolute() else gw.home.path / folder


def _report(gw: Any, dropped: list[str], result: Any) -> dict[str, Any]:
    from sqlalchemy import func, select

    from core.adapters.tables import order_lines, orders
    from gateway.store.trace import list_documents

    with gw.engine.connect() as conn:
        order_rows = conn.execute(
            select(orders.c.id, orders.c.po_number, orders.c.partner_id, orders.c.status,
                   func.count(order_lines.c.id).label("lines"))
            .join(order_lines, order_lines.c.order_id == orders.c.id, isouter=True)
            .group_by(orders.c.id).order_by(orders.c.id)).mappings().all()
        docs = list_documents(conn, limit=1000)
        conn.rollback()
    outbound = []
    for pid, partner in sorted(gw.partners.items()):
        kind = getattr(partner.transport, "type", "local")
        if getattr(kind, "value", kind) != "local":
            continue
        folder = _folder(gw, partner, "outbound_dir")
        if folder.is_dir():
            for path in sorted(folder.iterdir()):
                if path.is_file() and not path.name.startswith("."):
                    outbound.append({"partner": pid, "folder": str(folder), "name": path.name,
                                     "size": path.stat().st_size})
    return {"dropped": dropped, "pass": result.summary(), "orders": [dict(r) for r in order_rows],
            "documents": sorted(docs, key=lambda d: d["id"]), "outbound_files": outbound}
