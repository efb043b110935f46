"""Compile a set's structure into ONE regular expression over the raw ST..SE bytes: the fast path.

A loop grammar over segment IDs is a regular language, and so is each element's type, length and
code list, so a whole valid set is matched at C speed by `fullmatch`. The pattern is conservative:
when it matches, the slow walk (structure_walk) would find no error; when it does not, the walk
runs and names the errors. Possessive quantifiers keep matching linear, like X12's own greedy,
deterministic placement.
"""
from __future__ import annotations

import re
from functools import lru_cache

from gateway.x12.model import Delimiters, framing_whitespace
from gateway.x12.structure_model import CompositeDef, ElementDef, LoopDef, SegmentDef, SyntaxRule
from gateway.x12.structure_notes import Part, notes_chain

_EXTENDED = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!\"&'()*+,-./:;?= %~@[]_{}\\|<>#$"
_DATE = (rb"(?:1[89]|[2-9][0-9])[0-9]{2}(?:(?:0[13578]|1[02])(?:0[1-9]|[12][0-9]|3[01])"
         rb"|(?:0[469]|11)(?:0[1-9]|[12][0-9]|30)|02(?:0[1-9]|1[0-9]|2[0-8]))")


@lru_cache(maxsize=4096)
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


def _trie(codes: list[bytes]) -> bytes:
    """A code list as a trie-shaped alternation (cached: the same lists recur in many elements,
    and building them was a third of the compile time)."""
    return _trie_of(tuple(codes))


