"""Signing in with a limit on guessing: so many failed attempts per account and per client address in a window.

Every attempt is written (and committed, in a transaction of its own) before the password is checked, then counted:
the attempt that finds more than the limit before it is refused with 429 and its row removed, so a refused attempt
never lengthens the wait. Because the row is committed before the count, two workers racing cannot both slip under
the limit. A success removes the account's attempts (its failures are forgiven); a failure keeps its row until the
window has passed. Unknown emails are counted like real ones and a wrong password answers exactly like an unknown
account, so neither the answer nor the limit tells whether an account exists.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from litestar import Request
from sqlalchemy import delete, or_, select

from ocopfair.accounts.models import LoginAttempt, User
from ocopfair.accounts.services import UserService, normalise_email
from ocopfair.errors import TooManyRequests
from ocopfair.separate_transactions import own_transaction
from ocopfair.settings import Settings

WRONG_PASSWORD = "wrong email or password"
TOO_MANY = "too many sign-in attempts: try again in {minutes} minute{s}"


@dataclass(frozen=True, slots=True)
class LoginLimits:
    per_account: int
    per_address: int
    window: dt.timedelta

    @classmethod
    def of(cls, settings: Settings) -> LoginLimits:
        return cls(
            settings.login_attempts_per_account,
            settings.login_attempts_per_address,
            dt.timedelta(minutes=settings.login_window_minutes),
        )


def client_address(request: Request[Any, Any, Any]) -> str:
    """The client's address as the server saw it (behind a proxy, what the trusted proxy forwarded)."""
    return request.client.host if request.client else "unknown"


def wait_before_next(others: Sequence[dt.datetime], limit: int, window: dt.timedelta, now: dt.datetime) -> float:
    """Seconds until one more attempt fits under ``limit``, given the times of the ``others`` still in the window
    (0 when it fits now): the oldest must first leave the window until fewer than ``limit`` remain."""
    if len(others) < limit:
        return 0.0
    must_leave = sorted(others)[len(others) - limit]
    return max(0.0, (must_leave + window - now).total_seconds())


async def sign_in(users: UserService, email: str, password: str, address: str, limits: LoginLimits) -> User | None:
    """The active account with this email and password, or None; TooManyRequests when the account or the address
    has used up its attempts."""
    account = normalise_email(email)[:320]
    address = address[:64]
    session = users.repository.session
    now = dt.datetime.now(dt.UTC)
    attempt = LoginAttempt(email=account, address=address, attempted_at=now)
    async with own_transaction(session) as record:
        await record.execute(delete(LoginAttempt).where(LoginAttempt.attempted_at < now - limits.window))
        record.add(attempt)
    async with own_transaction(session) as count:
        others = (
            await count.execute(
                select(LoginAttempt.email, LoginAttempt.address, LoginAttempt.attempted_at).where(
                    or_(LoginAttempt.email == account, LoginAttempt.address == address),
                    LoginAttempt.attempted_at >= now - limits.window,
                    LoginAttempt.id != attempt.id,
                )
            )
        ).all()
        by_account = [at for who, _, at in others if who == account]
        by_address = [at for _, where, at in others if where == address]
        wait = max(
            wait_before_next(by_account, limits.per_account, limits.window, now),
            wait_before_next(by_address, limits.per_address, limits.window, now),
        )
        if wait > 0:
            await count.execute(delete(LoginAttempt).where(LoginAttempt.id == attempt.id))
    if wait > 0:
        minutes = max(1, math.ceil(wait / 60))
        raise TooManyRequests(TOO_MANY.format(minutes=minutes, s="" if minutes == 1 else "s"), math.ceil(wait))
    user = await users.authenticate(email, password)
    if user is not None:
        async with own_transaction(session) as forgive:
            await forgive.execute(delete(LoginAttempt).where(LoginAttempt.email == account))
    return user
