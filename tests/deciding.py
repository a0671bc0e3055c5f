"""Given / when / then for any Decider (both aggregates use it): given the commands (or events)
so far, when a command comes, then these events (or this rule refused it)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from domain.decider import Decider

C = TypeVar("C")
E = TypeVar("E")
S = TypeVar("S")
X = TypeVar("X")


@dataclass(frozen=True)
class Spec(Generic[C, E, S, X]):
    decider: Decider[C, E, S, X]
    context: X

    def given(self, *commands: C) -> S:
        """The state after each command was decided and its events applied, in order."""
        state = self.decider.initial_state
        for command in commands:
            state = self.decider.fold(self.decider.decide(state, command, self.context), state)
        return state

    def given_events(self, *events: E) -> S:
        return self.decider.fold(events)

    def when(self, state: S, command: C) -> list[E]:
        return list(self.decider.decide(state, command, self.context))

    def then_types(self, state: S, command: C) -> list[str]:
        """The types of the events the command causes (each event has a `type`)."""
        return [_type(e) for e in self.when(state, command)]


def _type(event: Any) -> str:
    kind: str = event.type
    return kind


def types(events: Sequence[Any]) -> list[str]:
    return [_type(e) for e in events]
