"""Progress reports of a backup or restore: one step per table and per media object."""

from __future__ import annotations

from collections.abc import Callable

__all__ = ["Progress", "Steps"]

Progress = Callable[[int, int], None]
"""Called with (steps done, steps in all) as the work advances."""


class Steps:
    __slots__ = ("_progress", "done", "total")

    def __init__(self, progress: Progress | None) -> None:
        self._progress = progress
        self.done = 0
        self.total = 0

    def begin(self, total: int) -> None:
        self.total = total
        self._report()

    def advance(self) -> None:
        self.done += 1
        self._report()

    def _report(self) -> None:
        if self._progress is not None:
            self._progress(self.done, self.total)
