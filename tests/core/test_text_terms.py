"""Words -> terms (core.text.terms): one tokenizer, stop-word list, stemmer and lexicon."""

from __future__ import annotations

from pathlib import Path

from core.text import terms
from core.text.terms import (
    content_terms,
    lexicon,
    rarity,
    stop_words,
    tokenize,
    weighted_coverage,
)


def test_names_meet_across_languages() -> None:
    english = content_terms("Child trafficking in the Philippines and China in October")
    indonesian = content_terms("Perdagangan anak di Filipina dan Tiongkok pada bulan Oktober")
    shared = {"~trafficking", "~child", "~philippines", "~china", "~month:10"}
    assert shared <= english.all & indonesian.all
    assert {"~philippines", "~china", "~month:10"} <= english.names & indonesian.names


def test_demonyms_and_short_forms_are_their_country() -> None:
    # A fact sheet writes "Zimbabweans" and titles "The Dominican"; a question asks about
    # "Zimbabwe" or "Republik Dominika".
    pairs = [
        ("Zimbabweans moved south", "Emigrasi dari Zimbabwe"),
        ("The Dominican: People and Society", "penduduk Republik Dominika"),
        ("Burkinabe migrants", "Burkina Faso"),
        ("Ivory coast cocoa farms", "perkebunan di Pantai Gading"),
        ("Norwegian aid", "bantuan Norwegia"),
    ]
    for text, other in pairs:
        assert content_terms(text).names & content_terms(other).names, (text, other)


def test_every_country_form_names_one_country() -> None:
    countries = [e for e in lexicon().forms.values() if e.kind == "country"]
    assert len({e.concept for e in countries}) >= 190  # every state, not only the libraries'


def test_every_lexicon_form_names_one_concept() -> None:
    # a form listed twice would silently mean only its first concept
    from collections import Counter

    forms: Counter[str] = Counter()
    for line in (Path(terms.__file__).parent / "lexicon.tsv").read_text().splitlines():
        if line.strip() and not line.startswith("#") and not line.startswith(terms.OWN_WORDS):
            forms.update(form.strip() for form in line.split("\t")[2].split("|"))
    assert [form for form, count in forms.items() if count > 1] == []


def test_short_name_forms_count_only_in_capitals() -> None:
    assert "~united states" in content_terms("Bantuan dari AS dan US untuk anak").names
    assert "~united states" not in content_terms("As a rule, tell us").all


def test_phrases_before_their_words() -> None:
    terms = content_terms("Kementerian Pemberdayaan Perempuan dan Perlindungan Anak dan Jawa Barat")
    assert {"~kemen pppa", "~west java"} <= terms.names
    assert "~child" not in terms.all  # "Anak" belongs to the ministry's name here


def test_numbers_acronyms_and_capitalised_words() -> None:
    terms = content_terms("Pada 2021-2025, KPAI dan The Body Shop mencatat 1,2 juta kasus.")
    assert {"2021", "2025", "1,2"} <= terms.numbers
    assert "kpai" not in terms.all and "~kpai" in terms.names  # a lexicon institution
    assert {"bodi", "shop"} <= terms.capitalised  # the stems of a name inside the text


def test_possessives_and_compounds_split() -> None:
    terms = content_terms("Indonesia's cooperation with the Indonesia-UNICEF programme")
    assert {"~indonesia", "~unicef", "~cooperation", "~program"} <= terms.all


def test_reduplication_is_the_head_word() -> None:
    assert content_terms("anak-anak").all == content_terms("anak").all


def test_keyword_index_terms() -> None:
    assert tokenize("Perdagangan anak-anak (UU 21/2007) di Filipina") == [
        "~trafficking",
        "~child",
        "~law",
        "21/2007",
        "21",
        "2007",
        "~philippines",
    ]
    assert tokenize("as us dan yang the") == []  # stop words, and no short name forms


def test_stop_words_and_lexicon_load_from_their_files() -> None:
    assert {"yang", "the", "according", "menurut"} <= stop_words()
    assert lexicon().forms["tiongkok"].concept == "china"


def test_a_stem_that_is_a_word_of_its_own_keeps_its_meaning() -> None:
    # "pendapatan" is income and "penghasilan" too, but their stems are words of their own:
    # "terdapat" (there is), "dapat" (can), "hasil" (result) are no income.
    assert "~income" in content_terms("pendapatan penghasilan").all
    assert "~income" not in content_terms("terdapat hasil pemeriksaan yang dapat dibaca").all
    # the stem still joins inflections where it is no word of its own
    assert content_terms("diperdagangkan").all == content_terms("trafficking").all


def test_weighted_coverage() -> None:
    asked = content_terms("Kapan ECPAT menandatangani MoU?")
    assert weighted_coverage(asked, content_terms("ECPAT signed the MoU in 2015").all) == 1.0
    partial = weighted_coverage(asked, content_terms("ECPAT bekerja").all)
    assert 0.0 < partial < 1.0
    assert weighted_coverage(content_terms(""), set()) == 1.0  # nothing asked, nothing missed


def test_rarity_favours_terms_that_tell_texts_apart() -> None:
    texts = [content_terms(t).all for t in ("ECPAT metode", "ECPAT kerja", "ECPAT anak")]
    weights = rarity(texts)
    assert weights["~method"] > weights["~ecpat"]
    asked = content_terms("metode ECPAT")
    assert weighted_coverage(asked, texts[0], weights) > weighted_coverage(asked, texts[1], weights)


def test_spoken_numbers_are_counts_not_ranks() -> None:
    from core.text.terms import spoken_numbers

    assert spoken_numbers("bukan 35 tapi tiga sampai lima orang") == {
        "~number:3",
        "~number:5",
    }
    assert spoken_numbers("three people and twelve children") == {"~number:3", "~number:12"}
    assert spoken_numbers("the third largest crime, for the ketiga kalinya") == frozenset()


def test_a_date_written_in_digits_states_its_month() -> None:
    """Indonesian news date their stories "Senin (16/9/2019)": that is September, as the
    answer's "16 September 2019" says; a fraction or a law's number is no date."""
    september = content_terms("16 September 2019").names
    assert september <= content_terms("Jakarta, Senin (16/9/2019) - kata dia.").names
    assert "~month:5" in content_terms("diambil Rabu (24/5) malam").names
    two_digits = content_terms("Senin (16/9/19)")
    assert "~month:9" in two_digits.names and "2019" in two_digits.numbers
    for no_date in ("rasio 1/3 dari anggaran", "UU No. 35/2014", "tanggal 31/13/2019"):
        assert not any(t.startswith("~month:") for t in content_terms(no_date).all), no_date
