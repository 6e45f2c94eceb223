"""The JSON state that live pages poll every few seconds, with ETag and 304 Not Modified.

A page keeps the ETag of the last state it saw and sends it back in If-None-Match.
The tag is made from the session's code (random, so a rebuilt database cannot
repeat an old tag) and its stamp, so "nothing changed" is decided from the stamp
row alone and answered with an empty 304 before anything else is read or rendered.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from flask import Response, jsonify, request

# Each person's own state: kept by no shared cache, and asked for again every time.
CACHE_CONTROL = "private, no-cache"


def etag(code: str, counter: int, kind: str) -> str:
    return f"{code}.{kind}{counter}"


def respond(tag: str, build: Callable[[], Mapping[str, Any]]) -> Response:
    """304 when the client has `tag` already; otherwise the JSON `build` makes, tagged."""
    response = Response(status=304) if request.if_none_match.contains(tag) else jsonify(build())
    response.set_etag(tag)
    response.headers["Cache-Control"] = CACHE_CONTROL
    return response
