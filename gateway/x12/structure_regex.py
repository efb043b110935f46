"""Compile a set's structure into ONE regular expression over the raw ST..SE bytes: the fast path.

A loop grammar over segment IDs is a regular language, and so is each element's type, length and
code list, so a whole valid set is matched at C speed by `fullmatch`. The pattern is conservative:
when it matches, the slow walk (structure_walk) would find no error; when it does not, the walk
runs and names the errors. Possessive quantifiers keep matching linear, like X12's own greedy,
deterministic placement.
"""
from __future__ import annotations

import re

from gateway.x12.model import Delimiters, framing_whitespace
from gateway.x12.structure_model import CompositeDef, ElementDef, LoopDef, SegmentDef, SyntaxRule

_EXTENDED = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!\"&'()*+,-./:;?= %~@[]_{}\\|<>#$"
_DATE = (rb"(?:1[89]|[2-9][0-9])[0-9]{2}(?:(?:0[13578]|1[02])(?:0[1-9]|[12][0-9]|3[01])"
         rb"|(?:0[469]|11)(?:0[1-9]|[12][0-9]|30)|02(?:0[1-9]|1[0-9]|2[0-8]))")


def _class(chars: bytes) -> bytes:
    """A compact character class: runs of consecutive bytes become ranges."""
    values = sorted(set(chars))
    parts: list[bytes] = []
    i = 0
    while i < len(values):
        j = i
        while j + 1 < len(values) and values[j + 1] == values[j] + 1:
            j += 1
        first, last = re.escape(bytes([values[i]])), re.escape(bytes([values[j]]))
        if j - i >= 2:
            parts.append(first + b"-" + last)
        else:
            parts.extend(re.escape(bytes([v])) for v in values[i:j + 1])
        i = j + 1
    return b"[" + b"".join(parts) + b"]"


