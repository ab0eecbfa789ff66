"""The outbox: every email written in the same transaction as its cause, then sent by the elected scheduler."""
