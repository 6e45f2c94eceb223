"""`create-instructor`, `reset-password` and `create-class`: accounts and classes from a terminal."""

from __future__ import annotations

import secrets

import click
from flask.cli import with_appcontext

from quizapp import schema
from quizapp.accounts import class_changes, classrooms, passwords, staff
from quizapp.accounts.users import find_user
from quizapp.models import ADMIN, INSTRUCTOR, User


def make_instructor(username: str, password: str, *, admin: bool = False) -> User:
    return staff.create_staff(username, password, role=ADMIN if admin else INSTRUCTOR)


def _ask_password(generate: bool) -> str:
    if generate:
        return secrets.token_urlsafe(12)
    password: str = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    if len(password) < passwords.PASSWORD_MIN:
        raise click.ClickException(passwords.TOO_SHORT)
    return password


@click.command("create-instructor")
@with_appcontext
@click.argument("username")
@click.option("--generate", is_flag=True, help="Generate a password and print it instead of asking.")
@click.option("--promote", is_flag=True, help="USERNAME exists already: make that account an instructor.")
@click.option("--admin", is_flag=True, help="Make an admin: sees every student and manages instructors.")
def create_instructor(username: str, generate: bool, promote: bool, admin: bool) -> None:
    """Create an instructor account, or with --promote make an existing account one.

    An existing username is refused without --promote, which changes only the
    role (the password stays; to set a new one run `reset-password`).
    """
    try:
        staff.check_username(username)
    except staff.StaffError as problem:
        raise click.ClickException(str(problem)) from None
    schema.require_current()
    role = ADMIN if admin else INSTRUCTOR
    existing = find_user(username)
    if existing is not None:
        if not promote:
            raise click.ClickException(
                f"An account '{existing.username}' exists already ({staff.ROLE_NAMES.get(existing.role, existing.role)})."
                " Nothing changed. To make it an instructor run the command again with --promote; to set a new"
                f" password run: flask --app quizapp reset-password {existing.username}"
            )
        if existing.role == ADMIN and role == INSTRUCTOR:
            click.echo(f"{existing.username} is already an admin (who is an instructor too); nothing changed.")
            return
        try:
            click.echo(staff.set_role(existing, role))
        except staff.StaffError as problem:
            raise click.ClickException(str(problem)) from None
        return
    if promote:
        raise click.ClickException(f"There is no account '{username}' to promote; leave out --promote to create it.")
    password = _ask_password(generate)
    make_instructor(username, password, admin=admin)
    click.echo(f"Created {staff.ROLE_NAMES[role]} '{username}'.")
    if generate:
        click.echo(f"Password: {password}")


@click.command("reset-password")
@with_appcontext
@click.argument("username")
def reset_password_command(username: str) -> None:
    """Give an account a one-time password (printed) and sign it out everywhere.

    At the next sign-in its owner must choose a new password.
    """
    schema.require_current()
    user = find_user(username)
    if user is None:
        raise click.ClickException(f"There is no account '{username}'.")
    password = passwords.reset_password(user)
    click.echo(
        f"The password of {staff.ROLE_NAMES.get(user.role, user.role)} '{user.username}' is reset and every "
        "session of the account has ended."
    )
    if not user.active:
        click.echo("The account is deactivated: an admin must reactivate it before it can sign in.")
    click.echo(f"One-time password: {password}")
    click.echo("It works once: at the next sign-in a new password must be chosen.")


@click.command("create-class")
@with_appcontext
@click.argument("name")
@click.option("--instructor", "instructor_name", metavar="USERNAME", help="The instructor who teaches the class.")
def create_class_command(name: str, instructor_name: str | None) -> None:
    """Make a class and print the code students join it with."""
    schema.require_current()
    try:
        teacher = class_changes.find_instructor(instructor_name) if instructor_name is not None else None
        classroom = classrooms.create_classroom(name, created_by_id=teacher.id if teacher else None)
    except classrooms.ClassroomError as problem:
        raise click.ClickException(str(problem)) from None
    taught = f", taught by {teacher.username}" if teacher else " (only admins see it until an instructor is added)"
    click.echo(f"Created class '{classroom.name}'{taught}. Join code: {classrooms.format_code(classroom.join_code)}")
