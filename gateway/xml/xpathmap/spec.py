"""The XPath mapping language for a partner's own XML (files under mappings/xml/).

    name: acme-order
    document: purchase_order          # the canonical document type
    root: a:PurchaseOrder             # the document element, prefix from `namespaces`
    namespaces: {a: "urn:acme:orders:1"}
    payload_id: a:Header/@messageId   # optional: where render_document writes payload_id / now
    timestamp: a:Header/@created
    fields:                           # canonical field (dotted) -> XPath, or a spec
      po_number: {path: a:Header/a:OrderNo, required: true}
      po_date: {path: a:Header/a:Date, type: date, format: "%d.%m.%Y"}
    lists:                            # canonical list -> one or more element sources
      lines:
        - each: a:Items/a:Item
          const: {}                   # values set on read, and matched when rendering
          fields: {quantity: {path: a:Qty, type: decimal}, uom: {path: a:Qty/@unit, codes: {PCE: EA}}}

Reading accepts any XPath 1.0 expression. Rendering writes fields whose path is a simple location
path (`a:B/a:C`, `a:C[@type='x']`, `@attr`, `.`); other fields are read-only. Every XPath is
compiled and every canonical field name checked against the canonical model when the file loads,
so a typo fails at `partner check`, naming the file and the key.
"""
from __future__ import annotations

import typing
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import yaml
from lxml import etree
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from gateway.canonical import MODELS_BY_TYPE
from gateway.xml.errors import XMLMappingFileError

REPO_MAPPINGS = Path(__file__).resolve().parents[3] / "mappings" / "xml"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FieldSpec(_Strict):
    path: str | None = None
    type: Literal["str", "decimal", "int", "date"] = "str"
    format: str | None = None              # strptime/strftime for dates
    implied_decimals: int = Field(0, ge=0, le=6)   # "1250" with 2 -> 12.50
    codes: dict[str, str] = Field(default_factory=dict)   # theirs -> ours
    default: Any = None
    const: Any = None
    required: bool = False
    many: bool = False                      # a list of strings (address lines)

    @model_validator(mode="after")
    def _path_or_const(self) -> "FieldSpec":
        if self.path is None and self.const is None:
            raise ValueError("a field needs `path` or `const`")
        return self


class ListSource(_Strict):
    each: str
    const: dict[str, Any] = Field(default_factory=dict)
    fields: dict[str, FieldSpec] = Field(default_factory=dict)
    lists: dict[str, list["ListSource"]] = Field(default_factory=dict)


ListSource.model_rebuild()


class XmlMapping(_Strict):
    name: str
    document: Literal["purchase_order", "order_ack", "ship_notice", "invoice"]
    root: str
    namespaces: dict[str, str] = Field(default_factory=dict)
    payload_id: str | None = None
    timestamp: str | None = None
    schema_file: str | None = Field(None, alias="schema")   # an XSD beside the mapping file
    order: list[str] = Field(default_factory=list)   # element order under the root, for rendering
    fields: dict[str, FieldSpec] = Field(default_factory=dict)
    lists: dict[str, list[ListSource]] = Field(default_factory=dict)
    file: str | None = None

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @property
    def schema_path(self) -> Path | None:
        if not self.schema_file:
            return None
        return Path(self.file or ".").parent / self.schema_file

    @property
    def model(self) -> type[BaseModel]:
        return MODELS_BY_TYPE[self.document]


def _normalise(raw: Any) -> Any:
    """`key: "xpath"` is short for `key: {path: xpath}`, at every level."""
    if isinstance(raw, dict):
        out = {}
        for key, value in raw.items():
            if key == "fields" and isinstance(value, dict):
                out[key] = {k: ({"path": v} if isinstance(v, str) else v) for k, v in value.items()}
            elif key == "lists" and isinstance(value, dict):
                out[key] = {k: [_normalise(s) for s in (v if isinstance(v, list) else [v])]
                            for k, v in value.items()}
            else:
                out[key] = value
        return out
    return raw


def find_mapping_file(name: str, home: Path | str | None) -> Path:
    name = name.removeprefix("xml/")
    folders = ([Path(home) / "mappings" / "xml"] if home is not None else []) + [REPO_MAPPINGS]
    for folder in folders:
        candidate = folder / f"{name}.yaml"
        if candidate.is_file():
            return candidate
    raise XMLMappingFileError(f"no XML mapping named {name!r}",
                              file=str(folders[0] / f"{name}.yaml"), key_path="mapping",
                              expected="a file under mappings/xml/")


