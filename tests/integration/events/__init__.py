"""Integration tests of the events room: digests, reminders, the outbox relay, the scheduler."""
