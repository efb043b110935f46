"""What reconciliation can find: exception types, their area and severity, as data.

One table instead of constants spread through the checks, so the report, the CLI and the
tests all agree on names, severities and the sentence a person reads.
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Area(str, Enum):
    FUNCTIONAL_ACK = "functional_ack"
    ORDER_ACK = "order_ack"
    SHIP_NOTICE = "ship_notice"
    INVOICE = "invoice"


class Severity(str, Enum):
    INFO = "info"
    WARNING = "warning"
    ERROR = "error"
    CRITICAL = "critical"

    @property
    def rank(self) -> int:
        return _SEVERITY_RANK[self]


_SEVERITY_RANK = {Severity.INFO: 0, Severity.WARNING: 1, Severity.ERROR: 2, Severity.CRITICAL: 3}


class Status(str, Enum):
    """An exception is open until a person acknowledges it or a later document settles it."""

    OPEN = "open"
    ACKNOWLEDGED = "acknowledged"
    RESOLVED = "resolved"


# Which moves a person (or the job) may make; resolving is always allowed, reopening happens
# only when a rerun finds the condition again.
TRANSITIONS: dict[Status, frozenset[Status]] = {
    Status.OPEN: frozenset({Status.ACKNOWLEDGED, Status.RESOLVED}),
    Status.ACKNOWLEDGED: frozenset({Status.RESOLVED, Status.OPEN}),
    Status.RESOLVED: frozenset({Status.OPEN}),
}


class ExceptionType(str, Enum):
    # functional acknowledgements
    ACK_OVERDUE = "ack_overdue"
    ACK_REJECTED = "ack_rejected"
    ACK_UNSOLICITED = "ack_unsolicited"
    # order acknowledgements
    VENDOR_ACK_OVERDUE = "vendor_ack_overdue"
    VENDOR_ACK_QUANTITY = "vendor_ack_quantity"
    VENDOR_ACK_PRICE = "vendor_ack_price"
    VENDOR_ACK_DATE = "vendor_ack_date"
    VENDOR_ACK_SUBSTITUTION = "vendor_ack_substitution"
    VENDOR_ACK_REJECTED = "vendor_ack_rejected"
    CUSTOMER_ACK_LATE = "customer_ack_late"
    # ship notices
    ASN_UNKNOWN_ORDER = "asn_unknown_order"
    ASN_QUANTITY = "asn_quantity"
    ASN_ITEM_NOT_ON_PO = "asn_item_not_on_po"
    ASN_LATE = "asn_late"
    ASN_SHIP_TO = "asn_ship_to"
    SSCC_DUPLICATE = "sscc_duplicate"
    SHIPMENT_WITHOUT_ASN = "shipment_without_asn"
    IN_TRANSIT = "in_transit"
    # invoices
    INVOICE_UNKNOWN_PO = "invoice_unknown_po"
    INVOICE_QUANTITY = "invoice_quantity"
    INVOICE_NOT_SHIPPED = "invoice_not_shipped"
    INVOICE_PRICE = "invoice_price"
    INVOICE_ITEM_NOT_ON_PO = "invoice_item_not_on_po"
    INVOICE_CHARGES = "invoice_charges"
    INVOICE_TOTAL = "invoice_total"
    INVOICE_DUPLICATE = "invoice_duplicate"
    UNINVOICED_SHIPMENT = "uninvoiced_shipment"
    # inbound documents the gateway could not apply (bad input), never skipped silently
    ORDER_REFUSED = "order_refused"
    VENDOR_ACK_REFUSED = "vendor_ack_refused"
    ASN_REFUSED = "asn_refused"
    INVOICE_REFUSED = "invoice_refused"


@dataclass(frozen=True)
class Kind:
    area: Area
    severity: Severity
    title: str


KINDS: dict[ExceptionType, Kind] = {
    ExceptionType.ACK_OVERDUE: Kind(Area.FUNCTIONAL_ACK, Severity.WARNING,
                                    "No 997/999 within the partner's window"),
    ExceptionType.ACK_REJECTED: Kind(Area.FUNCTIONAL_ACK, Severity.ERROR,
                                     "Partner's 997/999 rejected our document"),
    ExceptionType.ACK_UNSOLICITED: Kind(Area.FUNCTIONAL_ACK, Severity.WARNING,
                                        "997/999 for a document we never sent"),
    ExceptionType.VENDOR_ACK_OVERDUE: Kind(Area.ORDER_ACK, Severity.WARNING,
                                           "Vendor has not sent an 855 by the deadline"),
    ExceptionType.VENDOR_ACK_QUANTITY: Kind(Area.ORDER_ACK, Severity.WARNING,
                                            "855 quantity differs from our PO"),
    ExceptionType.VENDOR_ACK_PRICE: Kind(Area.ORDER_ACK, Severity.ERROR,
                                         "855 price differs from our PO"),
    ExceptionType.VENDOR_ACK_DATE: Kind(Area.ORDER_ACK, Severity.WARNING,
                                        "855 date later than we asked for"),
    ExceptionType.VENDOR_ACK_SUBSTITUTION: Kind(Area.ORDER_ACK, Severity.WARNING,
                                                "855 substitutes another item"),
    ExceptionType.VENDOR_ACK_REJECTED: Kind(Area.ORDER_ACK, Severity.ERROR,
                                            "Vendor rejected a PO line"),
    ExceptionType.CUSTOMER_ACK_LATE: Kind(Area.ORDER_ACK, Severity.ERROR,
                                          "We have not sent the customer's 855 in time"),
    ExceptionType.ASN_UNKNOWN_ORDER: Kind(Area.SHIP_NOTICE, Severity.ERROR,
                                          "Ship notice for an order we do not know"),
    ExceptionType.ASN_QUANTITY: Kind(Area.SHIP_NOTICE, Severity.WARNING,
                                     "Shipped quantity outside tolerance of the PO"),
    ExceptionType.ASN_ITEM_NOT_ON_PO: Kind(Area.SHIP_NOTICE, Severity.ERROR,
                                           "Ship notice has an item that is not on the PO"),
    ExceptionType.ASN_LATE: Kind(Area.SHIP_NOTICE, Severity.WARNING,
                                 "Shipped later than the requested date"),
    ExceptionType.ASN_SHIP_TO: Kind(Area.SHIP_NOTICE, Severity.ERROR,
                                    "Ship-to on the ship notice differs from the PO"),
    ExceptionType.SSCC_DUPLICATE: Kind(Area.SHIP_NOTICE, Severity.ERROR,
                                       "The same SSCC appears on more than one carton"),
    ExceptionType.SHIPMENT_WITHOUT_ASN: Kind(Area.SHIP_NOTICE, Severity.ERROR,
                                             "Shipped order without an 856 to the customer"),
    ExceptionType.IN_TRANSIT: Kind(Area.SHIP_NOTICE, Severity.WARNING,
                                   "Vendor shipment in transit too long, not received"),
    ExceptionType.INVOICE_UNKNOWN_PO: Kind(Area.INVOICE, Severity.CRITICAL,
                                           "Invoice for a PO we never issued"),
    ExceptionType.INVOICE_QUANTITY: Kind(Area.INVOICE, Severity.ERROR,
                                         "Invoiced quantity differs from the PO"),
    ExceptionType.INVOICE_NOT_SHIPPED: Kind(Area.INVOICE, Severity.ERROR,
                                            "Invoiced quantity not shipped or received"),
    ExceptionType.INVOICE_PRICE: Kind(Area.INVOICE, Severity.ERROR,
                                      "Invoiced unit price outside tolerance of the PO"),
    ExceptionType.INVOICE_ITEM_NOT_ON_PO: Kind(Area.INVOICE, Severity.ERROR,
                                               "Invoiced item is not on the PO"),
    ExceptionType.INVOICE_CHARGES: Kind(Area.INVOICE, Severity.WARNING,
                                        "Allowances or charges not agreed on the PO"),
    ExceptionType.INVOICE_TOTAL: Kind(Area.INVOICE, Severity.ERROR,
                                      "Invoice total (TDS) is not lines plus SAC"),
    ExceptionType.INVOICE_DUPLICATE: Kind(Area.INVOICE, Severity.CRITICAL,
                                          "Duplicate invoice number"),
    ExceptionType.UNINVOICED_SHIPMENT: Kind(Area.INVOICE, Severity.WARNING,
                                            "Shipment to a customer not invoiced in time"),
    ExceptionType.ORDER_REFUSED: Kind(Area.ORDER_ACK, Severity.CRITICAL,
                                      "Customer PO could not be placed"),
    ExceptionType.VENDOR_ACK_REFUSED: Kind(Area.ORDER_ACK, Severity.ERROR,
                                           "Vendor 855 could not be applied"),
    ExceptionType.ASN_REFUSED: Kind(Area.SHIP_NOTICE, Severity.ERROR,
                                    "Vendor 856 could not be applied"),
    ExceptionType.INVOICE_REFUSED: Kind(Area.INVOICE, Severity.ERROR,
                                        "Vendor 810 could not be applied"),
}


def kind_of(value: str | ExceptionType) -> Kind:
    return KINDS[ExceptionType(value)]
