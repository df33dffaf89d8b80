"""What a question asks for: its key terms, the names and years it is about, the kind of answer.

Read once per question, before retrieval's results are judged:
- ``wants``: the kinds of fact a right answer holds: ``date`` ("when", "kapan", "what year",
  "tahun berapa"), ``number`` ("how many", "berapa", "what percentage"), ``name`` ("who",
  "which agencies", "siapa", "lembaga apa"), ``place`` ("where", "di mana"); often none.
- ``names``: countries, regions, institutions and acronyms asked about; ``years``: years asked
  about. Evidence must hold all of them (in either language: the lexicon's concepts).
- ``units``: what the number asked for measures ("berapa persen", "in rupiah"); a figure in
  another unit does not answer it. ``money``: the number asked for is an amount of money
  ("how much is the premium", "berapa gaji"), which a figure in no currency does not answer.
- A source attribution ("According to the World Factbook, ...", "Menurut laporan KPAI, ...")
  names where the user expects the answer, not what the answer is about: its words stay in the
  retrieval query but are not key terms.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Literal

from core.language import detect_language
from core.text.claims import measures_of
from core.text.terms import Terms, content_terms

AnswerKind = Literal["date", "number", "name", "place", "reason"]

# Checked in this order: "tahun berapa" is a date before "berapa" is a number.
_KINDS: tuple[tuple[AnswerKind, re.Pattern[str]], ...] = (
    (
        "date",
        re.compile(
            r"\b(?:when|what years?|which years?|in what year|since when|what date|"
            r"kapan|tahun berapa|sejak kapan|tanggal berapa|bulan apa)\b",
            re.IGNORECASE,
        ),
    ),
    (
        "number",
        re.compile(
            r"\b(?:how many|how much|how old|(?:at )?what age|what percentage|what share|"
            r"what proportion|what number|"
            r"what (?:is|was|were) the (?:number|rate|total|population|percentage|amount)|"
            r"berapa|persentase)\b",
            re.IGNORECASE,
        ),
    ),
    (
        "name",
        re.compile(
            r"\b(?:who|whom|whose|which \w+|what (?:organi[sz]ations?|agenc(?:y|ies)|"
            r"compan(?:y|ies)|institutions?|countries|country|ministr(?:y|ies)|groups?)|"
            r"siapa|siapakah|lembaga apa|organisasi apa|negara apa|perusahaan apa|"
            r"kementerian apa|pihak mana|pihak apa|negara mana)\b",
            re.IGNORECASE,
        ),
    ),
    (
        "place",
        re.compile(r"\b(?:where|di mana|dimana|ke mana|kemana|di daerah mana)\b", re.IGNORECASE),
    ),
    (
        "reason",
        re.compile(
            r"\b(?:why|what caused|what was the cause|what is the cause|for what reason|"
            r"mengapa|kenapa|apa sebab|apa alasan|apa penyebab|faktor apa)\b",
            re.IGNORECASE,
        ),
    ),
)
# Words that state a reason, for "why" questions.
REASON_WORDS = re.compile(
    r"\b(?:because|since|due to|as a result|caused by|owing to|so that|thus|therefore|"
    r"karena|sebab|disebabkan|dikarenakan|akibat|penyebab|sehingga|oleh karena)\b",
    re.IGNORECASE,
)
# What the question asks about, next to its question word: "what method", "which programme",
# "metode apa", "apa saja bidang"; fillers ("kind of", "saja") are skipped.
_FOCUS_AFTER = re.compile(
    r"\b(?:what|which|apa|siapa|how many|how much|berapa(?: banyak| jumlah)?)\s+"
    r"(?:(?:kind|type|sort|form)s?\s+of\s+|saja\s+|"
    r"(?:one|two|three|four|five|six|several|many)\s+|yang\s+)?([^\W\d_]+(?:\s+[^\W\d_]+)?)",
    re.IGNORECASE,
)
# Words that name the kind of answer rather than what it is about ("what DATE", "berapa TAHUN").
_KIND_WORDS = content_terms(
    "date day year years tahun tanggal time waktu kali number jumlah age umur usia"
).all
_FOCUS_BEFORE = re.compile(
    r"([^\W\d_]+(?:\s+[^\W\d_]+)?)\s+(?:apa|mana|apakah|siapa)(?:\s+saja)?\b", re.IGNORECASE
)
_ATTRIBUTION = re.compile(
    r"\b(?:according to|as reported by|based on|menurut|berdasarkan|"
    r"dalam laporan)\s+[^,;?]*(?:[,;]|(?=\?)|$)",
    re.IGNORECASE,
)
# "... in the US trafficking report": a named source the question cites, not what it asks about
# (the text rarely repeats who published the figure it holds).
_NAMED_SOURCE = re.compile(
    r"\b(?:in|by|from)\s+(?:the\s+|a\s+)?(?:[A-Z][\w.'-]*\s+){1,3}(?:[a-z][\w-]*\s+){0,2}"
    r"(?:report|survey|index|ranking|census|assessment)s?\b"
)
# The unit a number question wants its answer in: "berapa persen", "what share", "in rupiah",
# "how many hectares"; a unit elsewhere in it ("how many people earn under 2 dollars") is not.
_UNIT_ASKED = re.compile(
    r"\b(?:how many|how much|what|berapa|in|dalam|persentase|percentage)"
    r"(?:\s+(?:per\s+)?[^\W\d_]+)?",
    re.IGNORECASE,
)
# A number question about an amount of money: "how much is the monthly premium", "berapa total
# gaji", "how much did the government inject"
_MONEY_ASKED = re.compile(
    r"\b(?:wages?|salar(?:y|ies)|pay|gaji|upah|premiums?|iuran|costs?|biaya|budgets?|anggaran|"
    r"dana|funds?|funding|fees?|prices?|harga|deficits?|defisit|inject\w*|suntik\w*|tarif|"
    r"fines?|denda)\b",
    re.IGNORECASE,
)
# A year the question is about; a decade ("the 1990s", "tahun 1990-an") is not one of its years.
_YEAR = re.compile(r"\b(?:19|20)\d\d\b(?!'?s\b|-an\b)")
# Where a question joins a second one: "..., and when was it drafted?", "... dan siapa ...".
_AND = r"(?:and|dan|serta)"
_JOINER = re.compile(rf"(?:,\s*|\s+){_AND}\s+|;\s+", re.IGNORECASE)
_QUESTION_WORD = re.compile(
    r"\b(?:what|which|who|whom|whose|when|where|why|how|"
    r"apa|apakah|siapa|berapa|kapan|mengapa|kenapa|bagaimana|mana|dimana)\b",
    re.IGNORECASE,
)
# "... through BOS Kinerja and through BOS Afirmasi?", "laki-laki dan perempuan": it asks
# about two things (or more), which two sentences may say
_JOINS = re.compile(rf"\b{_AND}\b", re.IGNORECASE)
# "..., and did the examination find signs of violence?": a yes/no question joined by a comma
_YES_NO_HEAD = re.compile(
    r"(?:did|does|do|is|are|was|were|has|have|had|can|could|will|would)\b", re.IGNORECASE
)
QUESTION_WORD_REACH = 3  # "dan undang-undang tahun BERAPA ...": within the first three words
MIN_PART_WORDS = 4  # a first part shorter than this is a question word alone ("Where and ...")
# Questions that count repetitions, answered by an ordinal as often as by a count ("for the
# second consecutive year", "untuk ketiga kalinya").
_REPEATS = re.compile(
    r"\b(?:how many (?:times|consecutive)|in a row|consecutive(?:ly)?|berapa kali|"
    r"berturut-turut|berturut)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Question:
    text: str  # as asked (whitespace collapsed)
    content: str  # without a source attribution
    language: str
    terms: Terms
    wants: tuple[AnswerKind, ...]  # "Where and in which year ...?" wants a place and a date
    focus: frozenset[str]  # the terms the question word asks about, weighted up
    names: frozenset[str]
    years: frozenset[str]
    counts_repeats: bool = False  # "how many years in a row", "berapa kali"
    units: frozenset[str] = frozenset()  # what the number asked for measures ("percent")
    money: bool = False  # the number asked for is an amount of money ("berapa gaji")
    # the terms of the source it cites ("According to KPAI", "in the US trafficking report")
    source_terms: frozenset[str] = frozenset()
    parts: tuple[str, ...] = ()  # the questions it joins, when it asks two or more at once
    joins: bool = False  # whether it joins two things it asks about (or two questions)


def analyse(text: str) -> Question:
    """What ``text`` asks for (see the module docstring)."""
    asked = " ".join(text.split())
    content = _without_source_names(_ATTRIBUTION.sub(" ", asked).strip() or asked)
    terms = content_terms(content)
    parts = question_parts(content)
    return Question(
        text=asked,
        content=content,
        language=detect_language(content),
        terms=terms,
        wants=answer_kinds(content),
        focus=(focus_terms(content) & terms.all) - terms.names - _KIND_WORDS,
        names=terms.names,
        years=frozenset(_YEAR.findall(content)),
        counts_repeats=_REPEATS.search(content) is not None,
        # "How much waste, and what percentage is recycled?": each part has its own unit
        units=frozenset() if parts else asked_units(content),
        money=not parts and asks_money(content),
        source_terms=content_terms(asked).all - terms.all,
        parts=parts,
        joins=bool(parts) or _JOINS.search(content) is not None,
    )


def _without_source_names(text: str) -> str:
    """``text`` without the country or institution that publishes a source it cites ("Burkina
    Faso's rating in the US trafficking report"), when the question names what it is about
    elsewhere; "in Cambodia's own report" alone keeps Cambodia."""
    kept_text = text
    for match in _NAMED_SOURCE.finditer(text):
        outside = content_terms(f"{text[: match.start()]} {text[match.end() :]}").names
        if not outside:
            continue
        words = match.group(0).split()
        kept = [w for w in words if not (w[:1].isupper() and content_terms(w).names)]
        kept_text = kept_text.replace(match.group(0), " ".join(kept))
    return kept_text


def question_parts(text: str) -> tuple[str, ...]:
    """The questions ``text`` joins ("How many ..., and as of when?" -> two), or () for one.
    A part starts at "and" / "dan" / ";" followed closely by a question word (or at ", and"
    followed by a yes/no question's "did", "is", "has" ...), after a part
    with a question word of its own ("Which groups and parts of Honduras ..." stays one); a
    later part may be short, for it leans on the first ("..., and as of when?")."""
    parts: list[str] = []
    start = 0
    for match in _JOINER.finditer(text):
        before = text[start : match.start()]
        head = " ".join(text[match.end() :].split()[:QUESTION_WORD_REACH])
        # "Where and in which year ...": a part too short to ask anything on its own
        if len(before.split()) < MIN_PART_WORDS and not parts:
            continue
        yes_no = match.group(0).startswith(",") and _YES_NO_HEAD.match(head) is not None
        if (yes_no or _QUESTION_WORD.search(head)) and _QUESTION_WORD.search(before):
            parts.append(before.strip(" ,;"))
            start = match.end()
    if not parts:
        return ()
    parts.append(text[start:].strip(" ,;"))
    return tuple(p for p in parts if p)


def part_question(whole: Question, part: str) -> Question:
    """One part of a joined question, to find the evidence for it: its own kind of answer and
    key terms, with the names of the whole when it names none itself ("..., and when was that
    plan drafted?" is still about Burma's plan; "how many IDPs in Burkina Faso, and how many
    refugees from Mali?" asks its first part about Burkina Faso alone); a part with no key
    terms of its own takes the whole's."""
    own = analyse(part)
    terms = own.terms if own.terms.all - whole.names else whole.terms
    asked = own.names or whole.names
    names = Terms(asked, strong=asked, names=asked)
    return replace(
        own,
        terms=terms | names,
        names=asked,
        years=whole.years,
        parts=(),
    )


def focus_terms(text: str) -> frozenset[str]:
    """The content terms next to the question word ("what method" -> the term of "method")."""
    found: set[str] = set()
    for pattern in (_FOCUS_AFTER, _FOCUS_BEFORE):
        for match in pattern.finditer(text):
            found |= content_terms(match.group(1)).all
    return frozenset(found)


def asked_units(text: str) -> frozenset[str]:
    """The units a number question wants its answer in ("Berapa persen ..." -> percent), by
    the lexicon's concept; none for other questions."""
    if "number" not in answer_kinds(text):
        return frozenset()
    return frozenset(u for m in _UNIT_ASKED.finditer(text) for u in measures_of(m.group(0)))


def asks_money(text: str) -> bool:
    """Whether a number question asks for an amount of money ("How much is the premium?")."""
    return "number" in answer_kinds(text) and _MONEY_ASKED.search(text) is not None


def answer_kinds(text: str) -> tuple[AnswerKind, ...]:
    """The kinds of fact ``text`` asks for, e.g. ("date",) for "When ...?"."""
    kinds = [kind for kind, pattern in _KINDS if pattern.search(text)]
    if "date" in kinds and "number" in kinds:
        kinds.remove("number")  # "tahun berapa": the year is the number asked for
    if "name" in kinds and len(kinds) > 1:
        kinds.remove("name")  # "which year": "which ..." names the kind, not a name
    return tuple(kinds)
