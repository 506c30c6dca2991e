"""Turn a role document (plain text in the seed's style, or Markdown) into a typed :class:`RoleDocument`.

The extractor reads the structure it knows (title, numbered responsibility sections with ``Role:`` and
``Responsibilities:`` blocks, daily activities, use cases, required skills, conclusion) in any order, finds
vocabulary terms in the text, and keeps every mention with its section, sentence and character offsets.
What it cannot place (unknown headings, unmapped skill headings, a document cut off mid-sentence) is
reported in ``skipped``, never raised.

>>> doc = extract_role_document("Roles and Responsibilities of a Data Analyst\\n"
...                             "Skills Required\\nProgramming: Python and SQL.\\n")
>>> doc.role_id, doc.role_label
('data-analyst', 'Data Analyst')
>>> sorted(doc.term_ids("tool"))
['python', 'sql']
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from graph.errors import InvalidDocument
from graph.namespaces import slugify
from graph.vocabulary import Vocabulary, load_vocabulary

# Section kinds a document can hold, and the headings that open them (matched at the start of a heading).
SECTION_HEADINGS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("activities", re.compile(r"(daily|day-to-day|typical)\s+(activities|day|tasks)|a\s+day\s+in\s+the\s+life", re.I)),
    ("use-cases", re.compile(r"((common|key|typical|example)\s+)?use\s+cases|applications\b", re.I)),
    (
        "skills",
        re.compile(
            r"((key|required|essential|core|technical)\s+)?(skills|qualifications)(\s+(required|needed|and\s+\w+))?\b",
            re.I,
        ),
    ),
    ("conclusion", re.compile(r"(conclusion|summary|in\s+summary|final\s+thoughts)\b", re.I)),
    ("responsibilities", re.compile(r"((key|main|primary|core)\s+)?(roles\s+and\s+)?responsibilities\b", re.I)),
)

SECTION_NAMES = {
    "intro": "Introduction",
    "responsibilities": "Responsibilities",
    "activities": "Daily Activities",
    "use-cases": "Use Cases",
    "skills": "Skills Required",
    "conclusion": "Conclusion",
}

_TITLE = re.compile(
    r"^(?:(?:key\s+)?roles?\s+(?:and|&)\s+responsibilities\s+of\s+(?:an?\s+|the\s+)?|job\s+description:?\s+)?"
    r"(?P<role>.+?)(?:\s+in\s+(?:the\s+)?(?P<industry>[\w &/-]+?)\s+(?:industry|sector))?\s*$",
    re.I,
)
_NUMBERED = re.compile(r"^(?P<number>\d{1,2})[.)]\s+(?P<rest>.+)$")
_BULLET = re.compile(r"^(?:[-*•+]|\d{1,2}[.)])\s+")
# The closing run of #s must follow a space (CommonMark): the "#" of "C#" ending a heading is text.
_MD_HEADING = re.compile(r"^(?P<hashes>#{1,6})\s+(?P<text>.+?)(?:\s+#+)?\s*$")
_LABELLED = re.compile(r"^(?P<head>[^:]{2,80}?)\s*:\s*(?P<body>.*)$")
_MAX_HEADING = 200  # characters: longer "headings" are found by plain search only
_TIME_OF_DAY = re.compile(
    r"^(?P<time>early\s+morning|mid-morning|late\s+morning|morning|midday|lunch|early\s+afternoon|"
    r"late\s+afternoon|afternoon|evening|end\s+of\s+(?:the\s+)?day)\s*:\s*(?P<rest>.*)$",
    re.I,
)
_SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+(?=[A-Z(\"“])")
_MARKUP = re.compile(r"\*\*|__|`")
# Characters XML 1.0 cannot carry, not even as references: in a role's text they would break every RDF/XML
# answer the graph gives. (The line breaks \v, \f and \x1c-\x1e are not here: they only ever end a line.)
_NOT_XML = re.compile("[\x01-\x08\x0e-\x1b\x1f\ud800-\udfff\ufffe\uffff]")


@dataclass(frozen=True, slots=True)
class Mention:
    """One vocabulary term found in a document, with where it was found."""

    category: str  # tool, skill, use-case, industry, area
    term_id: str
    text: str
    start: int
    end: int
    section: str
    sentence: str
    sentence_start: int
    essential: bool = False  # for skills: found in the skills section


@dataclass
class Responsibility:
    position: int
    title: str
    role_statement: str | None = None
    tasks: list[str] = field(default_factory=list)
    areas: list[str] = field(default_factory=list)


@dataclass
class Activity:
    position: int
    title: str
    time_of_day: str | None = None
    tasks: list[str] = field(default_factory=list)


@dataclass
class UseCaseEntry:
    heading: str
    body: str
    use_cases: list[str] = field(default_factory=list)
    industries: list[str] = field(default_factory=list)


@dataclass
class RoleDocument:
    """Everything extracted from one role document."""

    role_id: str
    role_label: str
    title: str
    text: str
    summary: str = ""
    responsibilities: list[Responsibility] = field(default_factory=list)
    activities: list[Activity] = field(default_factory=list)
    use_case_entries: list[UseCaseEntry] = field(default_factory=list)
    skill_headings: list[str] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    truncated: bool = False

    @property
    def doc_id(self) -> str:
        """A document is identified by the role it describes: one current description per role."""
        return self.role_id

    def term_ids(self, category: str) -> set[str]:
        return {m.term_id for m in self.mentions if m.category == category}

    def essential_skills(self) -> set[str]:
        return {m.term_id for m in self.mentions if m.category == "skill" and m.essential}

    def use_case_industries(self) -> set[tuple[str, str]]:
        """(use case, industry) pairs the document states: a use case found under an industry heading."""
        return {(u, i) for entry in self.use_case_entries for u in entry.use_cases for i in entry.industries}


@dataclass(frozen=True, slots=True)
class _Line:
    start: int  # offset of the content (after indentation and markup prefix) in the document
    text: str  # the content, stripped
    heading_level: int  # Markdown heading level, 0 for none


@dataclass
class _Section:
    kind: str
    name: str
    start: int
    end: int
    lines: list[_Line] = field(default_factory=list)


def _lines(text: str) -> Iterator[_Line]:
    offset = 0
    for raw in text.splitlines(keepends=True):
        stripped = raw.strip()
        if stripped:
            lead = raw.index(stripped[0])
            level = 0
            md = _MD_HEADING.match(stripped)
            if md:
                level = len(md.group("hashes"))
                content = md.group("text")
                lead += stripped.index(content)
                stripped = content
            yield _Line(offset + lead, stripped, level)
        offset += len(raw)


def _time_label(text: str) -> str:
    """'end of the day' -> 'End of the day'."""
    return " ".join(text.split()).capitalize()


def _plain(text: str) -> str:
    """Text without Markdown emphasis and list bullets."""
    return _MARKUP.sub("", _BULLET.sub("", text, count=1)).strip()


def _section_kind(heading: str) -> str | None:
    text = _plain(heading).rstrip(":")
    for kind, pattern in SECTION_HEADINGS:
        if pattern.match(text):
            return kind
    return None


def _looks_like_heading(line: _Line) -> bool:
    """A plain-text heading: short, no final punctuation, not a list item, starts with a capital."""
    if line.heading_level:
        return True
    text = line.text
    if _NUMBERED.match(text) or _BULLET.match(text) or text[-1] in ".:;,!?" or ":" in text:
        return False
    words = text.split()
    return 1 <= len(words) <= 12 and text[0].isupper()


def _split_sections(text: str, lines: list[_Line]) -> tuple[_Line, list[_Section]]:
    """The title line and the document cut into sections at the headings it recognises."""
    title = lines[0]
    sections: list[_Section] = [_Section("intro", SECTION_NAMES["intro"], title.start, len(text))]
    seen_numbered = False  # the introduction's free text may hold short lines; after "1. ..." they are headings
    for line in lines[1:]:
        kind = _section_kind(line.text) if _looks_like_heading(line) else None
        top_level = line.heading_level in (0, 1, 2)
        seen_numbered = seen_numbered or bool(_NUMBERED.match(line.text))
        if kind and top_level:
            sections[-1].end = line.start
            sections.append(_Section(kind, _plain(line.text), line.start, len(text)))
        elif line.heading_level in (1, 2) or (
            line.heading_level == 0 and _looks_like_heading(line) and (sections[-1].kind != "intro" or seen_numbered)
        ):
            # A heading we do not know: its content is set aside, not guessed at.
            sections[-1].end = line.start
            sections.append(_Section("unknown", _plain(line.text), line.start, len(text)))
        else:
            sections[-1].lines.append(line)
    # Numbered sections straight after the introduction are responsibilities (the seed's layout).
    intro = sections[0]
    for index, line in enumerate(intro.lines):
        if _NUMBERED.match(line.text) or line.heading_level >= 3:
            rest = intro.lines[index:]
            intro.lines = intro.lines[:index]
            intro.end = rest[0].start
            sections.insert(1, _Section("responsibilities", SECTION_NAMES["responsibilities"], rest[0].start, 0))
            sections[1].lines = rest
            sections[1].end = sections[2].start if len(sections) > 2 else len(text)
            break
    return title, sections


class _SentenceIndex:
    """Sentence spans of a document, to name the sentence around any offset."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.spans: list[tuple[int, int]] = []
        for line in _lines(text):
            end_of_line = line.start + len(line.text)
            start = line.start
            for brk in _SENTENCE_BREAK.finditer(text, line.start, end_of_line):
                self.spans.append((start, brk.start()))
                start = brk.end()
            self.spans.append((start, end_of_line))
        self._starts = [s for s, _ in self.spans]

    def around(self, offset: int) -> tuple[int, str]:
        index = max(bisect.bisect_right(self._starts, offset) - 1, 0)
        start, end = self.spans[index]
        return start, self.text[start:end]


