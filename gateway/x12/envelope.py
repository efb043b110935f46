"""Field rules of the envelope segments (ISA, GS, ST) as data, and the checks that apply them.

Each rule names the element, the acknowledgement code it maps to and how strict it is. Real
partners send slightly wrong headers (trimmed padding, ISA12 `00040`, a time `18:04`): those are
read leniently and flagged as warnings; what would make us misfile or mis-answer data (control
numbers, usage and acknowledgement flags) rejects.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from gateway.x12.errors import Level, Severity, X12Error
from gateway.x12.model import GroupHeader, InterchangeHeader, Segment

ID_QUALIFIERS = frozenset(
    "01 02 03 04 07 08 09 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31 32 33 "
    "34 35 36 37 38 AM NR SA SN ZZ".split())
KNOWN_ISA_VERSIONS = frozenset(
    "00200 00201 00204 00300 00301 00302 00303 00304 00305 00306 00307 00400 00401 00402 00403 "
    "00404 00405 00406 00500 00501 00502 00503 00504 00505 00600 00601 00602 00603 00604 00605 "
    "00700 00701 00702 00703 00704 00705 00800 00801".split())
FUNCTIONAL_IDS = {"850": "PO", "855": "PR", "856": "SH", "810": "IN", "997": "FA", "999": "FA",
                  "860": "PC", "865": "CA", "820": "RA", "846": "IB", "852": "PD", "864": "TX",
                  "940": "OW", "945": "SW", "204": "SM", "214": "QM", "990": "GF", "840": "RQ",
                  "843": "RR", "830": "PS", "862": "SS", "870": "RS", "832": "SC", "824": "AG"}

_DIGITS = re.compile(r"\d+")


@dataclass(frozen=True, slots=True)
class IsaRule:
    """One ISA element: its exact length, allowed values (None = any), TA105 code, severity."""

    position: int
    name: str
    length: int
    values: frozenset[str] | None
    ta1_code: str
    severity: Severity


ISA_RULES: tuple[IsaRule, ...] = (
    IsaRule(1, "authorization information qualifier", 2,
            frozenset({"00", "01", "02", "03", "04", "05", "06"}), "010", Severity.WARNING),
    IsaRule(2, "authorization information", 10, None, "011", Severity.WARNING),
    IsaRule(3, "security information qualifier", 2, frozenset({"00", "01"}), "012",
            Severity.WARNING),
    IsaRule(4, "security information", 10, None, "013", Severity.WARNING),
    IsaRule(5, "sender ID qualifier", 2, ID_QUALIFIERS, "005", Severity.WARNING),
    IsaRule(6, "sender ID", 15, None, "006", Severity.WARNING),
    IsaRule(7, "receiver ID qualifier", 2, ID_QUALIFIERS, "007", Severity.WARNING),
    IsaRule(8, "receiver ID", 15, None, "008", Severity.WARNING),
    IsaRule(9, "interchange date", 6, None, "014", Severity.WARNING),
    IsaRule(10, "interchange time", 4, None, "015", Severity.WARNING),
    IsaRule(12, "interchange control version", 5, KNOWN_ISA_VERSIONS, "017", Severity.WARNING),
    IsaRule(13, "interchange control number", 9, None, "018", Severity.ERROR),
    IsaRule(14, "acknowledgment requested", 1, frozenset({"0", "1"}), "019", Severity.ERROR),
    IsaRule(15, "usage indicator", 1, frozenset({"P", "T", "I"}), "020", Severity.ERROR),
)


def _isa_error(rule: IsaRule | None, header: InterchangeHeader, message: str, code: str,
               ta1: str, severity: Severity, position: int) -> X12Error:
    value = header.elements[position - 1] if len(header.elements) >= position else ""
    return X12Error(code=code, message=message, level=Level.INTERCHANGE, severity=severity,
                    segment_id="ISA", segment_position=0, element_position=position,
                    byte_offset=header.byte_offset, ta1_code=ta1, bad_value=value,
                    element_ref=None if rule is None else f"I{position:02d}")


_MONTH_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _plainly_valid(text: str, fmt: str) -> bool:
    """The usual case without strptime (whose first call in a process costs ~5 ms: it compiles
    its locale patterns): fixed-width digits in range. False means "ask strptime"."""
    if not (text.isascii() and text.isdigit()):
        return False
    if fmt == "%H%M":
        return len(text) == 4 and text[:2] <= "23" and text[2:] <= "59"
    if fmt == "%y%m%d" and len(text) == 6:
        year = int(text[:2])
        year += 1900 if year >= 69 else 2000          # strptime's %y pivot
        month, day = int(text[2:4]), int(text[4:6])
    elif fmt == "%Y%m%d" and len(text) == 8:
        year, month, day = int(text[:4]), int(text[4:6]), int(text[6:8])
    else:
        return False
    if not (1 <= month <= 12 and year >= 1):
        return False
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    return 1 <= day <= (_MONTH_DAYS[month - 1] if month != 2 or leap else 28)


def _valid_date(text: str, fmt: str) -> bool:
    if _plainly_valid(text, fmt):
        return True
    try:
        datetime.strptime(text, fmt)
    except ValueError:
        return False
    return True


def check_isa(header: InterchangeHeader) -> list[X12Error]:
    """Formats of ISA01..ISA15 (ISA16 and the separators were checked while reading)."""
    errors: list[X12Error] = []
    values = header.elements
    for rule in ISA_RULES:
        raw = values[rule.position - 1]
        value = raw.strip()
        label = f"ISA{rule.position:02d} ({rule.name})"
        if rule.position == 13:
            if not (_DIGITS.fullmatch(value) and len(value) <= 9):
                errors.append(_isa_error(rule, header, f"{label} {raw!r} is not a number of up to 9 "
                              "digits", "isa_bad_control_number", rule.ta1_code, rule.severity, 13))
                continue
        if rule.values is not None and value not in rule.values:
            errors.append(_isa_error(rule, header, f"{label} {value!r} is not a valid value",
                                     "isa_invalid_value", rule.ta1_code, rule.severity,
                                     rule.position))
            continue
        if len(raw) != rule.length:
            # trimmed padding is read leniently; a value longer than the field cannot be
            # answered in a valid ISA
            too_long = len(value) > rule.length
            errors.append(_isa_error(rule, header, f"{label} is {len(raw)} characters, the ISA "
                          f"fixes it at {rule.length}", "isa_field_length", rule.ta1_code,
                          Severity.ERROR if too_long else Severity.WARNING, rule.position))
            continue
        if rule.position in (6, 8) and not value:
            errors.append(_isa_error(rule, header, f"{label} is blank", "isa_blank_id",
                                     rule.ta1_code, Severity.ERROR, rule.position))
        if rule.position == 9 and not _valid_date(value, "%y%m%d"):
            errors.append(_isa_error(rule, header, f"{label} {value!r} is not a date YYMMDD",
                                     "isa_bad_date", "014", Severity.WARNING, 9))
        if rule.position == 10 and not _valid_date(value, "%H%M"):
            errors.append(_isa_error(rule, header, f"{label} {value!r} is not a time HHMM",
                                     "isa_bad_time", "015", Severity.WARNING, 10))
    if header.delimiters.repetition is None and header.version >= "00402" \
            and header.version.isdigit():
        errors.append(_isa_error(None, header, f"ISA11 {values[10]!r} should be the repetition "
                                 f"separator for version {header.version}", "isa_bad_repetition",
                                 "016", Severity.WARNING, 11))
    elif header.version < "00402" and values[10] != "U":
        errors.append(_isa_error(None, header, f"ISA11 (standards identifier) {values[10]!r} "
                                 "should be 'U'", "isa_invalid_value", "016", Severity.WARNING, 11))
    return errors


def _group_error(seg: Segment, message: str, code: str, element: int | None,
                 ak905: str | None, severity: Severity = Severity.ERROR) -> X12Error:
    return X12Error(code=code, message=message, level=Level.GROUP, severity=severity,
                    segment_id=seg.id, segment_position=0, element_position=element,
                    byte_offset=seg.byte_offset, ak_group_code=ak905,
                    bad_value=seg[element] if element else None)


def check_gs(seg: Segment, header: GroupHeader) -> list[X12Error]:
    errors: list[X12Error] = []
    if not header.functional_id:
        errors.append(_group_error(seg, "GS01 (functional identifier) is missing",
                                   "gs_missing_functional_id", 1, "1"))
    if not (_DIGITS.fullmatch(header.control_number) and len(header.control_number) <= 9):
        errors.append(_group_error(seg, f"GS06 (group control number) {header.control_number!r} "
                                   "is not a number of 1 to 9 digits", "gs_bad_control_number", 6,
                                   "6"))
    if not header.version:
        errors.append(_group_error(seg, "GS08 (version) is missing", "gs_missing_version", 8, "2"))
    if not (2 <= len(header.sender_code) <= 15):
        errors.append(_group_error(seg, "GS02 (application sender code) must be 2-15 characters",
                                   "gs_bad_sender", 2, None, Severity.WARNING))
    if not (2 <= len(header.receiver_code) <= 15):
        errors.append(_group_error(seg, "GS03 (application receiver code) must be 2-15 "
                                   "characters", "gs_bad_receiver", 3, None, Severity.WARNING))
    if not (len(header.date) == 8 and _valid_date(header.date, "%Y%m%d")):
        errors.append(_group_error(seg, f"GS04 {header.date!r} is not a date CCYYMMDD",
                                   "gs_bad_date", 4, None, Severity.WARNING))
    time = header.time
    if not (_DIGITS.fullmatch(time) and len(time) in (4, 6, 7, 8)
            and _valid_date(time[:4], "%H%M")):
        errors.append(_group_error(seg, f"GS05 {time!r} is not a time HHMM[SS[D[D]]]",
                                   "gs_bad_time", 5, None, Severity.WARNING))
    if header.agency not in ("X", "T"):
        errors.append(_group_error(seg, f"GS07 (responsible agency) {header.agency!r} should be X",
                                   "gs_bad_agency", 7, None, Severity.WARNING))
    return errors


def same_number(a: str, b: str) -> bool:
    """Control numbers compare as numbers when both are numeric, else as trimmed text."""
    a, b = a.strip(), b.strip()
    if a.isdigit() and b.isdigit():
        return int(a) == int(b)
    return a == b


def valid_st02(value: str) -> bool:
    # printable ASCII, [ -~], without a regex (called for every set of a file)
    return 4 <= len(value) <= 9 and value.isascii() and value.isprintable()
