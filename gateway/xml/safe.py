"""The one way XML enters Ordergate: a hardened lxml parser behind a size limit.

lxml 6 resolves internal entities by default, so the parser is built with
`resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False`, and any document type
declaration with content (an internal subset: entity declarations, the heart of XXE and
billion-laughs attacks) is refused. The one DOCTYPE we accept is the bare reference every cXML
document carries, `<!DOCTYPE cXML SYSTEM "http://xml.cxml.org/schemas/cXML/.../cXML.dtd">`: it names
a public DTD that is never fetched nor read (no network, no DTD loading), and refusing it would
refuse all real cXML. Callers that expect no DOCTYPE at all (`allow_cxml_doctype=False`) refuse
even that.
"""
from __future__ import annotations

import re

from lxml import etree

from gateway.xml.errors import UnsafeXMLError, XMLSyntaxError

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
CXML_SYSTEM_ID = re.compile(r"^https?://xml\.cxml\.org/schemas/cxml/[0-9.]+/[A-Za-z]+\.dtd$",
                            re.IGNORECASE)
_DOCTYPE = re.compile(rb"<!DOCTYPE", re.IGNORECASE)
_ENTITY = re.compile(rb"<!ENTITY", re.IGNORECASE)
_SUBSET = re.compile(rb"<!DOCTYPE[^>\[]*\[", re.IGNORECASE)


def _parser() -> etree.XMLParser:
    # A new parser per call: lxml parsers are not safe to share between threads.
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                           huge_tree=False, dtd_validation=False, remove_comments=True,
                           remove_pis=True)


def parse_bytes(data: bytes, *, source: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES,
                allow_cxml_doctype: bool = True) -> etree._ElementTree:
    """Parse `data` safely or raise `UnsafeXMLError` / `XMLSyntaxError` (never an lxml error)."""
    if not isinstance(data, (bytes, bytearray)):
        raise XMLSyntaxError("XML must be given as bytes", source=source)
    if len(data) > max_bytes:
        raise UnsafeXMLError(f"{len(data)} bytes is over the XML size limit of {max_bytes}",
                             source=source, expected="a smaller file, or raise xml_max_bytes "
                             "in the partner's options")
    head = bytes(data[:4096]).replace(b"\x00", b"")      # also catches UTF-16 declarations
    if _ENTITY.search(bytes(data).replace(b"\x00", b"")):
        raise UnsafeXMLError("entity declarations are refused (XXE / entity expansion)",
                             source=source, line=_line_of(data, b"<!ENTITY"))
    try:
        tree = etree.ElementTree(etree.fromstring(bytes(data), _parser()))
    except etree.XMLSyntaxError as exc:
        line, column = exc.position if exc.position else (None, None)
        raise XMLSyntaxError(f"not well-formed XML: {exc.msg}", source=source, line=line,
                             column=column) from None
    except ValueError as exc:       # e.g. an unsupported encoding declaration
        raise XMLSyntaxError(f"unreadable XML: {exc}", source=source) from None
    docinfo = tree.docinfo
    if docinfo.doctype or _DOCTYPE.search(head):
        _check_doctype(tree, source=source, allow_cxml=allow_cxml_doctype,
                       subset=bool(_SUBSET.search(head)))
    return tree


def _check_doctype(tree: etree._ElementTree, *, source: str | None, allow_cxml: bool,
                   subset: bool) -> None:
    docinfo = tree.docinfo
    line = 1
    dtd = docinfo.internalDTD
    if subset or (dtd is not None and (any(True for _ in dtd.iterelements())
                                       or any(True for _ in dtd.iterentities()))):
        raise UnsafeXMLError("a DOCTYPE with an internal subset is refused", source=source,
                             line=line, value=docinfo.doctype[:120])
    system_url = docinfo.system_url or ""
    if (allow_cxml and docinfo.root_name == "cXML" and not docinfo.public_id
            and CXML_SYSTEM_ID.match(system_url)):
        return
    raise UnsafeXMLError("a DOCTYPE is refused", source=source, line=line,
                         value=docinfo.doctype[:120],
                         expected="no DOCTYPE (only cXML's own DTD reference is accepted)")


def _line_of(data: bytes, needle: bytes) -> int | None:
    at = bytes(data).replace(b"\x00", b"").find(needle)
    return None if at < 0 else bytes(data).replace(b"\x00", b"")[:at].count(b"\n") + 1
