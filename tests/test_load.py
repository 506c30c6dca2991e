"""The load test's short form: 4 clients for 3 s on loopback against a 300-role graph, no errors."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.load import run_load
from bench.load_bench import prepare
from tests.server import LiveServer

pytestmark = pytest.mark.server


@pytest.fixture(scope="module")
def server_and_roles(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LiveServer, list[str]]]:
    data_dir: Path = tmp_path_factory.mktemp("load")
    roles = prepare(data_dir, 300)
    server = LiveServer(data_dir).start()
    yield server, roles
    server.stop()


def test_mixed_load_has_no_errors(server_and_roles: tuple[LiveServer, list[str]]) -> None:
    server, roles = server_and_roles
    result = asyncio.run(run_load(server.url, roles, seconds=3, clients=4))
    print(result.table())
    assert result.errors == 0, result.statuses
    assert result.requests > 30
    assert set(result.latencies_ms) == {"shared", "sparql", "viz"}
