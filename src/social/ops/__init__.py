"""Operator tools the CLI runs (backup and restore): they drive adapters directly, outside any
port, so they live beside the composition root rather than among the port adapters."""
