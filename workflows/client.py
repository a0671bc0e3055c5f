"""ClientWorkflow: one per client (id `client-<client id>`), for years.

Officer steps arrive as the `command` update (validator runs `decide`). The client's clock
(contact due, overdue to the supervisor, review, re-assessment) is one timer re-armed after every
change. Before its history grows large it continues as new, carrying its state; the event stream
in the store continues across runs without a gap (the next append expects the carried version).
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

from temporalio import workflow
from temporalio.exceptions import ApplicationError

from workflows import names, recording
from workflows.requests import RequestLedger, rejection
from workflows.timing import sleep_until, stamped

with workflow.unsafe.imports_passed_through():
    from domain.access import SLA_CLOCK
    from domain.client import CLIENT, ClientState, churn_risk, decide, fold, initial_state
    from domain.client.clock import next_client_alarm
    from domain.client.commands import ClockTick, Identify
    from domain.client.model import Stage
    from domain.client.notifications import notifications_for
    from domain.client.summary import summarize_client
    from domain.errors import DomainError
    from workflows.client_messages import (
        ClientCommandRequest,
        ClientInput,
        ClientView,
        authorize_client,
        client_workflow_id,
    )


@workflow.defn(name="ClientWorkflow")
class ClientWorkflow:
    @workflow.init
    def __init__(self, start: ClientInput) -> None:
        self._policy = start.policy
        self._stream_id = client_workflow_id(start.identify.client_id)
        self._state = start.carried or initial_state()
        self._lock = asyncio.Lock()
        self._requests = RequestLedger()
        self._woken = False
        # What the view shows until run() has stored the identification (as for complaints).
        self._identifying: ClientState | None = None
        if start.carried is None:
            with contextlib.suppress(DomainError):
                self._identifying = fold(decide(initial_state(), start.identify, self._policy))

    @workflow.run
    async def run(self, start: ClientInput) -> None:
        if start.carried is None:
            async with self._lock:
                await self._apply(start.identify)
        # A lost client ends the relationship under the first client policy; from 2026.2 it
        # can be won back, so the workflow waits for that step.
        while self._state.stage != Stage.LOST or self._policy.win_back:
            if (workflow.info().is_continue_as_new_suggested()
                    or workflow.info().get_current_history_length() > start.max_history_events):
                await workflow.wait_condition(workflow.all_handlers_finished)
                workflow.continue_as_new(start.model_copy(update={"carried": self._state}))
            await self._wait_for_next_alarm()
        await workflow.wait_condition(workflow.all_handlers_finished)

    async def _wait_for_next_alarm(self) -> None:
        alarm = next_client_alarm(self._state, self._policy)
        self._woken = False
        if not await sleep_until(alarm.at if alarm else None, lambda: self._woken):
            return  # a step changed the relationship: recompute the alarm
        async with self._lock:
            due = next_client_alarm(self._state, self._policy)
            if due is not None and due.at <= workflow.now():
                await self._apply(ClockTick(actor=SLA_CLOCK.name, at=workflow.now()))

    @workflow.update(name=names.COMMAND)
    async def command(self, request: ClientCommandRequest) -> ClientView:
        self._requests.take()
        await workflow.wait_condition(lambda: self._state.stage != Stage.NEW)
        async with self._lock:
            await self._apply(stamped(request.command))
            self._woken = True
        return self.view()

    @command.validator
    def validate_command(self, request: ClientCommandRequest) -> None:
        if isinstance(request.command, Identify | ClockTick):
            raise ApplicationError("identification starts the workflow; the clock is internal",
                                   type="IllegalStepError", non_retryable=True)
        self._requests.check()
        state = self._state
        if state.stage == Stage.NEW and self._identifying is not None:
            state = self._identifying  # a step racing the start: judge it as identified
        try:
            authorize_client(request, state)
            decide(state, stamped(request.command), self._policy)
        except DomainError as error:
            raise rejection(error) from None

    @workflow.query(name=names.VIEW)
    def view(self) -> ClientView:
        state = self._identifying if self._state.stage == Stage.NEW else None
        state = state or self._state
        alarm = next_client_alarm(state, self._policy)
        return ClientView(state=state, churn_risk=churn_risk(state, self._policy),
                          next_alarm=alarm.kind.__name__ if alarm else None,
                          next_alarm_at=alarm.at if alarm else None)

    async def _apply(self, command: Any) -> None:
        state, events = recording.decide_all(CLIENT, self._state, [command], self._policy)
        await recording.record(
            self._stream_id, self._state.version, events,
            read_model=summarize_client(state, self._policy).model_dump(mode="json"),
            notifications=notifications_for(state, events, self._stream_id))
        self._state = state
