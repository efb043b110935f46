"""Generated segment writers against the interpreted plans, value by value: whatever class a
field's value has (text, empty, None, Decimal, int, bool, float, date, datetime, Enum, an object
with .value, unhashable, a delimiter), both give the same segments or the same error."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from enum import Enum

import pytest

from gateway.canonical import AckStatus, PartyRole
from gateway.mapping import OutboundError, load_mapping
from gateway.mapping.writer import write

from tests.unit.mapping import builders as B


class _Coded:
    value = "IB"


class _Plain(str, Enum):
    A = "a"


class _Number(int, Enum):
    ONE = 1


VALUES = [None, "", "x", "IA", "068", "A*B", " ", Decimal("1.50"), Decimal("0"), Decimal("-3"),
          Decimal("NaN"), Decimal("1E+3"), 3, 0, True, False, 2.5, dt.date(2024, 5, 6),
          dt.datetime(2024, 5, 6, 7, 8), "2024-05-06", "not a date", AckStatus.ACCEPTED,
          PartyRole.SHIP_TO, _Plain.A, _Number.ONE, _Coded(), [1], {"a": 1}, ["x"]]


def _perturb(rng: random.Random, value, rate: float):
    """Replace some leaves of a dumped document by values of other classes."""
    if isinstance(value, dict):
        return {k: _perturb(rng, v, rate) for k, v in value.items()}
    if isinstance(value, list) and value and isinstance(value[0], dict):
        return [_perturb(rng, v, rate) for v in value]
    return rng.choice(VALUES) if rng.random() < rate else value


def _outcome(mapping, data, set_id, generated):
    try:
        return ("ok", write(mapping, data, set_id, "0001", generated=generated))
    except OutboundError as exc:
        return ("error", str(exc), vars(exc))
    except Exception as exc:  # noqa: BLE001 - whatever escapes must escape both alike
        return ("raised", type(exc), str(exc))


@pytest.mark.parametrize("set_id, name", [("855", "855/default"), ("855", "855/demo-retailer-out"),
                                          ("810", "810/default"), ("856", "856/default"),
                                          ("850", "850/default")])
def test_generated_and_interpreted_writers_agree_on_any_value(set_id, name):
    mapping = load_mapping(name)
    base = B.ALL[set_id]().model_dump()
    rng = random.Random(set_id + name)
    for _ in range(400):
        data = _perturb(rng, base, rng.choice([0.01, 0.03, 0.1, 0.3]))
        assert _outcome(mapping, data, set_id, True) == _outcome(mapping, data, set_id, False)


def test_models_are_read_like_their_dumps_through_attributes():
    mapping = load_mapping("855/demo-retailer-out")
    doc = B.order_ack()
    assert write(mapping, doc, "855", "0001") == write(mapping, doc.model_dump(), "855", "0001")
    assert write(mapping, doc, "855", "0001") == write(mapping, doc, "855", "0001",
                                                       generated=False)


def test_sums_add_decimals_as_they_are_and_the_rest_through_str():
    from gateway.mapping.writeplan import _total

    pool = [Decimal("1.50"), Decimal("-0"), Decimal("0E-7"), Decimal("1E+3"), Decimal("NaN"),
            Decimal("-Infinity"), Decimal("sNaN"), Decimal("123456789012345678901234567890.1"),
            3, "2.25", 2.5, True]
    rng = random.Random(5)

    def outcome(call):
        try:
            value = call()
            return ("ok", str(value), value.as_tuple())
        except Exception as exc:  # noqa: BLE001 - the same error both ways
            return ("error", type(exc))

    for _ in range(2000):
        values = [rng.choice(pool) for _ in range(rng.randint(0, 5))]
        assert outcome(lambda: _total(values)) == outcome(
            lambda: sum((Decimal(str(v)) for v in values), Decimal(0)))


@pytest.mark.parametrize("pairs", [1, 2, 3, 6])
def test_ids_tables_longer_than_their_pairs_write_alike(tmp_path, pairs):
    folder = tmp_path / "mappings" / "855"
    folder.mkdir(parents=True)
    (folder / "few-pairs.yaml").write_text(
        'document: "855"\nextends: 855/default\nset:\n  PO1/PO1.ids:\n    start: PO106\n'
        f"    pairs: {pairs}\n    codes: {{SK: item.sku, VN: item.vendor_part, "
        "VP: item.vendor_part, BP: item.buyer_part, UP: item.upc}\n")
    mapping = load_mapping("855/few-pairs", tmp_path)
    base = B.order_ack().model_dump()
    for n, line in enumerate(base["lines"]):
        line["item"].update(vendor_part=f"V{n}" if n % 2 else None, buyer_part=f"B{n}",
                            upc="" if n % 3 else "0001")
    rng = random.Random(pairs)
    for _ in range(300):
        data = _perturb(rng, base, rng.choice([0.0, 0.05, 0.2]))
        assert _outcome(mapping, data, "855", True) == _outcome(mapping, data, "855", False)
    po1 = [els for seg, els in write(mapping, base, "855", "0001") if seg == "PO1"]
    assert all(len(els) <= 5 + 2 * pairs for els in po1)
