"""Payloads of exhibitors and their OCOP products."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal
from uuid import UUID

import msgspec

from ocopfair.payloads import (
    Amount,
    Email,
    LongText,
    Money,
    Month,
    Name,
    Phone,
    Quantity,
    ShortText,
    Stars,
    check_amount_kind,
    check_certification,
    check_subgroup,
    country_code,
    province_code,
    unique,
)

ExhibitorKind = Literal["cooperative", "enterprise", "household"]
Channel = Annotated[str, msgspec.Meta(pattern=r"^[a-z0-9][a-z0-9_.-]{1,39}$")]
Traceability = Annotated[str, msgspec.Meta(min_length=1, max_length=100)]


class ExhibitorCreate(msgspec.Struct, forbid_unknown_fields=True):
    name: Name
    kind: ExhibitorKind
    province_code: str
    district: ShortText = ""
    contact_email: Email | None = None
    phone: Phone | None = None
    description: LongText = ""
    owner_user_id: UUID | None = None

    def __post_init__(self) -> None:
        self.province_code = province_code(self.province_code)


class ExhibitorUpdate(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    name: Name | msgspec.UnsetType = msgspec.UNSET
    kind: ExhibitorKind | msgspec.UnsetType = msgspec.UNSET
    province_code: str | msgspec.UnsetType = msgspec.UNSET
    district: ShortText | msgspec.UnsetType = msgspec.UNSET
    contact_email: Email | msgspec.UnsetType | None = msgspec.UNSET
    phone: Phone | msgspec.UnsetType | None = msgspec.UNSET
    description: LongText | msgspec.UnsetType = msgspec.UNSET

    def __post_init__(self) -> None:
        if isinstance(self.province_code, str):
            self.province_code = province_code(self.province_code)


class ExhibitorRead(msgspec.Struct):
    """Contact details are shown only to organisers and the exhibitor's own account."""

    id: UUID
    name: str
    kind: ExhibitorKind
    province_code: str
    district: str
    description: str
    contact_email: str | None
    phone: str | None
    has_account: bool
    product_count: int


class CertificateIn(msgspec.Struct, forbid_unknown_fields=True):
    code: str
    expires_on: dt.date | None = None

    def __post_init__(self) -> None:
        self.code = check_certification(self.code)


class CertificateRead(msgspec.Struct):
    code: str
    expires_on: dt.date | None
    valid: bool


def _check_certificates(certificates: list[CertificateIn]) -> None:
    unique([c.code for c in certificates], "certifications")


def _check_markets(markets: list[str]) -> list[str]:
    return unique([country_code(market) for market in markets], "export_markets")


def _check_months(months: list[int]) -> list[int]:
    if len(set(months)) != len(months):
        raise ValueError("months_available lists a month twice")
    return sorted(months)


class ProductCreate(msgspec.Struct, forbid_unknown_fields=True):
    name: Name
    category: str
    name_en: Name | None = None
    description: LongText = ""
    stars: Stars | None = None
    star_expires_on: dt.date | None = None
    certifications: Annotated[list[CertificateIn], msgspec.Meta(max_length=20)] = msgspec.field(default_factory=list)
    capacity: Quantity | None = None
    min_order: Amount | None = None
    pack_size: Amount | None = None
    price_min_vnd: Money | None = None
    price_max_vnd: Money | None = None
    export_markets: Annotated[list[str], msgspec.Meta(max_length=250)] = msgspec.field(default_factory=list)
    ecommerce_channels: Annotated[list[Channel], msgspec.Meta(max_length=30)] = msgspec.field(default_factory=list)
    months_available: Annotated[list[Month], msgspec.Meta(max_length=12)] = msgspec.field(default_factory=list)
    traceability_code: Traceability | None = None

    def __post_init__(self) -> None:
        self.category = check_subgroup(self.category)
        _check_certificates(self.certifications)
        self.export_markets = _check_markets(self.export_markets)
        self.months_available = _check_months(self.months_available)
        unique(self.ecommerce_channels, "ecommerce_channels")
        check_amount_kind(self.pack_size, ("mass", "volume"), "pack_size")
        if self.stars is None and self.star_expires_on is not None:
            raise ValueError("star_expires_on needs stars")
        low, high = self.price_min_vnd, self.price_max_vnd
        if low is not None and high is not None and low > high:
            raise ValueError("price_min_vnd is above price_max_vnd")


class ProductUpdate(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    name: Name | msgspec.UnsetType = msgspec.UNSET
    category: str | msgspec.UnsetType = msgspec.UNSET
    name_en: Name | msgspec.UnsetType | None = msgspec.UNSET
    description: LongText | msgspec.UnsetType = msgspec.UNSET
    stars: Stars | msgspec.UnsetType | None = msgspec.UNSET
    star_expires_on: dt.date | msgspec.UnsetType | None = msgspec.UNSET
    certifications: Annotated[list[CertificateIn], msgspec.Meta(max_length=20)] | msgspec.UnsetType = msgspec.UNSET
    capacity: Quantity | msgspec.UnsetType | None = msgspec.UNSET
    min_order: Amount | msgspec.UnsetType | None = msgspec.UNSET
    pack_size: Amount | msgspec.UnsetType | None = msgspec.UNSET
    price_min_vnd: Money | msgspec.UnsetType | None = msgspec.UNSET
    price_max_vnd: Money | msgspec.UnsetType | None = msgspec.UNSET
    export_markets: Annotated[list[str], msgspec.Meta(max_length=250)] | msgspec.UnsetType = msgspec.UNSET
    ecommerce_channels: Annotated[list[Channel], msgspec.Meta(max_length=30)] | msgspec.UnsetType = msgspec.UNSET
    months_available: Annotated[list[Month], msgspec.Meta(max_length=12)] | msgspec.UnsetType = msgspec.UNSET
    traceability_code: Traceability | msgspec.UnsetType | None = msgspec.UNSET

    def __post_init__(self) -> None:
        if isinstance(self.category, str):
            self.category = check_subgroup(self.category)
        if isinstance(self.certifications, list):
            _check_certificates(self.certifications)
        if isinstance(self.export_markets, list):
            self.export_markets = _check_markets(self.export_markets)
        if isinstance(self.months_available, list):
            self.months_available = _check_months(self.months_available)
        if isinstance(self.ecommerce_channels, list):
            unique(self.ecommerce_channels, "ecommerce_channels")
        if isinstance(self.pack_size, Amount):
            check_amount_kind(self.pack_size, ("mass", "volume"), "pack_size")


class ProductRead(msgspec.Struct):
    id: UUID
    exhibitor_id: UUID
    exhibitor_name: str
    province_code: str
    name: str
    name_en: str | None
    description: str
    category: str
    stars: int | None
    star_expires_on: dt.date | None
    certifications: list[CertificateRead]
    capacity: Quantity | None
    min_order: Amount | None
    pack_size: Amount | None
    price_min_vnd: int | None
    price_max_vnd: int | None
    export_markets: list[str]
    ecommerce_channels: list[str]
    months_available: list[int]
    traceability_code: str | None
