"""Our private key for SFTP: a key file path or the name of an environment variable holding it.

The profile never holds the key itself (no secret in partner files); it names where to find it.
"""
from __future__ import annotations

import io
import os
from pathlib import Path

import paramiko

from gateway.transport.errors import AuthenticationError
from gateway.transport.spec import TransportSpec

_KEY_CLASSES: tuple[type[paramiko.PKey], ...] = (paramiko.Ed25519Key, paramiko.ECDSAKey,
                                                 paramiko.RSAKey)


def load_private_key(spec: TransportSpec, *, home: Path | None = None) -> paramiko.PKey:
    """The key named by the profile; `AuthenticationError` (never retried) when it is unusable."""
    where = {"partner": spec.partner, "host": spec.host, "port": spec.port, "user": spec.user,
             "operation": "load key"}
    if spec.key_env:
        text = os.environ.get(spec.key_env)
        if not text:
            raise AuthenticationError(f"environment variable {spec.key_env} is not set",
                                      hint=f"export {spec.key_env} with the private key text",
                                      **where)  # type: ignore[arg-type]
        for cls in _KEY_CLASSES:
            try:
                return cls.from_private_key(io.StringIO(text))
            except (paramiko.SSHException, ValueError):
                continue
        raise AuthenticationError(f"{spec.key_env} does not hold an Ed25519, ECDSA or RSA private "
                                  "key", hint="put the whole key file text in the variable",
                                  **where)  # type: ignore[arg-type]
    path = Path(spec.key_file or "").expanduser()
    if not path.is_absolute() and home is not None:
        path = home / path
    try:
        return paramiko.PKey.from_path(path)
    except FileNotFoundError as exc:
        raise AuthenticationError(f"key file {path} does not exist",
                                  hint="set transport.key_file to our private key", **where) from exc  # type: ignore[arg-type]
    except (paramiko.SSHException, ValueError, OSError) as exc:
        raise AuthenticationError(f"key file {path} cannot be read: {exc}",
                                  hint="use an unencrypted OpenSSH/PEM key readable by the gateway",
                                  **where) from exc  # type: ignore[arg-type]
