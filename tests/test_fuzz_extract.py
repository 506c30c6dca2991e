"""Property-based tests of extraction: any text in, no crash; every mention points into its text and sentence.

Two kinds of input: arbitrary text (any Unicode, NULs, control characters, every line break Python knows) and
generated role documents in the seed's plain-text layout and in Markdown, with vocabulary terms placed at known
offsets. Hypothesis runs derandomized and without an example database, so runs are repeatable and write nothing.
"""

from __future__ import annotations

import functools
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir

from graph.errors import InvalidDocument
from graph.extract import RoleDocument, extract_role_document
from graph.namespaces import SLUG, slugify
from graph.vocabulary import CATEGORIES, Vocabulary, load_vocabulary

# Hypothesis keeps caches next to the working directory; keep them out of the repository.
if not os.environ.get("HYPOTHESIS_STORAGE_DIRECTORY"):
    set_hypothesis_home_dir(Path(tempfile.gettempdir()) / "rolegraph-hypothesis")

MARKUP = re.compile(r"\*\*|__|`")
#: Characters XML 1.0 cannot carry (the line breaks among them only ever end a line, so they never reach the graph).
NOT_XML = re.compile("[\x00-\x08\x0e-\x1b\x1f\ud800-\udfff\ufffe\uffff]")

