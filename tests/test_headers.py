"""F10: security headers on every response, and nothing in the pages that the policy would block."""

from __future__ import annotations

import re
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient
from werkzeug.datastructures import Headers

from quizapp import create_app
from quizapp.config import PROJECT_ROOT
from quizapp.db import db

from .support import Actor

TEMPLATES = PROJECT_ROOT / "templates"


def assert_security_headers(headers: Headers, where: str) -> None:
    policy = headers.get("Content-Security-Policy", "")
    directives = dict(d.strip().partition(" ")[::2] for d in policy.split(";"))
    assert directives.get("default-src") == "'none'", (where, policy)  # nothing not named below
    # Scripts only from our own static files: no inline script, no eval, nothing from elsewhere.
    assert directives.get("script-src") == "'self'", (where, policy)
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy, where
    assert directives.get("frame-ancestors") == "'none'", (where, policy)
    assert directives.get("style-src") == "'self'", (where, policy)
    assert headers.get("X-Frame-Options") == "DENY", where
    assert headers.get("X-Content-Type-Options") == "nosniff", where
    assert headers.get("Referrer-Policy") == "same-origin", where


def headers_of(client: FlaskClient, path: str) -> Headers:
    with client.get(path) as response:  # closed: a static file is sent from an open file
        return response.headers


def test_f10_every_kind_of_response_carries_the_headers(app: Flask, student: Actor) -> None:
    client = app.test_client()  # signed out
    for where, headers in {
        "sign-in page, signed out": headers_of(client, "/login"),
        "redirect to sign in": headers_of(client, "/results"),
        "not found": headers_of(client, "/no/such/page"),
        "stylesheet": headers_of(client, "/static/style.css"),
        "quiz list": headers_of(student.client, "/"),
        "refused instructor page": headers_of(student.client, "/instructor"),
        "method not allowed": headers_of(student.client, "/logout"),
    }.items():
        assert_security_headers(headers, where)


def test_f10_pages_with_a_signed_in_users_data_are_not_cached(app: Flask, student: Actor) -> None:
    client = app.test_client()  # signed out
    attempt = student.start()
    for path in ("/", "/results", "/results/answers", f"/attempts/{attempt}", "/account", "/no/such/page"):
        assert headers_of(student.client, path).get("Cache-Control") == "no-store", path
    # The stylesheet may be cached, and a page for nobody in particular needs no rule.
    assert headers_of(student.client, "/static/style.css").get("Cache-Control") != "no-store"
    assert headers_of(client, "/login").get("Cache-Control") != "no-store"


def test_f10_downloads_keep_their_own_headers(admin: Actor) -> None:
    headers = headers_of(admin.client, "/instructor/exports/scores.csv")
    assert headers["Cache-Control"] == "no-store" and headers["Content-Type"].startswith("text/csv")
    assert_security_headers(headers, "CSV")


def test_f10_https_sites_ask_browsers_to_keep_to_https(app: Flask) -> None:
    assert "Strict-Transport-Security" not in headers_of(app.test_client(), "/login")  # plain HTTP (tests, dev)
    secure = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "a-test-secret-key-that-is-long-enough",
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "SESSION_COOKIE_SECURE": True,
        }
    )
    assert headers_of(secure.test_client(), "/login")["Strict-Transport-Security"].startswith("max-age=")
    with secure.app_context():
        db.engine.dispose()


INLINE = {
    # A script from a static file is allowed ('self'); one written into the page is not.
    "an inline <script> element": re.compile(r"<script\b(?![^>]*\ssrc=)", re.IGNORECASE),
    "a <style> element": re.compile(r"<style\b", re.IGNORECASE),
    "a style attribute": re.compile(r"\sstyle\s*=", re.IGNORECASE),
    "an event handler attribute": re.compile(r"\son[a-z]+\s*=", re.IGNORECASE),
    "a javascript: URL": re.compile(r"javascript:", re.IGNORECASE),
}


def inline_code(text: str) -> list[str]:
    return [name for name, pattern in INLINE.items() if pattern.search(text)]


def test_f10_no_template_or_chart_holds_what_the_policy_blocks() -> None:
    """The policy allows no inline script or style: nothing in the pages may need one."""
    found = {
        str(path.relative_to(PROJECT_ROOT)): inline_code(path.read_text(encoding="utf-8"))
        for path in [*TEMPLATES.rglob("*.html"), PROJECT_ROOT / "quizapp" / "review" / "charts.py"]
    }
    assert {path: names for path, names in found.items() if names} == {}
    assert len(found) > 20


def test_the_inline_check_can_fail() -> None:
    assert inline_code('<script src="/static/live.js" defer></script>') == []
    for sample in ("<script>x()</script>", '<p style="color:red">', '<a onclick="x()">', "<STYLE>p{}</STYLE>"):
        assert inline_code(sample), sample
    assert inline_code('<p class="styled">only on load</p>') == []


def test_the_browser_tests_check_pages_under_the_policy() -> None:
    """The browser tests load the real pages, headers included, so a blocked style would show there."""
    conftest = (Path(__file__).parent / "browser" / "conftest.py").read_text(encoding="utf-8")
    assert "bypass_csp" not in conftest
