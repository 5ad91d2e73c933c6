"""Accounts and authentication: registration, credentials, sessions and tokens (AUTH-1 … AUTH-5)."""
