"""`ordergate api` really serves: uvicorn in a child process on a loopback port, reached over TCP."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time

import httpx
import yaml

from gateway.api.keys import create_key
from gateway.api.webhooks import subscribe
from tests.unit.api.conftest import order_body
from tests.unit.api.receiver import Receiver


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_ordergate_api_serves_openapi_and_orders(home, engine) -> None:
    """Also: the server's background sender delivers the order.created webhook on its own."""
    settings_file = home / "ordergate.yaml"
    data = yaml.safe_load(settings_file.read_text(encoding="utf-8")) or {}
    data["api"] = {"webhooks": {"deliver_every_seconds": 0.5}}
    settings_file.write_text(yaml.safe_dump(data), encoding="utf-8")
    receiver = Receiver("served-secret-served").start()
    subscribe(engine, receiver.url, ["order.created"], "served-secret-served")
    _, key = create_key(engine, "served", "write")
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "gateway.cli.main", "api", "--home", str(home),
                             "--port", str(port), "--log-level", "warning"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"})
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{base}/v1/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else "exited"
            assert time.monotonic() < deadline, "the API did not start within 30 s"
            time.sleep(0.2)
        spec = httpx.get(f"{base}/openapi.json", timeout=60).json()
        assert "/v1/orders" in spec["paths"]
        placed = httpx.post(f"{base}/v1/orders", json=order_body("SERVED-1"), timeout=60,
                            headers={"Authorization": f"Bearer {key}"})
        assert placed.status_code == 201, placed.text
        deadline = time.monotonic() + 20
        while not receiver.received and time.monotonic() < deadline:
            time.sleep(0.2)
        assert [r.body["type"] for r in receiver.received] == ["order.created"]
        assert receiver.received[0].signature_ok
    finally:
        receiver.stop()
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
