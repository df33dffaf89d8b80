"""Words -> terms, one way for every stage: the keyword index, questions, evidence, answers.

The rules:
- A word is ``words.WORD`` (letters and digits joined by inner ``-/.'``). Words with digits
  are kept whole and also split at their separators ("66/2011" -> "66/2011", "66", "2011").
- Stop words (``stopwords.txt``, Indonesian and English) and one-letter words are dropped.
- A word or phrase of the bilingual lexicon (``lexicon.tsv``) becomes its concept, written
  ``~concept`` ("Filipina", "Philippines" -> ``~philippines``; "perdagangan", "trafficking"
  -> ``~trafficking``), so that texts in different languages share terms. Short lexicon forms
  of names ("US", "AS", "UN", "RI") count only when written in capitals ("as", "As", "us").
- Any other word is stemmed by the Snowball Indonesian stemmer, then the English one (the
  texts mix both languages; one pipeline stems both sides of every comparison alike).
- A date written in digits, as Indonesian news date their stories ("Senin (16/9/2019)",
  "(16/9/19)", "Rabu (24/5)"), also states its month (and a two-digit year its year), as
  "16 September 2019" does. Without a year it counts only in brackets: "1/3" is a fraction.

``index_terms`` gives the keyword index its terms (order and repeats kept, for BM25).
``content_terms`` gives the set view the answer side compares: which terms are names,
acronyms or numbers (``strong``, weighted double in ``weighted_coverage``).
"""

from __future__ import annotations

import hashlib
import math
import re
from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from core.text.words import NUMBER_SEPARATORS, WORD, WORD_SEPARATORS

_DATA = Path(__file__).parent
TERMS_VERSION = "3"  # raise when the code of the rules changes what terms a text has
CONCEPT = "~"  # concept terms start with this; stems never do
NAME_KINDS = frozenset({"country", "region", "institution", "month"})
OWN_WORDS = "own-word"  # the lexicon's kind for stems that keep their own meaning
_MAX_PHRASE = 8
_DIGIT = re.compile(r"\d")
_STEM_CACHE_LIMIT = 200_000


@cache
def rules_version() -> str:
    """A hash of the term rules' data (stop words, lexicon): derived indexes built with other
    rules are rebuilt."""
    digest = hashlib.sha256(TERMS_VERSION.encode())
    for name in ("stopwords.txt", "lexicon.tsv"):
        digest.update((_DATA / name).read_bytes())
    return digest.hexdigest()[:12]


@cache
def stop_words() -> frozenset[str]:
    """Indonesian and English stop words, from ``stopwords.txt``."""
    words: set[str] = set()
    for line in (_DATA / "stopwords.txt").read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            words.update(line.split())
    return frozenset(words)


@dataclass(frozen=True)
class Entry:
    """One concept of the lexicon."""

    kind: str
    concept: str

    @property
    def term(self) -> str:
        if self.kind in ("month", "number", "unit"):
            return f"{CONCEPT}{self.kind}:{self.concept}"
        return f"{CONCEPT}{self.concept}"

    @property
    def is_name(self) -> bool:
        return self.kind in NAME_KINDS


@dataclass(frozen=True)
class Lexicon:
    """Lexicon forms (lowercase words or phrases) -> their concept."""

    forms: dict[str, Entry]
    longest: int

    def lookup(self, words: list[str], cased: list[str]) -> tuple[Entry, int] | None:
        """The longest lexicon form at the start of ``words``, and how many words it spans."""
        for size in range(min(self.longest, len(words)), 0, -1):
            entry = self.forms.get(" ".join(words[:size]))
            if entry is None:
                continue
            short_name = size == 1 and len(words[0]) <= 3 and entry.kind != "term"
            if short_name and not cased[0].isupper():
                continue  # "as", "As", "us": words, not "AS", "US"
            return entry, size
        return None


