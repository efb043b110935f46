"""Transport: a partner's mailbox over SFTP (paramiko) or a local folder, behind one interface.

    from gateway.transport import open_transport
    with open_transport(profile.transport, home=home, partner=profile.id) as mailbox:
        for remote in mailbox.stable_files():
            fetched = mailbox.fetch(remote.name)      # bytes + Evidence (user, key, size, sha256)
            ...record fetched in the database, commit...
            mailbox.archive_remote(remote.name)        # only after the commit
        mailbox.upload("ORDERGATE_855_000000123.x12", data)

Errors are `TransportError` (check `.retryable`); `HostKeyError`, `AuthenticationError`,
`UnsafeNameError` are TransportErrors that are never retried. See docs/CONTRACTS.md.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from gateway.transport.base import Transport
from gateway.transport.errors import (AuthenticationError, ConfigurationError, HostKeyError,
                                      IncompleteTransfer, RemoteFileMissing, TransportError,
                                      UnsafeNameError)
from gateway.transport.model import Evidence, Fetched, RemoteFile
from gateway.transport.retry import Backoff, with_retries
from gateway.transport.spec import AfterDownload, TransportSpec, TransportType

__all__ = ["open_transport", "Transport", "TransportSpec", "TransportType", "AfterDownload",
           "RemoteFile", "Evidence", "Fetched", "Backoff", "with_retries", "TransportError",
           "HostKeyError", "AuthenticationError", "UnsafeNameError", "RemoteFileMissing",
           "IncompleteTransfer", "ConfigurationError"]


def open_transport(spec: Any, *, home: Path | str | None = None, partner: str | None = None,
                   **options: Any) -> Transport:
    """The transport for a profile's `transport` section (pydantic model, dict or TransportSpec).

    Relative local folders and key/known_hosts paths are read from `home`. Nothing connects until
    the first operation, so opening is cheap and never fails on the network.
    """
    settings = TransportSpec.from_profile(spec, partner=partner)
    home_path = Path(home) if home is not None else None
    if settings.type is TransportType.SFTP:
        from gateway.transport.sftp import SFTPTransport  # paramiko only when SFTP is used
        return SFTPTransport(settings, home=home_path, **options)
    from gateway.transport.local import LocalFolderTransport
    return LocalFolderTransport(settings, home=home_path, **options)
