"""A real SMTP server for the mail tests (aiosmtpd on a free local port) and a clock the tests move."""

from __future__ import annotations

import datetime as dt
import email
import socket
import threading
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session


class ManualClock:
    """Time that moves only when the test says so."""

    def __init__(self, start: dt.datetime) -> None:
        self.current = start

    def now(self) -> dt.datetime:
        return self.current

    def advance(self, delta: dt.timedelta) -> None:
        self.current += delta


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class Inbox:
    """What the server received. ``refuse`` lists recipients answered 550; with ``hold_after`` set, the message
    after that many waits in DATA until ``release`` is set (``holding`` tells the test it is waiting)."""

    received: list[EmailMessage] = field(default_factory=list)
    refuse: set[str] = field(default_factory=set)
    hold_after: int | None = None
    holding: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)
    expected: int | None = None
    complete: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(  # noqa: N802  (aiosmtpd's hook name)
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        if address in self.refuse:
            return "550 5.1.1 no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:  # noqa: N802
        message = email.message_from_bytes(envelope.original_content or b"", policy=policy.default)
        with self.lock:
            self.received.append(message)  # type: ignore[arg-type]
            count = len(self.received)
            if self.expected is not None and count >= self.expected:
                self.complete.set()
        if self.hold_after is not None and count == self.hold_after + 1:
            self.holding.set()
            await server.loop.run_in_executor(None, self.release.wait, 120)
        return "250 2.0.0 accepted"

    def by_recipient(self) -> dict[str, list[EmailMessage]]:
        found: dict[str, list[EmailMessage]] = {}
        for message in self.received:
            found.setdefault(str(message["To"].addresses[0].addr_spec), []).append(message)
        return found


def _accept_login(server: SMTP, session: Session, envelope: Envelope, mechanism: str, data: Any) -> AuthResult:
    ok = isinstance(data, LoginPassword) and (data.login, data.password) == (b"fair", b"s3cret")
    return AuthResult(success=ok)


class SmtpServer:
    """aiosmtpd on 127.0.0.1; ``stop`` then ``start`` takes it down and brings it back on the same port."""

    def __init__(self, inbox: Inbox, *, login: bool = False) -> None:
        self.inbox = inbox
        self.port = free_port()
        self.login = login
        self._controller: Controller | None = None

    @property
    def url(self) -> str:
        credentials = "fair:s3cret@" if self.login else ""
        return f"smtp://{credentials}127.0.0.1:{self.port}"

    def start(self) -> None:
        options: dict[str, Any] = (
            {"authenticator": _accept_login, "auth_require_tls": False, "auth_required": True} if self.login else {}
        )
        self._controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port, **options)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None
