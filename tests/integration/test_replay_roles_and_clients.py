"""Replay goldens for what session 2 added to history: complaint steps sent by an authenticated
user (the update carries `by`), and a client relationship with its care events. Fresh histories
replay, and the committed ones (tests/histories/) must keep replaying against later code.
Record anew after a deliberate, versioned change:
CASEFLOW_RECORD_HISTORIES=1 ./dev.sh test -k replay
"""

from __future__ import annotations

import os
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

import asyncpg
from temporalio.client import WorkflowHistory
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Replayer

from caseflow.bootstrap import event_store
from caseflow.policy.client import client_policy
from caseflow.services.clients import ClientService
from domain.access import Principal, Role
from domain.client import commands as cc
from domain.client.model import Assessment
from domain.complaint import commands as c
from tests.complaint_fixtures import register
from tests.complaint_stack import SHANGHAI, complaint_stack
from tests.payload_keys import CONVERTER
from workflows.recording import DURABLE_APPEND
from workflows.registry import SANDBOX_RUNNER, WORKFLOWS

GOLDEN = Path(__file__).parents[1] / "histories"
NAMES = ("roles_complaint", "roles_client")
GENERATION = DURABLE_APPEND


def replayer() -> Replayer:
    return Replayer(workflows=WORKFLOWS, data_converter=CONVERTER,
                    workflow_runner=SANDBOX_RUNNER)


async def replays_and_is_kept(history: WorkflowHistory, name: str) -> None:
    """A fresh history replays; recorded once as golden `name@…` (never rewritten)."""
    result = await replayer().replay_workflow(history, raise_on_replay_failure=False)
    assert result.replay_failure is None, result.replay_failure
    golden = GOLDEN / f"{name}@{GENERATION}.json"
    if os.environ.get("CASEFLOW_RECORD_HISTORIES") == "1" and not golden.exists():
        golden.write_text(history.to_json(), encoding="utf-8")


async def committed_replays(name: str) -> None:
    path = GOLDEN / f"{name}@{GENERATION}.json"
    assert path.exists(), f"golden {path.name} missing: see this module's docstring"
    history = WorkflowHistory.from_json(path.stem, path.read_text(encoding="utf-8"))
    result = await replayer().replay_workflow(history, raise_on_replay_failure=False)
    assert result.replay_failure is None, f"{path.name}: {result.replay_failure}"


