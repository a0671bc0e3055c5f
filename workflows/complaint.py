"""ComplaintWorkflow: one per complaint (id `complaint-<case id>`), the single writer of its stream.

Officer commands arrive as the `command` update. Its validator runs the domain's `decide` on the
current state, so an illegal step is rejected before anything reaches history or the store. The
handler decides again under the lock, appends the events through an activity, folds them in,
sends the notifications they call for, and wakes the case's clocks, which re-arm one timer for
the first alarm due (the SLA warning, breach and each rung of the escalation ladder; the
regulator's clock; the satisfaction follow-up after closing; each corrective action's due date).
"""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

from temporalio import workflow
from temporalio.common import RetryPolicy, SearchAttributeUpdate
from temporalio.exceptions import ApplicationError, CancelledError, FailureError

from workflows import names, recording
from workflows.requests import RequestLedger, rejection
from workflows.timing import sleep_until, stamped

with workflow.unsafe.imports_passed_through():
    from domain.access import SLA_CLOCK
    from domain.complaint import (
        COMPLAINT,
        ComplaintEvent,
        ComplaintState,
        Rules,
        adopting,
        decide,
        fold,
        has_work_left,
        initial_state,
        next_alarm,
    )
    from domain.complaint.commands import (
        AcknowledgeClient,
        Command,
        RecomputeDeadline,
        RegisterComplaint,
    )
    from domain.complaint.model import Status
    from domain.complaint.notifications import notifications_for
    from domain.complaint.summary import summarize
    from domain.errors import DomainError
    from workflows.complaint_messages import (
        CommandRequest,
        ComplaintInput,
        ComplaintView,
        authorize,
        workflow_id,
    )
    from workflows.ports import LinkClientRequest
    from workflows.search_attributes import CASE_BREACHED, CASE_DEADLINE, CASE_STATUS

CLIENT_LINK = {"complaint_registered": "opened", "deadline_breached": "breached",
               "case_closed": "closed"}


