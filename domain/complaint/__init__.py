"""The complaint case: commands, events, state and the Decider (seed 001 slides 58–62, seed 004)."""

from domain.complaint.commands import Command
from domain.complaint.decider import (
    Alarm,
    Rules,
    adopting,
    binding_deadline,
    decide,
    has_work_left,
    next_alarm,
)
from domain.complaint.events import EVENT_ADAPTER, EVENT_TYPES, ComplaintEvent
from domain.complaint.state import ComplaintState, evolve, fold, initial_state
from domain.decider import Decider

COMPLAINT: Decider[Command, ComplaintEvent, ComplaintState, Rules] = Decider(
    decide=decide, evolve=evolve, initial_state=initial_state())
"""The complaint case as one Decider value."""

__all__ = [
    "COMPLAINT",
    "EVENT_ADAPTER",
    "EVENT_TYPES",
    "Alarm",
    "ComplaintEvent",
    "ComplaintState",
    "Rules",
    "adopting",
    "binding_deadline",
    "decide",
    "evolve",
    "fold",
    "has_work_left",
    "initial_state",
    "next_alarm",
]
