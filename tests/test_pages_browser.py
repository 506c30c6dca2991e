"""The query page and the API docs in a real headless Chromium, with every non-loopback request blocked."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, Route, sync_playwright

from tests.server import CHROMIUM, CHROMIUM_ARGS, LiveServer, build_store

pytestmark = [pytest.mark.browser, pytest.mark.server]

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed (CI installs it and fails without it)")
    data_dir = tmp_path_factory.mktemp("pages")
    build_store(data_dir)
    live = LiveServer(data_dir).start()
    yield live
    live.stop()


@pytest.fixture(scope="module")
def page_with_log(server: LiveServer) -> Iterator[tuple[Page, list[str], list[str]]]:
    blocked: list[str] = []
    errors: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page()

        def guard(route: Route) -> None:
            host = urlsplit(route.request.url).hostname
            if host == "127.0.0.1":
                route.continue_()
            else:
                blocked.append(route.request.url)
                route.abort()

        page.route("**/*", guard)
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        yield page, blocked, errors
        browser.close()


def test_query_page_runs_the_first_example_offline(
    server: LiveServer, page_with_log: tuple[Page, list[str], list[str]]
) -> None:
    page, blocked, errors = page_with_log
    page.goto(server.url + "/sparql")
    first = page.locator("#examples a").first
    assert first.inner_text() == "Which tools are shared by all roles?"
    first.click()
    page.wait_for_selector("#results table tbody tr")
    rows = page.locator("#results table tbody tr")
    assert rows.count() == 5
    labels = sorted(rows.nth(i).locator("td").nth(1).inner_text() for i in range(5))
    assert labels == ["Amazon Web Services", "Google Cloud", "Java", "Microsoft Azure", "Python"]
    assert "5 results" in page.locator("#status").inner_text()
    csv_link = page.locator('#downloads a[data-format="text/csv"]').get_attribute("href") or ""
    assert csv_link.startswith("/sparql?")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "query-page.png"), full_page=True)
    # A malformed query shows the parser's message, not a crash.
    page.fill("#query", "SELECT * WHERE { ?s ?p }")
    page.click("#run")
    page.wait_for_function("document.querySelector('#status').textContent.startsWith('Error 400')")
    assert blocked == []
    # The only console line allowed is the browser's own note of the 400 response.
    assert all("status of 400" in e for e in errors), errors


def test_api_docs_render_offline(server: LiveServer, page_with_log: tuple[Page, list[str], list[str]]) -> None:
    page, blocked, errors = page_with_log
    errors.clear()
    page.goto(server.url + "/docs")
    page.wait_for_selector('[data-path="/api/shared"]', timeout=15_000)
    assert page.locator(".swagger-ui").count() == 1
    assert blocked == [], blocked
    assert errors == [], errors
