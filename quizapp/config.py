"""Configuration from the environment, with defaults that are safe on one machine."""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any

import click
from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from quizapp.bank.files.limits import LoadLimits
from quizapp.integers import parse_int

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SECRET_KEY_FILE = "secret_key"


def from_environment(instance_path: str) -> dict[str, Any]:
    database_url = os.environ.get("QUIZAPP_DATABASE_URL") or (
        "sqlite:///" + str(Path(instance_path) / "quizapp.sqlite3")
    )
    return {
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SECRET_KEY": os.environ.get("QUIZAPP_SECRET_KEY"),
        "SHARED_DATABASE": bool(os.environ.get("QUIZAPP_DATABASE_URL")),
        "QUESTIONS_DIR": Path(os.environ.get("QUIZAPP_QUESTIONS_DIR") or PROJECT_ROOT / "questions"),
        # The cookie lasts 31 days from the last change to the session (signing in, a
        # message to show), not renewed by every page: a page that changes nothing
        # sends no cookie (renewing it cost about a tenth of the question page). The
        # sign-in itself ends 31 days after it began at the latest (accounts/sessions.py).
        "PERMANENT_SESSION_LIFETIME": timedelta(days=31),
        "SESSION_REFRESH_EACH_REQUEST": False,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": os.environ.get("QUIZAPP_SECURE_COOKIES", "") == "1",
        "WTF_CSRF_TIME_LIMIT": None,  # a student may read a passage for a long time
        "MAX_CONTENT_LENGTH": 256 * 1024,
        "PROXIES": os.environ.get("QUIZAPP_PROXIES", "0"),
        # Failed sign-ins and new accounts allowed (accounts/limits.py); see the README.
        "RATELIMIT_STORAGE_URL": os.environ.get("QUIZAPP_RATELIMIT_STORAGE_URL") or "memory://",
        "SIGNIN_LIMIT_PER_USERNAME_AND_ADDRESS": os.environ.get("QUIZAPP_SIGNIN_LIMIT_PER_USERNAME_AND_ADDRESS")
        or "10 per minute; 100 per day",
        "SIGNIN_LIMIT_PER_USERNAME": os.environ.get("QUIZAPP_SIGNIN_LIMIT_PER_USERNAME") or "30 per hour; 100 per day",
        "SIGNIN_LIMIT_PER_ADDRESS": os.environ.get("QUIZAPP_SIGNIN_LIMIT_PER_ADDRESS")
        or "100 per minute; 1000 per hour",
        # Disputes of keys one student may send (disputes/limits.py); counted in the same storage.
        "DISPUTE_LIMIT_PER_STUDENT": os.environ.get("QUIZAPP_DISPUTE_LIMIT_PER_STUDENT") or "10 per hour; 30 per day",
        # Accepting a dispute may rewrite the question file itself (disputes/bank_file.py).
        "BANK_WRITABLE": os.environ.get("QUIZAPP_BANK_WRITABLE", "") == "1",
        "REGISTER_LIMIT_PER_ADDRESS": os.environ.get("QUIZAPP_REGISTER_LIMIT_PER_ADDRESS")
        or "60 per hour; 300 per day",
        # What one question file and one source text may hold (bank/files/limits.py).
        "BANK_MAX_FILE_KB": os.environ.get("QUIZAPP_BANK_MAX_FILE_KB") or "1024",
        "BANK_MAX_PASSAGES_PER_FILE": os.environ.get("QUIZAPP_BANK_MAX_PASSAGES_PER_FILE") or "200",
        "BANK_MAX_SOURCE_KB": os.environ.get("QUIZAPP_BANK_MAX_SOURCE_KB") or "2048",
        # The Question bank page stops checking files after this long, well within
        # gunicorn's worker timeout (30 s in the README); the commands check every file.
        "BANK_PAGE_SECONDS": 10.0,
    }


class ConfigError(click.ClickException):
    """The app cannot start safely; the message says what to set."""


MIN_SECRET_KEY_LENGTH = 24
MIN_DISTINCT_CHARACTERS = 10  # "changeme-changeme-changeme" is long but not a secret
MAKE_A_KEY = "python3 -c 'import secrets; print(secrets.token_hex(32))'"


def key_problem(key: str) -> str | None:
    """Why a key cannot sign sessions safely, or None when it can."""
    if len(key) < MIN_SECRET_KEY_LENGTH:
        return f"it is too short ({len(key)} characters); use at least {MIN_SECRET_KEY_LENGTH} random characters"
    if len(set(key)) < MIN_DISTINCT_CHARACTERS:
        return "it looks like a placeholder, not a random string"
    return None


