"""benchmarks/mapping_throughput.py runs and prints its figures (tiny sizes: no timing asserted)."""

from __future__ import annotations

import importlib.util
import json

import pytest


@pytest.fixture(scope="module")
def bench(repo_root):
    spec = importlib.util.spec_from_file_location(
        "mapping_throughput", repo_root / "benchmarks" / "mapping_throughput.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_json_figures_for_every_case(bench, capsys):
    assert bench.main(["--orders", "3", "--lines", "2", "--repeat", "1", "--json"]) == 0
    figures = json.loads(capsys.readouterr().out)
    assert figures["lines"] == 2
    assert [r["case"] for r in figures["results"]] == list(bench.CASES)
    for r in figures["results"]:
        assert r["orders"] == 3 and r["us_per_order"] > 0 and r["orders_per_s"] > 0
        assert r["best_chunk_cpu_us_per_order"] is None  # fewer orders than one chunk


def test_the_benchmark_documents_map_like_the_gateway_does(bench):
    from gateway.mapping import parse_inbound

    partner = bench._partner()
    orders = bench._orders(2, 3)
    files = bench._interchange_bytes(partner, orders)
    back = [parse_inbound(partner, tx) for tx in bench._fresh_sets(files)]
    assert [po.po_number for po in back] == [po.po_number for po in orders]
    assert [line.item.sku for line in back[1].lines] == ["SKU-001", "SKU-002", "SKU-003"]
    acks = bench._acks(orders)
    assert [len(a.lines) for a in acks] == [3, 3]
