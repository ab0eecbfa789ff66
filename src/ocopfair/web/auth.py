"""Signing in and out, registering a buyer or exhibitor account, and choosing the pages' language."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, get, post
from litestar.datastructures import Cookie
from litestar.di import NamedDependency
from litestar.params import FromPath, QueryParameter
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from ocopfair.accounts.login_throttle import WRONG_PASSWORD, LoginLimits, client_address
from ocopfair.accounts.login_throttle import sign_in as check_sign_in
from ocopfair.accounts.schemas import Login, Registration
from ocopfair.accounts.services import UserService
from ocopfair.errors import DomainError, TooManyRequests
from ocopfair.web.forms import FORM, FormInvalid, parse, place_message, read_values, schema_names
from ocopfair.web.i18n import LANGUAGE_COOKIE, LANGUAGES
from ocopfair.web.rendering import render
from ocopfair.web.session import flash, sign_in

HOMES = {"organiser": "/organiser", "buyer": "/buyer", "exhibitor": "/exhibitor"}
YEAR_S = 365 * 24 * 3600


def local_path(target: str | None, fallback: str = "/") -> str:
    """Where to go next: a path on this site only, never another site (an open redirect)."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return fallback


class AuthPages(Controller):
    tags = ["pages"]

    @get("/sign-in")
    async def sign_in_form(
        self, request: Request[Any, Any, Any], next_path: Annotated[str, QueryParameter(name="next")] = ""
    ) -> Template:
        return render(request, "auth/sign_in.html", values={}, errors={}, next_path=local_path(next_path, ""))

    @post("/sign-in")
    async def sign_in(self, request: Request[Any, Any, Any], db_session: NamedDependency[AsyncSession]) -> Any:
        form = await request.form()
        values = read_values(form)
        next_path = local_path(str(form.get("next") or ""), "")
        values.pop("next", None)
        status_code, headers = 422, {}
        try:
            login = parse(values, Login)
            limits = LoginLimits.of(request.app.state.settings)
            users = UserService(session=db_session)
            user = await check_sign_in(users, login.email, login.password, client_address(request), limits)
        except FormInvalid as invalid:
            errors = invalid.errors
        except TooManyRequests as refusal:
            errors, status_code, headers = {FORM: refusal.detail}, refusal.status_code, refusal.headers
        else:
            if user is not None:
                sign_in(request, user)
                return Redirect(local_path(next_path, HOMES[user.role]), status_code=303)
            errors = {FORM: WRONG_PASSWORD}
        values.pop("password", None)
        page = render(
            request, "auth/sign_in.html", status_code=status_code, values=values, errors=errors, next_path=next_path
        )
        page.headers.update(headers)
        return page

    @get("/register")
    async def register_form(self, request: Request[Any, Any, Any]) -> Template:
        return render(request, "auth/register.html", values={"role": ["buyer"]}, errors={})

    @post("/register")
    async def register(self, request: Request[Any, Any, Any], db_session: NamedDependency[AsyncSession]) -> Any:
        """The API's registration, then signed in and on to the profile the account needs next."""
        values = read_values(await request.form())
        try:
            data = parse(values, Registration)
            user = await UserService(session=db_session).register(
                data.email, data.password, data.role, data.display_name
            )
        except FormInvalid as invalid:
            errors = invalid.errors
        except DomainError as refusal:
            errors = place_message(refusal.detail, schema_names(Registration))
        else:
            sign_in(request, user)
            flash(request, "flash.registered")
            return Redirect(f"{HOMES[user.role]}/profile", status_code=303)
        values.pop("password", None)
        return render(request, "auth/register.html", status_code=422, values=values, errors=errors)

    @post("/sign-out")
    async def sign_out(self, request: Request[Any, Any, Any]) -> Redirect:
        request.clear_session()
        return Redirect("/", status_code=303)

    @get("/language/{language:str}")
    async def language(
        self,
        language: FromPath[str],
        next_path: Annotated[str, QueryParameter(name="next")] = "/",
    ) -> Redirect:
        """Remember the chosen language for a year and go back to the page."""
        chosen = language if language in LANGUAGES else "vi"
        cookie = Cookie(key=LANGUAGE_COOKIE, value=chosen, max_age=YEAR_S, samesite="lax", httponly=True)
        return Redirect(local_path(next_path), status_code=303, cookies=[cookie])
