"""Entity resolution of O*NET technology names against the curated tools: merges, and the merges it must refuse."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from graph.errors import VocabularyError
from graph.onet import new_tool_ids, read_onet
from graph.resolve import ONET_DIR, ResolutionRules, Resolver, new_tool_id
from graph.vocabulary import CATEGORIES, TOOL_KINDS, Term, Vocabulary, load_vocabulary

EXAMPLES = {
    "Amazon Web Services AWS software": "aws",
    "Oracle Java": "java",
    "Structured query language SQL": "sql",
    "Microsoft Azure software": "azure",
    "The MathWorks MATLAB": "matlab",
}


@pytest.fixture(scope="module")
def resolver() -> Resolver:
    return Resolver.default()


def bare_vocabulary() -> Vocabulary:
    """Five tools with their plain names only (none of the O*NET spellings the curated file has as aliases),
    plus the products the rules must not merge them with."""
    tools = [
        Term("aws", "Amazon Web Services", "tool", aliases=("AWS",), kind="cloud-platform"),
        Term("java", "Java", "tool", kind="programming-language"),
        Term("sql", "SQL", "tool", kind="programming-language"),
        Term("azure", "Microsoft Azure", "tool", aliases=("Azure",), kind="cloud-platform", case_sensitive=True),
        Term("matlab", "MATLAB", "tool", kind="programming-language"),
        Term("sql-server", "Microsoft SQL Server", "tool", aliases=("SQL Server",), kind="database"),
        Term("oracle-database", "Oracle Database", "tool", kind="database"),
    ]
    terms: dict[str, dict[str, Term]] = {category: {} for category in CATEGORIES}
    terms["tool"] = {t.id: t for t in tools}
    return Vocabulary(terms=terms)


def rules_only() -> Resolver:
    """The rules of resolution.yaml over the bare vocabulary (without its hand-checked same_as list)."""
    return Resolver(bare_vocabulary(), dataclasses.replace(ResolutionRules.load(), same_as={}))


@pytest.mark.parametrize(("name", "tool_id"), EXAMPLES.items())
def test_the_issue_examples_resolve(resolver: Resolver, name: str, tool_id: str) -> None:
    match = resolver.resolve(name)
    assert match is not None and match.tool_id == tool_id


@pytest.mark.parametrize(("name", "tool_id"), EXAMPLES.items())
def test_the_rules_alone_resolve_the_examples(name: str, tool_id: str) -> None:
    """Without the curated O*NET aliases, the data-driven rules still find each example (not by luck)."""
    match = rules_only().resolve(name)
    assert match is not None and match.tool_id == tool_id
    assert match.how, "resolved by a rule, not by an alias"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Microsoft SQL Server", "sql-server"),  # a database, never the SQL language
        ("Oracle Database", "oracle-database"),  # never Java, although "Oracle Java" is Java
        ("Microsoft SQL Server Compact", None),  # another product: no rule makes it SQL Server or SQL
        ("Oracle SQL Plus", None),
        ("Microsoft Azure Sentinel", None),  # a product on Azure is not Azure
        ("Oracle Java Message Service JMS", None),  # an API of Java is not Java
        ("Amazon Web Services AWS CloudFormation", None),
        ("Java", "java"),
        ("java", "java"),  # case-insensitive ...
        ("microsoft azure", None),  # ... except for tools the vocabulary marks case_sensitive
    ],
)
def test_non_merges_with_the_rules_alone(name: str, expected: str | None) -> None:
    match = rules_only().resolve(name)
    assert (match.tool_id if match else None) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Microsoft SQL Server", "microsoft-sql-server"),
        ("Oracle Database", "oracle-database"),
        ("Redgate SQL Server", None),
        ("Microsoft SQL Server Compact", None),
        ("e-on software Vue", None),  # a 3D renderer, not Vue.js (whose alias is "Vue")
        ("Electric Rain Swift 3D", None),  # not the Swift language
        ("Oracle Java Enterprise Edition EE", None),
        ("IBM Cognos Planning", None),
        ("Symantec Veritas NetBackup", "veritas-netbackup"),  # vendor prefix
        ("Hypertext preprocessor PHP", "php"),  # same_as: a recursive acronym
    ],
)
def test_real_vocabulary_merges_and_refusals(resolver: Resolver, name: str, expected: str | None) -> None:
    match = resolver.resolve(name)
    assert (match.tool_id if match else None) == expected


def test_acronym_must_be_the_initials(resolver: Resolver) -> None:
    rewrites = {text for _, text, _ in resolver.rewrites("Structured query language SQL")}
    assert {"SQL", "Structured query language"} <= rewrites
    # "Server" is not an acronym and "SQL" is not the initials of "Microsoft": nothing becomes "SQL".
    assert "SQL" not in {text for _, text, _ in resolver.rewrites("Microsoft SQL Server")}
    assert "XYZ" not in {text for _, text, _ in resolver.rewrites("Data warehouse tool XYZ")}
    assert "HRIS" in {text for _, text, _ in resolver.rewrites("Human resource information system (HRIS)")}
    # "MapReduce" is one word: EMR is not the initials of "Elastic MapReduce", so it is not taken apart.
    assert "EMR" not in {text for _, text, _ in resolver.rewrites("AWS Elastic MapReduce (EMR)")}


def test_two_tools_at_the_same_distance_is_ambiguous() -> None:
    vocab = bare_vocabulary()
    vocab.terms["tool"]["cloud-software"] = Term("cloud-software", "Cloud software", "tool", kind="software")
    vocab.terms["tool"]["amazon-cloud"] = Term("amazon-cloud", "Amazon Cloud", "tool", kind="software")
    # Stripping the vendor gives "Cloud software", stripping the suffix "Amazon Cloud": both one step away,
    # two different tools: no merge.
    resolver = Resolver(vocab, ResolutionRules(vendors=("Amazon",), suffixes=("software",)))
    assert resolver.resolve("Amazon Cloud software") is None
    report = resolver.resolve_all(["Amazon Cloud software", "Amazon Java"])
    assert report.ambiguous == {"Amazon Cloud software": ["amazon-cloud", "cloud-software"]}
    assert report.unmatched == ["Amazon Cloud software"] and report.matched["Amazon Java"].tool_id == "java"


def test_distinct_and_same_as_are_data(resolver: Resolver) -> None:
    rules = ResolutionRules(distinct=frozenset({"Oracle Java"}), same_as={"Duke's language": "java"})
    custom = Resolver(resolver.vocabulary, rules)
    assert custom.resolve("Oracle Java") is None
    match = custom.resolve("Duke's language")
    assert match is not None and (match.tool_id, match.rule) == ("java", "same-as")
    with pytest.raises(VocabularyError, match="unknown tool"):
        Resolver(resolver.vocabulary, ResolutionRules(same_as={"x": "no-such-tool"}))


def test_whole_file_report(resolver: Resolver) -> None:
    names = read_onet(ONET_DIR).names()
    report = resolver.resolve_all(names)
    assert len(report.matched) + len(report.unmatched) == len(names) == 8745
    assert not report.ambiguous
    assert {name: report.matched[name].tool_id for name in EXAMPLES} == EXAMPLES
    # Every merge lands on a curated tool; every rule in the report is one the resolver has.
    assert {m.tool_id for m in report.matched.values()} <= set(load_vocabulary().tools)
    assert set(report.by_rule()) <= {"alias", "vendor", "suffix", "acronym", "same-as"} | {
        f"{a}+{b}" for a in ("vendor", "suffix", "acronym") for b in ("vendor", "suffix", "acronym")
    }
    assert "resolved to" in report.summary()


def test_new_tool_ids_are_slugs_and_never_collide() -> None:
    assert new_tool_id("Microsoft Visual C++") != new_tool_id("Microsoft Visual C#")
    assert new_tool_id("!Trak-it Solutions !Trak-it HR") == "onet-trak-it-solutions-trak-it-hr"
    ids = new_tool_ids(["Foo.Bar", "Foo Bar", "Baz"])
    assert ids["Baz"] == "onet-baz"
    assert ids["Foo.Bar"] != ids["Foo Bar"] and ids["Foo.Bar"].startswith("onet-foo-bar-")
    assert new_tool_ids(["Foo Bar", "Foo.Bar"]) == {k: v for k, v in ids.items() if k != "Baz"}  # order-free


def test_rules_file_is_checked(tmp_path: Path) -> None:
    rules = ResolutionRules.load()
    assert set(rules.tool_kinds.values()) <= set(TOOL_KINDS)
    assert rules.kind_for("43232304") == "database" and rules.kind_for("99999999") == "software"
    bad = tmp_path / "resolution.yaml"
    bad.write_text("tool_kinds: {'43232304': spreadsheet}\n", encoding="utf-8")
    with pytest.raises(VocabularyError, match="spreadsheet"):
        ResolutionRules.load(bad)
    bad.write_text("vendors: Microsoft\n", encoding="utf-8")
    with pytest.raises(VocabularyError, match="vendors"):
        ResolutionRules.load(bad)