@workflow.defn(name="ComplaintWorkflow")
class ComplaintWorkflow:
    @workflow.init
    def __init__(self, start: ComplaintInput) -> None:
        self._rules = Rules(calendar=start.calendar, policy=start.policy)
        self._stream_id = workflow_id(start.registration.case_id)
        self._client_followed = start.client_followed
        self._contact = start.registration.contact
        self._state = initial_state()
        self._lock = asyncio.Lock()
        self._requests = RequestLedger()
        self._woken = False
        self._published: tuple[Any, ...] | None = None
        # Until run() has stored the registration, validators judge commands against the state
        # the registration will give (with its acknowledgement, stored in the same append), so
        # an update racing the start is not wrongly refused, and a page shown meanwhile has the
        # version the case will have.
        try:
            registered = fold(decide(initial_state(), start.registration, self._rules))
            acknowledged = AcknowledgeClient(actor=SLA_CLOCK.name, at=workflow.now())
            self._registering: ComplaintState | None = fold(
                decide(registered, acknowledged, self._rules), registered)
        except DomainError:
            self._registering = None

    @workflow.run
    async def run(self, start: ComplaintInput) -> ComplaintState:
        try:
            return await self._handle(start)
        except FailureError as failure:
            if isinstance(failure, CancelledError):
                raise
            # The case cannot go on: its supervisors hear of it before the workflow fails, so a
            # stopped case is never mistaken for a closed one.
            await recording.report_stopped(self._stream_id, start.registration.outlet, failure)
            raise

    async def _handle(self, start: ComplaintInput) -> ComplaintState:
        async with self._lock:
            # One append: the case, its deadline and the acknowledgement of the expected time.
            await self._apply(start.registration,
                              AcknowledgeClient(actor=SLA_CLOCK.name, at=workflow.now()))
        # A closed case's workflow goes on while its satisfaction follow-up or a corrective
        # action is outstanding (policies from sla-2026.4; earlier cases end at the close).
        while has_work_left(self._state, self._rules):
            await self._wait_for_next_alarm()
        await workflow.wait_condition(workflow.all_handlers_finished)
        return self._state

    async def _wait_for_next_alarm(self) -> None:
        """Sleep until the next alarm or until a command changes the case, then act if due."""
        alarm = next_alarm(self._state, workflow.now(), self._rules)
        self._woken = False
        if not await sleep_until(alarm.at if alarm else None, lambda: self._woken):
            return  # a command changed the case: recompute the alarm
        async with self._lock:  # a command may have run meanwhile: check again under the lock
            due = next_alarm(self._state, workflow.now(), self._rules)
            if due is not None and due.at <= workflow.now():
                await self._apply(due.command(actor=SLA_CLOCK.name, at=workflow.now()))

    # -- officers' commands ----------------------------------------------------------------------

    @workflow.update(name=names.COMMAND)
    async def command(self, request: CommandRequest) -> ComplaintView:
        self._requests.take()
        await workflow.wait_condition(lambda: self._state.status != Status.NEW)
        async with self._lock:
            command = stamped(request.command)
            await self._apply(command)
            if isinstance(command, RecomputeDeadline):
                # The case counts on the changed calendar from now on (escalations too); on
                # replay the same update brings the same calendar.
                self._rules = adopting(self._rules, command.calendar)
            self._woken = True
        return self.view()

    @command.validator
    def validate_command(self, request: CommandRequest) -> None:
        if isinstance(request.command, RegisterComplaint):
            raise ApplicationError("a case is registered by starting it, not by a command",
                                   type="IllegalStepError", non_retryable=True)
        self._requests.check()
        state = self._state
        if state.status == Status.NEW and self._registering is not None:
            state = self._registering
        try:
            authorize(request, state)
            decide(state, stamped(request.command), self._rules)
        except DomainError as error:
            raise rejection(error) from None

    @workflow.query(name=names.VIEW)
    def view(self) -> ComplaintView:
        """The case; right after the start, the registration being stored (it is durable from
        the start on: the workflow stores it before any other step)."""
        state = self._registering if self._state.status == Status.NEW else None
        state = state or self._state
        alarm = next_alarm(state, workflow.now(), self._rules)
        return ComplaintView(state=state,
                             next_alarm=alarm.command.__name__ if alarm else None,
                             next_alarm_at=alarm.at if alarm else None)

    # -- deciding and recording ------------------------------------------------------------------

    async def _apply(self, *commands: Command) -> None:
        """Decide (each command on the state the previous one leaves), store in one append, fold,
        notify. Callers hold the lock."""
        state, events = recording.decide_all(COMPLAINT, self._state, commands, self._rules)
        if not events:
            return  # nothing changed (a calendar change that leaves the deadline where it is)
        await recording.record(
            self._stream_id, self._state.version, events,
            read_model=summarize(state).model_dump(mode="json"),
            notifications=notifications_for(state, events, self._stream_id, self._contact))
        reopened_after_close = self._state.status == Status.CLOSED and any(
            e.type == "case_reopened" for e in events)
        self._state = state
        self._registering = None
        await self._link_client(events, reopened_after_close)
        self._publish_search_attributes()

    async def _link_client(self, events: list[ComplaintEvent],
                           reopened_after_close: bool = False) -> None:
        """Tell the client's relationship workflow (churn risk; a breach calls for care).
        Patched in: cases started before this recorded no such activity and must replay. A
        local activity since "link-client-local-v1" (a regular one cost a server round trip per
        link: 0.75 → 0.61 in bench/complaint_throughput.py); older cases keep their regular one."""
        first_version = self._state.version - len(events) + 1
        links = {**CLIENT_LINK, "case_reopened": "opened"} if reopened_after_close \
            else CLIENT_LINK  # (a follow-up reopens a closed case: it is open again)
        changes = [(version, change) for version, event in enumerate(events, first_version)
                   if (change := links.get(event.type))]
        if not changes or not self._client_followed or not workflow.patched("link-client-v1"):
            return  # (the patch is asked last: unfollowed cases record no marker)
        assert self._state.client_id is not None and self._state.case_id is not None
        local = workflow.patched("link-client-local-v1")
        for version, change in changes:
            # The link's id names the event that caused it: re-run after a crash, the client's
            # workflow takes it once (Temporal deduplicates updates by id).
            request = LinkClientRequest(client_id=self._state.client_id,
                                        case_id=self._state.case_id, change=change,
                                        at=workflow.now(),
                                        link_id=f"{self._stream_id}@{version}:{change}")
            retry = RetryPolicy(maximum_interval=timedelta(minutes=1))
            if local:
                await workflow.execute_local_activity(
                    names.LINK_CLIENT, request, result_type=bool,
                    start_to_close_timeout=timedelta(seconds=30), retry_policy=retry)
            else:
                await workflow.execute_activity(
                    names.LINK_CLIENT, request, result_type=bool,
                    start_to_close_timeout=timedelta(seconds=30), retry_policy=retry)

    def _publish_search_attributes(self) -> None:
        """Upsert status, deadline and breach flag, only when one of them changed."""
        deadline = self._state.deadline
        shown = (self._state.status, deadline.due_at if deadline else None, self._state.breached)
        if shown == self._published:
            return
        self._published = shown
        updates: list[SearchAttributeUpdate[Any]] = [
            CASE_STATUS.value_set(self._state.status.value),
            CASE_BREACHED.value_set(self._state.breached),
        ]
        if deadline is not None:
            updates.append(CASE_DEADLINE.value_set(deadline.due_at))
        workflow.upsert_search_attributes(updates)
