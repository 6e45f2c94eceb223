"""`create-instructor` and `create-class`: accounts and classes from a terminal."""

from __future__ import annotations

import secrets

import click
from flask.cli import with_appcontext

from quizapp import schema
from quizapp.accounts import classrooms
from quizapp.accounts.forms import USERNAME_RULE
from quizapp.accounts.users import find_user, hash_password
from quizapp.db import db
from quizapp.models import INSTRUCTOR, User


def make_instructor(username: str, password: str) -> str:
    user = find_user(username)
    if user is None:
        db.session.add(User(username=username, password_hash=hash_password(password), role=INSTRUCTOR))
        action = "Created instructor"
    else:
        user.password_hash = hash_password(password)
        user.role = INSTRUCTOR
        action = "Updated instructor"
    db.session.commit()
    return action


@click.command("create-instructor")
@with_appcontext
@click.argument("username")
@click.option("--generate", is_flag=True, help="Generate a password and print it instead of asking.")
def create_instructor(username: str, generate: bool) -> None:
    """Create an instructor account (or reset its password)."""
    if not 3 <= len(username) <= 32:
        raise click.ClickException("A username has 3 to 32 characters.")
    if not USERNAME_RULE.regex.match(username):
        raise click.ClickException("A username uses letters, digits, dots, dashes or underscores only.")
    schema.require_current()
    if generate:
        password = secrets.token_urlsafe(12)
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
        if len(password) < 8:
            raise click.ClickException("Use at least 8 characters.")
    action = make_instructor(username, password)
    click.echo(f"{action} '{username}'.")
    if generate:
        click.echo(f"Password: {password}")


@click.command("create-class")
@with_appcontext
@click.argument("name")
def create_class_command(name: str) -> None:
    """Make a class and print the code students join it with."""
    schema.require_current()
    try:
        classroom = classrooms.create_classroom(name)
    except classrooms.ClassroomError as problem:
        raise click.ClickException(str(problem)) from None
    click.echo(f"Created class '{classroom.name}'. Join code: {classrooms.format_code(classroom.join_code)}")
