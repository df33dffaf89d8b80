"""Tell English from Indonesian, for questions as short as three words and for passages.

Dependency-free scoring: function words count fully (they make up a third of running text in
both languages and are what a short question consists of); Indonesian affix shapes
(``per-...-an``, ``-nya``, ``me-...-kan``) and English suffixes (``-tion``, ``-ness``) count
half, so that content words tip the balance only when function words are absent or tied.
Indonesian evidence weighs 1.5x: Indonesian documents are full of English names and terms
("National Plan of Action for Children"), while English text rarely carries Indonesian words.
"""

from __future__ import annotations

import re

from core.text.words import word_set

LANGUAGE_NAMES = {"en": "English", "id": "Indonesian"}
LANGUAGE_NAMES_NATIVE = {"en": "English", "id": "Bahasa Indonesia"}


_ID_WORDS = word_set(
    """
    yang dan di ke dari ini itu untuk dengan dalam pada adalah tidak akan atau juga oleh
    sebagai ada apa siapa bagaimana mengapa kenapa kapan mana dimana berapa apakah bisakah
    bolehkah adakah sudah telah belum sedang masih bisa dapat harus perlu bahwa karena
    sehingga namun tetapi tapi jika kalau agar supaya serta maupun antara terhadap tentang
    hingga sampai sejak saat seperti secara bagi para oleh kami kita saya aku anda kamu
    mereka dia ia beliau nya lebih sangat paling banyak sedikit semua setiap beberapa
    tersebut yaitu yakni ialah merupakan menjadi sendiri lain hal tahun juga pula lagi
    saja hanya masing sama atas bawah luar antar melalui selama setelah sebelum ketika
    sebuah seorang suatu satu dua tiga empat lima enam tujuh delapan sembilan sepuluh
    jadi maka pun dong kah lah tersebut mengenai menurut bersama berbagai dimana apabila
    bila walaupun meskipun oleh sementara hanya tanpa kembali baik belum telah kepada
    daripada ialah nya adalah bukan jangan mau ingin boleh sini situ sana begitu begini
    siapakah apakah manakah berapakah mengapakah guna demi akibat oleh sebab
    anak orang negara pemerintah masyarakat kerja sama hukum upaya peran salah kasus bentuk
    cara hari baru besar kecil tinggi rendah perlu hak baik buruk
    """
)

_EN_WORDS = word_set(
    """
    the a an of and to in is are was were be been being what who whom whose which why how
    when where does do did done doing for with on at by from that this these those it its
    as has have had not or but if then than so such can could will would should shall
    may might must there their they them he she his her him we our us you your i me my
    about into over under after before between during through against without within
    also only very more most some any all each every other many much few both either
    neither nor one two three four five six seven eight nine ten first second new
    same own just because while since until upon whether however therefore thus
    here out up down off again further once both which whose yes
    children child people government country law work role case cases year years
    """
)

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_ID_SHAPE = re.compile(
    r"^(?:(?:meng|meny|mem|men|me|ber|ter|per|pe|peng|pem|pen|di|ke)\w{3,}(?:kan|an|i)"
    r"|\w{3,}nya|\w{3,}(?:kan|lah|kah)|(?:meng|meny|mem|ber)\w{3,})$"
)
_EN_SHAPE = re.compile(r"^\w{3,}(?:tion|tions|ness|ment|ments|ship|ity|ities|ing|ed|ly|ies)$")
_SHAPE_WEIGHT = 0.5
_INDONESIAN_WEIGHT = 1.5


def language_scores(text: str) -> tuple[float, float]:
    """(English score, Indonesian score) of ``text``; exposed for tests and diagnostics."""
    en = indo = 0.0
    for word in _WORD.findall(text.lower()):
        in_en, in_id = word in _EN_WORDS, word in _ID_WORDS
        if in_en and not in_id:
            en += 1.0
        elif in_id and not in_en:
            indo += 1.0
        elif not (in_en or in_id):
            id_shape = bool(_ID_SHAPE.match(word))
            en_shape = bool(_EN_SHAPE.match(word))
            if id_shape and not en_shape:
                indo += _SHAPE_WEIGHT
            elif en_shape and not id_shape:
                en += _SHAPE_WEIGHT
    return en, indo * _INDONESIAN_WEIGHT


def detect_language(text: str) -> str:
    """``"en"``, ``"id"`` or ``"unknown"`` (no evidence, or exactly balanced evidence)."""
    en, indo = language_scores(text)
    if en == indo:
        return "unknown"
    return "en" if en > indo else "id"
