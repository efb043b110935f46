"""A segment's read plan turned into one straight-line Python function (the inbound hot path).

Interpreting a plan costs a loop, a tuple unpacking and several attribute reads per element; a
function written out for the plan does only the element's own work: index, test, convert, store.
The source is generated from an already validated plan: element positions are ints, field keys
are identifiers (checked by ``fields._parts``) and every other value (codes, constants, condition
values) is passed in by name or written with ``repr``, so no mapping text becomes code.

Used when no origins are recorded; the reader's general method (which records them) stays the
reference the tests compare against.
"""

from __future__ import annotations

from typing import Any, Callable

from gateway.mapping import fields as F
from gateway.mapping.errors import InboundError
from gateway.mapping.readplan import FieldPlan, SegmentPlan

Apply = Callable[[Any, int, Any, dict], None]
"""``apply(segs, i, parts, ctx)``: set every mapped element of segment ``i`` into ``ctx``
(``parts`` is its id and elements; ``segs[i]``, the Segment itself, is only asked for by errors
and components, so sets read as rows never build Segment objects)."""


def compile_segment(plan: SegmentPlan, mapping_name: str) -> Apply:
    names: dict[str, Any] = {"missing": _missing(mapping_name), "bad": _bad(mapping_name)}
    lines = ["def apply(segs, i, parts, ctx):"]
    if plan.context is not None:
        names["context"] = plan.context
        lines.append("    ctx = context(ctx, '', False)[0]")
    lines.append("    n = len(parts)")
    for k, f in enumerate(plan.fields):
        lines.extend(_field_lines(k, f, names))
    if plan.ids_codes:
        names["ids"] = _ids_table(plan.ids_codes)
        lines += [
            "    taken = None",
            f"    for k in range({plan.ids_start}, min({plan.ids_end}, n - 1), 2):",
            "        target = ids.get(parts[k])",
            "        if target is not None:",
            "            value = parts[k + 1]",
            "            if value:",
            "                field = target[0]",
            "                if taken is None:",
            "                    taken = {field}",
            "                elif field in taken:",
            "                    continue",
            "                else:",
            "                    taken.add(field)",
            "                how = target[1]",
            "                if how == 1:",  # item.sku: the sub-object made when absent
            "                    sub = ctx.get(target[2])",
            "                    if sub is None:",
            "                        sub = ctx[target[2]] = {}",
            "                    sub[target[3]] = value",
            "                elif how == 0:",
            "                    ctx[target[2]] = value",
            "                else:",
            "                    target[2](ctx, value)",
        ]
    namespace = dict(names)
    exec(compile("\n".join(lines) + "\n", f"<mapping plan {plan.node.segment}>", "exec"),
         namespace)
    return namespace["apply"]


def _field_lines(k: int, f: FieldPlan, names: dict[str, Any]) -> list[str]:
    el = int(f.element)
    if f.component:
        read = f"    text = segs[i].component({el}, {int(f.component)})"
    else:
        read = f"    text = parts[{el}] if n > {el} else ''"
    lines = [read]
    indent = "    "
    cond = f.condition
    if cond is not None:
        ce = int(cond.element)
        got = f"(parts[{ce}] if n > {ce} else '')"
        if cond.op == "!=":
            test = f"{got} != {cond.values[0]!r}"
        else:
            test = f"{got} in {tuple(cond.values)!r}"
        lines.append(f"    if {test}:")
        indent = "        "
    names[f"field{k}"] = f.field
    lines.append(f"{indent}if text != '':")
    body = indent + "    "
    if f.table is not None:
        names[f"table{k}"] = f.table
        if "*" in f.table:
            names[f"other{k}"] = f.table["*"]
            lines.append(f"{body}text = table{k}.get(text, other{k})")
        else:
            lines.append(f"{body}text = table{k}.get(text, text)")
    if f.parse is not None:
        names[f"parse{k}"] = f.parse
        names[f"expected{k}"] = f.expected
        cache = getattr(f.parse, "cache", None)
        parse_body = body
        if cache is not None and f.table is None:  # element text: the parser's memory in place
            names[f"cache{k}"] = cache
            lines += [f"{body}got = cache{k}.get(text)",
                      f"{body}if got is not None:",
                      f"{body}    text = got",
                      f"{body}else:"]
            parse_body = body + "    "
        lines += [f"{parse_body}try:",
                  f"{parse_body}    text = parse{k}(text)",
                  f"{parse_body}except ValueError:",
                  f"{parse_body}    raise bad(segs[i], {el}, field{k}, text, expected{k}) "
                  "from None"]
    nested = _two_names(f.field)
    if f.setter.__class__ is str:
        lines.append(f"{body}ctx[{f.setter!r}] = text")
    elif nested is not None:  # item.sku: the sub-object made when absent (fields.put)
        outer, inner = nested
        lines += [f"{body}sub = ctx.get({outer!r})",
                  f"{body}if sub is None:",
                  f"{body}    sub = ctx[{outer!r}] = {{}}",
                  f"{body}sub[{inner!r}] = text"]
    else:
        names[f"put{k}"] = f.setter
        lines.append(f"{body}put{k}(ctx, text)")
    if f.required:
        lines += [f"{indent}else:", f"{body}raise missing(segs[i], {el}, field{k})"]
    return lines


def _ids_table(codes: dict[str, tuple[Any, str, str]]) -> dict[str, tuple]:
    """Qualifier -> (field, how, ...): 0 a plain key, 1 a two-step path (outer, inner) set
    inline, 2 the plan's setter function."""
    table: dict[str, tuple] = {}
    for qual, (put, field, _) in codes.items():
        nested = _two_names(field)
        if put.__class__ is str:
            table[qual] = (field, 0, put, None)
        elif nested is not None:
            table[qual] = (field, 1, *nested)
        else:
            table[qual] = (field, 2, put, None)
    return table


def _two_names(path: str) -> tuple[str, str] | None:
    parts = F._parts(path)
    if len(parts) == 2 and parts[0][1] is None and parts[1][1] is None:
        return parts[0][0], parts[1][0]
    return None


def _missing(mapping: str) -> Callable[[Any, int, str], InboundError]:
    def missing(seg: Any, el: int, field: str) -> InboundError:
        return InboundError("required element is empty", segment_id=seg.id,
                            segment_position=seg.position, element_position=el, field=field,
                            mapping=mapping)
    return missing


def _bad(mapping: str) -> Callable[[Any, int, str, str, str], InboundError]:
    def bad(seg: Any, el: int, field: str, text: str, expected: str) -> InboundError:
        return InboundError("element does not fit", segment_id=seg.id,
                            segment_position=seg.position, element_position=el, field=field,
                            value=text, expected=expected, mapping=mapping)
    return bad
