"""The app's routes as a list to walk, and paths built from them with real ids."""

from __future__ import annotations

from flask import Flask
from werkzeug.routing import AnyConverter, IntegerConverter, Rule

from quizapp.accounts.access import ACCESS_RULE_ATTR
from quizapp.accounts.access import RULES as DECLARED

RULES = set(DECLARED)
assert {"public", "login", "instructor", "admin"} == RULES
# Flask's own static-file route: public by nature, and not ours to decorate.
FRAMEWORK_ENDPOINTS = {"static"}


def app_routes(app: Flask) -> list[Rule]:
    return sorted((r for r in app.url_map.iter_rules() if r.endpoint not in FRAMEWORK_ENDPOINTS), key=lambda r: r.rule)


def rule_of(app: Flask, endpoint: str) -> str | None:
    """The access rule the view's decorator marked it with, if any."""
    return getattr(app.view_functions[endpoint], ACCESS_RULE_ATTR, None)


def build_path(rule: Rule, values: dict[str, object]) -> str:
    """The rule's path with the given ids; arguments not given get a plain value by type
    (for a choice of words, the first in alphabetical order)."""
    args = {}
    for name in rule.arguments:
        converter = rule._converters.get(name)
        if name in values:
            args[name] = values[name]
        elif isinstance(converter, AnyConverter):
            args[name] = sorted(converter.items)[0]
        else:
            args[name] = 1 if isinstance(converter, IntegerConverter) else "x"
    built = rule.build(args)
    assert built is not None, rule.rule
    return built[1]
