"""Payloads of registration, login and the signed-in user."""

from __future__ import annotations

from typing import Annotated, Literal
from uuid import UUID

import msgspec

from ocopfair.payloads import Email, Name

Role = Literal["organiser", "exhibitor", "buyer"]
Password = Annotated[str, msgspec.Meta(min_length=8, max_length=256)]


class Registration(msgspec.Struct, forbid_unknown_fields=True):
    email: Email
    password: Password
    role: Literal["buyer", "exhibitor"]
    display_name: Name


# Any text an email could be typed as (blanks and capitals are forgiven at sign-in), but no control character: an
# address never holds one, and the login limit keeps what was typed.
LoginEmail = Annotated[str, msgspec.Meta(max_length=320, pattern=r"^[^\x00-\x1f\x7f]*$(?!\n)")]


class Login(msgspec.Struct, forbid_unknown_fields=True):
    email: LoginEmail
    password: Annotated[str, msgspec.Meta(max_length=256)]


class AccessToken(msgspec.Struct):
    """A bearer ``access_token`` good for ``expires_in`` seconds, and the ``refresh_token`` that buys the next pair
    (``POST /api/auth/refresh``); each refresh token works once."""

    access_token: str
    token_type: str
    expires_in: int
    refresh_token: str
    role: Role
    user_id: UUID


class RefreshTokenIn(msgspec.Struct, forbid_unknown_fields=True):
    refresh_token: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]


class UserRead(msgspec.Struct):
    id: UUID
    email: str
    role: Role
    display_name: str
