"""The error record shared by the envelope checks, the structure checker and the acknowledgements.

One record type for every finding so that `x12 check`, the 997/999 writer and the TA1 writer read
the same facts: where (segment position, element, byte offset) as attributes, never only in the
message text, and which acknowledgement code it becomes (AK304/IK304, AK403/IK403, AK502, AK905,
TA105), so no later layer has to guess a code from a message.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import Enum
from typing import Any


class Level(str, Enum):
    """Where an error belongs; decides which acknowledgement segment carries it."""

    FILE = "file"                # not X12, unreadable ISA: no TA1 possible
    INTERCHANGE = "interchange"  # TA1 note code (TA105)
    GROUP = "group"              # AK905..AK909
    TRANSACTION = "transaction"  # AK502..AK506 / IK502..
    SEGMENT = "segment"          # AK3 / IK3 (AK304 code)
    ELEMENT = "element"          # AK3 + AK4 / IK3 + IK4 (AK403 code)


class Severity(str, Enum):
    ERROR = "error"      # rejects the set (or group / interchange at those levels)
    WARNING = "warning"  # noted (AK501 = E, TA104 = E) but the data is accepted


@dataclass(frozen=True, slots=True)
class X12Error:
    """One finding. `code` is our stable identifier (e.g. `se_count`, `element_too_long`).

    `ak_segment_code` is the AK304/IK304 code, `ak_element_code` the AK403/IK403 code,
    `ak_set_code` the AK502 (718) code, `ak_group_code` the AK905 (716) code and `ta1_code` the
    TA105 note code, each set only where it applies.
    """

    code: str
    message: str
    level: Level | str = Level.SEGMENT
    severity: Severity | str = Severity.ERROR
    segment_id: str | None = None
    segment_position: int | None = None     # 1-based within the set (ST = 1)
    element_position: int | None = None     # 1-based
    component_position: int | None = None   # 1-based
    repetition_position: int | None = None  # 1-based (5010 repeats)
    byte_offset: int | None = None          # from the start of the file
    ak_segment_code: str | None = None      # AK304 / IK304 (720 / 620)
    ak_element_code: str | None = None      # AK403 / IK403 (723 / 621)
    ak_set_code: str | None = None          # AK502 / IK502 (718)
    ak_group_code: str | None = None        # AK905 (716)
    ta1_code: str | None = None             # TA105 (I18)
    element_ref: str | None = None          # data element reference number (AK402)
    bad_value: str | None = None            # copy of the bad element (AK404)
    loop_id: str | None = None              # AK303 / IK303

    @property
    def is_error(self) -> bool:
        return str(getattr(self.severity, "value", self.severity)) == Severity.ERROR.value

    @property
    def level_name(self) -> str:
        return str(getattr(self.level, "value", self.level))

    def to_json(self) -> dict[str, Any]:
        """The `E` shape of `x12 check --json` (issue 2) plus the extra attributes."""
        data = asdict(self)
        data["level"] = self.level_name
        data["severity"] = str(getattr(self.severity, "value", self.severity))
        head = {key: data.pop(key) for key in
                ("code", "message", "segment_id", "segment_position", "element_position",
                 "byte_offset")}
        head.update({key: value for key, value in data.items() if value is not None})
        return {key: _display(value) if isinstance(value, str) else value
                for key, value in head.items()}

    def __str__(self) -> str:
        where = []
        if self.segment_id:
            where.append(self.segment_id)
        if self.segment_position is not None:
            where.append(f"segment {self.segment_position}")
        if self.element_position is not None:
            element = f"element {self.element_position:02d}"
            if self.component_position is not None:
                element += f"-{self.component_position}"
            where.append(element)
        if self.byte_offset is not None:
            where.append(f"byte {self.byte_offset}")
        prefix = f"[{', '.join(where)}] " if where else ""
        return f"{prefix}{self.code}: {self.message}"


def _display(text: str) -> str:
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


class X12ReadError(Exception):
    """Raised by the strict helpers (e.g. `Delimiters.from_isa`) when bytes cannot be read as X12.

    The streaming reader never raises it to its caller: it turns it into an `X12Error` record.
    """

    def __init__(self, error: X12Error):
        super().__init__(str(error))
        self.error = error


class DelimiterInData(ValueError):
    """We were about to write a delimiter inside data: our fault, not the partner's.

    Names the segment, the element position and the offending character as attributes.
    """

    def __init__(self, segment_id: str, element_position: int, character: str,
                 delimiter: str, value: str, component_position: int | None = None):
        self.segment_id = segment_id
        self.element_position = element_position
        self.component_position = component_position
        self.character = character
        self.delimiter = delimiter
        self.value = value
        where = f"{segment_id}{element_position:02d}"
        if component_position is not None:
            where += f"-{component_position}"
        super().__init__(f"{where} contains the {delimiter} {character!r} in {value!r}: "
                         f"choose other delimiters for this partner or remove the character")
