"""Form pieces every room shares. Every POST carries a CSRF token, checked app-wide by CSRFProtect (Flask-WTF).

Every form is built on `Form` (a POST form) or `QueryForm` (a GET filter), which
refuse control characters (F5) in whatever was typed before any other check runs:
PostgreSQL cannot store a NUL byte in text at all (the driver raises), SQLite
stores it and every page and CSV shows it back, and nobody types one on purpose.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

import wtforms
from flask_wtf import FlaskForm
from flask_wtf.csrf import CSRFProtect
from wtforms import Field, TextAreaField

# Checks the CSRF token of every POST, whatever the view; bound to the app in create_app().
csrf = CSRFProtect()

# C0 and C1 control characters and DEL. A text box may hold tab and line breaks.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_CONTROL_IN_TEXT_BOX = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Direction overrides and isolates make a name read differently from what it is
# ("Period 1" shown for another text); a one-line field has no use for them.
_DIRECTION_CONTROL = re.compile(r"[\u202a-\u202e\u2066-\u2069]")


def control_character_problem(text: str, *, multiline: bool) -> str | None:
    """A message saying which control character `text` holds, or None when it holds none."""
    found = (_CONTROL_IN_TEXT_BOX if multiline else _CONTROL).search(text)
    if found is None and not multiline:
        found = _DIRECTION_CONTROL.search(text)
    if found is None:
        return None
    character = found.group()
    name = {"\x00": "a NUL byte", "\t": "a tab", "\n": "a line break", "\r": "a line break"}.get(character)
    shown = name or f"the control character U+{ord(character):04X}"
    return f"This field contains {shown}, which cannot be stored. Delete it (retype the text) and send again."


class _RefusesControlCharacters:
    """A form whose fields are first checked for control characters.

    The check runs before the fields' own validators and before any
    `validate_<field>` method, which may query the database with the value.
    """

    def validate(self, extra_validators: Mapping[str, Sequence[Any]] | None = None) -> bool:
        refused = False
        for field in self:  # type: ignore[attr-defined]  # the form's fields, from wtforms.Form
            problem = _field_problem(field)
            if problem is not None:
                field.errors = [problem]
                refused = True
        if refused:
            return False
        return super().validate(extra_validators)  # type: ignore[misc,no-any-return]  # wtforms.Form.validate


def _field_problem(field: Field) -> str | None:
    multiline = isinstance(field, TextAreaField)
    for value in field.raw_data or ():
        if isinstance(value, str) and (problem := control_character_problem(value, multiline=multiline)):
            return problem
    return None


class Form(_RefusesControlCharacters, FlaskForm):
    """The base of every form that is posted (with its CSRF token)."""


class QueryForm(_RefusesControlCharacters, wtforms.Form):
    """The base of GET forms (filters): they change nothing, so they carry no CSRF token."""


class ActionForm(Form):
    """A button that changes something: only its CSRF token is checked."""


def text_of(field: Field) -> str:
    """A text field's value, '' when it was left empty."""
    return str(field.data or "")


def add_error(field: Field, message: str) -> None:
    """Report a problem found after validation (a taken username, a wrong password) under its field."""
    field.errors = [*field.errors, message]
