"""HTTP API throughput, in process (ASGI, no network): POST /v1/orders (place + source, 5 lines)
and GET /v1/orders/{id}, on a fresh SQLite home made by `ordergate init`. Prints requests/s,
mean and p95 latency, and peak RSS.

    python benchmarks/api_throughput.py [--orders 200] [--reads 500]
"""
from __future__ import annotations

import argparse
import resource
import statistics
import tempfile
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=200)
    parser.add_argument("--reads", type=int, default=500)
    args = parser.parse_args()

    from fastapi.testclient import TestClient

    from gateway.api import create_app
    from gateway.api.db import engine_for
    from gateway.api.keys import create_key
    from gateway.api.settings import ApiSettings
    from gateway.cli.main import main as cli

    home = Path(tempfile.mkdtemp(prefix="og-api-bench-")) / "home"
    assert cli(["init", str(home)]) == 0
    settings = ApiSettings.from_home(home)
    engine = engine_for(settings.database_url)
    _, key = create_key(engine, "bench", "write")
    headers = {"Authorization": f"Bearer {key}"}
    lines = [{"line_number": str(n), "sku": "DEMO-100", "quantity": 1} for n in range(1, 6)]
    with TestClient(create_app(settings, engine=engine)) as client:
        client.get("/openapi.json")
        writes, ids = [], []
        for n in range(args.orders):
            body = {"channel": "bench", "po_number": f"B-{n}", "lines": lines,
                    "ship_to": {"postal_code": "10001", "country": "US"}}
            t = time.perf_counter()
            response = client.post("/v1/orders", headers={**headers, "Idempotency-Key": f"b{n}"}, json=body)
            writes.append(time.perf_counter() - t)
            assert response.status_code == 201, response.text
            ids.append(response.json()["order"]["id"])
        reads = []
        for n in range(args.reads):
            t = time.perf_counter()
            response = client.get(f"/v1/orders/{ids[n % len(ids)]}", headers=headers)
            reads.append(time.perf_counter() - t)
            assert response.status_code == 200
    for name, samples in (("POST /v1/orders", writes), ("GET /v1/orders/{id}", reads)):
        p95 = statistics.quantiles(samples, n=20)[-1] if len(samples) >= 20 else max(samples)
        print(f"{name:22s} n={len(samples):5d}  {len(samples) / sum(samples):8.1f} req/s  "
              f"mean {statistics.mean(samples) * 1000:6.1f} ms  p95 {p95 * 1000:6.1f} ms")
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
