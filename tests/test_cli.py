"""The rolegraph command line: every command over a store built in a temporary folder."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
import rdflib

from api.cli import main

SHARED_ALL = ["aws", "azure", "google-cloud", "java", "python"]


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("cli-data")
    assert main(["--data-dir", str(folder), "build", "--no-validate"]) == 0
    return folder


def run(data_dir: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["--data-dir", str(data_dir), *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_build_reports_roles_and_skips(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(tmp_path, capsys, "build", "--no-validate")
    assert code == 0
    assert "built 3 roles (ai-engineer, data-engineer, deep-learning-engineer)" in out
    assert "deep-learning-engineer: skipped the document ends mid-sentence" in out
    code, out, _ = run(tmp_path, capsys, "build", "--if-empty")
    assert code == 0 and "not rebuilt" in out


def test_shared_json_shape(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(data_dir, capsys, "shared", "--kind", "tool", "--format", "json")
    body = json.loads(out)
    assert code == 0
    assert set(body) == {"roles", "kind", "items"} and body["kind"] == "tool"
    assert sorted(body["roles"]) == ["ai-engineer", "data-engineer", "deep-learning-engineer"]
    assert sorted(i["id"] for i in body["items"]) == SHARED_ALL
    assert all(set(i) == {"id", "label", "kind"} for i in body["items"])
    code, out, _ = run(
        data_dir, capsys, "shared", "--kind", "tool", "--role", "ai-engineer", "--role", "deep-learning-engineer"
    )
    assert code == 0 and "pytorch" in out and "tensorflow" in out


def test_query_outputs(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    query = "SELECT ?id WHERE { ?r a rg:Role ; dcterms:identifier ?id } ORDER BY ?id"
    code, out, _ = run(data_dir, capsys, "query", query)
    assert code == 0 and out.splitlines()[0].strip() == "id" and "(3 rows)" in out
    code, out, _ = run(data_dir, capsys, "query", query, "--format", "json")
    assert [b["id"]["value"] for b in json.loads(out)["results"]["bindings"]] == [
        "ai-engineer",
        "data-engineer",
        "deep-learning-engineer",
    ]
    code, out, _ = run(data_dir, capsys, "query", query, "--format", "csv")
    assert [row[0] for row in csv.reader(io.StringIO(out))] == [
        "id",
        "ai-engineer",
        "data-engineer",
        "deep-learning-engineer",
    ]
    code, out, _ = run(data_dir, capsys, "query", "ASK { ?s ?p ?o }")
    assert out.strip() == "true"


def test_query_from_file(data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "q.rq"
    path.write_text("SELECT (COUNT(*) AS ?n) WHERE { ?r a rg:Role }", encoding="utf-8")
    code, out, _ = run(data_dir, capsys, "query", "--file", str(path), "--format", "csv")
    assert code == 0 and out.splitlines() == ["n", "3"]


def test_compare(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        data_dir, capsys, "compare", "--from", "data-engineer", "--to", "deep-learning-engineer", "--format", "json"
    )
    body = json.loads(out)
    assert code == 0 and {"tensorflow", "pytorch"} <= {i["id"] for i in body["to_learn"]["tool"]}


@pytest.mark.parametrize(
    ("fmt", "parser"), [("turtle", "turtle"), ("nt", "nt"), ("xml", "xml"), ("jsonld", "json-ld"), ("trig", "trig")]
)
def test_export_to_file(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str, parser: str
) -> None:
    out_file = tmp_path / f"graph.{fmt}"
    code, _, err = run(data_dir, capsys, "export", "--format", fmt, "--out", str(out_file))
    assert code == 0 and "wrote" in err
    graph = rdflib.Dataset() if fmt == "trig" else rdflib.Graph()
    graph.parse(out_file, format=parser)
    assert len(list(graph.quads()) if fmt == "trig" else graph) > 10_000


def test_stats(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(data_dir, capsys, "stats", "--format", "json")
    stats = json.loads(out)
    assert code == 0 and stats["nodes"]["role"] == 3 and stats["named_graphs"] == 5 and stats["triples"] > 10_000


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["query", "SELECT * WHERE { ?s ?p }"], "error at 1:"),
        (["shared", "--role", "nurse"], "unknown role(s): nurse"),
        (["shared", "--role", "Not An Id"], "not a valid id"),
        (["compare", "--from", "ai-engineer", "--to", "astronaut"], "astronaut"),
        (["query", "--file", "/nonexistent/q.rq"], "No such file"),
    ],
)
def test_errors_are_one_line(data_dir: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str) -> None:
    code, out, err = run(data_dir, capsys, *args)
    assert code != 0
    assert err.count("\n") == 1 and err.startswith("rolegraph: error:") and message in err
    assert "Traceback" not in err + out


def test_empty_store_says_build_first(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(tmp_path, capsys, "shared")
    assert code == 1 and "rolegraph build" in err


def test_console_script_in_a_real_process(data_dir: Path) -> None:
    script = Path(sys.executable).parent / "rolegraph"
    result = subprocess.run(
        [str(script), "--data-dir", str(data_dir), "shared", "--kind", "tool", "--format", "json"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert sorted(i["id"] for i in json.loads(result.stdout)["items"]) == SHARED_ALL


STARTUP = """
import sys
from pathlib import Path
from api.app import create_app
from graph.settings import Settings
from graph.store import GraphStore
app = create_app(Settings(data_dir=Path(sys.argv[1])), store=GraphStore.open(Path(sys.argv[1]) / "store"))
assert app.state.graph.shared("tool", None).items, "no answer"
heavy = ("numpy", "scipy", "networkx", "pyshacl", "rdflib", "httpx")
print(" ".join(name for name in heavy if name in sys.modules))
"""


def test_the_service_answers_without_loading_the_heavy_libraries(data_dir: Path) -> None:
    """A cold start stays under a second at 3,000 roles partly because the app and its first answer load none
    of these (~0.45 s together); they come with the first insight question, ingestion or remote store."""
    found = subprocess.run(
        [sys.executable, "-c", STARTUP, str(data_dir)], capture_output=True, text=True, timeout=120, check=True
    )
    assert found.stdout.split() == []
