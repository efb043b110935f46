"""paramiko waits forever by default; every wait here has a limit, and a hung server is retried."""
from __future__ import annotations

import hashlib
import os
import socket
import time

import pytest

from gateway.transport import TransportError, open_transport

pytestmark = pytest.mark.sshd


def test_silent_server_hits_the_banner_timeout(account) -> None:  # type: ignore[no-untyped-def]
    with socket.create_server(("127.0.0.1", 0)) as silent:       # accepts, never says a word
        spec = account.transport_spec(port=silent.getsockname()[1], banner_timeout=0.5,
                                      connect_timeout=0.5, retries=2, backoff_seconds=0.01)
        started = time.monotonic()
        with open_transport(spec) as mailbox:
            with pytest.raises(TransportError) as caught:
                mailbox.list_inbound()
        elapsed = time.monotonic() - started
    assert caught.value.retryable and caught.value.operation == "connect"
    assert elapsed < 5


def test_download_stalled_midway_times_out_and_is_retried(account, cutting_proxy) -> None:  # type: ignore[no-untyped-def]
    data = os.urandom(1_500_000)
    account.drop_file("big.x12", data)
    proxy = cutting_proxy(cut_after=500_000, direction="down", cuts=1, stall=True)
    spec = account.transport_spec(port=proxy.port, channel_timeout=1, retries=3)
    started = time.monotonic()
    with open_transport(spec) as mailbox:
        fetched = mailbox.fetch("big.x12")
        connections = mailbox.connections
    assert hashlib.sha256(fetched.data).digest() == hashlib.sha256(data).digest()
    assert proxy.cuts_done == 1 and connections == 2
    assert time.monotonic() - started < 10
