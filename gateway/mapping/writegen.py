"""A segment's write plan turned into one straight-line Python function (the outbound hot path).

The interpreted writer calls a value function per element and fills a list; the generated
function reads each field in place (attribute or key), applies default, code table and format,
and fills the template list, for segments without components or conditions (the others, and
count/sum elements, keep their value functions). Source is generated from validated plans:
positions are ints, field names identifiers (``fields._parts``), every other value is passed in
by name or written with ``repr``, so no mapping text becomes code.
"""

from __future__ import annotations

import datetime as dt
import keyword
from decimal import Decimal
from enum import Enum
from typing import Any, Callable

from gateway.mapping import fields as F
from gateway.mapping import transforms
from gateway.mapping.access import _MODELS, _step, getter
from gateway.mapping.errors import OutboundError

Write = Callable[[Any, Any, bool], "list[str] | None"]
"""``write(ctx, root, force) -> elements`` (None when the segment is left out)."""

_PLAIN = (str, Decimal, int)
_DIRECT = frozenset({Decimal, int, dt.date, dt.datetime})
"""Exact classes a value is written from as it is (the general test would leave them alone)."""
_CACHE_SIZE = 4096
_CACHED_FORMATS = frozenset({"decimal", "date", "date8", "date6"})


def formatter(fmt: str) -> Callable[[Any], str] | None:
    """The value -> text function of a format (None for text). Decimal and date texts depend
    only on the value, and the same prices, quantities and dates recur on every line, so they
    are remembered per (type, value)."""
    if fmt == "text":
        return None
    out = transforms.FORMATS[fmt][1]
    if fmt not in _CACHED_FORMATS:
        return out
    cache: dict[tuple[type, Any], str] = {}

    def cached(value: Any) -> str:
        try:
            key = (value.__class__, value)
            text = cache.get(key)
        except TypeError:  # unhashable: not a value these formats know anyway
            return out(value)
        if text is None:
            text = out(value)  # errors propagate and are never cached
            if len(cache) >= _CACHE_SIZE:
                cache.clear()
            cache[key] = text
        return text
    cached.cache = cache  # type: ignore[attr-defined]  # read in place by generated writers
    return cached


def compile_segment(plan: Any, specs: tuple, segment: Any, mapping: Any) -> Write:
    """Generate ``write`` for a template plan (see writeplan.SegmentPlan)."""
    names: dict[str, Any] = {"template": plan.template, "MODELS": _MODELS, "step": _step,
                             "Enum": Enum,
                             "PLAIN": _PLAIN, "DIRECT": _DIRECT,
                             "missing": _missing(mapping.name, segment.segment),
                             "unfit": _unfit(mapping.name)}
    width = len(plan.template)
    lines = ["def write(ctx, root, force):",
             "    model = ctx.__class__ in MODELS",
             "    out = template.copy()",
             f"    top = {int(plan.match_top)}",
             "    filled = False"]
    matched = frozenset(el for el, _ in plan.match)
    for k, ((el, _, value_of, cond), spec) in enumerate(zip(plan.elements, specs)):
        lines += _element_lines(k, int(el), value_of, spec, mapping, names,
                                _condition_lines(k, cond, matched, names))
    if plan.ids is not None:
        lines += _ids_lines(*plan.ids, names)
    keep = bool(segment.always or segment.required)
    lines += [f"    if not (filled or {keep} or force):",
              "        return None",
              f"    return out if top == {width} else out[:top]"]
    namespace = dict(names)
    exec(compile("\n".join(lines) + "\n", f"<write plan {segment.segment}>", "exec"), namespace)
    return namespace["write"]


def _get_lines(key: str, path: str, target: str, source: str,
               names: dict[str, Any], first: str | None = None) -> list[str]:
    """Code reading ``path`` from ``source`` into ``target`` (None when any step is missing).
    ``first``: a variable already holding the path's first step (read once, used by many)."""
    parts = F._parts(path)
    if any(index is not None for _, index, _ in parts):
        names[f"get{key}"] = getter(path)
        return [f"    {target} = get{key}({source})"]
    lines = []
    current = source
    for n, (name, _, _) in enumerate(parts):
        is_model = "model" if current == "ctx" else f"{current}.__class__ in MODELS"
        if n == 0:
            ind = "    "
            if first is not None:
                lines.append(f"    {target} = {first}")
                current = target
                continue
        else:
            lines.append(f"    if {target} is not None:")
            ind = "        "
        if keyword.iskeyword(name):  # not writable as an attribute: getattr, as before
            lines.append(f"{ind}{target} = getattr({current}, {name!r}, None) if {is_model} "
                         f"else step({current}, {name!r})")
        else:  # a model's field read as an attribute: what getattr(.., None) does, faster
            lines += [f"{ind}if {is_model}:",
                      f"{ind}    try:",
                      f"{ind}        {target} = {current}.{name}",
                      f"{ind}    except AttributeError:",
                      f"{ind}        {target} = None",
                      f"{ind}else:",
                      f"{ind}    {target} = step({current}, {name!r})"]
        current = target
    return lines


