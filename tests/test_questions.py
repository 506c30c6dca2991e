"""The seed's questions, answered from the built graph, each answer traceable to a sentence."""

from __future__ import annotations

from itertools import combinations

import pytest

from graph.errors import InvalidRequest, NotFound
from graph.questions import RoleGraph

pytestmark = pytest.mark.store

AI, DL, DE = "ai-engineer", "deep-learning-engineer", "data-engineer"

SHARED_TOOLS = {
    (AI, DL, DE): {"aws", "azure", "google-cloud", "java", "python"},
    (AI, DL): {"aws", "azure", "google-cloud", "java", "keras", "python", "pytorch", "tensorflow"},
    (AI, DE): {"amazon-s3", "aws", "azure", "git", "google-cloud", "google-cloud-storage", "java", "python", "sql"},
    (DL, DE): {"aws", "azure", "google-cloud", "java", "python"},
}
OWN_TOOLS = {
    AI: {"docker", "github", "jira", "kubernetes", "numpy", "pandas", "r", "scikit-learn", "slack"},
    DL: {"bert", "cpp", "gpt-3", "gpu", "mxnet", "onnx", "tensorflow-savedmodel", "tpu"},
    DE: {
        "amazon-kinesis",
        "amazon-redshift",
        "apache-airflow",
        "apache-kafka",
        "apache-nifi",
        "apache-spark",
        "avro",
        "aws-lambda",
        "bigquery",
        "cassandra",
        "cron",
        "hadoop",
        "mongodb",
        "mysql",
        "parquet",
        "postgresql",
        "scala",
        "snowflake",
        "talend",
    },
}


def ids(items: list) -> set[str]:  # type: ignore[type-arg]
    return {item.id for item in items}


@pytest.mark.parametrize("roles", list(SHARED_TOOLS))
def test_tools_shared_by_roles(seed_graph: RoleGraph, roles: tuple[str, ...]) -> None:
    shared = seed_graph.shared("tool", list(roles))
    assert ids(shared.items) == SHARED_TOOLS[roles]
    assert shared.roles == list(roles)
    # Every member is traceable to a sentence of each role's document that names it.
    for item in shared.items:
        for role in roles:
            sources = seed_graph.sources(role, "tool", item.id)
            assert sources, (role, item.id)
            assert all(s.text in s.sentence for s in sources)


def test_no_roles_means_all_roles(seed_graph: RoleGraph) -> None:
    assert ids(seed_graph.shared("tool").items) == SHARED_TOOLS[(AI, DL, DE)]
    assert sorted(seed_graph.shared("tool").roles) == sorted([AI, DL, DE])


def test_each_roles_own_tools(seed_graph: RoleGraph) -> None:
    for role, own in OWN_TOOLS.items():
        others = [r for r in (AI, DL, DE) if r != role]
        mine = ids(seed_graph.role_items(role, "tool"))
        theirs = set().union(*(ids(seed_graph.role_items(r, "tool")) for r in others))
        assert mine - theirs == own


def test_tool_items_carry_their_kind(seed_graph: RoleGraph) -> None:
    kinds = {i.id: i.kind for i in seed_graph.shared("tool").items}
    assert kinds["python"] == "programming-language"
    assert kinds["aws"] == "cloud-platform"


def test_skills_shared_after_mapping_to_the_taxonomy(seed_graph: RoleGraph) -> None:
    # "Programming Languages" (AI, DE) and "Programming" (DL) are one skill.
    shared = ids(seed_graph.shared("skill").items)
    assert {"programming", "cloud-computing", "problem-solving", "data-pipelines"} <= shared
    essential = [{i.id for i in seed_graph.role_items(r, "skill") if i.essential} for r in (AI, DL, DE)]
    assert set.intersection(*essential) == {"programming"}
    assert {"mathematics", "statistics", "deep-learning"} <= essential[0] & essential[1]


def test_industries_and_use_cases_per_role(seed_graph: RoleGraph) -> None:
    industries = {r: ids(seed_graph.role_items(r, "industry")) for r in (AI, DL, DE)}
    assert industries[AI] == {"software", "healthcare", "finance", "retail", "manufacturing", "robotics"}
    assert industries[DL] == {"healthcare"}
    assert industries[DE] == set()
    use_cases = {r: ids(seed_graph.role_items(r, "use-case")) for r in (AI, DL, DE)}
    assert {
        "medical-image-analysis",
        "autonomous-driving",
        "fraud-detection",
        "chatbots",
        "recommendation-systems",
        "predictive-maintenance",
        "nlp-applications",
    } <= use_cases[AI]
    assert {
        "computer-vision-applications",
        "speech-recognition",
        "object-detection",
        "synthetic-data-generation",
        "nlp-applications",
    } <= use_cases[DL]
    assert {
        "data-migration",
        "real-time-analytics",
        "data-warehouse-design",
        "business-intelligence",
        "fraud-detection",
    } <= use_cases[DE]
    assert ids(seed_graph.shared("use-case", [AI, DE]).items) >= {"fraud-detection"}
    assert ids(seed_graph.shared("use-case", [AI, DL]).items) >= {"autonomous-driving", "chatbots", "nlp-applications"}


def test_responsibility_areas_shared_by_all(seed_graph: RoleGraph) -> None:
    assert "cross-team-collaboration" in ids(seed_graph.shared("responsibility-area").items)


def test_data_engineer_to_deep_learning_engineer(seed_graph: RoleGraph) -> None:
    comparison = seed_graph.compare(DE, DL)
    to_learn_tools = ids(comparison.to_learn["tool"])
    assert {"tensorflow", "pytorch", "keras", "mxnet"} <= to_learn_tools
    assert not to_learn_tools & ids(seed_graph.role_items(DE, "tool"))
    assert ids(comparison.shared["tool"]) == SHARED_TOOLS[(DL, DE)]
    assert "deep-learning" in ids(comparison.to_learn["skill"])
    assert "programming" not in ids(comparison.to_learn["skill"])


def test_pairs_are_symmetric(seed_graph: RoleGraph) -> None:
    for a, b in combinations((AI, DL, DE), 2):
        assert ids(seed_graph.shared("tool", [a, b]).items) == ids(seed_graph.shared("tool", [b, a]).items)


@pytest.mark.parametrize("bad", ["AI Engineer", "x> } #", "a\nb", "ai-engineer\x00", "x" * 10_000])
def test_bad_role_ids_are_refused(seed_graph: RoleGraph, bad: str) -> None:
    with pytest.raises(InvalidRequest):
        seed_graph.shared("tool", [bad])


def test_unknown_roles_and_kinds(seed_graph: RoleGraph) -> None:
    with pytest.raises(NotFound, match="nurse"):
        seed_graph.shared("tool", [AI, "nurse"])
    with pytest.raises(InvalidRequest, match="kind"):
        seed_graph.shared("gadget")
