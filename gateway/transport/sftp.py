"""The SFTP transport (paramiko): pinned host key, key login, timeouts everywhere, retries.

One connection is opened on first use and reused; when a network error breaks it, it is dropped
and the operation is retried with backoff on a fresh one (`spec.retries` tries in all). Host-key
and authentication failures are never retried. Downloads are checked against the size the server
listed; uploads go to `.NAME.part` in the outbound folder, are checked by size and then
renamed into place with posix-rename (rename where the server lacks it), so a partner never sees
a partial file under its final name.
"""
from __future__ import annotations

import errno
import posixpath
import socket
import stat
from pathlib import Path
from typing import Callable, TypeVar

import paramiko

from gateway.transport.base import Transport
from gateway.transport.errors import (AuthenticationError, HostKeyError, RemoteFileMissing,
                                      TransportError)
from gateway.transport.hostkeys import PinnedHostKeys, fingerprint
from gateway.transport.keys import load_private_key
from gateway.transport.model import RemoteFile
from gateway.transport.names import unsafe_reason
from gateway.transport.retry import Backoff, with_retries
from gateway.transport.spec import TransportSpec

T = TypeVar("T")
_NETWORK_ERRORS = (OSError, EOFError, paramiko.SSHException, socket.timeout)


class SFTPTransport(Transport):
    kind = "sftp"

    def __init__(self, spec: TransportSpec, *, home: Path | None = None,
                 sock_factory: Callable[[], socket.socket] | None = None,
                 **kwargs: object) -> None:
        super().__init__(spec, **kwargs)  # type: ignore[arg-type]
        self.home = home
        self._pins = PinnedHostKeys(spec.host_key or "", home=home)
        self._key = load_private_key(spec, home=home)
        self._sock_factory = sock_factory
        self._client: paramiko.SSHClient | None = None
        self._sftp: paramiko.SFTPClient | None = None
        self._server_key: paramiko.PKey | None = None
        self.connections = 0      # how many times we connected (retries reconnect)
        self._processed_ready = False
        self.backoff = Backoff(attempts=spec.retries, base=spec.backoff_seconds,
                               cap=spec.backoff_max_seconds)

    # ---- connection ----
    def _where(self, operation: str) -> dict[str, object]:
        return {"partner": self.spec.partner, "host": self.spec.host, "port": self.spec.port,
                "user": self.spec.user, "operation": operation}

    def _session(self) -> paramiko.SFTPClient:
        if self._sftp is not None:
            return self._sftp
        spec = self.spec
        client = paramiko.SSHClient()
        self._pins.install(client, spec.host or "", spec.port)
        try:
            client.connect(
                spec.host or "", port=spec.port, username=spec.user, pkey=self._key,
                timeout=spec.connect_timeout, banner_timeout=spec.banner_timeout,
                auth_timeout=spec.auth_timeout, channel_timeout=spec.channel_timeout,
                allow_agent=False, look_for_keys=False,
                sock=self._sock_factory() if self._sock_factory else None)
            sftp = client.open_sftp()
            sftp.get_channel().settimeout(spec.channel_timeout)
        except HostKeyError as exc:
            client.close()
            exc.host, exc.port, exc.user, exc.partner = spec.host, spec.port, spec.user, spec.partner
            exc.operation = "connect"
            raise
        except paramiko.BadHostKeyException as exc:
            client.close()
            raise HostKeyError(
                f"host key of {spec.host}:{spec.port} changed: got {exc.key.get_name()} "
                f"{fingerprint(exc.key)}, pinned {fingerprint(exc.expected_key)}",
                hint="a changed key may be an attack; confirm the new key with the partner "
                     "before pinning it", **self._where("connect")) from exc  # type: ignore[arg-type]
        except paramiko.AuthenticationException as exc:
            transport = client.get_transport()
            dropped = transport is None or not transport.is_active() or "saw EOF" in str(exc)
            client.close()
            if dropped:
                # the connection ended during authentication (a server restarting, a cut link):
                # paramiko says "Authentication failed", but no key was refused, so retry
                raise TransportError(
                    f"connection to {spec.host}:{spec.port} ended during authentication: {exc}",
                    hint="the job retries; if it persists, check the server's logs",
                    **self._where("connect")) from exc  # type: ignore[arg-type]
            raise AuthenticationError(
                f"{spec.user}@{spec.host}:{spec.port} refused our key ({exc})",
                hint="check that the partner installed our public key for this user",
                **self._where("connect")) from exc  # type: ignore[arg-type]
        except _NETWORK_ERRORS as exc:
            client.close()
            raise TransportError(f"cannot connect to {spec.host}:{spec.port}: {_text(exc)}",
                                 hint="check host, port and network; the job retries",
                                 **self._where("connect")) from exc  # type: ignore[arg-type]
        self._client, self._sftp = client, sftp
        transport = client.get_transport()
        self._server_key = transport.get_remote_server_key() if transport else None
        self.connections += 1
        return sftp

    def _drop(self) -> None:
        sftp, client = self._sftp, self._client
        self._sftp = self._client = None
        for thing in (sftp, client):
            try:
                if thing is not None:
                    thing.close()
            except Exception:  # noqa: BLE001 - closing a broken connection may fail any way
                pass

    def close(self) -> None:
        self._drop()

    def _run(self, operation: str, action: Callable[[paramiko.SFTPClient], T],
             name: str | None = None) -> T:
        def attempt() -> T:
            sftp = self._session()
            try:
                return action(sftp)
            except TransportError:
                raise
            except FileNotFoundError as exc:
                if name is None:      # listing: the folder itself is missing
                    raise RemoteFileMissing(
                        f"folder {self.spec.inbound_dir} does not exist on the server",
                        hint="check transport.inbound_dir in the profile",
                        **self._where(operation)) from exc  # type: ignore[arg-type]
                if operation == "upload":
                    raise RemoteFileMissing(
                        f"{name}: folder {self.spec.outbound_dir} does not exist on the server",
                        name=name, hint="check transport.outbound_dir in the profile",
                        **self._where(operation)) from exc  # type: ignore[arg-type]
                raise RemoteFileMissing(f"{name}: no such file on the server",
                                        name=name, **self._where(operation)) from exc  # type: ignore[arg-type]
            except PermissionError as exc:
                raise TransportError(f"{name or operation}: permission denied on the server",
                                     name=name, hint="ask the partner to fix the folder rights",
                                     **self._where(operation)) from exc  # type: ignore[arg-type]
            except _NETWORK_ERRORS as exc:
                self._drop()
                raise TransportError(f"{operation} {name or ''} failed: {_text(exc)}".strip(),
                                     name=name, **self._where(operation)) from exc  # type: ignore[arg-type]
        return with_retries(attempt, self.backoff, sleep=self._sleep)

    def _identity(self) -> dict[str, object]:
        key = self._server_key
        return {"user": self.spec.user, "host": self.spec.host, "port": self.spec.port,
                "server_key_fingerprint": fingerprint(key) if key else None,
                "server_key_type": key.get_name() if key else None}

    # ---- primitives ----
    def _inbound_path(self, name: str) -> str:
        return posixpath.join(self.spec.inbound_dir, name)

    def _outbound_path(self, name: str) -> str:
        return posixpath.join(self.spec.outbound_dir, name)

    def _processed_dir(self) -> str:
        return self.spec.processed_dir or posixpath.join(
            posixpath.dirname(self.spec.inbound_dir.rstrip("/")) or ".", "processed")

    def _list_all(self) -> dict[str, RemoteFile]:
        def action(sftp: paramiko.SFTPClient) -> dict[str, RemoteFile]:
            found: dict[str, RemoteFile] = {}
            self.refused_names = []
            for attr in sftp.listdir_attr(self.spec.inbound_dir):
                reason = unsafe_reason(attr.filename)
                if reason:
                    self.refused_names.append((attr.filename, reason))
                elif attr.st_mode is not None and stat.S_ISREG(attr.st_mode):
                    found[attr.filename] = RemoteFile(attr.filename, attr.st_size or 0,
                                                      float(attr.st_mtime or 0))
            return found
        return self._run("list", action)

    def _read(self, name: str) -> tuple[int | None, bytes, dict[str, object]]:
        path = self._inbound_path(name)

        def action(sftp: paramiko.SFTPClient) -> tuple[int | None, bytes, dict[str, object]]:
            info = sftp.stat(path)
            size = info.st_size or 0
            if size > self.spec.max_file_bytes:
                raise TransportError(f"{name}: {size} bytes is over the limit", name=name,
                                     retryable=False, **self._where("download"))  # type: ignore[arg-type]
            with sftp.open(path, "rb") as handle:
                if size > 256 * 1024:            # pipelined reads pay off on large files only
                    handle.prefetch(size)
                data = handle.read()
            if len(data) != size:   # a cut mid-transfer: discard, reconnect, read again
                self._drop()
                raise TransportError(f"{name}: read {len(data)} of {size} bytes", name=name,
                                     **self._where("download"))  # type: ignore[arg-type]
            return size, data, {"remote_mtime": float(info.st_mtime or 0)}
        return self._run("download", action, name)

    def _write_atomic(self, name: str, data: bytes) -> dict[str, object]:
        folder = self.spec.outbound_dir
        final = posixpath.join(folder, name)

        def action(sftp: paramiko.SFTPClient) -> dict[str, object]:
            # One temporary name per file: a try cut mid-way leaves `.NAME.part`, which the
            # next try (in this pass or a later one) truncates and renames; nothing piles up.
            temp = posixpath.join(folder, f".{name}.part")
            with sftp.open(temp, "wb") as handle:
                handle.set_pipelined(True)
                handle.write(data)
            written = sftp.stat(temp).st_size
            if written != len(data):
                sftp.remove(temp)
                raise TransportError(f"{name}: server holds {written} of {len(data)} bytes",
                                     name=name, **self._where("upload"))  # type: ignore[arg-type]
            _rename_into_place(sftp, temp, final)
            return {}
        return self._run("upload", action, name)

    def _move(self, name: str) -> None:
        processed = self._processed_dir()

        def action(sftp: paramiko.SFTPClient) -> None:
            if not self._processed_ready:
                try:
                    sftp.stat(processed)
                except FileNotFoundError:
                    sftp.mkdir(processed)
                self._processed_ready = True
            _rename_into_place(sftp, self._inbound_path(name), posixpath.join(processed, name))
        self._run("archive", action, name)

    def _delete(self, name: str) -> None:
        self._run("archive", lambda sftp: sftp.remove(self._inbound_path(name)), name)


def _rename_into_place(sftp: paramiko.SFTPClient, source: str, target: str) -> None:
    """posix-rename (atomic, replaces); plain SFTP rename where the server lacks the extension."""
    try:
        sftp.posix_rename(source, target)
        return
    except (FileNotFoundError, PermissionError):
        raise
    except OSError as exc:
        if getattr(exc, "errno", None) not in (None, errno.EOPNOTSUPP):
            raise
    try:
        sftp.rename(source, target)
    except OSError:
        sftp.remove(target)          # plain rename refuses to replace: the only non-atomic path
        sftp.rename(source, target)


def _text(exc: BaseException) -> str:
    return str(exc) or type(exc).__name__
