"""Outside debug and testing the app starts only with a real secret key, and says why not."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

import quizapp
from quizapp import create_app
from quizapp.config import SECRET_KEY_FILE, ConfigError, ensure_secret_key

from .live_server import LiveServer, run_once

PACKAGE_DIR = str(Path(quizapp.__file__).parent)
GOOD_KEY = "9f2c4e7a1b3d5f60e8a2c4b6d8f0a1c3"


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("QUIZAPP_SECRET_KEY", "QUIZAPP_DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)


@pytest.mark.parametrize(
    ("key", "why"),
    [
        ("short", "too short (5 characters)"),
        ("x" * 23, "too short (23 characters)"),
        ("changeme-changeme-changeme", "looks like a placeholder"),
        ("a" * 64, "looks like a placeholder"),
    ],
)
def test_a_weak_key_from_the_environment_is_refused(monkeypatch: pytest.MonkeyPatch, key: str, why: str) -> None:
    monkeypatch.setenv("QUIZAPP_SECRET_KEY", key)
    with pytest.raises(ConfigError) as refused:
        create_app()
    assert "QUIZAPP_SECRET_KEY cannot be used" in refused.value.message and why in refused.value.message
    assert "secrets.token_hex" in refused.value.message  # and how to make a good one


def test_a_shared_database_needs_a_key_from_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("QUIZAPP_DATABASE_URL", f"sqlite:///{tmp_path / 'db.sqlite3'}")
    with pytest.raises(ConfigError) as refused:
        create_app()
    assert "QUIZAPP_SECRET_KEY is not set" in refused.value.message
    monkeypatch.setenv("QUIZAPP_SECRET_KEY", GOOD_KEY)
    assert create_app().config["SECRET_KEY"] == GOOD_KEY


def test_debug_and_testing_accept_any_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUIZAPP_SECRET_KEY", "dev")
    assert create_app({"TESTING": True}).config["SECRET_KEY"] == "dev"
    assert create_app({"DEBUG": True}).config["SECRET_KEY"] == "dev"


def test_one_machine_makes_a_random_key_file_once(tmp_path: Path) -> None:
    first: dict[str, object] = {}
    second: dict[str, object] = {}
    ensure_secret_key(first, str(tmp_path / "instance"))
    ensure_secret_key(second, str(tmp_path / "instance"))
    key_file = tmp_path / "instance" / SECRET_KEY_FILE
    assert first["SECRET_KEY"] == second["SECRET_KEY"] == key_file.read_text().strip()
    assert len(str(first["SECRET_KEY"])) == 64
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600


@pytest.mark.parametrize("content", ["", "\n", "short\n", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n"])
def test_a_spoilt_key_file_is_refused_and_named(tmp_path: Path, content: str) -> None:
    instance = tmp_path / "instance"
    instance.mkdir()
    (instance / SECRET_KEY_FILE).write_text(content)
    with pytest.raises(ConfigError) as refused:
        ensure_secret_key({}, str(instance))
    assert str(instance / SECRET_KEY_FILE) in refused.value.message
    assert "Delete the file" in refused.value.message


def test_an_instance_folder_that_cannot_be_made_is_refused(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the instance folder should be")
    with pytest.raises(ConfigError) as refused:
        ensure_secret_key({}, str(blocker / "instance"))
    assert "cannot be made or read" in refused.value.message and "QUIZAPP_SECRET_KEY" in refused.value.message


def test_secure_cookies_when_configured(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("QUIZAPP_SECURE_COOKIES", "1")
    app = create_app(
        {"TESTING": True, "SECRET_KEY": GOOD_KEY, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    )
    from quizapp.db import db

    with app.app_context():
        db.create_all()
    client = app.test_client()
    client.get("/login", base_url="https://localhost")  # the sign-in form puts its CSRF token in the session
    cookie = client.get_cookie("session", domain="localhost")
    assert cookie is not None and cookie.secure and cookie.http_only and cookie.same_site == "Lax"
    with app.app_context():
        db.engine.dispose()


def test_flask_cli_says_why_without_a_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner
    from flask.cli import FlaskGroup

    monkeypatch.setenv("QUIZAPP_SECRET_KEY", "short")
    result = CliRunner().invoke(FlaskGroup(create_app=create_app), ["routes"])
    assert result.exit_code == 1
    assert "Error: QUIZAPP_SECRET_KEY cannot be used: it is too short" in result.output
    assert "Traceback" not in result.output


@pytest.mark.slow
@pytest.mark.parametrize("preload", [False, True], ids=["workers", "preload"])
def test_gunicorn_refuses_to_start_and_says_why(tmp_path: Path, preload: bool) -> None:
    code, output = run_once(
        {"QUIZAPP_SECRET_KEY": "short"}, tmp_path / "gunicorn.log", args=("--preload",) if preload else ()
    )
    assert code != 0
    assert "quizapp cannot start: QUIZAPP_SECRET_KEY cannot be used: it is too short (5 characters)" in output
    # No traceback from the app. With several workers gunicorn itself sometimes prints
    # one of its own (HaltServer raised again while it halts, when the second failing
    # worker is reaped late); that race is gunicorn's and names none of our code.
    assert "ConfigError" not in output, output
    app_frames = [line for line in output.splitlines() if line.lstrip().startswith('File "') and PACKAGE_DIR in line]
    assert not app_frames, output
    if preload:
        assert "Traceback" not in output, output
    assert output.count("Booting worker") <= 2  # it stops; it does not keep restarting workers


def test_the_server_entry_point_keeps_the_loaded_app_out_of_full_collections(tmp_path: Path) -> None:
    """quizapp.wsgi freezes what it loaded, so the garbage collector's full passes skip it."""
    env = {**os.environ, "QUIZAPP_SECRET_KEY": GOOD_KEY, "QUIZAPP_DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    probe = "import gc, quizapp.wsgi; print(gc.get_freeze_count())"
    result = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert int(result.stdout) > 10_000  # the app and its libraries, not a handful of objects


@pytest.mark.slow
def test_gunicorn_starts_with_a_good_key(tmp_path: Path) -> None:
    env = {"QUIZAPP_SECRET_KEY": GOOD_KEY, "QUIZAPP_DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    with LiveServer(env, tmp_path / "gunicorn.log", workers=2) as server:
        import requests

        assert requests.get(server.url + "/login", timeout=10).status_code == 200
