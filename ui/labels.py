"""Every text the page shows, in English and Indonesian.

Static labels (component labels, buttons, tab names) go to the browser through ``gr.I18n`` so
the page follows the browser's language; text the server renders (answer footers, upload result
lines) is picked here with ``text(key, language)``.
"""

from __future__ import annotations

from typing import Any

LABELS: dict[str, dict[str, str]] = {
    "en": {
        "title": "Lentera",
        "tagline": "Answers from your document library, with the passages they come from.",
        "tab_chat": "Chat",
        "tab_library": "Library",
        "chat": "Conversation",
        "question": "Your question",
        "question_placeholder": "Ask in English or Indonesian…",
        "ask": "Ask",
        "new_conversation": "New conversation",
        "restrict": "Only search these documents",
        "restrict_info": "Leave empty to search the whole library.",
        "sources_panel": "Sources",
        "sources_hint": "Click a marker like [1] or a source to read the passage.",
        "sources": "Sources",
        "answered_by": "Answered by",
        "took": "in",
        "refused": "Not in the library",
        "feedback_comment": "Comment on the last answer (optional)",
        "helpful": "Helpful",
        "unhelpful": "Not helpful",
        "feedback_saved": "Thank you: your feedback was saved.",
        "no_answer_yet": "Ask a question first: there is no answer to rate yet.",
        "empty_question": "Type a question first.",
        "documents": "Documents",
        "col_title": "Title",
        "col_file": "File",
        "col_language": "Language",
        "col_chunks": "Passages",
        "col_ingested": "Added",
        "upload": "Add documents (PDF, DOCX, HTML, MD, TXT)",
        "upload_button": "Add to library",
        "upload_result": "Result",
        "upload_disabled": "Uploading is not available on this server.",
        "admin_only": "Only an admin may add or remove documents.",
        "no_files": "Choose one or more files first.",
        "remove_choice": "Document to remove",
        "remove_button": "Remove document",
        "removed": "Removed",
        "not_in_library": "Not in the library",
        "nothing_to_remove": "Choose a document to remove first.",
        "added": "added",
        "kept_apart": "a different document named {name} is already in the library; both are "
        "kept, and an admin may remove the old one",
        "updated": "updated",
        "unchanged": "unchanged",
        "failed": "failed",
        "too_large": "larger than {limit} MB",
        "bad_type": "file type {suffix} is not accepted (PDF, DOCX, HTML, MD, TXT)",
        "passage_from": "Passage",
        "section": "Section",
        "file": "File",
        "empty_library": "The library is empty: add documents in the Library tab.",
        "backend_local": "local model",
        "backend_openai": "OpenAI",
        "backend_compatible": "OpenAI-compatible server",
        "backend_extractive": "extractive (no model)",
        "fallback_note": "The answer model is unavailable, so this answer quotes the sources",
    },
    "id": {
        "title": "Lentera",
        "tagline": "Jawaban dari perpustakaan dokumen Anda, beserta kutipan sumbernya.",
        "tab_chat": "Obrolan",
        "tab_library": "Perpustakaan",
        "chat": "Percakapan",
        "question": "Pertanyaan Anda",
        "question_placeholder": "Tanyakan dalam bahasa Indonesia atau Inggris…",
        "ask": "Tanya",
        "new_conversation": "Percakapan baru",
        "restrict": "Cari hanya di dokumen ini",
        "restrict_info": "Kosongkan untuk mencari di seluruh perpustakaan.",
        "sources_panel": "Sumber",
        "sources_hint": "Klik penanda seperti [1] atau sebuah sumber untuk membaca kutipannya.",
        "sources": "Sumber",
        "answered_by": "Dijawab oleh",
        "took": "dalam",
        "refused": "Tidak ada di perpustakaan",
        "feedback_comment": "Komentar untuk jawaban terakhir (opsional)",
        "helpful": "Membantu",
        "unhelpful": "Tidak membantu",
        "feedback_saved": "Terima kasih: masukan Anda telah disimpan.",
        "no_answer_yet": "Ajukan pertanyaan dulu: belum ada jawaban untuk dinilai.",
        "empty_question": "Tulis pertanyaan terlebih dahulu.",
        "documents": "Dokumen",
        "col_title": "Judul",
        "col_file": "Berkas",
        "col_language": "Bahasa",
        "col_chunks": "Bagian",
        "col_ingested": "Ditambahkan",
        "upload": "Tambah dokumen (PDF, DOCX, HTML, MD, TXT)",
        "upload_button": "Tambahkan ke perpustakaan",
        "upload_result": "Hasil",
        "upload_disabled": "Unggahan tidak tersedia di server ini.",
        "admin_only": "Hanya admin yang dapat menambah atau menghapus dokumen.",
        "no_files": "Pilih satu berkas atau lebih terlebih dahulu.",
        "remove_choice": "Dokumen yang akan dihapus",
        "remove_button": "Hapus dokumen",
        "removed": "Dihapus",
        "not_in_library": "Tidak ada di perpustakaan",
        "nothing_to_remove": "Pilih dokumen yang akan dihapus terlebih dahulu.",
        "added": "ditambahkan",
        "kept_apart": "dokumen lain bernama {name} sudah ada di perpustakaan; keduanya "
        "disimpan, dan admin dapat menghapus yang lama",
        "updated": "diperbarui",
        "unchanged": "tidak berubah",
        "failed": "gagal",
        "too_large": "lebih besar dari {limit} MB",
        "bad_type": "jenis berkas {suffix} tidak diterima (PDF, DOCX, HTML, MD, TXT)",
        "passage_from": "Kutipan",
        "section": "Bagian",
        "file": "Berkas",
        "empty_library": "Perpustakaan masih kosong: tambahkan dokumen di tab Perpustakaan.",
        "backend_local": "model lokal",
        "backend_openai": "OpenAI",
        "backend_compatible": "server kompatibel OpenAI",
        "backend_extractive": "ekstraktif (tanpa model)",
        "fallback_note": "Model jawaban sedang tidak tersedia, jadi jawaban ini mengutip sumber",
    },
}

EXAMPLE_QUESTIONS: list[str] = [
    "What does ECPAT do against child trafficking in Indonesia?",
    "Apa saja faktor penyebab eksploitasi ekonomi anak di Indonesia?",
    "How did UNICEF respond to child trafficking in Vietnam?",
    "Bagaimana UNICEF menangani kekerasan seksual siber terhadap anak?",
]

SUPPORTED = ("en", "id")


def text(key: str, language: str = "en") -> str:
    """The label ``key`` in ``language``, falling back to English."""
    table = LABELS.get(language, LABELS["en"])
    return table.get(key, LABELS["en"][key])


def language_from_header(accept_language: str | None) -> str:
    """The first supported language of an ``Accept-Language`` header ("en" if none)."""
    for part in (accept_language or "").split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in SUPPORTED:
            return code
    return "en"


def build_i18n() -> Any:
    """A ``gr.I18n`` with both languages; the browser's locale picks one."""
    import gradio as gr

    return gr.I18n(**LABELS)
