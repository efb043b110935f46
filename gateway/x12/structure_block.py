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
from pathlib import Path
from typing import Callable

from gateway.x12 import pattern_cache
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
    """`fullmatch(raw)` is truthy exactly when both passes accept the block (thread-safe).

    `root` is the set's loop tree, or a function that loads it: with `cache_files` (the map and
    its dictionaries) the compiled patterns are looked up on disk first (pattern_cache), keyed by
    every segment ID seen so far, and the structure is loaded only when they must be compiled."""

    def __init__(self, root: LoopDef | Callable[[], LoopDef], delimiters: Delimiters,
                 release: str, *, cache_files: tuple[Path, ...] | None = None,
                 set_id: str = ""):
        self._root_source = root
        self._compiler = compiler = _Compiler(delimiters, release)
        self._lock = threading.Lock()
        self._prepared = False
        self._single: dict[str, SegmentDef] = {}
        self._whole: list[str] = []
        self._bodies: dict[str, bytes] = {}
        self._seen: frozenset[str] = frozenset()
        self._present: frozenset[str] = frozenset()
        self._state: tuple[re.Pattern[bytes], re.Pattern[bytes]] | None = None
        self._ids = re.compile(b"(?:^|" + compiler.term + b")" + compiler.gap + b"([^"
                               + re.escape(delimiters.element) + b"]{1,3})"
                               + re.escape(delimiters.element))
        self._cache_base: tuple[object, ...] | None = None
        if cache_files is not None and pattern_cache.cache_dir() is not None:
            try:
                self._cache_base = (pattern_cache.inputs_fingerprint(cache_files), set_id,
                                    release, delimiters)
            except OSError:
                self._cache_base = None

    def _prepare(self) -> LoopDef:
        """What compiling needs from the structure (loaded now if it was not)."""
        root = self._root_source() if callable(self._root_source) else self._root_source
        if self._prepared:
            return root
        whole = self._whole
        for seg_id, defs in _segment_defs(root, {}).items():
            if len({(d.elements, d.syntax) for d in defs}) == 1:
                self._single[seg_id] = defs[0]
            else:
                whole.append(seg_id)
        self._compiler.split = set(self._single)
        weights = _weights(root, 1.0, {})
        self._order = {seg_id: (-weights[seg_id], seg_id) for seg_id in weights}
        # IDs left whole in the grammar are skipped here
        self._bodies.update((seg_id, self._compiler.skip(seg_id, end_checked=True))
                           for seg_id in whole)
        self._prepared = True
        return root

    @property
    def pattern(self) -> bytes:
        return self.grammar.pattern

    @property
    def compiled_ids(self) -> frozenset[str]:
        """The segment IDs in the patterns now (bodies compiled in, or kept whole)."""
        return self._present

    @property
    def grammar(self) -> re.Pattern[bytes]:
        return self._current()[0]

    @property
    def elements(self) -> re.Pattern[bytes]:
        return self._current()[1]

    def _current(self) -> tuple[re.Pattern[bytes], re.Pattern[bytes]]:
        if self._state is None:
            self._add_ids_of(b"")
        assert self._state is not None
        return self._state

    def _sources(self, root: LoopDef, present: frozenset[str]) -> list[bytes]:
        """The text of both patterns for these IDs."""
        compiler = self._compiler
        for seg_id in present:
            if seg_id not in self._bodies:
                self._bodies[seg_id] = compiler.segment(self._single[seg_id])
        grammar = compiler.gap + compiler.loop_body(root, present)
        groups: dict[str, list[bytes]] = {}   # by first letter: one test per group, not per ID
        for seg_id in sorted(present, key=self._order.__getitem__):
            groups.setdefault(seg_id[0], []).append(self._bodies[seg_id][1:])
        branches = [re.escape(first.encode()) + b"(?:" + b"|".join(rest) + b")"
                    for first, rest in groups.items()]
        body = b"(?:" + b"|".join(branches) + b")*+" if branches else b""
        return [grammar, compiler.gap + body]

    def _split_ids(self) -> tuple[frozenset[str], frozenset[str]]:
        """(IDs with one definition, IDs kept whole): from the cache, else the structure."""
        if self._prepared:
            return frozenset(self._single), frozenset(self._whole)
        key = None
        if self._cache_base is not None:
            key = pattern_cache.key_for(*self._cache_base, "segment ids")
            hit = pattern_cache.load(key)
            if hit is not None:
                single, whole = hit[0]
                return frozenset(single), frozenset(whole)
        self._prepare()
        if key is not None:
            pattern_cache.compile_and_store(key, [], (sorted(self._single), sorted(self._whole)))
        return frozenset(self._single), frozenset(self._whole)

    def _add_ids_of(self, raw: bytes) -> bool:
        """Bring every defined ID of `raw` into the patterns; False when that changes nothing."""
        with self._lock:
            seen = self._seen | {m.decode("latin-1") for m in self._ids.findall(raw)}
            if self._state is not None and seen == self._seen:
                return False
            self._seen = seen
            single, whole = self._split_ids()
            present = frozenset(seen & single) | whole
            if self._state is not None and present == self._present:
                return False
            key = None
            if self._cache_base is not None:
                key = pattern_cache.key_for(*self._cache_base, sorted(present))
                hit = pattern_cache.load(key)
                if hit is not None and len(hit[1]) == 2:
                    self._present, self._state = present, (hit[1][0], hit[1][1])
                    return True
            sources = self._sources(self._prepare(), present)
            if key is not None:
                compiled = pattern_cache.compile_and_store(key, sources)
            else:
                compiled = [re.compile(source, re.DOTALL) for source in sources]
            self._present, self._state = present, (compiled[0], compiled[1])
            return True

    def fullmatch(self, raw: bytes) -> re.Match[bytes] | None:
        """The grammar's match when the elements pass accepts the block too, else None. The
        grammar holds the IDs the element pattern holds: once the elements pass has read every
        segment, every ID of the block is in both."""
        pos, size = 0, len(raw)
        state = self._state
        if state is None:
            self._add_ids_of(raw)
            state = self._current()
        grammar, elements = state
        while True:
            end = elements.match(raw, pos).end()   # always matches (possibly nothing)
            if end == size:
                break
            if not self._add_ids_of(raw):
                return None
            grammar, elements = self._current()
            pos = end
        return grammar.fullmatch(raw)


def compile_block(root: LoopDef, delimiters: Delimiters, release: str) -> BlockPattern:
    """The fast-path check of a set as a grammar pattern and a (lazy) element pattern."""
    return BlockPattern(root, delimiters, release)
