"""The email preferences page, one for buyers and exhibitors alike: which emails they get (the daily email, meeting
reminders), in which language (buyers), and stopping every email or getting them again. The API's schemas and
service decide; the page only shows and asks."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from ocopfair.buyers.models import Buyer
from ocopfair.email_preferences.schemas import (
    BuyerEmailPreferencesUpdate,
    EmailPreferencesRead,
    EmailPreferencesUpdate,
    Recipient,
)
from ocopfair.email_preferences.services import email_preferences_read, update_email_preferences
from ocopfair.exhibitors.models import Exhibitor
from ocopfair.web import buyer, exhibitor
from ocopfair.web.forms import FormInvalid, Values, parse, read_values, values_of
from ocopfair.web.rendering import render
from ocopfair.web.session import flash

Profile = Callable[[Request[Any, Any, Any], AsyncSession], Awaitable[Buyer | Exhibitor | None]]


@dataclass(frozen=True, slots=True)
class _Party:
    """What differs between a buyer's page and an exhibitor's: the role, the schema and its inputs, the profile."""

    role: Recipient
    schema: type[EmailPreferencesUpdate]
    fields: tuple[str, ...]
    profile: Profile

    @property
    def url(self) -> str:
        return f"/{self.role}/emails"


CHOICES = ("daily_digest", "meeting_reminders")
BUYER = _Party("buyer", BuyerEmailPreferencesUpdate, (*CHOICES, "language"), buyer.own_profile)
EXHIBITOR = _Party("exhibitor", EmailPreferencesUpdate, CHOICES, exhibitor.own_profile)
SUBSCRIPTION = ("subscribed",)


def _page(
    request: Request[Any, Any, Any],
    party: _Party,
    preferences: EmailPreferencesRead,
    values: Values,
    errors: dict[str, str],
    status_code: int = 200,
) -> Template:
    return render(
        request,
        "email_preferences.html",
        status_code=status_code,
        role=party.role,
        action=party.url,
        preferences=preferences,
        values=values,
        errors=errors,
    )


async def _show(request: Request[Any, Any, Any], session: AsyncSession, party: _Party) -> Template | Redirect:
    recipient = await party.profile(request, session)
    if recipient is None:
        return Redirect(f"/{party.role}/profile", status_code=303)
    preferences = email_preferences_read(recipient)
    return _page(request, party, preferences, values_of(preferences), {})


async def _save(request: Request[Any, Any, Any], session: AsyncSession, party: _Party) -> Template | Redirect:
    """Save the choices, or (the form whose button carries ``subscribed``) stop or restart every email."""
    recipient = await party.profile(request, session)
    if recipient is None:
        return Redirect(f"/{party.role}/profile", status_code=303)
    values = read_values(await request.form())
    fields = SUBSCRIPTION if "subscribed" in values else party.fields
    try:
        data = parse(values, party.schema, fields=fields)
    except FormInvalid as invalid:
        preferences = email_preferences_read(recipient)
        stored = {key: kept for key, kept in values_of(preferences).items() if key not in fields}
        return _page(request, party, preferences, {**stored, **values}, invalid.errors, 422)
    saved = await update_email_preferences(session, recipient, data, request.app.state.clock.now())
    if fields == SUBSCRIPTION:
        flash(request, "flash.resubscribed" if saved.subscribed else "flash.unsubscribed")
    else:
        flash(request, "flash.saved")
    return Redirect(party.url, status_code=303)


class EmailPreferencePages(Controller):
    tags = ["pages"]

    @get("/buyer/emails")
    async def buyer_emails(
        self, request: Request[Any, Any, Any], db_session: NamedDependency[AsyncSession]
    ) -> Template | Redirect:
        return await _show(request, db_session, BUYER)

    @post("/buyer/emails")
    async def save_buyer_emails(
        self, request: Request[Any, Any, Any], db_session: NamedDependency[AsyncSession]
    ) -> Template | Redirect:
        return await _save(request, db_session, BUYER)

    @get("/exhibitor/emails")
    async def exhibitor_emails(
        self, request: Request[Any, Any, Any], db_session: NamedDependency[AsyncSession]
    ) -> Template | Redirect:
        return await _show(request, db_session, EXHIBITOR)

    @post("/exhibitor/emails")
    async def save_exhibitor_emails(
        self, request: Request[Any, Any, Any], db_session: NamedDependency[AsyncSession]
    ) -> Template | Redirect:
        return await _save(request, db_session, EXHIBITOR)
