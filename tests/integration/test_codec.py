"""Temporal payloads are sealed (AES-256-GCM) before they leave caseflow: what the Temporal
server stores reveals nothing of a complaint, and only holders of the keys can read it back."""

from __future__ import annotations

import base64
import os
import stat
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from cryptography.exceptions import InvalidTag
from temporalio.api.common.v1 import Payload
from temporalio.api.enums.v1 import EventType
from temporalio.contrib.pydantic import pydantic_data_converter

from caseflow.config import Settings
from caseflow.runtime.codec import (
    ENCRYPTED,
    EncryptionCodec,
    PayloadKeyError,
    new_key_line,
    parse_keys,
    payload_keys,
)
from domain.complaint import commands as c
from tests.complaint_fixtures import register
from tests.complaint_stack import ComplaintStack


def payload_contents(node: Any) -> Iterator[bytes]:
    """The bytes of every payload in a history (as JSON: base64 under "data")."""
    if isinstance(node, dict):
        if "metadata" in node and isinstance(node.get("data"), str):
            yield base64.b64decode(node["data"])
        for value in node.values():
            yield from payload_contents(value)
    elif isinstance(node, list):
        for value in node:
            yield from payload_contents(value)


PLAIN = Payload(metadata={"encoding": b"json/plain"}, data=b'{"description":"charged twice"}')


async def test_a_payload_round_trips_and_its_content_is_not_visible() -> None:
    codec = EncryptionCodec(parse_keys(new_key_line()))
    [sealed] = await codec.encode([PLAIN])
    assert sealed.metadata["encoding"] == ENCRYPTED and b"charged" not in sealed.data
    assert await codec.decode([sealed]) == [PLAIN]
    [again] = await codec.encode([PLAIN])
    assert again.data != sealed.data  # a fresh nonce every time


async def test_tampering_and_unknown_keys_are_refused() -> None:
    codec = EncryptionCodec(parse_keys(new_key_line()))
    [sealed] = await codec.encode([PLAIN])
    flipped = Payload(metadata=sealed.metadata,
                      data=sealed.data[:-1] + bytes([sealed.data[-1] ^ 1]))
    with pytest.raises(InvalidTag):
        await codec.decode([flipped])
    stranger = EncryptionCodec(parse_keys(new_key_line()))
    with pytest.raises(PayloadKeyError, match="not among"):
        await stranger.decode([sealed])


async def test_rotation_keeps_old_payloads_readable_and_plain_ones_pass() -> None:
    old, new = new_key_line(), new_key_line()
    [sealed_with_old] = await EncryptionCodec(parse_keys(old)).encode([PLAIN])
    rotated = EncryptionCodec(parse_keys(f"{new},{old}"))
    assert await rotated.decode([sealed_with_old]) == [PLAIN]
    [sealed_with_new] = await rotated.encode([PLAIN])
    assert sealed_with_new.metadata["encryption-key-id"] == new.split(":")[0].encode()
    assert await rotated.decode([PLAIN]) == [PLAIN]  # histories from before the codec


def test_bad_keys_are_refused_with_a_clear_error() -> None:
    for text in ("", "no-colon", "k1:not base64!", "k1:" + "QUFB"):
        with pytest.raises(PayloadKeyError):
            EncryptionCodec(parse_keys(text))


def test_without_configured_keys_the_data_folder_gets_a_private_key(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch
                                                                    ) -> None:
    monkeypatch.delenv("CASEFLOW_PAYLOAD_KEYS", raising=False)
    settings = Settings(data_dir=tmp_path / "data")
    first = payload_keys(settings)
    key_file = tmp_path / "data" / "payload-keys"
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
    assert payload_keys(settings) == first and len(first[0][1]) == 32  # made once, then reused


async def test_the_temporal_history_holds_no_readable_complaint(stack: ComplaintStack) -> None:
    now = await stack.now()
    secret = f"my card number ends in {uuid.uuid4().hex[:6]}"
    case_id = f"sealed-{uuid.uuid4().hex[:8]}"
    await stack.register(register(at=now, received_at=now, case_id=case_id,
                                          description=secret))
    # A step returns once the registration and the step are stored (markers in the history).
    view = await stack.execute(case_id, c.AddNote(actor="officer-1", at=now,
                                                          text=f"re: {secret}"))
    assert view.state.case_id == case_id and view.state.notes == 1  # the keys' holders read it
    history = await stack.env.client.get_workflow_handle(f"complaint-{case_id}").fetch_history()
    contents = list(payload_contents(history.to_json_dict()))
    assert contents and not any(secret.encode() in data for data in contents)
    started = history.events[0].workflow_execution_started_event_attributes
    assert all(p.metadata["encoding"] == ENCRYPTED for p in started.input.payloads)
    markers = [e for e in history.events if e.event_type == EventType.EVENT_TYPE_MARKER_RECORDED]
    assert markers and all(p.metadata["encoding"] == ENCRYPTED
                           for e in markers
                           for p in e.marker_recorded_event_attributes.details["result"].payloads)
    with pytest.raises(KeyError, match="binary/encrypted"):  # without the keys: unreadable
        pydantic_data_converter.payload_converter.from_payloads(list(started.input.payloads))