class _Extractor:
    def __init__(self, text: str, vocab: Vocabulary) -> None:
        self.text = text
        self.vocab = vocab
        self.sentences = _SentenceIndex(text)
        self.mentions: list[Mention] = []
        self.skipped: list[str] = []

    # -- mentions --------------------------------------------------------------------------------
    def _mention(self, category: str, term_id: str, start: int, end: int, section: str, essential: bool) -> None:
        sentence_start, sentence = self.sentences.around(start)
        self.mentions.append(
            Mention(category, term_id, self.text[start:end], start, end, section, sentence, sentence_start, essential)
        )

    def scan(self, category: str, start: int, end: int, section: str, essential: bool = False) -> list[str]:
        found = []
        for match in self.vocab.matcher(category).find(self.text[start:end], start):
            assert match.term_id is not None
            self._mention(category, match.term_id, match.start, match.end, section, essential)
            found.append(match.term_id)
        return found

    def heading_terms(
        self, category: str, heading: str, start: int, end: int, section: str, essential: bool
    ) -> list[str]:
        """Terms a heading names as a whole; ``start:end`` is where the heading is written."""
        ids = list(self.vocab.map_heading(category, heading))
        for term_id in ids:
            self._mention(category, term_id, start, end, section, essential)
        return ids

    # -- sections --------------------------------------------------------------------------------
    def responsibilities(self, section: _Section) -> list[Responsibility]:
        items: list[Responsibility] = []
        for line in section.lines:
            numbered = _NUMBERED.match(line.text)
            if numbered or line.heading_level >= 3:
                title = _plain(numbered.group("rest") if numbered else _NUMBERED.sub(r"\g<rest>", line.text))
                item = Responsibility(position=len(items) + 1, title=title)
                # The title is the whole line after its number.
                line_end = line.start + len(line.text)
                item.areas = list(dict.fromkeys(self.scan("area", line.start, line_end, section.name)))
                if not item.areas:
                    self.skipped.append(f"responsibility {title!r}: no responsibility area matches its title")
                items.append(item)
                continue
            content = _plain(line.text)
            if not items or content.rstrip(":").casefold() == "responsibilities":
                continue
            role = re.match(r"^role\s*:\s*(.+)$", content, re.I)
            if role and items[-1].role_statement is None:
                items[-1].role_statement = role.group(1).strip()
            else:
                items[-1].tasks.append(content)
        return items

    def activities(self, section: _Section) -> list[Activity]:
        items: list[Activity] = []
        for line in section.lines:
            numbered = _NUMBERED.match(line.text)
            content = _plain(numbered.group("rest") if numbered else line.text)
            timed = _TIME_OF_DAY.match(content)
            if numbered or line.heading_level >= 3:
                item = Activity(position=len(items) + 1, title=content)
                if timed:
                    item.time_of_day, item.title = (
                        _time_label(timed.group("time")),
                        timed.group("rest").strip() or content,
                    )
                items.append(item)
            elif items and timed and items[-1].time_of_day is None:
                items[-1].time_of_day = _time_label(timed.group("time"))
                if timed.group("rest").strip():
                    items[-1].tasks.append(timed.group("rest").strip())
            elif items:
                items[-1].tasks.append(content)
        return items

    def use_cases(self, section: _Section) -> list[UseCaseEntry]:
        entries: list[UseCaseEntry] = []
        for line in section.lines:
            content = _plain(line.text)
            labelled = _LABELLED.match(content)
            line_end = line.start + len(line.text)
            head = None
            if line.heading_level >= 3:
                head, body = content, ""
                start, end = _span(self.text, head, line.start, line_end)
            elif labelled and len(labelled.group("head").split()) <= 8:
                head, body = labelled.group("head").strip(), labelled.group("body").strip()
                start, end = _span(self.text, head, line.start, line_end)
            if head is not None:
                entry = UseCaseEntry(heading=head, body=body)
                entry.industries = self.scan("industry", start, end, section.name)
                entry.use_cases = self.heading_terms("use-case", head, start, end, section.name, False)
                if not entry.use_cases:
                    entry.use_cases = self.scan("use-case", start, end, section.name)
                if not entry.industries and not entry.use_cases:
                    self.skipped.append(f"use case heading {head!r}: not in the use-case or industry vocabulary")
                entries.append(entry)
                if body:
                    # The body is the rest of the line after the heading.
                    entry.use_cases += self.scan("use-case", end, line_end, section.name)
            elif entries:
                entries[-1].body = f"{entries[-1].body} {content}".strip()
                entries[-1].use_cases += self.scan("use-case", line.start, line.start + len(line.text), section.name)
            else:
                # Introductory sentences of the section still name use cases.
                self.scan("use-case", line.start, line.start + len(line.text), section.name)
        return entries

    def skills(self, section: _Section) -> list[str]:
        headings: list[str] = []
        for line in section.lines:
            content = _plain(line.text)
            labelled = _LABELLED.match(content)
            if labelled and len(labelled.group("head").split()) <= 8:
                head = labelled.group("head").strip()
                start, end = _span(self.text, head, line.start, line.start + len(line.text))
                headings.append(head)
                if not self.heading_terms("skill", head, start, end, section.name, True):
                    found = self.scan("skill", start, end, section.name, essential=True)
                    if not found:
                        self.skipped.append(f"skill heading {head!r}: not in the skill vocabulary")
                body_start = end
            else:
                body_start = line.start
            self.scan("skill", body_start, line.start + len(line.text), section.name, essential=True)
        return headings