MAX_PROXIES = 10  # more proxies in a row than anyone runs is a typing mistake


def config_int(config: dict[str, Any], name: str, *, minimum: int, maximum: int) -> int:
    """A whole-number setting, in ASCII digits within bounds, or ConfigError naming the variable."""
    raw = str(config[name]).strip()
    value = parse_int(raw, minimum=minimum, maximum=maximum)
    if value is None:
        raise ConfigError(f"QUIZAPP_{name} must be a whole number from {minimum} to {maximum}, not {raw!r}")
    return value


def bank_limits(config: dict[str, Any]) -> LoadLimits:
    """The caps on question files from QUIZAPP_BANK_*, checked when the app starts."""
    return LoadLimits(
        file_bytes=config_int(config, "BANK_MAX_FILE_KB", minimum=1, maximum=64 * 1024) * 1024,
        passages_per_file=config_int(config, "BANK_MAX_PASSAGES_PER_FILE", minimum=1, maximum=100_000),
        source_bytes=config_int(config, "BANK_MAX_SOURCE_KB", minimum=1, maximum=256 * 1024) * 1024,
    )


def trust_proxies(app: Flask) -> None:
    """Believe X-Forwarded-For/-Proto/-Host from as many reverse proxies as QUIZAPP_PROXIES says.

    Behind nginx the client's address and https are in those headers; without
    a proxy they are whatever a client wrote, so by default none is believed.
    """
    raw = str(app.config.get("PROXIES") or "0").strip()
    hops = parse_int(raw, maximum=MAX_PROXIES)
    if hops is None:
        raise ConfigError(f"QUIZAPP_PROXIES must be a number of proxies from 0 to {MAX_PROXIES}, not {raw!r}")
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]


def ensure_secret_key(config: dict[str, Any], instance_path: str) -> None:
    """Make sure sessions are signed with a real secret, or refuse to start and say why.

    On one machine with the default SQLite file, a random key kept in the
    instance folder is as good as one from the environment, so it is made on
    first start. With a database URL several servers may share one database,
    and they must share one key too: then it has to come from the environment.
    Debug and testing runs accept any key.
    """
    key = config.get("SECRET_KEY")
    relaxed = config.get("TESTING") or config.get("DEBUG")
    if key:
        problem = key_problem(key)
        if problem and not relaxed:
            raise ConfigError(f"QUIZAPP_SECRET_KEY cannot be used: {problem}, e.g. from {MAKE_A_KEY}")
        return
    if config.get("SHARED_DATABASE") and not relaxed:
        raise ConfigError(
            "QUIZAPP_SECRET_KEY is not set. With QUIZAPP_DATABASE_URL every server must "
            "sign sessions with the same key: set QUIZAPP_SECRET_KEY to a long random "
            f"string, e.g. from {MAKE_A_KEY}"
        )
    path = Path(instance_path) / SECRET_KEY_FILE
    try:
        write_secret_key_file(instance_path)
        key = read_secret_key_file(instance_path)
    except OSError as error:
        raise ConfigError(
            f"No QUIZAPP_SECRET_KEY is set and the key file {path} cannot be made or read "
            f"({error.strerror or error}). Set QUIZAPP_SECRET_KEY, e.g. from {MAKE_A_KEY}"
        ) from None
    problem = key_problem(key or "")
    if problem and (not relaxed or not key):
        raise ConfigError(
            f"The secret key in {path} cannot be used: {problem}. Delete the file to have a new one "
            f"made (everyone will have to sign in again), or set QUIZAPP_SECRET_KEY, e.g. from {MAKE_A_KEY}"
        )
    config["SECRET_KEY"] = key


def read_secret_key_file(instance_path: str) -> str | None:
    path = Path(instance_path) / SECRET_KEY_FILE
    try:
        return path.read_text(encoding="utf-8").strip() or None
    except FileNotFoundError:
        return None


def write_secret_key_file(instance_path: str) -> bool:
    """Create a random key for this machine unless one exists; True when created."""
    path = Path(instance_path) / SECRET_KEY_FILE
    if path.exists():
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    # Written whole under a temporary name, then linked into place: several
    # workers starting at once all end up reading the same complete key.
    temporary = path.with_name(f".{SECRET_KEY_FILE}.{os.getpid()}")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(secrets.token_hex(32) + "\n")
    try:
        os.link(temporary, path)
        return True
    except FileExistsError:
        return False
    finally:
        temporary.unlink()
