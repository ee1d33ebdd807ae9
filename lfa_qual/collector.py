"""Rarer garbage collections for work that builds many lasting objects.

A suggest run, the NLP's start-up and an XLSX export each allocate millions of objects that
live for the whole job (the pipeline, the lemma table, caches, cells); every full collection on
the way re-scans all of them (measured: about a fifth of a suggest run). Young objects are still
collected as usual.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Run the block with rarer collections; the thresholds are restored afterwards."""
    old = gc.get_threshold()
    gc.set_threshold(max(old[0], 50_000), max(old[1], 20), max(old[2], 100))
    try:
        yield
    finally:
        gc.set_threshold(*old)
