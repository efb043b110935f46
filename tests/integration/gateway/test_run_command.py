"""`ordergate run` as a real process: the scheduler picks up a dropped file on its poll interval,
a second process on the same SQLite database is refused (exit 1, says why), SIGTERM stops it
cleanly; `run --once --json` prints the pass summary."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from gateway.flow.samples import functional_ack_997
from gateway.partners import load_partners

REPO = Path(__file__).resolve().parents[3]


def _cmd(home: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "gateway.cli.main", "run", "--home", str(home), *args]


def _env() -> dict[str, str]:
    return dict(os.environ, PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""))


def _fast_polls(home: Path) -> None:
    for profile in (home / "partners").glob("*.yaml"):
        text = profile.read_text().replace("poll_seconds: 10", "poll_seconds: 1")
        profile.write_text(text)
    (home / "ordergate.yaml").write_text("gateway:\n  send_seconds: 1\n")


def _wait_for(predicate, timeout: float = 60.0) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def test_scheduler_polls_refuses_a_second_process_and_stops_on_sigterm(gateway_home: Path):
    _fast_polls(gateway_home)
    log = gateway_home / "run.log"
    with open(log, "wb") as err:
        proc = subprocess.Popen(_cmd(gateway_home), stdout=subprocess.DEVNULL, stderr=err, env=_env())
    try:
        assert _wait_for(lambda: b"gateway running" in log.read_bytes()), log.read_text()
        second = subprocess.run(_cmd(gateway_home, "--once"), capture_output=True, text=True,
                                env=_env(), timeout=120)
        assert second.returncode == 1
        assert "already running" in second.stderr and "Traceback" not in second.stderr

        partner = load_partners(gateway_home)["demo-retailer"]
        inbound = gateway_home / "mailboxes" / "demo-retailer" / "inbound"
        inbound.mkdir(parents=True, exist_ok=True)
        (inbound / "ack.edi").write_bytes(functional_ack_997(partner, [("PR", "1", "0001", "A")],
                                                             isa13=42))
        assert _wait_for(lambda: not (inbound / "ack.edi").exists()), log.read_text()
        assert _wait_for(lambda: b"file 1 from demo-retailer ack.edi: received" in log.read_bytes())
    finally:
        proc.send_signal(signal.SIGTERM)
        code = proc.wait(timeout=60)
    assert code == 0
    assert b"stopped cleanly" in log.read_bytes()


def test_run_once_json_summary(gateway_home: Path):
    partner = load_partners(gateway_home)["demo-retailer"]
    inbound = gateway_home / "mailboxes" / "demo-retailer" / "inbound"
    inbound.mkdir(parents=True, exist_ok=True)
    (inbound / "junk.edi").write_bytes(b"not edi at all")
    (inbound / "ack.edi").write_bytes(functional_ack_997(partner, [("PR", "1", "0001", "A")], isa13=43))
    done = subprocess.run(_cmd(gateway_home, "--once", "--json"), capture_output=True, text=True,
                          env=_env(), timeout=300)
    summary = json.loads(done.stdout)
    assert summary["files_received"] == 2
    assert summary["files_processed"] == {"applied": 1, "quarantined": 1}
    assert done.returncode == 1          # something was quarantined: the exit code says so
