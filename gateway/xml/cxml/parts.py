"""cXML building blocks shared by the four documents: Money, addresses, parties, item IDs.

Choices (documented because cXML and the canonical model do not line up one to one):
- ShipTo/BillTo hold an Address; other parties are `Contact role=...` (buyerParty, shipFrom, ...).
- Address lines: every DeliverTo and Street line, in document order (nothing is dropped); we write
  them all as Street. Country is the isoCountryCode.
- Item IDs: SupplierPartID is our SKU (we are the supplier), BuyerPartID the buyer's part,
  ManufacturerPartID the vendor's part; UPC and GTIN ride in `ItemID/IdReference[@domain]`.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from lxml import etree

from gateway.canonical import PartyRole
from gateway.xml.values import Reader, decimal_text

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
CONTACT_ROLES = {PartyRole.SHIP_TO: "shipTo", PartyRole.BILL_TO: "billTo",
                 PartyRole.BUYER: "buyerParty", PartyRole.SELLER: "supplierCorporate",
                 PartyRole.SHIP_FROM: "shipFrom", PartyRole.REMIT_TO: "remitTo",
                 PartyRole.VENDOR: "supplierMasterAccount", PartyRole.OTHER: "other"}
ROLE_OF_CONTACT = {v: k for k, v in CONTACT_ROLES.items()}
ADDRESS_ROLES = {PartyRole.SHIP_TO: "ShipTo", PartyRole.BILL_TO: "BillTo"}


def sub(parent: Any, tag: str, text: Any = None, **attrs: Any) -> Any:
    """A child element; attributes whose value is None are left out."""
    element = etree.SubElement(parent, tag, {k: str(v) for k, v in attrs.items() if v is not None})
    if text is not None:
        element.text = str(text)
    return element


def money(parent: Any, tag: str, amount: Decimal | None, currency: str | None) -> None:
    if amount is not None:
        sub(sub(parent, tag), "Money", decimal_text(amount), currency=currency or "USD")


# ---- parties -----------------------------------------------------------------------------------
def read_address_party(reader: Reader, holder: Any, role: PartyRole, field: str) -> dict | None:
    """ShipTo/BillTo/ShipFrom-like holder element with an Address (or Contact) inside."""
    address = next(iter(reader.nodes(holder, "Address|Contact")), None)
    if address is None:
        return None
    return _party(reader, address, role, field)


def read_contacts(reader: Reader, context: Any, field: str, start: int) -> list[dict]:
    parties = []
    for contact in reader.nodes(context, "Contact"):
        role = ROLE_OF_CONTACT.get(contact.get("role", ""), PartyRole.OTHER)
        parties.append(_party(reader, contact, role, f"{field}.{start + len(parties)}"))
    return parties


def _party(reader: Reader, element: Any, role: PartyRole, field: str) -> dict:
    lines = [text for text, _ in reader.texts(element, "PostalAddress/DeliverTo|PostalAddress/Street")]
    address = {"lines": lines,
               "city": reader.text(element, "PostalAddress/City", f"{field}.address.city"),
               "state": reader.text(element, "PostalAddress/State", f"{field}.address.state"),
               "postal_code": reader.text(element, "PostalAddress/PostalCode",
                                          f"{field}.address.postal_code"),
               "country": reader.text(element, "PostalAddress/Country/@isoCountryCode",
                                      f"{field}.address.country")
               or reader.text(element, "PostalAddress/Country", f"{field}.address.country")}
    has_address = bool(reader.nodes(element, "PostalAddress"))
    return {"role": role.value, "name": reader.text(element, "Name", f"{field}.name"),
            "id": element.get("addressID"), "id_qualifier": element.get("addressIDDomain"),
            "address": address if has_address else None}


def write_party(parent: Any, party: Any, *, contact: bool = False) -> None:
    """ShipTo/BillTo (Address) or Contact for other roles (or for all, with `contact=True`)."""
    role = PartyRole(party.role)
    if role in ADDRESS_ROLES and not contact:
        holder = sub(parent, ADDRESS_ROLES[role])
        element = sub(holder, "Address", addressID=party.id, addressIDDomain=party.id_qualifier)
    else:
        element = sub(parent, "Contact", role=CONTACT_ROLES[role], addressID=party.id,
                      addressIDDomain=party.id_qualifier)
    name = sub(element, "Name", party.name or "")
    name.set(XML_LANG, "en")
    address = party.address
    if address is None:
        return
    postal = sub(element, "PostalAddress")
    for line in address.lines:
        sub(postal, "Street", line)
    for tag, value in (("City", address.city), ("State", address.state),
                       ("PostalCode", address.postal_code)):
        if value is not None:
            sub(postal, tag, value)
    if address.country is not None:
        sub(postal, "Country", address.country, isoCountryCode=address.country)


def write_parties_in_order(parent: Any, parties: list[Any]) -> None:
    """ShipTo, BillTo first (cXML's order), then contacts: the caller places this correctly."""
    for role in (PartyRole.SHIP_TO, PartyRole.BILL_TO):
        for party in parties:
            if PartyRole(party.role) == role:
                write_party(parent, party)


def write_contacts(parent: Any, parties: list[Any], *, all_roles: bool = False) -> None:
    """Contact elements: parties other than ship-to/bill-to, or every party (`all_roles`)."""
    for party in parties:
        if all_roles or PartyRole(party.role) not in ADDRESS_ROLES:
            write_party(parent, party, contact=True)


def read_parties(reader: Reader, context: Any, field: str = "parties") -> list[dict]:
    parties: list[dict] = []
    for role, tag in ADDRESS_ROLES.items():
        for holder in reader.nodes(context, tag):
            party = read_address_party(reader, holder, role, f"{field}.{len(parties)}")
            if party:
                parties.append(party)
    parties += read_contacts(reader, context, field, len(parties))
    return parties


# ---- item IDs ----------------------------------------------------------------------------------
def read_item(reader: Reader, item_id: Any, detail: Any | None, field: str) -> dict:
    values = {
        "sku": reader.text(item_id, "SupplierPartID", f"{field}.sku"),
        "buyer_part": reader.text(item_id, "BuyerPartID", f"{field}.buyer_part"),
        "upc": reader.text(item_id, "IdReference[@domain='UPC']/@identifier", f"{field}.upc"),
        "gtin": reader.text(item_id, "IdReference[@domain='GTIN']/@identifier", f"{field}.gtin"),
    }
    if detail is not None:
        values["vendor_part"] = reader.text(detail, "ManufacturerPartID", f"{field}.vendor_part")
        values["description"] = reader.text(detail, "Description", f"{field}.description")
    return {k: v for k, v in values.items() if v is not None}


def write_item_id(parent: Any, item: Any) -> None:
    element = sub(parent, "ItemID")
    sub(element, "SupplierPartID", item.sku or "")
    if item.buyer_part:
        sub(element, "BuyerPartID", item.buyer_part)
    for domain, value in (("UPC", item.upc), ("GTIN", item.gtin)):
        if value:
            sub(element, "IdReference", identifier=value, domain=domain)
