"""Render a `Report` as CSV or as one self-contained HTML page (inline CSS, no scripts, no
external resources), which is what a finance team opens or mails around."""
from __future__ import annotations

import csv
import io
from decimal import Decimal
from html import escape
from typing import Any

from gateway.reconcile.report import AGING, PartnerTotals, Report, anchor

CSV_COLUMNS = ("id", "status", "severity", "area", "type", "partner_id", "order_ref", "lines",
               "amount", "age_days", "first_seen", "last_seen", "reason", "documents", "note")


def money(value: Any) -> str:
    if value is None or value == "":
        return ""
    return f"{Decimal(str(value)):,.2f}"


def to_csv(report: Report) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for r in report.exceptions:
        writer.writerow([
            r["id"], r["status"], r["severity"], r["area"], r["type"], r["partner_id"] or "",
            r["order_ref"] or "", " ".join(r["lines"] or []),
            "" if r["amount"] is None else f"{Decimal(str(r['amount'])):.2f}", r["age_days"],
            r["first_seen"], r["last_seen"], r["reason"],
            "; ".join(d.get("label") or "" for d in r["documents"]), r["note"] or ""])
    return out.getvalue()


CSS = """
body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#1c2430}
h1{font-size:22px;margin:0 0 4px} h2{font-size:17px;margin:28px 0 8px}
.meta{color:#5b6675;margin-bottom:16px}
table{border-collapse:collapse;width:100%;margin-bottom:8px}
th,td{border-bottom:1px solid #dde2e8;padding:6px 8px;text-align:left;vertical-align:top}
th{background:#f3f5f8;font-weight:600} td.num,th.num{text-align:right;white-space:nowrap}
tr.total td{font-weight:600;border-top:2px solid #9aa5b1}
.sev{display:inline-block;padding:1px 6px;border-radius:8px;font-size:12px;color:#fff}
.sev-critical{background:#8b1a1a}.sev-error{background:#c0392b}.sev-warning{background:#b9770e}
.sev-info{background:#5d6d7e}
.cards{display:flex;gap:12px;flex-wrap:wrap}
.card{border:1px solid #dde2e8;border-radius:6px;padding:10px 14px;min-width:150px}
.card b{display:block;font-size:20px}
.doc{border:1px solid #dde2e8;border-radius:6px;padding:8px 12px;margin:8px 0}
.doc:target{outline:3px solid #2e86de}
dl{display:grid;grid-template-columns:max-content auto;gap:2px 12px;margin:4px 0}
dt{color:#5b6675} .empty{color:#5b6675;font-style:italic}
"""


def _partner_row(p: PartnerTotals, total: bool = False) -> str:
    cls = ' class="total"' if total else ""
    return (f"<tr{cls} data-partner=\"{escape(p.partner_id)}\"><td>{escape(p.partner_id)}</td>"
            f"<td class=num>{p.matched_count}</td><td class=num>{money(p.matched_amount)}</td>"
            f"<td class=num>{p.disputed_count}</td><td class=num>{money(p.disputed_amount)}</td>"
            f"<td class=num>{p.open_count}</td><td class=num>{money(p.at_stake)}</td></tr>")


def _aging_row(p: PartnerTotals, total: bool = False) -> str:
    cls = ' class="total"' if total else ""
    cells = "".join(f"<td class=num>{n}<br><small>{money(a)}</small></td>" for n, a in p.aging)
    return f"<tr{cls}><td>{escape(p.partner_id)}</td>{cells}</tr>"


def _exception_row(r: dict) -> str:
    links = "<br>".join(f'<a href="#{escape(anchor(d))}">{escape(d.get("label") or anchor(d))}</a>'
                        for d in r["documents"])
    note = f"<br><small>{escape(r['note'])}</small>" if r.get("note") else ""
    lines = (f"<br><small>line {escape(', '.join(str(x) for x in r['lines']))}</small>"
             if r.get("lines") else "")
    return (f"<tr id=\"exc-{r['id']}\" data-type=\"{escape(r['type'])}\">"
            f"<td class=num>{r['id']}</td>"
            f"<td><span class=\"sev sev-{escape(r['severity'])}\">{escape(r['severity'])}</span></td>"
            f"<td>{escape(r['title'])}</td><td>{escape(r['partner_id'] or '')}</td>"
            f"<td>{escape(r['order_ref'] or '')}{lines}</td><td>{escape(r['reason'])}</td>"
            f"<td class=num>{money(r['amount'])}</td><td class=num>{r['age_days']} d</td>"
            f"<td>{escape(r['status'])}{note}</td><td>{links}</td></tr>")


