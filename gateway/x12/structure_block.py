"""The fast path over one ST..SE block: ONE regular expression (loop grammar and every segment's
elements together), compiled lazily for the segment IDs actually seen.

Why one pattern: the engine reads the block once and at each place tries only the segments the
grammar allows there, each with its own element body; two passes (grammar over IDs, then elements
by ID) read it twice and dispatched every segment by its ID: 0.136 -> 0.100 s on the 10 MB bench
file. The pattern is about twice the size, which only the first process on a machine pays for
(compiled patterns are kept on disk, pattern_cache).

Why lazy: an 850 map defines ~60 segments in ~200 places, a partner sends ~15. Compiling them
all cost ~0.8 s per (set, delimiters). The pattern starts with the IDs of the first block seen;
on a block it refuses, the block's IDs are read and, when a defined ID is not in yet, the pattern
is recompiled with it (a handful of times per process at most) and the block matched again. On a
block made only of the IDs compiled in, every left-out alternative would have failed at its first
bytes, so the smaller pattern gives the full one's verdict.
"""
from __future__ import annotations

import re
import threading
from pathlib import Path
from typing import Callable

from gateway.x12 import pattern_cache
from gateway.x12.model import Delimiters
from gateway.x12.structure_model import LoopDef
from gateway.x12.structure_regex import _Compiler


class BlockPattern:
    """`fullmatch(raw)` is a match exactly when the block has no structure or code finding
    (thread-safe).

    `root` is the set's loop tree, or a function that loads it: with `cache_files` (the map and
    its dictionaries) the compiled pattern is looked up on disk first (pattern_cache), keyed by
    the segment IDs in it, and the structure is loaded only when it must be compiled."""

    def __init__(self, root: LoopDef | Callable[[], LoopDef], delimiters: Delimiters,
                 release: str, *, cache_files: tuple[Path, ...] | None = None,
                 set_id: str = ""):
        self._root_source = root
        self._compiler = compiler = _Compiler(delimiters, release)
        self._lock = threading.Lock()
        self._term = delimiters.segment
        self._defined: frozenset[str] | None = None
        self._seen: frozenset[str] = frozenset()
        self._present: frozenset[str] = frozenset()
        self._regex: re.Pattern[bytes] | None = None
        self._ids = re.compile(b"(?:^|" + compiler.term + b")" + compiler.gap + b"([^"
                               + re.escape(delimiters.element) + b"]{1,3})"
                               + re.escape(delimiters.element))
        self._cache_base: tuple[object, ...] | None = None
        if cache_files is not None and pattern_cache.cache_dir() is not None:
            try:
                self._cache_base = (pattern_cache.inputs_fingerprint(cache_files), set_id,
                                    release, delimiters, "one pattern")
            except OSError:
                self._cache_base = None

    def _root(self) -> LoopDef:
        return self._root_source() if callable(self._root_source) else self._root_source

    @property
    def regex(self) -> re.Pattern[bytes]:
        """The compiled pattern now (for the IDs seen so far)."""
        if self._regex is None:
            self._add_ids_of(b"")
        assert self._regex is not None
        return self._regex

    grammar = regex    # the grammar is in the one pattern (name kept for callers and tests)

    @property
    def pattern(self) -> bytes:
        return self.regex.pattern

    @property
    def compiled_ids(self) -> frozenset[str]:
        """The segment IDs written into the pattern now."""
        return self._present

    def _defined_ids(self) -> frozenset[str]:
        """Every segment ID of the set: from the cache, else from the structure."""
        if self._defined is not None:
            return self._defined
        key = None
        if self._cache_base is not None:
            key = pattern_cache.key_for(*self._cache_base, "segment ids")
            hit = pattern_cache.load(key)
            if hit is not None:
                self._defined = frozenset(hit[0])
                return self._defined
        self._defined = frozenset(self._root().segment_ids())
        if key is not None:
            pattern_cache.compile_and_store(key, [], sorted(self._defined))
        return self._defined

    def _add_ids_of(self, raw: bytes) -> bool:
        """Bring every defined ID of `raw` into the pattern; False when that changes nothing."""
        with self._lock:
            seen = self._seen | {m.decode("latin-1") for m in self._ids.findall(raw)}
            if self._regex is not None and seen == self._seen:
                return False
            self._seen = seen
            present = seen & self._defined_ids()
            if self._regex is not None and present == self._present:
                return False
            key = None
            if self._cache_base is not None:
                key = pattern_cache.key_for(*self._cache_base, sorted(present))
                hit = pattern_cache.load(key)
                if hit is not None and len(hit[1]) == 1:
                    self._present, self._regex = present, hit[1][0]
                    return True
            source = self._compiler.gap + self._compiler.loop_body(self._root(), present)
            if key is not None:
                (regex,) = pattern_cache.compile_and_store(key, [source])
            else:
                regex = re.compile(source, re.DOTALL)
            self._present, self._regex = present, regex
            return True

    def match_block(self, data: bytes | bytearray, pos: int) -> int:
        """From the ST at `pos` in a larger buffer: the end of the block's SE terminator when the
        block has no finding, else -1 (also when nothing is compiled yet: `fullmatch` on the
        block then compiles, and says which IDs were missing)."""
        regex = self._regex
        if regex is None:
            return -1
        found = regex.match(data, pos)
        if found is None:
            return -1
        # the pattern ends with the framing whitespace after SE, which holds no terminator
        return data.rfind(self._term, pos, found.end()) + len(self._term)

    def fullmatch(self, raw: bytes) -> re.Match[bytes] | None:
        """The match when the block has no finding, else None."""
        regex = self._regex
        if regex is None:
            self._add_ids_of(raw)
            regex = self.regex
        found = regex.fullmatch(raw)
        if found is None and self._add_ids_of(raw):   # IDs not compiled in yet: once more
            found = self.regex.fullmatch(raw)
        return found


def compile_block(root: LoopDef, delimiters: Delimiters, release: str) -> BlockPattern:
    """The fast-path check of a set (compiled lazily, see BlockPattern)."""
    return BlockPattern(root, delimiters, release)
