"""Structure and code checks of one transaction set: `get_checker(set_id, version).check(tx)`.

Each checker is compiled from the same pyx12 map files that pyx12 itself validates with
(mappings/x12/, plus pyx12's own 997/999 maps). Two paths:

- fast: one precompiled regular expression per (set, release, delimiters) matches the whole
  ST..SE block: the loop grammar and every segment's elements (types, code lists, syntax notes)
  together (structure_block.BlockPattern; it holds only the segment IDs seen so far, so
  compiling is cheap enough to do on the first set, and compiled patterns are kept on disk).
  A match means no finding.
- slow: a segment-by-segment walk (structure_walk) that names each error with its AK304/IK304 and
  AK403/IK403 codes and positions. It runs only when the fast path does not match.

Positions count ST as 1. The envelope (ST/SE counts, control numbers) is the engine's job.
"""
from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterator

from gateway.x12.errors import X12Error
from gateway.x12.maps import map_file, release_of
from gateway.x12.model import Delimiters, Segment, TransactionSet
from gateway.x12.structure_model import LoopDef, SetStructure, dictionary_path, load_structure
from gateway.x12.structure_hl import hl_problems
from gateway.x12.structure_block import BlockPattern
from gateway.x12.structure_regex import SegmentPatterns
from gateway.x12.structure_walk import Walker, walk_errors

SUPPORTED = ("850", "855", "856", "810", "997", "999")


@dataclass(frozen=True)
class Annotated:
    """One segment as `x12 show` prints it: loops around it (outermost first) and names."""

    segment: Segment
    loop_path: tuple[str, ...]
    loop_names: tuple[str, ...]
    segment_name: str

    @property
    def depth(self) -> int:
        return len(self.loop_path)

    @property
    def loop_id(self) -> str | None:
        return self.loop_path[-1] if self.loop_path else None

    @property
    def loop_name(self) -> str | None:
        return self.loop_names[-1] if self.loop_names else None


