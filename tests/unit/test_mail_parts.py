"""The events room's pure parts: SMTP URLs, unsubscribe tokens, the retry backoff, and when a fair's digests are due."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any
from uuid import uuid4
from zoneinfo import ZoneInfo

import pytest

from events.fair_days import in_digest_window, is_due
from events.relay import RetryPolicy
from events.transports import smtp_options
from events.unsubscribe import InvalidToken, read_unsubscribe_token, unsubscribe_token
from ocopfair.fairs.models import Fair


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("smtp://mail.local", {"hostname": "mail.local", "port": 25}),
        ("smtp+starttls://fair%40ocop.vn:p%40ss@smtp.example.com:2525", {"port": 2525, "start_tls": True}),
        ("smtp+starttls://smtp.example.com", {"port": 587, "start_tls": True}),
        ("smtps://u:p@smtp.example.com", {"port": 465, "use_tls": True, "username": "u", "password": "p"}),
    ],
)
def test_an_smtp_url_sets_tls_port_and_login(url: str, expected: dict[str, Any]) -> None:
    options = smtp_options(url)
    assert {key: options[key] for key in expected} == expected
    if "starttls://fair" in url:
        assert (options["username"], options["password"]) == ("fair@ocop.vn", "p@ss")
    if url.startswith("smtp://"):
        assert "use_tls" not in options and "start_tls" not in options, "STARTTLS when the server offers it"


def test_an_unsubscribe_token_names_its_recipient_and_resists_tampering() -> None:
    buyer = uuid4()
    token = unsubscribe_token("secret", "buyer", buyer)
    assert read_unsubscribe_token("secret", token) == ("buyer", buyer)
    assert read_unsubscribe_token("secret", unsubscribe_token("secret", "exhibitor", buyer)) == ("exhibitor", buyer)
    assert len(token) < 50 and token.isascii() and "/" not in token
    payload, _, mac = token.partition(".")
    for bad in (token + "x", f"{payload}.{mac[::-1]}", "AAAA.BBBB", "", "..", f"{payload}."):
        with pytest.raises(InvalidToken):
            read_unsubscribe_token("secret", bad)
    with pytest.raises(InvalidToken):
        read_unsubscribe_token("another secret", token)


@pytest.mark.parametrize("attempt", [1, 2, 3, 6, 10])
def test_the_backoff_doubles_with_jitter_up_to_its_cap(attempt: int) -> None:
    policy = RetryPolicy()
    full = min(policy.cap, policy.base * 2 ** (attempt - 1))
    delays = {policy.delay(attempt, random.Random(seed)) for seed in range(20)}
    assert all(full / 2 <= delay < full for delay in delays)
    assert len(delays) > 1, "jitter spreads the retries of messages that failed together"


def fair(**fields: Any) -> Fair:
    defaults: dict[str, Any] = {
        "status": "open",
        "timezone": "Asia/Ho_Chi_Minh",
        "starts_on": dt.date(2026, 12, 17),
        "ends_on": dt.date(2026, 12, 20),
        "digest_days_before": 3,
        "digest_time": dt.time(7, 0),
    }
    return Fair(**(defaults | fields))


@pytest.mark.parametrize(
    ("day", "inside"),
    [
        (dt.date(2026, 12, 13), False),
        (dt.date(2026, 12, 14), True),
        (dt.date(2026, 12, 20), True),
        (dt.date(2026, 12, 21), False),
    ],
)
def test_digests_run_from_days_before_the_fair_to_its_last_day(day: dt.date, inside: bool) -> None:
    assert in_digest_window(fair(), day) is inside


@pytest.mark.parametrize(
    ("local", "status", "due"),
    [
        (dt.time(6, 59), "open", False),
        (dt.time(7, 0), "open", True),
        (dt.time(23, 59), "running", True),
        (dt.time(8, 0), "draft", False),
        (dt.time(8, 0), "closed", False),
    ],
)
def test_a_digest_is_due_from_the_fairs_time_of_day_in_its_own_zone(local: dt.time, status: str, due: bool) -> None:
    at = dt.datetime.combine(dt.date(2026, 12, 15), local, ZoneInfo("Asia/Ho_Chi_Minh")).astimezone(dt.UTC)
    assert is_due(fair(status=status), at, dt.time(7, 0)) is due
