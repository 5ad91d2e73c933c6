"""API clients and the activity log: who calls the API, how much, and when (OPS-2)."""
