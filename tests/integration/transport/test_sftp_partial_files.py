"""Files still being written are never picked up (size stable, temporary names, done files)."""
from __future__ import annotations

import threading
import time

import pytest

from gateway.transport import open_transport

pytestmark = pytest.mark.sshd


def test_growing_file_is_held_back_until_stable(account) -> None:  # type: ignore[no-untyped-def]
    path = account.drop_file("po.x12", b"ISA*part one")
    spec = account.transport_spec(stable_seconds=0.2)
    with open_transport(spec) as mailbox:
        assert mailbox.stable_files(wait=False) == []          # first sight: not yet
        time.sleep(0.25)
        with open(path, "ab") as handle:                       # still being written
            handle.write(b"*part two" * 1000)
        assert mailbox.stable_files(wait=False) == []          # changed since: held back
        time.sleep(0.25)
        ready = mailbox.stable_files(wait=False)               # unchanged for 0.2 s: ready
    assert [(f.name, f.size) for f in ready] == [("po.x12", path.stat().st_size)]


def test_waiting_listing_skips_a_file_written_meanwhile(account) -> None:  # type: ignore[no-untyped-def]
    account.drop_file("done.x12", b"complete")
    growing = account.drop_file("growing.x12", b"ISA")

    def writer() -> None:
        for _ in range(10):
            with open(growing, "ab") as handle:
                handle.write(b"*more" * 100)
            time.sleep(0.04)
    thread = threading.Thread(target=writer)
    thread.start()
    with open_transport(account.transport_spec(stable_seconds=1.2)) as mailbox:
        ready = [f.name for f in mailbox.stable_files()]
    thread.join()
    assert ready == ["done.x12"]


def test_temporary_names_are_never_offered(account) -> None:  # type: ignore[no-untyped-def]
    for name in (".po.x12.a1b2.part", "po2.x12.filepart", "po3.tmp", "po4.x12"):
        account.drop_file(name, b"x")
    with open_transport(account.transport_spec()) as mailbox:
        assert [f.name for f in mailbox.stable_files()] == ["po4.x12"]


def test_done_file_convention(account) -> None:  # type: ignore[no-untyped-def]
    account.drop_file("a.x12", b"first")
    account.drop_file("b.x12", b"second")
    account.drop_file("b.x12.done", b"")
    with open_transport(account.transport_spec(done_suffix=".done")) as mailbox:
        assert [f.name for f in mailbox.list_inbound()] == ["a.x12", "b.x12"]
        assert [f.name for f in mailbox.stable_files(wait=False)] == ["b.x12"]
        mailbox.fetch("b.x12")
        mailbox.archive_remote("b.x12")
    assert sorted(p.name for p in account.processed.iterdir()) == ["b.x12", "b.x12.done"]
