"""Text <-> typed values for XML: dates, decimals, and where a bad value came from.

A `Reader` walks a parsed document and remembers, for every canonical field it fills, the XPath
and line it came from, so that a pydantic validation error can be reported at its place in the
partner's file (`XMLDocumentError(line=..., xpath=..., field=...)`).
"""
from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from decimal import Decimal, InvalidOperation
from typing import Any

from lxml import etree
from pydantic import BaseModel, ValidationError

from gateway.xml.errors import XMLDocumentError

_DATE = re.compile(r"^\s*(\d{4})-?(\d{2})-?(\d{2})")


def parse_date(text: str) -> dt.date:
    """The calendar date as written (`2025-01-27`, `2025-01-27T07:35:36+00:00`, `20250127`).

    The partner's own date is kept, not shifted to UTC: an order dated the 27th in California is
    dated the 27th, whatever the clock says in London."""
    match = _DATE.match(text)
    if not match:
        raise ValueError(f"not a date: {text!r}")
    return dt.date(int(match[1]), int(match[2]), int(match[3]))


def parse_decimal(text: str) -> Decimal:
    try:
        value = Decimal(text.strip().replace(",", ""))
    except InvalidOperation:
        raise ValueError(f"not a number: {text!r}") from None
    if not value.is_finite():
        raise ValueError(f"not a finite number: {text!r}")
    return value


def decimal_text(value: Decimal | int | float) -> str:
    return format(Decimal(str(value)), "f")


def cxml_datetime(value: dt.date | dt.datetime) -> str:
    """A date as cXML's ISO 8601 date-time: noon UTC, so that no time zone moves the day."""
    if isinstance(value, dt.datetime):
        value = value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)
        return value.isoformat(timespec="seconds")
    return f"{value.isoformat()}T12:00:00+00:00"


def local_name(element: Any) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


class Reader:
    """Reads values off a document and records where each canonical field came from."""

    def __init__(self, *, source: str | None = None, mapping: str | None = None,
                 namespaces: dict[str, str] | None = None) -> None:
        self.source = source
        self.mapping = mapping
        self.namespaces = namespaces or {}
        self._ns_key = tuple(sorted(self.namespaces.items()))
        # field -> (context element, relative XPath, line); the full path is built only when an
        # error needs it (building it for every field cost more than the reading itself).
        self.origins: dict[str, tuple[Any, str, int | None]] = {}

    def where(self, field: str) -> tuple[str | None, int | None]:
        """(absolute XPath, line) a field was read from."""
        if field not in self.origins:
            return None, None
        context, xpath, line = self.origins[field]
        return self.path_of(context, xpath), line

    def nodes(self, context: Any, xpath: str) -> list[Any]:
        try:
            result = _compiled(xpath, self._ns_key)(context)
        except etree.XPathError as exc:
            raise XMLDocumentError(f"XPath {xpath!r} cannot be evaluated: {exc}",
                                   source=self.source, xpath=xpath, mapping=self.mapping) from None
        if isinstance(result, list):
            return result
        return [] if result in ("", None) else [result]

    def texts(self, context: Any, xpath: str) -> list[tuple[str, int | None]]:
        """Each match as (stripped text, line); empty matches are left out."""
        simple = _simple(xpath)
        if simple is not None and isinstance(context, etree._Element):
            return self._simple_texts(context, *simple)
        found = []
        for node in self.nodes(context, xpath):
            if isinstance(node, etree._Element):
                text, line = "".join(node.itertext()).strip(), node.sourceline
            else:
                parent = node.getparent() if hasattr(node, "getparent") else None
                text = str(node).strip()
                line = parent.sourceline if parent is not None else _line(context)
            if text:
                found.append((text, line))
        return found

    def _simple_texts(self, context: Any, path: str | None, attribute: str | None
                      ) -> list[tuple[str, int | None]]:
        """The fast path for plain child paths (ElementPath, about ten times cheaper than XPath,
        which is most of the reading time on a large order)."""
        elements = context.findall(path, self.namespaces) if path else [context]
        found = []
        for element in elements:
            if attribute is not None:
                value = element.get(attribute)
                text = value.strip() if value is not None else ""
            elif len(element):
                text = "".join(element.itertext()).strip()
            else:
                text = (element.text or "").strip()
            if text:
                found.append((text, element.sourceline))
        return found

    def text(self, context: Any, xpath: str, field: str, *, required: bool = False
             ) -> str | None:
        found = self.texts(context, xpath)
        if not found:
            if required:
                raise XMLDocumentError("required value is missing", source=self.source,
                                       line=_line(context), xpath=self.path_of(context, xpath),
                                       field=field, mapping=self.mapping)
            return None
        text, line = found[0]
        self.origins[field] = (context, xpath, line)
        return text

    def typed(self, context: Any, xpath: str, field: str, kind: str, *,
              required: bool = False) -> Any:
        text = self.text(context, xpath, field, required=required)
        if text is None:
            return None
        try:
            if kind == "date":
                return parse_date(text)
            if kind == "decimal":
                return parse_decimal(text)
            if kind == "int":
                return int(parse_decimal(text))
        except ValueError as exc:
            xpath_of, line = self.where(field)
            raise XMLDocumentError(str(exc), source=self.source, line=line,
                                   xpath=xpath_of, field=field, value=text,
                                   expected=f"a {kind}", mapping=self.mapping) from None
        return text

    def path_of(self, context: Any, xpath: str) -> str:
        base = context.getroottree().getpath(context) if isinstance(context, etree._Element) else ""
        if xpath == ".":
            return base
        return f"{base}/{xpath}" if base else xpath

    def build(self, model: type[BaseModel], data: dict[str, Any], *, line: int | None = None
              ) -> Any:
        """Validate into the canonical model; a failure names the XML place of the field."""
        try:
            return model.model_validate(data)
        except ValidationError as exc:
            first = exc.errors()[0]
            field = ".".join(str(p) for p in first["loc"])
            xpath, where = self.where(field)
            if xpath is None:
                parent = field.rsplit(".", 1)[0]
                near = next((k for k in self.origins if k.startswith(parent + ".")), None)
                xpath, where = self.where(near) if near else (None, line)
            value = first.get("input")
            raise XMLDocumentError(f"canonical field {field}: {first['msg']}", source=self.source,
                                   line=where, xpath=xpath, field=field,
                                   value=value if isinstance(value, str) else None,
                                   mapping=self.mapping) from None


_SIMPLE = re.compile(r"^(?P<path>(?:[A-Za-z_][\w.-]*:)?[A-Za-z_][\w.-]*"
                     r"(?:/(?:[A-Za-z_][\w.-]*:)?[A-Za-z_][\w.-]*)*)?"
                     r"(?:(?(path)/)@(?P<attr>[A-Za-z_][\w.-]*))?$")


@lru_cache(maxsize=1024)
def _simple(xpath: str) -> tuple[str | None, str | None] | None:
    """(element path, attribute) for `A/b:C`, `A/@x`, `@x`; None for anything else."""
    match = _SIMPLE.match(xpath)
    if match is None or (match["path"] is None and match["attr"] is None):
        return None
    return match["path"], match["attr"]


@lru_cache(maxsize=1024)
def _compiled(xpath: str, namespaces: tuple[tuple[str, str], ...]) -> etree.XPath:
    """lxml compiles `element.xpath(text)` on every call; mappings reuse a few hundred paths."""
    return etree.XPath(xpath, namespaces=dict(namespaces))


def _line(context: Any) -> int | None:
    return getattr(context, "sourceline", None)
