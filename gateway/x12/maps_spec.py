"""Load the compact structure spec (mappings/x12/spec/*.py) and parse its loop trees.

The spec is data kept as Python literals next to the generated maps; this module is the only
place that reads it, so the generator (maps_build) and the drift test see the same thing.
"""
from __future__ import annotations

import importlib.util
import re
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

MAPS_DIR = Path(__file__).resolve().parents[2] / "mappings" / "x12"
SPEC_DIR = MAPS_DIR / "spec"
UNBOUNDED = ">1"


def load_spec_module(name: str, spec_dir: Path = SPEC_DIR) -> ModuleType:
    """Import mappings/x12/spec/<name>.py by path (mappings/ is data, not a package)."""
    path = spec_dir / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"ordergate_x12_spec_{name}", path)
    if spec is None or spec.loader is None:
        raise FileNotFoundError(f"structure spec {path} is missing")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@dataclass
class SegmentRef:
    """A segment's place in a tree: id, usage (M/O) and max use (`>1` for unbounded)."""

    id: str
    usage: str
    max_use: str


@dataclass
class LoopSpec:
    """A loop of the tree; `children` holds SegmentRef and LoopSpec in standard order."""

    id: str
    usage: str
    repeat: str
    children: list["SegmentRef | LoopSpec"] = field(default_factory=list)


_LOOP = re.compile(r"^LOOP (\w+) ([MO])/(>1|\d+):$")
_SEG = re.compile(r"^(\w+) ([MO])/(>1|\d+)$")


def parse_tree(set_id: str, text: str) -> LoopSpec:
    """Parse the indented tree notation of spec/sets.py into a LoopSpec rooted at ST."""
    root = LoopSpec("ST", "M", "1")
    stack: list[tuple[int, LoopSpec]] = [(-1, root)]
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        indent = len(line) - len(line.lstrip(" "))
        body = line.strip()
        while indent <= stack[-1][0]:
            stack.pop()
        parent = stack[-1][1]
        loop = _LOOP.match(body)
        if loop:
            node = LoopSpec(loop.group(1), loop.group(2), loop.group(3))
            parent.children.append(node)
            stack.append((indent, node))
            continue
        for item in body.split(","):
            seg = _SEG.match(item.strip())
            if not seg:
                raise ValueError(f"spec/sets.py {set_id} line {number}: cannot read {item.strip()!r}"
                                 " (expected 'SEG M/1' or 'LOOP ID O/25:')")
            parent.children.append(SegmentRef(seg.group(1), seg.group(2), seg.group(3)))
    return root
