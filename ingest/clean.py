"""Repair the damage text extraction does to papers, before structure and chunking.

What it repairs, and how it decides:
- Characters: curly quotes to straight ones, odd spaces to spaces, ligatures split, soft
  hyphens and zero-width characters dropped, markdown emphasis and heading marks removed.
- Running headers and footers: bare page numbers, journal lines ("Sang Pencerah: Jurnal Ilmiah
  ... 8(4): 924-938"), and lines repeated at the top or bottom of most pages.
- Lines broken inside sentences are joined; blank lines between every line (some extractions
  double-space whole pages) are collapsed. Consecutive "Label: value" lines (fact sheets,
  forms) are records and stay apart. A break is kept before and after headings and list
  items, after a short capitalised line (a subheading), after a sentence end followed by a blank
  line, and after a short last line of a paragraph.
- Hyphenated line ends: Indonesian reduplication keeps its hyphen ("negara-" + "negara" ->
  "negara-negara", "asal-" + "usul" -> "asal-usul"), as do numbers, capitalised parts and
  hyphenated forms seen elsewhere in the document; other splits are joined ("inter-" +
  "national" -> "international").

Output: paragraphs separated by a blank line; each page break kept as one "\\f" that takes the
place of a separator, so the page of any offset is 1 + the number of "\\f" before it. A page
break inside a paragraph replaces the joining space ("...yang\\fmenyebabkan"); between paragraphs
it replaces the first newline ("...Vietnam.\\n\\fDalam"). Dropped first letters of paragraphs
("very year") are left alone: the letter cannot be known.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from core.text.sentences import ends_with_abbreviation
from core.text.words import word_set
from ingest.structure import is_title_like, known_heading, numbered_heading

_CHAR_MAP = str.maketrans(
    {
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
        "\u00ab": '"', "\u00bb": '"',
        "\u00a0": " ", "\u2002": " ", "\u2003": " ", "\u2007": " ", "\u2009": " ",
        "\u200a": " ", "\u202f": " ", "\u3000": " ", "\t": " ", "\v": " ",
        "\u200b": "", "\u200c": "", "\u200d": "", "\u2060": "", "\ufeff": "",
        "\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl",
        "\r": "\n", "\u2028": "\n", "\u2029": "\n\n",
    }
)  # fmt: skip
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_SPACES = re.compile(r" {2,}")

_MD_HEADING = re.compile(r"^#{1,6}\s+")
_MD_RULE = re.compile(r"^(?:[-*_]\s*){3,}$")
_MD_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_MD_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_MD_STRONG = re.compile(r"\*{2,3}|(?<!\w)_{2}(?=\S)|(?<=\S)_{2}(?!\w)")
_MD_EM_OPEN = re.compile(r"(?<![\w*])\*(?=[^\s*])")
_MD_EM_CLOSE = re.compile(r"(?<=[^\s*])\*(?![\w*])")
_MD_QUOTE = re.compile(r"^>\s?")

_PAGE_NUMBER = re.compile(
    r"^(?:[-–—]\s*)?(?:\d{1,4}|[ivxlc]{1,6})(?:\s*[-–—])?$"
    r"|^(?:page|halaman|hal\.?)\s*\d{1,4}(?:\s*(?:of|dari|/)\s*\d{1,4})?$"
    r"|^\d{1,4}\s*(?:/|of|dari)\s*\d{1,4}$",
    re.I,
)
_JOURNAL_WORD = re.compile(r"\b(?:jurnal|journal|proceedings?|prosiding)\b", re.I)
_JOURNAL_MARK = re.compile(
    r"\d+\s*\(\s*\d+\s*\)\s*:?\s*\d+\s*[-–]\s*\d+|\bvol(?:ume)?\.?\s*\d+|\bno\.\s*\d+|\bissn\b",
    re.I,
)
_ISSN_LINE = re.compile(r"^(?:[pe]-?)?issn\b", re.I)
_CITED_YEAR = re.compile(r"\((?:19|20)\d\d[a-z]?\)")

_LIST_ITEM = re.compile(
    r"^(?:[a-z]|[A-H]|\d{1,2}|[ivx]{1,4})[.)]\s+\S|^\((?:[a-z]|\d{1,2}|[ivx]{1,4})\)\s+\S|^[-•▪●◦]\s"
)
_FIELD = re.compile(r"^[A-Z][^:.!?]{0,78}[^\s:]:\s+\S")
_TERMINAL = re.compile(r"[.!?][\"')\]]*$|\[\]\.?$")


_OPEN_WORDS = word_set(
    "dan atau yang di ke dari untuk dengan dalam pada oleh sebagai serta bahwa antara terhadap "
    "tentang bagi kepada secara akan adalah ialah yaitu yakni seperti karena sehingga namun "
    "tetapi jika maupun melalui para the of and or to in for with on by a an from as at that "
    "its their which who is are was were be"
)
_KEEP_HYPHEN_PREFIXES = word_set(
    "non pra pasca anti multi sub semi co self well cross ex post pre pro"
)
_WORD_CHARS = re.compile(r"[^\W\d_]+$")
_FIRST_WORD = re.compile(r"^[^\W\d_]+")
_EDGE_LINES = 3
_CONTEXT = 6  # gaps either side that decide whether a region is double-spaced


def clean_text(text: str, markdown: bool = False) -> str:
    """Cleaned text: see the module docstring for what is repaired and how. ``markdown``
    (text and Markdown files) also takes out Markdown's marks; text extracted from PDF, Word
    or HTML keeps its asterisks and hashes."""
    text = _normalise_characters(text)
    pages = [_page_lines(page, markdown) for page in text.split("\f")]
    running = _running_lines([[line.text for line in lines] for lines in pages])
    vocabulary = _Vocabulary(text)
    paragraphs = [_paragraphs(lines, running, vocabulary) for lines in pages]
    return _join_pages(paragraphs, vocabulary)


def _normalise_characters(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\u00ad\n", "").replace("\u00ad", "")
    return _CONTROL.sub("", text.translate(_CHAR_MAP))


@dataclass(frozen=True)
class _RawLine:
    text: str  # stripped; "" for a blank line
    markdown_heading: bool = False  # "# ..." in a Markdown file


@dataclass
class _Line:
    text: str
    heading: bool = False  # a markdown heading, or known or numbered heading
    blank_before: bool = False


def _page_lines(page: str, markdown: bool) -> list[_RawLine]:
    """The page's lines, stripped (and, for Markdown, without its marks)."""
    lines: list[_RawLine] = []
    for raw in page.split("\n"):
        line = _SPACES.sub(" ", raw.strip())
        heading = False
        if markdown:
            line, heading = _without_markdown(line)
        lines.append(_RawLine(_SPACES.sub(" ", line).strip(), heading))
    return lines


