"""Sample 850 interchanges from the demo retailer, for ``ordergate demo`` and benchmarks.

Reproducible for a seed: the same (n, seed) gives the same bytes. Each order has 1-4 lines of
the demo SKUs (our SKU under PO1 qualifier VN, as the demo retailer sends it) and a ship-to
address; DEMO-900 is the item nobody stocks, so some orders exercise backorders or rejections.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from decimal import Decimal
from pathlib import Path

from gateway.canonical import Address, DateRef, ItemIds, OrderLine, Party, PartyRole, PurchaseOrder

DEMO_SKUS = {"DEMO-100": Decimal("9.99"), "DEMO-200": Decimal("24.50"),
             "DEMO-300": Decimal("3.75"), "DEMO-900": Decimal("199.00")}
CITIES = [("Springfield", "IL", "62701"), ("Portland", "OR", "97201"),
          ("Austin", "TX", "78701"), ("Burlington", "VT", "05401"), ("Madison", "WI", "53703")]
NAMES = ["Ada Lovelace", "Grace Hopper", "Alan Turing", "Edsger Dijkstra", "Barbara Liskov"]
BASE_DATE = dt.date(2024, 5, 1)


def demo_orders(n: int, seed: int = 0) -> list[PurchaseOrder]:
    rng = random.Random(seed)
    orders = []
    for k in range(n):
        city, state, postal = rng.choice(CITIES)
        skus = rng.sample(sorted(DEMO_SKUS), rng.randint(1, 4))
        po_date = BASE_DATE + dt.timedelta(days=k % 28)
        orders.append(PurchaseOrder(
            po_number=f"DR{seed:03d}{k + 1:06d}", po_date=po_date, order_type="SA",
            currency="USD",
            parties=[Party(role=PartyRole.SHIP_TO, name=rng.choice(NAMES), id_qualifier="92",
                           id=f"ST{rng.randint(1, 99):03d}",
                           address=Address(lines=[f"{rng.randint(1, 999)} Main St"], city=city,
                                           state=state, postal_code=postal, country="US"))],
            dates=[DateRef(type="delivery_requested", date=po_date + dt.timedelta(days=7))],
            lines=[OrderLine(line_number=str(i), item=ItemIds(sku=sku),
                             quantity=Decimal(rng.randint(1, 5)), uom="EA",
                             unit_price=DEMO_SKUS[sku])
                   for i, sku in enumerate(skus, start=1)]))
    return orders


def demo_850s(n: "int | str | Path" = 3, seed: int | None = None, *, count: int | None = None,
              home: "str | Path | None" = None, first_control: int | None = None) -> list:
    """``n`` 850 interchanges as the demo retailer would send them (one PO per file), as bytes.

    Called as ``demo_850s(home_path, count=N)`` (what ``ordergate demo`` does) it returns
    ``(file_name, bytes)`` pairs instead, named like the retailer's mailbox files, with the
    home's own demo-retailer profile; without a seed, PO and ISA numbers then come from the clock
    so that every demo run brings new orders. Same arguments (and seed), same bytes.
    """
    from gateway.mapping.api import ControlNumbers, render_outbound
    from gateway.partners.loader import load_partner, load_profile_file
    from gateway.partners.setup import REPO_PARTNERS

    named = not isinstance(n, int)
    if named:
        home, n = n, count if count is not None else 3
    elif count is not None:
        n = count
    if seed is None:
        seed = int(time.time()) % 10**7 if named else 0
    if first_control is None:
        first_control = (int(time.time()) * 10) % 900_000_000 + 1 if named else 1
    if home is not None and (Path(home) / "partners" / "demo-retailer.yaml").exists():
        partner = load_partner(home, "demo-retailer")
    else:
        partner = load_profile_file(REPO_PARTNERS / "demo-retailer.yaml")
    now = dt.datetime(2024, 5, 1, 9, 0) + dt.timedelta(seconds=seed)
    files = []
    for k, po in enumerate(demo_orders(int(n), seed)):
        data = render_outbound(partner, po, control=ControlNumbers(first_control + k,
                                                                   first_control + k, 1),
                               now=now, direction="in")
        files.append((f"demo-retailer_850_{po.po_number}.edi", data) if named else data)
    return files
