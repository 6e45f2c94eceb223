"""gunicorn settings for the test servers of live_server.py: stop when the test that started us is gone.

A test run that is killed (rather than interrupted) never reaches its cleanup;
without this its gunicorn would keep running and keep the database open.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from typing import Any


def when_ready(server: Any) -> None:
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1)
        server.log.info("The test process that started this server is gone; stopping.")
        os.kill(os.getpid(), signal.SIGTERM)

    threading.Thread(target=watch, name="test-watchdog", daemon=True).start()
