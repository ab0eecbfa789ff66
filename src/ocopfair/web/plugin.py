"""The web pages as one Litestar plugin: their router (cookie session, CSRF, HTMX requests, HTML error pages), the
Jinja2 templates and the static files. The API's routes and their bearer tokens are left as they are: the pages live
outside ``/api``, which the JWT middleware leaves alone (``PUBLIC_PATHS``), and authenticate with their own session.
"""

from __future__ import annotations

from pathlib import Path

from advanced_alchemy.extensions.litestar import SQLAlchemyAsyncConfig
from litestar import Router
from litestar.config.app import AppConfig
from litestar.datastructures import CacheControlHeader
from litestar.exceptions import ImproperlyConfiguredException
from litestar.middleware import DefineMiddleware
from litestar.middleware.csrf import CSRFMiddleware
from litestar.plugins import InitPluginProtocol
from litestar.plugins.htmx import HTMXRequest
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.static_files import create_static_files_router
from litestar.template.config import TemplateConfig

from ocopfair.settings import Settings
from ocopfair.web.auth import AuthPages
from ocopfair.web.buyer import BuyerPages
from ocopfair.web.email_preferences import EmailPreferencePages
from ocopfair.web.errors import WEB_EXCEPTION_HANDLERS
from ocopfair.web.exhibitor import ExhibitorPages
from ocopfair.web.organiser import OrganiserPages
from ocopfair.web.outbox import OutboxPages
from ocopfair.web.public import PublicPages
from ocopfair.web.rendering import template_environment
from ocopfair.web.session import csrf_config, load_visitor, session_middleware

STATIC = Path(__file__).parent / "static"


class WebPlugin(InitPluginProtocol):
    """Adds the pages to the app built by ``create_app``."""

    def __init__(self, settings: Settings, database: SQLAlchemyAsyncConfig) -> None:
        self.settings = settings
        self.database = database

    def on_app_init(self, app_config: AppConfig) -> AppConfig:
        if app_config.template_config is not None:
            raise ImproperlyConfiguredException("the web pages bring their own template configuration")
        app_config.template_config = TemplateConfig(engine=JinjaTemplateEngine.from_environment(template_environment()))
        pages = Router(
            path="/",
            route_handlers=[
                PublicPages,
                AuthPages,
                BuyerPages,
                ExhibitorPages,
                EmailPreferencePages,
                OrganiserPages,
                OutboxPages,
            ],
            middleware=[
                session_middleware(self.settings),
                DefineMiddleware(CSRFMiddleware, config=csrf_config(self.settings)),
            ],
            before_request=load_visitor(self.database),
            exception_handlers=WEB_EXCEPTION_HANDLERS,
            request_class=HTMXRequest,
            cache_control=CacheControlHeader(no_store=True),
            include_in_schema=False,
        )
        static = create_static_files_router(
            path="/static",
            directories=[STATIC],
            cache_control=CacheControlHeader(max_age=3600, public=True),
        )
        app_config.route_handlers = [*app_config.route_handlers, pages, static]
        return app_config
