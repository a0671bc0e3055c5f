"""Alerts and messages reach people: against a real SMTP server (aiosmtpd) and a real HTTP
receiver, on the time-skipping server, with the bank's organisation in PostgreSQL.

Each test builds its own small organisation (ids tagged per test), so that what one test's
notifications resolve to is nobody else's."""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from pydantic import ValidationError
from temporalio.testing import WorkflowEnvironment

from caseflow.bootstrap import bootstrap
from caseflow.config import Settings
from caseflow.delivery import records
from caseflow.delivery.channels import (
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    EmailChannel,
    Outgoing,
    SmtpSettings,
    TransientDeliveryError,
    webhook_signature,
)
from caseflow.identity.organisation import StaffMember, Unit, UnitKind, put_staff, put_units
from caseflow.metrics import REGISTRY
from domain.access import Role
from domain.complaint import commands as c
from domain.notifications import ClientContact, Notification, NotifyItem
from tests.complaint_fixtures import register
from tests.complaint_stack import ComplaintStack, acting_as, complaint_stack
from tests.receivers import SmtpServer, WebhookReceiver, self_signed_tls, webhook_receiver
from tests.waiting import until
from workflows.complaint_messages import workflow_id
from workflows.ports import DeliveryReport, delivery_workflow_id

SECRET = "test-webhook-secret"
MINUTE = timedelta(minutes=1)


class Org:
    """outlet o (officer, supervisor, outlet head) and outlet q (an officer only) under
    sub-branch s (a supervisor), under branch b with its service-management department d."""

    def __init__(self) -> None:
        tag = uuid.uuid4().hex[:8]
        self.branch, self.department = f"b-{tag}", f"d-{tag}"
        self.sub_branch, self.outlet, self.bare_outlet = f"s-{tag}", f"o-{tag}", f"q-{tag}"
        self.officer, self.supervisor = f"officer-{tag}", f"supervisor-{tag}"
        self.head, self.sub_supervisor = f"head-{tag}", f"subsup-{tag}"
        self.csm, self.bare_officer = f"csm-{tag}", f"officer-q-{tag}"

    def email(self, name: str) -> str:
        return f"{name}@bank.example"

    async def load(self, pool: asyncpg.Pool) -> None:
        await put_units(pool, [
            Unit(unit_id=self.branch, kind=UnitKind.BRANCH, name_zh="分行", name_en="Branch"),
            Unit(unit_id=self.department, kind=UnitKind.SERVICE_MANAGEMENT, parent=self.branch,
                 name_zh="消费者权益保护部", name_en="Consumer protection"),
            Unit(unit_id=self.sub_branch, kind=UnitKind.SUB_BRANCH, parent=self.branch,
                 name_zh="支行", name_en="Sub-branch"),
            Unit(unit_id=self.outlet, kind=UnitKind.OUTLET, parent=self.sub_branch,
                 name_zh="网点", name_en="Outlet"),
            Unit(unit_id=self.bare_outlet, kind=UnitKind.OUTLET, parent=self.sub_branch,
                 name_zh="无主管网点", name_en="Outlet without a supervisor"),
        ])
        staff = [(self.officer, Role.CASE_OFFICER, self.outlet),
                 (self.supervisor, Role.SUPERVISOR, self.outlet),
                 (self.head, Role.OUTLET_HEAD, self.outlet),
                 (self.sub_supervisor, Role.SUPERVISOR, self.sub_branch),
                 (self.csm, Role.SUPERVISOR, self.department),
                 (self.bare_officer, Role.CASE_OFFICER, self.bare_outlet)]
        for name, role, unit in staff:
            await put_staff(pool, StaffMember(name=name, role=role, unit=unit,
                                              email=self.email(name)), changed_by="test")


@pytest.fixture
async def smtp() -> AsyncIterator[SmtpServer]:
    server = SmtpServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
async def webhook() -> AsyncIterator[WebhookReceiver]:
    async with webhook_receiver() as receiver:
        yield receiver


@pytest.fixture
async def org(pool: asyncpg.Pool) -> Org:
    org = Org()
    await org.load(pool)
    return org


