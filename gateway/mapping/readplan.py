"""Inbound plans: a mapping's node tree compiled once into dispatch tables and field setters.

Reading runs for every received set, so everything that depends only on the mapping is worked
out here, once per loaded Mapping (kept in ``Mapping.plans``): which segment ids each level
reacts to and in what order, the ``match`` tests as (element, component, value), every element's
converter (code table + format) and setter (field path already split). The reader then does
only per-segment work: a dict lookup by segment id and a loop over prepared tuples.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Sequence

from gateway.mapping import fields as F
from gateway.mapping.compiled import Mapping, element_spec, match_of, trigger
from gateway.mapping.spec import Condition, HLNode, LoopNode, Node, SegmentNode, parse_element_ref
from gateway.mapping.transforms import EXPECTED, FORMATS

Setter = "str | Callable[[dict, Any], None]"
"""A plain key (most fields: ``po_number``) or a function for dotted / indexed paths."""


@dataclass(frozen=True, slots=True)
class FieldPlan:
    """One mapped element: where to read it, when, how to convert it and where to put it."""

    element: int
    component: int | None
    condition: Condition | None
    required: bool
    setter: Any  # Setter
    convert: Callable[[str], Any] | None
    """None: the text is the value; else raises ValueError(expected) for text that does not fit."""
    field: str
    origin: str
    """The field path as canonical error locations spell it (``address.lines.0``)."""
    table: dict[str, str] | None = None
    """The code table applied before ``parse`` (their code -> ours, ``*`` the fallback)."""
    parse: Callable[[str], Any] | None = None
    expected: str = ""
    """What ``parse`` wants, for the error when it refuses the text."""


@dataclass(slots=True)
class SegmentPlan:
    node: SegmentNode
    context: Callable[[dict, str, bool], tuple[dict, str]] | None
    fields: tuple[FieldPlan, ...]
    ids_start: int
    ids_end: int
    """Exclusive end of the qualifier/value pairs, as an element index."""
    ids_codes: dict[str, tuple[Any, str, str]] | None
    """Qualifier -> (setter, field path, origin path) for ``ids`` pairs."""
    fast: Callable[[Any, int, Any, dict], None] | None = None
    """The plan as one generated function (readgen.py), used when no origins are recorded."""


@dataclass(frozen=True, slots=True)
class Entry:
    """A node as seen from its level: its match tests and what reading it means."""

    kind: str  # "segment" | "loop" | "hl"
    node: Node
    tests: tuple[tuple[int, int | None, str], ...]
    segment: SegmentPlan | None = None
    """The segment node's plan, or for a loop its first (header) segment's plan."""
    context: Callable[[dict, str, bool], tuple[dict, str]] | None = None
    """A loop's own into/each (applied before its header segment's)."""
    inner: "Level | None" = None
    """A loop's body after its header segment."""
    hl_stop: frozenset[str] = frozenset()
    node_id: int = 0
    """id(node), for the reader's record of which top-level nodes were seen."""
    each: str = ""
    """A loop whose context is a plain ``each: name`` (no into): the name, for the reader to
    append the item inline (``_each_step``)."""


@dataclass(frozen=True, slots=True)
class Level:
    """Nodes read side by side: a dispatch table by segment id (candidates in node order)."""

    dispatch: dict[str, tuple[Entry, ...]]
    own: frozenset[str]
    stop: frozenset[str]
    """Segment ids that end this level (an outer level's, and always SE)."""
    single: dict[str, Entry]
    """Segment ids with one candidate and no match test: taken without trying."""


def top_level(mapping: Mapping) -> Level:
    level = mapping.plans.get("read:top")
    if level is None:
        level = mapping.plans["read:top"] = _level(mapping, mapping.body, frozenset({"SE"}))
    return level


def hl_body_level(mapping: Mapping, node: HLNode) -> Level:
    key = ("read:hl", id(node))
    level = mapping.plans.get(key)
    if level is None:
        level = mapping.plans[key] = _level(mapping, node.body, frozenset({"HL"}))
    return level


