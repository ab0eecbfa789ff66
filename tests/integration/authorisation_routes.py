"""Every route of the app that takes an id, classified: who may reach it, and what another party gets instead.

Each case fills the route's ids with party B's objects (see ``authorisation_world``); the matrix tests then ask
as buyer A, exhibitor A, an organiser and an anonymous visitor. A route the app serves that no case names (or a
case naming a route the app no longer serves) fails ``test_every_route_with_an_id_is_classified``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from tests.integration.authorisation_world import ANONYMOUS
from tests.integration.factories import LAYOUT, demand_payload, product_payload

# public: every signed-in account (and every visitor, for pages) may read it; ``why`` says why it is public.
# owned: only the owning party and organisers; anyone else gets ``refused``: 404 for what is private (its existence
#   is not revealed), 403 for a public catalogue object that others may see but not change.
# organiser: organisers only (403 to other accounts).
# scoped: a list every account may ask for, showing each only its own part; ``why`` says whose.
# not_an_object: the path parameter names no object of anyone's; ``why`` says what it is.
Access = Literal["public", "owned", "organiser", "scoped", "not_an_object"]
MATRIX_ROLES = ("buyer_a", "exhibitor_a", "organiser", ANONYMOUS)
AREAS = ("buyer", "exhibitor", "organiser")


@dataclass(frozen=True)
class Case:
    method: str
    route: str
    url: str
    access: Access
    why: str = ""
    refused: int = 404
    body: Any = None
    shows: tuple[str, ...] = ()
    hidden: tuple[str, ...] = ()

    @property
    def page(self) -> bool:
        return not self.route.startswith("/api/")

    @property
    def area(self) -> str:
        return self.route.split("/")[1] if self.page else "api"

    @property
    def insider(self) -> str:
        """Who may see the object: its owner's session for a party's pages, else an organiser."""
        return {"buyer": "buyer_b", "exhibitor": "exhibitor_b"}.get(self.area, "organiser")

    @property
    def name(self) -> str:
        return f"{self.method} {self.url}"

    def refusal(self, role: str) -> int | None:
        """The answer ``role`` gets when it may not have this route's object; None when it may."""
        if self.access == "not_an_object":
            return None
        if role == ANONYMOUS:
            if not self.page:
                return 401
            return 303 if self.area in AREAS else None
        if self.area in AREAS and role.split("_", maxsplit=1)[0] != self.area:
            return 403
        if role == "organiser" or self.access in ("public", "scoped"):
            return None
        return 403 if self.access == "organiser" else self.refused


def _organiser(method: str, route: str, url: str, body: Any = None, shows: tuple[str, ...] = ()) -> Case:
    return Case(method, route, url, "organiser", body=body, shows=shows)


FAIR = "/api/fairs/{fair_id:uuid}"
AVAILABILITY = f"{FAIR}/availability/{{party:str}}/{{participant_id:uuid}}"
ASSIGNMENT = f"{FAIR}/booths/{{booth_code:str}}/assignment"
BUYER = "/api/buyers/{buyer_id:uuid}"
EXHIBITOR = "/api/exhibitors/{exhibitor_id:uuid}"
DEMAND = "/api/demands/{demand_id:uuid}"
PRODUCT = "/api/products/{product_id:uuid}"
ORGANISER_FAIR = "/organiser/fairs/{fair_id:uuid}"
ORGANISER_BOOTH = f"{ORGANISER_FAIR}/booths/{{code:str}}"
HIJACKED = "Bị chiếm quyền"

