"""How readers and writers of large files tell their progress: (done, total), once per batch.

A face shows it (the CLI's progress bar); the readers only count. A callback per row would slow
the 10M-row paths, so rows are counted in batches of PROGRESS_EVERY.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

Progress = Callable[[int, int], None]  # (done, total); done grows to total within one pass
PROGRESS_EVERY = 10_000  # rows between two reports
T = TypeVar("T")


def tell_progress(items: Iterable[T], total: int, progress: Progress | None) -> Iterable[T]:
    """`items` as they are, telling `progress` (items handed out, `total`) after every
    PROGRESS_EVERY of them and after the last; `items` itself when there is no `progress`."""
    return items if progress is None else _told(items, total, progress)


def _told(items: Iterable[T], total: int, progress: Progress) -> Iterator[T]:
    done = 0
    for item in items:
        yield item  # counted once the caller is done with it and asks for the next
        done += 1
        if done % PROGRESS_EVERY == 0:
            progress(done, total)
    if done % PROGRESS_EVERY:
        progress(done, total)
