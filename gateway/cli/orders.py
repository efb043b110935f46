"""`ordergate orders ...`: create, list, show, ship, invoice (plus source, release, cancel)."""
from __future__ import annotations

import json
from contextlib import contextmanager
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Iterator

import click

from gateway.cli.common import (EXIT_REFUSED, EXIT_USAGE, CliError, console, home_option,
                                print_json, print_table, resolve_home)

# ---------------------------------------------------------------- core access (shared with
# gateway/cli/inventory.py and setup.py): open the core, turn DomainErrors into CliErrors


def open_core(home: Path) -> Any:
    from core.bootstrap import bootstrap
    from core.config import Home, HomeError

    path = resolve_home(home)
    try:
        h = Home(path)
    except HomeError as exc:
        raise CliError(str(exc), hint="fix the file or recreate the home with `ordergate init "
                       f"{path} --force`", exit_code=EXIT_USAGE) from None
    url = h.database_url
    if url.startswith("sqlite:///") and not Path(url[len("sqlite:///"):]).exists():
        raise CliError(f"no database at {url[len('sqlite:///'):]}",
                       hint=f"create the home with `ordergate init {path}`", exit_code=EXIT_USAGE)
    with core_errors():
        return bootstrap(url, home=h)


HINTS = {
    "unknown_order": "list orders with `ordergate orders list`",
    "unknown_item": "check the SKU with `ordergate inventory show --item SKU`",
    "unknown_location": "locations are WH-EAST, WH-WEST, STORE-12... (see `ordergate orders show`)",
    "illegal_transition": "see the order's status and history with `ordergate orders show PO`",
    "hold_blocks": "resolve the hold first (ResolveHold), then retry",
    "invariant_violation": "check the quantities against `ordergate orders show PO`",
    "invalid_command": "fix the input and retry",
    "configuration_error": "fix the file named above (see core/inventory/rules.py for the keys)",
}


@contextmanager
def core_errors() -> Iterator[None]:
    from core.domain.errors import ConfigurationError, DomainError

    try:
        yield
    except ConfigurationError as exc:
        raise CliError(exc.message, hint=HINTS["configuration_error"], exit_code=EXIT_USAGE) from None
    except DomainError as exc:
        raise CliError(exc.message, hint=HINTS.get(exc.code, "see `ordergate orders show PO`"),
                       exit_code=EXIT_REFUSED) from None


BUCKET_COLUMNS = ("open", "accepted", "backordered", "rejected", "allocated", "released",
                  "shipped", "invoiced", "cancelled", "returned")


@click.group("orders")
def orders() -> None:
    """Orders in the core: create, list, show, ship, invoice."""


def _read_order_json(path: Path) -> Any:
    from core.domain import commands as c

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise CliError(f"cannot read {path}: {exc.strerror}", hint="check the path",
                       exit_code=EXIT_USAGE) from None
    except json.JSONDecodeError as exc:
        raise CliError(f"{path}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})",
                       hint="fix the JSON and retry", exit_code=EXIT_USAGE) from None
    if not isinstance(data, dict):
        raise CliError(f"{path}: expected a JSON object", hint="see `ordergate orders create --help`",
                       exit_code=EXIT_USAGE)

    def need(obj: dict[str, Any], key: str, where: str) -> Any:
        if key not in obj or obj[key] in (None, ""):
            raise CliError(f"{path}: {where}{key} is missing", hint="add it and retry",
                           exit_code=EXIT_USAGE)
        return obj[key]

    lines = need(data, "lines", "")
    if not isinstance(lines, list) or not lines:
        raise CliError(f"{path}: lines must be a non-empty list", hint="add lines and retry",
                       exit_code=EXIT_USAGE)
    parsed = []
    for i, li in enumerate(lines, 1):
        where = f"lines[{i}]."
        if not isinstance(li, dict):
            raise CliError(f"{path}: lines[{i}] is not an object", hint="fix it", exit_code=EXIT_USAGE)
        qty = _decimal(need(li, "quantity", where), f"{path}: {where}quantity")
        price = li.get("unit_price")
        parsed.append(c.OrderLineInput(
            str(li.get("line_number") or i), qty, sku=li.get("sku"), uom=li.get("uom") or "EA",
            unit_price=_decimal(price, f"{path}: {where}unit_price") if price not in (None, "") else None,
            upc=li.get("upc"), buyer_part=li.get("buyer_part"), description=li.get("description", "")))
    ship_to = data.get("ship_to") or {}
    parties = (c.Party("ship_to", **{k: str(v) for k, v in ship_to.items()
                                     if k in c.Party.__dataclass_fields__ and k != "role"}),) if ship_to else ()
    return c.PlaceOrder(str(need(data, "po_number", "")), tuple(parsed),
                        channel=str(data.get("channel") or "api"),
                        partner_id=data.get("partner_id"), parties=parties,
                        currency=data.get("currency") or "USD",
                        requested_ship_date=_date(data.get("requested_ship_date"), path),
                        source_document=str(path.name))