API_CASES = [
    Case("GET", FAIR, "/api/fairs/{fair}", "public", "a fair is announced to everyone"),
    _organiser("PATCH", FAIR, "/api/fairs/{fair}", {"name": HIJACKED}),
    _organiser("POST", f"{FAIR}/booths/layout", "/api/fairs/{fair}/booths/layout", LAYOUT),
    Case(
        "GET",
        f"{FAIR}/booths",
        "/api/fairs/{fair}/booths",
        "public",
        "the booths of a fair are its public plan; a held (proposed) booth's exhibitor shows to organisers only",
        shows=("exhibitor_b",),
        hidden=("exhibitor_b",),
    ),
    Case(
        "GET",
        f"{FAIR}/floorplan.svg",
        "/api/fairs/{fair}/floorplan.svg",
        "public",
        "the floor plan is public; a held (proposed) booth's exhibitor shows to organisers only",
        shows=("exhibitor_b_name",),
        hidden=("exhibitor_b_name",),
    ),
    Case(
        "GET",
        f"{FAIR}/applications",
        "/api/fairs/{fair}/applications",
        "scoped",
        "an exhibitor's account sees its own applications",
        shows=("application_b_note",),
    ),
    Case(
        "POST",
        f"{FAIR}/applications",
        "/api/fairs/{fair}/applications",
        "owned",
        refused=403,
        body={"exhibitor_id": "{exhibitor_b}", "note": HIJACKED},
    ),
    Case(
        "DELETE",
        f"{FAIR}/applications/{{application_id:uuid}}",
        "/api/fairs/{fair}/applications/{application_b}",
        "owned",
    ),
    _organiser(
        "PUT", ASSIGNMENT, "/api/fairs/{fair}/booths/{held_booth_b}/assignment", {"exhibitor_id": "{exhibitor_a}"}
    ),
    _organiser("DELETE", ASSIGNMENT, "/api/fairs/{fair}/booths/{held_booth_b}/assignment"),
    _organiser("POST", f"{FAIR}/allocation/confirm", "/api/fairs/{fair}/allocation/confirm"),
    _organiser("POST", f"{FAIR}/allocation/run", "/api/fairs/{fair}/allocation/run", {"time_limit_s": 1}),
    _organiser("POST", f"{FAIR}/matches/run", "/api/fairs/{fair}/matches/run"),
    _organiser("POST", f"{FAIR}/schedule", "/api/fairs/{fair}/schedule", {"suggestions_per_buyer": 0}),
    _organiser("GET", f"{FAIR}/outbox", "/api/fairs/{fair}/outbox", shows=("buyer_b_email",)),
    _organiser("POST", "/api/outbox/{message_id:uuid}/retry", "/api/outbox/{message_b}/retry"),
    _organiser("POST", f"{FAIR}/digests/send", "/api/fairs/{fair}/digests/send", {"force": True}),
    Case("GET", f"{FAIR}/slots", "/api/fairs/{fair}/slots", "public", "the meeting timetable of a public fair"),
    Case(
        "GET",
        f"{FAIR}/meeting-requests",
        "/api/fairs/{fair}/meeting-requests",
        "scoped",
        "a buyer or exhibitor sees the requests it is a party to",
        shows=("request_b_message", "buyer_b_name"),
    ),
    Case(
        "POST",
        f"{FAIR}/meeting-requests",
        "/api/fairs/{fair}/meeting-requests",
        "owned",
        body={"buyer_id": "{buyer_b}", "exhibitor_id": "{exhibitor_a}", "message": HIJACKED},
    ),
    Case(
        "PATCH",
        "/api/meeting-requests/{request_id:uuid}",
        "/api/meeting-requests/{request_b}",
        "owned",
        body={"status": "cancelled"},
    ),
    Case(
        "GET",
        f"{FAIR}/meetings",
        "/api/fairs/{fair}/meetings",
        "scoped",
        "a buyer or exhibitor sees the meetings it takes part in",
        shows=("buyer_b_name",),
    ),
    Case(
        "PATCH", "/api/meetings/{meeting_id:uuid}", "/api/meetings/{meeting_b}", "owned", body={"status": "cancelled"}
    ),
    Case("GET", AVAILABILITY, "/api/fairs/{fair}/availability/buyers/{buyer_b}", "owned"),
    Case("PUT", AVAILABILITY, "/api/fairs/{fair}/availability/buyers/{buyer_b}", "owned", body={"max_per_day": 1}),
    Case("GET", AVAILABILITY, "/api/fairs/{fair}/availability/exhibitors/{exhibitor_b}", "owned", refused=403),
    Case(
        "PUT",
        AVAILABILITY,
        "/api/fairs/{fair}/availability/exhibitors/{exhibitor_b}",
        "owned",
        refused=403,
        body={"max_per_day": 1},
    ),
    Case(
        "GET",
        EXHIBITOR,
        "/api/exhibitors/{exhibitor_b}",
        "public",
        "a catalogue entry; its contact shows to its own account and organisers only",
        shows=("exhibitor_b_email", "exhibitor_b_phone"),
        hidden=("exhibitor_b_email", "exhibitor_b_phone"),
    ),
    Case("PATCH", EXHIBITOR, "/api/exhibitors/{exhibitor_b}", "owned", refused=403, body={"name": HIJACKED}),
    Case(
        "POST",
        f"{EXHIBITOR}/products",
        "/api/exhibitors/{exhibitor_b}/products",
        "owned",
        refused=403,
        body=product_payload(name=HIJACKED),
    ),
    Case(
        "GET",
        f"{EXHIBITOR}/email-preferences",
        "/api/exhibitors/{exhibitor_b}/email-preferences",
        "owned",
        refused=403,
        shows=("exhibitor_b_email",),
    ),
    Case(
        "PATCH",
        f"{EXHIBITOR}/email-preferences",
        "/api/exhibitors/{exhibitor_b}/email-preferences",
        "owned",
        refused=403,
        body={"meeting_reminders": False},
    ),
    Case(
        "GET",
        f"{EXHIBITOR}/agenda",
        "/api/exhibitors/{exhibitor_b}/agenda",
        "owned",
        refused=403,
        shows=("buyer_b_name",),
    ),
    Case(
        "GET",
        f"{EXHIBITOR}/agenda.ics",
        "/api/exhibitors/{exhibitor_b}/agenda.ics",
        "owned",
        refused=403,
        shows=("buyer_b_name",),
    ),
    Case("GET", PRODUCT, "/api/products/{product_b}", "public", "the published catalogue", shows=("product_b_name",)),
    Case("PATCH", PRODUCT, "/api/products/{product_b}", "owned", refused=403, body={"name": HIJACKED}),
    Case("DELETE", PRODUCT, "/api/products/{product_b}", "owned", refused=403),
    Case("GET", BUYER, "/api/buyers/{buyer_b}", "owned", shows=("buyer_b_name", "buyer_b_email", "buyer_b_phone")),
    Case("PATCH", BUYER, "/api/buyers/{buyer_b}", "owned", body={"organisation": HIJACKED}),
    Case(
        "GET",
        f"{BUYER}/email-preferences",
        "/api/buyers/{buyer_b}/email-preferences",
        "owned",
        shows=("buyer_b_email",),
    ),
    Case(
        "PATCH",
        f"{BUYER}/email-preferences",
        "/api/buyers/{buyer_b}/email-preferences",
        "owned",
        body={"daily_digest": False},
    ),
    Case("GET", f"{BUYER}/demands", "/api/buyers/{buyer_b}/demands", "owned", shows=("demand_b_text",)),
    Case("POST", f"{BUYER}/demands", "/api/buyers/{buyer_b}/demands", "owned", body=demand_payload(text=HIJACKED)),
    Case("GET", f"{BUYER}/agenda", "/api/buyers/{buyer_b}/agenda", "owned", shows=("buyer_b_name", "exhibitor_b_name")),
    Case(
        "GET",
        f"{BUYER}/agenda.ics",
        "/api/buyers/{buyer_b}/agenda.ics",
        "owned",
        shows=("buyer_b_name", "exhibitor_b_name"),
    ),
    Case("GET", DEMAND, "/api/demands/{demand_b}", "owned", shows=("demand_b_text",)),
    Case("PATCH", DEMAND, "/api/demands/{demand_b}", "owned", body={"text": HIJACKED, "status": "closed"}),
    Case("DELETE", DEMAND, "/api/demands/{demand_b}", "owned"),
    Case("GET", f"{DEMAND}/matches", "/api/demands/{demand_b}/matches", "owned", shows=("product_a_name",)),
    Case("GET", f"{DEMAND}/consortium", "/api/demands/{demand_b}/consortium", "owned", shows=("product_a_name",)),
    Case(
        "GET",
        "/api/unsubscribe/{token:str}",
        "/api/unsubscribe/{forged_token}",
        "not_an_object",
        "the signed token in an email's link is the credential; a forged one is refused",
    ),
    Case(
        "POST",
        "/api/unsubscribe/{token:str}",
        "/api/unsubscribe/{forged_token}",
        "not_an_object",
        "RFC 8058 one-click unsubscribe: the signed token is the credential; a forged one is refused",
    ),
]

