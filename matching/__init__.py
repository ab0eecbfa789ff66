"""The matching engine: pure functions over plain inputs; no database, no HTTP, no clock."""
