"""Element rules of one segment (the slow path that names the failing element).

The order of checks and the codes follow the X12 997/999 AK403/IK403 list and pyx12's validator,
our oracle: too many elements (3), mandatory missing (1), too short (4) / too long (5), invalid
character (6), invalid code (7), invalid date (8) / time (9), syntax notes (2, or 10 for an
exclusion). Numeric lengths do not count a sign or a decimal point.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from gateway.x12.model import Segment, decode
from gateway.x12.structure_model import CompositeDef, ElementDef, SegmentDef, SyntaxRule

# X12 extended character set (pyx12 charset "E"); 005010 adds ^ and `.
_EXTENDED = "A-Za-z0-9!\"&'()*+,\\-./:;?= %~@\\[\\]_{}\\\\|<>#$"
INVALID_CHAR = {"4010": re.compile(f"[^{_EXTENDED}]"), "5010": re.compile(f"[^{_EXTENDED}^`]")}
_NUMBER = re.compile(r"-?[0-9]+")
_REAL = re.compile(r"-?[0-9]*(?:\.[0-9]+)?")
_DIGITS = re.compile(r"[0-9]+")
_MONTH_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


@dataclass(frozen=True, slots=True)
class ElementProblem:
    """One element finding before it becomes an X12Error (positions 1-based)."""

    ak_code: str
    message: str
    element: ElementDef | CompositeDef | None
    position: int
    component: int | None = None
    value: str | None = None


def valid_date(value: str) -> bool:
    if not _DIGITS.fullmatch(value) or len(value) not in (6, 8):
        return False
    if len(value) == 6:
        value = ("20" if int(value[:2]) < 50 else "19") + value
    year, month, day = int(value[:4]), int(value[4:6]), int(value[6:8])
    if year < 1800 or not 1 <= month <= 12:
        return False
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    days = 29 if month == 2 and leap else (28 if month == 2 else _MONTH_DAYS[month - 1])
    return 1 <= day <= days


def valid_time(value: str) -> bool:
    if not _DIGITS.fullmatch(value) or len(value) < 4 or len(value) == 5 or len(value) > 8:
        return False
    return value[0:2] <= "23" and value[2:4] <= "59" and (len(value) < 6 or value[4:6] <= "59")


def check_value(el: ElementDef, value: str, release: str, position: int,
                component: int | None = None) -> list[ElementProblem]:
    """Rules for one non-empty value of element `el`."""
    out: list[ElementProblem] = []

    def add(code: str, message: str) -> None:
        out.append(ElementProblem(code, message, el, position, component, value))

    numeric = el.data_type == "R" or el.data_type.startswith("N")
    length = len(value.replace("-", "").replace(".", "")) if numeric else len(value)
    if length < el.min_len:
        add("4", f"{el.xid} ({el.name}) is too short: {length} < {el.min_len}")
    if length > el.max_len:
        add("5", f"{el.xid} ({el.name}) is too long: {length} > {el.max_len}")
    if el.data_type in ("AN", "ID"):
        bad = INVALID_CHAR.get(release, INVALID_CHAR["4010"]).search(value)
        if bad:
            add("6", f"{el.xid} ({el.name}) contains the invalid character {bad.group(0)!r}")
            return out
        if value.endswith(" ") and len(value.rstrip(" ")) >= el.min_len:
            add("6", f"{el.xid} ({el.name}) has trailing spaces")
    if el.codes is not None and value not in el.codes:
        add("7", f"{value!r} is not a valid code for {el.xid} ({el.name})")
    if el.data_type.startswith("N") and not _NUMBER.fullmatch(value):
        add("6", f"{el.xid} ({el.name}) must be a whole number (type {el.data_type}), got {value!r}")
    elif el.data_type == "R" and not _REAL.fullmatch(value):
        add("6", f"{el.xid} ({el.name}) must be a decimal number, got {value!r}")
    elif el.data_type == "DT" and not valid_date(value):
        add("8", f"{el.xid} ({el.name}) is not a valid date (CCYYMMDD): {value!r}")
    elif el.data_type == "TM" and not valid_time(value):
        add("9", f"{el.xid} ({el.name}) is not a valid time (HHMM[SS[DD]]): {value!r}")
    return out


def _present(values: tuple[str, ...], position: int) -> bool:
    return position <= len(values) and values[position - 1] != ""


def check_syntax(rule: SyntaxRule, values: tuple[str, ...]) -> bool:
    """True when the element values satisfy an X12 syntax note."""
    present = [_present(values, p) for p in rule.positions]
    if rule.kind == "P":
        return not any(present) or all(present)
    if rule.kind == "R":
        return any(present)
    if rule.kind == "E":
        return sum(present) <= 1
    if rule.kind == "C":
        return not present[0] or all(present[1:])
    if rule.kind == "L":
        return not present[0] or any(present[1:])
    return True


def check_segment(seg: Segment, definition: SegmentDef, release: str) -> list[ElementProblem]:
    """Every element finding of one segment, in element order, then syntax notes."""
    values = seg.elements
    component_sep = decode(seg.delimiters.component)
    out: list[ElementProblem] = []
    count = len(definition.elements)
    if len(values) > count:
        extra = values[count:]
        if any(extra):
            out.append(ElementProblem("3", f"{seg.id} has {len(values)} elements, at most {count}"
                                      " are defined", None, count + 1,
                                      value=next(v for v in extra if v)))
    for el in definition.elements:
        value = values[el.seq - 1] if el.seq <= len(values) else ""
        if value == "":
            if el.mandatory:
                out.append(ElementProblem("1", f"mandatory element {el.xid} ({el.name}) is "
                                          "missing", el, el.seq))
            continue
        if isinstance(el, CompositeDef):
            parts = value.split(component_sep)
            if len(parts) > len(el.components):
                out.append(ElementProblem("3", f"{el.xid} ({el.name}) has {len(parts)} components,"
                                          f" at most {len(el.components)}", el, el.seq,
                                          value=value))
            for comp in el.components:
                part = parts[comp.seq - 1] if comp.seq <= len(parts) else ""
                if part == "":
                    if comp.mandatory:
                        out.append(ElementProblem("1", f"mandatory component {comp.xid} "
                                                  f"({comp.name}) is missing", comp, el.seq,
                                                  comp.seq))
                    continue
                out.extend(check_value(comp, part, release, el.seq, comp.seq))
            continue
        if component_sep and component_sep in value:
            out.append(ElementProblem("6", f"{el.xid} ({el.name}) is a simple element but holds "
                                      f"the component separator {component_sep!r}", el, el.seq,
                                      value=value))
            continue
        out.extend(check_value(el, value, release, el.seq))
    for rule in definition.syntax:
        if not check_syntax(rule, values):
            code = "10" if rule.kind == "E" else "2"
            first = next((e for e in definition.elements if e.seq == rule.positions[0]), None)
            out.append(ElementProblem(code, f"{seg.id} syntax note {rule.text} is violated "
                                      f"({_SYNTAX_TEXT[rule.kind]})", first, rule.positions[0]))
    return out


_SYNTAX_TEXT = {"P": "all or none of the elements must be present",
                "R": "at least one of the elements is required",
                "E": "at most one of the elements may be present",
                "C": "when the first element is present the others are required",
                "L": "when the first element is present at least one of the others is required"}
