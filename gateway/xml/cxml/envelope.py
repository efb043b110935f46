"""The cXML envelope: payloadID, timestamp, From/To/Sender credentials, one Request.

Identities come from the partner profile's free `options` (all optional):
`cxml_domain` (credential domain, default NetworkId), `cxml_identity` (the partner's identity;
when set, an inbound document whose From identity differs is refused, the XML twin of the X12
sender check), `cxml_our_identity` (ours, default our ISA ID), `cxml_shared_secret_env` (the
name of an environment variable holding our SharedSecret; never the secret itself),
`cxml_version` (default 1.2.050).
"""
from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from typing import Any

from lxml import etree

from gateway.xml.errors import XMLDocumentError
from gateway.xml.values import Reader, local_name

DEFAULT_VERSION = "1.2.050"
# Which DTD each request lives in (cXML 1.2.x): the DOCTYPE we write names it.
DTD_FOR = {"OrderRequest": "cXML.dtd", "ConfirmationRequest": "Fulfill.dtd",
           "ShipNoticeRequest": "Fulfill.dtd", "InvoiceDetailRequest": "InvoiceDetail.dtd"}


@dataclass(frozen=True)
class Envelope:
    payload_id: str | None
    timestamp: str | None
    from_identity: str | None
    to_identity: str | None
    sender_identity: str | None
    kind: str                  # OrderRequest, ShipNoticeRequest, ...
    body: Any                  # the request element
    deployment_mode: str | None


def options(partner: Any) -> dict[str, str]:
    return dict(getattr(partner, "options", None) or {})


def read_envelope(root: Any, reader: Reader) -> Envelope:
    if local_name(root) != "cXML":
        raise XMLDocumentError("not a cXML document", source=reader.source,
                               line=root.sourceline, xpath=f"/{local_name(root)}",
                               expected="root element cXML")
    request = next((el for el in root if local_name(el) == "Request"), None)
    body = next((el for el in request if isinstance(el.tag, str)), None) if request is not None \
        else None
    if body is None:
        raise XMLDocumentError("a cXML document without a request", source=reader.source,
                               line=root.sourceline, xpath="/cXML/Request",
                               expected="Request with one of " + ", ".join(DTD_FOR))
    first = reader.texts
    return Envelope(
        payload_id=root.get("payloadID"), timestamp=root.get("timestamp"),
        from_identity=_first(first(root, "Header/From/Credential/Identity")),
        to_identity=_first(first(root, "Header/To/Credential/Identity")),
        sender_identity=_first(first(root, "Header/Sender/Credential/Identity")),
        kind=local_name(body), body=body, deployment_mode=request.get("deploymentMode"))


def check_sender(envelope: Envelope, partner: Any, reader: Reader) -> None:
    """A document in partner A's mailbox must come from A's cXML identity (when configured)."""
    expected = options(partner).get("cxml_identity")
    if expected and envelope.from_identity != expected:
        raise XMLDocumentError("the cXML From identity is not this partner's",
                               source=reader.source, xpath="/cXML/Header/From/Credential/Identity",
                               field="sender", value=envelope.from_identity,
                               expected=expected)


def write_envelope(partner: Any, kind: str, *, payload_id: str, now: dt.datetime) -> tuple[Any, Any]:
    """(root, request element) for a new document; the caller adds `kind` under the request."""
    opts = options(partner)
    x12 = getattr(partner, "x12", None)
    domain = opts.get("cxml_domain", "NetworkId")
    ours = opts.get("cxml_our_identity") or (x12.us.isa_id if x12 else "ORDERGATE")
    theirs = opts.get("cxml_identity") or (x12.partner.isa_id if x12 else "PARTNER")
    stamp = (now if now.tzinfo else now.replace(tzinfo=dt.timezone.utc)).isoformat(
        timespec="seconds")
    root = etree.Element("cXML", payloadID=payload_id, timestamp=stamp)
    root.set("{http://www.w3.org/XML/1998/namespace}lang", "en-US")
    header = etree.SubElement(root, "Header")
    for tag, identity in (("From", ours), ("To", theirs), ("Sender", ours)):
        credential = etree.SubElement(etree.SubElement(header, tag), "Credential", domain=domain)
        etree.SubElement(credential, "Identity").text = identity
        if tag == "Sender":
            secret_env = opts.get("cxml_shared_secret_env")
            if secret_env and os.environ.get(secret_env):
                etree.SubElement(credential, "SharedSecret").text = os.environ[secret_env]
    sender = header[-1]
    etree.SubElement(sender, "UserAgent").text = "Ordergate"
    usage = getattr(partner, "usage", "T")
    request = etree.SubElement(root, "Request",
                               deploymentMode="production" if usage == "P" else "test")
    return root, request


def serialize(root: Any, kind: str, partner: Any) -> bytes:
    version = options(partner).get("cxml_version", DEFAULT_VERSION)
    doctype = (f'<!DOCTYPE cXML SYSTEM "http://xml.cxml.org/schemas/cXML/{version}/'
               f'{DTD_FOR[kind]}">')
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", doctype=doctype,
                          pretty_print=True)


def _first(found: list[tuple[str, int | None]]) -> str | None:
    return found[0][0] if found else None
