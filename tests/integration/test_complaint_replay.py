"""Replay: histories of the main complaint scenarios must replay against the current code.

Two sources: histories made in this run, and the golden histories committed under
tests/histories/ (made by an earlier version of the code). A change to ComplaintWorkflow that
would break cases already running in production fails here. After a deliberate, versioned change
(workflow.patched), record new goldens: CASEFLOW_RECORD_HISTORIES=1 ./dev.sh test -k replay
New goldens are named after the latest patch (`…@append-as-activity-v1.json`), so the older
generations stay committed beside them and keep replaying; a golden already committed is never
rewritten (a new scenario adds its own file: `complaint_no_response@…` came with the
after-reply clock of policy sla-2026.3, which older cases' policies do not have).
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from typing import Any

import asyncpg
from temporalio import workflow
from temporalio.client import WorkflowHistory
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Replayer, UnsandboxedWorkflowRunner

from caseflow.bootstrap import event_store
from caseflow.store.read_models.complaints import list_cases, rebuild_case
from domain.access import Principal, Role
from domain.complaint import ComplaintState
from domain.complaint import commands as c
from tests.complaint_fixtures import FAULT, SHANGHAI, register
from tests.complaint_stack import ComplaintStack, complaint_stack
from tests.payload_keys import CONVERTER
from workflows.complaint import ComplaintWorkflow
from workflows.complaint_messages import workflow_id
from workflows.recording import DURABLE_APPEND
from workflows.registry import SANDBOX_RUNNER

GOLDEN = Path(__file__).parents[1] / "histories"
GENERATION = DURABLE_APPEND
"""The latest history-changing patch: the name suffix of goldens recorded now."""


async def _start(stack: ComplaintStack, name: str) -> str:
    now = await stack.now()
    case_id = f"replay-{name}-{now.timestamp():.0f}"
    await stack.register(register(at=now, received_at=now, case_id=case_id))
    return case_id


async def _step(stack: ComplaintStack, case_id: str, kind: type, **fields: object) -> None:
    actor = str(fields.pop("actor", "officer-1"))
    await stack.execute(case_id, kind(actor=actor, at=await stack.now(), **fields))


async def _to_reply(stack: ComplaintStack, case_id: str) -> None:
    await _step(stack, case_id, c.RecordFindings, summary="s", bank_at_fault=False)
    await _step(stack, case_id, c.ReplyToClient, method="in_person", content="explained")


async def _follow_up(stack: ComplaintStack, *case_ids: str) -> None:
    """Past the satisfaction follow-up after the close (policy sla-2026.4): the client is
    satisfied with the result."""
    await stack.env.sleep(timedelta(days=9))
    for case_id in case_ids:
        await _step(stack, case_id, c.RecordFollowUp, outcome="satisfied", opinion="ok")


async def run_main_scenarios(stack: ComplaintStack) -> dict[str, str]:
    """Returns scenario name -> workflow id, each case closed."""
    ids: dict[str, str] = {}

    spot = ids["on_the_spot"] = await _start(stack, "spot")
    await _step(stack, spot, c.ResolveOnSpot, resolution="explained")

    breach = ids["breach_escalation"] = await _start(stack, "breach")
    await _step(stack, breach, c.AssignHandler, handler="officer-1")
    await stack.env.sleep(timedelta(days=7))
    await _step(stack, breach, c.Withdraw, reason="client withdrew")

    ext = ids["extension_reply"] = await _start(stack, "ext")
    await _step(stack, ext, c.AssignHandler, handler="officer-1")
    await _step(stack, ext, c.RequestExtension, reason="records")
    await _step(stack, ext, c.DecideExtension, approve=True, actor="supervisor-1")
    await stack.env.sleep(timedelta(days=5))
    await _to_reply(stack, ext)
    await _step(stack, ext, c.RecordFeedback, satisfied=True, opinion="ok")

    reopen = ids["reopen"] = await _start(stack, "reopen")
    await _step(stack, reopen, c.AssignHandler, handler="officer-1")
    await _to_reply(stack, reopen)
    await _step(stack, reopen, c.RecordFeedback, satisfied=False, opinion="no",
                follow_up="escalate", escalate_to="branch-sh-csm")
    await _to_reply(stack, reopen)
    await _step(stack, reopen, c.RecordFeedback, satisfied=True, opinion="ok")

    # Issue 15's clocks: the bank at fault with a corrective action that outlives the case; an
    # escalation the branch's service management accepts and answers; the regulator's clock
    # extended by a supervisor; the follow-up after closing finds the client dissatisfied,
    # the case is reopened, replied again and followed up again.
    outer = ids["outer_clocks"] = await _start(stack, "outer")
    csm = Principal(name="csm-1", role=Role.SUPERVISOR, outlet="branch-sh-csm")
    await _step(stack, outer, c.AssignHandler, handler="officer-1")
    await _step(stack, outer, c.Escalate, reason="beyond_authority", to="branch-sh-csm",
                details="refund above the outlet's authority")
    await stack.execute(outer, c.AcceptEscalation(actor="csm-1", at=await stack.now()), by=csm)
    await stack.execute(outer, c.AnswerEscalation(actor="csm-1", at=await stack.now(),
                                                  answer="refund the fee"), by=csm)
    await _step(stack, outer, c.ExtendRegulatoryDeadline, reason="complex",
                actor="supervisor-1")
    today = (await stack.now()).astimezone(SHANGHAI).date()
    await _step(stack, outer, c.RecordFindings, summary="charged twice", bank_at_fault=True,
                **{**FAULT, "corrective_action_due": today + timedelta(days=20)})
    await _step(stack, outer, c.ReplyToClient, method="in_person", content="refunded")
    await _step(stack, outer, c.RecordFeedback, satisfied=True, opinion="ok")
    await stack.env.sleep(timedelta(days=9))
    await _step(stack, outer, c.RecordFollowUp, outcome="not_satisfied", opinion="still upset",
                follow_up="reopen")
    await _to_reply(stack, outer)
    await _step(stack, outer, c.RecordFeedback, satisfied=True, opinion="ok now")
    await stack.env.sleep(timedelta(days=15))  # past the action's due date: its alarm rings
    await _step(stack, outer, c.CompleteCorrectiveAction, number=1, outcome="staff retrained",
                actor="head-9")

    # Replied, and the client never gives an opinion: reminded, then closed as "no response".
    silent = ids["no_response"] = await _start(stack, "silent")
    await _step(stack, silent, c.AssignHandler, handler="officer-1")
    await _to_reply(stack, silent)
    await stack.env.sleep(timedelta(days=21))  # past the no-response close, holidays or not
    await _follow_up(stack, ext, reopen, silent, outer)

    for case_id in ids.values():
        await stack.env.client.get_workflow_handle(workflow_id(case_id)).result()
    return {name: workflow_id(case_id) for name, case_id in ids.items()}


def replayer() -> Replayer:
    return Replayer(workflows=[ComplaintWorkflow], data_converter=CONVERTER,
                    workflow_runner=SANDBOX_RUNNER)


async def test_main_scenarios_replay_against_current_code(
    temporal_env: WorkflowEnvironment, pool: asyncpg.Pool
) -> None:
    store = event_store(pool)
    async with complaint_stack(temporal_env, pool) as stack:
        ids = await run_main_scenarios(stack)
        histories = {
            name: await temporal_env.client.get_workflow_handle(wid).fetch_history()
            for name, wid in ids.items()
        }
        finals = {
            name: await temporal_env.client.get_workflow_handle(
                wid, result_type=ComplaintState).result()
            for name, wid in ids.items()
        }
    assert set(histories) == {"on_the_spot", "breach_escalation", "extension_reply", "reopen",
                              "no_response", "outer_clocks"}
    outer = finals["outer_clocks"]
    assert outer.follow_up_outcome == "satisfied" and outer.reopened == 1
    assert [a.overdue for a in outer.corrective_actions] == [True]
    assert outer.regulatory is not None and outer.regulatory.reason == "extended"
    assert outer.escalation_answer is not None and outer.held_by is None
    for name, wid in ids.items():
        # The store holds exactly the events each workflow folded: in order, once, chain intact.
        events = await store.read_stream(wid)
        assert [e.version for e in events] == list(range(1, finals[name].version + 1)), name
        assert len({e.event_id for e in events}) == len(events)
        assert (await store.verify_stream(wid)).ok
        # The worklist row the workflow wrote equals a rebuild from the stream alone.
        [row] = [r for r in await list_cases(pool, limit=10_000)
                 if workflow_id(r.case_id) == wid]
        async with pool.acquire() as conn, conn.transaction():
            assert await rebuild_case(conn, wid) == row
    for name, history in histories.items():
        result = await replayer().replay_workflow(history, raise_on_replay_failure=False)
        assert result.replay_failure is None, f"{name}: {result.replay_failure}"
    if os.environ.get("CASEFLOW_RECORD_HISTORIES") == "1":
        for name, history in histories.items():
            golden = GOLDEN / f"complaint_{name}@{GENERATION}.json"
            if not golden.exists():  # a golden is never rewritten: it is what ran then
                golden.write_text(history.to_json(), encoding="utf-8")


async def test_committed_histories_replay_against_current_code() -> None:
    files = sorted(GOLDEN.glob("complaint_*.json"))
    assert len(files) >= 4, "golden histories missing: see this module's docstring"
    assert len([f for f in files if f.stem.endswith(f"@{GENERATION}")]) >= 4, (
        "no goldens of the current generation: see this module's docstring")
    for path in files:
        history = WorkflowHistory.from_json(path.stem, path.read_text(encoding="utf-8"))
        result = await replayer().replay_workflow(history, raise_on_replay_failure=False)
        assert result.replay_failure is None, f"{path.name}: {result.replay_failure}"


@workflow.defn(name="ComplaintWorkflow")
class ChangedWorkflow:
    """Stands for an incompatible edit of ComplaintWorkflow."""

    @workflow.run
    async def run(self, start: Any) -> None:
        await workflow.sleep(timedelta(days=1))  # a timer the real histories never had


async def test_replay_detects_a_changed_workflow() -> None:
    """The check has teeth: a workflow that decides differently fails to replay a golden."""
    path = GOLDEN / "complaint_on_the_spot.json"
    history = WorkflowHistory.from_json(path.stem, path.read_text(encoding="utf-8"))
    changed = Replayer(workflows=[ChangedWorkflow], data_converter=pydantic_data_converter,
                       workflow_runner=UnsandboxedWorkflowRunner())
    result = await changed.replay_workflow(history, raise_on_replay_failure=False)
    assert result.replay_failure is not None
