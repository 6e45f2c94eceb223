"""`flask --app quizapp questions check|sync|stats|regrade`: the question bank from a terminal."""

from __future__ import annotations

import getpass
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext

from quizapp import schema
from quizapp.bank.files import Bank, bank_stats, format_stats, load_bank
from quizapp.bank.limits import configured
from quizapp.bank.regrade import COMMAND, PlanChanged, apply_regrade, plan_regrade, quiz_slugs
from quizapp.bank.sync import SyncReport, load_for_sync, sync_bank
from quizapp.db import db

MAX_NAME = 64

questions = AppGroup("questions", help="Check, load and describe the question files.")


def _questions_dir() -> Path:
    return Path(current_app.config["QUESTIONS_DIR"])


def _questions_folder() -> Path:
    folder = _questions_dir()
    if not folder.is_dir():
        raise click.ClickException(f"The questions folder {folder} does not exist (QUIZAPP_QUESTIONS_DIR).")
    return folder


def _load() -> Bank:
    """Every file, validated: for check and stats, which must see all of them."""
    return load_bank(_questions_folder(), limits=configured())


def print_problems(loaded: Bank) -> None:
    for problem in loaded.problems:
        click.echo(str(problem), err=True)
    bad = sum(1 for f in loaded.files if not f.ok)
    click.echo(f"{len(loaded.problems)} problem(s) in {bad} of {len(loaded.files)} file(s).", err=True)


@questions.command("check")
def check_command() -> None:
    """Validate every question file; exit 1 with the list of problems if any."""
    loaded = _load()
    if loaded.problems:
        print_problems(loaded)
        raise SystemExit(1)
    count = sum(len(q.questions) for q in loaded.quizzes)
    click.echo(f"All {len(loaded.files)} files are valid: {len(loaded.quizzes)} quizzes, {count} questions.")


def run_sync() -> tuple[Bank, SyncReport]:
    """Sync the files that changed since they last synced; `check` still validates every file."""
    loaded = load_for_sync(db.session, _questions_folder(), configured())
    return loaded, sync_bank(db.session, loaded)


@questions.command("sync")
def sync_command() -> None:
    """Load the question files into the database (safe to run again)."""
    schema.require_current()
    loaded, report = run_sync()
    if loaded.problems:
        print_problems(loaded)
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


def _login_name() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError, ImportError):  # no USER variable and no passwd entry (some containers)
        return "unknown"


@questions.command("regrade")
@click.option("--quiz", "quiz_slug", metavar="ID", help="Only this quiz (its id), not every quiz.")
@click.option("--dry-run", is_flag=True, help="Show what would change and write nothing.")
@click.option("--by", "by", metavar="NAME", help="Who runs the regrade, kept in its record (default: your login name).")
@with_appcontext
def regrade_command(quiz_slug: str | None, dry_run: bool, by: str | None) -> None:
    """Rescore answers given to older versions of a question against its current key."""
    name = (by if by is not None else _login_name()).strip()
    if not 1 <= len(name) <= MAX_NAME:
        raise click.ClickException(f"--by takes a name of 1 to {MAX_NAME} characters.")
    schema.require_current()
    if quiz_slug is not None and quiz_slug not in quiz_slugs():
        known = ", ".join(quiz_slugs()) or "none yet; run `questions sync`"
        raise click.ClickException(f"There is no quiz with id '{quiz_slug}'. Quiz ids: {known}.")
    if dry_run:
        click.echo("Dry run: nothing is written.")
        for line in plan_regrade(quiz_slug).lines():
            click.echo(line)
        return
    try:
        plan, record = apply_regrade(quiz_slug, by=name, via=COMMAND)
    except PlanChanged:
        raise click.ClickException(
            "The answers changed while regrading (another regrade ran at the same moment); "
            "nothing was written. Run the command again."
        ) from None
    for line in plan.lines():
        click.echo(line)
    if record is not None:
        click.echo(f"Regrade #{record.id} recorded, by {record.by}.")
