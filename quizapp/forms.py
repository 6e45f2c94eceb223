"""Form pieces every room shares. Every POST carries a CSRF token, checked app-wide by CSRFProtect (Flask-WTF)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import Field


class ActionForm(FlaskForm):
    """A button that changes something: only its CSRF token is checked."""


def text_of(field: Field) -> str:
    """A text field's value, '' when it was left empty."""
    return str(field.data or "")


def add_error(field: Field, message: str) -> None:
    """Report a problem found after validation (a taken username, a wrong password) under its field."""
    field.errors = [*field.errors, message]