def _document(key: str, d: dict) -> str:
    fields = "".join(f"<dt>{escape(str(k).replace('_', ' '))}</dt><dd>{escape(str(v))}</dd>"
                     for k, v in d["fields"].items())
    if d["type"] == "document" and d.get("id"):
        fields += f"<dt>trace</dt><dd><code>ordergate documents show {escape(str(d['id']))}</code></dd>"
    body = f"<dl>{fields}</dl>" if fields else '<p class="empty">no longer on record</p>'
    return f'<div class="doc" id="{escape(key)}"><b>{escape(d["label"] or key)}</b>{body}</div>'


def to_html(report: Report) -> str:
    total = report.totals
    scope = f" for partner {escape(report.partner_filter)}" if report.partner_filter else ""
    run = report.last_run
    run_line = (f"last run #{run['id']} found {run['found']}, opened {run['opened']}, "
                f"resolved {run['resolved']}" if run else "no reconciliation run yet")
    heads = "".join(f"<th class=num>{escape(label)}</th>" for label, _, _ in AGING)
    partner_rows = "".join(_partner_row(p) for p in report.partners)
    aging_rows = "".join(_aging_row(p) for p in report.partners)
    exc_rows = "".join(_exception_row(r) for r in report.exceptions) or (
        '<tr><td colspan=10 class="empty">No open exceptions.</td></tr>')
    docs = "".join(_document(k, d) for k, d in sorted(report.documents.items()))
    transit = "".join(
        f"<tr data-vendor=\"{escape(t['vendor'])}\"><td>{escape(t['vendor'])}</td>"
        f"<td class=num>{t['shipments']}</td><td class=num>{t['units']:f}</td>"
        f"<td class=num>{money(t['value'])}</td><td>{escape(str(t['since'])[:10])}</td></tr>"
        for t in report.in_transit) or '<tr><td colspan=5 class="empty">Nothing in transit.</td></tr>'

    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Ordergate reconciliation{scope}</title><style>{CSS}</style></head>
<body>
<h1>Reconciliation report{scope}</h1>
<div class="meta">As of {report.as_of:%Y-%m-%d %H:%M} UTC &middot; {escape(run_line)}</div>
<div class="cards" id="summary">
<div class="card">Matched invoices<b id="matched-amount">{money(total.matched_amount)}</b>{total.matched_count} invoice(s)</div>
<div class="card">In dispute<b id="disputed-amount">{money(total.disputed_amount)}</b>{total.disputed_count} invoice(s)</div>
<div class="card">Open exceptions<b id="open-count">{total.open_count}</b>&nbsp;</div>
<div class="card">Amount at stake<b id="at-stake">{money(total.at_stake)}</b>&nbsp;</div>
</div>
<h2>Totals per partner</h2>
<table id="partner-totals"><thead><tr><th>Partner</th><th class=num>Matched</th>
<th class=num>Matched amount</th><th class=num>In dispute</th><th class=num>Disputed amount</th>
<th class=num>Open exceptions</th><th class=num>At stake</th></tr></thead>
<tbody>{partner_rows}{_partner_row(total, True)}</tbody></table>
<h2>Aging of open exceptions</h2>
<table id="aging"><thead><tr><th>Partner</th>{heads}</tr></thead>
<tbody>{aging_rows}{_aging_row(total, True)}</tbody></table>
<h2>In transit (vendor shipments not yet received)</h2>
<table id="in-transit"><thead><tr><th>Vendor</th><th class=num>Shipments</th><th class=num>Units</th>
<th class=num>Value</th><th>Oldest since</th></tr></thead><tbody>{transit}</tbody></table>
<h2>Exceptions</h2>
<table id="exceptions"><thead><tr><th class=num>#</th><th>Severity</th><th>What</th>
<th>Partner</th><th>Order / PO</th><th>Reason</th><th class=num>At stake</th><th class=num>Age</th>
<th>Status</th><th>Documents</th></tr></thead><tbody>{exc_rows}</tbody></table>
<h2>Documents</h2>
<div id="documents">{docs or '<p class="empty">None.</p>'}</div>
</body></html>
"""
