"""Plain outbox messages for the relay and scheduler tests, and reading the outbox back."""

from __future__ import annotations

import datetime as dt
import email
from email import policy
from email.message import EmailMessage, Message
from pathlib import Path
from uuid import UUID, uuid4

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from events.composer import Addressee, Letter
from events.outbox import NewMessage, enqueue
from ocopfair.outbox.models import OutboxMessage

RECIPIENTS = ("thumua@bhx.vn", "purchasing@songhong.com", "bep@halong.vn")


def letter(to: str, message_id: UUID) -> Letter:
    message = EmailMessage()
    message["From"] = "Hội chợ OCOP <no-reply@ocopfair.invalid>"
    message["To"] = to
    message["Subject"] = f"Nhắc lịch gặp {to}"
    message["Message-ID"] = f"<{message_id}@ocopfair.invalid>"
    message.set_content("Sau 30 phút nữa Quý khách có cuộc gặp.")
    return Letter(str(message["Subject"]), str(message["Message-ID"]), message.as_bytes())


async def queue(
    engine: AsyncEngine, fair_id: str | None, at: dt.datetime, recipients: tuple[str, ...] = RECIPIENTS
) -> None:
    """One plain reminder per recipient, due at ``at``, under the key ``reminder:<index>:<recipient>``."""
    messages = []
    for index, to in enumerate(recipients):
        outbox_id = uuid4()
        addressee = Addressee("buyer", uuid4(), to, to)
        fair = UUID(fair_id) if fair_id else None
        messages.append(
            NewMessage(outbox_id, f"reminder:{index}:{to}", "reminder", fair, addressee, letter(to, outbox_id))
        )
    async with async_sessionmaker(engine)() as session, session.begin():
        assert await enqueue(session, messages, at) == len(messages)


def eml_files(directory: Path) -> dict[str, Message]:
    """The finished .eml files of a directory (no partial files left behind), parsed."""
    names = [path.name for path in directory.iterdir()]
    assert not [name for name in names if name.startswith(".")], names
    return {name: email.message_from_bytes((directory / name).read_bytes(), policy=policy.default) for name in names}


async def rows(engine: AsyncEngine) -> dict[str, OutboxMessage]:
    """The outbox by recipient address."""
    async with async_sessionmaker(engine, expire_on_commit=False)() as session:
        return {m.recipient: m for m in await session.scalars(select(OutboxMessage))}
