"""Which failures mean "the database is out of reach for now" (a 503 the client may retry) and which are bugs or
broken rules (500, 409): the classification behind ``errors.database_unavailable``, wrapped as the layers wrap it."""

from __future__ import annotations

import errno
import socket
import sqlite3

import pytest
import sqlalchemy.exc
from advanced_alchemy.exceptions import IntegrityError, RepositoryError

from ocopfair.errors import database_unavailable


class PostgresError(Exception):
    """What asyncpg raises: an error carrying the server's SQLSTATE."""

    def __init__(self, sqlstate: str) -> None:
        super().__init__(sqlstate)
        self.sqlstate = sqlstate


def dbapi(orig: Exception, *, invalidated: bool = False) -> sqlalchemy.exc.DBAPIError:
    return sqlalchemy.exc.DBAPIError("SELECT 1", {}, orig, connection_invalidated=invalidated)


def wrapped(cause: Exception, outer: Exception) -> Exception:
    """``outer`` raised ``from cause``, as advanced-alchemy's repository wraps driver errors."""
    try:
        raise outer from cause
    except Exception as exc:
        return exc


@pytest.mark.parametrize(
    ("failure", "unavailable"),
    [
        (ConnectionRefusedError(errno.ECONNREFUSED, "refused"), True),
        (ConnectionResetError(errno.ECONNRESET, "reset"), True),
        (TimeoutError("connect timed out"), True),
        (socket.gaierror(-2, "Name or service not known"), True),
        (OSError(errno.EHOSTUNREACH, "No route to host"), True),
        (dbapi(Exception("connection is closed"), invalidated=True), True),
        (dbapi(PostgresError("57P01")), True),  # terminated by an administrator, or the server shutting down
        (dbapi(PostgresError("57P03")), True),  # the server is starting up
        (dbapi(PostgresError("08006")), True),  # connection failure
        (dbapi(PostgresError("53300")), True),  # too many connections
        (sqlalchemy.exc.TimeoutError("QueuePool limit reached"), True),
        (dbapi(sqlite3.OperationalError("database is locked")), True),
        (wrapped(dbapi(Exception("gone"), invalidated=True), IntegrityError(detail="statement failed")), True),
        (wrapped(ConnectionRefusedError(), RepositoryError(detail="wrapped")), True),
        (dbapi(PostgresError("23505")), False),  # a unique rule broken: 409, not 503
        (dbapi(PostgresError("42703")), False),  # an unknown column: a bug, 500
        (dbapi(sqlite3.OperationalError("no such table: fair")), False),
        (PermissionError(errno.EACCES, "Permission denied"), False),
        (FileNotFoundError(errno.ENOENT, "No such file"), False),
        (ValueError("bad"), False),
        (wrapped(ValueError("bad"), RepositoryError(detail="wrapped")), False),
    ],
)
def test_database_unavailable(failure: Exception, unavailable: bool) -> None:
    assert database_unavailable(failure) is unavailable