async def test_histories_with_roles_and_care_replay(
    temporal_env: WorkflowEnvironment, pool: asyncpg.Pool
) -> None:
    store = event_store(pool)
    outlet = f"o-{uuid.uuid4().hex[:6]}"
    officer = Principal(name="officer-1", role=Role.CASE_OFFICER, outlet=outlet)
    supervisor = Principal(name="supervisor-1", role=Role.SUPERVISOR, outlet=outlet)
    head = Principal(name="head-1", role=Role.OUTLET_HEAD, outlet=outlet)
    async with complaint_stack(temporal_env, pool) as stack:
        now = await stack.now()
        case_id = f"roles-{uuid.uuid4().hex[:8]}"
        await stack.register(register(actor=officer.name, at=now, received_at=now,
                                              case_id=case_id, outlet=outlet), by=officer)
        steps: list[tuple[Principal, Any]] = [
            (officer, c.AssignHandler(actor=officer.name, at=now, handler=officer.name)),
            (officer, c.RequestExtension(actor=officer.name, at=now, reason="records")),
            (supervisor, c.DecideExtension(actor=supervisor.name, at=now, approve=True)),
            (officer, c.RecordFindings(actor=officer.name, at=now, summary="s",
                                       bank_at_fault=False)),
            (head, c.ReplyToClient(actor=head.name, at=now, method="letter", content="x",
                                   confirmed_by_outlet_head=head.name)),
            (officer, c.RecordFeedback(actor=officer.name, at=now, satisfied=True,
                                       opinion="ok")),
        ]
        for by, command in steps:
            await stack.execute(case_id, command, by=by)

        clients = ClientService(temporal_env.client, stack.task_queue,
                                client_policy(today=now.date()))
        client_id = f"K-{uuid.uuid4().hex[:8]}"
        birthday = now.astimezone(SHANGHAI) + timedelta(days=10)
        await clients.identify(cc.Identify(
            actor=officer.name, at=now, client_id=client_id, outlet=outlet,
            birthday=f"{birthday:%m-%d}", referred_by="teller-3",
            assessment=Assessment(deposits_10k=600, loans_10k=0, intermediary_products=2,
                                  family=3, occupation=3, social_standing=3)), by=officer)
        client_steps: list[tuple[Principal, Any]] = [
            (officer, cc.RecordSale(actor=officer.name, at=now, product="fund")),
            (officer, cc.OpenAccount(actor=officer.name, at=now, account="A-1")),
            (head, cc.ReassignManager(actor=head.name, at=now, manager="rm-2", reason="leave"))]
        for by, step in client_steps:
            await clients.execute(client_id, step, by=by)
        await temporal_env.sleep(timedelta(days=12))  # the birthday reminder fires
        client_handle = temporal_env.client.get_workflow_handle(f"client-{client_id}")
        await client_handle.terminate(reason="scenario over")
        histories = {
            "roles_complaint": await temporal_env.client.get_workflow_handle(
                f"complaint-{case_id}").fetch_history(),
            "roles_client": await client_handle.fetch_history(),
        }
    types = [e.type for e in await store.read_stream(f"client-{client_id}")]
    assert "care_due" in types and "account_opened" in types
    for name, history in histories.items():
        result = await replayer().replay_workflow(history, raise_on_replay_failure=False)
        assert result.replay_failure is None, f"{name}: {result.replay_failure}"
    if os.environ.get("CASEFLOW_RECORD_HISTORIES") == "1":
        for name, history in histories.items():
            (GOLDEN / f"{name}@{GENERATION}.json").write_text(history.to_json(),
                                                              encoding="utf-8")


async def test_committed_histories_with_roles_and_care_replay() -> None:
    for name in NAMES:
        for path in (GOLDEN / f"{name}.json", GOLDEN / f"{name}@{GENERATION}.json"):
            assert path.exists(), f"golden {path.name} missing: see this module's docstring"
    for path in sorted(GOLDEN.glob("roles_*.json")):
        history = WorkflowHistory.from_json(path.stem, path.read_text(encoding="utf-8"))
        result = await replayer().replay_workflow(history, raise_on_replay_failure=False)
        assert result.replay_failure is None, f"{path.name}: {result.replay_failure}"


async def test_a_client_lifecycle_under_the_second_policy_replays(
    temporal_env: WorkflowEnvironment, pool: asyncpg.Pool
) -> None:
    """Issue 16 (client-policy-2026.2): a meeting agreed with its date, reminded and missed; a
    sale into serve; a re-assessment to premium into maintain; a closure whose retention fails
    twice (the outlet head told of the second); the lost client won back. The history replays,
    and is committed once as golden `client_lifecycle@…` (never rewritten)."""
    outlet = f"o-{uuid.uuid4().hex[:6]}"
    officer = Principal(name="officer-1", role=Role.CASE_OFFICER, outlet=outlet)
    head = Principal(name="head-1", role=Role.OUTLET_HEAD, outlet=outlet)
    async with complaint_stack(temporal_env, pool) as stack:
        now = await stack.now()
        clients = ClientService(temporal_env.client, stack.task_queue,
                                client_policy(today=now.date()))
        client_id = f"K-{uuid.uuid4().hex[:8]}"
        await clients.identify(cc.Identify(
            actor=officer.name, at=now, client_id=client_id, outlet=outlet,
            assessment=Assessment(deposits_10k=50, loans_10k=0, intermediary_products=0,
                                  family=0, occupation=0, social_standing=0)), by=officer)

        async def act(by: Principal, command: Any) -> None:
            at = await stack.now()
            await clients.execute(client_id, command.model_copy(update={"at": at}), by=by)

        await act(officer, cc.RecordContactAttempt(
            actor=officer.name, at=now, channel="phone", outcome="meeting_agreed",
            next_step="meet", meeting_at=now + timedelta(days=3), meeting_place="支行"))
        await temporal_env.sleep(timedelta(days=5))  # reminded, then missed
        await act(officer, cc.RecordSale(actor=officer.name, at=now, product="fund"))
        await act(officer, cc.Reassess(actor=officer.name, at=now, assessment=Assessment(
            deposits_10k=600, loans_10k=0, intermediary_products=2, family=3, occupation=3,
            social_standing=3)))
        await act(officer, cc.RequestAccountClosure(actor=officer.name, at=now,
                                                    account="A-1"))
        for by in (officer, head):
            await act(by, cc.RecordRetention(actor=by.name, at=now, retained=False,
                                             note="moving abroad"))
        await act(head, cc.WinBack(actor=head.name, at=now, reason="back from abroad"))
        handle = temporal_env.client.get_workflow_handle(f"client-{client_id}")
        history = await handle.fetch_history()
        await handle.terminate(reason="scenario over")
    types = [e.type for e in await event_store(pool).read_stream(f"client-{client_id}")]
    for kind in ("meeting_reminder", "meeting_missed", "client_lost", "win_back_started"):
        assert kind in types, kind
    await replays_and_is_kept(history, "client_lifecycle")


