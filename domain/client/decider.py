"""`decide` for the client relationship, the tier assessment, and when the next contact is due."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any, assert_never

from domain.client.clock import due_now
from domain.client.commands import (
    ClientCommand,
    ClockTick,
    Identify,
    LinkComplaint,
    LogContact,
    OpenAccount,
    Reassess,
    ReassignManager,
    RecordAccountEvent,
    RecordContactAttempt,
    RecordMeeting,
    RecordRetention,
    RecordSale,
    RecordSurvey,
    RequestAccountClosure,
    SetContactPreference,
    WinBack,
)
from domain.client.events import (
    AccountClosed,
    AccountEventRecorded,
    AccountOpened,
    ClientEvent,
    ClientIdentified,
    ClientLost,
    ClosureRequested,
    ComplaintLinked,
    ContactAttempted,
    ContactLogged,
    FollowUpAbandoned,
    FollowUpPlanned,
    ManagerAssigned,
    MeetingHeld,
    PreferenceSet,
    RetentionAttempted,
    SaleRecorded,
    StageChanged,
    SurveyRecorded,
    TierReassessed,
    WinBackStarted,
)
from domain.client.model import (
    AccountEventKind,
    Assessment,
    ContactChannel,
    ContactOutcome,
    ContactPreference,
    ReferralStatus,
    Stage,
)
from domain.client.policy import ClientPolicy
from domain.client.state import ClientState
from domain.errors import IllegalStepError, RuleViolationError
from domain.tier import ClientTier

_ACTIVE = (Stage.CONTACT, Stage.SERVE, Stage.MAINTAIN, Stage.NORMAL_CHANNELS)


def assess(assessment: Assessment, policy: ClientPolicy) -> tuple[ClientTier, Decimal]:
    w, t = policy.weights, policy.thresholds
    score = (assessment.deposits_10k * w.deposits_per_10k + assessment.loans_10k * w.loans_per_10k
             + assessment.intermediary_products * w.intermediary_products
             + assessment.family * w.family + assessment.occupation * w.occupation
             + assessment.social_standing * w.social_standing)
    if assessment.main_bank_elsewhere and score >= t.ordinary_premium:
        return ClientTier.PREMIUM_TO_BE_WON, score
    if score >= t.core_premium:
        return ClientTier.CORE_PREMIUM, score
    if score >= t.ordinary_premium:
        return ClientTier.ORDINARY_PREMIUM, score
    if score >= t.potential:
        return ClientTier.POTENTIAL, score
    return ClientTier.ORDINARY, score


def stage_for(tier: ClientTier) -> Stage:
    if tier.is_premium:
        return Stage.MAINTAIN
    if tier in (ClientTier.POTENTIAL, ClientTier.PREMIUM_TO_BE_WON):
        return Stage.CONTACT
    return Stage.NORMAL_CHANNELS


def decide(
    state: ClientState, command: ClientCommand, policy: ClientPolicy
) -> list[ClientEvent]:
    base = {"actor": command.actor, "at": command.at}
    if not isinstance(command, Identify) and state.stage == Stage.NEW:
        raise IllegalStepError("identify the client first")
    if state.stage == Stage.LOST and not isinstance(command, LinkComplaint | WinBack):
        raise IllegalStepError("the client was lost: put them on a new follow-up plan "
                               "(win back) first" if policy.win_back else
                               "the client was lost: the relationship takes no more steps")
    match command:
        case Identify():
            if state.stage != Stage.NEW:
                raise IllegalStepError(f"client {state.client_id} is already identified")
            if command.referral_status is not None and command.referred_by is None:
                raise RuleViolationError("a referral status needs who referred the client",
                                         rule="referral_needs_referrer")
            tier, score = assess(command.assessment, policy)
            stage = stage_for(tier)
            held = command.assessment
            products = held.intermediary_products + (held.deposits_10k > 0) + (held.loans_10k > 0)
            events: list[ClientEvent] = [ClientIdentified(
                **base, client_id=command.client_id, tier=tier, score=score, stage=stage,
                products_held=products, referred_by=command.referred_by,
                policy_version=policy.version, outlet=command.outlet, birthday=command.birthday,
                referral_status=command.referral_status or (
                    ReferralStatus.REFERRED if command.referred_by else None))]
            if stage == Stage.CONTACT:
                events.append(_plan(command.at, policy, base))
            manager = command.manager or (
                command.actor if policy.manager_at_identification == "identifier" else None)
            if tier.is_premium and manager is not None and policy.premium_served_to_maintain:
                events.append(ManagerAssigned(**base, manager=manager, previous_manager=None,
                                              reason="identification"))
            return events

        case RecordContactAttempt():
            if state.stage != Stage.CONTACT or state.follow_up_abandoned:
                raise IllegalStepError("there is no follow-up plan running for this client")
            if state.meeting_agreed:
                raise IllegalStepError("a meeting is agreed: record the meeting")
            _respect_preference(state, command.channel, policy)
            agreed = command.outcome == ContactOutcome.MEETING_AGREED
            if agreed and policy.meeting_reminder_hours is not None:
                if command.meeting_at is None or command.meeting_place is None:
                    raise RuleViolationError("an agreed meeting has a date and a place "
                                             "(meeting_at, meeting_place)",
                                             rule="meeting_needs_date")
                if command.meeting_at <= command.at:
                    raise RuleViolationError("the agreed meeting must be in the future",
                                             rule="meeting_needs_date")
            meeting = {"meeting_at": command.meeting_at, "meeting_place": command.meeting_place
                       } if agreed and policy.meeting_reminder_hours is not None else {}
            attempt = ContactAttempted(**base, attempt=state.attempts + 1,
                                       channel=command.channel, outcome=command.outcome,
                                       next_step=command.next_step, **meeting)
            failed = command.outcome != ContactOutcome.MEETING_AGREED
            if failed and state.attempts + 1 >= len(state.follow_up_due):
                reason = f"{state.attempts + 1} attempts without an agreed meeting"
                abandoned: list[ClientEvent] = [attempt,
                                                FollowUpAbandoned(**base, reason=reason)]
                if policy.win_back and state.tier is not None and state.tier.is_premium:
                    # (a premium client follows a plan only to be won back: they stay lost)
                    return [*abandoned, ClientLost(**base, reason=f"not won back: {reason}"),
                            StageChanged(**base, stage=Stage.LOST)]
                return [*abandoned, StageChanged(**base, stage=Stage.NORMAL_CHANNELS)]
            return [attempt]

        case RecordMeeting():
            if state.stage == Stage.CONTACT and not state.meeting_agreed:
                raise IllegalStepError("no meeting was agreed with this client")
            if state.stage == Stage.NORMAL_CHANNELS:
                raise IllegalStepError("the client is served through normal channels")
            if not command.deal and not command.no_deal_reason:
                raise RuleViolationError("no deal: record the reason")
            if command.next_contact_at <= command.at:
                raise RuleViolationError("the agreed next contact must be in the future")
            return [MeetingHeld(**base, needs=command.needs, proposals=command.proposals,
                                deal=command.deal, no_deal_reason=command.no_deal_reason,
                                next_contact_at=command.next_contact_at)]

        case RecordSale():
            events = [SaleRecorded(**base, product=command.product)]
            if state.manager is None:  # the first sale decides who owns the relationship
                events.append(ManagerAssigned(**base, manager=command.actor,
                                              previous_manager=None, reason="first sale"))
            return events + _served(state, policy, base)

        case ReassignManager():
            if state.manager is None and not policy.premium_served_to_maintain:
                raise IllegalStepError("the client has no manager yet (the first sale decides)")
            if command.manager == state.manager:
                raise IllegalStepError(f"{command.manager} already manages this client")
            return [ManagerAssigned(**base, manager=command.manager,
                                    previous_manager=state.manager, reason=command.reason)]

        case OpenAccount():
            if command.account in state.accounts:
                raise RuleViolationError(f"account {command.account} is already open",
                                         rule="account_already_open")
            opened: list[ClientEvent] = [AccountOpened(**base, account=command.account)]
            return opened + _served(state, policy, base)

        case RequestAccountClosure():
            if state.closing_account is not None:
                raise IllegalStepError("a closure is already being handled")
            if state.products == 0:
                raise RuleViolationError("the client holds no account or product with us")
            if state.tier is not None and state.tier.is_premium:
                return [ClosureRequested(**base, account=command.account,
                                         retention_by=state.manager or "outlet_head")]
            return [ClosureRequested(**base, account=command.account, retention_by="none"),
                    AccountClosed(**base, account=command.account)]

        case RecordRetention():
            if state.closing_account is None or state.retention_by in (None, "none"):
                raise IllegalStepError("no retention attempt is pending")
            level = "manager" if state.retention_failures == 0 else "outlet_head"
            retention = RetentionAttempted(**base, level=level, retained=command.retained,
                                           note=command.note)
            if command.retained or level == "manager":
                return [retention]
            assert state.closing_account is not None
            return [retention, AccountClosed(**base, account=state.closing_account),
                    ClientLost(**base, reason="retention failed at the outlet head"),
                    StageChanged(**base, stage=Stage.LOST)]

        case LogContact():
            _respect_preference(state, command.channel, policy)
            return [ContactLogged(**base, channel=command.channel, summary=command.summary)]

        case SetContactPreference():
            if command.preference == state.preference:
                raise IllegalStepError(f"the preference is already {command.preference.value}")
            return [PreferenceSet(**base, preference=command.preference)]

        case Reassess():
            assert state.tier is not None
            tier, score = assess(command.assessment, policy)
            events = [TierReassessed(**base, tier=tier, previous_tier=state.tier, score=score,
                                     policy_version=policy.version)]
            promoted = (Stage.CONTACT, Stage.NORMAL_CHANNELS, Stage.SERVE) \
                if policy.premium_served_to_maintain else (Stage.CONTACT, Stage.NORMAL_CHANNELS)
            if tier.is_premium and state.stage in promoted:
                events.append(StageChanged(**base, stage=Stage.MAINTAIN))
            elif not tier.is_premium and state.stage == Stage.MAINTAIN:
                events.append(StageChanged(**base, stage=Stage.NORMAL_CHANNELS))
            return events

        case LinkComplaint():
            return [ComplaintLinked(**base, case_id=command.case_id, change=command.change)]

        case RecordAccountEvent():
            return _account_event(state, command, policy)

        case RecordSurvey():
            if state.survey_due_at is None:
                raise RuleViolationError("no satisfaction survey is due for this client",
                                         rule="no_survey_due")
            return [SurveyRecorded(**base, due_at=state.survey_due_at, score=command.score,
                                   remarks=command.remarks, tier=state.tier)]

        case WinBack():
            if not policy.win_back or state.stage != Stage.LOST:
                raise IllegalStepError("only a lost client is won back")
            return [WinBackStarted(**base, reason=command.reason), _plan(command.at, policy, base),
                    StageChanged(**base, stage=Stage.CONTACT)]

        case ClockTick():
            events = due_now(state, policy, command.at, command.actor)
            if not events:
                raise IllegalStepError("nothing is due on the client's clock")
            return events
        case _:
            assert_never(command)


def churn_risk(state: ClientState, policy: ClientPolicy) -> int:
    return policy.churn_risk(state.products, len(state.open_complaints),
                             len(state.breached_complaints), state.large_outflows)


def _account_event(state: ClientState, command: RecordAccountEvent, policy: ClientPolicy
                   ) -> list[ClientEvent]:
    """What the documents ask of each core-banking event: a prompt contact for the manager (a
    large transaction or outflow, a balance across a tier threshold), a contact the policy's
    lead time before a maturity, a retention attempt on a closure; an outflow raises the churn
    risk."""
    if command.event_id in state.account_events:
        raise IllegalStepError(f"account event {command.event_id} is already applied",
                               rule="already_applied")
    kind = command.event
    base = {"actor": command.actor, "at": command.at}
    due: datetime | None = command.at
    maturity_contact: datetime | None = None
    if kind in (AccountEventKind.LARGE_TRANSACTION, AccountEventKind.LARGE_OUTFLOW):
        if command.amount is None or command.amount < policy.large_transaction_yuan:
            raise RuleViolationError(
                f"a {kind.value.replace('_', ' ')} is from {policy.large_transaction_yuan} "
                "yuan", rule="below_threshold")
    elif kind == AccountEventKind.MATURITY:
        if command.matures_on is None:
            raise RuleViolationError("a maturity names its day (matures_on)",
                                     rule="account_event_incomplete")
        lead = policy.care.reminder_at(command.matures_on, policy.maturity_lead_days)
        if policy.separate_tasks:  # its own task: the next contact stays as it is
            if command.matures_on < command.at.astimezone(lead.tzinfo).date():
                raise RuleViolationError(f"the product matured on {command.matures_on}: "
                                         "there is nothing left to contact the client about",
                                         rule="already_matured")
            due, maturity_contact = None, max(lead, command.at)
        else:
            due = max(lead, command.at)
    elif kind == AccountEventKind.BALANCE_CHANGE and command.direction is None:
        raise RuleViolationError("a balance change says its direction (up or down)",
                                 rule="account_event_incomplete")
    recorded = AccountEventRecorded(
        **base, event_id=command.event_id, event=kind, amount=command.amount,
        account=command.account, product=command.product, matures_on=command.matures_on,
        direction=command.direction, maturity_contact_at=maturity_contact,
        contact_due_at=None if kind == AccountEventKind.ACCOUNT_CLOSURE else due)
    if kind != AccountEventKind.ACCOUNT_CLOSURE:
        return [recorded]
    if command.account is None:
        raise RuleViolationError("a closure names its account", rule="account_event_incomplete")
    closure = RequestAccountClosure(actor=command.actor, at=command.at,
                                    account=command.account)
    return [recorded, *decide(state, closure, policy)]


def _plan(start: datetime, policy: ClientPolicy, base: dict[str, object]) -> FollowUpPlanned:
    dates = tuple(start.date() + timedelta(days=policy.follow_up_interval_days * k)
                  for k in range(policy.follow_up_attempts))
    return FollowUpPlanned(**base, due_dates=dates)


def _served(state: ClientState, policy: ClientPolicy, base: dict[str, Any]
            ) -> list[ClientEvent]:
    """A first sale or account opening moves the client to serve, and a premium client on
    through it to maintain (the tier's cadence, reviews and care)."""
    stages: list[Stage] = []
    if state.stage in (Stage.CONTACT, Stage.NORMAL_CHANNELS):
        stages.append(Stage.SERVE)
    premium = state.tier is not None and state.tier.is_premium
    if policy.premium_served_to_maintain and premium and state.stage != Stage.MAINTAIN:
        stages.append(Stage.MAINTAIN)
    return [StageChanged(**base, stage=stage) for stage in stages]


def _respect_preference(state: ClientState, channel: ContactChannel, policy: ClientPolicy
                        ) -> None:
    if state.preference == ContactPreference.DO_NOT_DISTURB and \
            channel in policy.do_not_disturb_blocks:
        raise RuleViolationError(f"the client asked not to be disturbed: no {channel.value} "
                                 "contact", rule="do_not_disturb")
