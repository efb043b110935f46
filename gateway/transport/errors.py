"""Transport errors: one family, each saying whether a retry can help.

The gateway's jobs retry what `retryable` allows (a dropped connection, a timeout) and never what
it forbids: a host key that does not match the pin is a possible attack and a refused key is a
configuration problem, so trying again only hides them. Every error carries where it happened as
attributes (partner, host, port, user, remote name, operation), not only in its message.
"""
from __future__ import annotations


class TransportError(Exception):
    """A transfer failed. `retryable` is True for network trouble (the contract's default)."""

    retryable: bool = True

    def __init__(self, message: str, *, partner: str | None = None, host: str | None = None,
                 port: int | None = None, user: str | None = None, name: str | None = None,
                 operation: str | None = None, hint: str | None = None,
                 retryable: bool | None = None) -> None:
        super().__init__(message)
        if retryable is not None:
            self.retryable = retryable
        self.message = message
        self.partner = partner
        self.host = host
        self.port = port
        self.user = user
        self.name = name
        self.operation = operation
        self.hint = hint

    def where(self) -> str:
        """`sftp://user@host:port` or the local folder, for log lines and CLI errors."""
        if self.host:
            return f"sftp://{self.user or ''}@{self.host}:{self.port}"
        return "local folder"

    def to_json(self) -> dict[str, object]:
        return {"error": type(self).__name__, "message": self.message, "retryable": self.retryable,
                "partner": self.partner, "host": self.host, "port": self.port, "user": self.user,
                "name": self.name, "operation": self.operation, "hint": self.hint}


class HostKeyError(TransportError):
    """The server's key is not the pinned one (or nothing is pinned). Never retried."""

    retryable = False


class AuthenticationError(TransportError):
    """The server refused our key, or the key could not be loaded. Never retried."""

    retryable = False


class UnsafeNameError(TransportError):
    """A remote name that could escape the folder (`/`, `\\`, `..`, control characters)."""

    retryable = False


class RemoteFileMissing(TransportError):
    """The named file is not (or no longer) in the folder."""

    retryable = False


class IncompleteTransfer(TransportError):
    """Fewer (or more) bytes arrived than the listing promised: the copy is discarded, retry."""

    retryable = True


class ConfigurationError(TransportError):
    """The profile's transport section cannot be used as written (a missing host, an unknown type)."""

    retryable = False
