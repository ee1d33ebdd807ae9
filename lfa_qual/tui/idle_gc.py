"""Full garbage collections while the user is idle, not in the middle of opening a screen.

Opening a screen allocates enough (widgets, strips, table cells) to set off CPython's full
collection about once per opening: 40–60 ms on the example project and 80–150 ms with a
30,000-word transcript open, inside the key's time to its last frame. Here the automatic full
collections are ten times rarer while the app runs, and one runs instead once no key, click or
mouse move has come for a second and something was allocated since the last one. Young
objects are collected as before.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable

FULL_EVERY = 100  # young-generation collections between automatic full ones (CPython: 10)
IDLE = 1.0  # seconds without input before the collection
CHECK_EVERY = 0.5  # seconds between looks at the clock


class IdleCollector:
    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self.last_input = clock()
        self.saved: tuple[int, int, int] | None = None
        self.collections = 0  # run here, for the tests

    def start(self) -> None:
        self.saved = gc.get_threshold()
        gc.set_threshold(self.saved[0], self.saved[1], max(self.saved[2], FULL_EVERY))

    def stop(self) -> None:
        if self.saved is not None:
            gc.set_threshold(*self.saved)
            self.saved = None

    def touched(self) -> None:
        self.last_input = self.clock()

    def tick(self) -> None:
        # gc.get_count()[2]: young collections since the last full one, so nothing allocated
        # since means nothing to do (an idle app collects once, not every half second).
        if self.clock() - self.last_input >= IDLE and gc.get_count()[2] > 0:
            gc.collect()
            self.collections += 1
