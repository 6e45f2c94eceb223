"""How the review pages show values: template filters, choice labels, links, ids in URLs.

Filters are plain functions rather than Jinja macros: a table of a thousand
students calls them thousands of times, and a filter costs a fraction of a macro call.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from flask import Flask, url_for
from markupsafe import Markup
from sqlalchemy import select
from werkzeug.routing import BaseConverter, IntegerConverter, Map

from quizapp.db import db
from quizapp.integers import MAX_ID
from quizapp.models import TaxonomyChoice

_PLACEHOLDER = 987654321


def pct(value: float | None) -> str:
    """0.667 -> '67%'; None -> '-'."""
    return "-" if value is None else f"{round(value * 100)}%"


def signed(value: float | None) -> str:
    """Discrimination: +0.40, \u22120.20 (a real minus sign); None -> '-'."""
    if value is None:
        return "-"
    value = round(value, 2) + 0.0  # -0.001 reads +0.00, not −0.00
    return f"{value:+.2f}".replace("-", "\u2212")


OPENING_WORDS = 8


def opening(passage: str) -> str:
    """The first words of a passage, so that a teacher knows a question by more than its id."""
    words = passage.split()
    return " ".join(words[:OPENING_WORDS]) + ("…" if len(words) > OPENING_WORDS else "")


def verdict(score: float) -> Markup:
    """Whether an answer matches the key, in words and a symbol, never by colour alone (as the
    verdict macro). It compares with the key, not the world: "Right" beside a factual claim reads as "true"."""
    if score >= 1:
        return Markup('<span class="verdict right">&#10003; Matches the key</span>')
    if score > 0:
        return Markup('<span class="verdict half">&#189; Half credit</span>')
    return Markup('<span class="verdict wrong">&#10007; Does not match the key</span>')


def when(value: datetime | None, day_only: bool = False) -> Markup:
    """A stored time (UTC, without a zone) as a <time> element that says UTC.

    static/local-times.js rewrites its text in the browser's own time zone; without
    JavaScript the UTC time stands, labelled as such. '' for None.
    """
    if value is None:
        return Markup("")
    shown = f"{value:%Y-%m-%d} (UTC)" if day_only else f"{value:%Y-%m-%d %H:%M} UTC"
    kind = "day" if day_only else "time"
    return Markup('<time datetime="{}Z" data-local="{}">{}</time>').format(
        value.isoformat(timespec="seconds"), kind, shown
    )


def id_link(endpoint: str, field: str, **values: Any) -> Callable[[int], str]:
    """A function id -> URL for `endpoint`, built with url_for once per table instead of once per row."""
    head, tail = url_for(endpoint, **{**values, field: _PLACEHOLDER}).split(str(_PLACEHOLDER), 1)
    return lambda value: f"{head}{int(value)}{tail}"


def choice_labels(kind: str) -> dict[str, str]:
    """Labels of every claim type or evidence kind ever loaded, retired ones too."""
    rows = db.session.execute(select(TaxonomyChoice.slug, TaxonomyChoice.label).filter_by(kind=kind))
    return dict(rows.all())


def labels() -> dict[str, dict[str, str]]:
    """Labels of claim types and evidence kinds, for templates that show stored choices."""
    return {"claim_labels": choice_labels("claim_type"), "evidence_labels": choice_labels("evidence_kind")}


class IdConverter(IntegerConverter):
    """<id:name> in a route: a row id. More digits than a database integer holds is
    "not found" (404), rather than an overflow deep in the database driver (500).
    ASCII digits only: Werkzeug's own pattern, \\d, also matches other scripts' digits."""

    regex = r"[0-9]+"

    def __init__(self, url_map: Map) -> None:
        super().__init__(url_map, min=0, max=MAX_ID)


class SlugConverter(BaseConverter):
    """<slug:name> in a route: a quiz id as question files spell it. Anything else,
    a NUL byte or a control character included, is "not found" before any query."""

    regex = r"[a-z0-9][a-z0-9-]{0,63}"


def init_app(app: Flask) -> None:
    app.url_map.converters["id"] = IdConverter
    app.url_map.converters["slug"] = SlugConverter
    app.add_template_filter(pct, "pct")
    app.add_template_filter(signed, "signed")
    app.add_template_filter(opening, "opening")
    app.add_template_filter(verdict, "verdict")
    app.add_template_filter(when, "when")
    app.add_template_global(id_link, "id_link")
