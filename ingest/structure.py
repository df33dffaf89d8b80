"""Find a document's title and its sections (ABSTRAK, ABSTRACT, Pendahuluan, 1. ..., 4.1 ...).

Works on cleaned text (``ingest.clean``), where every heading is a line of its own. Sections
are named by their heading as written ("ABSTRAK", "1. Pendahuluan", "Kata Kunci"): that is what
a reader finds in the document. Text before the first heading is the section "Title" when it is
short front matter (title, authors), else "".

Known section names are recognised with or without numbering. Other numbered lines count as
headings only when they read like one (short, capitalised, no final punctuation) and their number
continues the document's heading sequence, so that numbered list items ("2. Meningkatkan
kerangka hukum ...") and sentences stay inside their section.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePath

from core.text.words import word_set

_KNOWN = [
    "abstrak", "abstract", "abstraksi", "ringkasan", "summary", "executive summary",
    "pendahuluan", "introduction", "latar belakang", "background",
    "tinjauan pustaka", "kajian pustaka", "literature review", "kerangka teori",
    "kerangka konseptual", "landasan teori", "theoretical framework",
    "metode", "metodologi", "metode penelitian", "metodologi penelitian", "method", "methods",
    "methodology", "research method", "research methods", "materials and methods",
    "hasil", "pembahasan", "hasil dan pembahasan", "hasil penelitian", "analisis",
    "results", "discussion", "results and discussion", "findings", "analysis",
    "kesimpulan", "simpulan", "kesimpulan dan saran", "simpulan dan saran", "penutup",
    "saran", "rekomendasi", "conclusion", "conclusions", "conclusion and recommendations",
    "recommendations", "daftar pustaka", "pustaka", "referensi", "references", "bibliography",
    "ucapan terima kasih", "acknowledgement", "acknowledgements", "acknowledgment",
    "acknowledgments", "lampiran", "appendix",
]  # fmt: skip
_KNOWN_SET = frozenset(_KNOWN)
_NUMBER = r"(?:\d{1,2}(?:\.\d{1,2}){0,3}\.?|[IVX]{1,5}\.|[A-H]\.)"
_NUMBERED = re.compile(rf"^(?P<num>{_NUMBER})\s+(?P<rest>\S.*)$")
_KEYWORDS = re.compile(r"^(?P<name>kata[ \t]+kunci|keywords?|key[ \t]+words)\s*[:：.\-–—]", re.I)
_LINE = re.compile(r"[^\n\f]+")
_LIST_MARK = re.compile(r"^(?:[a-zA-Z]|\d{1,2}(?:\.\d{1,2})*|[ivxIVX]{1,4})[.)]?$|^\(\w{1,3}\)$")


_SMALL_WORDS = word_set(
    "dan di ke dari yang untuk dalam pada sebagai terhadap tentang serta atau antara oleh "
    "melalui bagi dengan of the and in for on to a an with by at from as its their"
)
_FRONT_MATTER_CHARS = 600
_TITLE_SCAN_LINES = 6


@dataclass(frozen=True)
class Section:
    """A named, contiguous character range ``[start, end)`` of the cleaned text."""

    name: str
    start: int
    end: int


# The section name of a paper's front matter (title, authors) before its first heading.
FRONT_MATTER = "Title"


def _tidy(line: str) -> str:
    return " ".join(line.strip().lstrip("#").split()).rstrip(":").strip()


def known_heading(line: str) -> str | None:
    """The section name if ``line`` is a known heading (numbered or not) or a keyword line."""
    text = _tidy(line)
    if not text or len(text) > 80:
        keywords = _KEYWORDS.match(line.strip())
        return " ".join(keywords.group("name").split()) if keywords else None
    keywords = _KEYWORDS.match(text)
    if keywords:
        return " ".join(keywords.group("name").split())
    numbered = _NUMBERED.match(text)
    bare = numbered.group("rest") if numbered else text
    if bare.rstrip(".").lower() in _KNOWN_SET:
        return text.rstrip(".")
    return None


def is_title_like(text: str, max_words: int = 14, min_capitalised: float = 0.7) -> bool:
    """Short, capitalised, no final punctuation or inner comma: reads like a heading or title.

    ``min_capitalised`` is the share of words other than small function words that must start
    with a capital (or digit)."""
    text = text.strip()
    words = text.split()
    if words and _LIST_MARK.match(words[0]):
        words = words[1:]
    if not words or len(words) > max_words or len(text) > max(120, 9 * max_words):
        return False
    if text[-1] in ".,;:!?" or ", " in text or not any(ch.isalpha() for ch in text):
        return False
    content = [
        w
        for w in words
        if w.lower().strip("()") not in _SMALL_WORDS and any(c.isalnum() for c in w)
    ]
    if not content:
        return False
    capitalised = sum(1 for w in content if w.lstrip("(\"'")[:1].isupper() or w[:1].isdigit())
    return capitalised / len(content) >= min_capitalised


def numbered_heading(line: str) -> tuple[str, str] | None:
    """(number, text) if ``line`` has a heading number and reads like a heading."""
    match = _NUMBERED.match(_tidy(line))
    if not match or not is_title_like(match.group("rest"), max_words=12):
        return None
    return match.group("num").rstrip("."), match.group("rest")


def split_sections(text: str) -> list[Section]:
    """Contiguous sections covering ``text`` from 0 to ``len(text)``."""
    starts: list[tuple[int, str]] = []
    sequence = _HeadingSequence()
    for match in _LINE.finditer(text):
        line = match.group()
        if not line.strip():
            continue
        name = _heading_at(line, sequence)
        if name is not None:
            starts.append((match.start() + len(line) - len(line.lstrip()), name))
    sections: list[Section] = []
    first_start = starts[0][0] if starts else len(text)
    if first_start > 0 or not starts:
        sections.append(Section(_front_name(text[:first_start]), 0, first_start))
    for i, (start, name) in enumerate(starts):
        end = starts[i + 1][0] if i + 1 < len(starts) else len(text)
        sections.append(Section(name, start, end))
    return sections


class _HeadingSequence:
    """Tracks heading numbers so that only the next number in sequence opens a section."""

    def __init__(self) -> None:
        self.top = 0

    def accepts(self, number: str) -> bool:
        parts = number.split(".")
        if not all(p.isdigit() for p in parts):
            return False
        top = int(parts[0])
        if len(parts) == 1:
            return top == self.top + 1
        return top == self.top or (top == self.top + 1 and all(p == "1" for p in parts[1:]))

    def seen(self, number: str) -> None:
        head = number.split(".")[0]
        if head.isdigit():
            self.top = int(head)


def _heading_at(line: str, sequence: _HeadingSequence) -> str | None:
    name = known_heading(line)
    numbered = _NUMBERED.match(_tidy(line))
    if name is not None:
        if numbered:
            sequence.seen(numbered.group("num").rstrip("."))
        return name
    candidate = numbered_heading(line)
    if candidate and sequence.accepts(candidate[0]):
        sequence.seen(candidate[0])
        return _tidy(line)
    return None


def _front_name(front: str) -> str:
    stripped = front.strip()
    return FRONT_MATTER if stripped and len(stripped) <= _FRONT_MATTER_CHARS else ""


def detect_title(text: str, title_hint: str | None = None, source: str | None = None) -> str:
    """The document's title: from the text's first line, else ``title_hint``, else the file name.

    A first line counts as the title only if it comes before every heading and reads like one;
    papers whose text starts at "Abstract" carry no title in the text.
    """
    candidate = _title_in_text(text)
    if candidate:
        return candidate
    if title_hint and _useful_hint(title_hint):
        return " ".join(title_hint.split())
    if source:
        return title_from_filename(source)
    return "Untitled"


def _title_in_text(text: str) -> str | None:
    sections = split_sections(text)
    front = text[: sections[0].end] if sections and sections[0].start == 0 else ""
    if sections and sections[0].name not in (FRONT_MATTER, ""):
        return None
    for line in front.splitlines()[:_TITLE_SCAN_LINES]:
        line = _tidy(line)
        if not line:
            continue
        words = line.split()
        if 2 <= len(words) <= 40 and len(line) <= 300 and not line.endswith((".", ",", ";")):
            return line
        return None
    return None


_JUNK_HINT = re.compile(
    r"^(?:microsoft\s+word\s*-|untitled|document\d*$|dokumen\d*$|\S+\.(?:docx?|pdf|tex|rtf)$)",
    re.I,
)


def _useful_hint(hint: str) -> bool:
    hint = hint.strip()
    return len(hint) >= 3 and any(ch.isalpha() for ch in hint) and not _JUNK_HINT.match(hint)


def title_from_filename(source: str) -> str:
    """'unicef-child-trafficking-vietnam-2017-2020.pdf' -> 'Unicef Child Trafficking Vietnam
    2017-2020'."""
    stem = PurePath(source).stem
    stem = re.sub(r"(?<=\d)[-_](?=\d)", "\x00", stem)  # keep year ranges
    words = [w for w in re.split(r"[-_\s]+", stem) if w]
    titled = " ".join(w[:1].upper() + w[1:] for w in words).replace("\x00", "-")
    return titled or source
