"""Writer: segments to bytes with a partner's delimiters and line ending, and whole interchanges.

X12 has no escape character, so a delimiter inside data cannot be written: the writer refuses it
with `DelimiterInData` naming the segment, element and character (our fault, caught before a
partner sees it). Elements are `str` (simple), `tuple` (composite: components) or `list`
(5010 repetitions, each a str or a tuple). Control numbers always come from the caller; SE01,
GE01 and IEA01 are counted here so that they cannot disagree with what is written.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from operator import itemgetter
from typing import Iterable, Sequence, Union

from gateway.x12.errors import DelimiterInData
from gateway.x12.model import Delimiters, Segment, decode, encode

Element = Union[str, tuple, list]
SegmentSpec = tuple[str, Sequence[Element]]
_ONLY_STR = {str}
_EMPTY = ("", None, (), [])
_ID, _ELEMENTS = itemgetter(0), itemgetter(1)
LINE_ENDINGS = {"": b"", "none": b"", "lf": b"\n", "crlf": b"\r\n", "\n": b"\n", "\r\n": b"\r\n",
                "cr": b"\r", "\r": b"\r"}


def line_ending_bytes(line_ending: str | bytes) -> bytes:
    if isinstance(line_ending, bytes):
        return line_ending
    try:
        return LINE_ENDINGS[line_ending.lower() if line_ending.isalpha() else line_ending]
    except KeyError:
        raise ValueError(f"unknown line ending {line_ending!r}: use '', 'lf' or 'crlf'") from None


class X12Writer:
    """Turns `(segment_id, elements)` into bytes: terminator plus the partner's line ending."""

    def __init__(self, delimiters: Delimiters, line_ending: str | bytes = "", *,
                 trim_trailing: bool = True):
        self.delimiters = delimiters
        self.line_ending = line_ending_bytes(line_ending)
        self.trim_trailing = trim_trailing
        # a newline terminator is its own line ending: adding one would write blank lines
        ending = b"" if delimiters.segment[-1:] in (b"\n", b"\r") else self.line_ending
        self._end = delimiters.segment + ending
        self._element_text = decode(delimiters.element)
        self._others = [sep for sep in (delimiters.segment, delimiters.component,
                                        delimiters.repetition) if sep]
        self._forbidden = [(name, value) for name, value in (
            ("element separator", delimiters.element), ("segment terminator", delimiters.segment),
            ("component separator", delimiters.component),
            ("repetition separator", delimiters.repetition)) if value]
        # many segments at once (segments()): byte counts add up over a concatenation only
        # when every separator is one byte
        self._batch = all(len(sep) == 1 for sep in (delimiters.element, *self._others))
        self._end_text = decode(self._end)

    def _piece(self, text: str, segment_id: str, position: int,
               component: int | None) -> bytes:
        data = encode(text)
        for name, delimiter in self._forbidden:
            if delimiter in data:
                raise DelimiterInData(segment_id, position, decode(delimiter), name, text,
                                      component)
        return data

    def _element(self, value: Element, segment_id: str, position: int) -> bytes:
        if isinstance(value, str):
            return self._piece(value, segment_id, position, None)
        if isinstance(value, tuple):
            return self._composite(value, segment_id, position)
        if isinstance(value, list):
            if len(value) > 1 and not self.delimiters.repetition:
                raise ValueError(f"{segment_id}{position:02d} repeats but these delimiters have no "
                                 "repetition separator (5010 needs ISA11)")
            sep = self.delimiters.repetition or b""
            return sep.join(self._composite(v, segment_id, position) if isinstance(v, tuple)
                            else self._piece(v, segment_id, position, None) for v in value)
        if value is None:
            return b""
        return self._piece(str(value), segment_id, position, None)

    def _composite(self, parts: tuple, segment_id: str, position: int) -> bytes:
        items = list(parts)
        while self.trim_trailing and items and items[-1] in ("", None):
            items.pop()
        return self.delimiters.component.join(
            self._piece("" if part is None else str(part), segment_id, position, k)
            for k, part in enumerate(items, 1))

    def segment(self, segment_id: str, elements: Sequence[Element]) -> bytes:
        items = list(elements)
        while self.trim_trailing and items and items[-1] in ("", None, (), []):
            items.pop()
        if set(map(type, items)) <= _ONLY_STR and segment_id != "ISA":
            # fast path: join once, then prove no element added a delimiter of its own
            body = encode(self._element_text.join([segment_id, *items]))
            if body.count(self.delimiters.element) == len(items) and \
                    not any(sep in body for sep in self._others):
                return body + self._end
        if segment_id == "ISA":
            body = [encode(str(v)) for v in items]   # ISA11/ISA16 are delimiters by definition
        else:
            body = [self._element(v, segment_id, n) for n, v in enumerate(items, 1)]
        return self.delimiters.element.join([encode(segment_id), *body]) + self._end

    def write(self, seg: Segment) -> bytes:
        """A parsed segment back to bytes (composites and repeats kept as they were read)."""
        if seg.id == "ISA":
            return self.segment("ISA", seg.elements)
        component = decode(seg.delimiters.component)
        repetition = decode(seg.delimiters.repetition) if seg.delimiters.repetition else None

        def split(value: str) -> Element:
            if repetition and repetition in value:
                return [split_components(v) for v in value.split(repetition)]
            return split_components(value)

        def split_components(value: str) -> Element:
            return tuple(value.split(component)) if component in value else value

        saved, self.trim_trailing = self.trim_trailing, False
        try:
            return self.segment(seg.id, [split(v) for v in seg.elements])
        finally:
            self.trim_trailing = saved

    def segments(self, specs: Iterable[SegmentSpec]) -> bytes:
        specs = list(specs)
        data = self._plain_segments(specs) if self._batch else None
        if data is not None:
            return data
        return b"".join(self.segment(seg_id, elements) for seg_id, elements in specs)

    def _plain_segments(self, specs: list[SegmentSpec]) -> bytes | None:
        """``segment()``'s fast path for many segments at once: one join and one encode, then
        the separator counts of the whole prove, segment by segment, what ``segment()`` proves
        (one-byte separators: counts add up). None when an element is not plain text, an ISA is
        among them or a count is off: the caller writes segment by segment (and raises there)."""
        if not specs:
            return b""
        sep, end = self._element_text, self._end_text
        try:
            if "ISA" in map(_ID, specs):
                return None
            placed = sum(map(len, map(_ELEMENTS, specs)))  # before any element is read
            texts = [sep.join([seg_id, *elements]) for seg_id, elements in specs]
            text = end.join(texts) + end
            if self.trim_trailing and sep + end in text:  # trailing empty elements: trimmed
                texts = []
                placed = 0
                for seg_id, elements in specs:
                    if elements and elements[-1] in _EMPTY:
                        items = list(elements)
                        while items and items[-1] in _EMPTY:
                            items.pop()
                        elements = items
                    texts.append(sep.join([seg_id, *elements]))
                    placed += len(elements)
                text = end.join(texts) + end
            data = encode(text)
        except (TypeError, UnicodeEncodeError):
            return None
        n, tail = len(texts), self._end
        if data.count(self.delimiters.element) != placed + n * tail.count(self.delimiters.element):
            return None
        for other in self._others:
            if data.count(other) != n * tail.count(other):
                return None
        return data


