"""`ordergate inventory ...`: show levels per location, receive and adjust stock."""
from __future__ import annotations

from decimal import Decimal, InvalidOperation
from pathlib import Path

import click

from gateway.cli.orders import core_errors, open_core
from gateway.cli.common import EXIT_USAGE, CliError, console, home_option, print_json, print_table


@click.group("inventory")
def inventory() -> None:
    """Inventory by location: on hand, reserved, in transit, available to promise."""


def _qty(value: str, signed: bool = False) -> Decimal:
    try:
        q = Decimal(value)
    except InvalidOperation:
        raise CliError(f"--quantity {value!r} is not a number", hint="e.g. --quantity 10",
                       exit_code=EXIT_USAGE) from None
    if not q.is_finite() or (q <= 0 and not signed):
        raise CliError(f"--quantity {value} must be more than 0", hint="e.g. --quantity 10",
                       exit_code=EXIT_USAGE)
    return q


@inventory.command("show")
@home_option
@click.option("--item", "sku", help="The SKU; without it every level is listed.")
@click.option("--json", "as_json", is_flag=True)
def show(home: Path, sku: str | None, as_json: bool) -> int:
    """Levels of one item per location (and in total), or of every item."""
    core = open_core(home)
    with core, core_errors():
        data = core.inventory.item(sku) if sku else {"levels": core.inventory.levels()}
    if as_json:
        print_json(data)
        return 0
    if sku:
        rows = [(x["location"], x["on_hand"], x["reserved"], x["in_transit"], x["available"])
                for x in data["locations"]]
        tot = data["total"]
        rows.append(("total", tot["on_hand"], tot["reserved"], tot["in_transit"], tot["available"]))
        print_table(f"inventory of {sku}", ("location", "on hand", "reserved", "in transit",
                                            "available"), rows)
    else:
        print_table("inventory", ("item", "location", "on hand", "reserved", "in transit",
                                  "available"),
                    [(x["item"], x["location"], x["on_hand"], x["reserved"], x["in_transit"],
                      x["available"]) for x in data["levels"]])
    return 0


@inventory.command("receive")
@home_option
@click.option("--item", "sku", required=True)
@click.option("--location", required=True)
@click.option("--quantity", required=True)
@click.option("--reference", default="", help="e.g. the receipt or ASN number.")
def receive(home: Path, sku: str, location: str, quantity: str, reference: str) -> int:
    """Receive stock at a location (a receipt movement)."""
    from core.domain.commands import ReceiveInventory

    core = open_core(home)
    with core, core_errors():
        out = core.handle(ReceiveInventory(sku, location, _qty(quantity), reference=reference))
    console.print(f"{sku} at {location}: on hand {out.ids['on_hand']}, available {out.ids['available']}")
    return 0


@inventory.command("adjust")
@home_option
@click.option("--item", "sku", required=True)
@click.option("--location", required=True)
@click.option("--quantity", required=True, help="Signed change of on-hand stock, e.g. -3.")
@click.option("--reason", default="", help="Why (count, damage...).")
def adjust(home: Path, sku: str, location: str, quantity: str, reason: str) -> int:
    """Adjust on-hand stock by a signed quantity (an adjustment movement)."""
    from core.domain.commands import AdjustInventory

    core = open_core(home)
    with core, core_errors():
        out = core.handle(AdjustInventory(sku, location, _qty(quantity, signed=True), reason=reason))
    console.print(f"{sku} at {location}: on hand {out.ids['on_hand']}, available {out.ids['available']}")
    return 0