class Checker:
    """The compiled checker of one set and release (thread-safe; patterns cached per delimiters)."""

    def __init__(self, structure: SetStructure | None = None, *, set_id: str = "",
                 release: str = "", path: Path | None = None):
        """From a loaded structure, or lazily from a map file (`set_id`, `release`, `path`): then
        the structure is read only when the slow path, `annotate` or a pattern compile needs it,
        and compiled patterns may come from the on-disk cache (pattern_cache)."""
        self._structure = structure
        self._path = path
        self.set_id = structure.set_id if structure is not None else set_id
        self.release = structure.release if structure is not None else release
        self._patterns: dict[Delimiters, BlockPattern] = {}
        self._lock = threading.Lock()
        self._load_lock = threading.Lock()
        self._hl_patterns: dict[Delimiters, re.Pattern[bytes]] = {}
        self._per_segment: dict[Delimiters, SegmentPatterns] = {}

    @property
    def structure(self) -> SetStructure:
        if self._structure is None:
            with self._load_lock:
                if self._structure is None:
                    assert self._path is not None
                    self._structure = load_structure(self._path, self.set_id, self.release)
        return self._structure

    def _root(self) -> LoopDef:
        return self.structure.root

    def _cache_files(self) -> tuple[Path, ...] | None:
        """The inputs of this checker's patterns, when it reads its own map file."""
        if self._path is None:
            return None
        folder = self._path.parent
        return (self._path, dictionary_path(folder, "dataele.xml"),
                dictionary_path(folder, "codes.xml"))

    def pattern(self, delimiters: Delimiters) -> BlockPattern:
        """The fast-path patterns for these delimiters (compiled on first use)."""
        found = self._patterns.get(delimiters)
        if found is None:
            with self._lock:
                found = self._patterns.get(delimiters)
                if found is None:
                    found = BlockPattern(self._root, delimiters, self.release,
                                         cache_files=self._cache_files(), set_id=self.set_id)
                    self._patterns[delimiters] = found
        return found

    def fast_accepts(self, tx: TransactionSet) -> bool:
        """The fast path alone (compiling its pattern now if needed): True means no finding."""
        return self._fast_ok(tx)

    def _fast_ok(self, tx: TransactionSet) -> bool:
        d = tx.delimiters
        pattern = self._patterns.get(d) or self.pattern(d)
        # an empty segment ("PO1~") never matches, nor one ending with an element separator
        # ("N3*A*~", a warning): both go to the slow walk
        if pattern.fullmatch(tx.raw) is None:
            return False
        return self._hl_ok(pattern, tx.raw, d)

    def _hl_ok(self, pattern: BlockPattern, raw: bytes | bytearray, d: Delimiters) -> bool:
        """The HL numbering rule (structure_hl), which no pattern can express."""
        if "HL" not in pattern.compiled_ids:    # in the pattern as soon as a block holds one
            return True
        sep = d.element.decode("latin-1")
        levels = []
        for match in self._hl_pattern(d).finditer(raw):
            parts = match.group(1).decode("latin-1").split(sep)
            levels.append((parts[0], parts[1] if len(parts) > 1 else ""))
        return not hl_problems(levels)

    def block_matcher(self, delimiters: Delimiters) -> Callable[[bytearray, int], int]:
        """For the reader (read_events): from the ST at `pos` of its buffer, the end of the
        block when the fast path accepts it whole, else -1. One pass then both finds the SE
        and checks the set."""
        pattern = self.pattern(delimiters)
        match_block = pattern.match_block

        def match(data: bytearray, pos: int) -> int:
            end = match_block(data, pos)
            # the block is copied for the HL rule only when HL is in the pattern (_hl_ok's own
            # shortcut), not for every set
            if end < 0 or ("HL" in pattern.compiled_ids
                           and not self._hl_ok(pattern, bytes(data[pos:end]), delimiters)):
                return -1
            return end
        return match

    def _hl_pattern(self, d: Delimiters) -> re.Pattern[bytes]:
        found = self._hl_patterns.get(d)
        if found is None:
            term = re.escape(d.segment)
            found = re.compile(b"(?:^|" + term + rb")\s*HL" + re.escape(d.element) + b"((?:(?!"
                               + term + b").)*)", re.DOTALL)
            self._hl_patterns[d] = found
        return found

    def check(self, tx: TransactionSet) -> list[X12Error]:
        """Every structure and code finding of the set (empty when it is clean)."""
        if self._fast_ok(tx):
            return []
        return walk_errors(self.structure, tx.segments, self._segment_patterns(tx.delimiters).clean)

    def _segment_patterns(self, d: Delimiters) -> SegmentPatterns:
        found = self._per_segment.get(d)
        if found is None:
            found = self._per_segment[d] = SegmentPatterns(d, self.release)
        return found

    def annotate(self, tx: TransactionSet) -> list[Annotated]:
        """Each segment with its loops and names (unplaced segments get the enclosing loops)."""
        out: list[Annotated] = []
        for placed in Walker(self.structure).walk(tx.segments):
            loops = placed.loops
            out.append(Annotated(
                segment=placed.segment, loop_path=tuple(loop.id for loop in loops),
                loop_names=tuple(loop.name for loop in loops),
                segment_name=placed.definition.name if placed.definition else "(unknown segment)"))
        return out

    def iter_annotated(self, tx: TransactionSet) -> Iterator[tuple[int, str | None, str | None,
                                                                  Segment, str]]:
        """(depth, loop id, loop name, segment, segment name) per segment."""
        for item in self.annotate(tx):
            yield item.depth, item.loop_id, item.loop_name, item.segment, item.segment_name


@lru_cache(maxsize=None)
def _checker(set_id: str, release: str) -> Checker | None:
    version = {"4010": "004010", "5010": "005010"}[release]
    # a 997 may acknowledge a 005010 group too; its structure is the 004010 one (pyx12 ships no
    # 997 map for 005010)
    path = map_file(set_id, "004010" if set_id == "997" else version)
    if path is None:
        return None
    return Checker(set_id=set_id, release=release, path=path)


def get_checker(set_id: str, version: str) -> Checker | None:
    """The checker for a set ID and GS08 (004010* -> 4010 maps, 005010* -> 5010), or None."""
    release = release_of(version or "")
    if set_id not in SUPPORTED or release is None:
        return None
    if (set_id, release) == ("999", "4010"):
        return None
    return _checker(set_id, release)


def loops_of(structure: SetStructure) -> Iterator[LoopDef]:
    """Every loop of a structure, depth first (for documentation and tests)."""
    stack = [structure.root]
    while stack:
        loop = stack.pop()
        yield loop
        stack.extend(c for c in reversed(loop.children) if isinstance(c, LoopDef))
