"""Syntax notes written into a segment's element chain: no lookahead at all.

A note (P paired, R required, E exclusion, C conditional, L list conditional) only asks which
elements are present (non-empty). As lookaheads, each note re-reads the segment from some element
on, in a fresh engine frame: measured, that was half the match time of a PID. Here the chain of
elements branches at every element a note names, "present" or "empty", carrying the presence of
the elements that notes still pending need; a branch that would break a note is left out, and
the segment may end early only where every pending note holds with the rest absent. The chain
then matches exactly the segments whose notes hold, and the verdict of a note comes from
`check_syntax`, the function the slow walk uses.

The pattern is a tree (Python's `re` has no subroutines), so a branch is copied per state;
notes usually resolve within a few elements, and a segment over `MAX_PATTERN` falls back to
lookaheads.
"""
from __future__ import annotations

from dataclasses import dataclass

from gateway.x12.structure_elements import check_syntax
from gateway.x12.structure_model import SyntaxRule

MAX_PATTERN = 12_000   # bytes per segment


@dataclass(frozen=True)
class Part:
    """One link of the chain: one element, or a merged pair (never named by a pending note)."""

    position: int        # first element position
    value: bytes         # the value pattern as `_chain` writes it
    kind: str            # "M", "O", "O0", "pair", "pair!"
    nonempty: bytes      # a pattern of a non-empty value (single elements)


def _holds(rule: SyntaxRule, present: frozenset[int]) -> bool:
    values = tuple("x" if p in present else "" for p in range(1, max(rule.positions) + 1))
    return check_syntax(rule, values)


def notes_chain(sep: bytes, parts: list[Part], rules: list[SyntaxRule],
                at_least_one: bool = False) -> bytes | None:
    """The chain `sep v1 (sep v2 (...))` with `rules` built in, or None when it is too large.
    Every position a rule names must be a single-element part of `parts`. `at_least_one`: the
    first separator is required (a segment with no element at all is an error)."""
    mandatory_from = [False] * (len(parts) + 1)
    for i in range(len(parts) - 1, -1, -1):
        mandatory_from[i] = mandatory_from[i + 1] or parts[i].kind in ("M", "pair!")
    memo: dict[tuple[int, frozenset[int], tuple[SyntaxRule, ...]], bytes | None] = {}
    size = [0]

    def decide(i: int, present: frozenset[int], pending: tuple[SyntaxRule, ...], p: int
               ) -> bytes | None:
        still = []
        for rule in pending:
            if max(rule.positions) <= p:
                if not _holds(rule, present):
                    return None
            else:
                still.append(rule)
        needed = {q for rule in still for q in rule.positions}
        return rest(i + 1, frozenset(q for q in present if q in needed), tuple(still))

    def rest(i: int, present: frozenset[int], pending: tuple[SyntaxRule, ...]) -> bytes | None:
        if i == len(parts):
            return b"" if all(_holds(r, present) for r in pending) else None
        key = (i, present, pending)
        if key in memo:
            size[0] += len(memo[key] or b"")
            return memo[key]
        part = parts[i]
        end_ok = not mandatory_from[i] and not (at_least_one and i == 0) and \
            all(_holds(r, present) for r in pending)
        needed = {q for rule in pending for q in rule.positions}
        if part.position in needed:
            alts = []
            with_it = decide(i, present | {part.position}, pending, part.position)
            if with_it is not None:
                alts.append(sep + part.nonempty + with_it)
            if part.kind != "M":
                without = decide(i, present, pending, part.position)
                if without is not None:
                    alts.append(sep + without)
            body = (b"(?:" + b"|".join(alts) + b")") if alts else None
        else:
            after = rest(i + 1, present, pending)
            value = b"(?:" + part.value + b")?+" if part.kind == "O" else part.value
            body = None if after is None else sep + value + after
        if body is None:
            out = b"" if end_ok else None
        else:
            out = b"(?:" + body + b")?+" if end_ok else body
        memo[key] = out
        size[0] += len(out or b"")
        return out

    chain = rest(0, frozenset(), tuple(rules))
    if chain is None:
        return b"(?!)"
    return None if size[0] > MAX_PATTERN else chain
