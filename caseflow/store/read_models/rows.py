"""One row per stream, upserted from the summary the workflow sends with its append: the shape
both read models share (the complaint worklist, the managers' client list)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Generic, TypeVar

import asyncpg
from pydantic import BaseModel

from caseflow.store.records import RecordedEvent

Summary = TypeVar("Summary", bound=BaseModel)


def _column(value: Any) -> Any:
    """A list of models goes to a jsonb column as plain JSON."""
    if isinstance(value, list):
        return [v.model_dump(mode="json") if isinstance(v, BaseModel) else v for v in value]
    return value


class RowTable(Generic[Summary]):
    """`table`'s columns are the summary's fields (one of them `version`); `key` is its primary
    key."""

    def __init__(self, table: str, key: str, summary: type[Summary]) -> None:
        self.summary = summary
        self._columns = list(summary.model_fields)
        self._upsert = (
            f"INSERT INTO {table} ({', '.join(self._columns)}) "
            f"VALUES ({', '.join(f'${i}' for i in range(1, len(self._columns) + 1))}) "
            f"ON CONFLICT ({key}) DO UPDATE SET "
            + ", ".join(f"{c} = EXCLUDED.{c}" for c in self._columns if c != key))

    async def write(self, conn: asyncpg.Connection, summary: Summary) -> None:
        await conn.execute(self._upsert, *(_column(getattr(summary, c)) for c in self._columns))

    async def project(self, conn: asyncpg.Connection, recorded: Sequence[RecordedEvent],
                      read_model: dict[str, Any]) -> None:
        """The row sent with an append, checked against the stream it is written with."""
        summary = self.summary.model_validate(read_model)
        version: int = summary.version  # type: ignore[attr-defined]  # every summary has one
        if version != recorded[-1].version:
            raise ValueError(f"{self.summary.__name__} at version {version} does not match "
                             f"the stream at version {recorded[-1].version}")
        await self.write(conn, summary)
