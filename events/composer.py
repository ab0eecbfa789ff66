"""Rendering emails: Jinja2 templates in the recipient's language (``templates/vi``, ``templates/en``), plain text
and HTML alternatives, .ics attachments, and the headers every message carries (Message-ID from the outbox row,
List-Unsubscribe with a signed link, Auto-Submitted).

A text template sets the subject (``{% set subject %}…{% endset %}``), so wording stays in the templates. Messages are
built with ``email.mime`` (several times faster than ``EmailMessage``, which matters for thousands of digests), text
parts in base64, headers not folded below RFC 5322's 998 characters so the unsubscribe URL stays one token.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from email import encoders
from email.header import Header
from email.mime.base import MIMEBase
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.policy import Compat32
from email.utils import format_datetime, formataddr, parseaddr
from typing import Any
from uuid import UUID

from jinja2 import Environment, PackageLoader, StrictUndefined, pass_context, select_autoescape
from jinja2.runtime import Context

from events.unsubscribe import Recipient, unsubscribe_token
from matching.explain import format_number
from ocopfair.settings import Settings

LANGUAGES = ("vi", "en")


class _MailPolicy(Compat32):
    """compat32 with CRLF, writing an ASCII header that fits a line as it is: our values are encoded already, and
    compat32 would otherwise re-encode every header of every part, a third of the time a digest takes."""

    def fold_binary(self, name: str, value: Any) -> bytes:
        if isinstance(value, str) and value.isascii() and len(name) + len(value) + 2 <= (self.max_line_length or 998):
            return f"{name}: {value}{self.linesep}".encode("ascii")
        folded: bytes = super().fold_binary(name, value)
        return folded


MAIL_POLICY = _MailPolicy(linesep="\r\n", max_line_length=998)
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
        alternatives = MIMEMultipart("alternative")
        alternatives.attach(MIMEText(text, "plain", "utf-8"))
        alternatives.attach(MIMEText(html, "html", "utf-8"))
        message = MIMEMultipart("mixed")
        message.attach(alternatives)
        for item in attachments:
            part = MIMEBase(item.maintype, item.subtype)
            for param, value in item.params.items():
                part.set_param(param, value)
            part.set_payload(item.content)
            encoders.encode_base64(part)
            part.add_header("Content-Disposition", "attachment", filename=item.filename)
            message.attach(part)
        message["From"] = self.sender_header
        message["To"] = formataddr((to.name, to.email), charset="utf-8")
        message["Subject"] = Header(subject, "utf-8").encode(maxlinelen=998)
        message["Date"] = format_datetime(at.astimezone(dt.UTC))
        message["Message-ID"] = message_id
        message["List-Unsubscribe"] = f"<{unsubscribe}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        message["Auto-Submitted"] = "auto-generated"
        message["Content-Language"] = to.language
        return Letter(subject=subject, message_id=message_id, body=message.as_bytes(policy=MAIL_POLICY))
