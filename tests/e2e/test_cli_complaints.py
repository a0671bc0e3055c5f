"""The `caseflow complaint` CLI, run as a real subprocess against the test server and a worker."""

from __future__ import annotations

import asyncio
import json
import os
import sys
import uuid
from pathlib import Path

import asyncpg
import pytest
from temporalio.testing import WorkflowEnvironment

from caseflow.bootstrap import event_store
from caseflow.policy.calendar import official_calendar
from tests.complaint_stack import parts_for, put_demo_units
from tests.sheets import csv_rows, workbook_rows


async def bank_calendar_for_server_years(env: WorkflowEnvironment, folder: Path) -> Path:
    """The test server's clock may be past the official data: the bank adds its own entries
    for those years (here: no holidays), as a bank would for a new year."""
    year = (await env.get_current_time()).year
    official = official_calendar().years
    entries: dict[str, dict[str, list[str]]] = {
        str(y): {"holidays": [], "makeup_workdays": []}
        for y in (year, year + 1) if y not in official
    }
    path = folder / "bank_calendar.json"
    path.write_text(json.dumps({"years": entries}), encoding="utf-8")
    return path


async def cli(
    env: WorkflowEnvironment, task_queue: str, calendar: Path, *args: str
) -> tuple[int, str, str]:
    return await caseflow(env, task_queue, calendar, "complaint", *args)


async def caseflow(
    env: WorkflowEnvironment, task_queue: str, calendar: Path, *args: str
) -> tuple[int, str, str]:
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "caseflow", *args,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        env={**os.environ, "TEMPORAL_ADDRESS": env.client.service_client.config.target_host,
             "CASEFLOW_TASK_QUEUE": task_queue, "CASEFLOW_LOG_FORMAT": "json",
             "CASEFLOW_BANK_CALENDAR": str(calendar),
             "DATABASE_URL": os.environ.get("CASEFLOW_TEST_DATABASE_URL", "")},
    )
    out, err = await process.communicate()
    assert process.returncode is not None
    return process.returncode, out.decode(), err.decode()


async def add_user(env: WorkflowEnvironment, calendar: Path, name: str, role: str,
                   outlet: str | None) -> str:
    """`caseflow user add`: prints the new user's token."""
    code, out, err = await caseflow(env, "-", calendar, "user", "add", name, "--role", role,
                                    *(["--outlet", outlet] if outlet else []))
    assert code == 0, err
    return out.strip()


