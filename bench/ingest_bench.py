"""Ingest throughput and restart time at 3 and at 3,000 roles (issue 5).

Ingest: role documents (the two test documents and the three seed ones, under fresh titles so each is a new
role) ingested one by one into an on-disk store that already holds 3 roles, then one that holds 3,003
(3,000 generated); documents per second, with the median and p95 per document. Restart: a new process
opens the store and answers its first question (``RoleGraph.shared``), median of 3.

Run with ``make bench`` or ``.venv/bin/python bench/ingest_bench.py``.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import Timing  # noqa: E402
from graph.generate import generate_roles, load_generated  # noqa: E402
from graph.ingest import ingest_document  # noqa: E402
from graph.namespaces import Iris  # noqa: E402
from graph.settings import Settings  # noqa: E402
from graph.store import GraphStore  # noqa: E402
from tests.server import build_store  # noqa: E402

SOURCES = [*sorted((ROOT / "data" / "roles").glob("*.txt")), *sorted((ROOT / "tests" / "documents").iterdir())]
RESTART = """
import sys, time
started = time.perf_counter()
from graph.questions import RoleGraph
from graph.settings import Settings
from graph.store import GraphStore
graph = RoleGraph(GraphStore.open_read_only(__import__("pathlib").Path(sys.argv[1])), Settings().base_iri)
graph.shared("tool", ["ai-engineer", "data-engineer"])
print(time.perf_counter() - started)
"""


def documents(count: int) -> list[tuple[str, bytes]]:
    """``count`` distinct role documents: the real ones, each title renamed so every one is a new role."""
    out = []
    for number in range(count):
        source = SOURCES[number % len(SOURCES)]
        lines = source.read_text(encoding="utf-8").splitlines()
        lines[0] = ("# " if source.suffix == ".md" else "") + f"Roles and Responsibilities of a Bench Role {number}"
        out.append((f"bench-{number}{source.suffix}", "\n".join(lines).encode("utf-8")))
    return out


def measure_ingest(data_dir: Path, count: int) -> Timing:
    store = GraphStore.open(data_dir / "store")
    settings = Settings(data_dir=data_dir)
    samples = []
    for name, body in documents(count):
        started = time.perf_counter()
        ingest_document(store, settings, body, name)
        samples.append((time.perf_counter() - started) * 1000)
    del store
    return Timing("ingest", samples)


def measure_restart(data_dir: Path, runs: int = 3) -> list[float]:
    times = []
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, "-c", RESTART, str(data_dir / "store")],
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
        )
        times.append(float(out.stdout.strip()))
    return times


def main() -> None:
    count = 15
    print(f"\nIngest and restart (on-disk store, {count} documents of 2-11 kB each)")
    print(f"{'store holds':14} {'docs/s':>8} {'median ms':>10} {'p95 ms':>8} {'restart s (median of 3)':>24}")
    for extra in (0, 3000):
        with tempfile.TemporaryDirectory() as tmp:
            data_dir = Path(tmp)
            build_store(data_dir)
            if extra:
                store = GraphStore.open(data_dir / "store")
                load_generated(store, Iris(Settings().base_iri), generate_roles(extra, seed=0))
                del store
            restart = statistics.median(measure_restart(data_dir))
            timing = measure_ingest(data_dir, count)
            rate = 1000 * len(timing.samples_ms) / sum(timing.samples_ms)
            print(f"{3 + extra:>8} roles {rate:8.1f} {timing.median:10.1f} {timing.p95:8.1f} {restart:24.2f}")


if __name__ == "__main__":
    main()