def _without_markdown(line: str) -> tuple[str, bool]:
    """A Markdown line's text, and whether it was a "# heading"."""
    if _MD_RULE.match(line):
        return "", False
    line = _MD_QUOTE.sub("", line)
    heading = bool(_MD_HEADING.match(line))
    line = _MD_HEADING.sub("", line)
    line = _MD_IMAGE.sub(r"\1", line)
    line = _MD_LINK.sub(r"\1", line)
    line = _MD_STRONG.sub("", line)
    return _MD_EM_CLOSE.sub("", _MD_EM_OPEN.sub("", line)), heading


def _key(line: str) -> str:
    return re.sub(r"\d+", "#", line.lower()).strip()


def _running_lines(pages: Sequence[Sequence[str]]) -> frozenset[str]:
    """Keys of lines repeated at the top or bottom of most pages (headers and footers)."""
    if len(pages) < 2:
        return frozenset()
    counts: Counter[str] = Counter()
    for lines in pages:
        content = [line for line in lines if line]
        edges = content[:_EDGE_LINES] + content[-_EDGE_LINES:]
        counts.update({_key(line) for line in edges if len(line) >= 3})
    needed = max(2, (len(pages) + 1) // 2)
    return frozenset(
        key
        for key, count in counts.items()
        if count >= needed and known_heading(key) is None and key != "#"
    )


def _is_noise(line: str, running: frozenset[str]) -> bool:
    if _PAGE_NUMBER.match(line) or _key(line) in running or _ISSN_LINE.match(line):
        return True
    return (
        len(line) <= 160
        and bool(_JOURNAL_WORD.search(line))
        and bool(_JOURNAL_MARK.search(line))
        and not _CITED_YEAR.search(line)
    )


class _Vocabulary:
    """Words and hyphenated words of the whole document, for hyphenated line ends."""

    def __init__(self, text: str) -> None:
        lowered = text.lower()
        self.hyphenated = set(re.findall(r"[^\W\d_]+-[^\W\d_]+", lowered))
        self.words = set(re.findall(r"[^\W\d_]+", lowered))


def _paragraphs(
    lines: list[_RawLine], running: frozenset[str], vocabulary: _Vocabulary
) -> list[str]:
    content = _content_lines(lines, running)
    if not content:
        return []
    spaced = _double_spaced(content)
    typical = _typical_length(content)
    paragraphs: list[str] = [content[0].text]
    for i in range(1, len(content)):
        previous, line = content[i - 1], content[i]
        glue = None
        records = _is_field(previous.text) and _is_field(line.text)
        if not (previous.heading or line.heading or records):
            glue = _glue(previous.text, line.text, line.blank_before, spaced[i], typical)
        if glue is None:
            paragraphs.append(line.text)
        else:
            paragraphs[-1] = _apply_glue(paragraphs[-1], line.text, glue, vocabulary, " ")
    return paragraphs


def _is_field(line: str) -> bool:
    """A "Label: value" line of a fact sheet or form ("Refugees - stateless persons: 1,129").
    Consecutive ones are records, each its own paragraph, never one run-on sentence."""
    return _FIELD.match(line) is not None


def _content_lines(lines: list[_RawLine], running: frozenset[str]) -> list[_Line]:
    content: list[_Line] = []
    blank = False
    for raw in lines:
        line, markdown_heading = raw.text, raw.markdown_heading
        if not line:
            blank = True
            continue
        continues = bool(content) and not blank and content[-1].text.endswith("-")
        if not markdown_heading and not continues and _is_noise(line, running):
            continue  # dropped lines leave no gap: a footer inside a sentence must not split it
        heading = markdown_heading or _is_heading(line)
        content.append(_Line(line, heading, blank and bool(content)))
        blank = False
    return content


def _is_heading(line: str) -> bool:
    # Top-level numbers ("4. Anggaran dan ...") are as often list items as headings: those lines
    # go through the ordinary rules; "4.1 ..." and known names are always headings.
    if known_heading(line) is not None:
        return True
    numbered = numbered_heading(line)
    return numbered is not None and "." in numbered[0]


def _double_spaced(content: list[_Line]) -> list[bool]:
    gaps = [line.blank_before for line in content]
    flags: list[bool] = []
    for i in range(len(gaps)):
        window = gaps[max(1, i - _CONTEXT) : i + _CONTEXT + 1]
        flags.append(bool(window) and sum(window) / len(window) > 0.6)
    return flags


def _typical_length(content: list[_Line]) -> float:
    lengths = [len(line.text) for line in content if len(line.text) >= 25]
    if not lengths:
        return 60.0
    return min(120.0, max(40.0, statistics.median(lengths)))


def _glue(last_line: str, line: str, blank: bool, spaced: bool, typical: float) -> str | None:
    """How ``line`` continues a paragraph whose last line is ``last_line``: " ", "-" or None
    (a paragraph break)."""
    if _LIST_ITEM.match(line):
        return None
    if re.search(r"\w-$", last_line):
        return "-"
    first = line[:1]
    if _ends_open(last_line):
        return " "
    if first.islower():
        return " "
    long_line = len(last_line) >= 0.55 * typical
    if _TERMINAL.search(last_line):
        return " " if (long_line and not blank) else None
    if _all_caps(last_line) and not any(ch.islower() for ch in line):
        return " "  # a title set in capitals over several lines
    if first == "(":
        return " "  # "Nota Kesepahaman" + "(MoU) dengan Polri."
    # Long lines full of names ("... mengesahkan Undang-Undang Belanda (UU)") are common in
    # running text: a full-width line must be capitalised throughout to count as a subheading.
    if is_title_like(last_line, max_words=24, min_capitalised=1.0 if long_line else 0.7):
        # A subheading, unless a full-width line goes on in title case ("... dalam Bidang" +
        # "Kesejahteraan Sosial, ..."), where a new sentence would start with any word.
        continues = long_line and _title_case_start(line) and not is_title_like(line)
        return " " if continues else None
    if blank and not spaced:
        return None
    return " " if (long_line or not blank) else None


def _title_case_start(line: str) -> bool:
    words = line.split()[:2]
    return (
        len(words) == 2
        and all(w[:1].isupper() for w in words)
        and words[0].lower() not in _OPEN_WORDS
    )


def _ends_open(text: str) -> bool:
    if text.endswith((",", "(", "&", "/", ":", "–", "—")) or ends_with_abbreviation(text):
        return True
    last = text.rsplit(" ", 1)[-1].lower()
    return last in _OPEN_WORDS


def _all_caps(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    return len(letters) >= 2 and not any(ch.islower() for ch in letters)


def _apply_glue(left: str, right: str, glue: str, vocabulary: _Vocabulary, space: str) -> str:
    if glue == " ":
        return left + space + right
    return _join_hyphenated(left, right, vocabulary, space)


def _join_hyphenated(left: str, right: str, vocabulary: _Vocabulary, page_mark: str) -> str:
    """Join a line ending in "word-" to the next; ``page_mark`` goes after the joined word."""
    head_match = _WORD_CHARS.search(left[:-1])
    head = head_match.group() if head_match else ""
    tail_match = _FIRST_WORD.match(right)
    tail = tail_match.group() if tail_match else ""
    joined = left + right if _keeps_hyphen(head, tail, right, vocabulary) else left[:-1] + right
    if page_mark == " ":
        return joined
    cut = len(joined) - len(right) + len(tail)
    space = joined.find(" ", cut)
    newline = joined.find("\n", cut)
    if space != -1 and (newline == -1 or space < newline):
        return joined[:space] + page_mark + joined[space + 1 :]
    return joined[:cut] + page_mark + joined[cut:]


def _keeps_hyphen(head: str, tail: str, right: str, vocabulary: _Vocabulary) -> bool:
    if not head or not tail or right[:1].isdigit() or tail[:1].isupper():
        return True
    a, b = head.lower(), tail.lower()
    reduplication = (
        a == b
        or b.startswith(a)
        or a.startswith(b)
        or (len(a) == len(b) and a[-1] == b[-1])
        or a[:2] == b[:2]
    )
    return reduplication or a in _KEEP_HYPHEN_PREFIXES or f"{a}-{b}" in vocabulary.hyphenated


def _join_pages(pages: list[list[str]], vocabulary: _Vocabulary) -> str:
    out = "\n\n".join(pages[0]) if pages else ""
    pending = 0
    for paragraphs in pages[1:]:
        pending += 1
        if not paragraphs:
            continue
        body = "\n\n".join(paragraphs)
        marks = "\f" * pending
        pending = 0
        if not out.strip():
            out += marks + body
            continue
        glue = None
        if not _is_heading(paragraphs[0].split("\n", 1)[0]) and not _is_heading(_last_line(out)):
            glue = _glue(_last_line(out)[-120:], body, True, True, 60.0)
        if glue is None:
            out += "\n" + marks + body
        else:
            out = _apply_glue(out, body, glue, vocabulary, marks)
    return out + "\f" * pending


def _last_line(text: str) -> str:
    return re.split(r"[\n\f]", text)[-1]