def _level(mapping: Mapping, nodes: Sequence[Node], stop: frozenset[str]) -> Level:
    own = frozenset(trigger(n) for n in nodes)
    dispatch: dict[str, list[Entry]] = {}
    for index, node in enumerate(nodes):
        tests = tuple((el, comp, value) for (_, el, comp), value in
                      ((parse_element_ref(ref), value) for ref, value in match_of(node).items()))
        if isinstance(node, SegmentNode):
            entry = Entry("segment", node, tests, segment=segment_plan(mapping, node),
                          node_id=id(node))
        elif isinstance(node, LoopNode):
            inner = _level(mapping, node.body[1:], stop | own | {node.loop})
            each = node.each if node.each and not node.into and "." not in node.each \
                and "[" not in node.each else ""
            entry = Entry("loop", node, tests, segment=segment_plan(mapping, node.body[0]),
                          context=context_of(node), inner=inner, node_id=id(node), each=each)
        else:
            after = frozenset(trigger(n) for n in nodes[index + 1:]) | {"SE"}
            entry = Entry("hl", node, tests, hl_stop=after - {"HL"}, node_id=id(node))
        dispatch.setdefault(trigger(node), []).append(entry)
    single = {k: v[0] for k, v in dispatch.items() if len(v) == 1 and not v[0].tests}
    return Level({k: tuple(v) for k, v in dispatch.items() if k not in single}, own,
                 stop | {"SE"}, single)


def segment_plan(mapping: Mapping, node: SegmentNode) -> SegmentPlan:  # type: ignore[arg-type]
    key = ("read:segment", id(node))
    plan = mapping.plans.get(key)
    if plan is not None:
        return plan
    fields = []
    for ref, raw in node.elements.items():
        spec = element_spec(raw)
        if not spec.field:
            continue
        _, el, comp = parse_element_ref(ref)
        cond = Condition.parse(spec.when) if spec.when is not None else None
        fields.append(FieldPlan(el, comp, cond, spec.required, setter(spec.field),
                                converter(mapping, spec.codes, spec.format), spec.field,
                                origin_path(spec.field),
                                mapping.codes[spec.codes] if spec.codes else None,
                                parser(spec.format), EXPECTED.get(spec.format, spec.format)))
    ids_start = ids_end = 0
    ids_codes = None
    if node.ids is not None:
        _, ids_start, _ = parse_element_ref(node.ids.start)
        ids_end = ids_start + 2 * node.ids.pairs
        ids_codes = {qual: (setter(target), target, origin_path(target))
                     for qual, target in node.ids.codes.items()}
    plan = SegmentPlan(node, context_of(node), tuple(fields), ids_start, ids_end, ids_codes)
    from gateway.mapping.readgen import compile_segment  # generated from the plan itself

    plan.fast = compile_segment(plan, mapping.name)
    mapping.plans[key] = plan
    return plan


def origin_path(path: str) -> str:
    return path.replace("[", ".").replace("]", "")


def setter(path: str) -> Any:
    """A plain key for ``po_number``; a function for ``item.sku`` or ``address.lines[0]``."""
    parts = F._parts(path)
    if len(parts) == 1 and parts[0][1] is None:
        return parts[0][0]
    if len(parts) == 2 and parts[0][1] is None and parts[1][1] is None:
        outer, inner = parts[0][0], parts[1][0]

        def put_nested(ctx: dict, value: Any) -> None:
            target = ctx.get(outer)
            if target is None:
                target = ctx[outer] = {}
            target[inner] = value
        return put_nested
    return lambda ctx, value: F.put(ctx, path, value)


