"""Which elements each segment has, read from the pyx12 structure maps (mappings/x12/ for our
sets, pyx12's own maps for 997/999), so a mapping that names BEG09 or PO1 element 40 is caught
when it is checked rather than when a partner's file comes in."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from gateway.mapping.compiled import Mapping
from gateway.mapping.spec import HLNode, LoopNode, SegmentNode, parse_element_ref

REPO_X12 = Path(__file__).resolve().parents[2] / "mappings" / "x12"
PYX12_NAMES = {"997": "997.4010.xml", "999": "999.5010.xml"}


def _map_file(doc: str, version: str) -> Path | None:
    own = REPO_X12 / f"{doc}.{version}.xml"
    if own.is_file():
        return own
    if doc in PYX12_NAMES:
        try:
            import pyx12
        except ImportError:
            return None
        path = Path(pyx12.__file__).parent / "map" / PYX12_NAMES[doc]
        return path if path.is_file() else None
    return None


@lru_cache(maxsize=32)
def segment_sizes(doc: str, version: str = "4010") -> dict[str, dict[int, int]] | None:
    """segment id -> {element number: component count (0 for a simple element)}; None when no
    map exists for the set (then nothing is checked)."""
    file = _map_file(doc, version)
    if file is None:
        return None
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    root = etree.parse(str(file), parser).getroot()
    sizes: dict[str, dict[int, int]] = {}
    for seg in root.iter("segment"):
        seg_id = seg.get("xid")
        own = sizes.setdefault(seg_id, {})
        n = 0
        for child in seg:
            if child.tag not in ("element", "composite"):
                continue
            seq = child.findtext("seq")
            n = int(seq) if seq and seq.isdigit() else n + 1
            comps = len(child.findall("element")) if child.tag == "composite" else 0
            own[n] = max(own.get(n, 0), comps)
    return sizes


def check_elements(mapping: Mapping, version: str = "4010") -> list[tuple[str, str]]:
    """(key path, problem) for element references the set's structure does not have."""
    sizes = segment_sizes(mapping.document, version)
    if sizes is None:
        return []
    problems: list[tuple[str, str]] = []

    def check(seg_id: str, ref: str, where: str) -> None:
        seg, el, comp = parse_element_ref(ref)
        known = sizes.get(seg)
        if known is None:
            problems.append((where, f"segment {seg} is not part of the {mapping.document} "
                                    f"{version} structure"))
            return
        if el not in known:
            problems.append((where, f"{seg} has no element {el:02d} (it has "
                                    f"{seg}01..{seg}{max(known):02d})"))
        elif comp and comp > max(known[el], 1):
            problems.append((where, f"{seg}{el:02d} has no component {comp}"))

    def walk(nodes, where: str) -> None:  # type: ignore[no-untyped-def]
        for node in nodes:
            here = f"{where}/{node.key}" if where else node.key
            if isinstance(node, SegmentNode):
                if node.segment not in sizes:
                    problems.append((here, f"segment {node.segment} is not part of the "
                                           f"{mapping.document} {version} structure"))
                    continue
                for ref in [*node.elements, *node.match]:
                    check(node.segment, ref, f"{here}.{ref}")
                if node.ids:
                    _, start, _ = parse_element_ref(node.ids.start)
                    last = start + 2 * node.ids.pairs - 1
                    top = max(sizes[node.segment])
                    if last > top:
                        problems.append((f"{here}.ids", f"{node.ids.pairs} pairs from "
                                         f"{node.ids.start} run past {node.segment}{top:02d}"))
            elif isinstance(node, (LoopNode, HLNode)):
                walk(node.body, here)
                if isinstance(node, HLNode):
                    walk(node.children, here)

    walk(mapping.body, "")
    return problems
