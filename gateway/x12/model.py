"""Plain value objects of the X12 engine: delimiters, segments, envelope headers, transaction sets.

A transaction set keeps the raw bytes of its ST..SE block and parses its segments only when asked:
the hot path of `check` splits bytes per block and never builds one Python object per element
unless a finding needs it. Element text is decoded as UTF-8 with `surrogateescape`, which is
reversible: the writer encodes it back to the very same bytes, and readable for UTF-8 data.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator

ENCODING = "utf-8"
ERRORS = "surrogateescape"
WHITESPACE = b" \t\r\n"


def decode(data: bytes) -> str:
    return data.decode(ENCODING, ERRORS)


def encode(text: str) -> bytes:
    return text.encode(ENCODING, ERRORS)


def display(text: str) -> str:
    """Text safe to print or put in JSON: undecodable bytes (kept as surrogates) become U+FFFD."""
    return text.encode(ENCODING, ERRORS).decode(ENCODING, "replace")


@dataclass(frozen=True, slots=True)
class Delimiters:
    """The four separators of one interchange, as bytes (the terminator may be multibyte)."""

    element: bytes = b"*"
    component: bytes = b":"
    segment: bytes = b"~"
    repetition: bytes | None = None

    def as_dict(self) -> dict[str, str | None]:
        return {"element": decode(self.element), "component": decode(self.component),
                "segment": decode(self.segment),
                "repetition": decode(self.repetition) if self.repetition else None}


class Segment:
    """One segment, parsed lazily from its raw bytes (without the terminator).

    `seg[n]` is element n (1-based, ISA-style numbering) or "" when absent; `elements[0]` is
    element 01. `position` is 1-based within its transaction set (ST = 1); envelope segments
    carry position 0. `byte_offset` counts from the start of the file.
    """

    __slots__ = ("raw", "delimiters", "position", "byte_offset", "_parts")

    def __init__(self, raw: bytes, delimiters: Delimiters, position: int = 0,
                 byte_offset: int = 0):
        self.raw = raw
        self.delimiters = delimiters
        self.position = position
        self.byte_offset = byte_offset
        self._parts: tuple[str, ...] | None = None

    @classmethod
    def build(cls, segment_id: str, elements: tuple[str, ...] | list[str],
              delimiters: Delimiters | None = None) -> "Segment":
        """A segment from text (tests and mappings); no delimiter check here, the writer does it."""
        delimiters = delimiters or Delimiters()
        raw = delimiters.element.join(encode(part) for part in (segment_id, *elements))
        return cls(raw, delimiters)

    def _split(self) -> tuple[str, ...]:
        parts = self._parts
        if parts is None:
            raw = self.raw
            if raw.isascii():
                # ASCII decodes the same as UTF-8 with surrogateescape, so one decode and a str
                # split (a separator outside ASCII cannot be in it: no split, as bytes would do)
                parts = tuple(raw.decode("ascii").split(self.delimiters.element.decode("latin-1")))
            else:
                parts = tuple(decode(part) for part in raw.split(self.delimiters.element))
            self._parts = parts
        return parts

    @property
    def id(self) -> str:
        return self._split()[0]

    @property
    def elements(self) -> tuple[str, ...]:
        return self._split()[1:]

    def __getitem__(self, n: int) -> str:
        parts = self._split()
        if n < 1:
            raise IndexError("X12 elements are numbered from 1")
        return parts[n] if n < len(parts) else ""

    def __len__(self) -> int:
        return len(self._split()) - 1

    def component(self, n: int, k: int) -> str:
        """Component k (1-based) of element n, or "" when absent."""
        value = self[n]
        if not value:
            return ""
        parts = value.split(decode(self.delimiters.component))
        return parts[k - 1] if 0 < k <= len(parts) else ""

    def repeats(self, n: int) -> list[str]:
        """The repetitions of element n (5010 repetition separator); [value] when none."""
        value = self[n]
        if not value:
            return []
        if self.delimiters.repetition:
            return value.split(decode(self.delimiters.repetition))
        return [value]

    def __repr__(self) -> str:
        return f"Segment({decode(self.raw)!r}, position={self.position})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Segment):
            return NotImplemented
        return self.id == other.id and self.elements == other.elements

    __hash__ = None  # type: ignore[assignment]


@dataclass(frozen=True, slots=True)
class InterchangeHeader:
    """The ISA fields a caller needs (stripped of padding), plus the raw elements."""

    sender_qualifier: str
    sender_id: str
    receiver_qualifier: str
    receiver_id: str
    date: str
    time: str
    control_number: str
    version: str
    usage: str
    ack_requested: str
    delimiters: Delimiters
    byte_offset: int = 0
    elements: tuple[str, ...] = ()   # ISA01..ISA16 exactly as received (with padding)
    standards_id: str = "U"          # ISA11 when it is not the repetition separator


@dataclass(frozen=True, slots=True)
class GroupHeader:
    """The GS fields."""

    functional_id: str
    sender_code: str
    receiver_code: str
    date: str
    time: str
    control_number: str
    agency: str
    version: str
    byte_offset: int = 0


@dataclass(slots=True)
class TransactionSet:
    """One ST..SE block: `.raw` holds its bytes as received; `.segments` parses on first use."""

    raw: bytes
    delimiters: Delimiters
    byte_offset: int = 0
    interchange: InterchangeHeader | None = None
    group: GroupHeader | None = None
    set_id: str = ""
    control_number: str = ""
    implementation_reference: str = ""   # ST03 (5010)
    _segments: list[Segment] | None = field(default=None, repr=False)

    @property
    def segments(self) -> list[Segment]:
        if self._segments is None:
            self._segments = list(iter_segments(self.raw, self.delimiters, self.byte_offset))
        return self._segments

    @property
    def version(self) -> str:
        """The group's GS08 (what the structure is chosen by), or ISA12 when there is no group."""
        if self.group is not None:
            return self.group.version
        return self.interchange.version if self.interchange else ""

    def __iter__(self) -> Iterator[Segment]:
        return iter(self.segments)


def framing_whitespace(delimiters: Delimiters) -> bytes:
    """The bytes skipped around segments: CR, LF, tab, space, unless one of them is a separator."""
    used = delimiters.element + delimiters.component + (delimiters.repetition or b"")
    return bytes(c for c in WHITESPACE if c not in used)


def iter_segments(raw: bytes, delimiters: Delimiters, base_offset: int = 0,
                  first_position: int = 1) -> Iterator[Segment]:
    """Split a block on the terminator; whitespace around segments and empty segments are skipped
    (tolerant framing), positions count the non-empty segments from `first_position`."""
    terminator = delimiters.segment
    step = len(terminator)
    blank = framing_whitespace(delimiters)
    start = 0
    position = first_position
    size = len(raw)
    while start < size:
        end = raw.find(terminator, start)
        if end < 0:
            end = size
        piece = raw[start:end]
        stripped = piece.lstrip(blank)
        lead = len(piece) - len(stripped)
        stripped = stripped.rstrip(blank)
        if stripped:
            yield Segment(stripped, delimiters, position, base_offset + start + lead)
            position += 1
        start = end + step
