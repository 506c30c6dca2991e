"""A bounded load driver on loopback: a fixed number of asyncio clients for a fixed time, mixing requests.

Used by ``bench/load_bench.py`` (the figures) and by ``tests/test_load.py`` (its short form in CI).
"""

from __future__ import annotations

import asyncio
import random
import statistics
import time
from collections import Counter
from dataclasses import dataclass, field

import httpx

SHARED_QUERY = """PREFIX rg: <https://rolegraph.example/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?id (COUNT(DISTINCT ?role) AS ?n) WHERE {{
  VALUES ?role {{ {roles} }}
  ?role rg:usesTool/dcterms:identifier ?id .
}} GROUP BY ?id HAVING (COUNT(DISTINCT ?role) = 3)"""


@dataclass
class LoadResult:
    seconds: float
    latencies_ms: dict[str, list[float]] = field(default_factory=dict)
    statuses: Counter[str] = field(default_factory=Counter)

    @property
    def requests(self) -> int:
        return sum(len(v) for v in self.latencies_ms.values())

    @property
    def errors(self) -> int:
        return sum(n for key, n in self.statuses.items() if not key.endswith(" 200"))

    def percentile(self, name: str | None, q: float) -> float:
        values = sorted(v for k, vs in self.latencies_ms.items() if name in (None, k) for v in vs)
        return values[min(len(values) - 1, round(q * (len(values) - 1)))] if values else float("nan")

    def table(self) -> str:
        lines = [f"{'request':10} {'count':>7} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}"]
        for name in [*sorted(self.latencies_ms), None]:
            count = len(self.latencies_ms[name]) if name else self.requests
            lines.append(
                f"{name or 'all':10} {count:7d} {count / self.seconds:8.0f} {self.percentile(name, 0.5):8.2f} "
                f"{self.percentile(name, 0.95):8.2f} {self.percentile(name, 0.99):8.2f}"
            )
        lines.append(f"errors: {self.errors} of {self.requests}; statuses: {dict(self.statuses)}")
        return "\n".join(lines)


def request_for(
    kind: str, roles: list[str], base_iri: str = "https://rolegraph.example/"
) -> tuple[str, dict[str, object]]:
    if kind == "shared":
        return "/api/shared", {"kind": "tool", "role": roles}
    if kind == "sparql":
        iris = " ".join(f"<{base_iri}role/{r}>" for r in roles)
        return "/sparql", {"query": SHARED_QUERY.format(roles=iris)}
    return "/viz", {"role": roles}


async def run_load(
    base_url: str,
    role_ids: list[str],
    *,
    seconds: float,
    clients: int = 4,
    mix: dict[str, float] | None = None,
    seed: int = 0,
) -> LoadResult:
    """``clients`` concurrent clients for ``seconds``; each picks a request from ``mix`` and 3 random roles."""
    mix = mix or {"shared": 0.5, "sparql": 0.3, "viz": 0.2}
    kinds, weights = list(mix), list(mix.values())
    result = LoadResult(seconds=seconds)
    deadline = time.monotonic() + seconds
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)

    async def client_loop(index: int, client: httpx.AsyncClient) -> None:
        rng = random.Random(seed * 1000 + index)
        while time.monotonic() < deadline:
            kind = rng.choices(kinds, weights)[0]
            path, params = request_for(kind, rng.sample(role_ids, 3))
            started = time.perf_counter()
            try:
                response = await client.get(path, params=params, headers={"Accept": "application/json"})  # type: ignore[arg-type]
                status = str(response.status_code)
            except httpx.HTTPError as exc:
                status = type(exc).__name__
            result.latencies_ms.setdefault(kind, []).append((time.perf_counter() - started) * 1000)
            result.statuses[f"{kind} {status}"] += 1

    async with httpx.AsyncClient(base_url=base_url, timeout=30, limits=limits) as client:
        await asyncio.gather(*(client_loop(i, client) for i in range(clients)))
    result.seconds = max(seconds, 1e-9)
    return result


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")
