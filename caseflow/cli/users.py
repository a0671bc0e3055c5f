"""`caseflow user …`: create users and issue or revoke their tokens. Run where the database is
(like `createuser`): access to the database is already an administrator's."""

from __future__ import annotations

import getpass

import typer
from pydantic import ValidationError

from caseflow.cli.session import fail
from caseflow.cli.store import with_store
from caseflow.identity.passwords import MIN_LENGTH, set_password
from caseflow.identity.users import (
    NewUser,
    UserError,
    add_user,
    issue_token,
    list_users,
    revoke_tokens,
)
from domain.access import Principal, Role

app = typer.Typer(help="Users and their tokens.", no_args_is_help=True)


@app.command()
def add(
    name: str,
    role: Role = typer.Option(..., help="case_officer, supervisor, outlet_head, auditor, admin"),
    outlet: str | None = typer.Option(None, help="the unit (outlet, sub-branch, department...) "
                                      "a staff role works for"),
    email: str | None = typer.Option(None, help="where their e-mail goes"),
    mobile: str | None = typer.Option(None, help="their mobile, for SMS alerts"),
    language: str = typer.Option("zh", help="zh or en: the language of their messages"),
) -> None:
    """Create a user; prints their token (shown once, only its hash is kept)."""
    try:
        given = NewUser(name=name, role=role, outlet=outlet, email=email, mobile=mobile,
                        language=language)
    except ValidationError as exc:
        raise fail("; ".join(e["msg"] for e in exc.errors())) from exc
    user = Principal(name=given.name, role=given.role, outlet=given.outlet)
    try:
        token = with_store(lambda store, _: add_user(
            store.pool, user, created_by=f"cli:{getpass.getuser()}", email=given.email,
            mobile=given.mobile, language=given.language))
    except UserError as exc:
        raise fail(str(exc)) from exc
    typer.echo(token)


@app.command()
def token(name: str) -> None:
    """Issue another token for a user (shown once)."""
    try:
        typer.echo(with_store(lambda store, _: issue_token(store.pool, name)))
    except UserError as exc:
        raise fail(str(exc)) from exc


@app.command()
def password(
    name: str,
    from_stdin: bool = typer.Option(False, "--stdin", help="read it from standard input "
                                    "(one line) instead of asking twice"),
) -> None:
    """Set a user's password for the web app (an admin gives the first one; the user changes
    it on the password page). Asked without echo; never an argument (it would show in `ps`)."""
    if from_stdin:
        chosen = typer.get_text_stream("stdin").readline().rstrip("\n")
    else:
        chosen = typer.prompt("password", hide_input=True, confirmation_prompt=True)
    try:
        with_store(lambda store, _: set_password(store.pool, name, chosen,
                                                 set_by=f"cli:{getpass.getuser()}"))
    except UserError as exc:
        raise fail(WHY_NOT.get(str(exc), str(exc))) from exc
    typer.echo(f"password set for {name}")


WHY_NOT = {"password.too_short": f"a password has at least {MIN_LENGTH} characters",
           "password.letters_and_digits": "a password has both letters and digits",
           "password.contains_name": "a password may not contain the user name"}


@app.command()
def revoke(name: str) -> None:
    """Revoke every live token of a user."""
    count = with_store(lambda store, _: revoke_tokens(store.pool, name))
    typer.echo(f"{count} token(s) revoked")


@app.command("list")
def list_() -> None:
    """Users, their roles and outlets."""
    users = with_store(lambda store, _: list_users(store.pool))
    typer.echo(f"{'name':<24} {'role':<14} outlet")
    for u in users:
        typer.echo(f"{u.name:<24} {u.role.value:<14} {u.outlet or '-'}")
