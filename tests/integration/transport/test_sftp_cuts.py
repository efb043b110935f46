"""The connection cut mid-download and mid-upload, and sshd stopped: retried; nothing partial
is picked up or left under its final name."""
from __future__ import annotations

import hashlib
import os
import threading
import time

import pytest

from gateway.transport import TransportError, open_transport

pytestmark = pytest.mark.sshd

SIZE = 2_000_000


def _spec(account, proxy, **extra):  # type: ignore[no-untyped-def]
    return account.transport_spec(port=proxy.port, **extra)


def test_download_cut_midway_is_retried_and_whole(account, cutting_proxy) -> None:  # type: ignore[no-untyped-def]
    data = os.urandom(SIZE)
    account.drop_file("big.x12", data)
    proxy = cutting_proxy(cut_after=SIZE // 3, direction="down", cuts=2)
    with open_transport(_spec(account, proxy, retries=4)) as mailbox:
        fetched = mailbox.fetch("big.x12")
        connections = mailbox.connections
    assert proxy.cuts_done == 2 and connections == 3
    assert hashlib.sha256(fetched.data).digest() == hashlib.sha256(data).digest()
    assert (account.inbound / "big.x12").exists()          # not archived: nothing recorded yet


def test_download_cut_every_time_raises_and_returns_nothing(account, cutting_proxy) -> None:  # type: ignore[no-untyped-def]
    account.drop_file("big.x12", os.urandom(SIZE))
    proxy = cutting_proxy(cut_after=SIZE // 2, direction="down", cuts=100)
    with open_transport(_spec(account, proxy, retries=3)) as mailbox:
        with pytest.raises(TransportError) as caught:
            mailbox.fetch("big.x12")
    assert caught.value.retryable and caught.value.name == "big.x12"
    assert proxy.cuts_done == 3
    assert (account.inbound / "big.x12").stat().st_size == SIZE


def test_upload_cut_midway_is_retried_and_lands_whole(account, cutting_proxy) -> None:  # type: ignore[no-untyped-def]
    data = os.urandom(SIZE)
    proxy = cutting_proxy(cut_after=SIZE // 2, direction="up", cuts=1)
    with open_transport(_spec(account, proxy, retries=3)) as mailbox:
        mailbox.upload("ORDERGATE_856_7.x12", data)
    assert proxy.cuts_done == 1
    assert os.listdir(account.outbound) == ["ORDERGATE_856_7.x12"]   # no stale .part left
    assert (account.outbound / "ORDERGATE_856_7.x12").read_bytes() == data


def test_upload_cut_every_time_leaves_no_final_name(account, cutting_proxy) -> None:  # type: ignore[no-untyped-def]
    proxy = cutting_proxy(cut_after=SIZE // 2, direction="up", cuts=100)
    with open_transport(_spec(account, proxy, retries=2)) as mailbox:
        with pytest.raises(TransportError):
            mailbox.upload("ORDERGATE_810_9.x12", os.urandom(SIZE))
    assert os.listdir(account.outbound) == [".ORDERGATE_810_9.x12.part"]   # never the final name
    proxy.cuts_left = 0                                       # the network heals: next pass
    data = os.urandom(SIZE)
    with open_transport(_spec(account, proxy)) as mailbox:
        mailbox.upload("ORDERGATE_810_9.x12", data)
    assert os.listdir(account.outbound) == ["ORDERGATE_810_9.x12"]
    assert (account.outbound / "ORDERGATE_810_9.x12").read_bytes() == data


def test_sshd_stopped_then_back_is_retried(account, sshd_running) -> None:  # type: ignore[no-untyped-def]
    account.drop_file("po.x12", b"ISA*after the outage")
    sshd_running.stop()
    restarter = threading.Timer(0.4, sshd_running.start)
    restarter.start()
    started = time.monotonic()
    with open_transport(account.transport_spec(retries=8, backoff_seconds=0.1,
                                               backoff_max_seconds=0.3)) as mailbox:
        data = mailbox.download("po.x12")
        connections = mailbox.connections
    restarter.join()
    assert data == b"ISA*after the outage" and connections == 1
    assert time.monotonic() - started >= 0.4


def test_sshd_stopped_mid_session_is_retried(account, sshd_running) -> None:  # type: ignore[no-untyped-def]
    account.drop_file("one.x12", b"1")
    account.drop_file("two.x12", b"22")
    with open_transport(account.transport_spec(retries=8, backoff_seconds=0.1,
                                               backoff_max_seconds=0.3)) as mailbox:
        assert mailbox.download("one.x12") == b"1"
        sshd_running.stop()                  # kills our session too
        restarter = threading.Timer(0.3, sshd_running.start)
        restarter.start()
        assert mailbox.download("two.x12") == b"22"
        restarter.join()
        assert mailbox.connections == 2


def test_sshd_down_for_good_gives_a_retryable_error(account, sshd_running) -> None:  # type: ignore[no-untyped-def]
    sshd_running.stop()
    sleeps: list[float] = []
    with open_transport(account.transport_spec(retries=3), sleep=sleeps.append) as mailbox:
        with pytest.raises(TransportError) as caught:
            mailbox.list_inbound()
    assert caught.value.retryable and caught.value.operation == "connect"
    assert len(sleeps) == 2 and sleeps[1] > sleeps[0] * 1.2       # exponential backoff


def test_sshd_stopped_in_the_middle_of_a_download(account, sshd_running, cutting_proxy) -> None:  # type: ignore[no-untyped-def]
    """Freeze the transfer half-way, stop sshd under it, bring it back: the download retries and
    returns the whole file, never the half that had arrived."""
    data = os.urandom(SIZE)
    account.drop_file("big.x12", data)
    proxy = cutting_proxy(cut_after=SIZE // 2, direction="down", cuts=1, stall=True)

    def outage() -> None:
        while proxy.cuts_done == 0:
            time.sleep(0.02)
        sshd_running.stop()
        time.sleep(0.3)
        sshd_running.start()
    thread = threading.Thread(target=outage)
    thread.start()
    with open_transport(_spec(account, proxy, channel_timeout=1, retries=8, backoff_seconds=0.1,
                                         backoff_max_seconds=0.3)) as mailbox:
        fetched = mailbox.fetch("big.x12")
        connections = mailbox.connections
    thread.join()
    assert connections == 2
    assert hashlib.sha256(fetched.data).digest() == hashlib.sha256(data).digest()


def test_sshd_stopped_in_the_middle_of_an_upload(account, sshd_running, cutting_proxy) -> None:  # type: ignore[no-untyped-def]
    data = os.urandom(SIZE)
    proxy = cutting_proxy(cut_after=SIZE // 2, direction="up", cuts=1, stall=True)

    def outage() -> None:
        while proxy.cuts_done == 0:
            time.sleep(0.02)
        assert not (account.outbound / "ORDERGATE_855_5.x12").exists()
        sshd_running.stop()
        time.sleep(0.3)
        sshd_running.start()
    thread = threading.Thread(target=outage)
    thread.start()
    with open_transport(_spec(account, proxy, channel_timeout=1, retries=8, backoff_seconds=0.1,
                                         backoff_max_seconds=0.3)) as mailbox:
        mailbox.upload("ORDERGATE_855_5.x12", data)
    thread.join()
    assert os.listdir(account.outbound) == ["ORDERGATE_855_5.x12"]
    assert (account.outbound / "ORDERGATE_855_5.x12").read_bytes() == data
