"""Verify a record without trusting the people who kept it.

For each stream: the hash chain is intact and versions have no gaps (from the store alone); the
store holds exactly the events the workflow decided (against its Temporal history); the history
replays against the current code (Temporal's Replayer). Checks that cannot run (no Temporal, a
history past its retention) are named, never silently passed.
"""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict
from temporalio.client import Client
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.service import RPCError, RPCStatusCode
from temporalio.worker import Replayer

from caseflow.audit.history import decided_event_ids, run_histories
from caseflow.store import EventStore, verify_chain
from workflows.registry import SANDBOX_RUNNER, WORKFLOWS


class Problem(BaseModel):
    model_config = ConfigDict(frozen=True)

    stream_id: str
    version: int | None
    global_position: int | None
    problem: str


class AuditReport(BaseModel):
    model_config = ConfigDict(frozen=True)

    streams_checked: int
    events_checked: int
    problems: list[Problem]
    not_checked: list[str]

    @property
    def ok(self) -> bool:
        return not self.problems


async def verify_streams(
    store: EventStore, stream_ids: Sequence[str], client: Client | None = None
) -> AuditReport:
    problems: list[Problem] = []
    not_checked: list[str] = []
    events_checked = 0
    converter = client.data_converter if client is not None else pydantic_data_converter
    replayer = Replayer(workflows=WORKFLOWS, data_converter=converter,
                        workflow_runner=SANDBOX_RUNNER)
    for stream_id in stream_ids:
        events = await store.read_stream(stream_id)
        events_checked += len(events)
        chain = verify_chain(stream_id, events)
        if chain.broken is not None:
            problems.append(Problem(**chain.broken.model_dump()))
        if client is None:
            not_checked.append(f"{stream_id}: store against history, replay (no Temporal)")
            continue
        try:
            histories, complete = await run_histories(client, stream_id)
        except RPCError as exc:
            if exc.status != RPCStatusCode.NOT_FOUND:
                raise
            not_checked.append(f"{stream_id}: store against history, replay (the workflow "
                               "history is gone, e.g. past Temporal's retention)")
            continue
        runs = [await decided_event_ids(history, converter) for history in histories]
        if not complete or any(run is None for run in runs):
            why = ("an earlier run's history is gone (continue-as-new, past retention)"
                   if not complete else "the history predates recorded event ids")
            not_checked.append(f"{stream_id}: store against history ({why})")
            decided = [e.event_id for e in events]  # nothing to compare; replay still runs
        else:
            decided = [event_id for run in runs for event_id in run or []]
        stored = {e.event_id: e for e in events}
        decided_set = set(decided)
        for position, event_id in enumerate(decided, start=1):
            if event_id not in stored:
                problems.append(Problem(
                    stream_id=stream_id, version=position, global_position=None,
                    problem=f"event {event_id} was decided by the workflow but is missing "
                            "from the store"))
        for event in events:
            if event.event_id not in decided_set:
                problems.append(Problem(
                    stream_id=stream_id, version=event.version,
                    global_position=event.global_position,
                    problem=f"event {event.event_id} is in the store but the workflow never "
                            "decided it"))
        for history in histories:
            replay = await replayer.replay_workflow(history, raise_on_replay_failure=False)
            if replay.replay_failure is not None:
                problems.append(Problem(
                    stream_id=stream_id, version=None, global_position=None,
                    problem=f"the history of run {history.run_id}"
                            f" does not replay against the current code: "
                            f"{replay.replay_failure}"))
    return AuditReport(streams_checked=len(stream_ids), events_checked=events_checked,
                       problems=problems, not_checked=not_checked)
