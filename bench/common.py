"""Timing helpers shared by the benchmarks: medians, p95 and ratios against a baseline from the same run."""

from __future__ import annotations

import http.client
import multiprocessing
import multiprocessing.queues
import statistics
import threading
import time
import urllib.parse
from collections.abc import Callable, Mapping
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


class KeepAlive:
    """One keep-alive HTTP/1.1 connection on loopback, from the standard library's ``http.client``.

    The benchmarks time servers, so the client must cost as little as possible: httpx adds about 0.3 ms to
    every request on this machine (GET /api/health: 0.34 ms with this client, 0.65 ms with httpx), which is
    as much as the cheapest answers themselves. Every server in a benchmark is timed with this same client.

    >>> KeepAlive("http://127.0.0.1:8000").target("/api/shared", {"role": ["a", "b"], "kind": "tool"})
    '/api/shared?role=a&role=b&kind=tool'
    """

    def __init__(self, base_url: str, timeout: float = 300) -> None:
        parts = urllib.parse.urlsplit(base_url)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.timeout = timeout
        self.connection = http.client.HTTPConnection(self.host, self.port, timeout=timeout)

    @staticmethod
    def target(path: str, params: Mapping[str, str | list[str]] | None = None) -> str:
        return f"{path}?{urllib.parse.urlencode(params, doseq=True)}" if params else path

    def request(
        self, method: str, target: str, body: bytes | None = None, headers: dict[str, str] | None = None
    ) -> bytes:
        """The response body; raises on a status other than 200 (a benchmark must not time errors).

        A server may close an idle keep-alive connection (uvicorn after 5 s): the request is then sent again
        once on a new connection (every request a benchmark repeats is idempotent)."""
        try:
            self.connection.request(method, target, body=body, headers=headers or {})
            response = self.connection.getresponse()
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
            self.connection.close()
            self.connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
            self.connection.request(method, target, body=body, headers=headers or {})
            response = self.connection.getresponse()
        data = response.read()
        if response.status != 200:
            raise RuntimeError(f"{method} {target[:80]}: HTTP {response.status}: {data[:200]!r}")
        return data

    def get(self, path: str, params: Mapping[str, str | list[str]] | None = None) -> bytes:
        return self.request("GET", self.target(path, params))

    def close(self) -> None:
        self.connection.close()


@dataclass(frozen=True)
class Request:
    """One request, as a client process repeats it."""

    base_url: str
    method: str
    target: str
    body: bytes | None = None
    headers: tuple[tuple[str, str], ...] = ()


def _client_process(
    request: Request,
    seconds: float,
    ready: threading.Barrier,
    results: multiprocessing.queues.Queue[tuple[int, int]],
) -> None:
    client = KeepAlive(request.base_url)
    ok = errors = 0
    ready.wait(timeout=120)  # every client has started (spawned interpreters take a while): go together
    stop = time.monotonic() + seconds
    while time.monotonic() < stop:
        try:
            client.request(request.method, request.target, request.body, dict(request.headers))
            ok += 1
        except (RuntimeError, OSError, http.client.HTTPException):
            errors += 1
            client.close()
            client = KeepAlive(request.base_url)
    results.put((ok, errors))


def throughput(request: Request, clients: int = 4, seconds: float = 3.0) -> tuple[float, int]:
    """Successful requests per second that ``clients`` client *processes* get through together for
    ``seconds`` (processes, so that the clients are not serialised by one interpreter's lock; they start at
    the same moment, behind a barrier); returns (req/s, errors)."""
    context = multiprocessing.get_context("spawn")
    results: multiprocessing.queues.Queue[tuple[int, int]] = context.Queue()
    ready = context.Barrier(clients)
    processes = [
        context.Process(target=_client_process, args=(request, seconds, ready, results)) for _ in range(clients)
    ]
    for process in processes:
        process.start()
    try:
        counts = [results.get(timeout=seconds + 180) for _ in processes]
    finally:
        for process in processes:
            process.join(timeout=30)
            if process.is_alive():
                process.kill()
    return sum(ok for ok, _ in counts) / seconds, sum(errors for _, errors in counts)
