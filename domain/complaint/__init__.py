"""The complaint case: commands, events, state and the Decider (seed 001 slides 58–62, seed 004)."""

from domain.complaint.decider import SLA_CLOCK, Alarm, Rules, decide, next_alarm
from domain.complaint.events import EVENT_ADAPTER, EVENT_TYPES, ComplaintEvent
from domain.complaint.state import ComplaintState, evolve, fold, initial_state

__all__ = [
    "EVENT_ADAPTER",
    "EVENT_TYPES",
    "SLA_CLOCK",
    "Alarm",
    "ComplaintEvent",
    "ComplaintState",
    "Rules",
    "decide",
    "evolve",
    "fold",
    "initial_state",
    "next_alarm",
]
