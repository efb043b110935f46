"""XSD validation for partners that publish a schema (`schema:` in their XPath mapping).

The schema file is configuration we hold (beside the mapping), parsed with the same hardened
parser; `no_network` keeps imports from reaching out. Inbound documents that break the schema are
refused with every violation listed; outbound documents are checked before they leave.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any

from lxml import etree

from gateway.xml.errors import XMLDocumentError, XMLMappingFileError, XMLRenderError
from gateway.xml.safe import _parser


def load_schema(mapping: Any) -> etree.XMLSchema:
    path = mapping.schema_path
    try:
        return _cached(str(path), path.stat().st_mtime_ns)
    except FileNotFoundError:
        raise XMLMappingFileError(f"schema file {path} does not exist", file=mapping.file,
                                  key_path="schema", expected="an .xsd file beside the mapping"
                                  ) from None
    except (etree.XMLSchemaParseError, etree.XMLSyntaxError) as exc:
        raise XMLMappingFileError(f"schema {path.name} is not a valid XSD: {exc}",
                                  file=mapping.file, key_path="schema") from None


@lru_cache(maxsize=32)
def _cached(path: str, _mtime: int) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(path, _parser()))


def validate(mapping: Any, root: Any, *, source: str | None = None, outbound: bool = False
             ) -> None:
    if mapping.schema_path is None:
        return
    schema = load_schema(mapping)
    if schema.validate(root):
        return
    errors = list(schema.error_log)
    first = errors[0]
    error_type = XMLRenderError if outbound else XMLDocumentError
    error = error_type(f"does not follow {mapping.schema_path.name}: {first.message}"
                       + (f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""),
                       source=source, line=first.line or None, xpath=first.path or None,
                       mapping=mapping.name)
    error.violations = [(e.line, e.path, e.message) for e in errors]  # type: ignore[attr-defined]
    raise error