PAGE_CASES = [
    Case(
        "GET",
        "/fairs/{fair_id:uuid}",
        "/fairs/{fair}",
        "public",
        "the fair's page and plan are for the public; held booths show to organisers only",
        shows=("exhibitor_b_name",),
        hidden=("exhibitor_b_name",),
    ),
    Case(
        "GET",
        "/fairs/{fair_id:uuid}/booths/{code:str}",
        "/fairs/{fair}/booths/{held_booth_b}",
        "public",
        "a booth's panel on the public plan; a held booth's exhibitor shows to organisers only",
        shows=("exhibitor_b_name",),
        hidden=("exhibitor_b_name",),
    ),
    Case(
        "GET",
        "/products/{product_id:uuid}",
        "/products/{product_b}",
        "public",
        "the published catalogue",
        shows=("product_b_name", "exhibitor_b_name"),
    ),
    Case("GET", "/buyer/demands/{demand_id:uuid}", "/buyer/demands/{demand_b}", "owned", shows=("demand_b_text",)),
    Case(
        "GET",
        "/buyer/demands/{demand_id:uuid}/edit",
        "/buyer/demands/{demand_b}/edit",
        "owned",
        shows=("demand_b_text",),
    ),
    Case(
        "POST",
        "/buyer/demands/{demand_id:uuid}",
        "/buyer/demands/{demand_b}",
        "owned",
        body={"text": HIJACKED, "quantity.per": "month"},
    ),
    Case(
        "GET",
        "/exhibitor/products/{product_id:uuid}/edit",
        "/exhibitor/products/{product_b}/edit",
        "owned",
        refused=403,
        shows=("product_b_name",),
    ),
    Case(
        "POST",
        "/exhibitor/products/{product_id:uuid}",
        "/exhibitor/products/{product_b}",
        "owned",
        refused=403,
        body={"name": HIJACKED, "category": "handicraft.household"},
    ),
    Case(
        "POST",
        "/exhibitor/products/{product_id:uuid}/delete",
        "/exhibitor/products/{product_b}/delete",
        "owned",
        refused=403,
    ),
    Case(
        "POST",
        "/exhibitor/application/{application_id:uuid}/withdraw",
        "/exhibitor/application/{application_b}/withdraw",
        "owned",
        body={"fair_id": "{fair}"},
    ),
    Case(
        "POST",
        "/exhibitor/requests/{request_id:uuid}",
        "/exhibitor/requests/{request_b}",
        "owned",
        body={"status": "declined"},
    ),
    _organiser("GET", ORGANISER_FAIR, "/organiser/fairs/{fair}"),
    _organiser(
        "GET", f"{ORGANISER_FAIR}/allocation", "/organiser/fairs/{fair}/allocation", shows=("exhibitor_b_name",)
    ),
    _organiser("GET", f"{ORGANISER_FAIR}/plan", "/organiser/fairs/{fair}/plan", shows=("exhibitor_b_name",)),
    _organiser(
        "POST", f"{ORGANISER_FAIR}/allocation/run", "/organiser/fairs/{fair}/allocation/run", {"time_limit_s": "1"}
    ),
    _organiser("POST", f"{ORGANISER_FAIR}/allocation/confirm", "/organiser/fairs/{fair}/allocation/confirm"),
    _organiser("GET", ORGANISER_BOOTH, "/organiser/fairs/{fair}/booths/{held_booth_b}", shows=("exhibitor_b_name",)),
    _organiser(
        "POST",
        f"{ORGANISER_BOOTH}/assignment",
        "/organiser/fairs/{fair}/booths/{held_booth_b}/assignment",
        {"action": "release"},
    ),
    _organiser("GET", f"{ORGANISER_FAIR}/schedule", "/organiser/fairs/{fair}/schedule", shows=("buyer_b_name",)),
    _organiser(
        "POST", f"{ORGANISER_FAIR}/schedule/run", "/organiser/fairs/{fair}/schedule/run", {"suggestions_per_buyer": "0"}
    ),
    _organiser("POST", f"{ORGANISER_FAIR}/matches/run", "/organiser/fairs/{fair}/matches/run"),
    _organiser("GET", f"{ORGANISER_FAIR}/outbox", "/organiser/fairs/{fair}/outbox", shows=("buyer_b_email",)),
    _organiser(
        "POST",
        f"{ORGANISER_FAIR}/outbox/{{message_id:uuid}}/retry",
        "/organiser/fairs/{fair}/outbox/{message_b}/retry",
    ),
    Case("GET", "/language/{language:str}", "/language/en", "not_an_object", "a language choice, kept in a cookie"),
    Case(
        "GET", "/static/{file_path:path}", "/static/app.css", "not_an_object", "the pages' own stylesheets and scripts"
    ),
    Case(
        "HEAD", "/static/{file_path:path}", "/static/app.css", "not_an_object", "the pages' own stylesheets and scripts"
    ),
    Case("GET", "/schema/{path:str}", "/schema/openapi.yaml", "not_an_object", "the OpenAPI documents"),
]

CASES = [*API_CASES, *PAGE_CASES]