def _first_steps(paths: list[str]) -> dict[str, str]:
    """First steps shared by several plain paths (item.sku, item.upc): read once up front
    (reads have no side effects, so reading one that the table then skips changes nothing)."""
    counts: dict[str, int] = {}
    for path in paths:
        parts = F._parts(path)
        if len(parts) > 1 and all(index is None for _, index, _ in parts):
            counts[parts[0][0]] = counts.get(parts[0][0], 0) + 1
    return {name: f"first_{name}" for name, count in counts.items() if count > 1}


def _ids_lines(start: int, pairs: int, codes: tuple, names: dict[str, Any]) -> list[str]:
    """Qualifier/value pairs unrolled: each qualifier in table order takes the next free pair
    when its field has a value and that field was not written under another qualifier. (The
    n-th qualifier always finds a free pair when n < pairs, and a field named once needs no
    written-flag: those tests are left out.)"""
    targets: dict[str, int] = {}
    uses: dict[str, int] = {}
    for _, target, _ in codes:
        uses[target] = uses.get(target, 0) + 1
    shared = _first_steps([target for _, target, _ in codes])
    lines = ["    k = 0"]
    for name, var in shared.items():
        lines += _get_lines(f"first_{name}", name, var, "ctx", names)
    for n, (qual, target, _) in enumerate(codes):
        t = targets.setdefault(target, len(targets))
        names[f"qual{n}"] = qual
        first = shared.get(F._parts(target)[0][0])
        get = _get_lines(f"id{n}", target, "value", "ctx", names, first)
        tests = ([f"k < {int(pairs)}"] if n >= pairs else []) + \
            ([f"not wrote{t}"] if uses[target] > 1 else [])
        ind = "    "
        if tests:
            lines.append(f"    if {' and '.join(tests)}:")
            ind = "        "
        lines += [ind + line[4:] for line in get]
        lines += [
            f"{ind}if value is not None and not (isinstance(value, str) and not value):",
            *([f"{ind}    wrote{t} = True"] if uses[target] > 1 else []),
            f"{ind}    at = {int(start)} + 2 * k",
            f"{ind}    out[at - 1] = qual{n}",
            f"{ind}    out[at] = value if value.__class__ is str else str(value)",
            f"{ind}    if at + 1 > top:",
            f"{ind}        top = at + 1",
            f"{ind}    k += 1",
            f"{ind}    filled = True",
        ]
    flags = [f"    wrote{targets[target]} = False" for target in targets if uses[target] > 1]
    return flags + lines


def _condition_lines(k: int, cond: Any, matched: frozenset[int],
                     names: dict[str, Any]) -> list[str]:
    """``when: ACK04 in 068,...``: a written element also writes the condition's first value
    where nothing was written yet (the interpreted writer's ``setdefault``)."""
    if cond is None or int(cond.element) in matched:
        return []
    ce = int(cond.element)
    names[f"when{k}"] = cond.values[0]
    return [f"if out[{ce - 1}] == '':",
            f"    out[{ce - 1}] = when{k}",
            f"    if {ce} > top:",
            f"        top = {ce}"]


