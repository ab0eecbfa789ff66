"""Payloads of a buyer's or an exhibitor's email preferences."""

from __future__ import annotations

import datetime as dt
from typing import Literal
from uuid import UUID

import msgspec

from ocopfair.buyers.schemas import Language

Recipient = Literal["buyer", "exhibitor"]


class EmailPreferencesRead(msgspec.Struct):
    """Which emails go to ``contact_email``. While ``subscribed`` is false (since ``unsubscribed_at``) none does,
    whatever the rest says. ``daily_digest``: a buyer's daily matches and meetings, an exhibitor's meetings of the
    day; ``meeting_reminders``: the reminder before each meeting; ``language``: a buyer's emails' language (an
    exhibitor's emails are in Vietnamese: null)."""

    recipient_kind: Recipient
    recipient_id: UUID
    contact_email: str | None
    subscribed: bool
    unsubscribed_at: dt.datetime | None
    daily_digest: bool
    meeting_reminders: bool
    language: Language | None


class EmailPreferencesUpdate(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    """Turn a kind of email on or off; ``subscribed: false`` stops every email, ``true`` resubscribes."""

    subscribed: bool | msgspec.UnsetType = msgspec.UNSET
    daily_digest: bool | msgspec.UnsetType = msgspec.UNSET
    meeting_reminders: bool | msgspec.UnsetType = msgspec.UNSET


class BuyerEmailPreferencesUpdate(EmailPreferencesUpdate, forbid_unknown_fields=True, omit_defaults=True):
    """A buyer's preferences also choose the emails' language (the same ``language`` as its profile)."""

    language: Language | msgspec.UnsetType = msgspec.UNSET
