"""SFTP against a real sshd: list, download with evidence, upload, archive (move/delete)."""
from __future__ import annotations

import hashlib
import os
import subprocess

import pytest

from gateway.transport import RemoteFileMissing, open_transport

pytestmark = pytest.mark.sshd


def test_list_download_archive_move(account) -> None:  # type: ignore[no-untyped-def]
    account.drop_file("po1.x12", b"ISA*first")
    account.drop_file("po2.x12", b"ISA*second, longer")
    with open_transport(account.transport_spec(), partner="acme") as mailbox:
        listed = {f.name: f.size for f in mailbox.list_inbound()}
        assert listed == {"po1.x12": 9, "po2.x12": 18}
        fetched = mailbox.fetch("po2.x12")
        mailbox.archive_remote("po2.x12")
        mailbox.archive_remote("po2.x12")          # idempotent after a crash between the two
        assert [f.name for f in mailbox.list_inbound()] == ["po1.x12"]
    assert fetched.data == b"ISA*second, longer"
    assert (account.processed / "po2.x12").read_bytes() == b"ISA*second, longer"
    assert not (account.inbound / "po2.x12").exists()


def test_evidence_names_user_key_size_and_hash(account, sshd_running) -> None:  # type: ignore[no-untyped-def]
    data = os.urandom(70_000)
    account.drop_file("big.x12", data)
    with open_transport(account.transport_spec(), partner="acme") as mailbox:
        evidence = mailbox.fetch("big.x12").evidence
    printed = subprocess.run(["ssh-keygen", "-lf", str(sshd_running.base / "ssh_host_ed25519_key.pub")],
                             capture_output=True, text=True, check=True).stdout.split()[1]
    assert evidence.server_key_fingerprint == printed
    assert (evidence.user, evidence.size, evidence.sha256) == (
        account.user, len(data), hashlib.sha256(data).hexdigest())
    assert evidence.partner == "acme" and evidence.direction == "in"
    assert evidence.to_json()["at"].endswith("+00:00")


def test_delete_after_download(account) -> None:  # type: ignore[no-untyped-def]
    account.drop_file("po.x12", b"x")
    with open_transport(account.transport_spec(after_download="delete")) as mailbox:
        mailbox.download("po.x12")
        mailbox.archive_remote("po.x12")
    assert not (account.inbound / "po.x12").exists()
    assert not (account.processed / "po.x12").exists()


def test_upload_lands_complete_under_final_name_only(account) -> None:  # type: ignore[no-untyped-def]
    data = os.urandom(300_000)
    with open_transport(account.transport_spec()) as mailbox:
        evidence = mailbox.upload("ORDERGATE_855_1.x12", data)
        mailbox.upload("ORDERGATE_855_1.x12", data)      # a resend replaces atomically
    assert sorted(os.listdir(account.outbound)) == ["ORDERGATE_855_1.x12"]
    assert (account.outbound / "ORDERGATE_855_1.x12").read_bytes() == data
    assert evidence.direction == "out" and evidence.sha256 == hashlib.sha256(data).hexdigest()


def test_missing_file_is_not_retried(account) -> None:  # type: ignore[no-untyped-def]
    sleeps: list[float] = []
    with open_transport(account.transport_spec(), sleep=sleeps.append) as mailbox:
        with pytest.raises(RemoteFileMissing) as caught:
            mailbox.download("nothing.x12")
    assert caught.value.name == "nothing.x12" and sleeps == []


def test_symlinks_and_folders_are_not_offered(account) -> None:  # type: ignore[no-untyped-def]
    account.drop_file("real.x12", b"x")
    os.symlink("/etc/passwd", account.inbound / "escape.x12")
    (account.inbound / "sub").mkdir()
    with open_transport(account.transport_spec()) as mailbox:
        assert [f.name for f in mailbox.list_inbound()] == ["real.x12"]


def test_probe_reports_server_key(account) -> None:  # type: ignore[no-untyped-def]
    with open_transport(account.transport_spec()) as mailbox:
        seen = mailbox.probe()
    assert seen["transport"] == "sftp" and str(seen["server_key_fingerprint"]).startswith("SHA256:")


def test_missing_inbound_folder_is_named(account) -> None:  # type: ignore[no-untyped-def]
    with open_transport(account.transport_spec(inbound_dir="/nowhere")) as mailbox:
        with pytest.raises(RemoteFileMissing, match="folder /nowhere does not exist") as caught:
            mailbox.list_inbound()
    assert caught.value.hint and caught.value.retryable is False


def test_missing_outbound_folder_is_named(account) -> None:  # type: ignore[no-untyped-def]
    with open_transport(account.transport_spec(outbound_dir="/gone")) as mailbox:
        with pytest.raises(RemoteFileMissing, match="folder /gone does not exist"):
            mailbox.upload("a.x12", b"x")
