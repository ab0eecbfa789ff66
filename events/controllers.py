"""The outbox for organisers, sending today's digest now, and the unsubscribe link.

``GET /api/unsubscribe/{token}`` answers a small HTML page (it is opened from an email); ``POST`` to the same URL is
RFC 8058's one-click unsubscribe, which mail programs send on the reader's behalf. Both are public (listed in
``accounts.security.PUBLIC_PATHS``): the signed token is the credential.
"""

from __future__ import annotations

from typing import Annotated
from uuid import UUID, uuid4

from litestar import Controller, Response, get, post
from litestar.datastructures import State
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, JSONBody, QueryParameter
from sqlalchemy.ext.asyncio import AsyncSession

from events.composer import Composer
from events.digests import BUYERS_PER_CHUNK, DigestCounts, DigestWriter, fair_buyers
from events.fair_days import local_day
from events.schemas import DigestSendIn, DigestSendRead, OutboxMessageRead, UnsubscribeRead
from events.unsubscribe import InvalidToken, Recipient, read_unsubscribe_token, unsubscribe
from ocopfair.accounts.security import requires_organiser
from ocopfair.buyers.models import Buyer
from ocopfair.errors import BadRequest, Conflict, Unprocessable
from ocopfair.exhibitors.models import Exhibitor
from ocopfair.fairs.controllers import provide_fair_service
from ocopfair.fairs.services import FairService
from ocopfair.outbox.models import OutboxMessage, OutboxStatus
from ocopfair.outbox.services import listed, retry
from ocopfair.pagination import PageRequest, provide_page
from ocopfair.payloads import Page


def outbox_read(message: OutboxMessage) -> OutboxMessageRead:
    return OutboxMessageRead(
        id=message.id,
        fair_id=message.fair_id,
        idempotency_key=message.idempotency_key,
        kind=message.kind,
        recipient_kind=message.recipient_kind,
        recipient_id=message.recipient_id,
        recipient=message.recipient,
        subject=message.subject,
        message_id=message.message_id,
        status=message.status,  # type: ignore[arg-type]
        attempts=message.attempts,
        next_attempt_at=message.next_attempt_at,
        last_error=message.last_error,
        sent_at=message.sent_at,
        created_at=message.created_at,
    )


class OutboxController(Controller):
    path = "/api"
    tags = ["outbox"]
    guards = [requires_organiser]
    dependencies = {"fairs": Provide(provide_fair_service), "page": Provide(provide_page)}

    @get("/fairs/{fair_id:uuid}/outbox")
    async def list_outbox(
        self,
        fair_id: FromPath[UUID],
        fairs: NamedDependency[FairService],
        page: NamedDependency[PageRequest],
        status: Annotated[OutboxStatus | None, QueryParameter(description="pending, sending, sent or failed")] = None,
    ) -> Page[OutboxMessageRead]:
        """The fair's emails, newest first, with their attempts and last error (organisers)."""
        fair = await fairs.get_fair(fair_id)
        items, total = await listed(fairs.repository.session, fair.id, status, page.limit, page.offset)
        return Page(items=[outbox_read(m) for m in items], total=total, limit=page.limit, offset=page.offset)

    @post("/outbox/{message_id:uuid}/retry", status_code=200)
    async def retry_message(
        self, message_id: FromPath[UUID], db_session: NamedDependency[AsyncSession], state: State
    ) -> OutboxMessageRead:
        """Put a failed email back in line with a fresh set of attempts (organisers)."""
        return outbox_read(await retry(db_session, message_id, state.clock.now()))


class DigestController(Controller):
    path = "/api/fairs/{fair_id:uuid}/digests"
    tags = ["outbox"]
    guards = [requires_organiser]
    dependencies = {"fairs": Provide(provide_fair_service)}

    @post("/send", status_code=200)
    async def send_digests(
        self,
        fair_id: FromPath[UUID],
        fairs: NamedDependency[FairService],
        state: State,
        data: JSONBody[DigestSendIn | None] = None,
    ) -> DigestSendRead:
        """Write today's digests to the outbox now; a buyer gets one a day unless ``force`` (organisers)."""
        options = data or DigestSendIn()
        fair = await fairs.get_fair(fair_id)
        if fair.status == "closed":
            raise Conflict("the fair is closed: it sends no more digests")
        session = fairs.repository.session
        buyers = await fair_buyers(session, fair)
        if options.buyer_ids is not None:
            strangers = sorted({str(b) for b in options.buyer_ids} - {str(b) for b in buyers})
            if strangers:
                raise Unprocessable(
                    f"not buyers of this fair (no open demand or meeting at it): {', '.join(strangers)}"
                )
            buyers = sorted(set(options.buyer_ids))
        composer: Composer = state.composer
        writer = DigestWriter(composer, state.catalogue_cache)
        at = state.clock.now()
        counts = DigestCounts()
        run_id = uuid4() if options.force else None
        for start in range(0, len(buyers), BUYERS_PER_CHUNK):
            chunk = buyers[start : start + BUYERS_PER_CHUNK]
            counts.add(await writer.queue(session, fair, chunk, at, force=options.force, run_id=run_id))
        return DigestSendRead(fair_id=fair.id, day=local_day(fair, at), buyers=len(buyers), **vars(counts))


class UnsubscribeController(Controller):
    path = "/api/unsubscribe"
    tags = ["outbox"]

    @get("/{token:str}", media_type="text/html")
    async def unsubscribe_page(
        self, token: FromPath[str], db_session: NamedDependency[AsyncSession], state: State
    ) -> Response[str]:
        """Stop every email to the buyer or exhibitor the signed token names; answers a page in their language, with
        the way back: the recipient's email preferences page."""
        kind, recipient = await _unsubscribe(db_session, state, token)
        if isinstance(recipient, Buyer):
            language, name = recipient.language, recipient.organisation
        else:
            language, name = "vi", recipient.name
        page = state.composer.environment.get_template(f"{language}/unsubscribed.html").render(
            recipient_name=name, preferences_url=f"/{kind}/emails"
        )
        return Response(page, media_type="text/html")

    @post("/{token:str}", status_code=200)
    async def unsubscribe_one_click(
        self, token: FromPath[str], db_session: NamedDependency[AsyncSession], state: State
    ) -> UnsubscribeRead:
        """RFC 8058 one-click unsubscribe (what ``List-Unsubscribe-Post`` offers mail programs)."""
        kind, recipient = await _unsubscribe(db_session, state, token)
        return UnsubscribeRead(kind, recipient.id, recipient.unsubscribed_at or state.clock.now())


async def _unsubscribe(session: AsyncSession, state: State, token: str) -> tuple[Recipient, Buyer | Exhibitor]:
    try:
        kind, recipient_id = read_unsubscribe_token(state.settings.secret_key, token)
    except InvalidToken as exc:
        raise BadRequest(str(exc)) from exc
    return kind, await unsubscribe(session, kind, recipient_id, state.clock.now())