FUZZ = settings(
    max_examples=200,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@functools.cache
def vocab() -> Vocabulary:
    return load_vocabulary()


def check_mentions(text: str, doc: RoleDocument) -> None:
    """Every mention's span lies in the text and inside the sentence recorded with it."""
    vocabulary = vocab()
    assert doc.text == text
    spans = [(m.category, m.term_id, m.start, m.end) for m in doc.mentions]
    assert len(spans) == len(set(spans)), "a term is mentioned twice at the same place"
    for m in doc.mentions:
        assert 0 <= m.start < m.end <= len(text), m
        assert text[m.start : m.end] == m.text, m
        assert m.sentence_start <= m.start, m
        assert m.end <= m.sentence_start + len(m.sentence), m
        assert text[m.sentence_start : m.sentence_start + len(m.sentence)] == m.sentence, m
        assert m.category in CATEGORIES, m
        assert m.term_id in vocabulary.terms[m.category], m
        assert "\n" not in m.text and "\n" not in m.sentence, m
        # What the mention quotes names its term (as a surface form, or as a heading the phrase table maps).
        quoted = MARKUP.sub("", m.text)
        assert m.term_id in vocabulary.map_heading(m.category, quoted) or (
            vocabulary.matcher(m.category).lookup(quoted) == m.term_id
        ), m


def extract_or_refuse(text: str) -> RoleDocument | None:
    """The document, or ``None`` when it is refused with :class:`InvalidDocument` (anything else is a bug)."""
    try:
        doc = extract_role_document(text)
    except InvalidDocument as exc:
        assert str(exc)
        return None
    check_mentions(text, doc)
    assert SLUG.fullmatch(doc.role_id), doc.role_id
    assert not NOT_XML.search(text), "a document XML cannot carry was accepted"
    return doc


# -- arbitrary text ----------------------------------------------------------------------------------------

#: Every character str.splitlines() breaks a line at, and other whitespace the extractor must not trip on.
LINE_BREAKS = ["\n", "\r\n", "\r", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"]
SPACES = [" ", "  ", "\t", "\xa0", "\u3000", "\x1f"]

printable_text = st.text(
    st.characters(exclude_categories=("Cc", "Cs")) | st.sampled_from([b for b in LINE_BREAKS if len(b) == 1] + ["\t"]),
    max_size=300,
)


@FUZZ
@given(st.text(max_size=300))
@example("")
@example("\x00")
@example("Roles and Responsibilities of a Data Engineer\x00")
@example("\x01\x02\x03 Data Engineer")
@example("  \n\t \u2028 ")
@example("Roles and Responsibilities of a Bell Engineer\nRings the \x07 bell.\n")  # would break RDF/XML
@example("Roles and Responsibilities of a Data Engineer\nPython\x1fSQL.\n")
@example("Roles and Responsibilities of a Data Engineer\nA lone \ud800 surrogate.\n")
def test_any_text_is_extracted_or_refused(text: str) -> None:
    extract_or_refuse(text)


@FUZZ
@given(printable_text)
def test_printable_text_is_extracted_or_refused(text: str) -> None:
    extract_or_refuse(text)


# -- lines built from the pieces documents are made of -----------------------------------------------------


@functools.cache
def surface_forms() -> list[str]:
    return sorted({form for term in vocab().all_terms() for form in term.surface_forms})


PREFIXES = ["", "# ", "## ", "### ", "#### ", "- ", "* ", "• ", "1. ", "2) ", "10. ", "  ", "\t", "**", "> ", "### 3. "]
PIECES = [
    "Roles and Responsibilities of a ",
    "Role: ",
    "Responsibilities:",
    "Skills Required",
    "Key Skills",
    "Daily Activities",
    "Use Cases",
    "Conclusion",
    "Morning: ",
    "in the Healthcare Industry",
    "Programming",
    ": ",
    ". ",
    ", ",
    ".",
    "!",
    "? ",
    "(",
    ")",
    "#",
    " #",
    " ##",
    "`",
    "**",
    "__",
    "e.g. ",
    "Data",
    "engineer",
    "and",
    " ",
    "\t",
]
piece = st.sampled_from(PIECES) | st.sampled_from(SPACES) | st.deferred(lambda: st.sampled_from(surface_forms()))
line = st.builds(lambda prefix, parts: prefix + "".join(parts), st.sampled_from(PREFIXES), st.lists(piece, max_size=8))
line_soup = st.builds(
    lambda first, rest: first + "".join(brk + text for brk, text in rest),
    line,
    st.lists(st.tuples(st.sampled_from(LINE_BREAKS), line), max_size=12),
)


@FUZZ
@given(line_soup)
@example("Roles and Responsibilities of a Data Engineer\n## Using C#\n")  # the heading's closing '#' ate C#'s
@example("Roles and Responsibilities of a Data Engineer\nWe use Apache\u2028Spark daily.\n")  # a term across lines
def test_document_shaped_text_is_extracted_or_refused(text: str) -> None:
    extract_or_refuse(text)


# -- plausible role documents ------------------------------------------------------------------------------

WORDS = ["Data", "Platform", "Quantum", "Pipeline", "Insight", "Cloud", "Applied", "Research", "Staff", "Lead"]
NOUNS = ["Engineer", "Scientist", "Analyst", "Architect", "Developer", "Wrangler"]
FILLER = ["teams", "systems", "every day", "reliably", "with care", "at scale", "for the business", "together"]
TIMES = ["Morning", "Mid-morning", "Afternoon", "Late afternoon", "End of the day"]


@dataclass(frozen=True)
class Generated:
    """A generated document and what was placed in it."""

    text: str
    label: str
    industry: str | None
    tools: tuple[tuple[int, int], ...]  # spans where a tool's surface form was written
    skill_headings: tuple[str, ...]  # skill labels used as "Heading: body" lines in the skills section
    responsibilities: int
    activities: int


class Writer:
    def __init__(self, markdown: bool) -> None:
        self.markdown = markdown
        self.parts: list[str] = []
        self.size = 0
        self.tools: list[tuple[int, int]] = []

    def write(self, text: str) -> None:
        self.parts.append(text)
        self.size += len(text)

    def tool(self, form: str) -> None:
        self.tools.append((self.size, self.size + len(form)))
        self.write(form)

    def line(self, text: str = "") -> None:
        self.write(text + "\n")

    def heading(self, text: str, level: int = 2) -> None:
        self.line(f"{'#' * level} {text}" if self.markdown else text)

    def sentence(self, draw: st.DrawFn, bullet: bool = False) -> None:
        """A line ending in a full stop, naming a few tools (and perhaps a skill or use case)."""
        if bullet:
            self.write("- " if self.markdown else "")
        self.write(draw(st.sampled_from(["Uses ", "Builds with ", "Works on "])))
        tools = draw(st.lists(st.sampled_from(tool_forms()), max_size=3))
        for index, form in enumerate(tools):
            self.write(", " if index else "")
            self.tool(form)
        other = draw(st.none() | st.sampled_from(other_forms()))
        if other:
            self.write(f" for {other}")
        self.line(f" {draw(st.sampled_from(FILLER))}.")


@functools.cache
def tool_forms() -> list[str]:
    return sorted({form for term in vocab().tools.values() for form in term.surface_forms})


@functools.cache
def other_forms() -> list[str]:
    v = vocab()
    return sorted(
        {form for cat in ("skill", "use-case") for term in v.terms[cat].values() for form in term.surface_forms}
    )


@st.composite
def role_documents(draw: st.DrawFn) -> Generated:
    v = vocab()
    markdown = draw(st.booleans())
    w = Writer(markdown)
    label = " ".join([*draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=3)), draw(st.sampled_from(NOUNS))])
    industry = draw(st.none() | st.sampled_from(sorted(t.label for t in v.industries.values())))
    article = "an" if label[0] in "AEIOU" else "a"
    emphasis = draw(st.sampled_from(["", "**", "`"])) if markdown else ""
    title = f"Roles and Responsibilities of {article} {emphasis}{label}{emphasis}"
    title += f" in the {industry} Industry" if industry else ""
    w.heading(title, level=1)
    for _ in range(draw(st.integers(1, 2))):
        w.sentence(draw)
    w.line()
    areas = sorted(t.label for t in v.areas.values())
    responsibilities = draw(st.integers(0, 4))
    for number in range(1, responsibilities + 1):
        title_text = f"{number}. {draw(st.sampled_from(areas))}"
        w.line(f"### {title_text}" if markdown else title_text)
        w.line(f"Role: {draw(st.sampled_from(FILLER)).capitalize()} matter.")
        w.line("Responsibilities:")
        for _ in range(draw(st.integers(0, 2))):
            w.sentence(draw, bullet=True)
    activities = draw(st.integers(0, 3))
    if activities:
        w.heading(draw(st.sampled_from(["Daily Activities", "Typical Day", "A Day in the Life"])))
        for number in range(1, activities + 1):
            w.line(f"{number}. {draw(st.sampled_from(TIMES))}: {draw(st.sampled_from(FILLER)).capitalize()}")
            w.sentence(draw, bullet=True)
    if draw(st.booleans()):
        w.heading("Use Cases")
        for _ in range(draw(st.integers(1, 3))):
            head = draw(st.sampled_from(sorted(t.label for t in v.use_cases.values())))
            w.write(("- **" + head + "**: ") if markdown else (head + ": "))
            w.sentence(draw)
    skills = sorted(t.label for t in v.skills.values())
    skill_headings: list[str] = []
    w.heading(draw(st.sampled_from(["Skills Required", "Key Skills", "Technical Skills", "Qualifications"])))
    for _ in range(draw(st.integers(0, 4))):
        head = draw(st.sampled_from(skills))
        skill_headings.append(head)
        if markdown and draw(st.booleans()):
            cut = draw(st.integers(1, len(head) - 1))
            w.write(f"- **{head[:cut]}**{head[cut:]}: ")  # emphasis on part of the heading
        else:
            w.write(("- **" + head + "**: ") if markdown else (head + ": "))
        w.sentence(draw)
    if draw(st.booleans()):
        w.heading("Conclusion")
        w.sentence(draw)
    return Generated(
        text="".join(w.parts),
        label=label,
        industry=industry,
        tools=tuple(w.tools),
        skill_headings=tuple(skill_headings),
        responsibilities=responsibilities,
        activities=activities,
    )


