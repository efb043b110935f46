"""Streaming reader: bytes in, envelope events and one ST..SE block at a time out.

Memory stays flat: the source is read in 1 MiB chunks into one buffer that is compacted as the
reader moves on, and a transaction set is handed over as a `bytes` slice of its ST..SE block.
The hot path never splits a set into segments. With a block matcher (the structure checker's
compiled pattern, see `read_events`), one match from the ST both checks a clean set and finds its
SE; otherwise one compiled regular expression per delimiter set jumps from ST to the next SE (or
to whatever envelope segment ends the block early). `bytes.count` gives the segment count for
the SE01 check. Segments are parsed only on demand.

The reader never raises on bad data: unreadable bytes become a `ReadProblem` event carrying an
`X12Error`, so the envelope checker can answer every file with a verdict.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Callable, Iterator, Union

from gateway.x12.errors import Level, X12Error, X12ReadError
from gateway.x12.isa import MAX_ISA, parse_isa
from gateway.x12.model import (Delimiters, GroupHeader, InterchangeHeader, Segment,
                               TransactionSet, decode, framing_whitespace, iter_segments)

CHUNK = 1 << 20
MAX_SEGMENT = 4 << 20      # no real segment comes near this: beyond it the data is not X12
MAX_SET = 512 << 20        # one ST..SE block held in memory at most
BOM = b"\xef\xbb\xbf"
TOP_LEVEL_BLANK = b" \t\r\n\x00\x1a\x0c"   # between interchanges: whitespace, NUL, Ctrl-Z padding
ENVELOPE_IDS = (b"SE", b"ST", b"GE", b"GS", b"IEA", b"ISA")

Source = Union[bytes, bytearray, memoryview, str, os.PathLike, BinaryIO]


@dataclass(slots=True)
class InterchangeStart:
    header: InterchangeHeader


@dataclass(slots=True)
class GroupStart:
    header: GroupHeader
    segment: Segment


@dataclass(slots=True)
class TransactionBlock:
    """One ST..SE block. `trailer` is the SE segment, or None when the block ended without one
    (`ended_by` then names the segment ID that cut it short, or "" at the end of the file)."""

    tx: TransactionSet
    segment_count: int
    trailer: Segment | None
    ended_by: str = ""
    structure_ok: bool = False   # the block matcher (see read_events) found no finding in it


@dataclass(slots=True)
class EnvelopeSegment:
    """GE, IEA, TA1 or any segment found outside an ST..SE block."""

    segment: Segment


@dataclass(slots=True)
class ReadProblem:
    """Bytes that cannot be read as X12 (level 'file'); reading of the current data stops or
    resumes at the next interchange, as `error.code` says."""

    error: X12Error


Event = Union[InterchangeStart, GroupStart, TransactionBlock, EnvelopeSegment, ReadProblem]
# (buffer, position of ST) -> end of the block's SE terminator when the whole block is valid
BlockMatch = Callable[[bytearray, int], int]
# (set ID, GS08, delimiters) -> a BlockMatch for such sets, or None
BlockMatcher = Callable[[str, str, Delimiters], Union[BlockMatch, None]]


class _Buffer:
    """A sliding window over the source: `data` holds file bytes from `base` onwards."""

    def __init__(self, source: Source):
        self.file: BinaryIO | None = None
        self.owned = False
        self.data = bytearray()
        self.base = 0
        self.eof = False
        if isinstance(source, (bytes, bytearray, memoryview)):
            self.data = bytearray(source)
            self.eof = True
        elif isinstance(source, (str, os.PathLike)):
            self.file = open(Path(source), "rb")  # noqa: SIM115 - closed in close()
            self.owned = True
        elif hasattr(source, "read"):
            self.file = source
        else:
            raise TypeError(f"cannot read X12 from {type(source).__name__}")

    def fill(self) -> bool:
        """Read one more chunk; False at the end of the source."""
        if self.eof or self.file is None:
            self.eof = True
            return False
        chunk = self.file.read(CHUNK)
        if not chunk:
            self.eof = True
            return False
        self.data += chunk
        return True

    def compact(self, pos: int) -> int:
        """Drop consumed bytes once they are worth a move; returns the new local position."""
        if pos > CHUNK:
            del self.data[:pos]
            self.base += pos
            return 0
        return pos

    def close(self) -> None:
        if self.owned and self.file is not None:
            self.file.close()


class _Interchange:
    """Compiled per-delimiter patterns for one interchange."""

    def __init__(self, header: InterchangeHeader, matcher: BlockMatcher | None = None):
        d = header.delimiters
        self.header = header
        self.matcher = matcher
        self.matches: dict[tuple[str, str], BlockMatch | None] = {}
        self.delimiters = d
        self.term = d.segment
        self.blank = framing_whitespace(d)
        between = bytes(c for c in self.blank if c not in d.segment)
        blank_class = b"[" + re.escape(between) + b"]*+" if between else b""
        term = re.escape(d.segment)
        el = re.escape(d.element)
        # after a terminator: a segment that can end an ST..SE block, or a second terminator
        # (an empty segment, which must not be counted). One literal prefix (the terminator) so
        # that the regex engine scans for it at C speed.
        self.block_end = re.compile(term + blank_class + b"(?:(SE|ST|GE|GS|IEA)" + el
                                    + b"|(ISA)[^A-Za-z0-9]|(" + term + b"))")
        self.tail_blank = between
        self.st_start = b"ST" + d.element

    def match_for(self, set_id: str, version: str) -> BlockMatch | None:
        key = (set_id, version)
        if key not in self.matches:
            self.matches[key] = self.matcher(set_id, version, self.delimiters) \
                if self.matcher is not None else None
        return self.matches[key]


def _segment(buf: bytearray, start: int, end: int, state: _Interchange, base: int,
             position: int = 0) -> Segment:
    raw = bytes(buf[start:end])
    stripped = raw.lstrip(state.blank)
    lead = len(raw) - len(stripped)
    return Segment(stripped.rstrip(state.blank), state.delimiters, position, base + start + lead)


def _group_header(seg: Segment) -> GroupHeader:
    return GroupHeader(functional_id=seg[1], sender_code=seg[2].strip(),
                       receiver_code=seg[3].strip(), date=seg[4], time=seg[5],
                       control_number=seg[6], agency=seg[7], version=seg[8],
                       byte_offset=seg.byte_offset)


def _count_segments(block: bytes, state: _Interchange, has_empty: bool) -> int:
    if has_empty:   # rare: count exactly, skipping the empty segments
        return sum(1 for _ in iter_segments(block, state.delimiters))
    count = block.count(state.term)
    if not block.rstrip(state.tail_blank).endswith(state.term):
        count += 1   # the last segment of the file lacks its terminator
    return count


def _scan_block(buf: _Buffer, state: _Interchange, pos: int, end: int
                ) -> tuple[re.Match[bytes] | None, bool] | None:
    """From the ST at `pos` (its terminator at `end`), find what ends the block: the SE, or an
    envelope segment when the SE is missing (None at the end of the data). Also says whether
    the block holds an empty segment. None when the block outgrows MAX_SET."""
    data = buf.data
    has_empty = False
    start = end
    while True:
        match = state.block_end.search(data, start)
        if match is None:
            searched = len(data)
            if searched - pos > MAX_SET:
                return None
            if not buf.fill():
                return None, has_empty
            last = data.rfind(state.term, start, searched)
            start = last if last > start else start
            continue
        if match.group(3) is not None:
            has_empty = True
            start = match.end() - len(state.term)
            continue
        return match, has_empty


def _too_big(what: str, limit: int, offset: int) -> ReadProblem:
    return ReadProblem(X12Error(
        code="too_large", message=f"no end of this {what} within {limit >> 20} MiB: the data is "
        "not X12 from here (or a terminator is missing)", level=Level.FILE, byte_offset=offset))


def read_events(source: Source, matcher: BlockMatcher | None = None) -> Iterator[Event]:
    """Stream envelope events and transaction blocks from bytes, a path or a binary file.

    `matcher` (optional) lets a structure checker find a set's end itself: one pass over the
    block both checks it and finds its SE, instead of a search for the SE and then a check. When
    it answers, the block comes with `structure_ok=True`; when it cannot (a finding, a block not
    all in the buffer yet), the reader searches for the end as it would without it.
    """
    buf = _Buffer(source)
    try:
        yield from _read(buf, matcher)
    finally:
        buf.close()


def _read(buf: _Buffer, matcher: BlockMatcher | None = None) -> Iterator[Event]:
    data = buf.data
    pos = 0
    state: _Interchange | None = None
    group: GroupHeader | None = None
    while len(data) < 3 and buf.fill():
        pass
    if data.startswith(BOM):
        pos = len(BOM)
    seen_interchange = False
    while True:
        if pos > CHUNK:
            pos = buf.compact(pos)
            data = buf.data
        if state is None:
            # between interchanges: skip padding, expect ISA
            while True:
                while pos < len(data) and data[pos] in TOP_LEVEL_BLANK:
                    pos += 1
                if pos < len(data) or not buf.fill():
                    break
            if pos >= len(data):
                return
            while len(data) - pos < MAX_ISA and buf.fill():
                pass
            if data[pos:pos + 3] != b"ISA":
                code, what = ("data_outside_interchange", "data after the end of the interchange "
                              "(IEA) is not an ISA") if seen_interchange else \
                    ("not_x12", "not X12: the data does not start with an ISA segment")
                yield ReadProblem(X12Error(code=code, message=what, level=Level.FILE,
                                           byte_offset=buf.base + pos,
                                           bad_value=decode(bytes(data[pos:pos + 20]))))
                return
            try:
                header, after = parse_isa(bytes(data[pos:pos + MAX_ISA + 64]), 0,
                                          complete=buf.eof or len(data) - pos > MAX_ISA,
                                          base_offset=buf.base + pos)
            except X12ReadError as exc:
                yield ReadProblem(exc.error)
                return
            state = _Interchange(header, matcher)
            group = None
            seen_interchange = True
            yield InterchangeStart(header)
            pos += after
            continue
        # inside an interchange: one segment at a time, or one ST..SE block at a time
        while True:
            while pos < len(data) and data[pos] in state.blank:
                pos += 1
            if pos < len(data) or not buf.fill():
                break
        if pos >= len(data):
            return
        end = data.find(state.term, pos)
        while end < 0 and len(data) - pos <= MAX_SEGMENT and buf.fill():
            end = data.find(state.term, pos)
        if end < 0 and len(data) - pos > MAX_SEGMENT:
            yield _too_big("segment", MAX_SEGMENT, buf.base + pos)
            return
        if end < 0:
            end = len(data)
        if data.startswith(state.st_start, pos):   # most segments read here open a set
            seg_id = b"ST"
        else:
            head = bytes(data[pos:pos + 4])
            seg_id = head.split(state.delimiters.element, 1)[0] \
                if state.delimiters.element in head else bytes(data[pos:end]).strip(state.blank)
        if seg_id == b"ST":
            term_len = len(state.term)
            st = bytes(data[pos:end]).strip(state.blank).split(state.delimiters.element, 4)
            st += [b""] * (4 - len(st))
            set_id = decode(st[1])
            match = state.match_for(set_id, group.version if group is not None else "") \
                if state.matcher is not None else None
            checked = match(data, pos) if match is not None else -1
            if checked > 0:
                # the checker read the whole block: its SE's terminator ends at `checked`, and a
                # matched block holds no empty segment, so it has one terminator per segment
                raw = bytes(data[pos:checked])
                se_term = len(raw) - term_len
                se_raw = raw[raw.rfind(state.term, 0, se_term) + term_len:se_term]
                se_seg = se_raw.lstrip(state.blank)
                count = raw.count(state.term)
                trailer = Segment(se_seg.rstrip(state.blank), state.delimiters, count,
                                  buf.base + checked - term_len - len(se_seg))
                yield TransactionBlock(TransactionSet(
                    raw, state.delimiters, buf.base + pos, state.header, group, set_id,
                    decode(st[2]), decode(st[3])), count, trailer, "", True)
                pos = checked
                continue
            scanned = _scan_block(buf, state, pos, end)
            if scanned is None:
                yield _too_big("transaction set", MAX_SET, buf.base + pos)
                return
            found, has_empty = scanned
            if found is not None and found.group(1) == b"SE":
                se_start = found.start() + term_len
                se_end = data.find(state.term, found.end())
                while se_end < 0 and buf.fill():
                    se_end = data.find(state.term, found.end())
                if se_end < 0:
                    se_end = len(data)
                block_end = min(se_end + term_len, len(data))
                ended_by = ""
            elif found is not None:
                se_start = -1
                block_end = found.start() + term_len
                ended_by = decode(found.group(1) or found.group(2))
            else:
                se_start = -1
                block_end = len(data)
                ended_by = ""
            raw = bytes(data[pos:block_end])
            count = _count_segments(raw, state, has_empty)
            trailer = None
            if se_start >= 0:
                trailer = _segment(data, se_start, se_end, state, buf.base, count)
            tx = TransactionSet(raw=raw, delimiters=state.delimiters,
                                byte_offset=buf.base + pos, interchange=state.header,
                                group=group, set_id=set_id,
                                control_number=decode(st[2]),
                                implementation_reference=decode(st[3]))
            yield TransactionBlock(tx, count, trailer, ended_by)
            pos = block_end
            continue
        seg = _segment(data, pos, end, state, buf.base)
        pos = min(end + len(state.term), len(data))
        if seg_id == b"ISA":
            # a new interchange without the IEA of the previous one: the checker sees a second
            # InterchangeStart while one is open and reports the missing IEA
            pos = seg.byte_offset - buf.base
            state = None
            continue
        if seg_id == b"GS":
            group = _group_header(seg)
            yield GroupStart(group, seg)
            continue
        if seg_id == b"GE":
            group = None
        yield EnvelopeSegment(seg)
        if seg_id == b"IEA":
            state = None
            group = None


def iter_transactions(source: Source) -> Iterator[TransactionSet]:
    """Every transaction set in the source, one at a time (no checks: see `check`).

    Raises X12ReadError (with its `.error` record) where the bytes stop being readable X12
    (not X12, an unreadable ISA); the sets before that point have been yielded.
    """
    for event in read_events(source):
        if isinstance(event, TransactionBlock):
            yield event.tx
        elif isinstance(event, ReadProblem):
            raise X12ReadError(event.error)
