"""Trust: only the pinned host key and our key get in; neither failure is retried."""
from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from gateway.transport import AuthenticationError, HostKeyError, open_transport
from gateway.transport.hostkeys import PinnedHostKeys

pytestmark = pytest.mark.sshd


def _new_key(tmp_path: Path, name: str) -> Path:
    path = tmp_path / name
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(path)], check=True)
    return path


def _listing(spec: dict, **kwargs: object) -> list[str]:
    with open_transport(spec, **kwargs) as mailbox:
        return [f.name for f in mailbox.list_inbound()]


def test_host_key_mismatch_is_refused_and_not_retried(account, tmp_path) -> None:  # type: ignore[no-untyped-def]
    other = _new_key(tmp_path, "other_host").with_suffix(".pub").read_text().split()
    wrong_line = f"[{account.host}]:{account.port} {other[0]} {other[1]}"
    sleeps: list[float] = []
    with pytest.raises(HostKeyError) as caught:
        _listing(account.transport_spec(host_key=wrong_line), sleep=sleeps.append)
    assert sleeps == [] and caught.value.retryable is False
    assert caught.value.port == account.port and "SHA256:" in caught.value.message


def test_unpinned_host_is_refused(account, tmp_path) -> None:  # type: ignore[no-untyped-def]
    known_hosts = tmp_path / "known_hosts"
    known_hosts.write_text(account.known_hosts_line.replace(f":{account.port}", ":1") + "\n")
    with pytest.raises(HostKeyError, match="not the pinned key"):
        _listing(account.transport_spec(host_key=str(known_hosts)))


def test_known_hosts_file_and_fingerprint_pins_work(account) -> None:  # type: ignore[no-untyped-def]
    assert _listing(account.transport_spec(host_key=str(account.known_hosts_file))) == []
    printed = subprocess.run(["ssh-keygen", "-lf", str(account.known_hosts_file)],
                             capture_output=True, text=True, check=True).stdout.split()[1]
    assert _listing(account.transport_spec(host_key=printed)) == []
    with pytest.raises(HostKeyError):
        _listing(account.transport_spec(host_key="SHA256:" + "A" * 43))


def test_wrong_client_key_is_refused_and_not_retried(account, tmp_path) -> None:  # type: ignore[no-untyped-def]
    stranger = _new_key(tmp_path, "stranger")
    sleeps: list[float] = []
    with pytest.raises(AuthenticationError) as caught:
        _listing(account.transport_spec(key_file=str(stranger)), sleep=sleeps.append)
    assert sleeps == [] and caught.value.user == account.user


def test_key_from_environment_variable(account, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("OG_TEST_SFTP_KEY", Path(account.key_file).read_text())
    spec = account.transport_spec(key_file=None, key_env="OG_TEST_SFTP_KEY")
    assert _listing(spec) == []
    monkeypatch.delenv("OG_TEST_SFTP_KEY")
    with pytest.raises(AuthenticationError, match="OG_TEST_SFTP_KEY is not set"):
        _listing(spec)


def test_pinned_line_parsing_rejects_garbage() -> None:
    from gateway.transport import ConfigurationError
    with pytest.raises(ConfigurationError):
        PinnedHostKeys("[h]:1 ssh-ed25519 not-base64!")
    with pytest.raises(ConfigurationError, match="does not exist"):
        PinnedHostKeys("/no/such/known_hosts")
