"""The ``rolegraph`` command line: build, query, shared, compare, export, validate, stats, serve, import-onet,
remove-onet, generate, similar, path, bridges, communities.

It is the top layer, beside the HTTP app: it may call graph/, api/ and viz/.

Errors are one line on stderr and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from pyoxigraph import QueryBoolean, QueryResultsFormat, QuerySolutions, QueryTriples, RdfFormat

from graph.backend import open_store
from graph.build import build
from graph.errors import RolegraphError, StoreError
from graph.formats import RDF_FORMATS
from graph.index import RoleIndex
from graph.ingest import ingest_document
from graph.project import to_networkx
from graph.questions import ITEM_KINDS, RoleGraph
from graph.resolve import ONET_DIR
from graph.settings import Settings

if TYPE_CHECKING:
    from graph.insight import Insight
    from graph.store import GraphStore


def open_graph(settings: Settings) -> RoleGraph:
    store = open_store(settings, write=False)
    if store.is_empty():
        raise StoreError(f"the store at {settings.store_path} is empty: run 'rolegraph build' first")
    return RoleGraph(store, settings.base_iri)


def _table(header: list[str], rows: list[list[str]]) -> str:
    widths = [max([len(h), *(len(r[i]) for r in rows)]) for i, h in enumerate(header)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    return "\n".join(lines)


def _decode(data: bytes | None) -> str:
    return (data or b"").decode("utf-8")


# -- commands ------------------------------------------------------------------------------------
def keep_index(store: GraphStore) -> None:
    """After a write command: derive the role index and keep it beside an on-disk store, so that the next
    ``rolegraph serve`` answers its first question without reading the whole store (:mod:`graph.derived`).
    About a second at 3,000 roles, paid here rather than by the first request."""
    if store.path is not None:
        RoleIndex.restore_or_load(store)


def cmd_build(args: argparse.Namespace, settings: Settings) -> int:
    store = open_store(settings, write=True)
    if args.if_empty and not store.is_empty():
        print(f"the store at {settings.store_path} already holds {len(store)} triples: not rebuilt")
        return 0
    documents = sorted(Path(p) for p in args.documents) if args.documents else None
    report = build(settings, store, documents)
    print(f"built {len(report.roles)} roles ({', '.join(report.roles)}), {report.triples} triples")
    for doc_id, notes in report.skipped.items():
        for note in notes:
            print(f"  {doc_id}: skipped {note}")
    keep_index(store)
    if not args.no_validate:
        from graph.validate import validate_store  # pySHACL: only the commands that validate load it

        result = validate_store(store, settings.ontology_dir)
        if not result.conforms:
            print(result.text, file=sys.stderr)
            print(f"rolegraph: error: the built graph has {result.violations} SHACL violation(s)", file=sys.stderr)
            return 1
        print("SHACL: conforms")
    return 0


def cmd_query(args: argparse.Namespace, settings: Settings) -> int:
    text = Path(args.file).read_text(encoding="utf-8") if args.file else args.sparql
    if not text:
        raise RolegraphError("give a query as an argument or with --file")
    result = open_graph(settings).store.query(text)
    out = sys.stdout
    if isinstance(result, QueryBoolean):
        print(json.dumps({"head": {}, "boolean": bool(result)}) if args.format == "json" else str(bool(result)).lower())
    elif isinstance(result, QueryTriples):
        out.write(_decode(result.serialize(format=RdfFormat.TURTLE)))
    elif isinstance(result, QuerySolutions):
        if args.format == "json":
            out.write(_decode(result.serialize(format=QueryResultsFormat.JSON)) + "\n")
        elif args.format == "csv":
            out.write(_decode(result.serialize(format=QueryResultsFormat.CSV)))
        else:
            header = [v.value for v in result.variables]
            rows = [[("" if (t := row[h]) is None else t.value) for h in header] for row in result]
            print(_table(header, rows))
            print(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return 0


def cmd_shared(args: argparse.Namespace, settings: Settings) -> int:
    shared = open_graph(settings).shared(args.kind, args.role or None)
    if args.format == "json":
        print(json.dumps(shared.as_json(), indent=2, ensure_ascii=False))
    else:
        print(f"{args.kind}s shared by {', '.join(shared.roles)}:")
        print(_table(["id", "label", "kind"], [[i.id, i.label, i.kind] for i in shared.items]))
    return 0


def cmd_compare(args: argparse.Namespace, settings: Settings) -> int:
    comparison = open_graph(settings).compare(args.from_role, args.to_role)
    if args.format == "json":
        print(json.dumps(comparison.as_json(), indent=2, ensure_ascii=False))
        return 0
    for title, part in (
        ("shared", comparison.shared),
        (f"only {args.from_role}", comparison.only_from),
        (f"to learn for {args.to_role}", comparison.to_learn),
    ):
        print(f"== {title}")
        for kind, items in part.items():
            if items:
                print(f"  {kind}: {', '.join(i.label for i in items)}")
    return 0


def cmd_export(args: argparse.Namespace, settings: Settings) -> int:
    data = open_graph(settings).store.export(RDF_FORMATS[args.format])
    if args.out:
        Path(args.out).write_bytes(data)
        print(f"wrote {len(data)} bytes to {args.out}", file=sys.stderr)
    else:
        sys.stdout.buffer.write(data)
    return 0


def cmd_validate(args: argparse.Namespace, settings: Settings) -> int:
    from graph.validate import validate_store

    result = validate_store(open_graph(settings).store, settings.ontology_dir)
    print(result.text)
    return 0 if result.conforms else 1


def cmd_stats(args: argparse.Namespace, settings: Settings) -> int:
    graph = open_graph(settings)
    projection = to_networkx(graph.store)
    by_type: dict[str, int] = {}
    for _, data in projection.nodes(data=True):
        by_type[data["type"]] = by_type.get(data["type"], 0) + 1
    stats = {
        "triples": len(graph.store),
        "named_graphs": len(graph.store.named_graphs()),
        "nodes": by_type,
        "edges": projection.number_of_edges(),
        "roles": [r["id"] for r in graph.roles()],
    }
    if args.format == "json":
        print(json.dumps(stats, indent=2))
    else:
        for key, value in stats.items():
            print(f"{key}: {value}")
    return 0


def cmd_ingest(args: argparse.Namespace, settings: Settings) -> int:
    store = open_store(settings, write=True)
    failed = 0
    for name in args.files:
        path = Path(name)
        try:
            report = ingest_document(store, settings, path.read_bytes(), path.name)
        except (RolegraphError, OSError) as exc:
            failed += 1
            print(f"rolegraph: error: {path}: {exc}", file=sys.stderr)
            continue
        print(json.dumps(report.as_json(), ensure_ascii=False))
    store.flush()
    keep_index(store)
    return 1 if failed else 0


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn  # imported here: the other commands do not need a web server

    from api.app import create_app

    settings = settings.model_copy(update={"host": args.host, "port": args.port})
    uvicorn.run(create_app(settings), host=args.host, port=args.port, log_level=args.log_level)
    return 0


def cmd_viz(args: argparse.Namespace, settings: Settings) -> int:
    from viz.model import DEFAULT_KINDS, DEFAULT_LIMIT, ViewRequest, build_view  # here: only this command renders
    from viz.render import standalone_page

    limit = DEFAULT_LIMIT if args.limit is None else args.limit
    wanted = ViewRequest(
        tuple(args.role or ()),
        tuple(args.kind or DEFAULT_KINDS),
        args.shared_only,
        limit,
        color=args.color,
        path_from=args.path_from,
        path_to=args.path_to,
    )
    view = build_view(open_graph(settings), wanted)
    Path(args.out).write_text(standalone_page(view), encoding="utf-8")
    print(
        f"wrote {args.out}: {len(view.roles)} roles, {len(view.items)} items, {len(view.edges)} links",
        file=sys.stderr,
    )
    for note in view.notes():
        print(f"  {note}", file=sys.stderr)
    return 0


class _ProgressBars:
    """The O*NET import's stages as progress bars on stderr (a :class:`graph.onet.Progress`)."""

    def __init__(self) -> None:
        from typing import Never

        from tqdm import tqdm  # imported here: only the long-running commands draw progress

        self._tqdm = tqdm
        self._bar: tqdm[Never] | None = None

    def stage(self, name: str, total: int) -> None:
        self.close()
        # disable=None: drawn on a terminal, silent when stderr is a file or a pipe.
        self._bar = self._tqdm(total=total, desc=name, file=sys.stderr, disable=None, leave=True)

    def advance(self, n: int = 1) -> None:
        if self._bar is not None:
            self._bar.update(n)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None