def settings(smtp: SmtpServer, webhook: WebhookReceiver | None = None, **more: Any) -> Settings:
    hook: dict[str, Any] = {"webhook_url": f"http://127.0.0.1:{webhook.port}/hook",
                            "webhook_secret": SECRET} if webhook else {}
    return Settings.model_validate({"smtp_host": "127.0.0.1", "smtp_port": smtp.port, **hook,
                                    **more})


@pytest.fixture
async def delivering(temporal_env: WorkflowEnvironment, pool: asyncpg.Pool, smtp: SmtpServer,
                     webhook: WebhookReceiver) -> AsyncIterator[ComplaintStack]:
    async with complaint_stack(temporal_env, pool, deliver=True,
                               settings=settings(smtp, webhook)) as stack:
        yield stack


async def delivered(stack: ComplaintStack, pool: asyncpg.Pool, stream_id: str,
                    expected: str = "acknowledgement") -> dict[str, list[DeliveryReport]]:
    """Wait for the `expected` kind to be recorded, then for the delivery of every notification
    of the stream (including the alerts that deliveries raise): the reports, by kind."""

    async def recorded() -> bool:
        async with pool.acquire() as conn:
            return bool(await conn.fetchval(
                "SELECT 1 FROM outbox WHERE stream_id = $1 AND kind = $2", stream_id, expected))

    await until(recorded)
    reports: dict[uuid.UUID, tuple[str, DeliveryReport]] = {}
    while True:
        async with pool.acquire() as conn:
            rows = await conn.fetch("SELECT notification_id, kind FROM outbox"
                                    " WHERE stream_id = $1 ORDER BY position", stream_id)
        pending = [r for r in rows if r["notification_id"] not in reports]
        if not pending:
            break
        for row in pending:
            handle = stack.parts.temporal.get_workflow_handle(
                delivery_workflow_id(row["notification_id"]), result_type=DeliveryReport)
            reports[row["notification_id"]] = (row["kind"], await handle.result())
    by_kind: dict[str, list[DeliveryReport]] = {}
    for kind, report in reports.values():
        by_kind.setdefault(kind, []).append(report)
    return by_kind


async def start_case(stack: ComplaintStack, org: Org, **overrides: Any) -> str:
    now = await stack.now()
    case_id = f"D{uuid.uuid4().hex[:10]}"
    await stack.register(register(at=now, received_at=now, case_id=case_id, outlet=org.outlet,
                                  **overrides))
    return case_id


