"""The /viz page in a real headless Chromium against a real ``rolegraph serve``, with the internet cut off.

Every request to a host other than 127.0.0.1 is aborted and recorded, console errors and page errors are
collected: a test passes only if the page asked for nothing outside and logged no error. The standalone
file is opened from ``file://`` with the browser offline.
"""

from __future__ import annotations

import base64
import re
import struct
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pytest
from playwright.sync_api import Browser, Page, Route, sync_playwright

from graph.onet import ATTRIBUTION, import_onet, role_id
from graph.questions import ITEM_KINDS, PLURALS, RoleGraph
from graph.settings import Settings
from graph.store import GraphStore
from tests.server import CHROMIUM, CHROMIUM_ARGS, LiveServer, build_store, rolegraph_command
from tests.test_onet import THREE, three_occupations
from viz.model import ViewRequest, build_view
from viz.render import standalone_page
from viz.style import COMMUNITY_PALETTE, PATH_COLOR

pytestmark = [pytest.mark.browser, pytest.mark.server]

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
AI, DL, DE = "ai-engineer", "deep-learning-engineer", "data-engineer"
SEED = [AI, DL, DE]
DEFAULT_KINDS = ["tool", "skill", "use-case", "industry"]
READY = "window.rolegraphView && window.rolegraphView.stabilized === true"
DRAWN = "Object.keys(window.rolegraphView.network.getPositions()).sort()"
# The page position of a node's centre, from its canvas position.
NODE_ON_PAGE = """(id) => {
  const network = window.rolegraphView.network;
  const dom = network.canvasToDOM(network.getPositions([id])[id]);
  const box = document.querySelector("#network canvas").getBoundingClientRect();
  return {x: box.left + dom.x, y: box.top + dom.y};
}"""
# True once a node sits in the centre of the view (a focus animation has ended).
CENTRED = """(id) => { const n = window.rolegraphView.network, p = n.getPositions([id])[id], v = n.getViewPosition();
  return Math.hypot(p.x - v.x, p.y - v.y) < 1; }"""
# The numbered nodes of the drawn network: [step, id, label, opacity].
NUMBERED = "window.rolegraphView.nodes.get({filter: n => n.step}).map(n => [n.step, n.id, n.label, n.opacity])"
# The edges drawn in the path colour: [from, to].
PATH_EDGES = """(color) => window.rolegraphView.edges.get({filter: e => e.color && e.color.color === color})
  .map(e => [e.from, e.to])"""
TAGS = re.compile(r"<[^>]+>")
# How the drawn nodes look, and how the page data says they look: colours and label colours.
LOOKS = """() => {
  const look = n => [n.id, n.color.background, n.color.border, n.font.color, (n.font.bold || {}).color || null,
                     n.opacity === undefined ? 1 : n.opacity];
  const v = window.rolegraphView, ids = new Set(v.nodes.getIds());
  return {drawn: v.nodes.get().map(look).sort(), data: v.data.nodes.filter(n => ids.has(n.id)).map(look).sort()};
}"""

# The size of the network's canvas, in canvas pixels (what the PNG export draws).
CANVAS_SIZE = "(() => { const c = document.querySelector('#network canvas'); return [c.width, c.height]; })()"
# How many pixels of a PNG (base64), from row `top` down, are not near white: decoded by the browser itself.
INK_BELOW = """async ([png, top]) => {
  const img = new Image();
  img.src = "data:image/png;base64," + png;
  await img.decode();
  const canvas = Object.assign(document.createElement("canvas"), {width: img.width, height: img.height});
  const ctx = canvas.getContext("2d");
  ctx.drawImage(img, 0, 0);
  const px = ctx.getImageData(0, top, img.width, img.height - top).data;
  let ink = 0;
  for (let i = 0; i < px.length; i += 4) if (Math.min(px[i], px[i + 1], px[i + 2]) < 200) ink++;
  return ink;
}"""


