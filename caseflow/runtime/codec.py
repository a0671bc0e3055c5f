"""Temporal payloads encrypted at rest in Temporal (DESIGN.md §5a): complaint texts, client data
and every step travel through Temporal's history, which the bank's Temporal operators (and its
UI) can read. Every payload is sealed with AES-256-GCM before it leaves this process.

Keys: `CASEFLOW_PAYLOAD_KEYS` = `id:base64key[,id:base64key…]`; the first encrypts, all decrypt
(rotation: put the new key first, keep the old ones while histories use them). Unset: a key
file in the data folder, made on first use (0600), so the embedded stack encrypts too. Payloads
without the encrypted marker (histories from before the codec) pass through unchanged.
"""

from __future__ import annotations

import base64
import dataclasses
import os
import secrets
from collections.abc import Sequence
from pathlib import Path

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from temporalio.api.common.v1 import Payload
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.converter import DataConverter, PayloadCodec

from caseflow.config import Settings

ENCRYPTED = b"binary/encrypted"
KEY_ID = "encryption-key-id"
NONCE_BYTES = 12


class PayloadKeyError(Exception):
    """A payload sealed with a key this process does not have, or keys that do not parse."""


class EncryptionCodec(PayloadCodec):
    def __init__(self, keys: Sequence[tuple[str, bytes]]) -> None:
        if not keys:
            raise PayloadKeyError("no payload key")
        for key_id, key in keys:
            if len(key) != 32:
                raise PayloadKeyError(f"payload key {key_id!r} is not 256 bits")
        self._current_id = keys[0][0]
        self._ciphers = {key_id: AESGCM(key) for key_id, key in keys}

    async def encode(self, payloads: Sequence[Payload]) -> list[Payload]:
        cipher = self._ciphers[self._current_id]
        sealed = []
        for payload in payloads:
            nonce = os.urandom(NONCE_BYTES)
            data = nonce + cipher.encrypt(nonce, payload.SerializeToString(), None)
            sealed.append(Payload(metadata={"encoding": ENCRYPTED,
                                            KEY_ID: self._current_id.encode()}, data=data))
        return sealed

    async def decode(self, payloads: Sequence[Payload]) -> list[Payload]:
        opened = []
        for payload in payloads:
            if payload.metadata.get("encoding") != ENCRYPTED:
                opened.append(payload)  # written before the codec: plain
                continue
            key_id = payload.metadata.get(KEY_ID, b"").decode()
            cipher = self._ciphers.get(key_id)
            if cipher is None:
                raise PayloadKeyError(f"payload sealed with key {key_id!r}, which is not among "
                                      "CASEFLOW_PAYLOAD_KEYS")
            nonce, sealed = payload.data[:NONCE_BYTES], payload.data[NONCE_BYTES:]
            opened.append(Payload.FromString(cipher.decrypt(nonce, sealed, None)))
        return opened


def parse_keys(text: str) -> list[tuple[str, bytes]]:
    try:
        keys = []
        for item in text.split(","):
            key_id, _, encoded = item.strip().partition(":")
            keys.append((key_id, base64.b64decode(encoded, validate=True)))
    except ValueError as exc:
        raise PayloadKeyError("CASEFLOW_PAYLOAD_KEYS must be id:base64key[,…]") from exc
    if not keys or any(not key_id for key_id, _ in keys):
        raise PayloadKeyError("CASEFLOW_PAYLOAD_KEYS must be id:base64key[,…]")
    return keys


def new_key_line() -> str:
    return f"k{secrets.token_hex(4)}:{base64.b64encode(secrets.token_bytes(32)).decode()}"


def payload_keys(settings: Settings) -> list[tuple[str, bytes]]:
    if settings.payload_keys is not None:
        return parse_keys(settings.payload_keys.get_secret_value())
    path = settings.data_dir.resolve() / "payload-keys"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as file:
            file.write(new_key_line() + "\n")
    return parse_keys(Path(path).read_text().strip())


def data_converter(settings: Settings) -> DataConverter:
    return encrypted_converter(payload_keys(settings))


def encrypted_converter(keys: Sequence[tuple[str, bytes]]) -> DataConverter:
    """pydantic payloads, sealed by the codec."""
    return dataclasses.replace(pydantic_data_converter, payload_codec=EncryptionCodec(keys))