@cache
def lexicon() -> Lexicon:
    forms: dict[str, Entry] = {}
    own_words: set[str] = set()
    for line in (_DATA / "lexicon.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        kind, concept, words = line.split("\t")
        if kind == OWN_WORDS:
            own_words.update(form.strip() for form in words.split("|"))
            continue
        entry = Entry(kind, concept)
        for form in words.split("|"):
            forms.setdefault(form.strip(), entry)
    # Stems of single-word terms meet too ("trafficked" ~ "trafficking" either way), unless
    # the stem is a word of its own: "pendapatan" is income, its stem "dapat" is "can" (a stop
    # word), and "terdapat" (there is) must not become income.
    kept_apart = stop_words() | own_words
    for form, entry in list(forms.items()):
        if entry.kind == "term" and " " not in form:
            stemmed = stem(form)
            if stemmed not in kept_apart:
                forms.setdefault(stemmed, entry)
    longest = max(len(form.split()) for form in forms)
    return Lexicon(forms, min(longest, _MAX_PHRASE))


@cache
def _stemmers() -> tuple[Any, Any]:
    import Stemmer  # PyStemmer: Snowball Indonesian and English

    return Stemmer.Stemmer("indonesian"), Stemmer.Stemmer("english")


_stems: dict[str, str] = {}


def stem(word: str) -> str:
    """The stem of a lowercase word: Indonesian stemmer, then English."""
    found = _stems.get(word)
    if found is None:
        indonesian, english = _stemmers()
        found = str(english.stemWord(indonesian.stemWord(word)))
        if len(_stems) > _STEM_CACHE_LIMIT:
            _stems.clear()
        _stems[word] = found
    return found


def _plain_term(word: str) -> str | None:
    """The term of one lowercase word part (no separators) outside the lexicon."""
    if _DIGIT.search(word):
        return word
    if len(word) < 2 or word in stop_words():
        return None
    reduplicated = _reduplication(word)
    return stem(reduplicated or word)


def _reduplication(word: str) -> str | None:
    # "anak-anak", "program-program": an Indonesian plural is its head word.
    head, _, tail = word.partition("-")
    return head if tail == head else None


# -- the keyword index's view: a term list ---------------------------------------------------


def index_terms(piece: str) -> tuple[str, ...]:
    """Terms of one lowercase, whitespace-free piece of text, e.g. "(uu" or "66/2011,"."""
    terms: list[str] = []
    for raw in WORD.findall(piece):
        whole = _lexicon_term(raw)
        if whole is not None:
            terms.append(whole)
            continue
        parts = [p for p in WORD_SEPARATORS.split(raw) if p]
        if len(parts) > 1 and _DIGIT.search(raw):
            terms.append(raw)
        if len(parts) > 1 and _reduplication(raw):
            parts = parts[:1]
        for part in parts:
            term = _lexicon_term(part) or _plain_term(part)
            if term is not None:
                terms.append(_lexicon_term(term) or term)
    return tuple(terms)


def _lexicon_term(word: str) -> str | None:
    """The concept of a lowercase single word, where the lexicon knows it unambiguously
    (short name forms such as "as", "us" cannot be told from words once lowercased)."""
    entry = lexicon().forms.get(word)
    if entry is None or entry.kind == "number" or (entry.kind != "term" and len(word) <= 3):
        return None
    return entry.term


def tokenize(text: str) -> list[str]:
    """Keyword-index terms of a whole text, in order."""
    return [term for piece in text.lower().split() for term in index_terms(piece)]


# -- the answer side's view: a set of terms, some of them strong ----------------------------


@dataclass(frozen=True)
class Terms:
    """The content terms of a text; ``strong`` ones (names, acronyms, numbers) count double."""

    all: frozenset[str]
    strong: frozenset[str] = field(default_factory=frozenset)
    numbers: frozenset[str] = field(default_factory=frozenset)
    names: frozenset[str] = field(default_factory=frozenset)  # lexicon names and acronyms
    # Terms of words written with a capital inside the text ("Kementerian Kesehatan").
    capitalised: frozenset[str] = field(default_factory=frozenset)

    def __or__(self, other: Terms) -> Terms:
        return Terms(
            self.all | other.all,
            self.strong | other.strong,
            self.numbers | other.numbers,
            self.names | other.names,
            self.capitalised | other.capitalised,
        )


EMPTY = Terms(frozenset())


@dataclass
class _Collected:
    all: set[str] = field(default_factory=set)
    strong: set[str] = field(default_factory=set)
    numbers: set[str] = field(default_factory=set)
    names: set[str] = field(default_factory=set)
    capitalised: set[str] = field(default_factory=set)

    def add(
        self, term: str, *, strong: bool = False, name: bool = False, capital: bool = False
    ) -> None:
        self.all.add(term)
        if strong or name:
            self.strong.add(term)
        if name:
            self.names.add(term)
        if capital:
            self.capitalised.add(term)

    def frozen(self) -> Terms:
        return Terms(
            frozenset(self.all),
            frozenset(self.strong),
            frozenset(self.numbers),
            frozenset(self.names),
            frozenset(self.capitalised),
        )


@lru_cache(maxsize=8192)
def content_terms(text: str) -> Terms:
    """The content terms of ``text`` (see the module docstring)."""
    cased = _words(text)
    lowered = [w.lower() for w in cased]
    found = _Collected()
    position = 0
    while position < len(cased):
        capital = position > 0 and cased[position][:1].isupper()
        match = lexicon().lookup(lowered[position:], cased[position:])
        if match is not None:
            entry, size = match
            position += size
            if entry.kind != "number":  # "dua", "two": say little on their own
                found.add(entry.term, name=entry.is_name, capital=capital)
            continue
        _add_word(cased[position], capital, found)
        position += 1
    if "%" in text:  # a sign, not a word: "20%" states a percentage like "20 persen"
        found.add(lexicon().forms["percent"].term)
    _add_numeric_dates(text, found)
    return found.frozen()


_NUMERIC_DATE = re.compile(
    r"(?<![\d/.,])(?P<day>[0-3]?\d)/(?P<month>[01]?\d)/(?P<year>(?:19|20)?\d\d)(?![\d/])"
    r"|\((?:[^\W\d_]+,?\s+)?(?P<bracket_day>[0-3]?\d)/(?P<bracket_month>[01]?\d)\)"
)


@cache
def _month_terms() -> dict[int, str]:
    """The lexicon's month concepts by number (1 -> "~month:1")."""
    return {int(e.concept): e.term for e in lexicon().forms.values() if e.kind == "month"}


def _add_numeric_dates(text: str, found: _Collected) -> None:
    for match in _NUMERIC_DATE.finditer(text):
        day = int(match["day"] or match["bracket_day"])
        month = int(match["month"] or match["bracket_month"])
        if not (1 <= day <= 31 and 1 <= month <= 12):
            continue
        found.add(_month_terms()[month], name=True)
        year = match["year"]
        if year is not None and len(year) == 2:
            full = ("20" if int(year) < 50 else "19") + year
            found.add(full, strong=True)
            found.numbers.add(full)


def spoken_numbers(text: str, ordinals: bool = False) -> frozenset[str]:
    """The counts ``text`` writes in words ("three", "tiga", "dua belas"), as the lexicon's
    number terms; ordinals ("ketiga", "third") only when asked for: mostly a rank ("the third
    largest"), they count only what repeats ("for the second consecutive year"). Digits are
    ``core.text.claims.number_mentions``'s."""
    cased = _words(text)
    lowered = [w.lower() for w in cased]
    found: set[str] = set()
    for position in range(len(cased)):
        match = lexicon().lookup(lowered[position:], cased[position:])
        if (
            match is not None
            and match[0].kind == "number"
            and (ordinals or not _ORDINAL.match(lowered[position]))
        ):
            found.add(match[0].term)
    return frozenset(found)


_ORDINAL = re.compile(r"ke[a-z]+$|first$|second$|third$|[a-z]+th$")


def _words(text: str) -> list[str]:
    """The words of ``text`` for content terms: a possessive "'s" dropped ("Indonesia's"), and
    a hyphenated pair that is neither a lexicon form nor a reduplication split in two
    ("Indonesia-UNICEF"); words with digits stay whole ("2021-2025", split later)."""
    words: list[str] = []
    forms = lexicon().forms
    for word in WORD.findall(text):
        if word.lower().endswith("'s"):
            word = word[:-2]
        word = _singular_name(word, forms)
        lower = word.lower()
        compound = "-" in word and not _DIGIT.search(word) and lower not in forms
        if compound and not _reduplication(lower):
            words.extend(p for p in word.split("-") if p)
            continue
        words.append(word)
    return words


def _singular_name(word: str, forms: dict[str, Entry]) -> str:
    """ "IDPs", "NGOs" -> the acronym; "Indonesians", "Cambodians" -> the lexicon's name."""
    if len(word) < 3 or not word.endswith("s") or not word[:1].isupper():
        return word
    stem = word[:-1]
    if is_acronym(stem):
        return stem
    entry = forms.get(stem.lower())
    return stem if entry is not None and entry.is_name else word


def _add_word(word: str, capital: bool, found: _Collected) -> None:
    lower = word.lower()
    parts = [p for p in NUMBER_SEPARATORS.split(lower) if p] if _DIGIT.search(word) else [lower]
    for part in parts:
        if len(part) < 3 and not part.isdigit() and not word.isupper():
            continue
        term = _plain_term(part)
        if term is None:
            continue
        concept = lexicon().forms.get(term)
        if concept is not None and concept.kind == "term":
            found.add(concept.term, capital=capital)  # "trafficked" -> its stem -> ~trafficking
        elif _DIGIT.search(part):
            found.add(term, strong=True)
            found.numbers.add(term)
        elif is_acronym(word):
            found.add(term, name=True, capital=True)
        else:
            found.add(term, strong=capital, capital=capital)  # a capitalised word: a name


def is_acronym(word: str) -> bool:
    """UNICEF, KPAI, BP2MI: two or more capitals (digits allowed), no lowercase."""
    letters = [ch for ch in word if ch.isalpha()]
    return len(letters) >= 2 and all(ch.isupper() for ch in letters)


def terms_of(texts: Iterable[str]) -> Terms:
    """The union of the content terms of several texts."""
    found = EMPTY
    for text in texts:
        found = found | content_terms(text)
    return found


def weighted_coverage(
    asked: Terms, found: Collection[str], rarity: Mapping[str, float] | None = None
) -> float:
    """Share of ``asked``'s terms that are in ``found`` (0..1), each term weighted by 2 when
    strong (a name, acronym or number) and by its ``rarity`` when given (see ``rarity``).

    The one overlap score: question terms met by passages or sentences, sentence terms met by
    the evidence they cite. Nothing asked means nothing to miss (1.0).
    """
    if not asked.all:
        return 1.0

    def weight(term: str) -> float:
        strength = 2.0 if term in asked.strong else 1.0
        return strength * (rarity.get(term, 1.0) if rarity is not None else 1.0)

    total = sum(weight(t) for t in asked.all)
    hit = sum(weight(t) for t in asked.all if t in found)
    return hit / total if total else 1.0


def rarity(term_sets: Sequence[frozenset[str]]) -> dict[str, float]:
    """How much each term tells the texts apart: 1 for a term in none or one of them, down to
    about 0.3 for a term in all (an idf scaled to 0..1), so that among sentences which all
    name the question's country, the one with its rarer word ("method", "keywords") wins."""
    count = len(term_sets)
    if count < 2:
        return {}
    frequency: Counter[str] = Counter(t for terms in term_sets for t in terms)
    top = math.log(1.0 + count)
    return {t: max(0.3, math.log(1.0 + count / n) / top) for t, n in frequency.items()}
