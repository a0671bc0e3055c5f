"""The client relationship: identify → contact → serve → maintain (seed 001, seeds 002–004)."""

from domain.client.clock import next_contact_due
from domain.client.commands import ClientCommand
from domain.client.decider import assess, churn_risk, decide
from domain.client.events import EVENT_ADAPTER, EVENT_TYPES, ClientEvent
from domain.client.policy import ClientPolicy
from domain.client.state import ClientState, evolve, fold, initial_state
from domain.decider import Decider

CLIENT: Decider[ClientCommand, ClientEvent, ClientState, ClientPolicy] = Decider(
    decide=decide, evolve=evolve, initial_state=initial_state())
"""The client relationship as one Decider value."""

__all__ = ["CLIENT", "EVENT_ADAPTER", "EVENT_TYPES", "ClientEvent", "ClientPolicy", "ClientState",
           "assess", "churn_risk", "decide", "evolve", "fold", "initial_state",
           "next_contact_due"]
