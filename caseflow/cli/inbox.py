"""`caseflow inbox …`: your messages (the token says whose), and marking them read."""

from __future__ import annotations

from uuid import UUID

import typer

from caseflow.cli.session import TOKEN, Session, fail, run_as
from caseflow.config import Settings
from caseflow.delivery import records

app = typer.Typer(help="Your messages: alerts, escalations, reminders.", no_args_is_help=True)


@app.command("list")
def list_(token: str = TOKEN, unread: bool = typer.Option(False, help="only unread ones"),
          limit: int = typer.Option(50, min=1, max=200)) -> None:
    """Your messages, newest first, with the unread count."""

    async def work(session: Session) -> tuple[list[records.InboxMessage], int]:
        pool = session.services.pool
        return (await records.inbox_of(pool, session.user.name, unread_only=unread,
                                       limit=limit),
                await records.unread_count(pool, session.user.name))

    messages, count = run_as(token, work)
    typer.echo(f"{count} unread")
    zone = Settings().zone
    for m in messages:
        mark = " " if m.read_at else "*"
        typer.echo(f"{mark} {m.created_at.astimezone(zone):%Y-%m-%d %H:%M} "
                   f"{m.notification_id} {m.subject}")


@app.command()
def show(notification_id: UUID, token: str = TOKEN) -> None:
    """One of your messages in full (and mark it read)."""

    async def work(session: Session) -> records.InboxMessage | None:
        pool = session.services.pool
        found = await records.inbox_message(pool, session.user.name, notification_id)
        if found is not None:
            await records.mark_read(pool, session.user.name, notification_id)
        return found

    message = run_as(token, work)
    if message is None:
        raise fail(f"no message {notification_id} in your inbox")
    typer.echo(f"{message.subject}\n\n{message.body}")


@app.command()
def read(notification_id: UUID, token: str = TOKEN) -> None:
    """Mark one of your messages read."""
    if not run_as(token, lambda s: records.mark_read(s.services.pool, s.user.name,
                                                     notification_id)):
        raise fail(f"no message {notification_id} in your inbox")
    typer.echo("marked read")