def export_png(page: Page) -> bytes:
    """Click "Export PNG" and return the downloaded image."""
    with page.expect_download() as download_info:
        page.click("#export-png")
    download = download_info.value
    assert download.suggested_filename.endswith(".png")
    png = download.path().read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    return png


def png_size(png: bytes) -> tuple[int, int]:
    """Width and height from the PNG's IHDR chunk (the first, right after the signature)."""
    assert png[12:16] == b"IHDR"
    width, height = struct.unpack(">II", png[16:24])
    return width, height


@dataclass
class Watched:
    """A page whose requests, blocked requests and errors are recorded."""

    page: Page
    requests: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def open(self, url: str) -> None:
        self.page.goto(url)
        self.page.wait_for_function(READY, timeout=30_000)

    def drawn(self) -> list[str]:
        ids: list[str] = self.page.evaluate(DRAWN)
        assert sorted(self.page.evaluate("window.rolegraphView.nodes.getIds()")) == ids
        return ids

    def assert_clean(self) -> None:
        assert self.blocked == [], f"the page tried to reach other hosts: {self.blocked}"
        assert self.errors == [], f"console or page errors: {self.errors}"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    data_dir = tmp_path_factory.mktemp("viz-live")
    build_store(data_dir)
    live = LiveServer(data_dir).start()
    yield live
    live.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _watch(browser: Browser, *, offline: bool = False) -> Iterator[Watched]:
    context = browser.new_context(viewport={"width": 1500, "height": 950}, accept_downloads=True)
    context.set_offline(offline)
    page = context.new_page()
    watched = Watched(page)

    def route(route: Route) -> None:
        url = route.request.url
        watched.requests.append(url)
        where = urlsplit(url)
        # Offline, only the file itself may load (file:// is routed too); online, only this machine's server.
        if where.scheme == "file" if offline else where.hostname == "127.0.0.1":
            route.continue_()
        else:
            watched.blocked.append(url)
            route.abort()

    page.route("**/*", route)
    page.on("console", lambda message: watched.errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: watched.errors.append(str(error)))
    yield watched
    context.close()


@pytest.fixture
def watched(browser: Browser) -> Iterator[Watched]:
    yield from _watch(browser)


@pytest.fixture
def offline(browser: Browser) -> Iterator[Watched]:
    yield from _watch(browser, offline=True)


def viz_url(server: LiveServer, roles: list[str], **params: Any) -> str:
    return f"{server.url}/viz?{urlencode({'role': roles, **params}, doseq=True)}"


def api_path(server: LiveServer, source: str, target: str) -> dict[str, Any]:
    path: dict[str, Any] = httpx.get(f"{server.url}/api/path", params={"from": source, "to": target}).json()
    return path


def check_path_drawn(watched: Watched, api: dict[str, Any]) -> list[tuple[int, str]]:
    """The numbered nodes are the API's steps that are drawn, numbered in its order; the rest are faded.

    Returns the (number, node id) of the steps drawn.
    """
    page = watched.page
    drawn = set(watched.drawn())
    expected = [(step["order"], step["node"]) for step in api["steps"] if step["node"] in drawn]
    numbered = page.evaluate(NUMBERED)
    assert sorted((n, node) for n, node, *_ in numbered) == expected
    for n, node, label, opacity in numbered:
        assert TAGS.sub("", label).startswith(f"{n}. "), (node, label)
        assert opacity == 1
    ends = {f"role/{api['from']}", f"role/{api['to']}"}
    opacity = page.evaluate("Object.fromEntries(window.rolegraphView.nodes.get().map(n => [n.id, n.opacity]))")
    on_path = ends | {node for _, node in expected}
    assert all(opacity[node] == 1 for node in ends)
    assert all(value < 0.5 for node, value in opacity.items() if node not in on_path)
    # The goal role's links to the drawn steps are the edges drawn in the path colour.
    edges = sorted(tuple(e) for e in page.evaluate(PATH_EDGES, PATH_COLOR))
    assert edges == sorted((f"role/{api['to']}", node) for _, node in expected)
    # The panel lists every step in order; those not drawn are said to be hidden.
    items = page.locator("#path-steps > li")
    assert items.count() == len(api["steps"])
    listed = page.evaluate("Array.from(document.querySelectorAll('#path-steps > li')).map(li => li.dataset.node)")
    assert listed == [step["node"] for step in api["steps"]]
    hidden = page.evaluate(
        "Array.from(document.querySelectorAll('#path-steps > li.not-drawn')).map(li => li.dataset.node)"
    )
    assert hidden == [step["node"] for step in api["steps"] if step["node"] not in drawn]
    assert all(
        "Hidden in the graph" in items.nth(i).inner_text()
        for i in range(len(api["steps"]))
        if api["steps"][i]["node"] in hidden
    )
    assert api["steps"][0]["why"] in items.nth(0).inner_text()
    return expected


