"""The app under a real gunicorn on 127.0.0.1, for tests that need a real server.

The test holds the listening socket (an ephemeral port) and hands it to gunicorn
as fd://N. So the port is known before gunicorn starts, nothing else can take
it, and after the server is killed a new one serves the same address: clients
that connect meanwhile wait in the socket's queue instead of being refused.

    with LiveServer(env={...}, workers=4, log=tmp_path / "gunicorn.log") as server:
        requests.get(server.url + "/login")
        server.kill()      # SIGKILL the master and every worker at once
        server.start()     # a new server on the same port
"""

from __future__ import annotations

import contextlib
import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path
from types import TracebackType

import gunicorn.config

READY_PATH = "/login"  # public: answers 200 once a worker has booted
WATCHDOG_CONFIG = Path(__file__).with_name("gunicorn_test_conf.py")


class ServerFailed(RuntimeError):
    """The server did not come up; the message ends with its log."""


def _control_socket_flag() -> list[str]:
    # Newer gunicorn opens a control socket in the home folder, shared by every
    # server started by this user; tests run several at once and need none.
    # KNOWN_SETTINGS lists setting classes, so look for the setting by its name.
    known = {setting.name for setting in gunicorn.config.KNOWN_SETTINGS}
    return ["--no-control-socket"] if "control_socket_disable" in known else []


class LiveServer:
    def __init__(
        self,
        env: Mapping[str, str],
        log: Path,
        workers: int = 4,
        app: str = "quizapp.wsgi:app",
        cwd: Path | None = None,
        extra_args: tuple[str, ...] = (),
    ) -> None:
        self.env = {**os.environ, **env}
        self.log = log
        self.workers = workers
        self.app = app
        self.cwd = cwd or log.parent
        self.extra_args = extra_args
        self.listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(1024)
        self.listener.set_inheritable(True)
        self.port: int = self.listener.getsockname()[1]
        self.process: subprocess.Popen[bytes] | None = None
        self.starts = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def command(self) -> list[str]:
        return [
            sys.executable, "-m", "gunicorn",
            "--bind", f"fd://{self.listener.fileno()}",
            "--workers", str(self.workers),
            "--timeout", "60",
            "--graceful-timeout", "5",
            "--config", str(WATCHDOG_CONFIG),
            *_control_socket_flag(),
            *self.extra_args,
            self.app,
        ]  # fmt: skip

    def start(self, timeout: float = 60) -> None:
        """Start gunicorn and return once it answers a request."""
        assert self.process is None or self.process.poll() is not None, "already running"
        self.starts += 1
        with self.log.open("ab") as log:
            log.write(f"\n--- start {self.starts}: {' '.join(self.command())}\n".encode())
            log.flush()
            self.process = subprocess.Popen(
                self.command(),
                env=self.env,
                cwd=self.cwd,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=log,
                pass_fds=(self.listener.fileno(),),
                start_new_session=True,  # its own process group: kill() reaches every worker
            )
        self.wait_until_ready(timeout)

    def wait_until_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while True:
            assert self.process is not None
            if self.process.poll() is not None:
                raise ServerFailed(f"gunicorn exited with code {self.process.returncode}\n{self.log_tail()}")
            connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
            try:
                connection.request("GET", READY_PATH)
                if connection.getresponse().status == 200:
                    return
            except (OSError, http.client.HTTPException):
                pass
            finally:
                connection.close()
            if time.monotonic() > deadline:
                self.kill()
                raise ServerFailed(f"gunicorn did not answer within {timeout:.0f} s\n{self.log_tail()}")
            time.sleep(0.1)

    def kill(self) -> None:
        """SIGKILL the master and all its workers at once: a crash, not a shutdown."""
        if self.process is None or self.process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self) -> None:
        """A normal shutdown (SIGTERM); SIGKILL if it takes too long."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=15)  # the master stops its workers before it exits
        except subprocess.TimeoutExpired:
            self.kill()

    def close(self) -> None:
        self.stop()
        self.listener.close()

    def log_tail(self, lines: int = 40) -> str:
        try:
            text = self.log.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return "(no log)"
        return "\n".join(text.splitlines()[-lines:])

    def __enter__(self) -> LiveServer:
        try:
            self.start()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.close()


def run_once(env: Mapping[str, str], log: Path, args: tuple[str, ...] = (), timeout: float = 60) -> tuple[int, str]:
    """Run gunicorn expecting it to stop by itself (e.g. refusing to start): (exit code, output)."""
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "--bind",
        "127.0.0.1:0",
        "--workers",
        "2",
        *_control_socket_flag(),
        *args,
        "quizapp.wsgi:app",
    ]
    completed = subprocess.run(
        command,
        env={**os.environ, **env},
        cwd=log.parent,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=timeout,
        check=False,
    )
    output = (completed.stdout + completed.stderr).decode("utf-8", "replace")
    log.write_text(output, encoding="utf-8")
    return completed.returncode, output
