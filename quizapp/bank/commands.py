"""`questions regrade`: rescore answers to older versions against the current keys."""

from __future__ import annotations

import getpass

import click
from flask.cli import with_appcontext

from quizapp import schema
from quizapp.bank.regrade import COMMAND, PlanChanged, apply_regrade, plan_regrade, quiz_slugs

MAX_NAME = 64


def _login_name() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError, ImportError):  # no USER variable and no passwd entry (some containers)
        return "unknown"


@click.command("regrade")
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
