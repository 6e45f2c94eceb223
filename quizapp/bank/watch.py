"""In debug mode (`flask run --debug`), sync the question files whenever they change.

Before each request the folder's file names, sizes and modification times are
compared with the last ones seen: a few dozen stat calls, no reading. Only when
they differ are the files loaded and synced, with the same sync as the command
(a file with errors leaves what it loaded before as it was).
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field
from pathlib import Path

from flask import Flask, current_app, request
from sqlalchemy.exc import SQLAlchemyError

from quizapp.bank.limits import configured
from quizapp.bank.sync import SyncReport, load_for_sync, sync_bank
from quizapp.db import db

Signature = tuple[tuple[str, int, int], ...]
EXTENSION_KEY = "quizapp.bank_watch"


@dataclass
class _WatchState:
    signature: Signature | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)


def folder_signature(root: Path) -> Signature:
    """(path, size, mtime in ns) of every visible file below `root`; empty when it is missing."""
    found: list[tuple[str, int, int]] = []
    for folder, dirs, names in os.walk(root, followlinks=False):
        dirs[:] = [d for d in dirs if not d.startswith(".")]  # .git, editor folders
        for name in names:
            if name.startswith("."):  # editor swap and backup files
                continue
            path = os.path.join(folder, name)
            try:
                info = os.stat(path)
            except OSError:  # removed between listing and stat
                continue
            found.append((os.path.relpath(path, root), info.st_size, info.st_mtime_ns))
    return tuple(sorted(found))


def sync_if_changed(app: Flask) -> SyncReport | None:
    """Sync when the folder changed since the last look; the report, or None when nothing changed."""
    state: _WatchState = app.extensions.setdefault(EXTENSION_KEY, _WatchState())
    root = Path(app.config["QUESTIONS_DIR"])
    # One request at a time looks: the threaded dev server must not sync twice at once.
    with state.lock:
        signature = folder_signature(root)
        if signature == state.signature:
            return None
        state.signature = signature
        try:
            # Only the files that changed are parsed again (see sync.load_for_sync).
            loaded = load_for_sync(db.session, root, configured(page=True))
            report = sync_bank(db.session, loaded)
        except SQLAlchemyError as exc:
            db.session.rollback()
            app.logger.warning(
                "Question files changed but could not be synced (%s); run `flask --app quizapp setup`.", exc
            )
            return None
    for problem in loaded.problems:
        app.logger.warning("%s", problem)
    app.logger.info("Question files changed; synced: %s.", report.summary())
    return report


def before_request() -> None:
    if current_app.debug and request.endpoint != "static":
        sync_if_changed(current_app._get_current_object())  # type: ignore[attr-defined]
