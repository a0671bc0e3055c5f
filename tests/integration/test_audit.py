"""Auditors: replay as of a moment, verify the record against tampering and against Temporal's
history, export and re-verify without caseflow."""

from __future__ import annotations

import asyncio
import json
import sys
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import asyncpg
import pytest

from caseflow.audit.export import export_html, export_json
from caseflow.audit.replay import complaint_as_of
from caseflow.audit.verify import verify_streams
from caseflow.store import NewEvent
from domain.complaint import commands as c
from domain.complaint.model import ExtensionStatus, Status
from tests.complaint_fixtures import register
from tests.complaint_stack import ComplaintStack
from workflows.complaint_messages import ComplaintView, workflow_id

VERIFY_SCRIPT = Path(__file__).parents[2] / "tools" / "verify_export.py"


async def step(stack: ComplaintStack, case_id: str, kind: type, **fields: object) -> ComplaintView:
    actor = str(fields.pop("actor", "officer-1"))
    return await stack.execute(case_id, kind(actor=actor, at=await stack.now(), **fields))


async def closed_case(stack: ComplaintStack) -> str:
    """A short case, closed: 6 events in 2 appends (the registration's four: the case, its
    deadline, the regulator's clock, the acknowledgement)."""
    now = await stack.now()
    case_id = f"A-{uuid.uuid4().hex[:10]}"
    await stack.register(register(at=now, received_at=now, case_id=case_id))
    await step(stack, case_id, c.ResolveOnSpot, resolution="explained")
    await stack.env.client.get_workflow_handle(workflow_id(case_id)).result()
    return workflow_id(case_id)


async def test_replay_as_of_shows_what_the_officer_saw(stack: ComplaintStack) -> None:
    now = await stack.now()
    case_id = f"A-{uuid.uuid4().hex[:10]}"
    await stack.register(register(at=now, received_at=now, case_id=case_id))
    await step(stack, case_id, c.AssignHandler, handler="officer-1")
    seen: list[tuple[datetime, ComplaintView]] = []

    async def look() -> None:
        await stack.env.sleep(timedelta(hours=1))
        seen.append((await stack.now(), await stack.view(case_id)))

    await look()                                                     # assigned, 3 working days
    await step(stack, case_id, c.RequestExtension, reason="records")
    await step(stack, case_id, c.DecideExtension, approve=True, actor="supervisor-1")
    await look()                                                     # extended to 7
    extended = seen[-1][1].state.deadline
    assert extended is not None
    await stack.env.sleep(extended.due_at - await stack.now())
    await look()                                                     # breached, escalated
    await step(stack, case_id, c.Withdraw, reason="done")

    assert [v.state.extension for _, v in seen] == [
        ExtensionStatus.NONE, ExtensionStatus.APPROVED, ExtensionStatus.APPROVED]
    assert [v.state.breached for _, v in seen] == [False, False, True]
    for moment, view in seen:
        replayed = await complaint_as_of(stack.store, workflow_id(case_id), at=moment)
        assert replayed.state == view.state, moment
    final = await complaint_as_of(stack.store, workflow_id(case_id))
    assert final.state.status == Status.CLOSED and final.state.ever_breached
    summaries = [t.summary for t in final.timeline]
    assert any(s.startswith("DEADLINE BREACHED") for s in summaries)
    assert any("7 working days" in s for s in summaries)
    assert [t.actor for t in final.timeline if t.type == "extension_approved"] == ["supervisor-1"]
    by_version = await complaint_as_of(stack.store, workflow_id(case_id), version=5)
    assert by_version.state.version == 5 and by_version.state.handler == "officer-1"


async def test_verify_passes_on_untouched_records(stack: ComplaintStack) -> None:
    streams = [await closed_case(stack) for _ in range(2)]
    report = await verify_streams(stack.store, streams, stack.env.client)
    assert report.ok and report.not_checked == []
    assert report.streams_checked == 2 and report.events_checked == 12


