"""cXML InvoiceDetailRequest <-> canonical Invoice (the 810 of cXML).

Header: invoiceID, invoiceDate, InvoicePartner/Contact parties, PaymentTerm (net days; a second
PaymentTerm with Discount for the early-payment discount; the X12 terms type and basis date as
Extrinsics), Extrinsic references. One InvoiceDetailOrder with the OrderReference and one
InvoiceDetailItem per line. Summary: SubtotalAmount, Tax with one TaxDetail per tax,
InvoiceHeaderModifications (AdditionalDeduction = allowance, AdditionalCost = charge, the SAC code
in ModificationDetail@name), NetAmount and DueAmount = total_amount.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from gateway.canonical import Invoice
from gateway.xml.cxml.parts import money, read_contacts, read_item, sub, write_item_id, write_party
from gateway.xml.values import Reader, cxml_datetime, decimal_text

MODIFICATION = {"allowance": "AdditionalDeduction", "charge": "AdditionalCost"}
KIND = {v: k for k, v in MODIFICATION.items()}


def read(reader: Reader, body: Any, partner_id: str | None) -> Invoice:
    head = next(iter(reader.nodes(body, "InvoiceDetailRequestHeader")), body)
    order = next(iter(reader.nodes(body, "InvoiceDetailOrder")), body)
    summary = next(iter(reader.nodes(body, "InvoiceDetailSummary")), body)
    parties = []
    for partner_el in reader.nodes(head, "InvoicePartner"):
        parties += read_contacts(reader, partner_el, "parties", len(parties))
    data: dict[str, Any] = {
        "invoice_number": reader.text(head, "@invoiceID", "invoice_number", required=True),
        "invoice_date": reader.typed(head, "@invoiceDate", "invoice_date", "date", required=True),
        "po_number": reader.text(order, "InvoiceDetailOrderInfo/OrderReference/@orderID",
                                 "po_number"),
        "po_date": reader.typed(order, "InvoiceDetailOrderInfo/OrderReference/@orderDate",
                                "po_date", "date"),
        "currency": reader.text(summary, "DueAmount/Money/@currency|NetAmount/Money/@currency",
                                "currency"),
        "parties": parties,
        "references": [{"type": el.get("name"), "value": "".join(el.itertext()).strip()}
                       for el in reader.nodes(head, "Extrinsic[@name]")],
        "total_amount": reader.typed(summary, "DueAmount/Money|NetAmount/Money", "total_amount",
                                     "decimal", required=True),
        "lines": [], "allowances_charges": [], "taxes": [],
    }
    terms = _read_terms(reader, head)
    if terms:
        data["terms"] = terms
    for n, item in enumerate(reader.nodes(order, "InvoiceDetailItem")):
        field = f"lines.{n}"
        reference = next(iter(reader.nodes(item, "InvoiceDetailItemReference")), item)
        line = {
            "line_number": reader.text(item, "@invoiceLineNumber", f"{field}.line_number"),
            "quantity": reader.typed(item, "@quantity", f"{field}.quantity", "decimal",
                                     required=True),
            "uom": reader.text(item, "UnitOfMeasure", f"{field}.uom"),
            "unit_price": reader.typed(item, "UnitPrice/Money", f"{field}.unit_price", "decimal",
                                       required=True),
            "item": read_item(reader, next(iter(reader.nodes(reference, "ItemID")), reference),
                              reference, f"{field}.item"),
        }
        data["lines"].append({k: v for k, v in line.items() if v is not None})
    for n, detail in enumerate(reader.nodes(summary, "Tax/TaxDetail")):
        field = f"taxes.{n}"
        data["taxes"].append({
            "type": reader.text(detail, "@category", f"{field}.type") or "tax",
            "rate": reader.typed(detail, "@percentageRate", f"{field}.rate", "decimal"),
            "amount": reader.typed(detail, "TaxAmount/Money", f"{field}.amount", "decimal",
                                   required=True)})
    for n, change in enumerate(reader.nodes(
            summary, "InvoiceHeaderModifications/Modification/*[self::AdditionalDeduction or "
                     "self::AdditionalCost]")):
        field = f"allowances_charges.{n}"
        modification = change.getparent()
        data["allowances_charges"].append({
            "kind": KIND[change.tag],
            "amount": reader.typed(change, ".//Money", f"{field}.amount", "decimal",
                                   required=True),
            "code": reader.text(modification, "ModificationDetail/@name", f"{field}.code"),
            "description": reader.text(modification, "ModificationDetail/Description",
                                       f"{field}.description")})
    return reader.build(Invoice, data, line=body.sourceline)


def _read_terms(reader: Reader, head: Any) -> dict[str, Any] | None:
    terms: dict[str, Any] = {}
    for term in reader.nodes(head, "PaymentTerm"):
        days = reader.typed(term, "@payInNumberOfDays", "terms.net_days", "int")
        percent = reader.typed(term, "Discount/DiscountPercent/@percent",
                               "terms.discount_percent", "decimal")
        if percent is not None:
            terms.update(discount_percent=percent, discount_days=days)
        else:
            terms["net_days"] = days
        for name, key in (("termsType", "type"), ("termsBasisDate", "basis_date"),
                          ("description", "description")):
            value = reader.text(term, f"Extrinsic[@name='{name}']", f"terms.{key}")
            if value is not None:
                terms[key] = value
    return terms or None


def write(request: Any, invoice: Invoice, *, now: dt.datetime) -> None:
    body = sub(request, "InvoiceDetailRequest")
    head = sub(body, "InvoiceDetailRequestHeader", invoiceID=invoice.invoice_number,
               purpose="standard", operation="new",
               invoiceDate=cxml_datetime(invoice.invoice_date))
    sub(head, "InvoiceDetailHeaderIndicator")
    sub(head, "InvoiceDetailLineIndicator")
    for party in invoice.parties:
        write_party(sub(head, "InvoicePartner"), party, contact=True)
    if invoice.terms is not None:
        _write_terms(head, invoice.terms)
    for reference in invoice.references:
        sub(head, "Extrinsic", reference.value, name=reference.type)
    order = sub(body, "InvoiceDetailOrder")
    info = sub(order, "InvoiceDetailOrderInfo")
    sub(info, "OrderReference", orderID=invoice.po_number or "",
        orderDate=cxml_datetime(invoice.po_date) if invoice.po_date else None)
    currency = invoice.currency
    subtotal = Decimal(0)
    for line in invoice.lines:
        item = sub(order, "InvoiceDetailItem", invoiceLineNumber=line.line_number,
                   quantity=decimal_text(line.quantity))
        sub(item, "UnitOfMeasure", line.uom)
        money(item, "UnitPrice", line.unit_price, currency)
        reference = sub(item, "InvoiceDetailItemReference", lineNumber=line.line_number)
        write_item_id(reference, line.item)
        if line.item.description:
            sub(reference, "Description", line.item.description)
        if line.item.vendor_part:
            sub(reference, "ManufacturerPartID", line.item.vendor_part)
        money(item, "SubtotalAmount", line.quantity * line.unit_price, currency)
        subtotal += line.quantity * line.unit_price
    summary = sub(body, "InvoiceDetailSummary")
    money(summary, "SubtotalAmount", subtotal, currency)
    tax = sub(summary, "Tax")
    sub(tax, "Money", decimal_text(sum((t.amount for t in invoice.taxes), Decimal(0))),
        currency=currency or "USD")
    sub(tax, "Description", "total tax")
    for each in invoice.taxes:
        detail = sub(tax, "TaxDetail", category=each.type,
                     percentageRate=decimal_text(each.rate) if each.rate is not None else None)
        money(detail, "TaxAmount", each.amount, currency)
    changes = [ac for ac in invoice.allowances_charges if ac.kind in MODIFICATION]
    if changes:
        holder = sub(summary, "InvoiceHeaderModifications")
        for change in changes:
            modification = sub(holder, "Modification")
            sub(sub(modification, MODIFICATION[change.kind]), "Money",
                decimal_text(change.amount), currency=currency or "USD")
            detail = sub(modification, "ModificationDetail", name=change.code or "")
            if change.description:
                sub(detail, "Description", change.description)
    money(summary, "NetAmount", invoice.total_amount, currency)
    money(summary, "DueAmount", invoice.total_amount, currency)


def _write_terms(head: Any, terms: Any) -> None:
    if terms.discount_percent is not None:
        early = sub(head, "PaymentTerm", payInNumberOfDays=terms.discount_days)
        sub(sub(early, "Discount"), "DiscountPercent",
            percent=decimal_text(terms.discount_percent))
    net = sub(head, "PaymentTerm", payInNumberOfDays=terms.net_days)
    for name, value in (("termsType", terms.type), ("termsBasisDate", terms.basis_date),
                        ("description", terms.description)):
        if value is not None:
            sub(net, "Extrinsic", value, name=name)
