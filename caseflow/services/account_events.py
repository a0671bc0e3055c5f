"""The bank's core-banking account events, imported in batches (JSON Lines or CSV): each row
is checked, then sent to its client's workflow as a command, applied once by its event id (the
client keeps the ids it applied), so a batch sent again changes nothing. Rows that cannot be
applied (malformed, an unknown client, below the policy's threshold) are reported by line; the
others are applied, each whole or not at all. Each client's events go in their order of the
file; clients are served side by side. The event id, not a request id, makes a row idempotent:
a row sent again (in the same batch, a later one, or after a timeout) is refused by the
client's workflow as `already_applied`."""

from __future__ import annotations

import asyncio
import csv
import io
import json
from collections import defaultdict
from collections.abc import Awaitable, Callable, Iterable
from datetime import datetime
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from caseflow.services.calls import CaseError, StillRecordingError
from caseflow.services.clients import ClientService
from domain.access import CORE_BANKING
from domain.client.commands import AccountEventFacts, Identify, RecordAccountEvent
from domain.client.model import AccountEventKind, Assessment, ReferralStatus
from domain.messages import Identifier

CONCURRENT_CLIENTS = 32
"""Clients whose events are sent at the same time (each client's in order)."""


class AccountEventRow(AccountEventFacts):
    """One row of the core banking's file: an account event and whose it is."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    client_id: Identifier
    outlet: Identifier | None = None
    """The client's outlet: with it, a large transaction of a client not followed yet refers
    the client to the outlet (identified, awaiting follow-up)."""


class RowProblem(BaseModel):
    line: int
    event_id: str | None
    rule: str
    detail: str


class ImportReport(BaseModel):
    lines: int = 0
    applied: int = 0
    already_applied: int = 0
    """Rows whose event id was applied before (the same file sent again)."""
    referred: int = 0
    """Clients not followed yet whose large transaction referred them to their outlet."""
    problems: list[RowProblem] = []


Progress = Callable[[ImportReport], None]


def parse_lines(text: str, file_format: Literal["jsonl", "csv"]) -> list[tuple[int, object]]:
    """(line number, raw row) of a file; a line that is not JSON stays a string (malformed)."""
    if file_format == "csv":
        reader = csv.DictReader(io.StringIO(text))
        return [(n, {k: v for k, v in row.items() if v not in ("", None)})
                for n, row in enumerate(reader, start=2)]
    rows: list[tuple[int, object]] = []
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            rows.append((n, json.loads(line)))
        except json.JSONDecodeError:
            rows.append((n, line))
    return rows


class AccountEventImport:
    def __init__(self, clients: ClientService, now: Callable[[], Awaitable[datetime]]) -> None:
        self._clients = clients
        self._now = now

    async def apply(self, rows: Iterable[tuple[int, object]],
                    progress: Progress | None = None) -> ImportReport:
        report = ImportReport()
        by_client: dict[str, list[tuple[int, AccountEventRow]]] = defaultdict(list)
        for line, raw in rows:
            report.lines += 1
            try:
                row = AccountEventRow.model_validate(raw)
            except ValidationError as invalid:
                first = invalid.errors()[0]
                where = ".".join(str(p) for p in first["loc"]) or "row"
                event_id = raw.get("event_id") if isinstance(raw, dict) else None
                report.problems.append(RowProblem(
                    line=line, event_id=str(event_id) if event_id else None,
                    rule="malformed", detail=f"{where}: {first['msg']}"))
                continue
            by_client[row.client_id].append((line, row))
        gate = asyncio.Semaphore(CONCURRENT_CLIENTS)

        async def client_rows(events: list[tuple[int, AccountEventRow]]) -> None:
            async with gate:
                for line, row in events:
                    await self._one(line, row, report)
                    if progress is not None and (report.applied + report.already_applied
                                                 + len(report.problems)) % 1000 == 0:
                        progress(report)

        await asyncio.gather(*(client_rows(events) for events in by_client.values()))
        report.problems.sort(key=lambda p: p.line)
        return report

    async def _one(self, line: int, row: AccountEventRow, report: ImportReport) -> None:
        command = RecordAccountEvent(actor=CORE_BANKING.name, at=await self._now(),
                                     **row.model_dump(exclude={"client_id", "outlet"}))
        sent_before = False
        while True:
            try:
                await self._clients.execute(row.client_id, command, by=CORE_BANKING)
                report.applied += 1
            except StillRecordingError:
                sent_before = True  # sent again: the client's record of event ids decides
                continue
            except CaseError as refused:
                if refused.rule == "already_applied":
                    if sent_before:  # our own first sending applied it
                        report.applied += 1
                    else:
                        report.already_applied += 1
                elif refused.rule == "not_found" and await self._refer(row, command):
                    report.referred += 1
                    continue  # now followed: the event is applied to the new relationship
                else:
                    rule = "unknown_client" if refused.rule == "not_found" else refused.rule
                    report.problems.append(RowProblem(line=line, event_id=row.event_id,
                                                      rule=rule, detail=str(refused)))
            return

    async def _refer(self, row: AccountEventRow, command: RecordAccountEvent) -> bool:
        """A large transaction of a client caseflow does not follow yet, with its outlet: the
        client is identified as a referral awaiting follow-up there (its tier from the
        amount as a deposit), and the event then applies to it."""
        large = command.event == AccountEventKind.LARGE_TRANSACTION
        if not large or row.outlet is None or command.amount is None \
                or command.amount < self._clients.policy.large_transaction_yuan:
            return False
        deposits = (command.amount / 10_000).quantize(Decimal("0.01"))
        await self._clients.identify(Identify(
            actor=CORE_BANKING.name, at=command.at, client_id=row.client_id, outlet=row.outlet,
            referred_by=CORE_BANKING.name, referral_status=ReferralStatus.AWAITING_FOLLOW_UP,
            assessment=Assessment(deposits_10k=deposits, loans_10k=Decimal(0),
                                  intermediary_products=0, family=0, occupation=0,
                                  social_standing=0)), by=CORE_BANKING)
        return True
