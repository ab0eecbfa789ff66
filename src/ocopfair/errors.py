"""Domain errors and the one place that turns every failure into an RFC 9457 problem+json answer."""

from __future__ import annotations

import errno
import socket
import sqlite3
from http import HTTPStatus
from typing import Any

import sqlalchemy.exc
import structlog
from advanced_alchemy.exceptions import IntegrityError, NotFoundError, RepositoryError
from litestar import Request, Response
from litestar.exceptions import HTTPException, ValidationException
from litestar.types import ExceptionHandlersMap

PROBLEM_JSON = "application/problem+json"
RETRY_AFTER_SECONDS = 5
log = structlog.get_logger(__name__)

_NETWORK_ERRNOS = frozenset({errno.ENETDOWN, errno.ENETUNREACH, errno.EHOSTDOWN, errno.EHOSTUNREACH})
_UNREACHABLE_SQLSTATES = ("08", "53300", "57P")  # connection lost; too many connections; shut down or starting


class DomainError(Exception):
    """A failure the client can understand; ``status_code`` says which HTTP answer it becomes."""

    status_code = 400

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail

    @property
    def headers(self) -> dict[str, str]:
        """Headers the answer carries beside its problem body."""
        return {}


class BadRequest(DomainError):
    """Input that is malformed on its face: an unknown code in a query parameter, say."""

    status_code = 400


class NotFound(DomainError):
    status_code = 404


class Forbidden(DomainError):
    status_code = 403


class Conflict(DomainError):
    status_code = 409


class TooManyRequests(DomainError):
    """Too many attempts within a while; the answer's Retry-After says in how many seconds one is welcome again."""

    status_code = 429

    def __init__(self, detail: str, retry_after_s: int) -> None:
        super().__init__(detail)
        self.retry_after_s = retry_after_s

    @property
    def headers(self) -> dict[str, str]:
        return {"Retry-After": str(self.retry_after_s)}


class Unprocessable(DomainError):
    """Well-formed input that refers to something that does not exist or breaks a rule of the domain."""

    status_code = 422


def problem_body(status: int, detail: str, instance: str) -> dict[str, Any]:
    return {
        "type": "about:blank",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        "instance": instance,
    }


def problem(
    request: Request[Any, Any, Any], status: int, detail: str, headers: dict[str, str] | None = None, **extra: Any
) -> Response[dict[str, Any]]:
    body = problem_body(status, detail, request.url.path)
    body.update({key: value for key, value in extra.items() if value is not None})
    return Response(content=body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def _says_unreachable(exc: BaseException) -> bool:
    if isinstance(exc, sqlalchemy.exc.DBAPIError) and exc.connection_invalidated:
        return True
    if isinstance(exc, sqlalchemy.exc.TimeoutError | ConnectionError | TimeoutError | socket.gaierror):
        return True
    if isinstance(exc, OSError) and exc.errno in _NETWORK_ERRNOS:
        return True
    if isinstance(exc, sqlite3.OperationalError) and "database is locked" in str(exc):
        return True
    sqlstate = getattr(exc, "sqlstate", None)
    return isinstance(sqlstate, str) and sqlstate.startswith(_UNREACHABLE_SQLSTATES)


def database_unavailable(exc: BaseException) -> bool:
    """Whether ``exc``, or anything it wraps, says the database is out of reach for now rather than that the request
    or the code is wrong: refused or dropped connections, a server shutting down or starting up, a connection
    terminated by an administrator, no free connection in the pool, SQLite busy past its timeout.

    The layers wrap driver errors (a dropped connection reaches us as advanced-alchemy's ``IntegrityError`` around
    SQLAlchemy's ``DBAPIError`` around asyncpg's), so every cause, context and ``orig`` is searched."""
    seen: set[int] = set()
    pending: list[BaseException | None] = [exc]
    while pending:
        current = pending.pop()
        if current is None or id(current) in seen:
            continue
        if _says_unreachable(current):
            return True
        seen.add(id(current))
        pending += [current.__cause__, current.__context__, getattr(current, "orig", None)]
    return False


def _on_database_unavailable(request: Request[Any, Any, Any], exc: Exception) -> Response[dict[str, Any]]:
    log.warning("database_unavailable", path=request.url.path, method=request.method, error=repr(exc))
    return problem(
        request,
        503,
        "The database cannot be reached just now; nothing was changed. Try again in a few seconds.",
        headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
    )


def _validation_detail(exc: ValidationException) -> str:
    messages = []
    for item in exc.extra if isinstance(exc.extra, list) else []:
        if isinstance(item, dict):
            where = item.get("key")
            message = str(item.get("message", "")).strip()
            messages.append(f"{where}: {message}" if where and where != "data" else message)
    return "; ".join(m for m in messages if m) or exc.detail


def _on_http_exception(request: Request[Any, Any, Any], exc: HTTPException) -> Response[dict[str, Any]]:
    if isinstance(exc, ValidationException):
        return problem(request, exc.status_code, _validation_detail(exc), errors=exc.extra or None)
    return problem(request, exc.status_code, exc.detail, headers=dict(exc.headers or {}))


def _on_domain_error(request: Request[Any, Any, Any], exc: DomainError) -> Response[dict[str, Any]]:
    return problem(request, exc.status_code, exc.detail, headers=exc.headers or None)


def _on_not_found(request: Request[Any, Any, Any], exc: NotFoundError) -> Response[dict[str, Any]]:
    return problem(request, 404, "Not found")


def _on_integrity_error(
    request: Request[Any, Any, Any], exc: IntegrityError | sqlalchemy.exc.IntegrityError
) -> Response[dict[str, Any]]:
    if database_unavailable(exc):
        return _on_database_unavailable(request, exc)
    log.info("integrity_error", path=request.url.path, error=str(exc))
    return problem(request, 409, "The change conflicts with existing data (a unique or referential rule was broken)")


def _on_unexpected(request: Request[Any, Any, Any], exc: Exception) -> Response[dict[str, Any]]:
    if database_unavailable(exc):
        return _on_database_unavailable(request, exc)
    log.error("unhandled_error", path=request.url.path, method=request.method, exc_info=exc)
    return problem(request, 500, "Internal server error")


def _on_repository_error(request: Request[Any, Any, Any], exc: RepositoryError) -> Response[dict[str, Any]]:
    return _on_unexpected(request, exc)


EXCEPTION_HANDLERS: ExceptionHandlersMap = {
    HTTPException: _on_http_exception,
    DomainError: _on_domain_error,
    NotFoundError: _on_not_found,
    IntegrityError: _on_integrity_error,
    sqlalchemy.exc.IntegrityError: _on_integrity_error,
    RepositoryError: _on_repository_error,
    Exception: _on_unexpected,
}
