"""Every table of the service, imported in one place so metadata and migrations see them all."""

from ocopfair.accounts.models import LoginAttempt, RefreshToken, User
from ocopfair.allocation.models import BoothApplication, BoothAssignment
from ocopfair.buyers.models import Buyer, Demand
from ocopfair.exhibitors.models import Exhibitor, Product, ProductCertification
from ocopfair.fairs.models import Booth, Fair, Hall
from ocopfair.fairs.run_leases import RunLease
from ocopfair.matches.models import DemandMatch
from ocopfair.meetings.models import Meeting, MeetingAvailability, MeetingRequest
from ocopfair.outbox.models import OutboxMessage, ScheduledRun

__all__ = [
    "Booth",
    "BoothApplication",
    "BoothAssignment",
    "Buyer",
    "Demand",
    "DemandMatch",
    "Exhibitor",
    "Fair",
    "Hall",
    "LoginAttempt",
    "Meeting",
    "MeetingAvailability",
    "MeetingRequest",
    "OutboxMessage",
    "Product",
    "ProductCertification",
    "RefreshToken",
    "RunLease",
    "ScheduledRun",
    "User",
]