def cmd_import_onet(args: argparse.Namespace, settings: Settings) -> int:
    from graph.onet import ATTRIBUTION, import_onet  # here: the other commands do not need the importer

    store = open_store(settings, write=True)
    bars = _ProgressBars()
    try:
        result = import_onet(store, settings, Path(args.directory), validate=not args.no_validate, progress=bars)
    finally:
        bars.close()
    # pySHACL's SPARQL constraints leave reference cycles through the call frames, which would keep this
    # store (and its lock) open until the next garbage collection: collect now, for callers of main() that
    # go on to open the store again in the same process.
    gc.collect()
    report = result.resolution
    print(
        f"imported O*NET: {result.roles} roles, {result.tool_uses} occupation-technology links, "
        f"{result.merged_tools + result.new_tools} tools, {result.categories} tool categories, "
        f"{len(result.quads)} triples"
    )
    print(f"resolution: {report.summary()}")
    if report.ambiguous:
        for name, ids in report.ambiguous.items():
            print(f"  ambiguous: {name!r} -> {', '.join(ids)}")
    shown = report.unmatched[: args.show_unmatched]
    if shown:
        print(f"not matched to a curated tool (first {len(shown)} of {len(report.unmatched)}):")
        for name in shown:
            print(f"  {name}")
    if args.unmatched:
        Path(args.unmatched).write_text("\n".join(report.unmatched) + "\n", encoding="utf-8")
        print(f"wrote the {len(report.unmatched)} unmatched names to {args.unmatched}")
    print("SHACL: conforms" if not args.no_validate else "SHACL: not checked (--no-validate)")
    print(ATTRIBUTION)
    keep_index(store)
    return 0


