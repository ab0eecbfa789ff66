"""Payloads of buyers and their demand."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal
from uuid import UUID

import msgspec

from ocopfair.payloads import (
    Email,
    LongText,
    Month,
    Name,
    Phone,
    Quantity,
    Stars,
    check_category,
    check_certification,
    country_code,
    province_code,
    unique,
)

BuyerType = Literal["retail_chain", "exporter", "distributor", "hotel_restaurant", "canteen", "ecommerce", "tourism"]
Language = Literal["vi", "en"]
DemandStatus = Literal["open", "closed"]
Codes = Annotated[list[str], msgspec.Meta(max_length=40)]


class BuyerCreate(msgspec.Struct, forbid_unknown_fields=True):
    organisation: Name
    buyer_type: BuyerType
    country_code: str = "VN"
    province_code: str | None = None
    contact_email: Email | None = None
    phone: Phone | None = None
    language: Language = "vi"
    owner_user_id: UUID | None = None

    def __post_init__(self) -> None:
        self.country_code = country_code(self.country_code)
        if self.province_code is not None:
            self.province_code = province_code(self.province_code)


class BuyerUpdate(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    organisation: Name | msgspec.UnsetType = msgspec.UNSET
    buyer_type: BuyerType | msgspec.UnsetType = msgspec.UNSET
    country_code: str | msgspec.UnsetType = msgspec.UNSET
    province_code: str | msgspec.UnsetType | None = msgspec.UNSET
    contact_email: Email | msgspec.UnsetType | None = msgspec.UNSET
    phone: Phone | msgspec.UnsetType | None = msgspec.UNSET
    language: Language | msgspec.UnsetType = msgspec.UNSET

    def __post_init__(self) -> None:
        if isinstance(self.country_code, str):
            self.country_code = country_code(self.country_code)
        if isinstance(self.province_code, str):
            self.province_code = province_code(self.province_code)


class BuyerRead(msgspec.Struct):
    id: UUID
    organisation: str
    buyer_type: BuyerType
    country_code: str
    province_code: str | None
    contact_email: str | None
    phone: str | None
    language: Language
    demand_count: int


def _certifications(codes: list[str], what: str) -> list[str]:
    return unique([check_certification(code) for code in codes], what)


def _months(months: list[int]) -> list[int]:
    if len(set(months)) != len(months):
        raise ValueError("needed_months lists a month twice")
    return sorted(months)


class DemandCreate(msgspec.Struct, forbid_unknown_fields=True):
    """What a buyer needs: free text and/or categories, with the conditions a supplier must meet."""

    text: LongText = ""
    categories: Codes = msgspec.field(default_factory=list)
    quantity: Quantity | None = None
    required_certifications: Codes = msgspec.field(default_factory=list)
    preferred_certifications: Codes = msgspec.field(default_factory=list)
    min_stars: Stars | None = None
    target_market: str | None = None
    preferred_provinces: Codes = msgspec.field(default_factory=list)
    needed_months: Annotated[list[Month], msgspec.Meta(max_length=12)] = msgspec.field(default_factory=list)
    fair_id: UUID | None = None

    def __post_init__(self) -> None:
        if not self.text.strip() and not self.categories:
            raise ValueError("say what you need: give a text, categories, or both")
        self.categories = unique([check_category(code) for code in self.categories], "categories")
        self.required_certifications = _certifications(self.required_certifications, "required_certifications")
        self.preferred_certifications = _certifications(self.preferred_certifications, "preferred_certifications")
        if self.target_market is not None:
            self.target_market = country_code(self.target_market)
        self.preferred_provinces = unique([province_code(p) for p in self.preferred_provinces], "preferred_provinces")
        self.needed_months = _months(self.needed_months)


class DemandUpdate(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    text: LongText | msgspec.UnsetType = msgspec.UNSET
    categories: Codes | msgspec.UnsetType = msgspec.UNSET
    quantity: Quantity | msgspec.UnsetType | None = msgspec.UNSET
    required_certifications: Codes | msgspec.UnsetType = msgspec.UNSET
    preferred_certifications: Codes | msgspec.UnsetType = msgspec.UNSET
    min_stars: Stars | msgspec.UnsetType | None = msgspec.UNSET
    target_market: str | msgspec.UnsetType | None = msgspec.UNSET
    preferred_provinces: Codes | msgspec.UnsetType = msgspec.UNSET
    needed_months: Annotated[list[Month], msgspec.Meta(max_length=12)] | msgspec.UnsetType = msgspec.UNSET
    fair_id: UUID | msgspec.UnsetType | None = msgspec.UNSET
    status: DemandStatus | msgspec.UnsetType = msgspec.UNSET

    def __post_init__(self) -> None:
        if isinstance(self.categories, list):
            self.categories = unique([check_category(code) for code in self.categories], "categories")
        if isinstance(self.required_certifications, list):
            self.required_certifications = _certifications(self.required_certifications, "required_certifications")
        if isinstance(self.preferred_certifications, list):
            self.preferred_certifications = _certifications(self.preferred_certifications, "preferred_certifications")
        if isinstance(self.target_market, str):
            self.target_market = country_code(self.target_market)
        if isinstance(self.preferred_provinces, list):
            self.preferred_provinces = unique(
                [province_code(p) for p in self.preferred_provinces], "preferred_provinces"
            )
        if isinstance(self.needed_months, list):
            self.needed_months = _months(self.needed_months)


class DemandRead(msgspec.Struct):
    id: UUID
    buyer_id: UUID
    fair_id: UUID | None
    text: str
    categories: list[str]
    quantity: Quantity | None
    required_certifications: list[str]
    preferred_certifications: list[str]
    min_stars: int | None
    target_market: str | None
    preferred_provinces: list[str]
    needed_months: list[int]
    status: DemandStatus
    created_at: dt.datetime
    updated_at: dt.datetime
