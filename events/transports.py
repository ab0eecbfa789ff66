"""How a rendered email leaves: SMTP through aiosmtplib, or an ``.eml`` file under ``var/outbox/``.

``OCOPFAIR_SMTP_URL`` picks SMTP: ``smtp://host:25`` (STARTTLS when the server offers it), ``smtp+starttls://host:587``
(STARTTLS required), ``smtps://host:465`` (TLS from the start), each with optional ``user:password@``. A transport
opens one connection per relay run and reuses it. Failures become ``DeliveryError``; a recipient refused with a 5xx
answer is permanent (retrying cannot help), anything else (server down, timeouts, 4xx) is worth another attempt.
A send may be given ``ready``, awaited once the server took the envelope (MAIL and RCPT) and before the content goes,
so the relay records the previous message while the next one's envelope is on the wire: the server accepts a message
only after DATA, so no more than one message per connection is ever accepted and not yet recorded.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Awaitable
from contextlib import AbstractAsyncContextManager, asynccontextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import unquote, urlsplit

import aiosmtplib
import anyio

from ocopfair.settings import Settings

SCHEMES = {"smtp": (25, {}), "smtp+starttls": (587, {"start_tls": True}), "smtps": (465, {"use_tls": True})}


class DeliveryError(Exception):
    def __init__(self, detail: str, *, permanent: bool = False) -> None:
        super().__init__(detail)
        self.detail = detail
        self.permanent = permanent


@dataclass(frozen=True, slots=True)
class Envelope:
    """What a transport needs: who from and to, the message bytes, and a stable name (the idempotency key)."""

    sender: str
    recipient: str
    body: bytes
    name: str


class Sender(Protocol):
    async def send(self, envelope: Envelope, ready: Awaitable[None] | None = None) -> None: ...


class Transport(Protocol):
    def connection(self) -> AbstractAsyncContextManager[Sender]: ...


def smtp_options(url: str) -> dict[str, Any]:
    """aiosmtplib's connection options for an ``OCOPFAIR_SMTP_URL``; ``ValueError`` names what is wrong."""
    parts = urlsplit(url)
    if parts.scheme not in SCHEMES:
        raise ValueError(f"OCOPFAIR_SMTP_URL must start with one of {', '.join(s + '://' for s in SCHEMES)}")
    if not parts.hostname:
        raise ValueError("OCOPFAIR_SMTP_URL names no host")
    default_port, tls = SCHEMES[parts.scheme]
    options: dict[str, Any] = {"hostname": parts.hostname, "port": parts.port or default_port, "timeout": 30, **tls}
    if parts.username:
        options["username"] = unquote(parts.username)
        options["password"] = unquote(parts.password or "")
    return options


class _SmtpSender:
    def __init__(self, options: dict[str, Any]) -> None:
        self._options = options
        self._client: aiosmtplib.SMTP | None = None

    async def send(self, envelope: Envelope, ready: Awaitable[None] | None = None) -> None:
        """MAIL, RCPT, then, once ``ready``, DATA. A refused envelope is reset so the connection serves the next
        message; one left mid-envelope because ``ready`` failed is dropped."""
        async with self._delivery():
            if self._client is None or not self._client.is_connected:
                self._client = aiosmtplib.SMTP(**self._options)
                await self._client.connect()
            client = self._client
            try:
                await client.mail(envelope.sender)
                await client.rcpt(envelope.recipient)
            except aiosmtplib.SMTPResponseException:
                with suppress(aiosmtplib.SMTPException, OSError):
                    await client.rset()
                raise
        if ready is not None:
            try:
                await ready
            except BaseException:
                client.close()
                raise
        async with self._delivery():
            await client.data(envelope.body)

    @asynccontextmanager
    async def _delivery(self) -> AsyncIterator[None]:
        """SMTP failures as ``DeliveryError``: a refused recipient as it is (permanent on a 5xx answer), anything else
        after dropping the connection."""
        try:
            yield
        except aiosmtplib.SMTPRecipientRefused as exc:
            raise DeliveryError(f"recipient refused: {exc.code} {exc.message}", permanent=exc.code >= 500) from exc
        except (aiosmtplib.SMTPException, OSError) as exc:
            await self.close()
            raise DeliveryError(f"{type(exc).__name__}: {exc}") from exc

    async def close(self) -> None:
        client, self._client = self._client, None
        if client is not None and client.is_connected:
            try:
                await client.quit()
            except (aiosmtplib.SMTPException, OSError):
                client.close()


class SmtpTransport:
    def __init__(self, url: str) -> None:
        self.options = smtp_options(url)

    @asynccontextmanager
    async def connection(self) -> AsyncIterator[_SmtpSender]:
        sender = _SmtpSender(self.options)
        try:
            yield sender
        finally:
            await sender.close()


class _FileSender:
    def __init__(self, directory: Path) -> None:
        self.directory = directory

    async def send(self, envelope: Envelope, ready: Awaitable[None] | None = None) -> None:
        """Write ``<idempotency key>.eml`` (``:`` becomes ``_``) atomically: sending again rewrites the same file."""
        if ready is not None:
            await ready
        name = envelope.name.replace(":", "_").replace("/", "_")
        target = anyio.Path(self.directory / f"{name}.eml")
        partial = anyio.Path(self.directory / f".{name}.{os.getpid()}.part")
        try:
            await target.parent.mkdir(parents=True, exist_ok=True)
            await partial.write_bytes(envelope.body)
            await partial.replace(target)
        except OSError as exc:
            raise DeliveryError(f"cannot write {target}: {exc}") from exc


class EmlTransport:
    """The embedded default: each email becomes a file a person can open in a mail program."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    @asynccontextmanager
    async def connection(self) -> AsyncIterator[_FileSender]:
        yield _FileSender(self.directory)


def transport_for(settings: Settings) -> SmtpTransport | EmlTransport:
    if settings.smtp_url:
        return SmtpTransport(settings.smtp_url)
    return EmlTransport(settings.var_dir / "outbox")
