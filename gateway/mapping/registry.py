"""Finding, merging and validating mapping files.

Names are ``<doc>/<name>`` (``850/demo-retailer-in``). A file is looked up in HOME/mappings first
(partner overrides an admin writes) and then in the repository's mappings/ (shipped defaults).
An override ``extends`` its parent and changes a few things: ``set`` replaces one element spec
(``PO1/PO1.PO104``) or id-pair table (``PO1/PO1.ids``), ``remove`` drops nodes, ``codes`` and
``extract`` are merged key by key, ``require`` is added to.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from gateway.mapping.compiled import Mapping
from gateway.mapping.errors import MappingFileError
from gateway.mapping.fields import validate_path
from gateway.mapping.path import X12Path
from gateway.mapping.spec import HLNode, MappingFile, SegmentNode
from gateway.partners.loader import read_yaml, validation_errors

REPO_MAPPINGS = Path(__file__).resolve().parents[2] / "mappings"
MAX_DEPTH = 8


def search_dirs(home: Path | str | None) -> list[Path]:
    dirs = []
    if home is not None:
        dirs.append(Path(home) / "mappings")
    dirs.append(REPO_MAPPINGS)
    return dirs


def find_file(name: str, home: Path | str | None) -> Path | None:
    for directory in search_dirs(home):
        candidate = directory / f"{name}.yaml"
        if candidate.is_file():
            return candidate
    return None


def default_names(doc: str, direction: str, version: str) -> list[str]:
    """Most specific first: per direction and version, per direction, per version, per type."""
    return [f"{doc}/default-{direction}-{version}", f"{doc}/default-{direction}",
            f"{doc}/default-{version}", f"{doc}/default"]


def resolve_name(doc: str, direction: str, version: str, name: str | None,
                 home: Path | str | None) -> str:
    if name:
        return name
    key = (doc, direction, version, str(home) if home is not None else None)
    cached = _NAMES.get(key)
    now = time.monotonic()
    if cached is not None and now - cached[1] < RECHECK_SECONDS:
        return cached[0]
    for candidate in default_names(doc, direction, version):
        if find_file(candidate, home):
            _NAMES[key] = (candidate, now)
            return candidate
    raise MappingFileError(f"no mapping for {doc} {direction} {version}",
                           file=str(REPO_MAPPINGS / doc),
                           expected=f"one of {default_names(doc, direction, version)}")


_NAMES: dict[tuple[str, str, str, str | None], tuple[str, float]] = {}
"""Default mapping names found per (doc, direction, version, home), with when they were found:
looked up again after RECHECK_SECONDS, like the mappings themselves (an override added to HOME
applies within a second)."""


def read_file(file: Path) -> MappingFile:
    data = read_yaml(file)
    if not isinstance(data, dict):
        raise MappingFileError("expected a mapping of keys at the top level", file=file)
    try:
        return MappingFile.model_validate(data)
    except ValidationError as exc:
        errors = validation_errors(file, exc).errors
        first = errors[0]
        raise MappingFileError("; ".join(e.message for e in errors), file=file,
                               key_path=first.key_path, expected=first.expected) from None


def load_mapping(name: str, home: Path | str | None = None) -> Mapping:
    """Load ``name`` with its whole ``extends`` chain, merged and checked."""
    return _load(name, str(home) if home is not None else None)


_CACHE: dict[tuple[str, str | None], tuple[tuple, Mapping, float]] = {}
RECHECK_SECONDS = 1.0
"""How often a cached mapping's files are stat'ed for changes (edits apply within a second)."""


def _stamp(names: tuple[str, ...], home: str | None) -> tuple | None:
    """Where each file of a chain resolves now and its mtime: a few stat calls, no parsing."""
    stamp = []
    for name in names:
        file = find_file(name, home)
        if file is None:
            return None
        stamp.append((str(file), file.stat().st_mtime_ns))
    return tuple(stamp)


def _load(name: str, home: str | None) -> Mapping:
    """Cached per (name, home); reloaded when a file of its chain changes or is shadowed."""
    key = (name, home)
    cached = _CACHE.get(key)
    now = time.monotonic()
    if cached is not None:
        stamp, mapping, checked = cached
        if now - checked < RECHECK_SECONDS:
            return mapping
        if _stamp(mapping.chain_names, home) == stamp:
            _CACHE[key] = (stamp, mapping, now)
            return mapping
    mapping = _build(name, home)
    stamp = _stamp(mapping.chain_names, home)
    if stamp is not None:
        _CACHE[key] = (stamp, mapping, now)
    return mapping


def _chain(name: str, home: str | None) -> list[tuple[Path, MappingFile]]:
    chain: list[tuple[Path, MappingFile]] = []
    current: str | None = name
    while current is not None:
        file = find_file(current, home)
        if file is None:
            where = chain[-1][0] if chain else None
            raise MappingFileError(
                f"mapping {current!r} not found", file=where,
                key_path="extends" if chain else None,
                expected=f"a file {current}.yaml under {[str(d) for d in search_dirs(home)]}")
        if len(chain) >= MAX_DEPTH or any(f == file for f, _ in chain):
            raise MappingFileError("extends forms a cycle or is too deep", file=file,
                                   key_path="extends")
        spec = read_file(file)
        chain.append((file, spec))
        current = spec.extends
    chain.reverse()
    return chain


def _build(name: str, home: str | None) -> Mapping:
    chain = _chain(name, home)
    base_file, base = chain[0]
    body = [n.model_dump(exclude_defaults=True) for n in base.body or []]
    codes = {k: dict(v) for k, v in base.codes.items()}
    require = list(base.require)
    extract = dict(base.extract)
    fallback = dict(base.fallback)
    functional_id = base.functional_id
    implementation = base.implementation_reference
    document = base.document
    for file, spec in chain[1:]:
        if spec.document != document:
            raise MappingFileError(f"extends a {document} mapping but says {spec.document}",
                                   file=file, key_path="document", expected=document)
        if spec.body is not None:
            body = [n.model_dump(exclude_defaults=True) for n in spec.body]
        for table, entries in spec.codes.items():
            # the override's codes come first: outbound writes the first code for a value
            old = codes.get(table, {})
            codes[table] = {**entries, **{k: v for k, v in old.items() if k not in entries}}
        require.extend(spec.require)
        extract.update(spec.extract)
        fallback.update(spec.fallback)
        functional_id = spec.functional_id or functional_id
        implementation = spec.implementation_reference or implementation
        for target in spec.remove:
            _remove(body, target, file)
        for target, value in spec.set.items():
            _set(body, target, value, file)
    try:
        merged = MappingFile.model_validate({"document": document, "body": body})
    except ValidationError as exc:
        raise validation_errors(chain[-1][0], exc) from None
    mapping = Mapping(
        name=name, document=document, body=tuple(merged.body or ()), codes=codes,
        require=tuple(_xpath(p, chain[-1][0], "require") for p in require),
        extract=tuple((k, _xpath(v, chain[-1][0], f"extract.{k}")) for k, v in extract.items()),
        fallback=tuple((k, _xpath(v, chain[-1][0], f"fallback.{k}"))
                       for k, v in fallback.items()),
        functional_id=functional_id, implementation_reference=implementation,
        files=tuple(str(f) for f, _ in chain),
        chain_names=tuple(_names(name, chain)))
    _check_references(mapping, chain[-1][0])
    return mapping


def _names(name: str, chain: list[tuple[Path, MappingFile]]) -> list[str]:
    """The mapping names of a chain, parent first (what ``extends`` pointed at)."""
    names = [name]
    for _, spec in reversed(chain):
        if spec.extends:
            names.append(spec.extends)
    return list(reversed(names))


def _xpath(text: str, file: Path, key: str) -> X12Path:
    try:
        return X12Path.parse(text)
    except ValueError as exc:
        raise MappingFileError(str(exc), file=file, key_path=key,
                               expected="a path like N1[ST].N104") from None


def _key(node: dict) -> str:
    if "name" in node:
        return node["name"]
    if "segment" in node:
        return node["segment"]
    if "loop" in node:
        return node["loop"]
    return f"HL[{node['hl']}]"


def _find_node(body: list[dict], path: str, file: Path, key_path: str) -> tuple[list, int]:
    """(the list holding the node, its index) for a path like ``PO1/PID`` or ``HL[S]/HL[O]``."""
    levels = [body]
    pieces = path.split("/")
    for n, piece in enumerate(pieces):
        found = next(((level, k) for level in levels for k, node in enumerate(level)
                      if _key(node) == piece), None)
        if found is None:
            keys = [_key(x) for level in levels for x in level]
            raise MappingFileError(f"no node {piece!r} in the parent mapping", file=file,
                                   key_path=key_path, expected=f"one of {keys}")
        level, index = found
        if n == len(pieces) - 1:
            return level, index
        node = level[index]
        levels = [node.get("body", []), node.get("children", [])]
    raise AssertionError("unreachable")


def _remove(body: list[dict], target: str, file: Path) -> None:
    level, index = _find_node(body, target, file, f"remove.{target}")
    del level[index]


def _set(body: list[dict], target: str, value: Any, file: Path) -> None:
    node_path, _, element = target.rpartition(".")
    if not node_path:
        raise MappingFileError("expected NODE.ELEMENT", file=file, key_path=f"set.{target}",
                               expected="a key like PO1/PO1.PO107 or BEG.BEG05")
    level, index = _find_node(body, node_path, file, f"set.{target}")
    node = level[index]
    if "segment" not in node:
        raise MappingFileError("only segment elements can be set", file=file,
                               key_path=f"set.{target}", expected="a segment node path")
    dumped = value.model_dump(exclude_defaults=True) if hasattr(value, "model_dump") else value
    if element == "ids":
        node["ids"] = dumped
        return
    elements = node.setdefault("elements", {})
    if dumped is None:
        elements.pop(element, None)
    else:
        elements[element] = dumped


def _check_references(mapping: Mapping, file: Path) -> None:
    """Every code table named exists; every field path parses."""
    def walk(nodes: Any, where: str) -> None:
        for node in nodes:
            here = f"{where}/{node.key}" if where else node.key
            if isinstance(node, SegmentNode):
                for ref, spec in node.elements.items():
                    if isinstance(spec, str):
                        _field(spec, f"{here}.{ref}")
                        continue
                    if spec.codes and spec.codes not in mapping.codes:
                        raise MappingFileError(
                            f"code table {spec.codes!r} is not defined", file=file,
                            key_path=f"{here}.{ref}.codes",
                            expected=f"one of {sorted(mapping.codes)}")
                    for p in (spec.field, spec.count, spec.sum):
                        if p:
                            _field(p.lstrip("/"), f"{here}.{ref}")
                if node.ids:
                    for target in node.ids.codes.values():
                        _field(target, f"{here}.ids")
            else:
                walk(node.body, here)
                if isinstance(node, HLNode):
                    walk(node.children, here)

    def _field(path: str, key: str) -> None:
        try:
            validate_path(path)
        except ValueError as exc:
            raise MappingFileError(str(exc), file=file, key_path=key,
                                   expected="a field path like item.sku") from None

    walk(mapping.body, "")