def _decimal(value: Any, where: str) -> Decimal:
    try:
        if isinstance(value, bool):
            raise InvalidOperation
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise CliError(f"{where} {value!r} is not a number", hint="use a number such as 10 or 2.5",
                       exit_code=EXIT_USAGE) from None


def _date(value: Any, path: Path) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise CliError(f"{path}: date {value!r} is not YYYY-MM-DD", hint="fix the date",
                       exit_code=EXIT_USAGE) from None


@orders.command("create")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@home_option
@click.option("--json", "as_json", is_flag=True, help="Print the order as JSON.")
def create(file: Path, home: Path, as_json: bool) -> int:
    """Place an order from FILE.json and source it."""
    cmd = _read_order_json(file)
    core = open_core(home)
    with core, core_errors():
        outcome = core.handle(cmd, actor="cli")
        order = core.orders.get(outcome.order_id)
    if as_json:
        print_json(order)
    else:
        verb = "placed" if outcome.created else "already exists (not placed again)"
        console.print(f"order {order['po_number']} {verb}: {order['status']}")
        _print_lines(order)
    return 0


@orders.command("list")
@home_option
@click.option("--status", help="Only orders in this status (e.g. allocated, backordered).")
@click.option("--partner", help="Only orders from this partner.")
@click.option("--limit", type=int, default=50, show_default=True)
@click.option("--offset", type=int, default=0)
@click.option("--json", "as_json", is_flag=True)
def list_orders(home: Path, status: str | None, partner: str | None, limit: int, offset: int,
                as_json: bool) -> int:
    """List orders, newest first."""
    core = open_core(home)
    with core, core_errors():
        page = core.orders.list(status=status, partner_id=partner, limit=limit, offset=offset)
    if as_json:
        print_json(page)
        return 0
    print_table(f"orders ({page['total']} in all)", ("id", "PO", "from", "status", "lines",
                                                     "ordered", "created"),
                [(o["id"], o["po_number"], o["partner_id"] or o["channel"], o["status"],
                  o["lines"], o["ordered"], (o["created_at"] or "")[:19]) for o in page["orders"]])
    return 0


def _load(core: Any, po: str, partner: str | None) -> dict[str, Any]:
    return core.orders.by_po(po, partner)


def _print_lines(order: dict[str, Any]) -> None:
    """Compact: only the non-zero buckets per line, so the table fits a terminal."""
    print_table(f"lines of {order['po_number']}", ("line", "sku", "ordered", "status",
                                                   "quantities", "allocations"),
                [(li["line_number"], li["sku"], li["ordered"], li["status"],
                  ", ".join(f"{b} {li['quantities'][b]}" for b in BUCKET_COLUMNS
                            if li["quantities"][b] not in ("0", None)),
                  ", ".join(f"{a['location']} {a['quantity']}" for a in li["allocations"]))
                 for li in order["lines"]])


@orders.command("show")
@click.argument("po")
@home_option
@click.option("--partner", help="The partner or channel, when the PO number is not unique.")
@click.option("--json", "as_json", is_flag=True)
def show(po: str, home: Path, partner: str | None, as_json: bool) -> int:
    """Show an order: lines with every bucket, allocations, holds and history."""
    core = open_core(home)
    with core, core_errors():
        order = _load(core, po, partner)
    if as_json:
        print_json(order)
        return 0
    console.print(f"order {order['po_number']} (id {order['id']}) from "
                  f"{order['partner_id'] or order['channel']}: [bold]{order['status']}[/]")
    _print_lines(order)
    active = [h for h in order["holds"] if h["active"]]
    if active:
        print_table("holds", ("id", "type", "line", "reason"),
                    [(h["id"], h["type"], h["line_number"] or "order", h["reason"]) for h in active])
    print_table("history", ("at", "actor", "event", "what"),
                [((h["at"] or "")[:19], h["actor"], h["event"], h["text"]) for h in order["history"]])
    return 0


