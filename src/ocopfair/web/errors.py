"""What a page shows when something fails: the sign-in page for a visitor who must sign in, else an error page (or,
for an HTMX request, an alert in the page) with the same status and detail the API would give."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import structlog
from advanced_alchemy.exceptions import NotFoundError
from litestar import Request, Response
from litestar.exceptions import HTTPException
from litestar.plugins.htmx import ClientRedirect
from litestar.response import Redirect
from litestar.types import ExceptionHandlersMap

from ocopfair.errors import DomainError, database_unavailable
from ocopfair.web.rendering import render
from ocopfair.web.session import SignInRequired, WrongRole

log = structlog.get_logger(__name__)


def _is_htmx(request: Request[Any, Any, Any]) -> bool:
    return request.headers.get("hx-request") == "true"


def _error_page(request: Request[Any, Any, Any], status: int, message: str) -> Response[Any]:
    template = "partials/alert.html" if _is_htmx(request) else "error.html"
    return render(request, template, status_code=status, status=status, message=message)


def _on_sign_in_required(request: Request[Any, Any, Any], _: SignInRequired) -> Response[Any]:
    target = request.headers.get("hx-current-url") if _is_htmx(request) else None
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    location = f"/sign-in?next={quote(target or here, safe='/')}"
    return ClientRedirect(location) if _is_htmx(request) else Redirect(location, status_code=303)


def _on_wrong_role(request: Request[Any, Any, Any], exc: WrongRole) -> Response[Any]:
    return _error_page(request, 403, f"role:{exc.role}")


def _on_domain_error(request: Request[Any, Any, Any], exc: DomainError) -> Response[Any]:
    return _error_page(request, exc.status_code, exc.detail)


def _on_not_found(request: Request[Any, Any, Any], _: NotFoundError) -> Response[Any]:
    return _error_page(request, 404, "")


def _on_http_exception(request: Request[Any, Any, Any], exc: HTTPException) -> Response[Any]:
    return _error_page(request, exc.status_code, "" if exc.status_code >= 500 else exc.detail)


def _on_unexpected(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    if database_unavailable(exc):
        log.warning("page_database_unavailable", path=request.url.path, method=request.method, error=repr(exc))
        return _error_page(request, 503, "")
    log.error("page_failed", path=request.url.path, method=request.method, exc_info=exc)
    return _error_page(request, 500, "")


WEB_EXCEPTION_HANDLERS: ExceptionHandlersMap = {
    SignInRequired: _on_sign_in_required,
    WrongRole: _on_wrong_role,
    DomainError: _on_domain_error,
    NotFoundError: _on_not_found,
    HTTPException: _on_http_exception,
    Exception: _on_unexpected,
}
