"""/account-events: the bank's core banking sends its clients' account events in batches."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from caseflow.http.auth import Services, User
from caseflow.services.account_events import ImportReport
from domain.access import check_admin

router = APIRouter(prefix="/account-events", tags=["clients"])


@router.post("", summary="Apply a batch of account events (the bank's IT integration)")
async def import_batch(body: list[dict[str, Any]], user: User,
                       services: Services) -> ImportReport:
    """Each row is an account event (`event_id`, `client_id`, `event`: large_transaction,
    large_outflow, maturity, account_closure or balance_change, and its `amount`, `account`,
    `product`, `matures_on`, `direction`; `outlet`: a large transaction of a client not
    followed yet refers them there). Rows are applied once by event id; rows that cannot be
    applied are reported by their position (1 for the first). An admin account sends it."""
    check_admin(user, "account events are sent")
    return await services.account_events.apply(enumerate(body, start=1))
