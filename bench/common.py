from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def best_of(fn: Callable[[], object], *, repeat: int = 7) -> float:
    """Median wall time of `repeat` warm runs, in seconds."""
    fn()  # warm
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def report(label: str, ours: float, baseline: float, baseline_label: str) -> None:
    print(
        f"  {label}: {ours * 1000:.2f} ms; {baseline_label}: {baseline * 1000:.2f} ms; "
        f"ratio {baseline / ours:.1f}x"
    )
