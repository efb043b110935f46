"""Sourcing preview: what the rules would decide for an order, with the reasons, changing nothing.

It runs the core's own `Sourcer` (the code PlaceOrder uses) on an in-memory order, against
locations, stock and vendor items read on a connection that is rolled back, so the answer is
exactly what sourcing would do now and nothing is reserved or recorded.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import Engine

from gateway.api.db import reading
from gateway.api.views.convert import num


def preview(engine: Engine, rules: Any, order_in: Any) -> dict[str, Any]:
    from core.adapters.inventory_repo import InventoryRepository
    from core.adapters.tables import items
    from core.domain.model import Order, OrderLine
    from core.inventory.sourcing import Sourcer
    from sqlalchemy import select

    order = Order(po_number=order_in.po_number or "PREVIEW", channel=order_in.channel,
                  partner_id=order_in.partner_id,
                  parties=[{"role": "ship_to", **order_in.ship_to.model_dump()}])
    with reading(engine) as conn:
        try:
            repo = InventoryRepository(conn)
            repo.lock = False  # a preview never locks stock rows
            skus = [line.sku for line in order_in.lines]
            known = set(conn.execute(select(items.c.sku).where(items.c.sku.in_(skus))).scalars())
            todo, unknown = [], []
            for line_in in order_in.lines:
                line = OrderLine(line_in.line_number, line_in.quantity, sku=line_in.sku,
                                 item_known=line_in.sku in known)
                order.lines.append(line)
                if line.item_known:
                    todo.append((line, line_in.quantity, frozenset()))
                else:
                    unknown.append(line_in.line_number)
            sourcer = Sourcer(rules, repo.locations(), repo.vendor_items(skus), repo.ledger_for(skus))
            plan = sourcer.plan(order, todo)
        finally:
            conn.rollback()
    explanation = plan.explanation()
    lines = []
    for lp in plan.lines:
        lines.append({
            "line_number": lp.line.line_number, "sku": lp.line.sku, "quantity": num(lp.quantity),
            "placements": [{"location": p.location.code, "quantity": num(p.quantity), "rule": p.rule,
                            "dropship": p.location.is_dropship} for p in lp.placements],
            "unfilled": num(lp.remaining), "fallback": lp.fallback, "skipped": lp.skipped,
            "short": [{"location": s[0], "available": str(s[1]), "rule": s[2] if len(s) > 2 else None}
                      for s in lp.short]})
    for number in unknown:
        lines.append({"line_number": number, "sku": next(l.sku for l in order_in.lines
                                                          if l.line_number == number),
                      "quantity": num(next(l.quantity for l in order_in.lines if l.line_number == number)),
                      "placements": [], "unfilled": num(next(l.quantity for l in order_in.lines
                                                              if l.line_number == number)),
                      "fallback": "reject", "skipped": "unknown item", "short": []})
    return {"lines": lines, "rules": explanation.get("rules", {}), "changed_nothing": True}