def _first_paragraph(text: str, section: _Section) -> str:
    if not section.lines:
        return ""
    start = section.lines[0].start
    end = re.search(r"\n\s*\n|$", text[start : section.end])
    return " ".join(text[start : start + (end.start() if end else 0)].split())


def _span(text: str, needle: str, start: int, end: int) -> tuple[int, int]:
    """Where ``needle`` (text with its Markdown emphasis removed, as :func:`_plain` gives it) is written in
    ``text[start:end]``: emphasis may sit between any of its characters. The whole range when it is not there.

    >>> _span("- **Pro**gramming: Python", "Programming", 0, 25)
    (4, 17)
    """
    found = text.find(needle, start, end)
    if found >= 0:
        return found, found + len(needle)
    if len(needle) > _MAX_HEADING:  # not a heading: no pattern that long is worth compiling
        return start, end
    written = re.compile(f"(?:{_MARKUP.pattern})*".join(re.escape(ch) for ch in needle)).search(text, start, end)
    return (written.start(), written.end()) if written else (start, end)


def _truncation(text: str) -> str | None:
    last = text.rstrip()
    if not last or last[-1] in ".!?)\"'”’:*`|>":
        return None
    # Read the last line as a line of the document, so that a Markdown heading counts as a heading.
    final = list(_lines(last.splitlines()[-1]))[-1]
    return None if _looks_like_heading(final) else last.splitlines()[-1][-60:]