def load_xml_mapping(name: str, home: Path | str | None = None) -> XmlMapping:
    """The checked mapping; cached per file and modification time (an edit is picked up)."""
    path = find_mapping_file(name, home)
    return _load(str(path), path.stat().st_mtime_ns)


@lru_cache(maxsize=64)
def _load(file: str, _mtime: int) -> XmlMapping:
    path = Path(file)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise XMLMappingFileError(f"not valid YAML: {getattr(exc, 'problem', exc)}", file=path,
                                  key_path=f"line {mark.line + 1}" if mark else None) from None
    if not isinstance(raw, dict):
        raise XMLMappingFileError("a mapping file holds a YAML mapping", file=path,
                                  expected="keys name, document, root, fields, lists")
    try:
        mapping = XmlMapping.model_validate({**_normalise(raw), "file": str(path)})
    except ValidationError as exc:
        err = exc.errors()[0]
        raise XMLMappingFileError(err["msg"], file=path,
                                  key_path=".".join(str(p) for p in err["loc"]),
                                  expected=str(err.get("ctx", {}).get("expected", "")) or None
                                  ) from None
    check_mapping(mapping)
    return mapping


# ---- load-time checks: every XPath compiles, every field exists in the canonical model ----
def check_mapping(mapping: XmlMapping) -> None:
    ns = mapping.namespaces
    where = {"file": mapping.file}
    _compile(mapping.root, ns, "root", where)
    for key in ("payload_id", "timestamp"):
        if getattr(mapping, key):
            _compile(getattr(mapping, key), ns, key, where)
    _check_fields(mapping.model, mapping.fields, mapping.lists, ns, "", where)
    for n, name in enumerate(mapping.order):
        _compile(name, ns, f"order.{n}", where)
    if mapping.schema_path is not None:
        from gateway.xml.xpathmap.schema import load_schema
        load_schema(mapping)


def _check_fields(model: type[BaseModel], fields: dict[str, FieldSpec],
                  lists: dict[str, list[ListSource]], ns: dict[str, str], prefix: str,
                  where: dict[str, Any]) -> None:
    for name, spec in fields.items():
        key = f"{prefix}fields.{name}"
        _field_type(model, name, key, where)
        if spec.path:
            _compile(spec.path, ns, key + ".path", where)
    for name, sources in lists.items():
        key = f"{prefix}lists.{name}"
        item_model = _field_type(model, name, key, where, want_list=True)
        for n, source in enumerate(sources):
            _compile(source.each, ns, f"{key}.{n}.each", where)
            for const_name in source.const:
                _field_type(item_model, const_name, f"{key}.{n}.const.{const_name}", where)
            _check_fields(item_model, source.fields, source.lists, ns, f"{key}.{n}.", where)


def _compile(xpath: str, ns: dict[str, str], key: str, where: dict[str, Any]) -> None:
    try:
        etree.XPath(xpath, namespaces=ns)
    except etree.XPathSyntaxError as exc:
        raise XMLMappingFileError(f"XPath {xpath!r} does not compile: {exc}", key_path=key,
                                  expected="an XPath 1.0 expression using the declared "
                                           "namespace prefixes", **where) from None


def _field_type(model: type[BaseModel], dotted: str, key: str, where: dict[str, Any],
                want_list: bool = False) -> Any:
    current: Any = model
    for part in dotted.split("."):
        fields = getattr(current, "model_fields", None)
        if not fields or part not in fields:
            known = ", ".join(sorted(fields)) if fields else "none (not a structure)"
            raise XMLMappingFileError(f"{dotted!r} is not a field of {model.__name__}",
                                      key_path=key, expected=f"one of {known}", **where)
        current = _unwrap(fields[part].annotation, want_list and part == dotted.split(".")[-1])
    return current


def _unwrap(annotation: Any, want_list: bool) -> Any:
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    origin = typing.get_origin(annotation)
    if origin is list:
        return _unwrap(args[0], False)
    if args and origin is not Literal and origin is not dict:
        return _unwrap(args[0], want_list)
    return annotation
