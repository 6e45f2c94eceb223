"""Command-line tools: `questions check|sync|stats|regrade`, `create-instructor`, `setup`, `backup`."""

from __future__ import annotations

import secrets
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext

from quizapp import schema
from quizapp.accounts.views import find_user, hash_password
from quizapp.backup import backup_command
from quizapp.bank.files import load_bank
from quizapp.bank.files.stats import bank_stats, format_stats
from quizapp.bank.files.types import Bank
from quizapp.db import db
from quizapp.accounts.forms import USERNAME_RULE
from quizapp.models import INSTRUCTOR, User
from quizapp.bank.commands import regrade_command
from quizapp.bank.sync import SyncReport, load_for_sync, sync_bank

questions = AppGroup("questions", help="Check, load and describe the question files.")
questions.add_command(regrade_command)


def init_app(app: Flask) -> None:
    app.cli.add_command(questions)
    app.cli.add_command(create_instructor)
    app.cli.add_command(setup)
    app.cli.add_command(backup_command)


def _questions_dir() -> Path:
    return Path(current_app.config["QUESTIONS_DIR"])


def _questions_folder() -> Path:
    folder = _questions_dir()
    if not folder.is_dir():
        raise click.ClickException(f"The questions folder {folder} does not exist (QUIZAPP_QUESTIONS_DIR).")
    return folder


def _load() -> Bank:
    """Every file, validated: for check and stats, which must see all of them."""
    return load_bank(_questions_folder())


def _print_problems(loaded: Bank) -> None:
    for problem in loaded.problems:
        click.echo(str(problem), err=True)
    bad = sum(1 for f in loaded.files if not f.ok)
    click.echo(f"{len(loaded.problems)} problem(s) in {bad} of {len(loaded.files)} file(s).", err=True)


@questions.command("check")
def check_command() -> None:
    """Validate every question file; exit 1 with the list of problems if any."""
    loaded = _load()
    if loaded.problems:
        _print_problems(loaded)
        raise SystemExit(1)
    count = sum(len(q.questions) for q in loaded.quizzes)
    click.echo(f"All {len(loaded.files)} files are valid: {len(loaded.quizzes)} quizzes, {count} questions.")


def run_sync() -> tuple[Bank, SyncReport]:
    """Sync the files that changed since they last synced; `check` still validates every file."""
    loaded = load_for_sync(db.session, _questions_folder())
    return loaded, sync_bank(db.session, loaded)


@questions.command("sync")
def sync_command() -> None:
    """Load the question files into the database (safe to run again)."""
    schema.require_current()
    loaded, report = run_sync()
    if loaded.problems:
        _print_problems(loaded)
    if report.skipped_everything:
        raise click.ClickException("Nothing was loaded: fix taxonomy.yaml / sources.yaml first.")
    click.echo(f"Synced: {report.summary()}.")
    if loaded.problems:
        raise SystemExit(1)


@questions.command("stats")
def stats_command() -> None:
    """Describe the balance of the question bank."""
    loaded = _load()
    click.echo(format_stats(bank_stats(loaded)))
    if loaded.problems:
        click.echo(f"({len(loaded.problems)} problem(s): files with errors are not counted; run `questions check`.)")


def _make_instructor(username: str, password: str) -> str:
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
    action = _make_instructor(username, password)
    click.echo(f"{action} '{username}'.")
    if generate:
        click.echo(f"Password: {password}")


@click.command("setup")
@with_appcontext
def setup() -> None:
    """Create or upgrade the database, load the bundled questions and make a first instructor."""
    click.echo(schema.upgrade())
    loaded, report = run_sync()
    if loaded.problems:
        _print_problems(loaded)
    click.echo(f"Questions: {report.summary()}.")
    has_instructor = db.session.scalar(db.select(User).filter_by(role=INSTRUCTOR).limit(1))
    if has_instructor is None:
        password = secrets.token_urlsafe(12)
        _make_instructor("instructor", password)
        click.echo(f"Sign in as an instructor with username 'instructor' and password '{password}'.")
    else:
        click.echo(
            "Instructor accounts exist. To set a new password run: "
            "flask --app quizapp create-instructor USERNAME"
        )
    click.echo("Students register themselves on the sign-in page.")