async def test_the_committed_client_lifecycle_replays() -> None:
    await committed_replays("client_lifecycle")


async def test_a_client_with_its_own_tasks_under_the_third_policy_replays(
    temporal_env: WorkflowEnvironment, pool: asyncpg.Pool
) -> None:
    """client-policy-2026.3: a maturity's own contact task reminded and missed, a care occasion,
    a satisfaction survey due and recorded. The history replays, and is committed once as
    golden `client_tasks@…` (never rewritten)."""
    outlet = f"o-{uuid.uuid4().hex[:6]}"
    officer = Principal(name="officer-1", role=Role.CASE_OFFICER, outlet=outlet)
    async with complaint_stack(temporal_env, pool) as stack:
        now = await stack.now()
        clients = stack.parts.clients
        assert clients.policy.version == "client-policy-2026.3"
        client_id = f"K-{uuid.uuid4().hex[:8]}"
        birthday = (now + timedelta(days=40)).astimezone(SHANGHAI)
        await clients.identify(cc.Identify(
            actor=officer.name, at=now, client_id=client_id, outlet=outlet,
            manager=officer.name, birthday=f"{birthday:%m-%d}",
            assessment=Assessment(deposits_10k=300, loans_10k=0, intermediary_products=1,
                                  family=0, occupation=0, social_standing=0)), by=officer)
        matures = (now + timedelta(days=20)).astimezone(SHANGHAI).date()
        await stack.parts.account_events.apply(enumerate([
            {"event_id": f"M-{client_id}", "client_id": client_id, "event": "maturity",
             "product": "定期存款", "matures_on": matures.isoformat()}], start=1))
        for _ in range(7):  # a month at a time, the manager keeps the cadence
            await temporal_env.sleep(timedelta(days=27))
            await clients.execute(client_id, cc.LogContact(
                actor=officer.name, at=await stack.now(), channel="phone", summary="月度联系"),
                by=officer)
        await clients.execute(client_id, cc.RecordSurvey(
            actor=officer.name, at=await stack.now(), score=5, remarks="满意"), by=officer)
        handle = temporal_env.client.get_workflow_handle(f"client-{client_id}")
        history = await handle.fetch_history()
        await handle.terminate(reason="scenario over")
    types = [e.type for e in await event_store(pool).read_stream(f"client-{client_id}")]
    for kind in ("maturity_contact_due", "maturity_missed", "care_due", "survey_due",
                 "survey_recorded"):
        assert kind in types, kind
    await replays_and_is_kept(history, "client_tasks")


async def test_the_committed_client_tasks_history_replays() -> None:
    await committed_replays("client_tasks")
