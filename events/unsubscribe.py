"""Signed unsubscribe links: the token names a buyer or an exhibitor and carries an HMAC under a key derived from
the service's secret, so nobody can unsubscribe someone else and a link keeps working as long as the secret does."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import hmac
from typing import Literal
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from ocopfair.buyers.models import Buyer
from ocopfair.errors import NotFound
from ocopfair.exhibitors.models import Exhibitor

Recipient = Literal["buyer", "exhibitor"]
_PREFIX: dict[Recipient, bytes] = {"buyer": b"b", "exhibitor": b"e"}
_KIND: dict[bytes, Recipient] = {prefix: kind for kind, prefix in _PREFIX.items()}
_MAC_BYTES = 16


class InvalidToken(ValueError):
    """The token was not made by this service (or was altered)."""


def _key(secret_key: str) -> bytes:
    return hmac.new(secret_key.encode(), b"ocopfair unsubscribe link", hashlib.sha256).digest()


def _encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def unsubscribe_token(secret_key: str, kind: Recipient, recipient_id: UUID) -> str:
    payload = _PREFIX[kind] + recipient_id.bytes
    mac = hmac.new(_key(secret_key), payload, hashlib.sha256).digest()[:_MAC_BYTES]
    return f"{_encode(payload)}.{_encode(mac)}"


def read_unsubscribe_token(secret_key: str, token: str) -> tuple[Recipient, UUID]:
    """Who the token unsubscribes; ``InvalidToken`` when it is malformed or its signature does not match."""
    payload_text, _, mac_text = token.partition(".")
    try:
        payload, mac = _decode(payload_text), _decode(mac_text)
    except (binascii.Error, ValueError) as exc:
        raise InvalidToken("malformed unsubscribe token") from exc
    expected = hmac.new(_key(secret_key), payload, hashlib.sha256).digest()[:_MAC_BYTES]
    if len(payload) != 17 or payload[:1] not in _KIND or not hmac.compare_digest(mac, expected):
        raise InvalidToken("this unsubscribe link is not valid")
    return _KIND[payload[:1]], UUID(bytes=payload[1:])


async def unsubscribe(session: AsyncSession, kind: Recipient, recipient_id: UUID, at: dt.datetime) -> Buyer | Exhibitor:
    """Mark the buyer or exhibitor as unsubscribed (the first time counts); ``NotFound`` if it no longer exists."""
    recipient: Buyer | Exhibitor | None = (
        await session.get(Buyer, recipient_id) if kind == "buyer" else await session.get(Exhibitor, recipient_id)
    )
    if recipient is None:
        raise NotFound(f"the {kind} of this unsubscribe link no longer exists")
    recipient.unsubscribe(at)
    await session.flush()
    return recipient