class _Compiler:
    def __init__(self, delimiters: Delimiters, release: str):
        self.d = delimiters
        seps = delimiters.element + delimiters.component + delimiters.segment + (
            delimiters.repetition or b"")
        allowed = _EXTENDED + (b"^`" if release == "5010" else b"")
        self.text = bytes(c for c in allowed if c not in seps)
        self.text_class = _class(self.text)
        self.text_nospace = _class(bytes(c for c in self.text if c != 0x20))
        self.el = re.escape(delimiters.element)
        self.comp = re.escape(delimiters.component)
        self.term = re.escape(delimiters.segment)
        gap = framing_whitespace(delimiters)
        gap = bytes(c for c in gap if c not in delimiters.segment)
        self.gap = (_class(gap) + b"*+") if gap else b""
        if len(delimiters.segment) == 1:
            self.not_sep = b"[^" + self.el + self.term + b"]"
        else:
            self.not_sep = b"(?:(?!" + self.term + b")[^" + self.el + b"])"
        self.cache: dict[str, bytes] = {}

    # -- values ---------------------------------------------------------------------------
    def value(self, el: ElementDef) -> bytes:
        low, high = el.min_len, el.max_len
        if el.codes is not None:
            codes = sorted((c.encode() for c in el.codes if c and low <= len(c) <= high),
                           key=lambda c: (-len(c), c))
            if not codes:
                return b"(?!)"
            return b"(?:" + b"|".join(re.escape(c) for c in codes) + b")"
        t = el.data_type
        if t in ("AN", "ID"):
            if low <= 1:
                return self.text_class + b"{0,%d}" % (high - 1) + self.text_nospace
            return self.text_class + b"{%d,%d}" % (low - 1, high - 1) + self.text_nospace
        if t.startswith("N"):
            return b"-?[0-9]{%d,%d}+" % (low, high)
        if t == "R":
            # digits and at most one point; the point counts towards max here (conservative)
            return (b"-?(?=[0-9.]{%d,%d}(?![0-9.]))(?:[0-9]++(?:\\.[0-9]++)?|\\.[0-9]++)"
                    % (max(low, 1), high))
        if t == "DT" and low == high == 8:
            return _DATE
        if t == "TM":
            if high < 6:
                return rb"(?:[01][0-9]|2[0-3])[0-5][0-9]"
            return rb"(?:[01][0-9]|2[0-3])[0-5][0-9](?:[0-5][0-9][0-9]{0,%d})?" % min(high - 6, 2)
        return b"(?!)"  # other types always take the slow path

    def _chain(self, sep: bytes, parts: list[tuple[bytes, bool]],
               optional_flags: list[bool] | None = None) -> bytes:
        """sep v1 (sep v2 (...)?)?: trailing optional parts may be left out entirely and an
        optional value may be empty (a separator right before the terminator is caught by the
        caller, which sends such sets to the slow path). `optional_flags[i]` false with
        parts[i] not mandatory never happens; a merged pair is (pattern, True) with flag False:
        its pattern already allows "empty", and it may be omitted when nothing mandatory follows."""
        out = b""
        need = False
        for index in range(len(parts) - 1, -1, -1):
            value, mandatory = parts[index]
            merged_pair = optional_flags is not None and mandatory and not optional_flags[index] \
                and value.endswith(b"|" + sep + b")")
            need = need or (mandatory and not merged_pair)
            group = sep + (value if mandatory else b"(?:" + value + b")?+") + out
            out = group if need else b"(?:" + group + b")?+"
        return out

    def composite(self, c: CompositeDef) -> bytes:
        parts = [(self.value(el), el.mandatory) for el in c.components]
        first, *rest = parts
        tail = self._chain(self.comp, rest) if rest else b""
        if not first[1]:
            return b"(?!)"  # optional first component: rare, slow path
        return first[0] + tail

    def _syntax(self, rule: SyntaxRule) -> bytes:
        def present(p: int) -> bytes:
            return b"(?=(?>(?:" + self.el + self.not_sep + b"*+){%d})" % (p - 1) + self.el + \
                self.not_sep + b")"

        def absent(p: int) -> bytes:
            return b"(?!" + present(p)[3:]

        ps = rule.positions
        if rule.kind == "P":
            return b"(?:" + b"".join(present(p) for p in ps) + b"|" + \
                b"".join(absent(p) for p in ps) + b")"
        if rule.kind == "R":
            return b"(?:" + b"|".join(present(p) for p in ps) + b")"
        if rule.kind == "C":
            return b"(?:" + absent(ps[0]) + b"|" + b"".join(present(p) for p in ps[1:]) + b")"
        if rule.kind == "L":
            return b"(?:" + absent(ps[0]) + b"|" + b"|".join(present(p) for p in ps[1:]) + b")"
        if rule.kind == "E":
            pairs = [(a, b) for i, a in enumerate(ps) for b in ps[i + 1:]]
            return b"".join(b"(?!" + present(a) + present(b) + b")" for a, b in pairs)
        return b""

    def segment(self, seg: SegmentDef) -> bytes:
        key = f"{seg.id}:{id(seg)}"
        if key in self.cache:
            return self.cache[key]
        parts: list[tuple[bytes, bool]] = []
        for el in seg.elements:
            if isinstance(el, CompositeDef):
                parts.append((self.composite(el), el.mandatory))
            else:
                parts.append((self.value(el), el.mandatory))
        # Paired notes on two neighbouring optional elements (qualifier/ID pairs, value/unit) are
        # written into the element chain: both present or both empty, no lookahead needed.
        merged: dict[int, int] = {}
        rules = []
        for rule in seg.syntax:
            a = rule.positions[0]
            if (rule.kind == "P" and len(rule.positions) == 2 and rule.positions[1] == a + 1
                    and a + 1 <= len(parts) and not parts[a - 1][1] and not parts[a][1]
                    and a not in merged and a - 1 not in merged.values() and a + 1 not in merged):
                merged[a] = a + 1
            else:
                rules.append(rule)
        chain_parts: list[tuple[bytes, bool]] = []
        i = 1
        while i <= len(parts):
            if i in merged:
                first, second = parts[i - 1][0], parts[i][0]
                chain_parts.append((b"(?:" + first + self.el + second + b"|" + self.el + b")",
                                    True))
                i += 2
            else:
                chain_parts.append(parts[i - 1])
                i += 1
        body = self._chain(self.el, chain_parts, optional_flags=[
            not (i in merged) and not parts[i - 1][1] for i in self._starts(len(parts), merged)])
        syntax = b"".join(self._syntax(rule) for rule in rules)
        pattern = re.escape(seg.id.encode()) + syntax + body + self.term + self.gap
        self.cache[key] = pattern
        return pattern

    @staticmethod
    def _starts(count: int, merged: dict[int, int]) -> list[int]:
        out, i = [], 1
        while i <= count:
            out.append(i)
            i += 2 if i in merged else 1
        return out

    # -- grammar --------------------------------------------------------------------------
    @staticmethod
    def _repeat(pattern: bytes, mandatory: bool, most: int | None) -> bytes:
        low = 1 if mandatory else 0
        if most == 1:
            return b"(?:" + pattern + b")" + (b"" if mandatory else b"?+")
        high = b"" if most is None else b"%d" % most
        return b"(?:" + pattern + b"){%d,%s}+" % (low, high)

    def loop_body(self, loop: LoopDef) -> bytes:
        out = []
        for i, child in enumerate(loop.children):
            if isinstance(child, SegmentDef):
                if i == 0 and loop.id != "ST":
                    out.append(self.segment(child))          # the trigger, once per iteration
                else:
                    out.append(self._repeat(self.segment(child), child.mandatory, child.max_use))
            else:
                out.append(self._repeat(self.loop_body(child), child.mandatory, child.repeat))
        return b"".join(out)


def compile_set(root: LoopDef, delimiters: Delimiters, release: str) -> re.Pattern[bytes]:
    """The fast-path pattern of a set for these delimiters (fullmatch over ST..SE bytes)."""
    compiler = _Compiler(delimiters, release)
    return re.compile(compiler.gap + compiler.loop_body(root), re.DOTALL)