def expected_nodes(server: LiveServer, roles: list[str], kinds: list[str], min_roles: int = 1) -> list[str]:
    """Node ids (IRI path under the base) for the roles and their items, from /api/roles/{id}."""
    linked: dict[str, int] = {}
    for role in roles:
        body = httpx.get(f"{server.url}/api/roles/{role}").json()
        for kind in kinds:
            for item in body[PLURALS[kind]]:
                key = f"{ITEM_KINDS[kind][2]}/{item['id']}"
                linked[key] = linked.get(key, 0) + 1
    items = [key for key, count in linked.items() if count >= min_roles]
    return sorted([f"role/{role}" for role in roles] + items)


def test_draws_what_the_api_says(server: LiveServer, watched: Watched) -> None:
    watched.open(viz_url(server, SEED, limit=500))
    assert watched.drawn() == expected_nodes(server, SEED, DEFAULT_KINDS)
    shared = watched.page.evaluate(
        "window.rolegraphView.nodes.get({filter: n => n.shared}).map(n => [n.type, n.slug, n.color.border])"
    )
    for kind in DEFAULT_KINDS:
        api = httpx.get(f"{server.url}/api/shared", params={"kind": kind, "role": SEED}).json()
        assert {slug for node_type, slug, _ in shared if node_type == kind} == {i["id"] for i in api["items"]}
    assert {border for *_, border in shared} == {"#e69f00"}  # the amber ring of the legend
    assert watched.page.locator("#legend").inner_text().count("\n") >= 5
    watched.assert_clean()
    assert all(urlsplit(url).hostname == "127.0.0.1" for url in watched.requests)


def test_search_finds_and_focuses_a_node(server: LiveServer, watched: Watched) -> None:
    watched.open(viz_url(server, [DE, AI]))
    page = watched.page
    page.fill("#search", "Spark")
    page.press("#search", "Enter")
    page.wait_for_function("window.rolegraphView.network.getSelectedNodes()[0] === 'tool/apache-spark'")
    page.wait_for_timeout(600)  # the focus animation
    offset = page.evaluate(
        """(id) => { const n = window.rolegraphView.network, p = n.getPositions([id])[id], v = n.getViewPosition();
                     return Math.hypot(p.x - v.x, p.y - v.y); }""",
        "tool/apache-spark",
    )
    assert offset < 5, "the found node is not in the centre of the view"
    assert page.locator("#details-label").inner_text() == "Apache Spark"
    assert "Found Apache Spark" in page.locator("#search-status").inner_text()
    # By alias too: GCP is Google Cloud.
    page.fill("#search", "gcp")
    page.press("#search", "Enter")
    page.wait_for_function("window.rolegraphView.network.getSelectedNodes()[0] === 'tool/google-cloud'")
    page.fill("#search", "no such thing")
    page.press("#search", "Enter")
    assert "Nothing drawn matches" in page.locator("#search-status").inner_text()
    watched.assert_clean()