def _parse_line_qty(values: tuple[str, ...]) -> list[tuple[str, Decimal]]:
    out = []
    for v in values:
        number, sep, qty = v.partition("=")
        if not sep or not number:
            raise CliError(f"--line {v!r} is not N=QTY", hint="e.g. --line 1=5", exit_code=EXIT_USAGE)
        out.append((number, _decimal(qty, f"--line {v}:")))
    return out


@orders.command("ship")
@click.argument("po")
@home_option
@click.option("--line", "lines", multiple=True, metavar="N=QTY",
              help="Ship QTY of line N (repeat); default: every allocated line in full.")
@click.option("--carrier", default="", help="Carrier SCAC.")
@click.option("--tracking", default="", help="Tracking number.")
@click.option("--sscc", default=None, help="SSCC-18 of the carton (default: one is assigned).")
@click.option("--partner", help="The partner or channel, when the PO number is not unique.")
@click.option("--json", "as_json", is_flag=True)
def ship(po: str, home: Path, lines: tuple[str, ...], carrier: str, tracking: str,
         sscc: str | None, partner: str | None, as_json: bool) -> int:
    """Record a shipment (an 856 goes to the order's partner)."""
    from core.domain import commands as c

    wanted = _parse_line_qty(lines)
    if (carrier and not tracking) or (tracking and not carrier):
        raise CliError("--carrier and --tracking go together", hint="give both or neither",
                       exit_code=EXIT_USAGE)
    core = open_core(home)
    with core, core_errors():
        order = _load(core, po, partner)
        outcome = core.handle(c.RecordShipment(
            order_id=order["id"], lines=tuple(c.ShipLine(n, q, sscc=sscc) for n, q in wanted),
            carrier=carrier, tracking=tracking), actor="cli")
        order = core.orders.get(outcome.order_id)
    if as_json:
        print_json({"shipment_id": outcome.ids.get("shipment_id"), "order": order})
        return 0
    console.print(f"shipment {outcome.ids.get('shipment_id')} recorded; order "
                  f"{order['po_number']} is {order['status']}"
                  + ("; 856 queued" if order["partner_id"] else ""))
    _print_lines(order)
    return 0


@orders.command("invoice")
@click.argument("po")
@home_option
@click.option("--partner", help="The partner or channel, when the PO number is not unique.")
@click.option("--json", "as_json", is_flag=True)
def invoice(po: str, home: Path, partner: str | None, as_json: bool) -> int:
    """Invoice everything shipped and not yet invoiced (an 810 goes to the partner)."""
    from core.domain import commands as c

    core = open_core(home)
    with core, core_errors():
        order = _load(core, po, partner)
        outcome = core.handle(c.IssueInvoice(order_id=order["id"]), actor="cli")
        order = core.orders.get(outcome.order_id)
    if as_json:
        print_json({"invoice_id": outcome.ids.get("invoice_id"), "order": order})
        return 0
    console.print(f"invoice {outcome.ids.get('invoice_id')} issued; order {order['po_number']} "
                  f"is {order['status']}" + ("; 810 queued" if order["partner_id"] else ""))
    return 0


def _simple(name: str, doc: str, build: Any) -> None:
    @orders.command(name, help=doc)
    @click.argument("po")
    @home_option
    @click.option("--partner", help="The partner or channel, when the PO number is not unique.")
    @click.option("--reason", default="", help="Why (cancel).")
    def _cmd(po: str, home: Path, partner: str | None, reason: str) -> int:
        core = open_core(home)
        with core, core_errors():
            order = _load(core, po, partner)
            outcome = core.handle(build(order["id"], reason), actor="cli")
        console.print(f"order {po}: {outcome.status}")
        return 0


def _source(order_id: int, reason: str) -> Any:
    from core.domain.commands import SourceOrder
    return SourceOrder(order_id=order_id)


def _release(order_id: int, reason: str) -> Any:
    from core.domain.commands import ReleaseToFulfillment
    return ReleaseToFulfillment(order_id=order_id)


def _cancel(order_id: int, reason: str) -> Any:
    from core.domain.commands import CancelOrder
    return CancelOrder(order_id=order_id, reason=reason)


_simple("source", "Source the order's open and backordered quantities again.", _source)
_simple("release", "Release allocated quantities to fulfilment.", _release)
_simple("cancel", "Cancel everything not yet shipped.", _cancel)