@dataclass(slots=True)
class GroupSpec:
    """One functional group to write; `transactions` are lists of (segment_id, elements) from ST
    to the last segment before SE (a trailing SE given by the caller is replaced)."""

    functional_id: str
    sender_code: str
    receiver_code: str
    control_number: int
    version: str
    transactions: list[list[SegmentSpec]] = field(default_factory=list)


REPETITION_CHOICES = (b"^", b"|", b"!", b"{", b"}")


def with_repetition(delimiters: Delimiters, version: str) -> Delimiters:
    """Delimiters fit for an ISA of `version`: 00402 and later need a repetition separator
    (ISA11), so one not used by the others is chosen when the partner profile gives none;
    earlier versions have none (ISA11 is the standards identifier `U`)."""
    if version < "00402":
        return delimiters if delimiters.repetition is None else \
            Delimiters(delimiters.element, delimiters.component, delimiters.segment, None)
    if delimiters.repetition:
        return delimiters
    used = delimiters.element + delimiters.component + delimiters.segment
    repetition = next(c for c in REPETITION_CHOICES if c not in used)
    return Delimiters(delimiters.element, delimiters.component, delimiters.segment, repetition)


def isa_elements(sender: tuple[str, str], receiver: tuple[str, str], control_number: int,
                 version: str, usage: str, delimiters: Delimiters, now: datetime,
                 ack_requested: str = "0") -> list[str]:
    """ISA01..ISA16 padded to their fixed widths."""
    if not 0 <= control_number <= 999_999_999:
        raise ValueError(f"ISA13 {control_number} does not fit in 9 digits")
    if usage not in ("P", "T"):
        raise ValueError(f"usage must be 'P' or 'T', not {usage!r}")
    for name, (qualifier, ident) in (("sender", sender), ("receiver", receiver)):
        if len(qualifier) != 2 or not 1 <= len(ident) <= 15:
            raise ValueError(f"{name} must be (2-character qualifier, 1-15 character ID)")
    repetition = decode(with_repetition(delimiters, version).repetition or b"U")
    if len(delimiters.component) != 1:
        raise ValueError("the component separator must be one byte")
    return ["00", " " * 10, "00", " " * 10, sender[0], sender[1].ljust(15), receiver[0],
            receiver[1].ljust(15), now.strftime("%y%m%d"), now.strftime("%H%M"), repetition,
            version, f"{control_number:09d}", ack_requested, usage, decode(delimiters.component)]


