"""Turns a hall plan (rows × columns, booth size, zones) into booths with codes, positions, types and prices."""

from __future__ import annotations

from dataclasses import dataclass

from ocopfair.fairs.schemas import HallLayout

HALL_GAP_M = 6.0
HALL_MARGIN_M = 2.0


@dataclass(frozen=True, slots=True)
class PlannedBooth:
    code: str
    zone: str | None
    row: int
    column: int
    x_m: float
    y_m: float
    width_m: float
    depth_m: float
    booth_type: str
    price_vnd: int


@dataclass(frozen=True, slots=True)
class PlannedHall:
    code: str
    name: str
    zones: list[str]
    x_m: float
    y_m: float
    width_m: float
    depth_m: float
    booths: list[PlannedBooth]


def _zone_of_row(hall: HallLayout, row: int) -> str | None:
    """Zones take contiguous bands of rows, as even as possible, in the order given."""
    if not hall.zones:
        return None
    return hall.zones[(row - 1) * len(hall.zones) // hall.rows]


def _booth_type(hall: HallLayout, row: int, column: int) -> str:
    if hall.corner_booths and hall.columns > 1 and column in (1, hall.columns):
        return "corner"
    if row in hall.premium_rows:
        return "premium"
    return "standard"


def _price(hall: HallLayout, booth_type: str) -> int:
    if booth_type == "corner" and hall.corner_price_vnd is not None:
        return hall.corner_price_vnd
    if booth_type == "premium" and hall.premium_price_vnd is not None:
        return hall.premium_price_vnd
    return hall.price_vnd


def plan_halls(halls: list[HallLayout]) -> list[PlannedHall]:
    """Halls side by side from west to east; in each, rows of booths separated by aisles."""
    planned: list[PlannedHall] = []
    x_origin = 0.0
    for hall in halls:
        width = 2 * HALL_MARGIN_M + hall.columns * hall.booth_width_m
        depth = 2 * HALL_MARGIN_M + hall.rows * hall.booth_depth_m + (hall.rows - 1) * hall.aisle_m
        booths = []
        for row in range(1, hall.rows + 1):
            for column in range(1, hall.columns + 1):
                booth_type = _booth_type(hall, row, column)
                booths.append(
                    PlannedBooth(
                        code=f"{hall.code}-{(row - 1) * hall.columns + column:03d}",
                        zone=_zone_of_row(hall, row),
                        row=row,
                        column=column,
                        x_m=round(x_origin + HALL_MARGIN_M + (column - 1) * hall.booth_width_m, 3),
                        y_m=round(HALL_MARGIN_M + (row - 1) * (hall.booth_depth_m + hall.aisle_m), 3),
                        width_m=hall.booth_width_m,
                        depth_m=hall.booth_depth_m,
                        booth_type=booth_type,
                        price_vnd=_price(hall, booth_type),
                    )
                )
        planned.append(PlannedHall(hall.code, hall.name, list(hall.zones), x_origin, 0.0, width, depth, booths))
        x_origin += width + HALL_GAP_M
    return planned
