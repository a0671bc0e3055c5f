"""DeliveryWorkflow: one per notification (id `notification-<id>`), started once its step is
recorded. It resolves the addresses against today's organisation, hands the message to each
channel with Temporal's retries and backoff (within the policy's budget), and then:

- when anything could not be delivered, alerts the supervisors of the unit concerned (through
  another notification; a failed alert about a failure raises no further alert);
- when the client was a recipient of a case's notice, records on the case what really
  happened: told, by which channel, or not, and why.

A retried delivery never sends twice: each (notification, recipient, channel) is recorded
delivered once, and the activity skips one already delivered.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ActivityError, ApplicationError

with workflow.unsafe.imports_passed_through():
    from domain.complaint.notifications import CLIENT_NOTICES
    from domain.notifications import Channel, Notification, NotifyItem, role_at
    from workflows import names
    from workflows.ports import (
        ClientNoticeRequest,
        DeliverRequest,
        DeliveryInput,
        DeliveryOutcome,
        DeliveryPlan,
        DeliveryReport,
        NotifyRequest,
        Route,
    )

STEADY = RetryPolicy(maximum_interval=timedelta(minutes=1))
"""Resolving, alerting and recording retry until the database or the case is back."""
PERMANENT = ["PermanentDeliveryError", "TemplateProblem"]
QUIET_KINDS = frozenset({"delivery_failed"})
"""Kinds whose failure raises no alert of its own (it would be about itself)."""


@workflow.defn(name=names.DELIVERY_WORKFLOW)
class DeliveryWorkflow:
    @workflow.run
    async def run(self, delivery: DeliveryInput) -> DeliveryReport:
        item = delivery.item
        # A local activity: two short reads, no server round trip of its own.
        plan = await workflow.execute_local_activity(
            names.RESOLVE_RECIPIENTS, item, result_type=DeliveryPlan,
            start_to_close_timeout=timedelta(seconds=30), retry_policy=STEADY)
        sent = await asyncio.gather(*(self._reach(item, route, plan) for route in plan.routes))
        report = DeliveryReport(notification_id=item.notification_id,
                                outcomes=[o for outcomes in sent for o in outcomes],
                                unresolved=plan.unresolved)
        if report.failures and item.notification.kind not in QUIET_KINDS:
            await self._alert(item.notification, report)
        await self._record_client_notice(item, report)
        return report

    async def _reach(self, item: NotifyItem, route: Route, plan: DeliveryPlan
                     ) -> list[DeliveryOutcome]:
        if not route.first_that_works:
            return list(await asyncio.gather(
                *(self._send(item, route, channel, plan) for channel in route.channels)))
        outcomes: list[DeliveryOutcome] = []
        for channel in route.channels:
            outcome = await self._send(item, route, channel, plan)
            outcomes.append(outcome)
            if outcome.delivered:
                break
        return outcomes

    async def _send(self, item: NotifyItem, route: Route, channel: Channel, plan: DeliveryPlan
                    ) -> DeliveryOutcome:
        retry = RetryPolicy(initial_interval=plan.retry.first_interval, backoff_coefficient=2,
                            maximum_interval=plan.retry.max_interval,
                            maximum_attempts=plan.retry.attempts,
                            non_retryable_error_types=PERMANENT)
        request = DeliverRequest(item=item, route=route, channel=channel, at=workflow.now(),
                                 attempts=plan.retry.attempts)
        try:
            outcome: DeliveryOutcome
            if channel is Channel.INBOX:  # a row in PostgreSQL: no server round trip of its own
                outcome = await workflow.execute_local_activity(
                    names.DELIVER, request, result_type=DeliveryOutcome,
                    start_to_close_timeout=timedelta(seconds=30), retry_policy=retry)
            else:
                outcome = await workflow.execute_activity(
                    names.DELIVER, request, result_type=DeliveryOutcome,
                    start_to_close_timeout=timedelta(seconds=60), retry_policy=retry)
        except (ActivityError, ApplicationError) as failure:
            # A regular activity's failure comes wrapped (ActivityError); a local one's, as the
            # activity's own ApplicationError.
            cause = failure.cause if isinstance(failure, ActivityError) else failure
            reason = cause.message if isinstance(cause, ApplicationError) else str(cause)
            return DeliveryOutcome(recipient=route.recipient, channel=channel, delivered=False,
                                   reason=reason or type(cause).__name__)
        return outcome

    async def _alert(self, notification: Notification, report: DeliveryReport) -> None:
        alert = Notification(
            kind="delivery_failed", stream_id=notification.stream_id, unit=notification.unit,
            recipients=(role_at("supervisor", notification.unit),),
            facts={"failed_kind": notification.kind, "stream_id": notification.stream_id,
                   "failures": "\n".join(report.failures)})
        await workflow.execute_activity(
            names.NOTIFY,
            NotifyRequest(items=[NotifyItem(notification_id=workflow.uuid4(), notification=alert)]),
            start_to_close_timeout=timedelta(seconds=30), retry_policy=STEADY)

    async def _record_client_notice(self, item: NotifyItem, report: DeliveryReport) -> None:
        notification = item.notification
        if notification.kind not in CLIENT_NOTICES:
            return
        client = [r for r in notification.recipients if r.startswith("client:")]
        if not client:
            return
        tried = [o for o in report.outcomes if o.recipient == client[0]]
        told = next((o for o in tried if o.delivered), None)
        unresolved = [u.reason for u in report.unresolved if u.address == client[0]]
        reasons = unresolved + [o.reason or "" for o in tried if not o.delivered]
        request = ClientNoticeRequest(
            stream_id=notification.stream_id, notice=notification.kind,
            notification_id=item.notification_id, delivered=told is not None,
            channel=told.channel if told else None,
            reason=None if told else ("; ".join(r for r in reasons if r) or "not sent"),
            at=workflow.now())
        await workflow.execute_activity(
            names.RECORD_CLIENT_NOTICE, request, result_type=bool,
            start_to_close_timeout=timedelta(seconds=60), retry_policy=STEADY)
