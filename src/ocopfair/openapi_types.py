"""How payload types are described in the OpenAPI, where Litestar's own description is not what the service does.

- A Struct with ``forbid_unknown_fields`` refuses a body with a field it does not know (``role``, ``owner``,
  ``status``… where the role may not set them) with a 400; Litestar leaves every object open, which would tell
  clients (and the API fuzz test) that extra fields are accepted. Such Structs get ``additionalProperties: false``.
- A ``datetime.time`` is documented by Litestar as an ISO 8601 *duration*; the service reads and writes a time of
  day, ``HH:MM:SS`` with optional fractions of a second (``payloads.TimeOfDay`` refuses an offset).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import msgspec
from litestar._openapi.schema_generation.plugins.struct import StructSchemaPlugin
from litestar.openapi.spec import OpenAPIType, Schema
from litestar.plugins import OpenAPISchemaPlugin

if TYPE_CHECKING:
    from litestar._openapi.schema_generation import SchemaCreator
    from litestar.typing import FieldDefinition

TIME_OF_DAY_PATTERN = r"^([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]+)?$"
_STRUCTS = StructSchemaPlugin()


class ClosedStructSchemas(OpenAPISchemaPlugin):
    """Litestar's own Struct schema, with ``additionalProperties: false`` where the Struct forbids unknown fields."""

    def is_plugin_supported_field(self, field_definition: FieldDefinition) -> bool:
        if not _STRUCTS.is_plugin_supported_field(field_definition):
            return False
        info = msgspec.inspect.type_info(field_definition.type_)
        return isinstance(info, msgspec.inspect.StructType) and info.forbid_unknown_fields

    def to_openapi_schema(self, field_definition: FieldDefinition, schema_creator: SchemaCreator) -> Schema:
        schema = _STRUCTS.to_openapi_schema(field_definition, schema_creator)
        schema.additional_properties = False
        return schema


class TimeOfDaySchemas(OpenAPISchemaPlugin):
    """``datetime.time`` as the time of day it is."""

    def is_plugin_supported_field(self, field_definition: FieldDefinition) -> bool:
        return field_definition.annotation is dt.time

    def to_openapi_schema(self, field_definition: FieldDefinition, schema_creator: SchemaCreator) -> Schema:
        return Schema(
            type=OpenAPIType.STRING,
            pattern=TIME_OF_DAY_PATTERN,
            description="a time of day, HH:MM:SS (e.g. 08:30:00), without an offset",
        )