def test_filters_change_what_is_drawn(server: LiveServer, watched: Watched) -> None:
    watched.open(viz_url(server, SEED, limit=500))
    page = watched.page
    with page.expect_navigation():
        page.uncheck("input[name=kind][value=skill]")
    page.wait_for_function(READY)
    query = parse_qs(urlsplit(page.url).query)
    assert query["kind"] == ["tool", "use-case", "industry"] and sorted(query["role"]) == sorted(SEED)
    kinds = ["tool", "use-case", "industry"]
    assert watched.drawn() == expected_nodes(server, SEED, kinds)
    with page.expect_navigation():
        page.check("#shared-only")
    page.wait_for_function(READY)
    assert parse_qs(urlsplit(page.url).query)["shared_only"] == ["true"]
    assert watched.drawn() == expected_nodes(server, SEED, kinds, min_roles=2)
    assert "items linked to only one role are hidden" in page.locator("#notes").inner_text()
    # The role chooser: one role is not a comparison; two are.
    page.click("#role-picker summary")
    page.uncheck(f"input[name=role][value={AI}]")
    page.uncheck(f"input[name=role][value={DL}]")
    page.click("#apply-roles")
    assert "at least two roles" in page.locator("#role-message").inner_text()
    with page.expect_navigation():
        page.check(f"input[name=role][value={AI}]")
        page.click("#apply-roles")
    page.wait_for_function(READY)
    assert sorted(parse_qs(urlsplit(page.url).query)["role"]) == sorted([AI, DE])
    assert watched.drawn() == expected_nodes(server, [AI, DE], kinds, min_roles=2)
    watched.assert_clean()


def test_hover_and_click_show_the_details(server: LiveServer, watched: Watched) -> None:
    watched.open(viz_url(server, SEED))
    page = watched.page
    where = page.evaluate(NODE_ON_PAGE, "tool/python")
    page.mouse.move(where["x"], where["y"])
    tooltip = page.locator("div.vis-tooltip")
    tooltip.wait_for(state="visible")
    assert "Python" in tooltip.inner_text() and "Shared by all 3 roles shown" in tooltip.inner_text()
    page.mouse.click(where["x"], where["y"])
    page.wait_for_function("window.rolegraphView.network.getSelectedNodes()[0] === 'tool/python'")
    details = page.locator("#details")
    assert details.is_visible()
    assert page.locator("#details-label").inner_text() == "Python"
    first = page.evaluate("window.rolegraphView.data.nodes.find(n => n.id === 'tool/python').sources[0].sentence")
    assert first in page.locator("#details-sources").inner_text()
    # Neighbours stay bright, the rest fades.
    opacity = page.evaluate("Object.fromEntries(window.rolegraphView.nodes.get().map(n => [n.id, n.opacity]))")
    assert {opacity[f"role/{role}"] for role in SEED} == {1} and opacity["tool/python"] == 1
    assert opacity["tool/apache-spark"] < 0.5
    watched.assert_clean()


def test_export_png_and_screenshot(server: LiveServer, watched: Watched) -> None:
    watched.open(viz_url(server, SEED))
    page = watched.page
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "viz.png"))
    physics = "window.rolegraphView.network.physics.options.enabled"
    assert page.evaluate(physics) is False and not page.is_checked("#physics")  # stopped once stable
    page.check("#physics")
    assert page.evaluate(physics) is True
    page.uncheck("#physics")
    assert page.evaluate(physics) is False
    png = export_png(page)
    (ARTIFACTS / "viz-export.png").write_bytes(png)
    assert len(png) > 20_000
    # No O*NET data, no attribution: the image is the canvas, without a band under it.
    assert list(png_size(png)) == page.evaluate(CANVAS_SIZE)
    watched.assert_clean()


