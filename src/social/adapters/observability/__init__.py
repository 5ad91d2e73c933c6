"""Structured logs and request context shared by the API and the worker."""
