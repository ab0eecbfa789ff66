"""Settings for the whole suite, read before any test module imports the service."""

import os

# The suite registers thousands of users: hash their passwords at argon2's cheapest cost (still argon2id, verified
# the same way) instead of 64 MiB per hash. Live servers started by the browser tests inherit it.
os.environ.setdefault("OCOPFAIR_PASSWORD_PROFILE", "cheapest")
