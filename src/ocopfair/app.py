"""The application factory: settings in, a configured Litestar app out."""

from __future__ import annotations

from advanced_alchemy.extensions.litestar import SQLAlchemyPlugin
from litestar import Litestar
from litestar.config.cors import CORSConfig
from litestar.datastructures import State
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import ScalarRenderPlugin, SwaggerRenderPlugin

from events.plugin import EventsPlugin
from ocopfair.accounts.controllers import AuthController
from ocopfair.accounts.security import build_auth
from ocopfair.allocation.controllers import AllocationController, ApplicationController, FloorPlanController
from ocopfair.allowed_hosts import AllowedHostsMiddleware
from ocopfair.buyers.controllers import BuyerController, DemandController
from ocopfair.change_feed import ChangeFeed
from ocopfair.errors import EXCEPTION_HANDLERS
from ocopfair.exhibitors.controllers import ExhibitorController, ProductController
from ocopfair.fairs.controllers import FairController
from ocopfair.logging_setup import configure_logging
from ocopfair.matches.catalogue_source import CatalogueCache
from ocopfair.matches.controllers import MatchController
from ocopfair.matches.quick_reads import QuickReads
from ocopfair.meetings.controllers import (
    AgendaController,
    AvailabilityController,
    MeetingController,
    MeetingRequestController,
    ScheduleController,
)
from ocopfair.nul_characters import refuse_nul_characters
from ocopfair.openapi_errors import ProblemAnswers
from ocopfair.openapi_types import ClosedStructSchemas, TimeOfDaySchemas
from ocopfair.persistence import create_quick_read_engine, database_config
from ocopfair.reference.controllers import ReferenceController
from ocopfair.security_headers import security_headers
from ocopfair.settings import Settings
from ocopfair.system.controllers import SystemController
from ocopfair.transactions import CommitBeforeAnswer
from ocopfair.web.plugin import WebPlugin


def create_app(settings: Settings | None = None) -> Litestar:
    """Build the web application; tests pass their own settings, the server reads the environment."""
    settings = settings or Settings.from_env()
    configure_logging(settings.log_level)
    database = database_config(settings)
    auth = build_auth(settings.secret_key, settings.token_ttl_minutes, database)
    catalogue_cache = CatalogueCache()
    engine = database.get_engine()
    quick_engine = create_quick_read_engine(settings, engine)
    feed = None if settings.is_sqlite else ChangeFeed(settings.database_url)
    quick_reads = QuickReads(quick_engine, catalogue_cache.answers, feed, owns_engine=quick_engine is not engine)
    return Litestar(
        route_handlers=[
            SystemController,
            ReferenceController,
            AuthController,
            FairController,
            ApplicationController,
            AllocationController,
            FloorPlanController,
            ExhibitorController,
            ProductController,
            BuyerController,
            DemandController,
            MatchController,
            MeetingRequestController,
            AvailabilityController,
            ScheduleController,
            MeetingController,
            AgendaController,
        ],
        plugins=[
            SQLAlchemyPlugin(config=database),
            WebPlugin(settings, database),
            EventsPlugin(settings, database.get_engine()),
            ProblemAnswers(auth),
            ClosedStructSchemas(),
            TimeOfDaySchemas(),
        ],
        on_app_init=[auth.on_app_init],
        middleware=[
            *([AllowedHostsMiddleware(settings.allowed_hosts)] if settings.allowed_hosts else []),
            CommitBeforeAnswer(database.session_scope_key),
        ],
        before_request=refuse_nul_characters,
        before_send=[security_headers(settings)],
        exception_handlers=EXCEPTION_HANDLERS,
        request_max_body_size=settings.request_max_body_bytes,
        state=State(
            {
                "auth": auth,
                "settings": settings,
                "database": database,
                "catalogue_cache": catalogue_cache,
                "quick_reads": quick_reads,
            }
        ),
        on_startup=[feed.start] if feed else [],
        on_shutdown=[*([feed.close] if feed else []), quick_reads.close],
        cors_config=CORSConfig(allow_origins=list(settings.cors_origins)) if settings.cors_origins else None,
        openapi_config=OpenAPIConfig(
            title="ocopfair",
            version="0.1.0",
            description="Trade fairs of OCOP products: booths, exhibitors, buyers and supply-demand matching.",
            path="/schema",
            render_plugins=[ScalarRenderPlugin(), SwaggerRenderPlugin(path="/swagger")],
        ),
        debug=settings.debug,
    )
