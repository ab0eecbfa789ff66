"""The organiser's view of a fair's outbox: its emails by status, newest first, with their attempts and last error,
and "send again" on a failed one. The API's own outbox functions (``ocopfair.outbox.services``), not a copy."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode
from uuid import UUID
from zoneinfo import ZoneInfo

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, QueryParameter
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from ocopfair.fairs.models import Fair
from ocopfair.fairs.services import FairService
from ocopfair.outbox.models import OUTBOX_STATUSES, OutboxStatus
from ocopfair.outbox.services import listed, retry, status_counts
from ocopfair.web.forms import first, read_values
from ocopfair.web.i18n import language_of, translate
from ocopfair.web.public import wants_part
from ocopfair.web.rendering import render
from ocopfair.web.session import flash, signed_in_as

EMAILS_PAGE = 50
LIST_TARGET = "outbox-list"


def _view(status: str, page: str) -> tuple[OutboxStatus | None, int]:
    """The list a retry came from (a form's hidden inputs): its status filter and page, or the first page of all."""
    chosen = next((known for known in OUTBOX_STATUSES if known == status), None)
    return chosen, int(page) if page.isdigit() and 0 < int(page) <= 10_000 else 1


def _address(fair: Fair, status: OutboxStatus | None, page: int) -> str:
    query = urlencode({key: value for key, value in (("status", status), ("page", page)) if value and value != 1})
    return f"/organiser/fairs/{fair.id}/outbox" + (f"?{query}" if query else "")


async def _list(
    request: Request[Any, Any, Any],
    session: AsyncSession,
    fair: Fair,
    status: OutboxStatus | None,
    page: int,
    notice: str | None = None,
) -> Template:
    """The page, or (for an HTMX request aimed at the list) the filter, the table and the pager alone."""
    counts = await status_counts(session, fair.id)
    total = counts.get(status, 0) if status else sum(counts.values())
    pages = max((total + EMAILS_PAGE - 1) // EMAILS_PAGE, 1)
    page = min(page, pages)
    emails, _ = await listed(session, fair.id, status, EMAILS_PAGE, (page - 1) * EMAILS_PAGE)
    template = "organiser/outbox_list.html" if wants_part(request, LIST_TARGET) else "organiser/outbox.html"
    return render(
        request,
        template,
        fair=fair,
        zone=ZoneInfo(fair.timezone),
        emails=emails,
        counts=counts,
        statuses=OUTBOX_STATUSES,
        status=status,
        page=page,
        pages=pages,
        total=total,
        notice=notice,
    )


class OutboxPages(Controller):
    path = "/organiser/fairs/{fair_id:uuid}/outbox"
    tags = ["pages"]

    @get("/")
    async def outbox(
        self,
        request: Request[Any, Any, Any],
        fair_id: FromPath[UUID],
        db_session: NamedDependency[AsyncSession],
        status: FromQuery[OutboxStatus | None] = None,
        page: Annotated[int, QueryParameter(ge=1, le=10_000)] = 1,
    ) -> Template:
        signed_in_as(request, "organiser")
        fair = await FairService(session=db_session).get_fair(fair_id)
        return await _list(request, db_session, fair, status, page)

    @post("/{message_id:uuid}/retry")
    async def retry_email(
        self,
        request: Request[Any, Any, Any],
        fair_id: FromPath[UUID],
        message_id: FromPath[UUID],
        db_session: NamedDependency[AsyncSession],
    ) -> Template | Redirect:
        """Put a failed email back in line (the API's retry: only a failed email of this fair), then show the list
        it was sent again from."""
        signed_in_as(request, "organiser")
        fair = await FairService(session=db_session).get_fair(fair_id)
        values = read_values(await request.form())
        status, page = _view(first(values, "status"), first(values, "page"))
        message = await retry(db_session, message_id, request.app.state.clock.now(), fair.id)
        if not wants_part(request, LIST_TARGET):
            flash(request, "flash.email_retried", recipient=message.recipient)
            return Redirect(_address(fair, status, page), status_code=303)
        notice = translate(language_of(request), "flash.email_retried", recipient=message.recipient)
        return await _list(request, db_session, fair, status, page, notice)