async def test_a_breach_reaches_the_outlets_supervisors_in_chinese_at_the_breach_instant(
    delivering: ComplaintStack, pool: asyncpg.Pool, org: Org, smtp: SmtpServer,
    webhook: WebhookReceiver,
) -> None:
    stack = delivering
    case_id = await start_case(stack, org)
    assign = c.AssignHandler(actor=org.officer, at=await stack.now(), handler=org.officer)
    await stack.execute(case_id, assign, by=acting_as(assign, org.outlet))
    deadline = (await stack.view(case_id)).state.deadline
    assert deadline is not None
    await stack.env.sleep(deadline.due_at - await stack.now() + timedelta(days=1, hours=1))
    events = {e.type: e for e in await stack.store.read_stream(workflow_id(case_id))}
    breach, escalation = events["deadline_breached"], events["overdue_escalated"]
    reports = await delivered(stack, pool, workflow_id(case_id), "sla_escalation")

    [breach_mail] = [m for m in smtp.mailbox.to(org.email(org.supervisor))
                     if case_id in m["Subject"] and "超过答复期限" in m["Subject"]]
    body = breach_mail.get_content()
    local_due = deadline.due_at.astimezone(stack.parts.zone) - timedelta(days=1)
    assert f"{local_due.year}年{local_due.month}月{local_due.day}日" in body and "当日内" in body
    assert "网点负责人" in body  # escalated to the outlet head, in words
    sent_at = datetime.fromisoformat(breach_mail["Date"].datetime.isoformat())
    assert breach.occurred_at - MINUTE <= sent_at <= breach.occurred_at + MINUTE
    # The handler and the outlet head (the first rung) hear of it too; nobody else.
    for name in (org.officer, org.head):
        assert any("超过答复期限" in m["Subject"] for m in smtp.mailbox.to(org.email(name)))
    assert not smtp.mailbox.to(org.email(org.bare_officer))
    # The next rung: the branch's service-management department.
    [escalated] = [m for m in smtp.mailbox.to(org.email(org.csm))
                   if case_id in m["Subject"]]
    assert "服务管理部门" in escalated.get_content()
    assert escalation.occurred_at - MINUTE <= \
        datetime.fromisoformat(escalated["Date"].datetime.isoformat()) <= \
        escalation.occurred_at + MINUTE
    [breach_report] = reports["sla_breach"]
    assert not breach_report.failures
    # Every staff recipient also has it in their inbox.
    inbox = await records.inbox_of(pool, org.supervisor)
    assert any(m.kind == "sla_breach" and m.stream_id == workflow_id(case_id) for m in inbox)

    # The webhook got the breach once, signed.
    hooks = [(h, b) for h, b in webhook.received if json.loads(b)["kind"] == "sla_breach"
             and json.loads(b)["stream_id"] == workflow_id(case_id)]
    assert len(hooks) == 1
    headers, raw = hooks[0]
    assert headers[SIGNATURE_HEADER.lower()] == webhook_signature(
        SECRET, headers[TIMESTAMP_HEADER.lower()], raw)
    assert headers["idempotency-key"].startswith(str(breach_report.notification_id))
    await stack.execute(case_id, c.Withdraw(actor=org.officer, at=await stack.now(),
                                            reason="test done"),
                        by=acting_as(assign, org.outlet))


async def test_the_client_is_told_by_their_channel_and_the_case_records_it(
    delivering: ComplaintStack, pool: asyncpg.Pool, org: Org, smtp: SmtpServer,
) -> None:
    stack = delivering
    contact = ClientContact(email="client-77@mail.example", mobile="13900000077",
                            preferred="email")
    case_id = await start_case(stack, org, contact=contact)
    reports = await delivered(stack, pool, workflow_id(case_id))
    assert not reports["acknowledgement"][0].failures
    [mail] = smtp.mailbox.to("client-77@mail.example")
    assert case_id in mail["Subject"] and "已受理" in mail["Subject"]
    assert "当日内答复您" in mail.get_content()
    await until(lambda: _notices(stack, case_id, 1))
    [notice] = (await stack.view(case_id)).state.client_notices
    assert notice.delivered and notice.channel == "email" and notice.notice == "acknowledgement"
    # The contact is nowhere in the store: not in the events, the outbox or the deliveries.
    async with pool.acquire() as conn:
        stored = await conn.fetchval(
            "SELECT string_agg(x, ' ') FROM (SELECT data::text AS x FROM events"
            " WHERE stream_id = $1 UNION ALL SELECT facts::text || recipients::text FROM outbox"
            " WHERE stream_id = $1 UNION ALL SELECT d::text FROM deliveries d JOIN outbox o"
            " USING (notification_id) WHERE o.stream_id = $1) parts", workflow_id(case_id))
    assert "client-77@mail.example" not in stored and "13900000077" not in stored


async def test_a_client_without_a_contact_is_recorded_as_not_told_and_supervisors_hear(
    delivering: ComplaintStack, pool: asyncpg.Pool, org: Org,
) -> None:
    stack = delivering
    case_id = await start_case(stack, org)
    reports = await delivered(stack, pool, workflow_id(case_id))
    assert reports["acknowledgement"][0].failures == [
        "client:K1: the bank holds no contact for the client"]
    await until(lambda: _notices(stack, case_id, 1))
    [notice] = (await stack.view(case_id)).state.client_notices
    assert not notice.delivered and "no contact" in (notice.reason or "")
    [alert] = [m for m in await records.inbox_of(pool, org.supervisor)
               if m.kind == "delivery_failed" and m.stream_id == workflow_id(case_id)]
    assert "client:K1" in alert.body and "未送达" in alert.subject