def test_path_view_numbers_the_api_steps(server: LiveServer, watched: Watched) -> None:
    watched.open(viz_url(server, [DE, DL, AI], path_from=DE, path_to=DL))
    page = watched.page
    api = api_path(server, DE, DL)
    drawn = check_path_drawn(watched, api)
    # The default item limit leaves some steps out of the drawing: the panel still lists them, as hidden.
    assert 0 < len(drawn) < len(api["steps"])
    assert page.locator("#path-panel").is_visible()
    assert page.locator("#path-title").inner_text() == "Data Engineer → Deep Learning Engineer"
    summary = page.locator("#path-summary").inner_text()
    assert f"{len(api['steps'])} steps" in summary and f"{len(drawn)} drawn and numbered" in summary
    assert page.input_value("#path-from") == DE and page.input_value("#path-to") == DL
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "viz-path.png"))
    # A step in the panel shows its node in the graph.
    first = drawn[0][1]
    page.click(f"#path-steps > li[data-node='{first}'] button.name")
    page.wait_for_function(f"window.rolegraphView.network.getSelectedNodes()[0] === '{first}'")
    page.wait_for_function(CENTRED, arg=first)  # the end of the focus animation
    # Details replace the steps while a node is open, and give them back when closed.
    where = page.evaluate(NODE_ON_PAGE, first)
    page.mouse.click(where["x"], where["y"])
    page.locator("#details").wait_for(state="visible")
    assert not page.locator("#path-panel").is_visible()
    page.click("#close-details")
    assert page.locator("#path-panel").is_visible()
    watched.assert_clean()


def test_colour_and_path_controls_make_the_link(server: LiveServer, watched: Watched) -> None:
    watched.open(viz_url(server, SEED))
    page = watched.page
    with page.expect_navigation():
        page.click("#color-community + span")
    page.wait_for_function(READY)
    assert parse_qs(urlsplit(page.url).query)["color"] == ["community"]
    membership = httpx.get(f"{server.url}/api/communities").json()["membership"]
    colors = page.evaluate(
        "Object.fromEntries(window.rolegraphView.nodes.get({filter: n => n.type === 'role'})"
        ".map(n => [n.slug, n.color.background]))"
    )
    assert colors == {role: COMMUNITY_PALETTE[membership[role] % len(COMMUNITY_PALETTE)] for role in SEED}
    assert "Cross-team collaboration" in page.locator("#legend").inner_text()
    # One role is not a path; two are, and the link keeps the colour mode.
    page.select_option("#path-from", DE)
    page.click("#show-path")
    assert "Choose two different roles" in page.locator("#path-message").inner_text()
    page.select_option("#path-to", AI)
    with page.expect_navigation():
        page.click("#show-path")
    page.wait_for_function(READY)
    query = parse_qs(urlsplit(page.url).query)
    assert (query["path_from"], query["path_to"], query["color"]) == ([DE], [AI], ["community"])
    check_path_drawn(watched, api_path(server, DE, AI))
    # Other controls keep the colour mode and the path in the link.
    with page.expect_navigation():
        page.uncheck("input[name=kind][value=industry]")
    page.wait_for_function(READY)
    query = parse_qs(urlsplit(page.url).query)
    assert (query["path_from"], query["path_to"], query["color"]) == ([DE], [AI], ["community"])
    assert "industry" not in query["kind"]
    check_path_drawn(watched, api_path(server, DE, AI))
    # Dropping a role of the path drops the path, not the view.
    page.click("#role-picker summary")
    with page.expect_navigation():
        page.uncheck(f"input[name=role][value={AI}]")
        page.click("#apply-roles")
    page.wait_for_function(READY)
    query = parse_qs(urlsplit(page.url).query)
    assert "path_from" not in query and sorted(query["role"]) == sorted([DE, DL])
    assert page.evaluate(NUMBERED) == [] and not page.locator("#path-panel").is_visible()
    watched.assert_clean()


