"""Domain errors and the one place that turns every failure into an RFC 9457 problem+json answer."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

import sqlalchemy.exc
import structlog
from advanced_alchemy.exceptions import IntegrityError, NotFoundError, RepositoryError
from litestar import Request, Response
from litestar.exceptions import HTTPException, ValidationException
from litestar.types import ExceptionHandlersMap

PROBLEM_JSON = "application/problem+json"
log = structlog.get_logger(__name__)


class DomainError(Exception):
    """A failure the client can understand; ``status_code`` says which HTTP answer it becomes."""

    status_code = 400

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class BadRequest(DomainError):
    """Input that is malformed on its face: an unknown code in a query parameter, say."""

    status_code = 400


class NotFound(DomainError):
    status_code = 404


class Forbidden(DomainError):
    status_code = 403


class Conflict(DomainError):
    status_code = 409


class Unprocessable(DomainError):
    """Well-formed input that refers to something that does not exist or breaks a rule of the domain."""

    status_code = 422


def problem(
    request: Request[Any, Any, Any], status: int, detail: str, headers: dict[str, str] | None = None, **extra: Any
) -> Response[dict[str, Any]]:
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        "instance": request.url.path,
    }
    body.update({key: value for key, value in extra.items() if value is not None})
    return Response(content=body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


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
    return problem(request, exc.status_code, exc.detail)


def _on_not_found(request: Request[Any, Any, Any], exc: NotFoundError) -> Response[dict[str, Any]]:
    return problem(request, 404, "Not found")


def _on_integrity_error(
    request: Request[Any, Any, Any], exc: IntegrityError | sqlalchemy.exc.IntegrityError
) -> Response[dict[str, Any]]:
    log.info("integrity_error", path=request.url.path, error=str(exc))
    return problem(request, 409, "The change conflicts with existing data (a unique or referential rule was broken)")


def _on_unexpected(request: Request[Any, Any, Any], exc: Exception) -> Response[dict[str, Any]]:
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