@pytest.mark.parametrize(
    ("tamper", "expected_version", "expected"),
    [
        (["UPDATE events SET data = jsonb_set(data, '{resolution}', '\"nothing\"') "
          "WHERE stream_id = $1 AND version = 5"], 5, "altered"),
        (["DELETE FROM events WHERE stream_id = $1 AND version = 2"], 3, "version 2 is missing"),
        (["UPDATE events SET version = 100 WHERE stream_id = $1 AND version = 4",
          "UPDATE events SET version = 4 WHERE stream_id = $1 AND version = 5",
          "UPDATE events SET version = 5 WHERE stream_id = $1 AND version = 100"], 4, "prev_hash"),
    ],
    ids=["altered", "deleted", "reordered"],
)
async def test_verify_names_the_tampered_row(
    stack: ComplaintStack, pool: asyncpg.Pool, tamper: list[str], expected_version: int,
    expected: str,
) -> None:
    stream = await closed_case(stack)
    async with pool.acquire() as conn, conn.transaction():
        for statement in tamper:
            await conn.execute(statement, stream)
    report = await verify_streams(stack.store, [stream], stack.env.client)
    assert not report.ok
    chain = [p for p in report.problems if p.global_position is not None]
    assert chain[0].stream_id == stream and chain[0].version == expected_version
    assert expected in chain[0].problem


async def test_verify_finds_an_event_missing_from_the_store(
    stack: ComplaintStack, pool: asyncpg.Pool
) -> None:
    """Deleting the newest event leaves a perfect chain: only the history can tell."""
    stream = await closed_case(stack)
    async with pool.acquire() as conn:
        await conn.execute("DELETE FROM events WHERE stream_id = $1 AND version = 6", stream)
    report = await verify_streams(stack.store, [stream], stack.env.client)
    [problem] = report.problems
    assert problem.version == 6 and "missing from the store" in problem.problem


async def test_verify_finds_an_event_the_workflow_never_decided(
    stack: ComplaintStack, pool: asyncpg.Pool
) -> None:
    stream = await closed_case(stack)
    forged = NewEvent(event_id=uuid.uuid4(), type="note_added", schema_version=1,
                      data={"schema_version": 1, "type": "note_added", "actor": "mallory",
                            "at": datetime.now(UTC).isoformat(), "text": "all fine"},
                      occurred_at=datetime.now(UTC), actor="mallory")
    await stack.store.append(stream, 6, [forged])  # a chain-valid append behind the workflow
    report = await verify_streams(stack.store, [stream], stack.env.client)
    [problem] = report.problems
    assert problem.version == 7 and "never decided" in problem.problem


async def test_without_history_verify_says_what_it_could_not_check(
    stack: ComplaintStack,
) -> None:
    stream = await closed_case(stack)
    report = await verify_streams(stack.store, [stream], client=None)
    assert report.ok and "no Temporal" in report.not_checked[0]
    gone = f"complaint-retired-{uuid.uuid4().hex[:8]}"  # its workflow history is gone
    await stack.store.append(gone, 0, [NewEvent(
        event_id=uuid.uuid4(), type="note_added", schema_version=1,
        data={"schema_version": 1, "type": "note_added", "actor": "a",
              "at": datetime.now(UTC).isoformat(), "text": "t"},
        occurred_at=datetime.now(UTC), actor="a")])
    report = await verify_streams(stack.store, [gone], stack.env.client)
    assert report.ok and "history is gone" in report.not_checked[0]


async def run_script(path: Path) -> tuple[int, str]:
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-I", str(VERIFY_SCRIPT), str(path), stdout=asyncio.subprocess.PIPE)
    out, _ = await process.communicate()
    assert process.returncode is not None
    return process.returncode, out.decode()


async def test_export_reverifies_without_caseflow(stack: ComplaintStack, tmp_path: Path) -> None:
    stream = await closed_case(stack)
    record = await export_json(stack.store, stream)
    path = tmp_path / "case.json"
    path.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    code, out = await run_script(path)  # -I: isolated, caseflow not importable
    assert code == 0 and "6 events, chain intact" in out
    record["events"][1]["actor"] = "someone else"
    path.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    code, out = await run_script(path)
    assert code == 1 and "version 2: content does not match" in out
    page = export_html(record)
    assert stream in page and "resolved on the spot" in page and "<script" not in page


async def test_histories_from_before_recorded_event_ids_are_not_compared() -> None:
    """The committed goldens predate AppendResult.event_ids: they still decode (the replay test
    shows it) and the audit says it cannot compare them, rather than reporting false problems."""
    from temporalio.client import WorkflowHistory

    from caseflow.audit.history import decided_event_ids

    golden = Path(__file__).parents[1] / "histories" / "complaint_on_the_spot.json"
    history = WorkflowHistory.from_json(golden.stem, golden.read_text(encoding="utf-8"))
    assert await decided_event_ids(history) is None
