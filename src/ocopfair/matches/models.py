"""Stored matches: what the last run found for each demand, read by the email digests."""

from __future__ import annotations

import datetime as dt
from typing import Any
from uuid import UUID

from advanced_alchemy.base import UUIDAuditBase
from advanced_alchemy.types import DateTimeUTC, JsonB
from sqlalchemy import ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column


class DemandMatch(UUIDAuditBase):
    """One ranked product for one demand, with its factor scores and reasons at the time of the run."""

    __tablename__ = "demand_match"

    demand_id: Mapped[UUID] = mapped_column(ForeignKey("demand.id", ondelete="CASCADE"), index=True)
    product_id: Mapped[UUID] = mapped_column(ForeignKey("product.id", ondelete="CASCADE"), index=True)
    rank: Mapped[int]
    score: Mapped[float]
    factors: Mapped[dict[str, Any]] = mapped_column(JsonB)
    reasons: Mapped[list[str]] = mapped_column(JsonB)
    computed_at: Mapped[dt.datetime] = mapped_column(DateTimeUTC(timezone=True))

    __table_args__ = (
        UniqueConstraint("demand_id", "rank", name="uq_demand_match_rank"),
        UniqueConstraint("demand_id", "product_id", name="uq_demand_match_product"),
    )
