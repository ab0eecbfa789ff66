"""Rendering emails: Jinja2 templates in the recipient's language (``templates/vi``, ``templates/en``), plain text
and HTML alternatives, .ics attachments, and the headers every message carries (Message-ID from the outbox row,
List-Unsubscribe with a signed link, Auto-Submitted).

A text template sets the subject (``{% set subject %}…{% endset %}``), so wording stays in the templates. The MIME
bytes are written by ``events.mime`` (the email package's generator cost a third of a digest), text parts in base64,
headers not folded below RFC 5322's 998 characters so the unsubscribe URL stays one token. Templates are compiled once
per process (no reload check per message).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from email.header import Header
from email.utils import format_datetime, formataddr, parseaddr
from typing import Any
from uuid import UUID

from jinja2 import Environment, PackageLoader, StrictUndefined, pass_context, select_autoescape
from jinja2.runtime import Context

from events.mime import header_value, leaf, multipart
from events.unsubscribe import Recipient, unsubscribe_token
from matching.explain import format_number
from ocopfair.settings import Settings

LANGUAGES = ("vi", "en")

MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True, slots=True)
class Addressee:
    """Who an email goes to: a buyer or an exhibitor, by name and address, in their language."""

    kind: Recipient
    id: UUID
    name: str
    email: str
    language: str = "vi"


@dataclass(frozen=True, slots=True)
class Attachment:
    filename: str
    content: bytes
    maintype: str = "text"
    subtype: str = "calendar"
    params: dict[str, str] = field(default_factory=lambda: {"method": "REQUEST", "charset": "utf-8"})


@dataclass(frozen=True, slots=True)
class Letter:
    """A rendered email, ready for the outbox."""

    subject: str
    message_id: str
    body: bytes


@pass_context
def _date(context: Context, value: dt.date) -> str:
    if context.get("language") == "en":
        return f"{value.day} {MONTHS_EN[value.month - 1]} {value.year}"
    return f"{value.day:02d}/{value.month:02d}/{value.year}"


def _hm(value: dt.datetime) -> str:
    return f"{value.hour:02d}:{value.minute:02d}"


@pass_context
def _number(context: Context, value: float) -> str:
    return format_number(value, "en" if context.get("language") == "en" else "vi")


def template_environment() -> Environment:
    environment = Environment(
        loader=PackageLoader("events", "templates"),
        autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=False),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )
    environment.filters.update({"date": _date, "hm": _hm, "number": _number})
    return environment


class Composer:
    """Turns a template and its context into a complete MIME message for one addressee."""

    def __init__(self, settings: Settings, environment: Environment | None = None) -> None:
        self.sender = settings.mail_from
        sender_name, self.sender_address = parseaddr(settings.mail_from)
        self.sender_header = formataddr((sender_name, self.sender_address), charset="utf-8")
        self.domain = self.sender_address.rpartition("@")[2] or "ocopfair.invalid"
        self.public_url = settings.public_url.rstrip("/")
        self.secret_key = settings.secret_key
        self.environment = environment or template_environment()

    def unsubscribe_url(self, kind: Recipient, recipient_id: UUID) -> str:
        return f"{self.public_url}/api/unsubscribe/{unsubscribe_token(self.secret_key, kind, recipient_id)}"

    def render(self, name: str, language: str, context: dict[str, Any]) -> tuple[str, str, str]:
        """Subject, plain text and HTML of template ``name`` in ``language`` (Vietnamese when unknown)."""
        language = language if language in LANGUAGES else "vi"
        values = {**context, "language": language}
        text_module = self.environment.get_template(f"{language}/{name}.txt").make_module(values)
        html = self.environment.get_template(f"{language}/{name}.html").render(values)
        subject = " ".join(str(getattr(text_module, "subject", "")).split())
        return subject, str(text_module), html

    def compose(
        self,
        name: str,
        to: Addressee,
        context: dict[str, Any],
        *,
        outbox_id: UUID,
        at: dt.datetime,
        attachments: tuple[Attachment, ...] = (),
    ) -> Letter:
        unsubscribe = self.unsubscribe_url(to.kind, to.id)
        subject, text, html = self.render(name, to.language, {**context, "unsubscribe_url": unsubscribe})
        message_id = f"<{outbox_id}@{self.domain}>"
        utf8 = {"charset": "utf-8"}
        alternatives = multipart(
            "alternative",
            f"=_alternative_{outbox_id.hex}",
            [leaf("text/plain", utf8, text.encode()), leaf("text/html", utf8, html.encode())],
        )
        attached = [
            leaf(
                f"{item.maintype}/{item.subtype}",
                item.params,
                item.content,
                [("Content-Disposition", header_value("attachment", {"filename": item.filename}))],
            )
            for item in attachments
        ]
        fields = [
            ("From", self.sender_header),
            ("To", formataddr((to.name, to.email), charset="utf-8")),
            ("Subject", Header(subject, "utf-8", header_name="Subject").encode(maxlinelen=998)),
            ("Date", format_datetime(at.astimezone(dt.UTC))),
            ("Message-ID", message_id),
            ("List-Unsubscribe", f"<{unsubscribe}>"),
            ("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"),
            ("Auto-Submitted", "auto-generated"),
            ("Content-Language", to.language),
            ("MIME-Version", "1.0"),
        ]
        body = multipart("mixed", f"=_mixed_{outbox_id.hex}", [alternatives, *attached], fields)
        return Letter(subject=subject, message_id=message_id, body=body)
