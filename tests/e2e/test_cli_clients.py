"""The `caseflow client` and `caseflow user` CLIs, as real subprocesses."""

from __future__ import annotations

import uuid
from pathlib import Path

import asyncpg
import pytest
from temporalio.testing import WorkflowEnvironment

from caseflow.bootstrap import event_store
from tests.complaint_stack import parts_for
from tests.e2e.test_cli_complaints import add_user, bank_calendar_for_server_years, caseflow


async def test_a_client_from_the_cli_with_roles(
    temporal_env: WorkflowEnvironment, pool: asyncpg.Pool, tmp_path: Path, database_url: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    store = event_store(pool)
    monkeypatch.setenv("CASEFLOW_TEST_DATABASE_URL", database_url)
    calendar = await bank_calendar_for_server_years(temporal_env, tmp_path)
    task_queue = f"tq-{uuid.uuid4()}"
    run_id = uuid.uuid4().hex[:8]
    client, outlet = f"K-{run_id}", f"o-{run_id}"
    officer, head = f"officer-{run_id}", f"head-{run_id}"
    tokens = {officer: await add_user(temporal_env, calendar, officer, "case_officer", outlet),
              head: await add_user(temporal_env, calendar, head, "outlet_head", outlet)}

    async def run(*args: str, who: str = officer) -> tuple[int, str, str]:
        return await caseflow(temporal_env, task_queue, calendar, "client", *args,
                              "--token", tokens[who])

    async with parts_for(temporal_env.client, pool, task_queue=task_queue).worker():
        code, out, err = await run("identify", "--client", client, "--outlet", outlet,
                                   "--deposits", "600", "--products", "2", "--family", "3",
                                   "--occupation", "4", "--standing", "3",
                                   "--referred-by", "teller-3")
        assert code == 0, err
        assert f"client {client}: core_premium, maintain" in out
        assert "referred by teller-3" in out
        code, out, err = await run("sale", client, "--product", "fund")
        assert code == 0 and f"manager   {officer}" in out, err
        code, _, err = await run("reassign", client, "--manager", "m2", "--reason", "leave")
        assert code == 1 and "refused (role_required)" in err
        code, out, _ = await run("reassign", client, "--manager", "m2", "--reason", "leave",
                                 who=head)
        assert code == 0 and "manager   m2" in out
        code, _, err = await run("log", client, "--channel", "pigeon", "--summary", "x")
        assert code == 2 and "channel" in err
        code, out, _ = await run("list", "--manager", "m2")
        assert code == 0 and client in out and "core_premium" in out and "1 client(s)" in out
        code, _, err = await run("show", "K-nobody")
        assert code == 1 and "no client 'K-nobody'" in err
    actors = {e.actor for e in await store.read_stream(f"client-{client}")}
    assert {officer, head} <= actors
    code, out, err = await caseflow(temporal_env, task_queue, calendar, "audit", "replay",
                                    f"client-{client}", "--version", "3")
    assert code == 0, err
    assert f"client-{client} as of version 3: core_premium, maintain, manager {officer}" in out
    code, out, _ = await caseflow(temporal_env, task_queue, calendar, "audit", "verify",
                                  f"client-{client}")
    assert code == 0 and "1 streams" in out and "0 problems" in out


async def test_user_tokens_can_be_issued_and_revoked(
    temporal_env: WorkflowEnvironment, tmp_path: Path, database_url: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CASEFLOW_TEST_DATABASE_URL", database_url)
    calendar = tmp_path / "none.json"
    name = f"sup-{uuid.uuid4().hex[:8]}"
    first = await add_user(temporal_env, calendar, name, "supervisor", "o-1")

    async def user(*args: str) -> tuple[int, str, str]:
        return await caseflow(temporal_env, "-", calendar, "user", *args)

    code, _, err = await user("add", name, "--role", "supervisor", "--outlet", "o-1")
    assert code == 1 and "already exists" in err
    code, _, err = await user("add", "x", "--role", "supervisor")
    assert code == 1 and "bound to an outlet" in err
    code, second, _ = await user("token", name)
    assert code == 0 and second.strip() not in ("", first)
    code, out, _ = await user("list")
    assert code == 0 and name in out and "supervisor" in out
    code, out, _ = await user("revoke", name)
    assert code == 0 and "2 token(s) revoked" in out
    code, _, err = await caseflow(temporal_env, "-", calendar, "complaint", "list",
                                  "--token", first)
    assert code == 1 and "unknown or revoked token" in err