def _element_lines(k: int, el: int, value_of: Any, spec: Any, mapping: Any,
                   names: dict[str, Any], when: list[str]) -> list[str]:
    if spec.count or spec.sum or not spec.field:
        # computed totals and constants: the element's value function, as interpreted
        names[f"value{k}"] = value_of
        return [f"    text, from_doc = value{k}(ctx, root)",
                "    if text:",
                f"        out[{el - 1}] = text",
                f"        if {el} > top:",
                f"            top = {el}",
                "        if from_doc:",
                "            filled = True"]
    lines: list[str] = []
    body = "    "
    if spec.only_with:
        lines += _get_lines(f"{k}_with", spec.only_with, "paired", "ctx", names)
        lines.append("    if paired is not None and not (isinstance(paired, str) and not paired):")
        body = "        "
    get = _get_lines(str(k), spec.field, "value", "ctx", names)
    lines += [body + line[4:] for line in get]
    fallback = spec.const if spec.const is not None else spec.default
    names[f"field{k}"] = spec.field
    inner = body + "    "
    deep = inner + "    "
    # the usual classes first: text (empty or not) and values written as they are; anything
    # else (an Enum, None, an object with .value) takes the general test, as interpreted
    lines += [f"{body}cls = value.__class__",
              f"{body}if cls is str:",
              f"{inner}if value:"]
    lines += _filled_lines(k, el, spec, mapping, names, when, deep, True)
    lines += [f"{inner}else:"]
    lines += _empty_lines(k, el, spec, fallback, names, when, deep)
    lines += [f"{body}elif cls in DIRECT:"]
    lines += _filled_lines(k, el, spec, mapping, names, when, inner, False)
    lines += [
        f"{body}else:",
        f"{inner}if value is not None and value.__class__ not in PLAIN:",
        f"{deep}if isinstance(value, Enum):",  # _value_: what .value reads, without the
        f"{deep}    value = value._value_",    # descriptor
        f"{deep}elif hasattr(value, 'value'):",
        f"{deep}    value = value.value",
        f"{inner}if value is None or (isinstance(value, str) and not value):",
    ]
    lines += _empty_lines(k, el, spec, fallback, names, when, deep)
    lines.append(f"{inner}else:")
    lines += _filled_lines(k, el, spec, mapping, names, when, deep, False)
    return lines


def _empty_lines(k: int, el: int, spec: Any, fallback: Any, names: dict[str, Any],
                 when: list[str], ind: str) -> list[str]:
    """No value: the fallback (with its condition's value), a missing-value error, or nothing."""
    if fallback is not None:
        names[f"fallback{k}"] = fallback
        if fallback != "":
            return [ind + line for line in when] + [f"{ind}out[{el - 1}] = fallback{k}",
                                                    f"{ind}if {el} > top:",
                                                    f"{ind}    top = {el}"]
        return [f"{ind}pass"]
    if spec.required:
        return [f"{ind}raise missing({el}, field{k})"]
    return [f"{ind}pass"]


def _filled_lines(k: int, el: int, spec: Any, mapping: Any, names: dict[str, Any],
                  when: list[str], ind: str, text_value: bool) -> list[str]:
    """A value: code table, format, then the element (``text_value``: value is known str)."""
    lines = []
    if spec.codes:
        names[f"reverse{k}"] = _reverse(mapping.codes[spec.codes])
        if not text_value:
            lines.append(f"{ind}value = value if value.__class__ is str else str(value)")
        lines.append(f"{ind}value = reverse{k}.get(value, value)")
        text_value = False  # a table's value is written as str() of it, like any other
    out = formatter(spec.format)
    if out is None:
        lines.append(f"{ind}text = value" if text_value else
                     f"{ind}text = value if value.__class__ is str else str(value)")
    else:
        names[f"format{k}"] = out
        names[f"fmt{k}"] = spec.format
        cache = getattr(out, "cache", None)
        if cache is not None:  # the formatter's own memory, read here without a call
            names[f"cache{k}"] = cache
            lines += [f"{ind}try:",
                      f"{ind}    text = cache{k}.get((value.__class__, value))",
                      f"{ind}except TypeError:",
                      f"{ind}    text = None",
                      f"{ind}if text is None:"]
            ind2 = ind + "    "
        else:
            ind2 = ind
        lines += [f"{ind2}try:",
                  f"{ind2}    text = format{k}(value)",
                  f"{ind2}except (ValueError, ArithmeticError, TypeError):",
                  f"{ind2}    raise unfit(field{k}, value, fmt{k}) from None"]
    lines.append(f"{ind}if text:")
    lines += [ind + "    " + line for line in when]
    lines += [f"{ind}    out[{el - 1}] = text",
              f"{ind}    if {el} > top:",
              f"{ind}        top = {el}",
              f"{ind}    filled = True"]
    return lines


def _reverse(table: dict[str, str]) -> dict[str, str]:
    """Our value -> their code: the first code mapping to it (``transforms.translate_out``)."""
    reverse: dict[str, str] = {}
    for code, ours in table.items():
        if code != "*" and ours not in reverse:
            reverse[ours] = code
    return reverse


def _missing(mapping: str, segment: str) -> Callable[[int, str], OutboundError]:
    def missing(el: int, field: str) -> OutboundError:
        return OutboundError("required value is missing", segment_id=segment,
                             element_position=el, field=field, mapping=mapping)
    return missing


def _unfit(mapping: str) -> Callable[[str, Any, str], OutboundError]:
    def unfit(field: str, value: Any, fmt: str) -> OutboundError:
        return OutboundError("value cannot be written in this format", field=field,
                             value=str(value), expected=fmt, mapping=mapping)
    return unfit