def cmd_remove_onet(args: argparse.Namespace, settings: Settings) -> int:
    from graph.onet import remove_onet

    store = open_store(settings, write=True)
    remove_onet(store, settings)
    print("removed the O*NET import")
    keep_index(store)
    return 0


def cmd_generate(args: argparse.Namespace, settings: Settings) -> int:
    from graph.build import ontology_tool_kinds
    from graph.generate import generate_roles, generated_quads, load_generated
    from graph.namespaces import Iris
    from graph.validate import validate_document

    store = open_store(settings, write=True)
    if not ontology_tool_kinds(store):
        raise StoreError(f"the store at {settings.store_path} holds no vocabulary: run 'rolegraph build' first")
    roles = generate_roles(args.roles, seed=args.seed, clusters=args.clusters)
    iris = Iris(settings.base_iri)
    if args.validate:
        result = validate_document(generated_quads(roles, iris), settings)
        if not result.conforms:
            print(result.text, file=sys.stderr)
            print(f"rolegraph: error: {result.violations} SHACL violation(s)", file=sys.stderr)
            return 1
    triples = load_generated(store, iris, roles)
    clusters = f" in {args.clusters} planted clusters" if args.clusters else ""
    print(f"generated {len(roles)} roles{clusters} (seed {args.seed}): {triples} triples; the store holds {len(store)}")
    keep_index(store)
    return 0


# -- insight: similarity, learning paths, bridges, communities -------------------------------------
def _insight(settings: Settings) -> Insight:
    from graph.insight import Insight  # here: only these commands need numpy and scipy

    return Insight.of(open_graph(settings))


def _print_json(data: object) -> None:
    print(json.dumps(data, indent=2, ensure_ascii=False))


