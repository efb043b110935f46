"""A loopback TCP proxy that cuts connections after N bytes: a network that fails mid-transfer.

`CuttingProxy(target_port, cut_after=N, direction="down"|"up", cuts=K)` forwards 127.0.0.1 traffic
to the target and, for the first K connections, resets both sides once N bytes have gone in the
chosen direction (down = server to client, as in a download; up = client to server, an upload).
With `stall=True` it goes silent instead, keeping the connection open (a hung server).
Later connections pass through untouched, so a retry can succeed.
"""
from __future__ import annotations

import socket
import struct
import threading


class CuttingProxy:
    def __init__(self, target_port: int, *, cut_after: int, direction: str = "down",
                 cuts: int = 1, target_host: str = "127.0.0.1", stall: bool = False) -> None:
        self.target = (target_host, target_port)
        self.cut_after = cut_after
        self.direction = direction
        self.cuts_left = cuts
        self.stall = stall              # stop forwarding but keep the connection open
        self.connections = 0
        self.cuts_done = 0
        self._lock = threading.Lock()
        self._server = socket.create_server(("127.0.0.1", 0))
        self._server.settimeout(0.05)          # so close() is noticed promptly
        self.port = self._server.getsockname()[1]
        self._closing = False
        self._sockets: list[socket.socket] = []
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while not self._closing:
            try:
                client, _ = self._server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            client.settimeout(None)
            try:
                upstream = socket.create_connection(self.target, timeout=5)
                upstream.settimeout(None)
            except OSError:
                client.close()
                continue
            with self._lock:
                self.connections += 1
                cut = self.cuts_left > 0
                if cut:
                    self.cuts_left -= 1
                self._sockets += [client, upstream]
            state = {"sent": 0, "cut": cut}
            threading.Thread(target=self._pipe, args=(client, upstream, "up", state),
                             daemon=True).start()
            threading.Thread(target=self._pipe, args=(upstream, client, "down", state),
                             daemon=True).start()

    def _pipe(self, source: socket.socket, sink: socket.socket, direction: str,
              state: dict[str, object]) -> None:
        try:
            while True:
                chunk = source.recv(16384)
                if not chunk:
                    break
                if state["cut"] and direction == self.direction:
                    room = self.cut_after - int(state["sent"])  # type: ignore[arg-type]
                    if len(chunk) >= room:
                        sink.sendall(chunk[:max(room, 0)])
                        with self._lock:
                            self.cuts_done += 1
                        if self.stall:
                            while not self._closing:      # a silent, open connection
                                threading.Event().wait(0.05)
                            return
                        _reset(source)
                        _reset(sink)
                        return
                    state["sent"] = int(state["sent"]) + len(chunk)  # type: ignore[arg-type]
                sink.sendall(chunk)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def close(self) -> None:
        self._closing = True
        self._server.close()
        with self._lock:
            for sock in self._sockets:
                try:
                    sock.close()
                except OSError:
                    pass
        self._thread.join(timeout=2)


def _reset(sock: socket.socket) -> None:
    """Close with RST (SO_LINGER 0): the peer sees the connection torn, not a clean end."""
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        sock.shutdown(socket.SHUT_RDWR)   # wakes the thread reading the other direction
    except OSError:
        pass
    try:
        sock.close()
    except OSError:
        pass