def _check_text(text: str) -> None:
    if not text.strip():
        raise InvalidDocument("the document is empty")
    if "\x00" in text:
        raise InvalidDocument("the document contains NUL bytes: it is not text")
    printable = sum(ch.isprintable() or ch in "\n\r\t" for ch in text)
    if printable < 0.95 * len(text):
        raise InvalidDocument("the document is mostly non-printable characters: it is not text")
    control = _NOT_XML.search(text)
    if control:
        line = text.count("\n", 0, control.start()) + 1
        raise InvalidDocument(
            f"the document contains the control character U+{ord(control.group()):04X} (line {line}): "
            "it is not plain text"
        )


def extract_role_document(text: str, vocab: Vocabulary | None = None) -> RoleDocument:
    """Extract one role document; raises :class:`InvalidDocument` when there is no role to extract."""
    _check_text(text)
    vocab = vocab or load_vocabulary()
    lines = list(_lines(text))
    title_line, sections = _split_sections(text, lines)
    title = _plain(title_line.text)
    match = _TITLE.match(title)
    role_label = (match.group("role") if match else title).strip(" :.-")
    if len(role_label.split()) > 10 or not re.search(r"[A-Za-z]", role_label):
        raise InvalidDocument(f"no role title found: the first line {title[:80]!r} does not name a role")
    role_id = slugify(role_label)
    ex = _Extractor(text, vocab)
    doc = RoleDocument(role_id=role_id, role_label=role_label, title=title, text=text)
    ex.scan("industry", title_line.start, title_line.start + len(title_line.text), "Title")

    section_of_offset: list[tuple[int, str]] = []
    for section in sections:
        section_of_offset.append((section.start, section.name))
        if section.kind == "intro":
            doc.summary = _first_paragraph(text, section)
        elif section.kind == "responsibilities":
            doc.responsibilities = ex.responsibilities(section)
        elif section.kind == "activities":
            doc.activities = ex.activities(section)
        elif section.kind == "use-cases":
            doc.use_case_entries = ex.use_cases(section)
        elif section.kind == "skills":
            doc.skill_headings = ex.skills(section)
        elif section.kind == "conclusion":
            ex.scan("industry", section.start, section.end, section.name)
        else:
            ex.skipped.append(f"section {section.name!r}: unknown heading, its text was not extracted")

    # Tools are found in the whole text; skills outside the skills section are optional skills.
    starts = [s for s, _ in section_of_offset]

    def section_at(offset: int) -> str:
        return section_of_offset[max(bisect.bisect_right(starts, offset) - 1, 0)][1]

    for found in vocab.matcher("tool").find(text):
        assert found.term_id is not None
        ex._mention("tool", found.term_id, found.start, found.end, section_at(found.start), False)
    for section in sections:
        if section.kind not in ("skills", "unknown"):
            ex.scan("skill", section.start, section.end, section.name)

    cut = _truncation(text)
    if cut is not None:
        doc.truncated = True
        ex.skipped.append(f"the document ends mid-sentence ({cut!r}): extracted up to the cut")
    if not any(s.kind == "skills" for s in sections):
        ex.skipped.append("no skills section found")
    doc.mentions = sorted(ex.mentions, key=lambda m: (m.start, m.end, m.category, m.term_id))
    doc.skipped = ex.skipped
    return doc