def cmd_similar(args: argparse.Namespace, settings: Settings) -> int:
    found = _insight(settings).similar(args.role, args.limit)
    if args.format == "json":
        _print_json(found)
        return 0
    rows = [
        [r["id"], r["label"], f"{r['score']:.4f}", str(r["shared"]["skill"]), str(r["shared"]["tool"])] for r in found
    ]
    print(f"roles most similar to {args.role}:")
    print(_table(["id", "label", "score", "skills", "tools"], rows))
    return 0


def cmd_path(args: argparse.Namespace, settings: Settings) -> int:
    path = _insight(settings).path(args.from_role, args.to_role)
    if args.format == "json":
        _print_json(path)
        return 0
    summary = path["summary"]
    print(
        f"{path['from_label']} -> {path['to_label']}: {summary['skills']} skills and {summary['tools']} tools "
        f"to learn ({summary['partial']} partly covered), similarity {path['similarity']:.4f}"
    )
    for step in path["steps"]:
        flag = " (partial)" if step["partial"] else ""
        print(f"{step['order']:3}. {step['kind']:5} {step['label']}{flag}")
        print(f"       {step['why']}")
    return 0


def cmd_bridges(args: argparse.Namespace, settings: Settings) -> int:
    found = _insight(settings).bridges(args.kind, args.limit, args.by)
    if args.format == "json":
        _print_json(found)
        return 0
    rows = [
        [i["id"], i["label"], i["kind"], str(i["roles"]), f"{i['betweenness']:.6f}", str(i["communities"])]
        for i in found["items"]
    ]
    print(f"items that bridge roles, by {found['by']} (betweenness {found['betweenness']}):")
    print(_table(["id", "label", "kind", "roles", "betweenness", "communities"], rows))
    return 0


def cmd_communities(args: argparse.Namespace, settings: Settings) -> int:
    found = _insight(settings).communities()
    if args.format == "json":
        _print_json(found)
        return 0
    print(f"{len(found['communities'])} communities of {found['roles']} roles ({found['method']})")
    for group in found["communities"]:
        roles = ", ".join(r["id"] for r in group["roles"][:8]) + (" ..." if group["size"] > 8 else "")
        items = ", ".join(i["label"] for i in group["items"][:5])
        print(f"  {group['id']}: {group['size']} roles: {roles}")
        print(f"     typical: {items}")
    return 0


