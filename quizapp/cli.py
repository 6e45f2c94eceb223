"""The command line: every room's commands, and `setup`, which spans them."""

from __future__ import annotations

import secrets

import click
from flask import Flask
from flask.cli import with_appcontext
from sqlalchemy import distinct, func, select

from quizapp import schema
from quizapp.accounts.commands import create_class_command, create_instructor, make_instructor, reset_password_command
from quizapp.backup import backup_command
from quizapp.bank.commands import print_problems, questions, run_sync
from quizapp.db import db
from quizapp.models import STAFF_ROLES, Question, Quiz, User


def init_app(app: Flask) -> None:
    for command in (questions, create_instructor, reset_password_command, create_class_command, setup, backup_command):
        app.cli.add_command(command)


@click.command("setup")
@with_appcontext
def setup() -> None:
    """Create or upgrade the database, load the bundled questions and make a first admin."""
    click.echo(schema.upgrade())
    loaded, report = run_sync()
    if loaded.problems:
        print_problems(loaded)
    questions, quizzes = db.session.execute(
        select(func.count(Question.id), func.count(distinct(Question.quiz_id)))
        .join(Quiz, Quiz.id == Question.quiz_id)
        .filter(Question.retired_at.is_(None), Quiz.retired_at.is_(None))
    ).one()
    click.echo(
        f"Question bank: {quizzes} quiz{'' if quizzes == 1 else 'zes'} with "
        f"{questions} question{'' if questions == 1 else 's'} students can take."
    )
    click.echo(f"This sync: {report.by_kind()}.")
    has_staff = db.session.scalar(db.select(User).filter(User.role.in_(STAFF_ROLES)).limit(1))
    if has_staff is None:
        # The first account is an admin: an instructor who sees every student and manages the others.
        password = secrets.token_urlsafe(12)
        make_instructor("instructor", password, admin=True)
        click.echo(f"Sign in as an instructor (an admin) with username 'instructor' and password '{password}'.")
    else:
        click.echo(
            "Instructor accounts exist. To give one a new password run: flask --app quizapp reset-password USERNAME"
        )
    click.echo("Students register themselves on the sign-in page.")