@FUZZ
@given(role_documents())
def test_generated_role_documents(generated: Generated) -> None:
    text, v = generated.text, vocab()
    doc = extract_role_document(text)
    check_mentions(text, doc)
    # The role comes from the title, as a slug.
    assert doc.role_label == generated.label
    assert doc.role_id == slugify(generated.label) and SLUG.fullmatch(doc.role_id)
    if generated.industry:
        assert {t.id for t in v.industries.values() if t.label == generated.industry} <= doc.term_ids("industry")
    # The structure is read as written.
    assert len(doc.responsibilities) == generated.responsibilities
    assert len(doc.activities) == generated.activities
    for head in generated.skill_headings:
        assert set(v.map_heading("skill", head)) <= doc.essential_skills(), head
    # Every tool written is found (as itself or as a longer term around it), and only vocabulary tools are.
    tool_spans = [(m.start, m.end) for m in doc.mentions if m.category == "tool"]
    for start, end in generated.tools:
        assert any(s < end and start < e for s, e in tool_spans), text[start:end]
    assert doc.term_ids("tool") <= set(v.tools)
    assert not doc.truncated
    # Extraction is deterministic.
    assert extract_role_document(text) == doc


DATA_ENGINEER = "Roles and Responsibilities of a Data Engineer\n"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Emphasis inside a skill heading: the mention quotes the whole heading, not its first characters.
        (DATA_ENGINEER + "Skills Required\n**Pro**gramming: Python.\n", ("skill", "programming", "Pro**gramming")),
        (DATA_ENGINEER + "Skills Required\n- Math`s`: algebra.\n", ("skill", "mathematics", "Math`s")),
        # Emphasis inside a use-case heading: found on its own line, not on a later line that names it.
        (
            DATA_ENGINEER + "Use Cases\n- Fraud `detection`: in banks.\nFraud detection again.\n",
            ("use-case", "fraud-detection", "Fraud `detection"),
        ),
        # A bold Markdown heading is quoted without its emphasis.
        (
            DATA_ENGINEER + "Use Cases\n### **Fraud Detection**\nMore.\n",
            ("use-case", "fraud-detection", "Fraud Detection"),
        ),
        # Emphasis inside the title: the industry is still found there.
        (
            "# Roles and Responsibilities of a **Data** Engineer in the Healthcare Industry\n",
            ("industry", "healthcare", "Healthcare Industry"),
        ),
    ],
)
def test_headings_with_emphasis_are_quoted_where_they_are_written(text: str, expected: tuple[str, str, str]) -> None:
    doc = extract_or_refuse(text)
    assert doc is not None
    category, term_id, quoted = expected
    first = next(m for m in doc.mentions if (m.category, m.term_id) == (category, term_id))
    assert first.text == quoted
    assert first.start < text.index("\n", text.index(quoted))  # on the line where it is written


