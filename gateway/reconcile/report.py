"""The report's data: per-partner totals, aging buckets, the exceptions and their documents.

Every figure is one GROUP BY query; the renderers (CSV, HTML, the CLI table) only format it.
Ages count from when an exception was first seen to the report's `as_of` (the last run's, by
default), so a report printed later still describes that run.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Engine, case, func, inspect, select

from core.adapters import tables as core
from gateway.reconcile.kinds import KINDS, ExceptionType, Severity, Status
from gateway.reconcile.runner import utc
from gateway.reconcile.tables import reconcile_exceptions as X
from gateway.reconcile.tables import reconcile_outcomes as OUT
from gateway.reconcile.tables import reconcile_runs as R

# (label, lower bound in days inclusive, upper bound exclusive or None)
AGING = (("0-1 d", 0, 2), ("2-7 d", 2, 8), ("8-30 d", 8, 31), ("31-60 d", 31, 61), ("over 60 d", 61, None))
OPEN_STATES = (Status.OPEN.value, Status.ACKNOWLEDGED.value)


@dataclass
class PartnerTotals:
    partner_id: str
    matched_count: int = 0
    matched_amount: Decimal = Decimal(0)
    disputed_count: int = 0
    disputed_amount: Decimal = Decimal(0)
    open_count: int = 0
    at_stake: Decimal = Decimal(0)
    aging: list[list] = field(default_factory=lambda: [[0, Decimal(0)] for _ in AGING])
    by_severity: dict[str, int] = field(default_factory=dict)


@dataclass
class Report:
    as_of: datetime
    last_run: dict | None
    partners: list[PartnerTotals]
    exceptions: list[dict]
    documents: dict[str, dict]  # anchor -> details
    partner_filter: str | None = None
    in_transit: list[dict] = field(default_factory=list)  # per vendor: shipments, value, since

    @property
    def totals(self) -> PartnerTotals:
        total = PartnerTotals("all partners")
        for p in self.partners:
            total.matched_count += p.matched_count
            total.matched_amount += p.matched_amount
            total.disputed_count += p.disputed_count
            total.disputed_amount += p.disputed_amount
            total.open_count += p.open_count
            total.at_stake += p.at_stake
            for i, (n, amount) in enumerate(p.aging):
                total.aging[i][0] += n
                total.aging[i][1] += amount
        return total


def anchor(document: dict) -> str:
    return f"doc-{document['type']}-{document['id']}"


def _dec(value: Any) -> Decimal:
    if value is None:
        return Decimal(0)
    return value if isinstance(value, Decimal) else Decimal(str(value))


def _age_days(first_seen: datetime, as_of: datetime) -> int:
    return max(0, (as_of - utc(first_seen)).days)


def bucket_of(days: int) -> int:
    for i, (_, low, high) in enumerate(AGING):
        if days >= low and (high is None or days < high):
            return i
    return len(AGING) - 1


def build_report(engine: Engine, *, partner: str | None = None, as_of: datetime | None = None,
                 include_resolved: bool = False) -> Report:
    with engine.connect() as conn:
        last = conn.execute(select(R).order_by(R.c.id.desc()).limit(1)).mappings().first()
        as_of = utc(as_of or (last["as_of"] if last else None))
        partners: dict[str, PartnerTotals] = {}

        def totals(pid: str | None) -> PartnerTotals:
            pid = pid or "(no partner)"
            return partners.setdefault(pid, PartnerTotals(pid))

        outcomes = select(OUT.c.partner_id, OUT.c.outcome, func.count(), func.sum(OUT.c.amount)) \
            .group_by(OUT.c.partner_id, OUT.c.outcome)
        if partner:
            outcomes = outcomes.where(OUT.c.partner_id == partner)
        for pid, outcome, n, amount in conn.execute(outcomes):
            t = totals(pid)
            if outcome == "matched":
                t.matched_count, t.matched_amount = int(n), _dec(amount)
            else:
                t.disputed_count, t.disputed_amount = int(n), _dec(amount)

        states = (*OPEN_STATES, Status.RESOLVED.value) if include_resolved else OPEN_STATES
        query = select(X).where(X.c.status.in_(states))
        if partner:
            query = query.where(X.c.partner_id == partner)
        order = case(*((X.c.severity == s.value, -s.rank) for s in Severity), else_=0)
        rows = [dict(r) for r in conn.execute(query.order_by(order, X.c.first_seen, X.c.id)).mappings()]
        for row in rows:
            row["age_days"] = _age_days(row["first_seen"], as_of)
            row["title"] = KINDS[ExceptionType(row["type"])].title
            if row["status"] not in OPEN_STATES:
                continue
            t = totals(row["partner_id"])
            t.open_count += 1
            t.at_stake += _dec(row["amount"])
            t.by_severity[row["severity"]] = t.by_severity.get(row["severity"], 0) + 1
            cell = t.aging[bucket_of(row["age_days"])]
            cell[0] += 1
            cell[1] += _dec(row["amount"])
        documents = describe_documents(conn, [d for r in rows for d in r["documents"]])
        transit = in_transit(conn, partner)
    return Report(as_of=as_of, last_run=dict(last) if last else None,
                  partners=sorted(partners.values(), key=lambda p: p.partner_id),
                  exceptions=rows, documents=documents, partner_filter=partner,
                  in_transit=transit)


def in_transit(conn, partner: str | None = None) -> list[dict]:
    """Vendor stock shipments announced (856) but not yet received, per vendor: goods we own
    that are on the road, which finance carries as in-transit inventory."""
    vs, vsl, vol = core.vendor_shipments, core.vendor_shipment_lines, core.vendor_order_lines
    query = (select(vs.c.vendor, func.count(func.distinct(vs.c.id)).label("shipments"),
                    func.sum(vsl.c.quantity).label("units"),
                    func.sum(vsl.c.quantity * func.coalesce(vol.c.unit_price, 0)).label("value"),
                    func.min(vs.c.created_at).label("since"))
             .select_from(vs)
             .join(vsl, vsl.c.vendor_shipment_id == vs.c.id)
             .outerjoin(vol, vol.c.id == vsl.c.vendor_order_line_id)
             .where(vs.c.status == "in_transit").group_by(vs.c.vendor).order_by(vs.c.vendor))
    if partner:
        query = query.where(vs.c.vendor == partner)
    return [{"vendor": r.vendor, "shipments": int(r.shipments), "units": _dec(r.units),
             "value": _dec(r.value), "since": r.since} for r in conn.execute(query)]


def describe_documents(conn, refs: list[dict]) -> dict[str, dict]:
    """Details for every document an exception points at, one query per document type."""
    wanted: dict[str, set[int]] = {}
    for d in refs:
        if d.get("id") is not None and str(d["id"]).isdigit():
            wanted.setdefault(d["type"], set()).add(int(d["id"]))
    out: dict[str, dict] = {}
    for d in refs:
        out.setdefault(anchor(d), {"label": d.get("label"), "type": d["type"], "id": d.get("id"),
                                   "fields": {}})
    for doc_type, ids in wanted.items():
        spec = _DOC_QUERIES.get(doc_type)
        if spec is None:
            continue
        table, columns = spec
        if not inspect(conn).has_table(table.name):
            continue
        chosen = [table.c[c] for c in columns if c in table.c]
        for r in conn.execute(select(table.c.id, *chosen).where(table.c.id.in_(sorted(ids)))).mappings():
            entry = out.get(f"doc-{doc_type}-{r['id']}")
            if entry is not None:
                entry["fields"] = {k: v for k, v in r.items() if k != "id" and v not in (None, "")}
    return out


def _doc_queries() -> dict[str, tuple]:
    specs = {
        "vendor_order": (core.vendor_orders, ("vendor", "po_number", "kind", "status", "created_at")),
        "vendor_ack": (core.vendor_acks, ("ack_type", "ack_date", "source_document", "created_at")),
        "vendor_shipment": (core.vendor_shipments, ("vendor", "shipment_id", "ship_date", "status",
                                                    "carrier", "tracking", "received_at",
                                                    "source_document")),
        "vendor_invoice": (core.vendor_invoices, ("vendor", "invoice_number", "invoice_date", "total",
                                                  "currency", "source_document", "created_at")),
        "order": (core.orders, ("partner_id", "po_number", "status", "created_at")),
        "shipment": (core.shipments, ("shipment_number", "ship_date", "carrier", "tracking")),
        "invoice": (core.invoices, ("invoice_number", "invoice_date", "total")),
    }
    try:
        from gateway.store.tables import gateway_documents
    except ImportError:  # the gateway store is optional for reconciliation of core data
        return specs
    specs["document"] = (gateway_documents, ("direction", "doc_type", "partner_id", "reference",
                                             "isa13", "gs06", "st02", "status", "ack_status",
                                             "filename", "sha256", "sent_at", "created_at"))
    return specs


_DOC_QUERIES = _doc_queries()
