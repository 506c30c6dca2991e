"""Extraction over the seed documents and two documents written for these tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.errors import InvalidDocument
from graph.extract import RoleDocument, extract_role_document

ROOT = Path(__file__).resolve().parent.parent
DOCS = Path(__file__).parent / "documents"


def extract(path: Path) -> RoleDocument:
    return extract_role_document(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def seed() -> dict[str, RoleDocument]:
    return {p.stem: extract(p) for p in sorted((ROOT / "data" / "roles").glob("*.txt"))}


def test_roles_come_from_the_titles(seed: dict[str, RoleDocument]) -> None:
    assert {d.role_id: d.role_label for d in seed.values()} == {
        "ai-engineer": "AI Engineer",
        "deep-learning-engineer": "Deep Learning Engineer",
        "data-engineer": "Data Engineer",
    }
    assert "software" in seed["ai-engineer"].term_ids("industry")  # "... in the Software Industry"


def test_responsibility_sections_keep_title_role_and_tasks(seed: dict[str, RoleDocument]) -> None:
    data = seed["data-engineer"].responsibilities
    assert [r.position for r in data] == list(range(1, 10))
    assert data[0].title == "Designing and Building Data Pipelines"
    assert data[0].role_statement and data[0].role_statement.startswith("Data engineers design and build")
    assert len(data[0].tasks) == 3
    assert all(r.areas for doc in seed.values() for r in doc.responsibilities)


def test_daily_activities_keep_their_time_of_day(seed: dict[str, RoleDocument]) -> None:
    ai = seed["ai-engineer"].activities
    assert [(a.time_of_day, a.title) for a in ai[:2]] == [
        ("Morning", "Data Handling and Processing"),
        ("Mid-morning", "Model Development and Experimentation"),
    ]
    assert [a.time_of_day for a in seed["data-engineer"].activities] == [
        "Morning",
        "Mid-morning",
        "Afternoon",
        "Late afternoon",
    ]


def test_section_order_does_not_matter(seed: dict[str, RoleDocument]) -> None:
    # Use cases come before skills in the AI document and after them in the Data Engineer one.
    ai, de = seed["ai-engineer"], seed["data-engineer"]
    assert {"programming", "mathematics", "cloud-computing"} <= ai.essential_skills()
    assert {"programming", "etl", "data-warehousing", "data-modeling"} <= de.essential_skills()
    assert {"fraud-detection", "recommendation-systems", "chatbots"} <= ai.term_ids("use-case")
    assert {"fraud-detection", "data-migration", "real-time-analytics"} <= de.term_ids("use-case")


def test_truncated_document_yields_role_and_skills_up_to_the_cut(seed: dict[str, RoleDocument]) -> None:
    dl = seed["deep-learning-engineer"]
    assert dl.truncated
    assert any("ends mid-sentence" in note for note in dl.skipped)
    assert {"programming", "deep-learning", "mathematics", "data-preprocessing", "data-pipelines"} <= (
        dl.essential_skills()
    )
    assert dl.skill_headings == ["Programming", "Deep Learning Frameworks", "Mathematics", "Data Handling"]


def test_every_mention_points_into_its_sentence(seed: dict[str, RoleDocument]) -> None:
    for doc in seed.values():
        for m in doc.mentions:
            assert doc.text[m.start : m.end] == m.text
            assert doc.text[m.sentence_start : m.sentence_start + len(m.sentence)] == m.sentence
            assert m.sentence_start <= m.start and m.end <= m.sentence_start + len(m.sentence)


def test_seed_style_document_with_unknown_headings() -> None:
    doc = extract(DOCS / "ml-ops-engineer.txt")
    assert (doc.role_id, doc.role_label) == ("mlops-engineer", "MLOps Engineer")
    assert {
        "github-actions",
        "jenkins",
        "docker",
        "kubernetes",
        "helm",
        "prometheus",
        "grafana",
        "mlflow",
        "python",
        "terraform",
        "amazon-sagemaker",
    } <= doc.term_ids("tool")
    assert "finance" in doc.term_ids("industry") and "fraud-detection" in doc.term_ids("use-case")
    assert [r.title for r in doc.responsibilities] == [
        "Building Model Deployment Pipelines",
        "Monitoring Models in Production",
    ]
    assert any("'Career Path'" in note for note in doc.skipped)
    assert any("'Underwater Basket Weaving'" in note for note in doc.skipped)
    assert not doc.truncated


def test_markdown_document() -> None:
    doc = extract(DOCS / "analytics-engineer.md")
    assert (doc.role_id, doc.role_label) == ("analytics-engineer", "Analytics Engineer")
    assert doc.summary.startswith("An Analytics Engineer turns raw warehouse tables")
    assert [r.title for r in doc.responsibilities] == ["Data Modeling and Transformation", "Ensuring Data Quality"]
    assert doc.responsibilities[0].tasks[0].startswith("Build and test transformation models in dbt")
    assert {"dbt", "snowflake", "bigquery", "looker", "tableau", "git", "github", "sql", "python"} <= (
        doc.term_ids("tool")
    )
    assert {"programming", "data-modeling", "communication"} <= doc.essential_skills()
    assert "business-intelligence" in doc.term_ids("use-case")
    assert any("'Tools We Use'" in note for note in doc.skipped)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "empty"),
        ("   \n\n  ", "empty"),
        ("Roles of a\x00 thing", "NUL"),
        ("\x01\x02\x03\x04\x05 binary \x06\x07\x08\x0e\x0f\x10\x11\x12\x13\x14\x15\x16", "non-printable"),
        (
            "This is a long first sentence that goes on and on and is clearly not the title of any role at all.",
            "no role",
        ),
    ],
)
def test_documents_without_a_role_are_refused_with_a_reason(text: str, reason: str) -> None:
    with pytest.raises(InvalidDocument, match=reason):
        extract_role_document(text)
