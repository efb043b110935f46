"""Pinned host keys: the only way an SFTP server is trusted.

The profile's `host_key` is one of
- a path to a known_hosts file (looked up as `[host]:port`, or `host` on port 22);
- one or more known_hosts lines (`[127.0.0.1]:2222 ssh-ed25519 AAAA...`) or bare `type key` pairs:
  the key is pinned for the host and port we connect to (the pin is the key, not the name, so the
  same profile works through a jump host or a test proxy);
- one or more fingerprints, `SHA256:...` as `ssh-keygen -lf` prints them.
A key that is not pinned is refused (RejectPolicy); a key that differs raises `HostKeyError`.
Nothing is ever added automatically.
"""
from __future__ import annotations

import base64
import hashlib
from pathlib import Path

import paramiko

from gateway.transport.errors import ConfigurationError, HostKeyError


def fingerprint(key: paramiko.PKey) -> str:
    """`SHA256:...` of a public key, the form OpenSSH prints."""
    digest = hashlib.sha256(key.asbytes()).digest()
    return "SHA256:" + base64.b64encode(digest).decode("ascii").rstrip("=")


def lookup_name(host: str, port: int) -> str:
    return host if port == 22 else f"[{host}]:{port}"


class _RejectUnpinned(paramiko.RejectPolicy):
    """RejectPolicy, raising our error (with the offered key's fingerprint) instead of SSHException."""

    def __init__(self, fingerprints: frozenset[str] = frozenset()) -> None:
        self.fingerprints = fingerprints

    def missing_host_key(self, client: paramiko.SSHClient, hostname: str,
                         key: paramiko.PKey) -> None:
        offered = fingerprint(key)
        if offered in self.fingerprints:
            return
        raise HostKeyError(
            f"host key of {hostname} ({key.get_name()} {offered}) is not the pinned key",
            hint="compare the fingerprint with the partner out of band, then pin it in the "
                 "profile's transport.host_key")


class PinnedHostKeys:
    """The parsed `host_key` setting; `install` arms an SSHClient with it."""

    def __init__(self, setting: str, *, home: Path | None = None) -> None:
        self.setting = setting.strip()
        self.file: Path | None = None
        self.keys: list[tuple[str, paramiko.PKey]] = []
        self.fingerprints: set[str] = set()
        candidate = Path(self.setting).expanduser()
        if not candidate.is_absolute() and home is not None:
            candidate = home / candidate
        if "\n" not in self.setting and " " not in self.setting and not \
                self.setting.startswith("SHA256:"):
            if not candidate.is_file():
                raise ConfigurationError(f"host_key file {candidate} does not exist",
                                         hint="pin a known_hosts file, a key line or a SHA256 "
                                              "fingerprint")
            self.file = candidate
            return
        for line in filter(None, (raw.strip() for raw in self.setting.splitlines())):
            if line.startswith("#"):
                continue
            if line.startswith("SHA256:"):
                self.fingerprints.add(line.split()[0])
                continue
            self.keys.append(_parse_key_line(line))

    def install(self, client: paramiko.SSHClient, host: str, port: int) -> None:
        host_keys = client.get_host_keys()
        if self.file is not None:
            client.load_host_keys(str(self.file))
        for key_type, key in self.keys:
            host_keys.add(lookup_name(host, port), key_type, key)
        client.set_missing_host_key_policy(_RejectUnpinned(frozenset(self.fingerprints)))


def _parse_key_line(line: str) -> tuple[str, paramiko.PKey]:
    parts = line.split()
    if parts and parts[0].startswith(("ssh-", "ecdsa-", "sk-")):
        parts = ["*", *parts]
    if len(parts) < 3:
        raise ConfigurationError(f"host_key line {line[:40]!r}... is not `[host]:port type key`",
                                 hint="copy the line from ssh-keyscan or known_hosts")
    try:
        entry = paramiko.hostkeys.HostKeyEntry.from_line(" ".join(parts[:3]))
    except (paramiko.SSHException, paramiko.hostkeys.InvalidHostKey, ValueError) as exc:
        raise ConfigurationError(f"host_key line is not a valid key: {exc}") from exc
    if entry is None:
        raise ConfigurationError(f"host_key line {line[:40]!r} has an unknown key type")
    return entry.key.get_name(), entry.key
