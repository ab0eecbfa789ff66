"""Matches of a demand, its consortium, and match runs for a fair."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Request, get, post
from litestar.datastructures import State
from litestar.di import NamedDependency, Provide
from litestar.exceptions import NotAuthorizedException
from litestar.params import FromPath, QueryParameter
from litestar.security.jwt import Token
from sqlalchemy.ext.asyncio import AsyncSession

from ocopfair.accounts.models import User
from ocopfair.accounts.security import CHECKS_ITS_OWN_TOKEN, active_user, bearer_token, requires_organiser
from ocopfair.buyers.controllers import own_demand, provide_buyer_service, provide_demand_service
from ocopfair.buyers.services import BuyerService, DemandService
from ocopfair.fairs.controllers import provide_fair_service
from ocopfair.fairs.run_leases import exclusive_run
from ocopfair.fairs.services import FairService
from ocopfair.matches.quick_reads import QuickReads
from ocopfair.matches.schemas import ConsortiumRead, MatchesRead, MatchRunRead
from ocopfair.matches.services import MatchService
from ocopfair.persistence import request_session

SignedIn = Request[User, Token, Any]


async def provide_match_service(db_session: NamedDependency[AsyncSession], state: State) -> MatchService:
    return MatchService(session=db_session, cache=state.catalogue_cache)


class MatchController(Controller):
    path = "/api"
    tags = ["matching"]
    dependencies = {
        "matcher": Provide(provide_match_service),
        "buyers": Provide(provide_buyer_service),
        "demands": Provide(provide_demand_service),
        "fairs": Provide(provide_fair_service),
    }

    @get("/demands/{demand_id:uuid}/matches", opt={"exclude_from_auth": True, CHECKS_ITS_OWN_TOKEN: True})
    async def matches(
        self,
        demand_id: FromPath[UUID],
        request: Request[Any, Any, Any],
        state: State,
        limit: Annotated[int, QueryParameter(ge=1, le=100)] = 20,
    ) -> MatchesRead:
        """The products worth meeting for this demand, best first, with factor scores and reasons (live)."""
        token = bearer_token(state.auth, request)
        quick: QuickReads = state.quick_reads
        if (answer := await quick.matches(demand_id, limit, token.sub)) is not None:
            return answer
        # The ordinary way, on the request's session (committed like any other, see transactions.py).
        session = request_session(state, request.scope)
        user = await active_user(session, token)
        if user is None:
            raise NotAuthorizedException()
        demand = await own_demand(demand_id, BuyerService(session=session), DemandService(session=session), user)
        return await MatchService(session=session, cache=state.catalogue_cache).matches(demand, limit)

    @get("/demands/{demand_id:uuid}/consortium")
    async def consortium(
        self,
        demand_id: FromPath[UUID],
        matcher: NamedDependency[MatchService],
        buyers: NamedDependency[BuyerService],
        demands: NamedDependency[DemandService],
        request: SignedIn,
    ) -> ConsortiumRead:
        """The fewest suppliers whose joint capacity covers the demanded volume, or the best partial cover."""
        demand = await own_demand(demand_id, buyers, demands, request.user)
        return await matcher.consortium(demand)

    @post("/fairs/{fair_id:uuid}/matches/run", guards=[requires_organiser], status_code=200)
    async def run(
        self, fair_id: FromPath[UUID], matcher: NamedDependency[MatchService], fairs: NamedDependency[FairService]
    ) -> MatchRunRead:
        """Recompute and store the matches of every open demand of the fair (organisers); one run per fair at a
        time (409 while one runs)."""
        fair = await fairs.get_fair(fair_id)
        async with exclusive_run(matcher.session, fair.id, "matching"):
            return await matcher.run_for_fair(fair)
