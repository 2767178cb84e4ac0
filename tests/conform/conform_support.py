"""Shared pieces of the conformance and recorder tests: paths, and a real HTTP server on
127.0.0.1 (stdlib ``http.server`` in a thread, port 0) that answers with canned replies,
in chunks when asked, and keeps every request it received."""

from __future__ import annotations

import sys
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

TESTS = Path(__file__).resolve().parent.parent
ROOT = TESTS.parent
for folder in (TESTS, ROOT):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))


SPEC = ROOT / "spec" / "images-edit.yaml"
RECORDINGS = TESTS / "recordings"


@dataclass
class Reply:
    status: int = 200
    headers: list[tuple[str, str]] = field(default_factory=list)
    chunks: list[bytes] = field(default_factory=list)
    chunked: bool = False  # Transfer-Encoding: chunked, one chunk per item, flushed


@dataclass
class Received:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


class LocalServer:
    """What the test server answers, and what it was sent."""

    def __init__(self) -> None:
        self.reply = Reply()
        self.received: list[Received] = []
        self.url = ""

    def answer(
        self,
        body: bytes | list[bytes],
        *,
        status: int = 200,
        content_type: str = "application/json",
        headers: list[tuple[str, str]] | None = None,
        chunked: bool = False,
    ) -> None:
        chunks = body if isinstance(body, list) else [body]
        all_headers = [("Content-Type", content_type), *(headers or [])]
        self.reply = Reply(status, all_headers, chunks, chunked)


def handler_for(server: LocalServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:
            body = self._read_body()
            headers = {k.lower(): v for k, v in self.headers.items()}
            server.received.append(Received(self.command, self.path, headers, body))
            reply = server.reply
            self.send_response(reply.status)
            for name, value in reply.headers:
                self.send_header(name, value)
            if reply.chunked:
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                for chunk in reply.chunks:
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                    self.wfile.flush()
                self.wfile.write(b"0\r\n\r\n")
            else:
                data = b"".join(reply.chunks)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            self.wfile.flush()

        do_GET = do_POST

        def _read_body(self) -> bytes:
            if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
                parts: list[bytes] = []
                while True:
                    size = int(self.rfile.readline().split(b";")[0].strip(), 16)
                    if size == 0:
                        while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                            pass
                        return b"".join(parts)
                    parts.append(self.rfile.read(size))
                    self.rfile.readline()
            length = int(self.headers.get("Content-Length") or 0)
            return self.rfile.read(length) if length else b""

        def log_message(self, format: str, *args: object) -> None:  # quiet
            pass

    return Handler


class RunningServer:
    """A :class:`LocalServer` served from a thread until :meth:`stop`."""

    def __init__(self) -> None:
        self.state = LocalServer()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler_for(self.state))
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}
        )
        self._thread.start()
        self.state.url = f"http://127.0.0.1:{self._server.server_address[1]}"

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
