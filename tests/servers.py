"""Real servers for tests: gunicorn on 127.0.0.1 on a port the system picks, and a small browser.

The browser keeps the session cookie the way a browser does for 127.0.0.1,
whatever the port, so one student can move between servers with it.
"""

from __future__ import annotations

import http.client
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from .support import CSRF_FIELD

LISTENING = re.compile(r"Listening at: http://127\.0\.0\.1:(\d+)")
START_TIMEOUT = 60.0


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    port: int
    log: Path

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()  # gunicorn's graceful shutdown
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def start_gunicorn(env: dict[str, str], log: Path, workers: int = 2) -> Server:
    """Start `gunicorn quizapp:create_app()` and wait until it answers."""
    handle = log.open("wb")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--bind",
            "127.0.0.1:0",
            "--workers",
            str(workers),
            "--timeout",
            "60",
            "--graceful-timeout",
            "10",
            "quizapp:create_app()",
        ],
        env=env,
        stdout=handle,
        stderr=subprocess.STDOUT,
    )
    handle.close()
    deadline = time.monotonic() + START_TIMEOUT
    port = None
    while port is None:
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise RuntimeError(f"gunicorn did not start:\n{log.read_text(errors='replace')[-3000:]}")
        found = LISTENING.search(log.read_text(errors="replace"))
        port = int(found.group(1)) if found else None
        time.sleep(0.05)
    server = Server(process, port, log)
    while True:  # the workers import the app after the port is open
        try:
            if Browser().get(server, "/login").status == 200:
                return server
        except OSError:
            pass
        if time.monotonic() > deadline:
            server.stop()
            raise RuntimeError(f"gunicorn did not answer:\n{log.read_text(errors='replace')[-3000:]}")
        time.sleep(0.1)


@dataclass(frozen=True)
class Response:
    status: int
    location: str
    body: str

    def csrf_token(self) -> str:
        found = CSRF_FIELD.search(self.body)
        assert found, self.body[:500]
        return found.group(1)


class Browser:
    """Sends requests to any of the servers with one cookie jar; follows no redirects."""

    def __init__(self) -> None:
        self.cookies: dict[str, str] = {}

    def get(self, server: Server, path: str) -> Response:
        return self.request(server, "GET", path)

    def post(self, server: Server, path: str, form: dict[str, str]) -> Response:
        return self.request(server, "POST", path, form)

    def request(self, server: Server, method: str, path: str, form: dict[str, str] | None = None) -> Response:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", errors="replace")
            for header in response.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(header).items():
                    self.cookies[name] = morsel.value
            location = urlsplit(response.headers.get("Location", "")).path
            return Response(response.status, location, text)
        finally:
            connection.close()