async def test_a_mail_server_down_is_waited_out_and_the_message_delivered_once(
    temporal_env: WorkflowEnvironment, pool: asyncpg.Pool, org: Org, smtp: SmtpServer,
) -> None:
    smtp.stop()
    async with complaint_stack(temporal_env, pool, deliver=True,
                               settings=settings(smtp)) as stack:
        item = staff_notice(org, f"supervisor@{org.outlet}")
        await send(stack, item)

        async def failed_twice() -> bool:
            rows = await records.deliveries_of(pool, item.notification_id)
            return any(r.channel == "email" and r.attempts >= 2 for r in rows)

        await until(failed_twice)
        [down] = [r for r in await records.deliveries_of(pool, item.notification_id)
                  if r.channel == "email"]
        assert down.state == "queued" and "unreachable" in (down.last_error or "")
        smtp.start()
        report = await result_of(stack, item)
    assert not report.failures
    assert len(smtp.mailbox.to(org.email(org.supervisor))) == 1
    [email] = [r for r in await records.deliveries_of(pool, item.notification_id)
               if r.channel == "email"]
    assert email.state == "delivered" and email.attempts >= 3


async def test_a_refused_address_ends_failed_and_alerts_a_supervisor(
    temporal_env: WorkflowEnvironment, pool: asyncpg.Pool, org: Org, smtp: SmtpServer,
) -> None:
    smtp.mailbox.refuse.add(org.email(org.officer))
    async with complaint_stack(temporal_env, pool, deliver=True,
                               settings=settings(smtp)) as stack:
        item = staff_notice(org, org.officer)
        await send(stack, item)
        report = await result_of(stack, item)
        [failure] = report.failures
        assert failure.startswith(f"{org.officer} (email): SMTP refused the recipient (550)")
        rows = {r.channel: r for r in await records.deliveries_of(pool, item.notification_id)}
        assert rows["email"].state == "failed" and rows["email"].attempts == 1
        assert rows["inbox"].state == "delivered"  # the officer still has it in the inbox
        assert org.email(org.officer) not in (rows["email"].last_error or "")

        async def alerted() -> bool:
            mailed = [m for m in smtp.mailbox.to(org.email(org.supervisor))
                      if "未送达" in m["Subject"]]
            return bool(mailed) and await failure_alerted(pool, org.supervisor, item)

        await until(alerted)
    [mail] = [m for m in smtp.mailbox.to(org.email(org.supervisor)) if "未送达" in m["Subject"]]
    assert org.officer in mail.get_content()


async def test_a_5xx_after_the_message_fails_it_and_a_4xx_is_retried_into_one_mail(
    temporal_env: WorkflowEnvironment, pool: asyncpg.Pool, org: Org, smtp: SmtpServer,
) -> None:
    """The SMTP server refuses the message itself (554 after DATA): failed at once, alerted.
    It asks to try later (451) twice: retried, and the mail arrives once."""
    smtp.mailbox.reject_content.add(org.email(org.officer))
    smtp.mailbox.defer[org.email(org.head)] = 2
    before = {outcome: email_figure(outcome) for outcome in ("failed", "attempt_failed",
                                                             "delivered")}
    async with complaint_stack(temporal_env, pool, deliver=True,
                               settings=settings(smtp)) as stack:
        rejected, deferred = staff_notice(org, org.officer), staff_notice(org, org.head)
        for item in (rejected, deferred):
            await send(stack, item)
        refused, waited = await result_of(stack, rejected), await result_of(stack, deferred)

        await until(partial(failure_alerted, pool, org.supervisor, rejected))
    assert refused.failures == [f"{org.officer} (email): SMTP 554: 5.6.0 message content rejected"]
    rows = {r.channel: r for r in await records.deliveries_of(pool, rejected.notification_id)}
    assert rows["email"].state == "failed" and rows["email"].attempts == 1
    assert not smtp.mailbox.to(org.email(org.officer))
    assert not waited.failures
    [mail] = smtp.mailbox.to(org.email(org.head))
    assert mail["X-Caseflow-Delivery"].startswith(str(deferred.notification_id))
    rows = {r.channel: r for r in await records.deliveries_of(pool, deferred.notification_id)}
    assert rows["email"].state == "delivered" and rows["email"].attempts == 3
    assert smtp.mailbox.defer[org.email(org.head)] == 0
    # /metrics counts it by channel and outcome: one failed for good, two attempts waited out,
    # and at least the deferred one delivered (the supervisors' alert mail is delivered too).
    assert email_figure("failed") - before["failed"] == 1
    assert email_figure("attempt_failed") - before["attempt_failed"] == 2
    assert email_figure("delivered") - before["delivered"] >= 1


