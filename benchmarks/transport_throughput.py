"""Transport throughput: upload N files, then list, fetch and archive them (local folder and SFTP).

    python benchmarks/transport_throughput.py --files 200 --size 20000
    python benchmarks/transport_throughput.py --files 50 --size 2000000 --no-local

Prints files/s and MB/s per phase and transport. The SFTP run starts a real /usr/sbin/sshd on a
loopback port (the test fixture's server; needs root) and is skipped with a reason otherwise.
One connection per run, as the gateway uses one per poll.
"""
from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from gateway.transport import open_transport  # noqa: E402


def run(label: str, spec: dict[str, Any], home: Path | None, inbound: Path, files: int,
        size: int) -> None:
    payloads = [os.urandom(size) for _ in range(min(files, 16))]
    with open_transport(spec, home=home, partner="bench") as mailbox:
        started = time.perf_counter()
        for n in range(files):
            mailbox.upload(f"F{n:06d}.x12", payloads[n % len(payloads)])
        upload = time.perf_counter() - started
        batch = [(f"B{n:06d}.x12", payloads[n % len(payloads)]) for n in range(files)]
        started = time.perf_counter()
        mailbox.upload_many(batch)
        upload_many = time.perf_counter() - started
    outbound = inbound.parent / "outbound"
    for entry in outbound.glob("B*.x12"):
        entry.unlink()
    for entry in outbound.iterdir():                   # the partner "sends" them back to us
        entry.rename(inbound / entry.name)
    with open_transport(spec, home=home, partner="bench") as mailbox:
        started = time.perf_counter()
        ready = mailbox.stable_files(wait=False) or mailbox.stable_files()
        listed = time.perf_counter() - started
        started = time.perf_counter()
        total = 0
        for remote in ready:
            total += len(mailbox.fetch(remote.name).data)
            mailbox.archive_remote(remote.name)
        fetch = time.perf_counter() - started
    assert len(ready) == files and total == files * size, (len(ready), total)
    megabytes = files * size / 1e6
    print(f"{label:6} upload  {files / upload:9.1f} files/s {megabytes / upload:8.1f} MB/s")
    print(f"{label:6} upload_many {files / upload_many:5.1f} files/s "
          f"{megabytes / upload_many:8.1f} MB/s")
    print(f"{label:6} list    {listed * 1000:9.1f} ms for {files} files (two listings)")
    print(f"{label:6} fetch+archive {files / fetch:5.1f} files/s {megabytes / fetch:8.1f} MB/s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=200)
    parser.add_argument("--size", type=int, default=20_000, help="bytes per file")
    parser.add_argument("--no-local", action="store_true")
    parser.add_argument("--no-sftp", action="store_true")
    args = parser.parse_args()
    print(f"{args.files} files of {args.size} bytes")
    if not args.no_local:
        home = Path(tempfile.mkdtemp(prefix="og-bench-"))
        try:
            spec = {"type": "local", "inbound_dir": "mb/inbound", "outbound_dir": "mb/outbound"}
            (home / "mb" / "inbound").mkdir(parents=True)
            run("local", spec, home, home / "mb" / "inbound", args.files, args.size)
        finally:
            shutil.rmtree(home, ignore_errors=True)
    if not args.no_sftp:
        from tests.fixtures.sshd import SshdServer, _keygen, _make_base, _skip_reason, free_port
        reason = _skip_reason()
        if reason:
            print(f"sftp   skipped: {reason}")
            return 0
        base = _make_base()
        server = SshdServer(base=base, port=free_port())
        try:
            _keygen(base / "ssh_host_ed25519_key", "bench-host")
            _keygen(server.client_key, "bench-client")
            server.write_config()
            server.start()
            account = server.add_partner("bench")
            run("sftp", account.transport_spec(channel_timeout=30), None, account.inbound,
                args.files, args.size)
        finally:
            server.stop()
            shutil.rmtree(base, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
