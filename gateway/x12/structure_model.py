"""The structure of one transaction set as our checker sees it, read from a pyx12 map file.

Plain frozen data: loops, segments, elements (type and lengths resolved from the map folder's
dataele.xml, code lists from codes.xml or inline). The same map files drive pyx12, so what we check
and what the oracle checks cannot disagree about the rules, only about how fast they are applied.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from importlib.resources import files as resource_files
from pathlib import Path

from gateway.x12.maps import read_xml
from gateway.x12.maps_spec import MAPS_DIR


@dataclass(frozen=True)
class ElementDef:
    """One simple element (or one component of a composite)."""

    xid: str              # e.g. "PO103" or "REF04-01"
    seq: int
    ref: str              # data element number as X12 knows it (AK402), e.g. "355"
    name: str
    mandatory: bool
    data_type: str        # ID AN N0..N9 R DT TM B
    min_len: int
    max_len: int
    codes: frozenset[str] | None = None


@dataclass(frozen=True)
class CompositeDef:
    xid: str
    seq: int
    ref: str
    name: str
    mandatory: bool
    components: tuple[ElementDef, ...]


@dataclass(frozen=True)
class SyntaxRule:
    """An X12 syntax note: kind P/R/E/C/L over 1-based element positions."""

    kind: str
    positions: tuple[int, ...]

    @property
    def text(self) -> str:
        return self.kind + "".join(f"{p:02d}" for p in self.positions)


@dataclass(frozen=True)
class SegmentDef:
    id: str
    name: str
    mandatory: bool
    max_use: int | None                 # None = unbounded
    elements: tuple[ElementDef | CompositeDef, ...]
    syntax: tuple[SyntaxRule, ...] = ()


@dataclass(frozen=True)
class LoopDef:
    id: str
    name: str
    mandatory: bool
    repeat: int | None                  # None = unbounded
    children: tuple["SegmentDef | LoopDef", ...] = field(default=())

    @property
    def trigger(self) -> SegmentDef:
        first = self.children[0]
        return first if isinstance(first, SegmentDef) else first.trigger

    def segment_ids(self) -> set[str]:
        out: set[str] = set()
        for child in self.children:
            out |= {child.id} if isinstance(child, SegmentDef) else child.segment_ids()
        return out


@dataclass(frozen=True)
class SetStructure:
    """A transaction set: its ST_LOOP as the root loop, plus where it came from."""

    set_id: str
    release: str           # "4010" | "5010"
    root: LoopDef
    source: Path


def _count(text: str | None) -> int | None:
    text = (text or "").strip()
    return None if text in ("", ">1") else int(text)


def dictionary_path(folder: Path, name: str) -> Path:
    """The data element dictionary or code list file a map folder uses (ours, else pyx12's)."""
    ours = folder / name
    return ours if ours.is_file() else Path(str(resource_files("pyx12").joinpath("map", name)))


@lru_cache(maxsize=8)
def _data_elements(path: Path) -> dict[str, tuple[str, int, int]]:
    return {node.get("ele_num"): (node.get("data_type"), int(node.get("min_len")),
                                  int(node.get("max_len")))
            for node in read_xml(path).iter("data_ele")}


@lru_cache(maxsize=8)
def _code_sets(path: Path) -> dict[str, frozenset[str]]:
    return {node.findtext("id"): frozenset(c.text or "" for c in node.iterfind("version/code"))
            for node in read_xml(path).iter("codeset")}


# pyx12's own 997/999 maps restrict these to HIPAA functional groups and sets (S2 in
# ../shared/corpus/STRUCTURES.md); acknowledgements of PO/PR/SH/IN groups must pass, so our checker
# drops those two lists when it reads pyx12's maps (the one documented difference from pyx12).
RELAXED_CODE_LISTS = frozenset({"AK101", "AK201"})


class _Reader:
    def __init__(self, folder: Path):
        self.relaxed = RELAXED_CODE_LISTS if folder != MAPS_DIR else frozenset()
        self.dataele = _data_elements(dictionary_path(folder, "dataele.xml"))
        self.codesets = _code_sets(dictionary_path(folder, "codes.xml"))

    def element(self, node) -> ElementDef:
        fields = _fields(node)
        key = (node.get("data_ele") or fields.get("data_ele") or "").strip()
        data_type, low, high = self.dataele.get(key, ("AN", 1, 264))
        codes: frozenset[str] | None = None
        valid = fields.get("valid_codes")
        if valid is not None:
            external = valid.get("external")
            inline = frozenset(c.text or "" for c in valid.iterchildren("code"))
            codes = inline | (self.codesets.get(external, frozenset()) if external else frozenset())
            if (node.get("xid") or "") in self.relaxed:
                codes = None
        return ElementDef(xid=node.get("xid") or "", seq=int(fields["seq"]),
                          ref=key.split(".")[0], name=(fields.get("name") or "").strip(),
                          mandatory=(fields.get("usage") or "").strip() == "R",
                          data_type=data_type, min_len=low, max_len=high, codes=codes)

    def segment(self, node) -> SegmentDef:
        elements: list[ElementDef | CompositeDef] = []
        syntax = []
        fields: dict[str, str] = {}
        for child in node:
            tag = child.tag
            if tag == "element":
                elements.append(self.element(child))
            elif tag == "composite":
                comps = tuple(self.element(c) for c in child.iterchildren("element"))
                own = _fields(child)
                seq = int(own["seq"])
                elements.append(CompositeDef(
                    xid=f"{node.get('xid')}{seq:02d}", seq=seq,
                    ref=(own.get("data_ele") or "").strip(),
                    name=(own.get("name") or "").strip(),
                    mandatory=(own.get("usage") or "").strip() == "R", components=comps))
            elif tag == "syntax":
                text = (child.text or "").strip()
                if text and text[0] in "PRECL":
                    syntax.append(SyntaxRule(text[0], tuple(int(text[i:i + 2])
                                                             for i in range(1, len(text), 2))))
            elif isinstance(tag, str) and tag not in fields:
                fields[tag] = child.text
        elements.sort(key=lambda e: e.seq)
        return SegmentDef(id=node.get("xid"), name=(fields.get("name") or "").strip(),
                          mandatory=(fields.get("usage") or "").strip() == "R",
                          max_use=_count(fields.get("max_use")), elements=tuple(elements),
                          syntax=tuple(syntax))

    def loop(self, node) -> LoopDef | None:
        """A loop; wrapper loops (HEADER/DETAIL/FOOTER in pyx12's maps) are flattened away."""
        children: list[SegmentDef | LoopDef] = []
        fields: dict[str, str] = {}
        for child in node:
            tag = child.tag
            if tag == "segment":
                children.append(self.segment(child))
            elif tag == "loop":
                if child.get("type") == "wrapper":
                    inner = self.loop(child)
                    if inner is not None:
                        children.extend(inner.children)
                else:
                    sub = self.loop(child)
                    if sub is not None:
                        children.append(sub)
            elif isinstance(tag, str) and tag not in fields:
                fields[tag] = child.text
        if not children:
            return None
        return LoopDef(id=node.get("xid"), name=(fields.get("name") or "").strip(),
                       mandatory=(fields.get("usage") or "").strip() == "R",
                       repeat=_count(fields.get("repeat")), children=tuple(children))


def _fields(node) -> dict:
    """The first child of each tag: its text, or the node itself for `valid_codes` (one pass over
    the children instead of a search per field: reading a map was ~70 ms, mostly lookups)."""
    out: dict = {}
    for child in node:
        tag = child.tag
        if isinstance(tag, str) and tag not in out:
            out[tag] = child if tag == "valid_codes" else child.text
    return out


def load_structure(path: Path, set_id: str, release: str) -> SetStructure:
    """Read ST_LOOP of a pyx12 map file into a SetStructure."""
    root = read_xml(path)
    st_loop = next(node for node in root.iter("loop") if node.get("xid") == "ST_LOOP")
    loop = _Reader(path.parent).loop(st_loop)
    assert loop is not None
    loop = LoopDef(id="ST", name="Transaction Set", mandatory=True, repeat=1,
                   children=loop.children)
    return SetStructure(set_id=set_id, release=release, root=loop, source=path)