def converter(mapping: Mapping, codes: str | None, fmt: str) -> Callable[[str], Any] | None:
    """Code translation then format, in one function (None when the text is the value)."""
    table = mapping.codes[codes] if codes else None
    parse = parser(fmt)
    expected = EXPECTED.get(fmt, fmt)
    if table is None and parse is None:
        return None
    if parse is None:
        fallback_code = table.get("*")  # type: ignore[union-attr]

        def translate(text: str) -> Any:
            got = table.get(text)  # type: ignore[union-attr]
            if got is None:
                return fallback_code if fallback_code is not None else text
            return got
        return translate

    def convert(text: str) -> Any:
        if table is not None:
            text = table[text] if text in table else table.get("*", text)
        try:
            return parse(text)
        except ValueError:
            raise ValueError(expected) from None
    return convert


_CACHED_FORMATS = frozenset({"date", "date6", "date8", "decimal"})
_DATE_CACHE_SIZE = 4096


def parser(fmt: str) -> Callable[[str], Any] | None:
    """The text -> value function of a format (None for text). Dates and decimals are
    remembered per text: the same few dates, quantities and prices recur on every line and in
    every order of a file, and both are immutable (a Decimal read from text is exact, whatever
    the context), so one parse per distinct text is enough."""
    if fmt == "text":
        return None
    parse = FORMATS[fmt][0]
    if fmt not in _CACHED_FORMATS:
        return parse
    cache: dict[str, Any] = {}

    def parse_cached(text: str) -> Any:
        value = cache.get(text)
        if value is None:
            value = parse(text)  # ValueError for text that does not fit: never cached
            if len(cache) >= _DATE_CACHE_SIZE:
                cache.clear()
            cache[text] = value
        return value
    parse_cached.cache = cache  # type: ignore[attr-defined]  # read in place by readgen
    return parse_cached


def context_of(node: Node) -> Callable[[dict, str, bool], tuple[dict, str]] | None:
    """The node's ``into`` / ``each`` step as one function: (ctx, prefix, track) -> new pair.

    ``each`` appends a fresh item even when the segment then sets nothing (an empty REF still
    makes a reference, as it always did). The prefix is built only when ``track`` is set."""
    into = getattr(node, "into", None)
    each = getattr(node, "each", None)
    if not into and not each:
        return None
    if not into and "." not in each and "[" not in each:  # type: ignore[operator]
        return _each_step(each)  # type: ignore[arg-type]
    if not each and "." not in into and "[" not in into:  # type: ignore[operator]
        return _into_step(into)  # type: ignore[arg-type]

    def step(ctx: dict, prefix: str, track: bool) -> tuple[dict, str]:
        if into:
            ctx = F.child(ctx, into)
            if track:
                prefix = f"{prefix}{into}."
        if each:
            lst = ctx.get(each) if "." not in each and "[" not in each else F.get(ctx, each)
            if not isinstance(lst, list):
                lst = []
                F.put(ctx, each, lst)
            item: dict = {}
            lst.append(item)
            if track:
                prefix = f"{prefix}{each}.{len(lst) - 1}."
            ctx = item
        return ctx, prefix
    return step


def _each_step(name: str) -> Callable[[dict, str, bool], tuple[dict, str]]:
    """``each: lines``: a new item at the end of ``ctx[name]`` (the common case, inlined)."""
    def each_step(ctx: dict, prefix: str, track: bool) -> tuple[dict, str]:
        lst = ctx.get(name)
        if not isinstance(lst, list):
            lst = ctx[name] = []
        item: dict = {}
        lst.append(item)
        return item, (f"{prefix}{name}.{len(lst) - 1}." if track else prefix)
    return each_step


def _into_step(name: str) -> Callable[[dict, str, bool], tuple[dict, str]]:
    """``into: address``: the sub-object ``ctx[name]``, made when absent (``fields.child``)."""
    def into_step(ctx: dict, prefix: str, track: bool) -> tuple[dict, str]:
        existing = ctx.get(name)
        if not isinstance(existing, dict):
            existing = ctx[name] = {}
        return existing, (f"{prefix}{name}." if track else prefix)
    return into_step
