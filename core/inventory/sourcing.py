"""Distributed order management: place each line's unfilled quantity per the rules (data).

Work that depends only on the order (filters by type/country/region/channel, distances, the
ranking by order-level keys) is done once per order and rule; per line only the item match and
stock are checked. The explanation recorded in history follows the same split: per rule, which
candidates were excluded and why and how the rest ranked; per line, what was taken where and
which candidates were short of stock.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from fnmatch import fnmatchcase
from typing import Any, Callable

from core.domain.model import Order, OrderLine, fmt
from core.inventory.geo import centroid, haversine_km
from core.inventory.ledger import Ledger
from core.inventory.locations import Location
from core.inventory.rules import Fallback, Rule, SortKey, SourcingRules, SplitPolicy

ZERO = Decimal("0")
UNLIMITED = Decimal("1e12")


# a rule and its candidates in rank order, each as (location, code, is_dropship)
Ranked = tuple[Rule, tuple[tuple[Location, str, bool], ...]]


@dataclass(slots=True)
class Placement:
    line: OrderLine
    location: Location
    quantity: Decimal
    rule: str


@dataclass(slots=True)
class LinePlan:
    line: OrderLine
    quantity: Decimal
    placements: list[Placement] = field(default_factory=list)
    remaining: Decimal = ZERO
    fallback: str | None = None  # backorder | reject
    short: list[list[Any]] = field(default_factory=list)  # [location, available, rule]
    skipped: str | None = None  # why the line was not sourced at all


@dataclass
class Plan:
    lines: list[LinePlan]
    ranking: dict[str, Any]

    def decisions(self) -> tuple[Any, ...]:
        """Everything the plan decided, per line: where, how much and by which rule, what is
        left and what happens to it, which candidates were short. Two plans with the same
        decisions allocate and explain alike."""
        return tuple((p.line.line_number,
                      tuple((x.location.code, x.quantity, x.rule) for x in p.placements),
                      p.remaining, p.fallback, tuple(tuple(s) for s in p.short), p.skipped)
                     for p in self.lines)

    def explanation(self) -> dict[str, Any]:
        out = []
        for p in self.lines:
            entry: dict[str, Any] = {"line": p.line.line_number, "sku": p.line.sku,
                                     "quantity": fmt(p.quantity)}
            if p.skipped:
                entry["skipped"] = p.skipped
            if p.placements:
                entry["placed"] = [[x.location.code, fmt(x.quantity), x.rule] for x in p.placements]
            if p.fallback:
                entry["fallback"] = [p.fallback, fmt(p.remaining)]
            if p.short:
                entry["short"] = p.short
            out.append(entry)
        return {"rules": self.ranking, "lines": out}


class Sourcer:
    """Computes a plan; applying it to the order and ledger is the caller's (fulfilment) job."""

    def __init__(self, rules: SourcingRules, locations: list[Location],
                 vendor_items: dict[tuple[str, str], Decimal | None], ledger: Ledger) -> None:
        self.rules = rules
        self.locations = locations
        self.vendor_items = vendor_items
        self.ledger = ledger
        # per rule, computed once rather than per line and candidate
        self._min_available = {id(r): Decimal(str(r.min_available)) for r in rules.rules}
        # whether a rule re-sorts candidates per line (by stock or cost): most rules do not
        self._per_line_sort = {id(r): SortKey.MOST_STOCK in r.sort or SortKey.COST in r.sort
                               for r in rules.rules}
        self._item_match: dict[tuple[int, str], bool] = {}
        # Candidate ranking per destination: it depends only on the ship-to (postal code,
        # country, state) and the channel, so a batch of orders to a few places ranks once.
        self._ranked: dict[tuple[Any, ...], tuple[list[Ranked], dict[str, Any]]] = {}
        self._by_name: dict[int, dict[str, Ranked]] = {}   # per ranking (by id): rule by name

    # ------------------------------------------------------------------ order level
    def _rank(self, order: Order, rule: Rule, distance: Callable[[Location], float | None]
              ) -> tuple[list[Location], dict[str, str]]:
        ship_to = order.party("ship_to") or {}
        country = (ship_to.get("country") or "US").upper()
        region = (ship_to.get("state") or "").upper()
        excluded: dict[str, str] = {}
        chosen: list[Location] = []
        for loc in self.locations:
            if rule.location_types and loc.type not in rule.location_types:
                excluded[loc.code] = f"type {loc.type} not in {'/'.join(rule.location_types)}"
            elif rule.locations and loc.code not in rule.locations:
                excluded[loc.code] = "not listed by the rule"
            elif rule.countries and country not in rule.countries:
                excluded[loc.code] = f"ship-to country {country} not in {'/'.join(rule.countries)}"
            elif rule.regions and region not in rule.regions:
                excluded[loc.code] = f"ship-to region {region or '?'} not in {'/'.join(rule.regions)}"
            elif rule.channels and not any(fnmatchcase(order.channel, c) for c in rule.channels):
                excluded[loc.code] = f"channel {order.channel} not matched"
            else:
                chosen.append(loc)
        chosen.sort(key=lambda loc: self._static_key(rule, loc, distance))
        return chosen, excluded

    @staticmethod
    def _static_key(rule: Rule, loc: Location, distance: Callable[[Location], float | None]
                    ) -> tuple[float, ...]:
        key: list[float] = []
        for s in rule.sort:
            if s is SortKey.DISTANCE:
                d = distance(loc)
                key.append(d if d is not None else float("inf"))
            elif s is SortKey.PRIORITY:
                key.append(loc.priority)
            elif s is SortKey.LEAD_TIME:
                key.append(loc.lead_time_days)
        return tuple(key)

    def _available(self, loc: Location, sku: str) -> Decimal | None:
        """None: the location cannot supply this item at all."""
        if loc.is_dropship:
            if (loc.code, sku) not in self.vendor_items:
                return None
            if loc.capacity is None:
                return UNLIMITED
            return loc.capacity - self.ledger.level(sku, loc.code).reserved
        level = self.ledger.levels.get((sku, loc.code))
        return level.available if level is not None else ZERO

    def _line_order(self, rule: Rule, cands: list[Location], sku: str,
                    avail: dict[str, Decimal]) -> list[Location]:
        """Re-sort by the per-item keys (most stock, cost) keeping the static order for ties."""
        if SortKey.MOST_STOCK not in rule.sort and SortKey.COST not in rule.sort:
            return cands
        pos = {loc.code: i for i, loc in enumerate(cands)}

        def key(loc: Location) -> tuple[Any, ...]:
            k: list[Any] = []
            for s in rule.sort:
                if s is SortKey.MOST_STOCK:
                    k.append(-avail.get(loc.code, ZERO))
                elif s is SortKey.COST:
                    vendor_cost = self.vendor_items.get((loc.code, sku)) or ZERO
                    k.append(loc.cost + vendor_cost)
            k.append(pos[loc.code])
            return tuple(k)

        return sorted(cands, key=key)

    # ------------------------------------------------------------------ the plan
    def plan(self, order: Order, lines: list[tuple[OrderLine, Decimal, frozenset[str]]], *,
             fresh: bool = False) -> Plan:
        """`lines`: (line, quantity to source, locations excluded for that line). `fresh`: plan
        as for lines with no allocation yet, whatever they hold now (checking a plan made
        ahead for a new order, see core.services.placing)."""
        ranked, ranking = self._ranking_for(order)
        plans = []
        # what earlier lines of this order take, per item and location: the ledger only sees the
        # order's reservations once the whole plan is applied, so two lines of one item must not
        # both count the same stock
        taken_by_item: dict[str, dict[str, Decimal]] = {}
        for line, quantity, excluded_for_line in lines:
            sku = line.sku or ""
            earlier = taken_by_item.get(sku)
            taken = dict(earlier) if earlier else {}
            plans.append(self._plan_line(order, line, quantity, excluded_for_line, ranked, taken,
                                         fresh))
            if taken:
                taken_by_item[sku] = taken
        return Plan(plans, ranking)

    def _ranking_for(self, order: Order) -> tuple[list[Ranked], dict[str, Any]]:
        ship_to = order.party("ship_to") or {}
        key = (ship_to.get("postal_code"), ship_to.get("country"), ship_to.get("state"),
               order.channel)
        try:
            hit = self._ranked.get(key)
        except TypeError:  # an unhashable ship-to field: rank without remembering
            hit = key = None
        if hit is None:
            hit = self._rank_all(order, ship_to)
            if key is not None:
                self._ranked[key] = hit
        return hit

    def needs(self, order: Order, lines: list[tuple[OrderLine, Decimal, frozenset[str]]],
              plan: Plan) -> dict[tuple[str, str], list[Any]] | None:
        """What the plan rests on when it is the simple kind: every line placed whole at the
        first candidate its rule ranks, every candidate of that rule in stock, none of them a
        drop-ship vendor, and a rule that does not re-sort by stock or cost. Then the plan
        stays what it is as long as each of those candidates keeps enough available. Returned
        per (item, location) looked at: [quantity taken there, the largest minimum available of
        the rules that looked, whether some line only looked at it (then it must stay above
        nothing)]. None for any other plan."""
        ranked = self._ranking_for(order)[0]
        by_name = self._by_name.get(id(ranked))
        if by_name is None:
            by_name = self._by_name[id(ranked)] = {rule.name: (rule, cands)
                                                   for rule, cands in ranked}
        out: dict[tuple[str, str], list[Any]] = {}
        for (line, _, excluded), lp in zip(lines, plan.lines):
            if (len(lp.placements) != 1 or lp.remaining != ZERO or lp.fallback or lp.short
                    or lp.skipped):
                return None
            placed = lp.placements[0]
            found = by_name.get(placed.rule)
            if found is None:
                return None
            rule, cands = found
            if self._per_line_sort[id(rule)]:
                return None
            looked = ([x for x in cands if x[1] not in excluded] if excluded else cands)
            if not looked or looked[0][1] != placed.location.code:
                return None
            minimum = self._min_available[id(rule)]
            sku = line.sku or ""
            for i, (_, code, dropship) in enumerate(looked):
                if dropship:
                    return None
                taken, only_looked = (placed.quantity, False) if i == 0 else (ZERO, True)
                entry = out.get((sku, code))
                if entry is None:
                    out[(sku, code)] = [taken, minimum, only_looked]
                else:
                    entry[0] += taken
                    if minimum > entry[1]:
                        entry[1] = minimum
                    entry[2] = entry[2] or only_looked
        return out

    def _rank_all(self, order: Order, ship_to: dict[str, Any]) -> tuple[list[Ranked], dict[str, Any]]:
        """Every rule's candidates in order (each also as (location, code, is_dropship), what
        the per-line loop reads), and the explanation of that ranking (shared, never changed once
        made, by every order going to the same place)."""
        dest = None
        dest_cache: dict[str, float | None] = {}

        def distance(loc: Location) -> float | None:
            nonlocal dest
            if loc.code in dest_cache:
                return dest_cache[loc.code]
            if dest is None:
                dest = centroid(ship_to.get("postal_code"), ship_to.get("country")) or ()
            coords = loc.coordinates if dest else None
            d = round(haversine_km(dest, coords), 1) if dest and coords else None
            dest_cache[loc.code] = d
            return d

        ranked: list[Ranked] = []
        ranking: dict[str, Any] = {}
        for rule in self.rules.rules:
            cands, excluded = self._rank(order, rule, distance)
            ranked.append((rule, tuple((c, c.code, c.is_dropship) for c in cands)))
            ranking[rule.name] = {
                "ranked": [[c.code, distance(c) if SortKey.DISTANCE in rule.sort else None]
                           for c in cands],
                "excluded": excluded,
            }
        return ranked, ranking

    def _plan_line(self, order: Order, line: OrderLine, quantity: Decimal,
                   excluded: frozenset[str], ranked: list[Ranked],
                   taken: dict[str, Decimal], fresh: bool = False) -> LinePlan:
        """`taken`: per location, what is already spoken for of this item (earlier lines of the
        order); this line's placements are added to it."""
        plan = LinePlan(line, quantity, remaining=quantity)
        sku = line.sku or ""
        used = ({a.location for a in line.allocations if a.outstanding > 0}
                if line.allocations and not fresh else set())
        levels = self.ledger.levels
        short = plan.short
        # (quantities are compared with the Decimal ZERO, not 0: no int to convert each time)
        for rule, cands in ranked:
            if plan.remaining <= ZERO:
                break
            if rule.items and not self._matches_items(rule, sku):
                continue
            avail: dict[str, Decimal] = {}
            usable: list[Location] = []
            minimum = self._min_available[id(rule)]
            name = rule.name
            for loc, code, dropship in cands:
                if excluded and code in excluded:
                    continue
                if dropship:
                    a = self._available(loc, sku)
                    if a is None:
                        continue
                else:   # _available inlined for stocking locations: the hot path
                    level = levels.get((sku, code))
                    if level is None:
                        a = ZERO
                    else:
                        a = level.on_hand - level.reserved
                        if level.safety_stock:
                            a -= level.safety_stock
                if taken and code in taken:
                    a -= taken[code]
                avail[code] = a
                if a <= ZERO or (minimum and a < minimum):
                    short.append([code, fmt(a), name])
                    continue
                usable.append(loc)
            if len(usable) > 1 and self._per_line_sort[id(rule)]:
                usable = self._line_order(rule, usable, sku, avail)
            if rule.split is SplitPolicy.ONE_LOCATION:
                for loc in usable:
                    if avail[loc.code] >= plan.remaining:
                        self._take(plan, loc, plan.remaining, name, taken, used)
                        break
                    short.append([loc.code, fmt(avail[loc.code]), name])
            else:
                for loc in usable:
                    remaining = plan.remaining
                    if remaining <= ZERO:
                        break
                    if loc.code not in used and len(used) >= rule.max_splits:
                        short.append([loc.code, "max_splits", name])
                        continue
                    a = avail[loc.code]
                    self._take(plan, loc, a if a <= remaining else remaining, name, taken, used)
        if plan.remaining > ZERO:
            self._fallback(plan, excluded, taken, used)
        return plan

    def _matches_items(self, rule: Rule, sku: str) -> bool:
        key = (id(rule), sku)
        hit = self._item_match.get(key)
        if hit is None:
            hit = self._item_match[key] = any(fnmatchcase(sku, p) for p in rule.items)
        return hit

    def _take(self, plan: LinePlan, loc: Location, qty: Decimal, rule: str,
              taken: dict[str, Decimal], used: set[str]) -> None:
        plan.placements.append(Placement(plan.line, loc, qty, rule))
        plan.remaining -= qty
        taken[loc.code] = taken.get(loc.code, ZERO) + qty
        used.add(loc.code)

    def _fallback(self, plan: LinePlan, excluded: frozenset[str], taken: dict[str, Decimal],
                  used: set[str]) -> None:
        sku = plan.line.sku or ""
        for fb in self.rules.fallback:
            if fb is Fallback.DROPSHIP:
                vendors = sorted((loc for loc in self.locations
                                  if loc.is_dropship and loc.code not in excluded),
                                 key=lambda loc: (loc.cost, loc.lead_time_days, loc.code))
                for loc in vendors:
                    a = self._available(loc, sku)
                    if a is not None and a - taken.get(loc.code, ZERO) >= plan.remaining:
                        self._take(plan, loc, plan.remaining, "fallback:dropship", taken, used)
                        return
            elif fb is Fallback.BACKORDER:
                plan.fallback = "backorder"
                return
            elif fb is Fallback.REJECT:
                plan.fallback = "reject"
                return
        plan.fallback = "backorder"
