"""The fair's allocation policy, stored as JSON on the fair, in the solver's terms: booth zones and quotas."""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import msgspec

from matching.allocation_model import AllocationPolicy
from ocopfair.allocation.schemas import AllocationPolicyIn
from ocopfair.fairs.models import Booth, Fair, Hall


def policy_of(fair: Fair) -> AllocationPolicyIn:
    return msgspec.convert(fair.allocation_policy or {}, AllocationPolicyIn)


def policy_json(policy: AllocationPolicyIn) -> dict[str, Any]:
    return msgspec.to_builtins(policy)  # type: ignore[no-any-return]


def booth_zones(booth: Booth, hall: Hall, policy: AllocationPolicyIn) -> frozenset[str]:
    """The product groups a booth is meant for: by the policy's zoning when it has any, else the layout's zones,
    a subgroup zone (``food.condiment``) counting as its group, since applications are matched by group."""
    if policy.zoning:
        return frozenset(
            group for group, places in policy.zoning.items() if hall.code in places or (booth.zone or "") in places
        )
    zones = [booth.zone] if booth.zone else hall.zones
    return frozenset(zone.split(".", 1)[0] for zone in zones)


def quota(policy: AllocationPolicyIn, province: str, host: str, total_booths: int) -> int | None:
    """A province's most booths: its own limit if set, else the host's or the others' percentage and count."""
    if province in policy.province_max_booths:
        return policy.province_max_booths[province]
    limits: list[int] = []
    percent = policy.host_max_percent if province == host else policy.other_max_percent
    if percent is not None:
        limits.append(math.floor(percent / 100 * total_booths + 1e-9))
    if province != host and policy.other_max_booths is not None:
        limits.append(policy.other_max_booths)
    return min(limits) if limits else None


def solver_policy(
    policy: AllocationPolicyIn, provinces: Iterable[str], host: str, total_booths: int
) -> AllocationPolicy:
    quotas = {p: q for p in set(provinces) if (q := quota(policy, p, host, total_booths)) is not None}
    return AllocationPolicy(
        quotas=quotas,
        default_quota=None,
        star_weight=policy.star_weight,
        contiguous_delegations=policy.contiguous_delegations,
    )
