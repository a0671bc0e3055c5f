"""The activities of DeliveryWorkflow: resolve a notification's addresses against today's
organisation; deliver it to one recipient by one channel, once; record on a case what became
of its message to the client."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import asyncpg
import structlog
from temporalio import activity
from temporalio.client import Client, WorkflowUpdateFailedError
from temporalio.exceptions import ApplicationError
from temporalio.service import RPCError, RPCStatusCode

from activities.outage import DependencyWatch, reaching
from caseflow.delivery import records
from caseflow.delivery.channels import (
    EmailChannel,
    Outgoing,
    PermanentDeliveryError,
    SmsGateway,
    TransientDeliveryError,
    WebhookChannel,
    mask,
)
from caseflow.identity.organisation import OrganisationError, resolve
from caseflow.messages import Message, MessageTemplates, TemplateProblem
from caseflow.metrics import NOTIFICATIONS
from caseflow.policy.channels import ChannelPolicy
from domain.access import MESSAGES
from domain.complaint.commands import RecordClientNotice
from domain.notifications import (
    AddressError,
    Channel,
    ClientAddress,
    NotifyItem,
    parse_address,
)
from workflows import names
from workflows.complaint_messages import CommandRequest, ComplaintView
from workflows.ports import (
    ClientNoticeRequest,
    DeliverRequest,
    DeliveryOutcome,
    DeliveryPlan,
    RetrySchedule,
    Route,
    Unresolved,
)

log = structlog.get_logger(__name__)
WEBHOOK = "webhook"


@dataclass(frozen=True)
class Channels:
    """The adapters configured: no e-mail without an SMTP server, no webhook without a URL."""

    sms: SmsGateway
    email: EmailChannel | None = None
    webhook: WebhookChannel | None = None


class DeliveryActivities:
    def __init__(self, pool: asyncpg.Pool, temporal: Client, templates: MessageTemplates,
                 policy: ChannelPolicy, channels: Channels, database: DependencyWatch) -> None:
        self._pool = pool
        self._temporal = temporal
        self._templates = templates
        self._policy = policy
        self._channels = channels
        self._database = database

    @activity.defn(name=names.RESOLVE_RECIPIENTS)
    async def resolve_recipients(self, item: NotifyItem) -> DeliveryPlan:
        async with reaching(self._database):
            return await self._resolve(item)

    async def _resolve(self, item: NotifyItem) -> DeliveryPlan:
        notification = item.notification
        routes: dict[str, Route] = {}
        unresolved: list[Unresolved] = []
        channels = self._policy.staff_channels(notification.kind)
        for text in notification.recipients:
            try:
                address = parse_address(text)
                if isinstance(address, ClientAddress):
                    routes.setdefault(text, self._client_route(item, text))
                    continue
                found = await resolve(self._pool, address)
            except (AddressError, OrganisationError) as exc:
                unresolved.append(Unresolved(address=text, reason=str(exc)))
                continue
            for person in found.people:
                routes.setdefault(person.name, Route(
                    recipient=person.name, channels=channels, language=person.language,
                    email=person.email, mobile=person.mobile, route=found.route))
        if notification.kind in self._policy.webhook and self._channels.webhook is not None:
            routes[WEBHOOK] = Route(recipient=WEBHOOK, channels=(Channel.WEBHOOK,))
        async with self._pool.acquire() as conn, conn.transaction():
            for route in routes.values():
                for channel in route.channels:
                    await records.queue(conn, item.notification_id, route.recipient,
                                        channel.value, route=route.route)
            for miss in unresolved:
                await records.queue(conn, item.notification_id, miss.address, "-",
                                    state="failed", error=miss.reason)
        retry = self._policy.retry
        log.info("notification resolved", notification_id=str(item.notification_id),
                 kind=notification.kind, recipients=len(routes), unresolved=len(unresolved))
        return DeliveryPlan(routes=list(routes.values()), unresolved=unresolved,
                            retry=RetrySchedule(
                                attempts=retry.attempts,
                                first_interval=timedelta(seconds=retry.first_interval_seconds),
                                max_interval=timedelta(seconds=retry.max_interval_seconds)))

    def _client_route(self, item: NotifyItem, text: str) -> Route:
        contact = item.notification.client_contact
        if contact is None:
            raise AddressError("the bank holds no contact for the client")
        return Route(recipient=text, channels=contact.channels, first_that_works=True,
                     email=contact.email, mobile=contact.mobile)

    @activity.defn(name=names.DELIVER)
    async def deliver(self, request: DeliverRequest) -> DeliveryOutcome:
        async with reaching(self._database):
            return await self._deliver(request)

    async def _deliver(self, request: DeliverRequest) -> DeliveryOutcome:
        item, route, channel = request.item, request.route, request.channel
        key = (item.notification_id, route.recipient, channel.value)
        async with self._pool.acquire() as conn:
            done = await records.state_of(conn, *key)
        if done in ("delivered", "failed", "skipped"):
            return DeliveryOutcome(recipient=route.recipient, channel=channel,
                                   delivered=done == "delivered", skipped=done == "skipped",
                                   reason=None if done == "delivered" else f"already {done}")
        missing = self._missing_address(route, channel)
        if missing is not None:
            async with self._pool.acquire() as conn:
                await records.skipped(conn, *key, missing)
            NOTIFICATIONS.labels(channel.value, "skipped").inc()
            return DeliveryOutcome(recipient=route.recipient, channel=channel, delivered=False,
                                   skipped=True, reason=missing)
        try:
            message = self._message(item, route.language)
            await self._send(request, message)
        except (PermanentDeliveryError, TemplateProblem) as exc:
            error = self._private(str(exc), route)
            await self._failed(request, error, final=True)
            raise ApplicationError(error, type=type(exc).__name__, non_retryable=True) from None
        except TransientDeliveryError as exc:
            error = self._private(str(exc), route)
            final = activity.info().attempt >= request.attempts
            await self._failed(request, error, final=final)
            raise ApplicationError(error, type="TransientDeliveryError") from None
        if channel is not Channel.INBOX:  # (the inbox records its delivery with the message)
            async with self._pool.acquire() as conn:
                await records.delivered(conn, *key)
        NOTIFICATIONS.labels(channel.value, "delivered").inc()
        return DeliveryOutcome(recipient=route.recipient, channel=channel, delivered=True)

    def _missing_address(self, route: Route, channel: Channel) -> str | None:
        if channel is Channel.EMAIL and self._channels.email is None:
            return "no SMTP server is configured"
        if channel is Channel.EMAIL and route.email is None:
            return "no e-mail address on record"
        if channel is Channel.SMS and route.mobile is None:
            return "no mobile number on record"
        if channel is Channel.WEBHOOK and self._channels.webhook is None:
            return "no webhook is configured"
        return None

    def _message(self, item: NotifyItem, language: str) -> Message:
        notification = item.notification
        if not notification.facts and notification.subject:  # from before templates
            return Message(subject=notification.subject, body=notification.body)
        return self._templates.render(
            notification.kind, {"stream_id": notification.stream_id, **notification.facts},
            language)

    async def _send(self, request: DeliverRequest, message: Message) -> None:
        item, route = request.item, request.route
        outgoing = Outgoing(key=f"{item.notification_id}/{route.recipient}",
                            subject=message.subject, body=message.body,
                            sent_at=request.at.astimezone(self._templates.zone))
        match request.channel:
            case Channel.INBOX:
                async with self._pool.acquire() as conn, conn.transaction():
                    await records.put_in_inbox(conn, item.notification_id, route.recipient,
                                               item.notification.kind,
                                               item.notification.stream_id,
                                               message.subject, message.body)
                    await records.delivered(conn, item.notification_id, route.recipient,
                                            Channel.INBOX.value)
            case Channel.EMAIL:
                assert self._channels.email is not None and route.email is not None
                await self._channels.email.send(route.email, outgoing)
            case Channel.SMS:
                assert route.mobile is not None
                await self._channels.sms.send(route.mobile, outgoing)
            case Channel.WEBHOOK:
                assert self._channels.webhook is not None
                await self._channels.webhook.send(
                    {"notification_id": str(item.notification_id),
                     "kind": item.notification.kind, "stream_id": item.notification.stream_id},
                    outgoing)

    async def _failed(self, request: DeliverRequest, error: str, *, final: bool) -> None:
        NOTIFICATIONS.labels(request.channel.value, "failed" if final else "attempt_failed").inc()
        log.warning("delivery attempt failed", notification_id=str(request.item.notification_id),
                    recipient=request.route.recipient, channel=request.channel.value,
                    attempt=activity.info().attempt, final=final, error=error)
        async with self._pool.acquire() as conn:
            await records.attempt_failed(conn, request.item.notification_id,
                                         request.route.recipient, request.channel.value, error,
                                         final=final)

    @staticmethod
    def _private(text: str, route: Route) -> str:
        """An error as it may be recorded and logged: no contact detail in it."""
        for value in (route.email, route.mobile):
            if value:
                text = text.replace(value, mask(value))
        return text

    @activity.defn(name=names.RECORD_CLIENT_NOTICE)
    async def record_client_notice(self, request: ClientNoticeRequest) -> bool:
        """Tell the case what became of its message to the client. False: the case is closed
        (its record is final) or has it already."""
        command = RecordClientNotice(
            actor=MESSAGES.name, at=request.at, notice=request.notice,
            notification_id=request.notification_id, delivered=request.delivered,
            channel=request.channel, reason=request.reason[:4000] if request.reason else None)
        handle = self._temporal.get_workflow_handle(request.stream_id)
        try:
            await handle.execute_update(
                names.COMMAND, CommandRequest(command=command, by=MESSAGES),
                result_type=ComplaintView, id=f"notice-{request.notification_id}")
        except RPCError as exc:
            if exc.status != RPCStatusCode.NOT_FOUND:
                raise
            return False
        except WorkflowUpdateFailedError:
            return False
        return True
