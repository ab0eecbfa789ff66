"""The MIME bytes of our emails, written directly: multiparts of base64 leaves, CRLF line ends.

The email package's generator took about 2 ms a digest, a third of the digest job: it flattens every part line by
line and, for each multipart, draws a random boundary and compiles a regular expression to check that no line of
the text contains it. Our shapes are fixed and every leaf is base64, whose alphabet has no ``-``: no body line can
begin with ``--``, so a boundary needs no check, only to be unique in the message and no prefix of another one.
Header values come encoded already (RFC 2047 words, ASCII); the tests parse the bytes back with the email package.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable, Mapping, Sequence
from email.utils import encode_rfc2231, quote

CRLF = b"\r\n"


def header_value(value: str, params: Mapping[str, str]) -> str:
    """A structured header value with its parameters, quoted (RFC 2045), or RFC 2231-encoded when not ASCII."""
    rendered = [value]
    for name, param in params.items():
        if param.isascii():
            rendered.append(f'{name}="{quote(param)}"')
        else:
            rendered.append(f"{name}*={encode_rfc2231(param, 'utf-8')}")
    return "; ".join(rendered)


def headers(fields: Iterable[tuple[str, str]]) -> bytes:
    """Header lines ending with the blank line; a value folded with bare LFs is refolded with CRLF."""
    lines = (f"{name}: {value}".replace("\r\n", "\n").replace("\n", "\r\n") for name, value in fields)
    return "\r\n".join(lines).encode("ascii") + CRLF + CRLF


def leaf(content_type: str, params: Mapping[str, str], content: bytes, fields: Iterable[tuple[str, str]] = ()) -> bytes:
    """A single part, its content in base64 lines of 76 characters."""
    head = headers(
        [("Content-Type", header_value(content_type, params)), ("Content-Transfer-Encoding", "base64"), *fields]
    )
    return head + base64.encodebytes(content).replace(b"\n", CRLF)


def multipart(subtype: str, boundary: str, parts: Sequence[bytes], fields: Iterable[tuple[str, str]] = ()) -> bytes:
    """A ``multipart/<subtype>`` holding ``parts``; ``fields`` go before its Content-Type (a message's headers)."""
    head = headers([*fields, ("Content-Type", header_value(f"multipart/{subtype}", {"boundary": boundary}))])
    delimiter = b"--" + boundary.encode("ascii")
    separator = CRLF + delimiter + CRLF
    return head + delimiter + CRLF + separator.join(parts) + CRLF + delimiter + b"--" + CRLF
