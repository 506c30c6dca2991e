"""Whole words, longest match first, case-aware per term, blocking phrases."""

from __future__ import annotations

from graph.matcher import TermMatcher
from graph.vocabulary import load_vocabulary


def found(text: str) -> list[str]:
    return [m.term_id or "" for m in load_vocabulary().matcher("tool").find(text)]


def test_language_r_is_not_found_inside_words_or_acronyms() -> None:
    assert found("RNNs, R&D and Rust are not R") == ["rust", "r"]
    assert found("knowledge of R.") == ["r"]


def test_snowflake_schema_is_a_modelling_idea_not_the_warehouse() -> None:
    assert found("star schema, snowflake schema") == []
    assert found("warehouses (e.g., Amazon Redshift, Snowflake).") == ["amazon-redshift", "snowflake"]


def test_spelling_variants_resolve_to_one_tool() -> None:
    assert found("GCP and Google Cloud") == ["google-cloud", "google-cloud"]
    assert found("Numpy or NumPy") == ["numpy", "numpy"]
    assert found("Apache Spark, Spark") == ["apache-spark", "apache-spark"]
    assert found("AWS (Redshift, S3), Amazon Redshift, AWS S3") == [
        "aws",
        "amazon-redshift",
        "amazon-s3",
        "amazon-redshift",
        "amazon-s3",
    ]


def test_longest_match_wins_and_c_is_not_found_in_cpp() -> None:
    assert found("C++ and C#, then C") == ["cpp", "csharp", "c"]
    assert found("Google Cloud Storage") == ["google-cloud-storage"]


def test_case_sensitive_terms_ignore_ordinary_words() -> None:
    matcher = TermMatcher([("go", "Go", True)])
    assert [m.text for m in matcher.find("go to Go")] == ["Go"]


def test_terms_do_not_span_lines() -> None:
    matcher = TermMatcher([("x", "data lake", False)])
    assert matcher.find("data\nlake") == []
    assert [m.text for m in matcher.find("data  lake")] == ["data  lake"]


def test_offsets_point_at_the_matched_text() -> None:
    text = "Use Python and Apache Kafka."
    for match in load_vocabulary().matcher("tool").find(text, offset=0):
        assert text[match.start : match.end] == match.text
