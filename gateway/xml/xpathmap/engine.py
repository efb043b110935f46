"""Read and render a partner's own XML with an `XmlMapping` (see spec.py for the language)."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from lxml import etree
from pydantic import BaseModel

from gateway.xml.errors import XMLDocumentError, XMLRenderError
from gateway.xml.values import Reader, decimal_text, parse_date, parse_decimal
from gateway.xml.xpathmap.paths import locate, put, writable
from gateway.xml.xpathmap.schema import validate
from gateway.xml.xpathmap.spec import FieldSpec, ListSource, XmlMapping


# ---- reading -----------------------------------------------------------------------------------
def read_document(mapping: XmlMapping, root: Any, *, source: str | None = None,
                  partner_id: str | None = None) -> Any:
    reader = Reader(source=source, mapping=mapping.name, namespaces=mapping.namespaces)
    if not matches_root(mapping, root):
        raise XMLDocumentError("the document element does not match the mapping",
                               source=source, line=root.sourceline, xpath=f"/{root.tag}",
                               expected=mapping.root, mapping=mapping.name)
    validate(mapping, root, source=source)
    data = _read_object(reader, root, mapping.fields, mapping.lists, "")
    if mapping.document == "purchase_order" and partner_id:
        data.setdefault("buyer_partner_id", partner_id)
    return reader.build(mapping.model, data, line=root.sourceline)


def matches_root(mapping: XmlMapping, root: Any) -> bool:
    path = writable(mapping.root, mapping.namespaces)
    if path is None or len(path.steps) != 1:
        return False
    return root.tag == path.steps[0].tag


def _read_object(reader: Reader, context: Any, fields: dict[str, FieldSpec],
                 lists: dict[str, list[ListSource]], prefix: str) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for name, spec in fields.items():
        value = _read_field(reader, context, spec, prefix + name)
        if value is not None:
            _assign(data, name, value)
    for name, sources in lists.items():
        items = data.setdefault(name, [])
        for source in sources:
            for node in reader.nodes(context, source.each):
                item = dict(source.const)
                item.update(_read_object(reader, node, source.fields, source.lists,
                                         f"{prefix}{name}.{len(items)}."))
                items.append(item)
    return data


def _read_field(reader: Reader, context: Any, spec: FieldSpec, field: str) -> Any:
    if spec.path is None:
        return spec.const
    if spec.many:
        return [_convert(reader, spec, text, field, line)
                for text, line in reader.texts(context, spec.path)] or None
    text = reader.text(context, spec.path, field, required=spec.required and spec.default is None)
    if text is None:
        return spec.default
    return _convert(reader, spec, text, field, reader.origins[field][2])


def _convert(reader: Reader, spec: FieldSpec, text: str, field: str, line: int | None) -> Any:
    text = spec.codes.get(text, text)
    try:
        if spec.type == "date":
            return (dt.datetime.strptime(text, spec.format).date() if spec.format
                    else parse_date(text))
        if spec.type in ("decimal", "int"):
            number = parse_decimal(text).scaleb(-spec.implied_decimals)
            return int(number) if spec.type == "int" else number
    except ValueError as exc:
        xpath = reader.where(field)[0] or spec.path
        raise XMLDocumentError(str(exc), source=reader.source, line=line, xpath=xpath,
                               field=field, value=text, expected=f"a {spec.type}"
                               + (f" as {spec.format}" if spec.format else ""),
                               mapping=reader.mapping) from None
    return text


def _assign(data: dict[str, Any], dotted: str, value: Any) -> None:
    *parents, last = dotted.split(".")
    for part in parents:
        data = data.setdefault(part, {})
    data[last] = value


# ---- rendering ---------------------------------------------------------------------------------
def render_document(mapping: XmlMapping, doc: BaseModel, *, payload_id: str | None,
                    now: dt.datetime) -> bytes:
    if getattr(doc, "document_type", None) != mapping.document:
        raise XMLRenderError(f"mapping {mapping.name} renders {mapping.document}, not "
                             f"{getattr(doc, 'document_type', type(doc).__name__)}",
                             mapping=mapping.name)
    ns = mapping.namespaces
    root_path = writable(mapping.root, ns)
    if root_path is None or len(root_path.steps) != 1:
        raise XMLRenderError(f"root {mapping.root!r} is not a single element name",
                             mapping=mapping.name)
    nsmap = {prefix or None: uri for prefix, uri in ns.items()}
    root = etree.Element(root_path.steps[0].tag, dict(root_path.steps[0].attributes), nsmap=nsmap)
    for key, value in (("payload_id", payload_id), ("timestamp", now.isoformat(timespec="seconds"))):
        path = getattr(mapping, key)
        target = writable(path, ns) if path else None
        if target is not None and value:
            put(root, target, value)
    _write_object(root, doc.model_dump(mode="python"), mapping.fields, mapping.lists, ns,
                  mapping.name)
    _reorder(root, mapping)
    validate(mapping, root, outbound=True)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _reorder(root: Any, mapping: XmlMapping) -> None:
    """Put the root's children in the mapping's `order` (schemas fix element order)."""
    if not mapping.order:
        return
    rank = {}
    for n, name in enumerate(mapping.order):
        path = writable(name, mapping.namespaces)
        if path is not None and path.steps:
            rank[path.steps[0].tag] = n
    children = sorted(root, key=lambda child: rank.get(child.tag, len(rank)))
    for child in children:
        root.append(child)          # appending an existing child moves it to the end


def _write_object(context: Any, data: dict[str, Any], fields: dict[str, FieldSpec],
                  lists: dict[str, list[ListSource]], ns: dict[str, str], name: str) -> None:
    for key, spec in fields.items():
        value = _lookup(data, key)
        if spec.path is None or value is None or value == []:
            continue
        path = writable(spec.path, ns)
        if path is None:
            continue                                  # a read-only field
        for one in (value if spec.many else [value]):
            put(context, path, _format(spec, one, key, name), fresh=spec.many)
    for key, sources in lists.items():
        for item in data.get(key) or []:
            source = next((s for s in sources
                           if all(_same(item.get(k), v) for k, v in s.const.items())), None)
            if source is None:
                continue                              # no element source for this kind of item
            path = writable(source.each, ns)
            if path is None:
                raise XMLRenderError(f"lists.{key}.each {source.each!r} cannot be written",
                                     mapping=name, expected="a simple location path")
            element = locate(context, path, fresh=True)
            _write_object(element, item, source.fields, source.lists, ns, name)


def _format(spec: FieldSpec, value: Any, key: str, name: str) -> str:
    if hasattr(value, "value"):
        value = value.value
    if isinstance(value, dt.date):
        text = value.strftime(spec.format) if spec.format else value.isoformat()
    elif isinstance(value, (Decimal, int, float)) and not isinstance(value, bool):
        number = Decimal(str(value)).scaleb(spec.implied_decimals)
        if spec.implied_decimals and number != number.to_integral_value():
            raise XMLRenderError(f"{value} has more decimals than {spec.implied_decimals}",
                                 field=key, mapping=name)
        text = decimal_text(number.to_integral_value() if spec.implied_decimals else number)
    else:
        text = str(value)
    reverse = {ours: theirs for theirs, ours in reversed(list(spec.codes.items()))}
    return reverse.get(text, text)


def _lookup(data: dict[str, Any], dotted: str) -> Any:
    value: Any = data
    for part in dotted.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


def _same(a: Any, b: Any) -> bool:
    a = a.value if hasattr(a, "value") else a
    return str(a) == str(b)