async def test_mail_goes_over_starttls_with_a_login_and_a_wrong_password_fails_alerting(
    temporal_env: WorkflowEnvironment, pool: asyncpg.Pool, org: Org, tmp_path: Path,
) -> None:
    """The bank's mail server requires STARTTLS (its certificate signed by the bank's own CA)
    and a login: caseflow checks the certificate against the configured CA and logs in."""
    tls, ca_file = self_signed_tls(tmp_path)
    secure = SmtpServer(tls=tls, logins={"caseflow": "s3cret-口令"})
    secure.start()
    try:
        for password in ("s3cret-口令", "wrong"):
            async with complaint_stack(temporal_env, pool, deliver=True, settings=settings(
                    secure, smtp_starttls=True, smtp_ca_file=ca_file,
                    smtp_username="caseflow", smtp_password=password)) as stack:
                item = staff_notice(org, org.officer)
                await send(stack, item)
                report = await result_of(stack, item)
                if password == "wrong":
                    await until(partial(failure_alerted, pool, org.supervisor, item))
            rows = {r.channel: r for r in await records.deliveries_of(pool, item.notification_id)}
            if password == "wrong":
                assert report.failures == [f"{org.officer} (email): SMTP 535: 5.7.8 "
                                           "Authentication credentials invalid"]
                assert rows["email"].state == "failed" and rows["email"].attempts == 1
                assert "wrong" not in (rows["email"].last_error or "")
            else:
                assert not report.failures and rows["email"].state == "delivered"
                delivered_id = item.notification_id
        # Without the bank's CA the server's certificate is not trusted: nothing is sent.
        untrusting = EmailChannel(SmtpSettings(host="127.0.0.1", port=secure.port,
                                               starttls=True, username="caseflow",
                                               password="s3cret-口令"))
        with pytest.raises(TransientDeliveryError, match="SSLCertVerificationError"):
            await untrusting.send(org.email(org.head), Outgoing(
                key="untrusted", subject="x", body="x", sent_at=datetime.now(UTC)))
    finally:
        secure.stop()
    [mail] = secure.mailbox.to(org.email(org.officer))
    assert secure.mailbox.sessions == [(True, "caseflow")]
    assert mail["X-Caseflow-Delivery"].startswith(str(delivered_id))


async def test_a_webhook_answering_503_is_retried_into_one_delivery_and_a_400_fails_it(
    temporal_env: WorkflowEnvironment, pool: asyncpg.Pool, org: Org, smtp: SmtpServer,
    webhook: WebhookReceiver,
) -> None:
    """Each attempt carries the same Idempotency-Key, so the bank's receiver takes the message
    once however often it is sent."""
    async with complaint_stack(temporal_env, pool, deliver=True,
                               settings=settings(smtp, webhook)) as stack:
        webhook.answers[:] = [503, 503]
        busy = staff_notice(org, org.officer)
        await send(stack, busy)
        waited = await result_of(stack, busy)
        webhook.answers[:] = [400]
        refused = staff_notice(org, org.officer)
        await send(stack, refused)
        failed = await result_of(stack, refused)
        await until(partial(failure_alerted, pool, org.supervisor, refused))

    def posts(item: NotifyItem) -> list[str]:
        """The keys of the POSTs of this notification (its failure alert has its own)."""
        return [key for headers, _ in webhook.received
                if (key := headers["idempotency-key"]).startswith(str(item.notification_id))]

    assert not waited.failures
    keys = posts(busy)
    assert len(keys) == 3 and len(set(keys)) == 1  # two 503s, then taken: one key throughout
    [hook] = [r for r in await records.deliveries_of(pool, busy.notification_id)
              if r.channel == "webhook"]
    assert hook.state == "delivered" and hook.attempts == 3
    assert failed.failures == ["webhook (webhook): webhook answered 400"]
    assert len(posts(refused)) == 1  # a 400 is not tried again
    alerts = [json.loads(body) for _, body in webhook.received
              if json.loads(body)["kind"] == "delivery_failed"]
    assert [a["stream_id"] for a in alerts] == [refused.notification.stream_id]
    [hook] = [r for r in await records.deliveries_of(pool, refused.notification_id)
              if r.channel == "webhook"]
    assert hook.state == "failed" and hook.attempts == 1