def test_a_long_heading_with_emphasis_is_read_without_a_huge_pattern() -> None:
    heading = "Fraud detection " + "`x` " * 5_000
    doc = extract_or_refuse(DATA_ENGINEER + "Use Cases\n### " + heading + "\nMore.\n")
    assert doc is not None and "fraud-detection" in doc.term_ids("use-case")


@pytest.mark.parametrize(
    ("text", "tool"),
    [
        ("Roles and Responsibilities of a Data Engineer\n## Using C#\nWe ship C# daily.\n", "csharp"),
        ("# Roles and Responsibilities of a C# Developer\nWe ship code.\n", "csharp"),
    ],
)
def test_markdown_heading_keeps_a_trailing_hash_that_is_part_of_a_word(text: str, tool: str) -> None:
    doc = extract_role_document(text)
    check_mentions(text, doc)
    assert tool in doc.term_ids("tool")


def test_a_term_never_spans_a_line_break() -> None:
    for brk in LINE_BREAKS:
        text = f"Roles and Responsibilities of a Data Engineer\nWe use Apache{brk}Spark daily.\n"
        doc = extract_role_document(text)
        check_mentions(text, doc)
        assert "apache-spark" in doc.term_ids("tool"), repr(brk)  # "Spark" alone, on its own line
        assert all(m.text == "Spark" for m in doc.mentions if m.term_id == "apache-spark"), repr(brk)
