"""Form pieces every room shares. Every POST carries a CSRF token, checked app-wide by CSRFProtect (Flask-WTF)."""

from __future__ import annotations

from flask_wtf import FlaskForm


class ActionForm(FlaskForm):
    """A button that changes something: only its CSRF token is checked."""