async def test_the_banks_channel_policy_decides_which_kinds_go_where(
    temporal_env: WorkflowEnvironment, pool: asyncpg.Pool, org: Org, smtp: SmtpServer,
    webhook: WebhookReceiver, tmp_path: Path,
) -> None:
    """The bank's file: escalations by e-mail only and to the webhook, everything else to the
    inbox only; a file naming a channel caseflow has not is refused at start."""
    policy = tmp_path / "channels.json"
    policy.write_text(json.dumps({"staff": {"*": ["inbox"], "escalation": ["email"]},
                                  "webhook": ["escalation"]}), "utf-8")
    async with complaint_stack(temporal_env, pool, deliver=True, settings=settings(
            smtp, webhook, channel_policy=policy)) as stack:
        escalation = staff_notice(org, org.officer)
        warning = staff_notice(org, org.officer, kind="sla_warning")
        for item in (escalation, warning):
            await send(stack, item)
            assert not (await result_of(stack, item)).failures
    channels = {item.notification.kind: {r.channel for r in await records.deliveries_of(
        pool, item.notification_id)} for item in (escalation, warning)}
    assert channels == {"escalation": {"email", "webhook"}, "sla_warning": {"inbox"}}
    assert [m["Subject"] for m in smtp.mailbox.to(org.email(org.officer))] == [
        m["Subject"] for m in smtp.mailbox.messages]  # the escalation's one mail, no other
    assert len(smtp.mailbox.messages) == 1
    inbox = {m.notification_id for m in await records.inbox_of(pool, org.officer)}
    assert warning.notification_id in inbox and escalation.notification_id not in inbox
    assert [json.loads(body)["kind"] for _, body in webhook.received] == ["escalation"]

    policy.write_text(json.dumps({"staff": {"*": ["pager"]}}), "utf-8")
    with pytest.raises(ValidationError, match="pager"):
        bootstrap(settings(smtp, channel_policy=policy), stack.parts.temporal, pool)


async def test_a_unit_without_a_supervisor_falls_back_one_unit_up_and_says_so(
    temporal_env: WorkflowEnvironment, pool: asyncpg.Pool, org: Org, smtp: SmtpServer,
) -> None:
    async with complaint_stack(temporal_env, pool, deliver=True,
                               settings=settings(smtp)) as stack:
        item = staff_notice(org, f"supervisor@{org.bare_outlet}", unit=org.bare_outlet)
        await send(stack, item)
        report = await result_of(stack, item)
    assert not report.failures
    assert len(smtp.mailbox.to(org.email(org.sub_supervisor))) == 1
    rows = await records.deliveries_of(pool, item.notification_id)
    assert {r.recipient for r in rows} == {org.sub_supervisor}
    assert all(r.route == f"nobody holds supervisor at {org.bare_outlet}: sent to "
               f"{org.sub_branch}" for r in rows)