async def test_walk_a_complaint_to_closed_from_the_cli(
    temporal_env: WorkflowEnvironment, pool: asyncpg.Pool, tmp_path: Path, database_url: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    store = event_store(pool)
    await put_demo_units(pool)
    monkeypatch.setenv("CASEFLOW_TEST_DATABASE_URL", database_url)
    calendar = await bank_calendar_for_server_years(temporal_env, tmp_path)
    task_queue = f"tq-{uuid.uuid4()}"
    run_id = uuid.uuid4().hex[:8]
    case = f"CLI-{run_id}"
    outlet = f"o-{run_id}"
    officer, head, supervisor = (f"{who}-{run_id}" for who in ("officer", "head", "supervisor"))
    tokens = {
        officer: await add_user(temporal_env, calendar, officer, "case_officer", outlet),
        head: await add_user(temporal_env, calendar, head, "outlet_head", outlet),
        supervisor: await add_user(temporal_env, calendar, supervisor, "supervisor", outlet),
        "auditor": await add_user(temporal_env, calendar, f"auditor-{run_id}", "auditor", None),
        "csm": await add_user(temporal_env, calendar, f"csm-{run_id}", "supervisor",
                              "branch-sh-csm"),
    }
    assert all(t.startswith("cf_") for t in tokens.values())
    async with parts_for(temporal_env.client, pool, task_queue=task_queue).worker():
        async def run(*args: str, who: str = officer) -> tuple[int, str, str]:
            return await cli(temporal_env, task_queue, calendar, *args, "--token", tokens[who])

        code, _, err = await run("register", "--case", case, "--client", "K-1", "--category",
                                 "fees", "--cause", "fees", "--description", "charged twice",
                                 "--outlet", outlet)
        assert code == 1 and "refused (unknown_category)" in err and "bank_cards" in err
        code, out, _ = await run("register", "--case", case, "--client", "K-1", "--category",
                                 "bank_cards", "--cause", "fees", "--description",
                                 "charged twice", "--outlet", outlet, "--request", "退还年费")
        assert code == 0, _
        assert f"case {case}: registered" in out
        assert "CST" in out  # deadlines shown in the bank's zone (Asia/Shanghai)
        assert (await run("assign", case, "--handler", officer))[0] == 0
        code, _, err = await run("reply", case, "--content", "x")
        assert code == 1 and "refused (illegal_step)" in err and "findings first" in err
        assert (await run("findings", case, "--summary", "dup", "--not-at-fault"))[0] == 0
        code, _, err = await run("reply", case, "--method", "letter", "--content", "x")
        assert code == 1 and "refused (role_required)" in err and "outlet head" in err
        code, _, err = await run("note", case, "--text", "looked", who="auditor")
        assert code == 1 and "refused (forbidden)" in err
        code, _, err = await cli(temporal_env, task_queue, calendar, "note", case, "--text", "x",
                                 "--token", "cf_forged")
        assert code == 1 and "unknown or revoked token" in err
        code, _, err = await run("escalate", case, "--reason", "media_attention", "--to",
                                 "branch-sh-csm", "--details", "a reporter called")
        assert code == 1 and "refused (media_details_required)" in err
        code, out, err = await run("escalate", case, "--reason", "media_attention", "--to",
                                   "branch-sh-csm", "--details", "a reporter called",
                                   "--media-outlet", "新民晚报", "--questions", "为何重复扣费？",
                                   "--informed", head)
        assert code == 0 and "held by   branch-sh-csm" in out, err
        code, _, err = await run("accept-escalation", case)
        assert code == 1 and "refused (other_outlet)" in err  # only the unit it went to
        code, out, err = await run("accept-escalation", case, who="csm")
        assert code == 0 and f"accepted by csm-{run_id}" in out, err
        code, out, err = await run("answer-escalation", case, "--answer", "先退费", who="csm")
        assert code == 0 and "held by" not in out, err
        code, out, err = await run("extend-regulatory", case, "--reason", "complex",
                                   who=supervisor)
        assert code == 0 and "30 calendar days" in out, err
        assert (await run("reply", case, "--content", "explained"))[0] == 0
        code, _, err = await run("follow-up", case, "--outcome", "satisfied", "--opinion", "ok")
        assert code == 1 and "refused (no_follow_up_due)" in err
        code, out, _ = await run("feedback", case, "--satisfied", "--opinion", "ok")
        assert code == 0 and f"case {case}: closed" in out
        assert "next      RaiseFollowUpDue" in out
        code, _, err = await run("show", "no-such-case")
        assert code == 1 and "no complaint case 'no-such-case'" in err
        code, _, err = await run("register", "--case", "x", "--client", "K", "--category", "c",
                                 "--cause", "fees", "--description", "d", "--outlet", outlet,
                                 "--tier", "vip")
        assert code == 1 and "invalid input: client_tier" in err
        code, out, _ = await run("list", "--limit", "1000")
        assert code == 0 and case in out and "closed" in out
        code, _, err = await run("list", "--outlet", "elsewhere")
        assert code == 1 and "refused (other_outlet)" in err
        code, _, err = await run("list", "--limit", "0")
        assert code == 2 and "limit" in err
        spot = f"{case}-spot"
        assert (await run("register", "--case", spot, "--client", "K-2", "--category",
                          "bank_cards", "--cause", "fees", "--description", "explain fee",
                          "--outlet", outlet))[0] == 0
        code, out, _ = await run("resolve-on-spot", spot, "--resolution", "explained the fee")
        assert code == 0 and f"case {spot}: closed" in out
        code, _, err = await run("escalate", spot, "--reason", "beyond_authority", "--to",
                                 "service-dept", "--details", "press")
        assert code == 1 and "refused (unknown_unit)" in err
        code, _, err = await run("escalate", spot, "--reason", "beyond_authority", "--to",
                                 "branch-sh-csm", "--details", "press")
        assert code == 1 and "refused (case_closed)" in err
        code, out, _ = await caseflow(temporal_env, task_queue, calendar, "audit", "verify", case)
        assert code == 0 and "1 streams" in out and "0 problems" in out
        assert "not checked" not in out  # Temporal was reachable: every check ran
        code, out, _ = await caseflow(temporal_env, task_queue, calendar, "audit", "replay",
                                      case, "--version", "4")
        assert code == 0 and "client told to expect a reply" in out and "v5" not in out
        assert "regulatory period: decide and tell the client by" in out
        exported = tmp_path / "case.json"
        code, _, _ = await caseflow(temporal_env, task_queue, calendar, "audit", "export", case,
                                    "--out", str(exported))
        assert code == 0 and json.loads(exported.read_text())["stream_id"] == f"complaint-{case}"
        # The report and the day's log as an Excel workbook hold the CSV's rows.
        first, last = [await pool.fetchval(
            "SELECT (received_at AT TIME ZONE 'Asia/Shanghai')::date FROM complaint_cases"
            " WHERE case_id = $1", c) for c in (case, spot)]
        period = ("--from", str(first), "--to", str(last), "--outlet", outlet)

        async def report(*args: str, who: str) -> tuple[int, str, str]:
            return await caseflow(temporal_env, task_queue, calendar, "report", *args,
                                  "--token", tokens[who])

        code, sheet, err = await report("complaints", *period, "--csv", who=supervisor)
        assert code == 0, err
        workbook = tmp_path / "report.xlsx"
        code, out, err = await report("complaints", *period, "--xlsx", str(workbook),
                                      who=supervisor)
        assert code == 0 and f"wrote {workbook}" in out, err
        cells = workbook_rows(workbook.read_bytes())
        assert cells == csv_rows(sheet) and cells[1][:3] == ["total", None, 2]
        code, _, err = await report("complaints", *period, "--csv", "--xlsx", "x.xlsx",
                                    who=supervisor)
        assert code == 1 and "not with --csv" in err
        day = ("--day", str(first), "--outlet", outlet)
        code, sheet, err = await report("log", *day, who=head)
        assert code == 0, err
        code, _, err = await report("log", *day, "--xlsx", str(workbook), who=head)
        assert code == 0, err
        cells = workbook_rows(workbook.read_bytes())
        assert cells == csv_rows(sheet) and case in {row[0] for row in cells[1:]}
        code, out, err = await report("surveys", *period, who=head)  # the outlet's clients
        assert code == 0 and "satisfaction surveys" in out and "0 recorded" in out, err
        code, _, err = await report("surveys", "--from", "2026-12-02", "--to", "2026-12-01",
                                    who=head)
        assert code == 1 and "ends before it starts" in err
        code, _, err = await caseflow(temporal_env, task_queue, calendar, "audit", "replay",
                                      "no-such-case")
        assert code == 1 and "no stream 'complaint-no-such-case'" in err
    events = await store.read_stream(f"complaint-{case}")
    assert events[-1].type == "case_closed" and "client_replied" in {e.type for e in events}
    assert events[0].actor == officer  # the token's user, never a name typed on the line