# -- parser --------------------------------------------------------------------------------------
def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="rolegraph", description="A knowledge graph of job roles.")
    parser.add_argument("--data-dir", type=Path, help="the store folder's parent (ROLEGRAPH_DATA_DIR)")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("build", help="(re)build the graph from the ontology, vocabulary and role documents")
    p.add_argument("documents", nargs="*", help="role documents (default: every file in data/roles)")
    p.add_argument("--no-validate", action="store_true", help="skip the SHACL check")
    p.add_argument("--if-empty", action="store_true", help="build only when the store is empty")
    p.set_defaults(func=cmd_build)

    p = sub.add_parser("ingest", help="add or replace role documents (each in its own transaction)")
    p.add_argument("files", nargs="+", help="role documents (.txt or .md)")
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("query", help="run a SPARQL query")
    p.add_argument("sparql", nargs="?", help="the query text")
    p.add_argument("--file", "-f", help="read the query from a file")
    p.add_argument("--format", choices=("table", "json", "csv"), default="table")
    p.set_defaults(func=cmd_query)

    p = sub.add_parser("shared", help="items linked to every given role")
    p.add_argument("--kind", choices=tuple(ITEM_KINDS), default="tool")
    p.add_argument("--role", action="append", help="a role id (repeat; default: every role)")
    p.add_argument("--format", choices=("table", "json"), default="table")
    p.set_defaults(func=cmd_shared)

    p = sub.add_parser("compare", help="what two roles share and what one lacks to become the other")
    p.add_argument("--from", dest="from_role", required=True)
    p.add_argument("--to", dest="to_role", required=True)
    p.add_argument("--format", choices=("table", "json"), default="table")
    p.set_defaults(func=cmd_compare)

    p = sub.add_parser("export", help="write the graph as RDF")
    p.add_argument("--format", choices=tuple(RDF_FORMATS), default="turtle")
    p.add_argument("--out", help="file to write (default: stdout)")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("validate", help="check the graph against the SHACL shapes")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("stats", help="counts of triples, graphs, nodes and edges")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(func=cmd_stats)

    p = sub.add_parser("serve", help="serve the SPARQL endpoint, REST API and views")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--log-level", default="info")
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("viz", help="write the interactive view as one HTML file that works offline")
    p.add_argument("--out", required=True, help="the HTML file to write")
    p.add_argument("--role", action="append", help="a role id (repeat, two or more; default: up to 12 roles)")
    p.add_argument("--kind", action="append", choices=tuple(ITEM_KINDS), help="a kind shown (repeat)")
    p.add_argument("--shared-only", action="store_true", help="hide items linked to only one role")
    p.add_argument("--limit", type=int, help="items drawn at most, most shared first (default: 150)")
    p.add_argument("--color", choices=("kind", "community"), default="kind", help="colour the roles by")
    p.add_argument("--path-from", help="draw the learning path from this shown role ...")
    p.add_argument("--path-to", help="... to this one")
    p.set_defaults(func=cmd_viz)

    p = sub.add_parser("import-onet", help="import O*NET occupations and technologies (replaces an earlier import)")
    p.add_argument(
        "directory", nargs="?", default=str(ONET_DIR), help="folder of the two O*NET files (default: data/onet)"
    )
    p.add_argument("--no-validate", action="store_true", help="skip the SHACL check (about a minute)")
    p.add_argument("--show-unmatched", type=int, default=20, metavar="N", help="list the first N unmatched names")
    p.add_argument("--unmatched", metavar="FILE", help="write every unmatched technology name to FILE")
    p.set_defaults(func=cmd_import_onet)

    p = sub.add_parser("remove-onet", help="remove the O*NET import (and nothing else)")
    p.set_defaults(func=cmd_remove_onet)

    p = sub.add_parser("generate", help="load synthetic roles (replaces earlier generated roles)")
    p.add_argument("--roles", type=int, required=True, help="how many roles")
    p.add_argument("--seed", type=int, default=0, help="random seed (same seed, same graph)")
    p.add_argument("--clusters", type=int, default=0, help="plant this many clusters of similar roles")
    p.add_argument("--validate", action="store_true", help="check the generated graph against the SHACL shapes")
    p.set_defaults(func=cmd_generate)

    p = sub.add_parser("similar", help="the roles most similar to one role (IDF-weighted skills and tools)")
    p.add_argument("role", help="a role id")
    p.add_argument("--limit", type=int, default=10, help="how many (1-100, default 10)")
    p.add_argument("--format", choices=("table", "json"), default="table")
    p.set_defaults(func=cmd_similar)

    p = sub.add_parser("path", help="what one role lacks to become another, ordered to learn")
    p.add_argument("--from", dest="from_role", required=True)
    p.add_argument("--to", dest="to_role", required=True)
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(func=cmd_path)

    p = sub.add_parser("bridges", help="items that connect roles (betweenness on the role-item graph)")
    p.add_argument("--kind", choices=tuple(ITEM_KINDS), help="only items of this kind")
    p.add_argument("--limit", type=int, default=20, help="how many (1-500, default 20)")
    p.add_argument("--by", choices=("betweenness", "roles"), default="betweenness")
    p.add_argument("--format", choices=("table", "json"), default="table")
    p.set_defaults(func=cmd_bridges)

    p = sub.add_parser("communities", help="communities of similar roles (Louvain) and their typical items")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(func=cmd_communities)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        settings = Settings(data_dir=args.data_dir) if args.data_dir else Settings()
        func: Callable[[argparse.Namespace, Settings], int] = args.func
        return func(args, settings)
    except RolegraphError as exc:
        print(f"rolegraph: error: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        # The reader went away (e.g. `rolegraph export | head`): not an error worth a message.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except (OSError, ValueError) as exc:
        print(f"rolegraph: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    finally:
        # pySHACL leaves reference cycles that keep an embedded store (and its lock) open until the next
        # collection: release it now, so that the next command (or a caller in the same process) can open it.
        gc.collect()


if __name__ == "__main__":
    sys.exit(main())
