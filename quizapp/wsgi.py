"""The entry point for WSGI servers: `gunicorn quizapp.wsgi:app`.

When the app refuses to start (no usable secret key, see config.py), the
operator should read why in one line, and the server should stop rather than
print a traceback from every worker and keep restarting them.
"""

from __future__ import annotations

import gc

from gunicorn.errors import AppImportError

from quizapp import create_app
from quizapp.config import ConfigError


class StartupRefused(AppImportError, RuntimeError):
    """gunicorn prints an AppImportError raised in a worker as its bare message and
    stops; with --preload the app loads in the master, where gunicorn does the same
    for a RuntimeError."""


try:
    app = create_app()
except ConfigError as error:
    raise StartupRefused(f"quizapp cannot start: {error.message}") from None

# What is loaded by now (the app, its libraries, SQLAlchemy's mappings) lives as
# long as the process. Frozen, it is left out of the garbage collector's full
# passes, which otherwise stalled a request for tens of milliseconds now and then
# (benchmarks/review_pages.py does the same after its setup; see the README).
gc.freeze()
