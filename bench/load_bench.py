"""Load benchmark: 4 clients on loopback for 20 s against a 300-role generated graph, mixing /api/shared,
/sparql and /viz; prints throughput, p50/p95/p99 and the error rate (expected 0).

Run with ``make bench`` or ``.venv/bin/python bench/load_bench.py [seconds]``.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.load import run_load  # noqa: E402
from graph.generate import generate_roles, load_generated  # noqa: E402
from graph.namespaces import Iris  # noqa: E402
from graph.settings import Settings  # noqa: E402
from graph.store import GraphStore  # noqa: E402
from tests.server import LiveServer, build_store  # noqa: E402


def prepare(data_dir: Path, roles: int) -> list[str]:
    build_store(data_dir)
    store = GraphStore.open(data_dir / "store")
    generated = generate_roles(roles, seed=7)
    load_generated(store, Iris(Settings().base_iri), generated)
    del store
    return [r.id for r in generated]


def main() -> None:
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 20.0
    with tempfile.TemporaryDirectory() as tmp:
        role_ids = prepare(Path(tmp), 300)
        server = LiveServer(Path(tmp)).start()
        try:
            asyncio.run(run_load(server.url, role_ids, seconds=2, clients=4))  # warm-up
            result = asyncio.run(run_load(server.url, role_ids, seconds=seconds, clients=4))
        finally:
            server.stop()
    print(f"\nLoad: 300 generated roles + seed, 4 clients, {seconds:g} s, mix shared 50% / sparql 30% / viz 20%")
    print(result.table())


if __name__ == "__main__":
    main()
