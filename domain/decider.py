"""The Decider (Jérémie Chassaing's pattern, as in Emmett): an aggregate's `decide`, `evolve` and
`initial_state` as one value, with the same shape for complaints and clients. `decide` also
consults what the case runs under (the complaint's rules, the client's policy): `Context`."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

Command = TypeVar("Command")
Event = TypeVar("Event")
State = TypeVar("State")
Context = TypeVar("Context")


@dataclass(frozen=True)
class Decider(Generic[Command, Event, State, Context]):
    decide: Callable[[State, Command, Context], Sequence[Event]]
    """The events a command causes in a state, or a DomainError naming the rule it breaks."""
    evolve: Callable[[State, Event], State]
    initial_state: State

    def fold(self, events: Iterable[Event], state: State | None = None) -> State:
        current = self.initial_state if state is None else state
        for event in events:
            current = self.evolve(current, event)
        return current
