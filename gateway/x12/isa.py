"""Reading the ISA: the delimiters of an interchange and its header fields.

The ISA is a fixed record of 106 bytes when well formed; real files trim its padding, pad with
multibyte characters or end it with a multibyte terminator, so the reader falls back to walking
the 16 element separators, and takes as terminator the bytes after ISA16 up to the next segment.
"""
from __future__ import annotations

from gateway.x12.errors import Level, X12Error, X12ReadError
from gateway.x12.model import WHITESPACE, Delimiters, InterchangeHeader, decode

# 0-based offsets of the 16 element separators in a fixed 106-byte ISA
FIXED_SEPARATORS = (3, 6, 17, 20, 31, 34, 50, 53, 69, 76, 81, 83, 89, 99, 101, 103)
FIXED_LENGTH = 105            # ISA through ISA16; the terminator starts at byte 105
MAX_TERMINATOR = 4            # bytes; a longer "terminator" means there is none
MAX_ISA = 400                 # bytes we look at before deciding the ISA is unreadable


def _fail(message: str, offset: int, code: str = "isa_unreadable", ta1: str | None = None) -> X12ReadError:
    return X12ReadError(X12Error(code=code, message=message, level=Level.FILE, segment_id="ISA",
                                 segment_position=0, byte_offset=offset, ta1_code=ta1))


def _walk(data: bytes, start: int, element: bytes) -> int:
    """Offset of the 16th element separator after `start`, or -1."""
    position = start + 3
    for _ in range(15):
        position = data.find(element, position + 1)
        if position < 0 or position - start > MAX_ISA:
            return -1
    return position


def _terminator(data: bytes, after: int, offset: int, complete: bool) -> tuple[bytes, int]:
    """The bytes after ISA16 up to the next segment ID (the first ASCII letter or digit), less
    trailing CR/LF/space, which are framing; a bare newline is a terminator of its own."""
    end = after
    limit = min(len(data), after + 16)
    while end < limit and not (data[end:end + 1].isalnum() and data[end] < 0x80):
        end += 1
    candidate = data[after:end]
    if not candidate:
        if after >= len(data):
            if complete:
                raise _fail("the file ends right after the ISA: no segment terminator", offset,
                            "isa_no_terminator", "004")
            raise _fail("incomplete ISA", offset, "isa_incomplete")
        raise _fail("no segment terminator after ISA16: the next segment follows directly",
                    offset, "isa_no_terminator", "004")
    stripped = candidate.rstrip(WHITESPACE)
    if not stripped:
        return candidate[:1], after + 1
    lead = len(stripped) - len(stripped.lstrip(b" \t"))   # a space before the terminator
    terminator = stripped[lead:]
    if len(terminator) > MAX_TERMINATOR or terminator != terminator.lstrip(WHITESPACE):
        raise _fail(f"unreadable segment terminator {decode(stripped)!r} after ISA16",
                    offset, "isa_bad_terminator", "004")
    return terminator, after + len(stripped)


def parse_isa(data: bytes, offset: int = 0, *, complete: bool = True,
              base_offset: int = 0) -> tuple[InterchangeHeader, int]:
    """Read the ISA starting at `data[offset:]`; return its header and the offset just past its
    terminator. Raises X12ReadError (level 'file': no TA1 is possible) when unreadable."""
    where = base_offset + offset
    if data[offset:offset + 3] != b"ISA":
        raise _fail("not an X12 interchange: the data does not start with ISA", where, "not_x12")
    if len(data) - offset < 4:
        raise _fail("incomplete ISA", where, "isa_incomplete")
    element = data[offset + 3:offset + 4]
    if element.isalnum() or element in WHITESPACE:
        raise _fail(f"invalid element separator {decode(element)!r} after ISA", where,
                    "isa_bad_separator", "026")
    fixed = all(data[offset + i:offset + i + 1] == element for i in FIXED_SEPARATORS)
    if fixed and len(data) - offset > FIXED_LENGTH:
        last = offset + FIXED_SEPARATORS[-1]
    else:
        last = _walk(data, offset, element)
        if last < 0:
            if not complete and len(data) - offset < MAX_ISA:
                raise _fail("incomplete ISA", where, "isa_incomplete")
            raise _fail("the ISA does not have 16 elements separated by "
                        f"{decode(element)!r}", where, "isa_bad_separator", "026")
    component = data[last + 1:last + 2]
    if not component:
        raise _fail("the file ends inside the ISA (ISA16 missing)", where, "isa_incomplete")
    if component == element or component in WHITESPACE:
        raise _fail(f"invalid component separator {decode(component)!r} in ISA16", where,
                    "isa_bad_component", "027")
    terminator, end = _terminator(data, last + 2, where, complete)
    if element == terminator or component == terminator:
        raise _fail("the segment terminator equals another delimiter", where,
                    "isa_bad_terminator", "004")
    fields = data[offset:last].split(element)[1:]
    values = tuple(decode(value) for value in fields) + (decode(component),)
    version = values[11].strip()
    repetition = None
    if version.isdigit() and version >= "00402":
        candidate = fields[10]
        if len(candidate) == 1 and candidate not in (element, component, terminator) \
                and not candidate.isalnum() and candidate not in WHITESPACE:
            repetition = candidate
    delimiters = Delimiters(element=element, component=component, segment=terminator,
                            repetition=repetition)
    header = InterchangeHeader(
        sender_qualifier=values[4].strip(), sender_id=values[5].strip(),
        receiver_qualifier=values[6].strip(), receiver_id=values[7].strip(),
        date=values[8].strip(), time=values[9].strip(), control_number=values[12].strip(),
        version=version, usage=values[14].strip(), ack_requested=values[13].strip(),
        delimiters=delimiters, byte_offset=where, elements=values,
        standards_id=values[10] if repetition is None else "U")
    return header, end
