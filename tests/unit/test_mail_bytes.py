"""The emails' MIME bytes, written without the email package's generator, read back by the email package (its strict
policy) exactly as composed: the headers, the text and HTML alternatives, and each attachment with its parameters."""

from __future__ import annotations

import datetime as dt
import email
from email import policy
from email.message import EmailMessage
from uuid import UUID, uuid4
from zoneinfo import ZoneInfo

import pytest

from events.composer import Addressee, Attachment, Composer
from events.content import FairInfo, MeetingLine
from events.mime import headers
from ocopfair.settings import Settings

AT = dt.datetime(2026, 12, 18, 1, 30, tzinfo=dt.UTC)
ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
INVITES = (
    Attachment("meeting-20261218-0900.ics", b"BEGIN:VCALENDAR\r\nSUMMARY:G\xe1\xba\xb7p HTX\r\nEND:VCALENDAR\r\n"),
    Attachment("lịch gặp.ics", b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", params={"method": "REQUEST"}),
)


def composer() -> Composer:
    return Composer(Settings(database_url="sqlite+aiosqlite:///:memory:", secret_key="mail-bytes-" + "k" * 32))


def reminder(fair_name: str) -> dict[str, object]:
    starts = dt.datetime(2026, 12, 18, 9, 0, tzinfo=ZONE)
    return {
        "fair": FairInfo(
            fair_name, "Trung tâm Hội chợ Triển lãm Việt Nam", dt.date(2026, 12, 17), dt.date(2026, 12, 20)
        ),
        "recipient_name": "Công ty Thương mại Sông Hồng",
        "meeting": MeetingLine(starts, starts + dt.timedelta(minutes=30), "HTX Nước mắm Cát Hải", "Nhà A, gian A-012"),
        "minutes": 30,
    }


def parsed(body: bytes) -> EmailMessage:
    message = email.message_from_bytes(body, policy=policy.strict)
    assert isinstance(message, EmailMessage)
    return message


@pytest.mark.parametrize(
    ("language", "fair_name"),
    [
        ("vi", "Hội chợ OCOP toàn quốc 2026"),
        ("en", "OCOP national fair 2026"),
        ("vi", "Hội chợ sản phẩm OCOP và làng nghề truyền thống các tỉnh đồng bằng sông Hồng " * 8),
    ],
)
def test_a_composed_email_reads_back_as_composed(language: str, fair_name: str) -> None:
    mail = composer()
    to = Addressee("buyer", uuid4(), "Công ty Thương mại Sông Hồng", "thumua@songhong.vn", language)
    outbox_id = uuid4()
    letter = mail.compose("reminder", to, reminder(fair_name), outbox_id=outbox_id, at=AT, attachments=INVITES)
    lines = letter.body.split(b"\r\n")
    assert b"\n" not in b"".join(lines) and b"\r" not in b"".join(lines), "CRLF line ends only"
    assert max(len(line) for line in lines) <= 998

    message = parsed(letter.body)
    unsubscribe = mail.unsubscribe_url("buyer", to.id)
    subject, text, html = mail.render("reminder", language, {**reminder(fair_name), "unsubscribe_url": unsubscribe})
    assert str(message["Subject"]) == subject == letter.subject
    assert str(message["From"]) == "Hội chợ OCOP <no-reply@ocopfair.invalid>"
    assert str(message["To"]) == "Công ty Thương mại Sông Hồng <thumua@songhong.vn>"
    assert message["Message-ID"] == letter.message_id == f"<{outbox_id}@ocopfair.invalid>"
    assert message["Date"].datetime == AT
    assert message["List-Unsubscribe"] == f"<{unsubscribe}>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message["Auto-Submitted"] == "auto-generated"
    assert message["Content-Language"] == language

    shape = [(part.get_content_type(), part.get_filename()) for part in message.walk()]
    assert shape == [
        ("multipart/mixed", None),
        ("multipart/alternative", None),
        ("text/plain", None),
        ("text/html", None),
        ("text/calendar", INVITES[0].filename),
        ("text/calendar", INVITES[1].filename),
    ]
    assert not [part.defects for part in message.walk() if part.defects]
    plain, rich = message.get_body(("plain",)), message.get_body(("html",))
    assert plain is not None and rich is not None
    assert (plain.get_content(), rich.get_content()) == (text, html)
    for part, attached in zip(message.iter_attachments(), INVITES, strict=True):
        assert part.get_payload(decode=True) == attached.content
        assert {name: part.get_param(name) for name in attached.params} == attached.params
        assert part.get_content_disposition() == "attachment"


def test_boundaries_are_the_messages_own_and_never_a_prefix_of_one_another() -> None:
    outbox_id = UUID("00000000-0000-4000-8000-000000000abc")
    to = Addressee("exhibitor", uuid4(), "HTX Cát Hải", "cathai@example.vn")
    letter = composer().compose("reminder", to, reminder("Hội chợ"), outbox_id=outbox_id, at=AT, attachments=INVITES)
    message = parsed(letter.body)
    outer, inner = message.get_boundary(), next(message.iter_parts()).get_boundary()
    assert outer is not None and inner is not None and outbox_id.hex in outer and outbox_id.hex in inner
    assert not outer.startswith(inner) and not inner.startswith(outer)
    delimiters = [line for line in letter.body.split(b"\r\n") if line.startswith(b"--")]
    assert sorted(set(delimiters)) == sorted(
        f"--{boundary}{end}".encode() for boundary in (outer, inner) for end in ("", "--")
    )


def test_a_header_value_folded_with_line_feeds_is_written_with_crlf() -> None:
    written = headers([("Subject", "=?utf-8?b?SOG7mWkgY2jhu6M=?=\n =?utf-8?b?T0NPUA==?="), ("To", "a@example.vn")])
    assert written == b"Subject: =?utf-8?b?SOG7mWkgY2jhu6M=?=\r\n =?utf-8?b?T0NPUA==?=\r\nTo: a@example.vn\r\n\r\n"
    with pytest.raises(UnicodeEncodeError):
        headers([("Subject", "Hội chợ")])
