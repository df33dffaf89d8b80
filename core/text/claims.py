"""What a sentence claims that must be found in its evidence: numbers, names, acronyms.

Numbers are compared as values, across the two languages' ways of writing them: "1,2 juta",
"1.2 million" and "1.200.000" are one number; "20 persen", "20 percent" and "20%" state 20;
a comma or full stop followed by exactly three digits groups thousands ("2.500", "2,500"),
otherwise it is a decimal point ("2,5", "2.5"); ranges and dates split ("2021-2025",
"66/2011"). Evidence also counts numbers written out ("dua", "two"). Names are the lexicon's
countries, regions, institutions and months, and acronyms; other capitalised words are
``proper`` names, which a translation may render differently (so the check asks for them only
when sentence and evidence share a language).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from core.text.markers import strip_markers
from core.text.terms import CONCEPT, content_terms, lexicon
from core.text.words import WORD

# A number, not a list enumerator ("(1)", "a) ") nor part of a name ("COVID-19", "Pasal 2a"),
# but the day of a date in brackets ("(16/9/2019)") and an age after a name, as Indonesian
# news write it ("pelaku berinisial GL (35)": lists run out of items long before ten);
# a price may follow its currency unspaced ("Rp25.500", "US$3").
_NUMBER = re.compile(
    r"(?<![A-Za-z]-)(?:(?<!\()|(?!\d\)))(?:(?<![\w.,])|(?<=Rp)|(?<=\$))(\d{1,3}(?:[.,]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?)(?:st|nd|rd|th|an)?"
    r"(?:\s*(%|[a-zA-Z]+))?"
)
_YEAR = re.compile(r"19\d\d|20\d\d|2100")
_SLASHED = re.compile(r"\d+(?:/\d+)+")
_SCALES = {"thousand": 1_000, "million": 1_000_000, "billion": 10**9, "trillion": 10**12}
# Units that say what a figure measures ("20 persen", "Rp 42.000", "5,000 hectares"), unlike a
# scale ("juta") or what a count counts ("orang").
_NOT_MEASURES = frozenset(_SCALES) | {"person"}
CURRENCIES = frozenset({"rupiah", "dollar", "euro"})  # the lexicon's units of money
_UNIT_SIGNS = (
    (re.compile(r"%"), "percent"),
    (re.compile(r"\bRp\.?\s?\d", re.IGNORECASE), "rupiah"),
    (re.compile(r"\$\s?\d"), "dollar"),
    (re.compile(r"€\s?\d"), "euro"),
)


@dataclass(frozen=True)
class Mention:
    """A number as written (``raw``) and with its scale word applied (``value``)."""

    raw: str
    value: str
    scaled: bool
    grouped: bool = False  # written with a thousands separator ("2.000", "2,000"): no year
    # joined to another number by a slash: a date ("Senin (16/9/19)"), a law's number
    # ("UU 35/2014"), a score ("3/4"); no count of anything
    slashed: bool = False

    @property
    def is_year(self) -> bool:
        return not (self.scaled or self.grouped) and _YEAR.fullmatch(self.value) is not None


@dataclass(frozen=True)
class Claims:
    numbers: tuple[Mention, ...]
    names: frozenset[str]  # lexicon names and acronyms, as terms
    proper: frozenset[str]  # other capitalised words inside the sentence, as terms

    @property
    def empty(self) -> bool:
        return not (self.numbers or self.names or self.proper)


@dataclass(frozen=True)
class Facts:
    """What evidence text states, for checking claims against it."""

    raw_numbers: frozenset[str]
    values: frozenset[str]
    terms: frozenset[str]


def number_mentions(text: str) -> list[Mention]:
    """Every number in ``text`` (markers ignored), as written and scaled."""
    mentions: list[Mention] = []
    plain = strip_markers(text)
    slashed = [m.span() for m in _SLASHED.finditer(plain)]
    for match in _NUMBER.finditer(plain):
        written = match.group(1)
        raw = _canonical(written)
        if raw is None:
            continue
        scale = _scale(match.group(2))
        value = _format(Decimal(raw) * scale) if scale != 1 else raw
        start = match.start(1)
        joined = any(a <= start < b for a, b in slashed)
        mentions.append(Mention(raw, value, scale != 1, _is_grouped(written), joined))
    return mentions


def _is_grouped(written: str) -> bool:
    groups = re.split(r"[.,]", written)
    return len(groups) > 1 and all(len(g) == 3 for g in groups[1:])


def _canonical(written: str) -> str | None:
    groups = re.split(r"[.,]", written)
    if _is_grouped(written):
        digits = "".join(groups)  # thousands grouped: 1.200.000, 1,200,000
    elif len(groups) == 2:
        digits = f"{groups[0]}.{groups[1]}"  # a decimal: 2,5 / 2.5
    elif len(groups) == 1:
        digits = groups[0]
    else:
        return None
    try:
        return _format(Decimal(digits))
    except InvalidOperation:
        return None


def _scale(word: str | None) -> int:
    if not word:
        return 1
    entry = lexicon().forms.get(word.lower())
    if entry is None or entry.kind != "unit":
        return 1
    return _SCALES.get(entry.concept, 1)


def _format(value: Decimal) -> str:
    normal = value.normalize()
    return format(normal, "f") if normal != normal.to_integral() else str(int(normal))


def measures_of(text: str) -> frozenset[str]:
    """The units ``text`` measures figures in, by the lexicon's concept ("percent", "rupiah",
    "hectare"): written as words in either language or as signs ("%", "Rp", "$")."""
    forms = lexicon().forms
    terms = content_terms(text).all
    found = {t.rsplit(":", 1)[1] for t in terms if t.startswith(f"{CONCEPT}unit:")}
    for word in WORD.findall(text):
        entry = forms.get(word.lower())
        if entry is not None and entry.kind == "unit":
            found.add(entry.concept)  # short forms too ("km", "rp"), which terms skip
    found |= {unit for pattern, unit in _UNIT_SIGNS if pattern.search(text)}
    return frozenset(found - _NOT_MEASURES)


def claims_of(sentence: str) -> Claims:
    """The numbers and names ``sentence`` states."""
    terms = content_terms(strip_markers(sentence))
    number_terms = {m.raw for m in number_mentions(sentence)} | terms.numbers
    proper = terms.strong - terms.names - number_terms - terms.numbers
    return Claims(tuple(number_mentions(sentence)), terms.names, frozenset(proper))


def facts_of(text: str) -> Facts:
    """What ``text`` states: its numbers (also written out) and its content terms."""
    mentions = number_mentions(text)
    raw = {m.raw for m in mentions} | _written_numbers(text)
    values = {m.value for m in mentions} | raw
    return Facts(frozenset(raw), frozenset(values), content_terms(text).all)


def _written_numbers(text: str) -> set[str]:
    forms = lexicon().forms
    found: set[str] = set()
    words = [w.lower() for w in WORD.findall(text)]
    for i in range(len(words)):
        for size in (2, 1):
            entry = forms.get(" ".join(words[i : i + size]))
            if entry is not None and entry.kind == "number":
                found.add(entry.concept)
                break
    return found


def unsupported(claims: Claims, facts: Facts, same_language: bool) -> list[str]:
    """The claims that ``facts`` does not state (empty: every claim is supported)."""
    missing = [m.raw for m in claims.numbers if not _number_stated(m, facts)]
    missing += sorted(name for name in claims.names if name not in facts.terms)
    if same_language:
        missing += sorted(word for word in claims.proper if word not in facts.terms)
    return missing


def _number_stated(mention: Mention, facts: Facts) -> bool:
    if mention.value in facts.values:
        return True
    return not mention.scaled and mention.raw in facts.raw_numbers