async def test_bad_addresses_and_a_broken_template_are_recorded_not_lost(
    temporal_env: WorkflowEnvironment, pool: asyncpg.Pool, org: Org, smtp: SmtpServer,
    tmp_path: Path,
) -> None:
    (tmp_path / "zh").mkdir()
    (tmp_path / "zh" / "sla_warning.txt").write_text("{{ case_id ", "utf-8")  # malformed
    await put_staff(pool, StaffMember(name=f"nomail-{org.outlet}", role=Role.CASE_OFFICER,
                                      unit=org.outlet), changed_by="test")
    async with complaint_stack(temporal_env, pool, deliver=True,
                               settings=settings(smtp, message_templates=tmp_path)) as stack:
        unknown = staff_notice(org, "supervisor@no-such-unit", "nobody@outlet-x",
                               "treasurer@" + org.outlet, f"nomail-{org.outlet}")
        broken = staff_notice(org, org.officer, kind="sla_warning")
        for item in (unknown, broken):
            await send(stack, item)
        first, second = await result_of(stack, unknown), await result_of(stack, broken)
        # The supervisors hear of each notification that failed, once, by inbox and e-mail.
        failed_streams = sorted([unknown.notification.stream_id, broken.notification.stream_id])

        async def alerted() -> bool:
            found = sorted(m.stream_id for m in await records.inbox_of(pool, org.supervisor,
                                                                          limit=200)
                           if m.kind == "delivery_failed")
            return found == failed_streams and len(smtp.mailbox.messages) >= 2

        await until(alerted)
    assert first.failures == [
        "supervisor@no-such-unit: unknown unit 'no-such-unit'",
        "nobody@outlet-x: 'nobody@outlet-x': 'nobody' is no role or department of the bank",
        f"treasurer@{org.outlet}: 'treasurer@{org.outlet}': 'treasurer' is no role or "
        "department of the bank"]
    nomail = {o.channel.value: o for o in first.outcomes if o.recipient == f"nomail-{org.outlet}"}
    assert nomail["inbox"].delivered and nomail["email"].skipped
    assert nomail["email"].reason == "no e-mail address on record"
    assert len(second.failures) == 2  # inbox and e-mail: neither can be made
    assert all("template zh/sla_warning.txt: TemplateSyntaxError" in f for f in second.failures)
    rows = await records.deliveries_of(pool, broken.notification_id)
    assert {r.state for r in rows} == {"failed"}
    # Nothing lost, nothing twice: the one reachable person has it once, and the only mails are
    # the two alerts.
    assert [m.notification_id for m in await records.inbox_of(pool, f"nomail-{org.outlet}")] \
        == [unknown.notification_id]
    assert [m["To"] for m in smtp.mailbox.messages] == [org.email(org.supervisor)] * 2
    assert all("未送达" in m["Subject"] for m in smtp.mailbox.messages)


def email_figure(outcome: str) -> float:
    return REGISTRY.get_sample_value("caseflow_notifications_total",
                                     {"channel": "email", "outcome": outcome}) or 0.0


def staff_notice(org: Org, *to: str, kind: str = "escalation", unit: str | None = None
                 ) -> NotifyItem:
    facts = {"case_id": "X1", "reason": "beyond_authority", "details": "需要协助"}
    if kind == "sla_warning":
        facts = {"case_id": "X1", "due_at": "2026-12-10T00:00:00+08:00"}
    return NotifyItem(notification_id=uuid.uuid4(), notification=Notification(
        kind=kind, stream_id=f"complaint-X-{uuid.uuid4().hex[:6]}", recipients=to,
        facts=facts, unit=unit or org.outlet))


async def send(stack: ComplaintStack, item: NotifyItem) -> None:
    """As a step's append does: the notification stored, then handed to delivery."""
    await stack.store.queue_notifications([item])
    await stack.parts.dispatcher.dispatch([item])


async def failure_alerted(pool: asyncpg.Pool, supervisor: str, item: NotifyItem) -> bool:
    """The supervisor has the `delivery_failed` alert about the notification's stream."""
    return any(m.kind == "delivery_failed" and m.stream_id == item.notification.stream_id
               for m in await records.inbox_of(pool, supervisor))


async def result_of(stack: ComplaintStack, item: NotifyItem) -> DeliveryReport:
    handle = stack.parts.temporal.get_workflow_handle(
        delivery_workflow_id(item.notification_id), result_type=DeliveryReport)
    report: DeliveryReport = await handle.result()
    return report


async def _notices(stack: ComplaintStack, case_id: str, count: int) -> bool:
    return len((await stack.view(case_id)).state.client_notices) >= count
