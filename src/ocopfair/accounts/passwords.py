"""Argon2id password hashing.

The cost comes from ``OCOPFAIR_PASSWORD_PROFILE``, one of argon2-cffi's profiles by name: RFC 9106's low-memory
profile by default (about 64 MiB and a tenth of a second per hash on one core), the high-memory one for a server
that can spare 2 GiB per login, and ``cheapest`` only for the test suite, which registers thousands of users. A hash
carries its own parameters, so passwords stored under one profile still verify under another.
"""

from __future__ import annotations

import os

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError

PROFILES = {
    "rfc_9106_low_memory": profiles.RFC_9106_LOW_MEMORY,
    "rfc_9106_high_memory": profiles.RFC_9106_HIGH_MEMORY,
    "cheapest": profiles.CHEAPEST,
}


def _hasher_from_env() -> PasswordHasher:
    name = os.environ.get("OCOPFAIR_PASSWORD_PROFILE", "rfc_9106_low_memory").strip().lower()
    if name not in PROFILES:
        raise ValueError(f"OCOPFAIR_PASSWORD_PROFILE must be one of {', '.join(PROFILES)}, not {name!r}")
    return PasswordHasher.from_parameters(PROFILES[name])


_hasher = _hasher_from_env()

# Verifying against this keeps a login for an unknown email as slow as one with a wrong password.
_DUMMY_HASH = _hasher.hash("not a real password")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False
