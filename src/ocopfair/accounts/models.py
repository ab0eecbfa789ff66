"""User accounts (organisers, exhibitors and buyers), their refresh tokens, and recent login attempts."""

from __future__ import annotations

import datetime as dt
from uuid import UUID

from advanced_alchemy.base import UUIDAuditBase, UUIDBase
from advanced_alchemy.types import DateTimeUTC
from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column


class User(UUIDAuditBase):
    """Someone who signs in; ``role`` is organiser, exhibitor or buyer."""

    __tablename__ = "user_account"

    email: Mapped[str] = mapped_column(String(320), unique=True, index=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20))
    display_name: Mapped[str] = mapped_column(String(200))
    is_active: Mapped[bool] = mapped_column(default=True)


class RefreshToken(UUIDAuditBase):
    """One signed-in API client's refresh token; its id is the token's public half. Only a hash of the secret half
    is kept, and each use replaces it, so a stolen token that is used after its owner has refreshed (or the other
    way round) is recognised as reuse and the whole sign-in is revoked."""

    __tablename__ = "refresh_token"

    user_id: Mapped[UUID] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    secret_hash: Mapped[str] = mapped_column(String(64))
    expires_at: Mapped[dt.datetime] = mapped_column(DateTimeUTC(timezone=True), index=True)


class LoginAttempt(UUIDBase):
    """A login attempt not yet known to have succeeded, counted per account (the email typed, whether an account
    has it or not) and per client address within the rate limit's window; kept in the database so that every web
    worker counts the same attempts."""

    __tablename__ = "login_attempt"

    email: Mapped[str] = mapped_column(String(320))
    address: Mapped[str] = mapped_column(String(64))
    attempted_at: Mapped[dt.datetime] = mapped_column(DateTimeUTC(timezone=True), index=True)

    __table_args__ = (
        Index("ix_login_attempt_email_time", "email", "attempted_at"),
        Index("ix_login_attempt_address_time", "address", "attempted_at"),
    )
