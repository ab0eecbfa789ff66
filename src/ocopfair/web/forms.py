"""HTML forms in and out of the API's own msgspec schemas, so a page checks exactly what the API checks.

Inputs are named after the schema's paths (``quantity.amount``, ``certifications[2].code``). What a user typed is
turned into the payload the API would receive — an empty optional input becomes null, a comma list becomes a list,
a group left blank is left out, an unticked box is false — and converted with ``msgspec.convert`` into the schema.
Every error is put back beside the input it belongs to: by the path msgspec reports, else (for a rule checked
across fields after decoding) by checking each field alone against the schema's partial-update twin, else by the
field the message names, else at the top of the form.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection, Iterable, Mapping
from typing import Any, TypeVar

import msgspec
from litestar.datastructures import FormMultiDict

T = TypeVar("T")
Values = dict[str, list[str]]
FORM = "_form"

_PATH = re.compile(r"^(?P<message>.*?)(?: - at `\$(?P<path>[^`]*)`)?$", re.DOTALL)
_MISSING = re.compile(r"^Object missing required field `(?P<name>[^`]+)`")
_INDEX = re.compile(r"^(?P<name>[A-Za-z_]\w*)\[(?P<index>\d+)\]")


class FormInvalid(Exception):
    """What is wrong with a submitted form: messages (as the schema or service wrote them) by input name."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{key}: {message}" for key, message in errors.items()))
        self.errors = errors


def read_values(form: FormMultiDict) -> Values:
    """Every submitted input with all its values (a ticked group of boxes sends one name many times)."""
    return {key: [str(v) for v in form.getall(key)] for key in form if not key.startswith("_csrf")}


def first(values: Mapping[str, list[str]], name: str) -> str:
    found = values.get(name) or [""]
    return found[0].strip()


def _unwrap(kind: msgspec.inspect.Type) -> tuple[msgspec.inspect.Type, bool]:
    """The type without ``None``, and whether ``None`` is allowed."""
    if isinstance(kind, msgspec.inspect.UnionType):
        rest = [t for t in kind.types if not isinstance(t, msgspec.inspect.NoneType)]
        return (rest[0] if len(rest) == 1 else kind), len(rest) < len(kind.types)
    return kind, False


def _typed(values: Values, prefix: str) -> bool:
    return any(any(v.strip() for v in found) for key, found in values.items() if key.startswith(prefix))


def _group_is_blank(values: Values, info: msgspec.inspect.StructType, prefix: str) -> bool:
    """Nothing typed in a group; a choice that always carries its default (a period, say) does not count."""
    for field in info.fields:
        kind, _ = _unwrap(field.type)
        if isinstance(kind, msgspec.inspect.LiteralType) and not field.required:
            continue
        if _typed(values, f"{prefix}{field.name}"):
            return False
    return True


class _Builder:
    """Builds the payload and remembers where each list row came from, as blank rows are dropped."""

    def __init__(self, values: Values) -> None:
        self.values = values
        self.rows: dict[str, dict[int, int]] = {}

    def struct(self, info: msgspec.inspect.StructType, prefix: str, only: Collection[str] | None) -> dict[str, Any]:
        payload: dict[str, Any] = {}
        for field in info.fields:
            if only is not None and field.name not in only:
                continue
            name = f"{prefix}{field.name}"
            kind, nullable = _unwrap(field.type)
            if isinstance(kind, msgspec.inspect.StructType):
                if _group_is_blank(self.values, kind, f"{name}."):
                    if nullable:
                        payload[field.name] = None
                    continue
                payload[field.name] = self.struct(kind, f"{name}.", None)
            elif isinstance(kind, msgspec.inspect.ListType) and isinstance(kind.item_type, msgspec.inspect.StructType):
                payload[field.name] = self._rows(kind.item_type, name)
            elif isinstance(kind, msgspec.inspect.ListType):
                pieces = (piece.strip() for raw in self.values.get(name, []) for piece in raw.split(","))
                payload[field.name] = [piece for piece in pieces if piece]
            elif isinstance(kind, msgspec.inspect.BoolType):
                payload[field.name] = first(self.values, name).lower() in {"true", "on", "1", "yes"}
            else:
                raw = first(self.values, name)
                if raw:
                    payload[field.name] = raw
                elif nullable:
                    payload[field.name] = None
                elif isinstance(kind, msgspec.inspect.StrType) and not field.required:
                    payload[field.name] = ""
        return payload

    def _rows(self, info: msgspec.inspect.StructType, name: str) -> list[dict[str, Any]]:
        pattern = re.compile(rf"^{re.escape(name)}\[(\d+)\]\.")
        indices = sorted({int(m.group(1)) for key in self.values if (m := pattern.match(key))})
        rows: list[dict[str, Any]] = []
        origin: dict[int, int] = {}
        for index in indices:
            prefix = f"{name}[{index}]."
            if not _typed(self.values, prefix):
                continue
            origin[len(rows)] = index
            rows.append(self.struct(info, prefix, None))
        self.rows[name] = origin
        return rows

    def ui_key(self, path: str) -> str:
        """A schema path (``certifications[0].code``) as the input name the user saw (blank rows put back)."""
        match = _INDEX.match(path)
        if match and match.group("name") in self.rows:
            index = self.rows[match.group("name")].get(int(match.group("index")), int(match.group("index")))
            return f"{match.group('name')}[{index}]{path[match.end() :]}"
        return path


