"""Reference data, read-only and public: OCOP categories, certifications, provinces."""

from __future__ import annotations

import msgspec
from litestar import Controller, get

from seeds import reference


class SubgroupRead(msgspec.Struct):
    code: str
    name_vi: str
    name_en: str


class CategoryGroupRead(msgspec.Struct):
    code: str
    name_vi: str
    name_en: str
    subgroups: list[SubgroupRead]


class CertificationRead(msgspec.Struct):
    code: str
    name: str
    name_vi: str
    kind: str
    satisfies: list[str]
    satisfied_by: list[str]


class ProvinceRead(msgspec.Struct):
    code: str
    name: str
    name_en: str
    kind: str
    region: str
    lat: float
    lon: float
    former_names: list[str]


class ReferenceController(Controller):
    path = "/api/reference"
    tags = ["reference"]
    cache = 3600

    @get("/categories")
    async def categories(self) -> list[CategoryGroupRead]:
        """The six OCOP product groups of Decision 148/QĐ-TTg (2023) and their subgroups."""
        return [
            CategoryGroupRead(
                code=group.code,
                name_vi=group.name_vi,
                name_en=group.name_en,
                subgroups=[SubgroupRead(s.code, s.name_vi, s.name_en) for s in group.subgroups],
            )
            for group in reference.category_groups()
        ]

    @get("/certifications")
    async def certifications(self) -> list[CertificationRead]:
        """Certification codes, and which certificate satisfies a requirement for which (GlobalGAP → VietGAP…)."""
        return [
            CertificationRead(
                code=c.code,
                name=c.name,
                name_vi=c.name_vi,
                kind=c.kind,
                satisfies=sorted(
                    code
                    for code in reference.certification_codes()
                    if c.code in reference.satisfiers(code)
                    if code != c.code
                ),
                satisfied_by=sorted(reference.satisfiers(c.code) - {c.code}),
            )
            for c in reference.certifications()
        ]

    @get("/provinces")
    async def provinces(self) -> list[ProvinceRead]:
        """The 34 provinces and cities in force since 1 July 2025, with centroids and the former names they absorbed."""
        return [
            ProvinceRead(
                code=p.code,
                name=p.name,
                name_en=p.name_en,
                kind=p.kind,
                region=p.region,
                lat=p.lat,
                lon=p.lon,
                former_names=list(p.former_names),
            )
            for p in reference.provinces()
        ]
