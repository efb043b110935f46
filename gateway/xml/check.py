"""`partner check` support: is every XML document of a profile ready to go live?

One `XMLCheck` per XML document entry: `format: xml` entries load and check their mapping file
(XPaths compile, canonical fields exist, the XSD parses); `format: cxml` entries need nothing but
a document type cXML carries. The partners part turns these into its findings table.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from gateway.xml.errors import XMLMappingFileError

CXML_CARRIES = {("850", "in"), ("850", "out"), ("855", "out"), ("855", "in"), ("856", "out"),
                ("856", "in"), ("810", "out"), ("810", "in")}


@dataclass(frozen=True)
class XMLCheck:
    doc_type: str
    direction: str
    ok: bool
    message: str
    file: str | None = None
    key_path: str | None = None
    expected: str | None = None


def check_partner_xml(partner: Any) -> list[XMLCheck]:
    from gateway.xml.xpathmap.spec import load_xml_mapping

    results = []
    for spec in getattr(partner, "documents", None) or []:
        fmt = str(getattr(spec.format, "value", spec.format))
        direction = str(getattr(spec.direction, "value", spec.direction))
        if fmt == "cxml":
            ok = (spec.type, direction) in CXML_CARRIES
            results.append(XMLCheck(spec.type, direction, ok,
                                    "cXML " + ("ready" if ok else f"does not carry {spec.type}"),
                                    expected=None if ok else "850, 855, 856 or 810"))
        elif fmt == "xml":
            if not spec.mapping:
                results.append(XMLCheck(spec.type, direction, False, "no mapping named",
                                        key_path="documents.mapping",
                                        expected="a mapping file name under mappings/xml/"))
                continue
            try:
                mapping = load_xml_mapping(spec.mapping, getattr(partner, "home", None))
            except XMLMappingFileError as exc:
                results.append(XMLCheck(spec.type, direction, False, exc.message, exc.file,
                                        exc.key_path, exc.expected))
                continue
            results.append(XMLCheck(spec.type, direction, True,
                                    f"XPath mapping {mapping.name} ({mapping.document})"
                                    + (f", schema {mapping.schema_file}"
                                       if mapping.schema_file else ""), mapping.file))
    return results
