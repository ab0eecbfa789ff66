"""Time-driven side effects: scheduled jobs, the outbox, email and calendar rendering and sending."""