def _names(schema: type[Any], prefix: str = "") -> list[str]:
    """Every input name a schema knows, nested groups included (rows by their field names)."""
    names: list[str] = []
    for field in msgspec.inspect.type_info(schema).fields:  # type: ignore[attr-defined]
        kind, _ = _unwrap(field.type)
        names.append(f"{prefix}{field.name}")
        if isinstance(kind, msgspec.inspect.StructType):
            names += _names(kind.cls, f"{prefix}{field.name}.")
        elif isinstance(kind, msgspec.inspect.ListType) and isinstance(kind.item_type, msgspec.inspect.StructType):
            names += _names(kind.item_type.cls, f"{prefix}{field.name}.")
    return names


def named_field(message: str, names: Iterable[str]) -> str | None:
    """The input a message speaks of: the name (or a nested name's last part) that appears in it first."""
    found: list[tuple[int, int, str]] = []
    for name in names:
        last = name.rsplit(".", 1)[-1]
        for candidate in {name, last}:
            match = re.search(rf"(?<![\w.]){re.escape(candidate)}(?!\w)", message)
            if match:
                found.append((match.start(), -len(name), name))
    return min(found)[2] if found else None


def _place(error: msgspec.ValidationError, builder: _Builder, names: list[str]) -> tuple[str, str]:
    match = _PATH.match(str(error))
    message = match.group("message") if match else str(error)
    path = (match.group("path") or "").lstrip(".") if match else ""
    missing = _MISSING.match(message)
    if missing:
        path = f"{path}.{missing.group('name')}" if path else missing.group("name")
    elif path:
        group = _INDEX.sub(lambda match: match.group("name"), path) + "."
        inner = [name[len(group) :] for name in names if name.startswith(group)]
        refined = named_field(message, inner)
        if refined:
            path = f"{path}.{refined}"
    return (builder.ui_key(path) if path else ""), message


def parse(
    values: Values, schema: type[T], *, fields: Collection[str] | None = None, twin: type[Any] | None = None
) -> T:
    """The inputs as an instance of ``schema``; ``FormInvalid`` with every error placed when it is not one.

    ``twin`` is the schema's partial-update struct (every field optional): when a rule checked after decoding
    fails without saying where, each field is checked alone against the twin to find the ones at fault.
    """
    builder = _Builder(values)
    payload = builder.struct(msgspec.inspect.type_info(schema), "", fields)  # type: ignore[arg-type]
    try:
        return msgspec.convert(payload, schema, strict=False)
    except msgspec.ValidationError as error:
        names = [n for n in _names(schema) if fields is None or n.split(".", 1)[0] in fields]
        key, message = _place(error, builder, names)
        if key:
            raise FormInvalid({key: message}) from error
        errors = _field_by_field(payload, twin, builder, names) if twin is not None else {}
        if not errors:
            errors = {named_field(message, names) or FORM: message}
        raise FormInvalid(errors) from error


def _field_by_field(payload: dict[str, Any], twin: type[Any], builder: _Builder, names: list[str]) -> dict[str, str]:
    errors: dict[str, str] = {}
    for name, value in payload.items():
        try:
            msgspec.convert({name: value}, twin, strict=False)
        except msgspec.ValidationError as error:
            key, message = _place(error, builder, names)
            errors[key or name] = message
    return errors


def place_message(message: str, names: Iterable[str]) -> dict[str, str]:
    """A service's refusal, beside the input it names or at the top of the form."""
    return {named_field(message, names) or FORM: message}


def schema_names(schema: type[Any]) -> list[str]:
    return _names(schema)


def _flatten(value: Any, prefix: str, out: Values) -> None:
    if isinstance(value, dict):
        for key, inner in value.items():
            _flatten(inner, f"{prefix}.{key}" if prefix else str(key), out)
    elif isinstance(value, list) and value and all(isinstance(item, dict) for item in value):
        for index, item in enumerate(value):
            _flatten(item, f"{prefix}[{index}]", out)
    elif isinstance(value, list):
        out[prefix] = [_text(item) for item in value]
    elif value is not None and value is not False:
        out[prefix] = [_text(value)]


def _text(value: Any) -> str:
    if value is True:
        return "true"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def values_of(struct: Any) -> Values:
    """A stored object's fields as the inputs of its edit form."""
    out: Values = {}
    _flatten(msgspec.to_builtins(struct), "", out)
    return out
