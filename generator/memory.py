"""Memory management for the generator's allocation-heavy phases."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cycle collector while reading or rendering a portal.

    Both phases allocate hundreds of thousands of objects that live until the phase
    ends and form almost no reference cycles, so every collection the allocations
    trigger walks a growing heap for nothing: at 2,000 lessons that was a fifth of
    the time to check the content. Reference counting still frees what is dropped;
    the collector resumes (as it was) when the phase ends.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
