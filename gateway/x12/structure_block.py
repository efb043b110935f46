"""The fast path over one ST..SE block: a grammar pattern and an element pattern, both compiled
lazily for the segment IDs actually seen.

Two passes: the loop grammar over segment IDs (elements skipped), and the elements of every
segment against its ID's one definition. Both match exactly when the one-pattern form
(`structure_regex.compile_set`) matches, for IDs with a single definition in the set (others stay
whole in the grammar and are only skipped by the element pattern).

Why lazy: an 850 map defines ~60 segments in ~200 places, a partner sends ~15. Compiling them
all cost ~0.2 s per (set, delimiters) in a fresh process, which a 1 MB file cannot earn back. The
patterns start with the IDs of the first block seen; when a later block stops the element match
at a defined ID not compiled in yet, the IDs of that block are added and both patterns recompiled
(a handful of times per process at most), and the match resumes where it stopped. The grammar
holds the same IDs: on a block made of those IDs only, every left-out alternative would have
failed at its first bytes, so the smaller grammar gives the same verdict.
"""
from __future__ import annotations

import re
import threading

from gateway.x12.model import Delimiters
from gateway.x12.structure_model import LoopDef, SegmentDef
from gateway.x12.structure_regex import _Compiler


def _segment_defs(loop: LoopDef, out: dict[str, list[SegmentDef]]) -> dict[str, list[SegmentDef]]:
    for child in loop.children:
        if isinstance(child, SegmentDef):
            out.setdefault(child.id, []).append(child)
        else:
            _segment_defs(child, out)
    return out


def _weights(loop: LoopDef, outer: float, out: dict[str, float]) -> dict[str, float]:
    """How often each segment ID may occur in a set (repeats multiplied along its loops): the
    element pattern tries the IDs that can repeat most first (line items, not headers)."""
    for child in loop.children:
        if isinstance(child, SegmentDef):
            most = outer * (child.max_use or 1e6)
            out[child.id] = max(out.get(child.id, 0.0), most)
        else:
            _weights(child, outer * (child.repeat or 1e6), out)
    return out


class BlockPattern:
    """`fullmatch(raw)` is truthy exactly when both passes accept the block (thread-safe)."""

    def __init__(self, root: LoopDef, delimiters: Delimiters, release: str):
        compiler = _Compiler(delimiters, release)
        self._compiler = compiler
        self._single: dict[str, SegmentDef] = {}
        whole: list[str] = []
        for seg_id, defs in _segment_defs(root, {}).items():
            if len({(d.elements, d.syntax) for d in defs}) == 1:
                self._single[seg_id] = defs[0]
            else:
                whole.append(seg_id)
        compiler.split = set(self._single)
        self._root = root
        weights = _weights(root, 1.0, {})
        self._order = {seg_id: (-weights[seg_id], seg_id) for seg_id in weights}
        # IDs left whole in the grammar are skipped here
        self._bodies: dict[str, bytes] = {seg_id: compiler.skip(seg_id) for seg_id in whole}
        self._lock = threading.Lock()
        self._element = delimiters.element
        self._term = delimiters.segment
        self._ids = re.compile(b"(?:^|" + compiler.term + b")" + compiler.gap + b"([^"
                               + re.escape(delimiters.element) + b"]{1,3})"
                               + re.escape(delimiters.element))
        self._compile()

    @property
    def pattern(self) -> bytes:
        return self.grammar.pattern

    @property
    def compiled_ids(self) -> frozenset[str]:
        """The segment IDs whose element bodies are in the element pattern now."""
        return frozenset(self._bodies)

    def _compile(self) -> None:
        """Both patterns for the IDs compiled in now (and IDs kept whole, always)."""
        grammar = self._compiler.gap + self._compiler.loop_body(self._root,
                                                               frozenset(self._bodies))
        self._state = (re.compile(grammar, re.DOTALL), self._compile_elements())

    @property
    def grammar(self) -> re.Pattern[bytes]:
        return self._state[0]

    @property
    def elements(self) -> re.Pattern[bytes]:
        return self._state[1]

    def _compile_elements(self) -> re.Pattern[bytes]:
        """Grouped by first letter: the engine tests one letter per group, not every ID."""
        groups: dict[str, list[bytes]] = {}
        for seg_id in sorted(self._bodies, key=self._order.__getitem__):
            groups.setdefault(seg_id[0], []).append(self._bodies[seg_id][1:])
        branches = [re.escape(first.encode()) + b"(?:" + b"|".join(rest) + b")"
                    for first, rest in groups.items()]
        body = b"(?:" + b"|".join(branches) + b")*+" if branches else b""
        return re.compile(self._compiler.gap + body, re.DOTALL)

    def _add_ids_of(self, raw: bytes) -> bool:
        """Compile in the bodies of every defined ID in `raw` not yet there; False if none."""
        with self._lock:
            new = {seg_id for seg_id in (m.decode("latin-1") for m in self._ids.findall(raw))
                   if seg_id in self._single and seg_id not in self._bodies}
            if not new:
                return False
            for seg_id in new:
                self._bodies[seg_id] = self._compiler.segment(self._single[seg_id])
            self._compile()
            return True

    def fullmatch(self, raw: bytes) -> re.Match[bytes] | None:
        """The grammar's match when the elements pass accepts the block too, else None. The
        grammar holds the IDs the element pattern holds: once the elements pass has read every
        segment, every ID of the block is in both."""
        pos, size = 0, len(raw)
        grammar, elements = self._state
        while True:
            end = elements.match(raw, pos).end()   # always matches (possibly nothing)
            if end == size:
                break
            if not self._add_ids_of(raw):
                return None
            grammar, elements = self._state
            pos = end
        return grammar.fullmatch(raw)


def compile_block(root: LoopDef, delimiters: Delimiters, release: str) -> BlockPattern:
    """The fast-path check of a set as a grammar pattern and a (lazy) element pattern."""
    return BlockPattern(root, delimiters, release)
