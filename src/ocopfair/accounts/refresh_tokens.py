"""Refresh tokens: how an API client keeps working past its short-lived access token without the password.

A refresh token is ``<id>.<secret>``: the id names a ``RefreshToken`` row, of the secret only a SHA-256 hash is
kept (the secret is 256 random bits, so a plain hash is enough). Each use rotates it: the row's hash is replaced in
one conditional UPDATE, which only one of two racing uses can win, and the expiry moves ``ttl`` past the use. A
refresh token that does not match its row (an old one used again, so someone holds a copy) revokes the row, and
with it the client's sign-in, and so does one past its expiry. The rotation and the revocation commit in their own
transaction, so a refused refresh still revokes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from uuid import UUID

from litestar.exceptions import NotAuthorizedException
from sqlalchemy import delete, update
from sqlalchemy.ext.asyncio import AsyncSession

from ocopfair.accounts.models import RefreshToken, User
from ocopfair.separate_transactions import own_transaction

REFUSED = "the refresh token is unknown, expired, revoked or already used: sign in again"


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _parts(token: str) -> tuple[UUID, str] | None:
    token_id, _, secret = token.partition(".")
    try:
        return UUID(token_id), secret
    except ValueError:
        return None


async def issue_refresh_token(session: AsyncSession, user: User, ttl: dt.timedelta) -> str:
    """A new refresh token for ``user``, in the caller's transaction; expired tokens of anyone are dropped."""
    now = dt.datetime.now(dt.UTC)
    await session.execute(delete(RefreshToken).where(RefreshToken.expires_at <= now))
    secret = secrets.token_urlsafe(32)
    row = RefreshToken(user_id=user.id, secret_hash=_hash(secret), expires_at=now + ttl)
    session.add(row)
    await session.flush()
    return f"{row.id}.{secret}"


async def rotate_refresh_token(session: AsyncSession, token: str, ttl: dt.timedelta) -> tuple[User, str]:
    """The active user ``token`` belongs to and the token that replaces it; 401 for any other token."""
    parts = _parts(token)
    if parts is None:
        raise NotAuthorizedException(REFUSED)
    token_id, secret = parts
    now = dt.datetime.now(dt.UTC)
    fresh = secrets.token_urlsafe(32)
    async with own_transaction(session) as rotation:
        user_id = (
            await rotation.execute(
                update(RefreshToken)
                .where(
                    RefreshToken.id == token_id,
                    RefreshToken.secret_hash == _hash(secret),
                    RefreshToken.expires_at > now,
                )
                .values(secret_hash=_hash(fresh), expires_at=now + ttl)
                .returning(RefreshToken.user_id)
            )
        ).scalar_one_or_none()
        if user_id is None:
            await rotation.execute(delete(RefreshToken).where(RefreshToken.id == token_id))
    user = await session.get(User, user_id) if user_id is not None else None
    if user is None or not user.is_active:
        raise NotAuthorizedException(REFUSED)
    return user, f"{token_id}.{fresh}"


async def revoke_refresh_token(session: AsyncSession, token: str) -> None:
    """Sign a client out: its refresh token stops working (only the current token can do this)."""
    parts = _parts(token)
    if parts is not None:
        token_id, secret = parts
        await session.execute(
            delete(RefreshToken).where(RefreshToken.id == token_id, RefreshToken.secret_hash == _hash(secret))
        )
