"""`caseflow org …`: the bank's units and staff, loaded from a file or listed. Run where the
database is (like `caseflow user`)."""

from __future__ import annotations

import getpass
from pathlib import Path

import typer

from caseflow.cli.session import fail
from caseflow.cli.store import with_store
from caseflow.identity.organisation import OrganisationError, list_units, load_organisation

app = typer.Typer(help="The bank's organisation: units and their staff.", no_args_is_help=True)


@app.command()
def load(path: Path = typer.Argument(..., exists=True, dir_okay=False, readable=True)) -> None:
    """Create or update the units and staff of a file (see caseflow/policy/organisation.json);
    nothing is removed. Staff get no token here: `caseflow user token NAME` issues one."""
    try:
        units, staff = with_store(lambda store, _: load_organisation(
            store.pool, path, loaded_by=f"cli:{getpass.getuser()}"))
    except OrganisationError as exc:
        raise fail(str(exc)) from exc
    typer.echo(f"{units} units and {staff} staff loaded from {path}")


@app.command()
def units() -> None:
    """Every unit, with its kind and parent."""
    found = with_store(lambda store, _: list_units(store.pool))
    typer.echo(f"{'unit':<24} {'kind':<30} {'parent':<20} name")
    for unit in found:
        typer.echo(f"{unit.unit_id:<24} {unit.kind.value:<30} {unit.parent or '-':<20} "
                   f"{unit.name_zh}")
