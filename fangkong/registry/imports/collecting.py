"""Fewer garbage collections while a sheet is read, checked and written.

An import allocates a handful of objects a cell and keeps a chunk's rows alive while they
are checked: with the interpreter's default thresholds the cyclic collector ran every
few hundred allocations and, each time enough survived, walked every object of the
process — Django's models, URL patterns, translations, the chunk's rows — again and
again (about 40 % of the checking's time in bench/registry_import). The rows hold no
reference cycles worth chasing while they flow through; what exists before the import
starts is frozen (never walked again until the import ends) and the youngest generation
is collected less often. Everything is put back as it was afterwards."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator
from typing import Final

YOUNG_THRESHOLD: Final = 50_000  # allocations between collections of the youngest generation


@contextlib.contextmanager
def fewer_collections() -> Iterator[None]:
    thresholds = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(max(YOUNG_THRESHOLD, thresholds[0]), *thresholds[1:])
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()
