"""The API's error messages in the visitor's language.

The schemas and services speak English to API clients; a page shows the same refusal in words a cooperative
director reads: msgspec's constraint messages by their shape, the services' known sentences by pattern. A message
with no translation is shown as the API wrote it.
"""

from __future__ import annotations

import re

from ocopfair.web.i18n import Language, translate

# msgspec's own wording of a broken constraint, and the catalogue key that says it for a person.
_CONSTRAINTS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), key)
    for pattern, key in (
        (r"^Object missing required field", "error.required"),
        (r"^Expected `str` of length >= 1\b", "error.required"),
        (r"^Expected `str` of length >= (?P<n>\d+)", "error.min_length"),
        (r"^Expected `str` of length <= (?P<n>\d+)", "error.max_length"),
        (r"^Expected `(?:int|float)` > 0(?:\.0)?$", "error.positive"),
        (r"^Expected `(?:int|float)` >= (?P<n>[\d.]+)", "error.min_value"),
        (r"^Expected `(?:int|float)` <= (?P<n>[\d.]+)", "error.max_value"),
        (r"^Expected `(?:int|float)[^`]*`, got `str`", "error.number"),
        (r"^Expected `array` of length <= (?P<n>\d+)", "error.too_many"),
        (r"^(?:Invalid RFC3339 encoded date|Expected `date)", "error.date"),
        (r"^(?:Invalid enum value|Invalid UUID|Expected `uuid)", "error.choice"),
    )
)
_PATTERN_BY_FIELD = {"email": "error.email", "contact_email": "error.email", "phone": "error.phone"}
# The services' and schemas' sentences a person can run into from a page.
_SENTENCES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), key)
    for pattern, key in (
        (r"^wrong email or password", "refusal.wrong_password"),
        (r"^too many sign-in attempts: try again in (?P<minutes>\d+) minutes?", "refusal.too_many_sign_ins"),
        (r"^CSRF token verification failed", "refusal.csrf"),
        (r"^Validation failed for", "refusal.bad_request"),
        (r"^an account with email (?P<email>\S+) already exists", "refusal.email_taken"),
        (r"^this account already has a (?P<role>\w+) profile", "refusal.profile_exists"),
        (r"^(?:say what you need|a demand needs a text)", "refusal.demand_empty"),
        (r"^unknown country code '(?P<code>[^']*)'", "refusal.country"),
        (r"^unknown unit '(?P<unit>[^']*)'", "refusal.unit"),
        (r"^price_min_vnd is above price_max_vnd", "refusal.price_order"),
        (r"^star_expires_on needs stars", "refusal.star_expiry"),
        (r"^(?P<what>\w+) lists a (?:value|month) twice", "refusal.twice"),
        (r"^pack_size must be measured as", "refusal.pack_size"),
        (r"^a double stand needs booths_requested", "refusal.double_stand"),
        (r"^the fair is (?P<status>\w+): it takes no more booth applications", "refusal.applications_closed"),
        (r"^this exhibitor already has a live application", "refusal.application_exists"),
        (r"^a confirmed application cannot be withdrawn", "refusal.application_confirmed"),
        (r"^the fair is closed: it takes no more meeting requests", "refusal.requests_closed"),
        (r"^the fair's deadline for meeting requests has passed", "refusal.request_deadline"),
        (r"^this exhibitor neither holds a booth nor has a live booth application", "refusal.not_exhibiting"),
        (r"^this buyer already has a pending or accepted request", "refusal.request_exists"),
        (r"^the request is (?P<status>\w+); it can no longer be", "refusal.request_answered"),
        (r"^booth (?P<code>\S+) is confirmed to another exhibitor", "refusal.booth_confirmed"),
        (r"^the message is \w+; only a failed message can be retried", "refusal.not_failed"),
        (r"^the fair has no meeting slots", "refusal.no_slots"),
        (r"^a [a-z ]+ for this fair is already running", "refusal.run_in_progress"),
        (r"^the fair has no hall (?P<halls>.+)$", "refusal.no_hall"),
    )
)


def localise(message: str, field: str, language: Language) -> str:
    """``message`` (about the input ``field``) in ``language``; unknown messages come back unchanged."""
    if message.startswith("Expected `str` matching"):
        return translate(language, _PATTERN_BY_FIELD.get(field.rsplit(".", 1)[-1], "error.format"))
    for pattern, key in _CONSTRAINTS:
        match = pattern.match(message)
        if match:
            limits = {name: value.removesuffix(".0") for name, value in match.groupdict().items()}
            return translate(language, key, **limits)
    for pattern, key in _SENTENCES:
        match = pattern.match(message)
        if match:
            groups = match.groupdict()
            if "status" in groups:
                groups["status"] = translate(language, f"status.{groups['status']}")
            return translate(language, key, **groups)
    return message