def write_transaction(writer: X12Writer, segments: list[SegmentSpec], control_number: str
                      ) -> tuple[bytes, int]:
    """ST..SE with SE01 counted and ST02/SE02 set from `control_number`."""
    body = [spec for spec in segments if spec[0] != "SE"]
    if not body or body[0][0] != "ST":
        raise ValueError("a transaction set must start with ST")
    st_elements = list(body[0][1])
    st_elements[1:2] = [control_number]
    body[0] = ("ST", st_elements)
    body.append(("SE", [str(len(body) + 1), control_number]))
    return writer.segments(body), len(body)


def write_interchange(*, sender: tuple[str, str], receiver: tuple[str, str], control_number: int,
                      version: str = "00401", usage: str = "P", groups: list[GroupSpec],
                      delimiters: Delimiters | None = None, line_ending: str | bytes = "",
                      now: datetime | None = None, ack_requested: str = "0",
                      first_set_number: int = 1, extra: list[SegmentSpec] | None = None) -> bytes:
    """A whole ISA..IEA. ST02 numbers run from `first_set_number` within each group unless the
    caller's ST segment carries one (then it is kept)."""
    delimiters = delimiters or (Delimiters(b"*", b":", b"~", b"^") if version >= "00402"
                                else Delimiters(b"*", b">", b"~", None))
    delimiters = with_repetition(delimiters, version)
    now = now or datetime.now()
    writer = X12Writer(delimiters, line_ending)
    out = [writer.segment("ISA", isa_elements(sender, receiver, control_number, version, usage,
                                              delimiters, now, ack_requested))]
    if extra:
        out.append(writer.segments(extra))
    for group in groups:
        out.append(writer.segment("GS", [group.functional_id, group.sender_code,
                                         group.receiver_code, now.strftime("%Y%m%d"),
                                         now.strftime("%H%M"), str(group.control_number), "X",
                                         group.version]))
        for n, tx in enumerate(group.transactions, first_set_number):
            given = str(tx[0][1][1]) if tx and len(tx[0][1]) > 1 and tx[0][1][1] else ""
            data, _ = write_transaction(writer, tx, given or f"{n:04d}")
            out.append(data)
        out.append(writer.segment("GE", [str(len(group.transactions)),
                                         str(group.control_number)]))
    out.append(writer.segment("IEA", [str(len(groups)), f"{control_number:09d}"]))
    return b"".join(out)
