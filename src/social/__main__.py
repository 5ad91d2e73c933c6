"""``python -m social`` is the ``social`` command."""

from __future__ import annotations

from social.cli import main

main()
