"""XML errors, with the position as attributes (line, column, XPath, canonical field).

``UnsafeXMLError``: refused before we look at content (size, DOCTYPE, entities): the partner
sent something we never parse. ``XMLSyntaxError``: not well-formed XML. ``XMLDocumentError``: well
formed, but it does not fit the mapping (a missing order number, a bad quantity).
``XMLRenderError``: a canonical document lacks what the partner's XML needs (our side).
``XMLMappingFileError``: a mapping file under mappings/xml/ is wrong (configuration).
"""
from __future__ import annotations

from gateway.partners.errors import PartnerError


class XMLError(Exception):
    """Base of the documents' errors: `line`, `column`, `xpath`, `field`, `value`, `source`."""

    code = "xml_error"

    def __init__(self, message: str, *, source: str | None = None, line: int | None = None,
                 column: int | None = None, xpath: str | None = None, field: str | None = None,
                 value: str | None = None, expected: str | None = None,
                 mapping: str | None = None) -> None:
        self.message = message
        self.source = source
        self.line = line
        self.column = column
        self.xpath = xpath
        self.field = field
        self.value = value
        self.expected = expected
        self.mapping = mapping
        super().__init__(self._text())

    def _text(self) -> str:
        where = []
        if self.source:
            where.append(self.source)
        if self.line:
            where.append(f"line {self.line}" + (f" column {self.column}" if self.column else ""))
        if self.xpath:
            where.append(self.xpath)
        if self.field:
            where.append(f"field {self.field}")
        text = (", ".join(where) + ": " if where else "") + self.message
        if self.value is not None:
            text += f" (got {self.value!r})"
        if self.expected:
            text += f"; expected {self.expected}"
        return text

    def to_json(self) -> dict[str, object]:
        data = {k: v for k, v in vars(self).items() if v is not None}
        data["code"] = self.code
        return data


class UnsafeXMLError(XMLError):
    code = "xml_unsafe"


class XMLSyntaxError(XMLError):
    code = "xml_syntax"


class XMLDocumentError(XMLError):
    code = "xml_document"


class XMLRenderError(XMLError):
    code = "xml_render"


class XMLMappingFileError(PartnerError):
    """A mapping file under mappings/xml/: names the file, the key path and what was expected."""
