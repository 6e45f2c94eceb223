"""A class of three students (ada, bob, cara) taught by the instructor "teacher", and a way to start a session."""

from __future__ import annotations

import pytest
from flask import Flask

from ..support import Actor
from .support import make_class


@pytest.fixture
def bob(app: Flask) -> Actor:
    actor = Actor(app.test_client())
    actor.register("bob")
    return actor


@pytest.fixture
def cara(app: Flask) -> Actor:
    actor = Actor(app.test_client())
    actor.register("cara")
    return actor


@pytest.fixture
def classroom(app: Flask, instructor: Actor, student: Actor, bob: Actor) -> int:
    """Year 9: ada and bob are in it (cara is not)."""
    return make_class(app, members=("ada", "bob"))
