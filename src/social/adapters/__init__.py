"""Adapters: everything that touches the world outside the domain."""
