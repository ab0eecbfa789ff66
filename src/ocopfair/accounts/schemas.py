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


class Login(msgspec.Struct, forbid_unknown_fields=True):
    email: Annotated[str, msgspec.Meta(max_length=320)]
    password: Annotated[str, msgspec.Meta(max_length=256)]


class AccessToken(msgspec.Struct):
    access_token: str
    token_type: str
    role: Role
    user_id: UUID


class UserRead(msgspec.Struct):
    id: UUID
    email: str
    role: Role
    display_name: str
