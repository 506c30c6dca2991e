"""The curated vocabulary keeps its own rules, and the loader refuses files that break them."""

from __future__ import annotations

import re
import shutil
from collections import Counter
from pathlib import Path

import pytest

from graph.errors import VocabularyError
from graph.vocabulary import TOOL_KINDS, _load_cached, load_vocabulary

VOCAB_DIR = Path(__file__).resolve().parent.parent / "data" / "vocabulary"


def test_sizes_cover_the_field() -> None:
    vocab = load_vocabulary()
    assert len(vocab.tools) >= 300
    assert len(vocab.skills) >= 80
    for name in ("MLflow", "dbt", "Terraform", "Grafana", "Tableau", "Databricks", "Kafka"):
        assert vocab.matcher("tool").lookup(name), name
    assert {t.kind for t in vocab.tools.values()} <= set(TOOL_KINDS)


def test_aliases_are_unambiguous_within_a_category() -> None:
    vocab = load_vocabulary()
    for category, terms in vocab.terms.items():
        forms = Counter(f.casefold() for t in terms.values() for f in set(t.surface_forms))
        assert [f for f, n in forms.items() if n > 1] == [], category


def test_wikidata_links_are_well_formed_and_unique() -> None:
    ids = [t.wikidata for t in load_vocabulary().tools.values() if t.wikidata]
    assert ids and all(re.fullmatch(r"Q[1-9]\d*", q) for q in ids)
    assert len(ids) == len(set(ids))


def test_part_of_links_platform_services() -> None:
    tools = load_vocabulary().tools
    assert tools["amazon-s3"].part_of == "aws"
    assert tools["bigquery"].part_of == "google-cloud"


def test_skill_headings_map_to_one_skill() -> None:
    vocab = load_vocabulary()
    assert (
        vocab.map_heading("skill", "Programming Languages")
        == vocab.map_heading("skill", "Programming")
        == ("programming",)
    )
    assert vocab.map_heading("skill", "Mathematics and Statistics") == ("mathematics", "statistics")


@pytest.mark.parametrize(
    ("file", "old", "new", "message"),
    [
        ("tools.yaml", "kind: programming-language", "kind: spaceship", "is not one of"),
        ("tools.yaml", "part_of: aws", "part_of: nowhere", "is not a tool"),
        ("skills.yaml", "id: programming\n", "id: python\n", "is used by"),
        ("use_cases.yaml", "industries: [finance", "industries: [atlantis", "is not an industry"),
    ],
)
def test_broken_vocabulary_is_refused(tmp_path: Path, file: str, old: str, new: str, message: str) -> None:
    folder = tmp_path / "vocabulary"
    shutil.copytree(VOCAB_DIR, folder)
    text = (folder / file).read_text(encoding="utf-8")
    assert old in text, f"fixture text {old!r} not found in {file}"
    (folder / file).write_text(text.replace(old, new, 1), encoding="utf-8")
    _load_cached.cache_clear()
    try:
        with pytest.raises(VocabularyError, match=message):
            load_vocabulary(folder)
    finally:
        _load_cached.cache_clear()
