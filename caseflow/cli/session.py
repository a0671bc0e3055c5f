"""A CLI command run as a user: the token (`--token` or CASEFLOW_TOKEN) names who acts, as a
bearer token does for the API; the workflows check that user's role and outlet."""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

import typer
from pydantic import ValidationError
from temporalio.service import RPCError

from caseflow.bootstrap import Parts, bootstrap, database
from caseflow.config import Settings
from caseflow.identity.users import authenticate
from caseflow.runtime.embedded import connect_temporal
from caseflow.services.calls import CaseError, StillRecordingError
from caseflow.store import EventStoreError
from domain.access import AccessDeniedError, Principal
from domain.errors import DomainError

T = TypeVar("T")

TOKEN = typer.Option(..., "--token", envvar="CASEFLOW_TOKEN", show_envvar=True,
                     help="Your token, from `caseflow user add` (who acts is recorded).")


@dataclass(frozen=True)
class Session:
    settings: Settings
    services: Parts
    user: Principal
    request_id: str
    """This command's request id (CASEFLOW_REQUEST_ID, else a new one): run again with the same
    id, a step that was already recorded answers its outcome and is not recorded twice."""


def run_as(token: str, work: Callable[[Session], Awaitable[T]]) -> T:
    settings = Settings()
    request_id = os.environ.get("CASEFLOW_REQUEST_ID") or str(uuid.uuid4())

    async def go() -> T:
        async with database(settings, max_size=2) as pool:
            user = await authenticate(pool, token)
            if user is None:
                raise fail("unknown or revoked token (see `caseflow user token NAME`)")
            try:
                temporal = await connect_temporal(settings)
            except RuntimeError as exc:
                raise fail(f"cannot reach Temporal at {settings.temporal_target} ({exc}); is "
                           "`./dev.sh up` running?") from exc
            return await work(Session(settings, bootstrap(settings, temporal, pool), user,
                                      request_id))

    try:
        return asyncio.run(go())
    except (CaseError, DomainError, AccessDeniedError) as exc:
        raise fail(f"refused ({getattr(exc, 'rule', 'rule')}): {exc}") from exc
    except ValidationError as exc:
        raise fail(f"invalid input: {invalid(exc)}") from exc
    except EventStoreError as exc:
        raise fail(str(exc)) from exc
    except (StillRecordingError, RPCError) as exc:
        raise fail(f"{exc}; to learn whether it was recorded, run the same command again with "
                   f"CASEFLOW_REQUEST_ID={request_id}") from exc


def invalid(error: ValidationError) -> str:
    """A validation error's problems, each with where it is."""
    return "; ".join(f"{'.'.join(map(str, e['loc'])) or 'input'}: {e['msg']}"
                     for e in error.errors())


def fail(message: str) -> typer.Exit:
    typer.secho(f"error: {message}", fg=typer.colors.RED, err=True)
    return typer.Exit(code=1)
