"""The API and the command line speak the same JSON: a file `ordergate orders create` reads is a
valid POST /v1/orders body, and GET /v1/orders/{id} carries everything `orders show --json` does."""
from __future__ import annotations

import json
import threading

from gateway.api.schemas.orders import OrderCreate
from gateway.cli.main import main
from tests.unit.api.conftest import order_body


def test_cli_order_file_is_an_api_body_and_shows_the_same(home, client, reader, tmp_path, capsys) -> None:
    file = tmp_path / "order.json"
    file.write_text(json.dumps(order_body("SHARED-1")), encoding="utf-8")
    OrderCreate.model_validate_json(file.read_text(encoding="utf-8"))  # the API's model accepts it
    assert main(["orders", "create", str(file), "--home", str(home), "--json"]) == 0
    capsys.readouterr()
    assert main(["orders", "show", "SHARED-1", "--home", str(home), "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    via_api = client.get(f"/v1/orders/{shown['id']}", headers=reader).json()
    for key, value in shown.items():
        assert via_api[key] == value, key
    assert via_api["history"][0]["actor"] != "api:finance"  # placed by the command line


def test_concurrent_retries_with_one_key_place_one_order(client, writer) -> None:
    headers = {**writer, "Idempotency-Key": "race-1"}
    answers: list[tuple[int, dict]] = []

    def post() -> None:
        response = client.post("/v1/orders", headers=headers, json=order_body("RACE-1"))
        answers.append((response.status_code, response.json()))

    threads = [threading.Thread(target=post) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    codes = sorted(code for code, _ in answers)
    assert all(code in (201, 409) for code in codes), codes
    ids = {body["order"]["id"] for code, body in answers if code == 201}
    assert len(ids) == 1  # every success names the same single order
    for code, body in answers:
        if code == 409:
            assert body["type"].endswith("/idempotency-in-progress")
    listed = client.get("/v1/orders", headers=writer, params={"po_number": "RACE-1"}).json()["items"]
    assert len(listed) == 1
