"""Security headers on every response, from one `after_request` hook (F10).

The app loads nothing from other sites and has no inline script or style, so the
Content-Security-Policy can be nearly as strict as a policy gets: styles and the
few small scripts (static/*.js: local times, a passage in its source, live polling)
from our own files only, requests back to our own site only, no frames. A plain hook rather than Flask-Talisman: these
are five fixed headers; Talisman's other features (redirecting to HTTPS, per-view
policies, nonces) belong to nginx here or are not needed, and its defaults would
need switching off one by one.
"""

from __future__ import annotations

from flask import Flask, Response, g, request

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'none'",
        "style-src 'self'",
        "script-src 'self'",  # static files only: no inline script, no eval
        "connect-src 'self'",  # the scripts fetch pages and poll JSON from this site
        "img-src 'self' data:",  # data: for the empty icon in base.html
        "form-action 'self'",
        "base-uri 'none'",
        "frame-ancestors 'none'",  # no other site may frame a page (clickjacking)
    )
)
ALWAYS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",  # frame-ancestors for browsers that predate it
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",  # other sites never learn which page linked to them
    "Cross-Origin-Opener-Policy": "same-origin",
}
# A page showing a signed-in person's data must not stay in the browser's cache,
# where the next person at a shared school computer would find it after sign-out.
PRIVATE = "no-store"
STRICT_TRANSPORT = "max-age=31536000"


def init_app(app: Flask) -> None:
    secure = bool(app.config.get("SESSION_COOKIE_SECURE"))

    @app.after_request
    def _security_headers(response: Response) -> Response:
        headers = response.headers
        for name, value in ALWAYS.items():
            headers.setdefault(name, value)
        if secure:  # served over HTTPS (QUIZAPP_SECURE_COOKIES=1): browsers keep to it
            headers.setdefault("Strict-Transport-Security", STRICT_TRANSPORT)
        # A view that decides its own caching keeps it: a live page's poll is "private, no-cache",
        # so that the browser asks again each time and gets an empty 304 when nothing changed.
        if g.get("user") is not None and request.endpoint != "static" and "Cache-Control" not in headers:
            headers["Cache-Control"] = PRIVATE
        return response
