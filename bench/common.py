"""Timing helpers shared by the benchmarks: medians, p95 and ratios against a baseline from the same run."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Timing:
    name: str
    samples_ms: list[float]

    @property
    def median(self) -> float:
        return statistics.median(self.samples_ms)

    @property
    def p95(self) -> float:
        ordered = sorted(self.samples_ms)
        return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def measure(name: str, func: Callable[[], object], runs: int, warmup: int = 20) -> Timing:
    for _ in range(warmup):
        func()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        func()
        samples.append((time.perf_counter() - start) * 1000)
    return Timing(name, samples)


def report(title: str, timings: list[Timing], baseline: Timing) -> None:
    print(f"\n{title}")
    print(f"{'measurement':58} {'median ms':>10} {'p95 ms':>9} {'x baseline':>11}")
    for t in timings:
        print(f"{t.name:58} {t.median:10.3f} {t.p95:9.3f} {t.median / baseline.median:11.1f}")