def test_standalone_file_works_offline(server: LiveServer, watched: Watched, offline: Watched, tmp_path: Path) -> None:
    out = tmp_path / "view.html"
    roles = [arg for role in SEED for arg in ("--role", role)]
    # The server holds the store: the command reads it read-only, in its own process.
    subprocess.run(
        [rolegraph_command(), "--data-dir", str(server.data_dir), "viz", "--out", str(out), *roles, "--limit", "500"],
        check=True,
        capture_output=True,
        timeout=120,
    )
    watched.open(viz_url(server, SEED, limit=500))
    offline.open(out.as_uri())
    assert offline.drawn() == watched.drawn()
    # Without a server, the kind filter works on the data in the file.
    offline.page.uncheck("input[name=kind][value=tool]")
    drawn = offline.drawn()
    assert drawn and not any(node.startswith("tool/") for node in drawn)
    assert drawn == [n for n in watched.drawn() if not n.startswith("tool/")]
    # The file holds the communities and the paths between its roles: both switch in place.
    page = offline.page
    before = page.evaluate(LOOKS)
    assert before["drawn"] == before["data"]
    page.click("#color-community + span")
    membership = httpx.get(f"{server.url}/api/communities").json()["membership"]
    colors = page.evaluate(
        "window.rolegraphView.nodes.get({filter: n => n.type === 'role'}).map(n => [n.slug, n.color.background])"
    )
    assert dict(colors) == {role: COMMUNITY_PALETTE[membership[role] % len(COMMUNITY_PALETTE)] for role in SEED}
    page.select_option("#path-from", DL)
    page.select_option("#path-to", DE)
    page.click("#show-path")
    api = api_path(server, DL, DE)
    numbered = sorted((n, node) for n, node, *_ in page.evaluate(NUMBERED))
    # Tools are filtered out in place: the tool steps are listed as hidden, the others numbered.
    assert numbered == [(s["order"], s["node"]) for s in api["steps"] if s["node"] in drawn]
    assert any(s["kind"] == "tool" for s in api["steps"])
    tool_step = next(s["node"] for s in api["steps"] if s["kind"] == "tool")
    assert "its kind is not shown" in page.locator(f"#path-steps > li[data-node='{tool_step}']").inner_text()
    page.click("#clear-path")
    assert page.evaluate(NUMBERED) == [] and not page.locator("#path-panel").is_visible()
    # Back to colour by kind, without a path: every node looks as the data says again (nothing faded sticks).
    page.click("#color-kind + span")
    assert page.evaluate(LOOKS) == before
    assert offline.requests == [out.as_uri()]
    offline.assert_clean()


def test_onet_attribution_is_visible_under_the_view(offline: Watched, tmp_path: Path, seed_nquads: bytes) -> None:
    # A saved file (no server to start) of an O*NET role beside a seed role, rendered as `rolegraph viz` does.
    settings = Settings(data_dir=tmp_path / "data")
    store = GraphStore.in_memory()
    store.load_nquads(seed_nquads)
    import_onet(store, settings, three_occupations(tmp_path / "onet"), validate=False)
    view = build_view(RoleGraph(store, settings.base_iri), ViewRequest(roles=(role_id(THREE[0]), AI), kinds=("tool",)))
    out = tmp_path / "onet-view.html"
    out.write_text(standalone_page(view), encoding="utf-8")
    offline.open(out.as_uri())
    page = offline.page
    credit = page.locator("#onet-attribution")
    assert credit.is_visible() and credit.inner_text() == ATTRIBUTION
    # On screen, not clipped away below the graph (the page itself does not scroll).
    box, viewport = credit.bounding_box(), page.viewport_size
    assert box is not None and viewport is not None
    assert box["y"] >= 0 and box["y"] + box["height"] <= viewport["height"]
    # The exported PNG carries it too, in a band under the graph: taller than the canvas, with text in the band.
    png = export_png(page)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "viz-export-onet.png").write_bytes(png)
    width, height = png_size(png)
    canvas_width, canvas_height = page.evaluate(CANVAS_SIZE)
    assert width == canvas_width and height > canvas_height
    ink = page.evaluate(INK_BELOW, [base64.b64encode(png).decode(), canvas_height])
    assert 0 < ink < width * (height - canvas_height) / 4  # some text, on white
    offline.assert_clean()