@lru_cache(maxsize=1024)
def _trie_of(codes: tuple[bytes, ...]) -> bytes:
    """A code list as a trie-shaped alternation: the engine tests one first byte per branch
    instead of every code in turn (long lists such as units cost ~20 tests otherwise). Longer
    codes sharing a prefix come first, so the possessive tail never cuts a longer code short."""
    if b"" in codes and len(codes) == 1:
        return b""
    by_first: dict[int, list[bytes]] = {}
    for code in codes:
        if code:
            by_first.setdefault(code[0], []).append(code[1:])
    branches = []
    for first, rests in sorted(by_first.items()):
        head = re.escape(bytes([first]))
        if rests == [b""]:
            branches.append(head)
            continue
        tails = sorted(set(rests), key=lambda c: (-len(c), c))
        if all(len(t) == 1 for t in tails):
            branches.append(head + _class(b"".join(tails)))
            continue
        branches.append(head + _trie_of(tuple(tails)))
    if b"" in codes:
        branches.append(b"")
    if len(branches) == 1 and b"" not in codes:
        return branches[0]
    if b"" not in codes and all(len(code) == 1 for code in codes):
        return _class(b"".join(codes))
    return b"(?:" + b"|".join(branches) + b")"


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
        # a segment's end: its terminator, not right after an element separator ("N3*A*~" is a
        # trailing-separator warning for the walk); one lookbehind per segment is ~8x cheaper
        # than searching each block for separator + terminator
        self.end = b"(?<!" + self.el + b")" + self.term

    # -- values ---------------------------------------------------------------------------
    def value(self, el: ElementDef) -> bytes:
        low, high = el.min_len, el.max_len
        if el.codes is not None:
            codes = sorted((c.encode() for c in el.codes if c and low <= len(c) <= high),
                           key=lambda c: (-len(c), c))
            if not codes:
                return b"(?!)"
            return _trie(codes)
        t = el.data_type
        if t in ("AN", "ID"):
            # possessive run, then "the last character is not a space" as a lookbehind: no
            # backtracking (trailing spaces are an error for pyx12; the walk decides the rest)
            return self.text_class + b"{%d,%d}+(?<! )" % (max(low, 1), high)
        if t.startswith("N"):
            return b"-?[0-9]{%d,%d}+" % (low, high)
        if t == "R":
            # digits and at most one point; the point counts towards max here (conservative).
            # One negative lookahead for the length and possessive runs, no alternation: ~15%
            # faster on a PO1 than a lookahead plus two branches.
            if low <= 1:    # at least one digit, and the value does not end with the point
                return b"-?+(?![0-9.]{%d})[0-9]*+(?:\\.[0-9]++)?+(?<=[0-9])" % (high + 1)
            # min length counts digits only: ask for them before any point (conservative)
            return b"-?+(?![0-9.]{%d})[0-9]{%d,}+(?:\\.[0-9]++)?+" % (high + 1, low)
        if t == "DT" and low == high == 8:
            return _DATE
        if t == "TM":
            if high < 6:
                return rb"(?:[01][0-9]|2[0-3])[0-5][0-9]"
            return rb"(?:[01][0-9]|2[0-3])[0-5][0-9](?:[0-5][0-9][0-9]{0,%d})?" % min(high - 6, 2)
        return b"(?!)"  # other types always take the slow path

    def _chain(self, sep: bytes, parts: list[tuple[bytes, str]],
               guards: dict[int, bytes] | None = None, at_least_one: bool = False) -> bytes:
        """sep v1 (sep v2 (...)?)?: trailing omittable parts may be left out entirely and an
        optional value may be empty (a separator right before the terminator is caught by the
        caller, which sends such sets to the slow path). Part kinds: "M" mandatory, "O" optional,
        "pair" (two neighbouring elements tied by a syntax note, may be both empty) and
        "pair!" (a pair that needs at least one of its values)."""
        out = b""
        need = False
        guards = guards or {}
        for index in range(len(parts) - 1, -1, -1):
            value, kind = parts[index]
            need = need or kind in ("M", "pair!")
            group = guards.get(index, b"") + sep + (
                b"(?:" + value + b")?+" if kind == "O" else value) + out
            # kind "O0": an optional value whose pattern already accepts "" (one group less)
            out = group if need or (at_least_one and index == 0) else b"(?:" + group + b")?+"
        return out

    def composite(self, c: CompositeDef) -> bytes:
        parts = [(self.value(el), "M" if el.mandatory else "O") for el in c.components]
        first, *rest = parts
        tail = self._chain(self.comp, rest) if rest else b""
        if first[1] != "M":
            return b"(?!)"  # optional first component: rare, slow path
        return first[0] + tail

    def _syntax(self, rule: SyntaxRule, origin: int = 1) -> bytes:
        """Lookaheads for a syntax note, read from the separator before element `origin`."""
        def present(p: int) -> bytes:
            # unrolled: a counted group repeat costs the engine far more than the same
            # possessive steps written out (no atomic group needed: nothing can backtrack)
            return b"(?=" + (self.el + self.not_sep + b"*+") * (p - origin) + self.el + \
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

    def _notes(self, rules: list[SyntaxRule], origin: int) -> bytes:
        """These notes as lookaheads read from the separator before element `origin`."""
        return b"".join(self._syntax(rule, origin) for rule in rules)

    def _pair(self, rule: SyntaxRule, va: bytes, vb: bytes) -> tuple[bytes, str] | None:
        """A note on two neighbouring optional elements a, a+1 as one chain part (no lookahead):
        the alternatives list which of the two may be present. The separator between them is
        optional when b is empty (it is left out when nothing follows)."""
        e = self.el
        both, only_a = va + e + vb, va + b"(?:" + e + b")?+"
        only_b, neither = e + vb, b"(?:" + e + b")?+"
        first, second = rule.positions
        if rule.kind == "P":
            alts, kind = (both, neither), "pair"
        elif rule.kind == "C" and second == first + 1:       # a present -> b present
            alts, kind = (both, only_b, neither), "pair"
        elif rule.kind == "C" and second == first - 1:       # b present -> a present
            alts, kind = (both, only_a, neither), "pair"
        elif rule.kind == "R":
            alts, kind = (both, only_a, only_b), "pair!"
        elif rule.kind == "E":
            alts, kind = (only_a, only_b, neither), "pair"
        else:
            return None
        if alts[:2] == (both, only_a):
            # "a then b" and "a alone" share a: read it once (on "PO1*1*250~" the value was read
            # twice, ~100 ns each; a value matches one way only, so the verdicts are the same)
            alts = (va + b"(?:" + e + vb + b"|(?:" + e + b")?+)",) + alts[2:]
        return b"(?:" + b"|".join(alts) + b")", kind

    def _element_value(self, seg: SegmentDef, position: int) -> bytes:
        el = seg.elements[position - 1]
        return self.composite(el) if isinstance(el, CompositeDef) else self.value(el)

    def segment(self, seg: SegmentDef) -> bytes:
        key = f"{seg.id}:{id(seg)}"
        if key in self.cache:
            return self.cache[key]
        parts: list[tuple[bytes, str]] = []
        for el in seg.elements:
            if (isinstance(el, ElementDef) and not el.mandatory and el.codes is None
                    and el.data_type in ("AN", "ID") and el.min_len <= 1):
                # optional text: a possessive run of 0..max, last character not a space (an
                # empty value looks back at the separator, never a space here)
                parts.append((self.text_class + b"{0,%d}+(?<! )" % el.max_len, "O0"))
                continue
            value = self.composite(el) if isinstance(el, CompositeDef) else self.value(el)
            parts.append((value, "M" if el.mandatory else "O"))
        pattern = self._with_notes(seg, parts) or self._with_lookaheads(seg, parts)
        self.cache[key] = pattern
        return pattern

    def _merge(self, seg: SegmentDef, parts: list[tuple[bytes, str]], avoid: set[int]
               ) -> tuple[dict[int, tuple[bytes, str]], list[SyntaxRule]]:
        """Notes on two neighbouring optional elements (qualifier/ID pairs, value/unit, "if one
        then the other") become one chain part, unless they touch `avoid`; returns the merged
        parts by first position and the notes left over."""
        merged: dict[int, tuple[bytes, str]] = {}
        used: set[int] = set(avoid)
        rules = []
        for rule in seg.syntax:
            pos = sorted(rule.positions)
            if (len(pos) == 2 and pos[1] == pos[0] + 1 and pos[1] <= len(parts)
                    and parts[pos[0] - 1][1] in ("O", "O0") and parts[pos[1] - 1][1] in ("O", "O0")
                    and not used & set(pos)):
                pair = self._pair(rule, self._element_value(seg, pos[0]),
                                  self._element_value(seg, pos[1]))
                if pair is not None:
                    merged[pos[0]] = pair
                    used.update(pos)
                    continue
            rules.append(rule)
        return merged, rules

    def _with_notes(self, seg: SegmentDef, parts: list[tuple[bytes, str]]) -> bytes | None:
        """The segment with its notes inside the chain (structure_notes), or None when a note
        names an element beyond the definition or the pattern would be too large."""
        avoid: set[int] = set()
        while True:
            merged, rules = self._merge(seg, parts, avoid)
            named = {p for rule in rules for p in rule.positions}
            if named <= avoid:
                break
            avoid |= named
        if not rules or max(named) > len(parts):
            return None
        chain: list[Part] = []
        i = 1
        while i <= len(parts):
            if i in merged:
                chain.append(Part(i, merged[i][0], merged[i][1], b""))
                i += 2
                continue
            value, kind = parts[i - 1]
            nonempty = self._element_value(seg, i) if i in named else b""
            chain.append(Part(i, value, kind, nonempty))
            i += 1
        body = notes_chain(self.el, chain, rules, at_least_one=True)
        if body is None:
            return None
        return re.escape(seg.id.encode()) + body + self.end + self.gap

    def _with_lookaheads(self, seg: SegmentDef, parts: list[tuple[bytes, str]]) -> bytes:
        merged, rules = self._merge(seg, parts, set())
        chain: list[tuple[bytes, str]] = []
        starts: dict[int, tuple[int, int]] = {}      # position -> (chain index, its first position)
        i = 1
        while i <= len(parts):
            if i in merged:
                starts[i] = starts[i + 1] = (len(chain), i)
                chain.append(merged[i])
                i += 2
            else:
                starts[i] = (len(chain), i)
                chain.append(parts[i - 1])
                i += 1
        # A note other than R holds when none of its elements is there, so its check sits in the
        # chain at its first element and runs only for segments that reach it, looking ahead from
        # there (most segments end long before their optional noted elements: no check at all).
        # R ("at least one") must run on every segment: it stays in front.
        front: list[SyntaxRule] = []
        placed: dict[int, tuple[int, list[SyntaxRule]]] = {}
        for rule in rules:
            first = min(rule.positions)
            if rule.kind == "R" or first not in starts:
                front.append(rule)
                continue
            index, origin = starts[first]
            placed.setdefault(index, (origin, []))[1].append(rule)
        guards = {index: self._notes(group, origin) for index, (origin, group) in placed.items()}
        syntax = self._notes(front, 1) if front else b""
        # a segment with no element at all ("PO1~") is an error: the chain needs its first
        # separator (a definition without elements always takes the slow path)
        body = self._chain(self.el, chain, guards, at_least_one=True) if chain else b"(?!)"
        return re.escape(seg.id.encode()) + syntax + body + self.end + self.gap

    # -- grammar --------------------------------------------------------------------------
    @staticmethod
    def _repeat(pattern: bytes, mandatory: bool, most: int | None) -> bytes:
        low = 1 if mandatory else 0
        if most == 1:
            return b"(?:" + pattern + b")" + (b"" if mandatory else b"?+")
        high = b"" if most is None else b"%d" % most
        return b"(?:" + pattern + b"){%d,%s}+" % (low, high)

    def loop_body(self, loop: LoopDef, present: frozenset[str] | None = None) -> bytes:
        """The loop's grammar. With `present`, only those segment IDs are written in: a child
        whose ID (a loop's trigger) is not there is left out, or fails the match when it is
        mandatory. On a block holding only IDs of `present` this matches exactly as the full
        grammar does: there, every left-out alternative fails at its first bytes."""
        out = []
        for i, child in enumerate(loop.children):
            first = child if isinstance(child, SegmentDef) else child.trigger
            if present is not None and first.id not in present:
                if child.mandatory or (i == 0 and loop.id != "ST"
                                       and isinstance(child, SegmentDef)):
                    return b"(?!)"           # the loop (or set) cannot match without it
                continue
            if isinstance(child, SegmentDef):
                pattern = self.segment(child)
                if i == 0 and loop.id != "ST":
                    out.append(pattern)          # the trigger, once per iteration
                else:
                    out.append(self._repeat(pattern, child.mandatory, child.max_use))
            else:
                out.append(self._repeat(self.loop_body(child, present), child.mandatory,
                                        child.repeat))
        return b"".join(out)


def compile_set(root: LoopDef, delimiters: Delimiters, release: str) -> re.Pattern[bytes]:
    """The fast-path pattern of a set for these delimiters (fullmatch over ST..SE bytes)."""
    compiler = _Compiler(delimiters, release)
    return re.compile(compiler.gap + compiler.loop_body(root), re.DOTALL)


class SegmentPatterns:
    """Per-segment patterns for the slow walk: a segment whose own pattern matches has no element
    finding, so the walk skips its element-by-element checks (most segments of a rejected set)."""

    def __init__(self, delimiters: Delimiters, release: str):
        self._compiler = _Compiler(delimiters, release)
        self._compiler.gap = b""
        self._terminator = delimiters.segment
        self._patterns: dict[int, re.Pattern[bytes]] = {}

    def clean(self, raw: bytes, definition: SegmentDef) -> bool:
        pattern = self._patterns.get(id(definition))
        if pattern is None:
            pattern = re.compile(self._compiler.segment(definition), re.DOTALL)
            self._patterns[id(definition)] = pattern
        return pattern.fullmatch(raw + self._terminator) is not None
