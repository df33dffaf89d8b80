"""The page in headless Chromium: what a person sees and clicks."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.fakes import ScriptedLLM
from tests.ui.conftest import RunningApp
from tests.ui.test_app import SHELTER_REPLY

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium package"),
]
TIMEOUT = 20_000  # ms


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any, app: RunningApp) -> Iterator[Any]:
    context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.dialogs = dialogs
    page.goto(app.url)
    page.locator("#lentera-question textarea").wait_for(timeout=TIMEOUT)
    yield page
    context.close()


def ask(page: Any, question: str) -> Any:
    page.locator("#lentera-question textarea").fill(question)
    page.locator("#lentera-ask").click()
    return page.locator("[data-testid=bot]").last


def test_streamed_answer_with_markers_and_highlighted_passage(page: Any, app: RunningApp) -> None:
    app.engine.llm = ScriptedLLM([SHELTER_REPLY], delay=0.05)
    bot = ask(page, "Which district shelter serves trafficked children?")
    page.locator("[data-testid=bot] .lentera-streaming").first.wait_for(timeout=TIMEOUT)
    marker = bot.locator("a.lentera-cite").first
    marker.wait_for(timeout=TIMEOUT)
    assert marker.inner_text() == "[1]"
    assert "shelters.txt" in bot.locator(".lentera-sources").inner_text()
    assert "ScriptedLLM" in bot.locator(".lentera-meta").inner_text()
    marker.click()
    highlighted = page.locator("#lentera-panel mark.lentera-hl")
    highlighted.wait_for(timeout=TIMEOUT)
    assert "every district to run a shelter" in highlighted.inner_text()
    panel = page.locator("#lentera-panel").inner_text()
    assert "Child Protection Act" in panel and "shelters.txt" in panel


def test_refusal_looks_different(page: Any) -> None:
    bot = ask(page, "What is the capital of Mongolia?")
    refusal = bot.locator(".lentera-refusal")
    refusal.wait_for(timeout=TIMEOUT)
    colour = refusal.evaluate("e => getComputedStyle(e).borderLeftColor")
    assert colour == "rgb(180, 83, 9)"


def test_upload_shows_the_document_in_the_library(page: Any, tmp_path: Path) -> None:
    doc = tmp_path / "village-registers.md"
    doc.write_text("# Village registers\nVillage councils keep a register of migrant children.\n")
    page.get_by_role("tab", name="Library").click()
    page.locator("#lentera-upload input[type=file]").set_input_files(str(doc))
    # The picked file's row names it whole only in its label; the text shows stem and
    # extension apart, and for a moment while uploading, whole.
    page.locator('#lentera-upload td[aria-label="village-registers.md"]').wait_for(timeout=TIMEOUT)
    page.locator("#lentera-upload-go").click()
    result = page.locator("#lentera-upload-result textarea")
    page.wait_for_function(
        "() => document.querySelector('#lentera-upload-result textarea').value.includes('✓')",
        timeout=TIMEOUT,
    )
    assert "village-registers.md: added" in result.input_value()
    page.wait_for_function(
        "() => document.querySelector('#lentera-docs').innerText.includes('village-registers.md')",
        timeout=TIMEOUT,
    )


def test_html_inside_a_document_is_never_run(page: Any, app: RunningApp) -> None:
    app.add_document(
        "evil.txt",
        "Evil page\n\nMidwives register newborn babies <script>alert('x')</script> at the clinic "
        '<img src=x onerror="alert(1)" id="injected"> every week.',
    )
    bot = ask(page, "Do midwives register newborn babies at the clinic?")
    marker = bot.locator("a.lentera-cite").first
    marker.wait_for(timeout=TIMEOUT)
    assert "<script>alert('x')</script>" in bot.inner_text()  # shown as text
    marker.click()
    page.locator("#lentera-panel mark.lentera-hl").wait_for(timeout=TIMEOUT)
    page.wait_for_timeout(500)  # give an injected handler the chance to fire
    assert page.dialogs == []
    assert page.locator("#injected").count() == 0
    assert page.locator("[data-testid=bot] img, #lentera-panel img").count() == 0
    assert page.locator("[data-testid=bot] script, #lentera-panel script").count() == 0


def test_script_in_questions_titles_links_names_and_comments_is_never_run(
    page: Any, app: RunningApp, tmp_path: Path
) -> None:
    app.add_document(
        "links.md",
        "# <img src=x onerror=alert('title') id=t-inj>Clinic rules\n\n"
        "Nurses visit every village clinic each month; see "
        "[the schedule](javascript:alert('link')) and <a href=\"javascript:alert('a')\" "
        "id=a-inj>this page</a> for details.\n",
    )
    bot = ask(page, "<img src=x onerror=alert('q') id=q-inj> How often do nurses visit clinics?")
    bot.locator("a.lentera-cite").first.wait_for(timeout=TIMEOUT)
    bot.locator("a.lentera-cite").first.click()
    page.locator("#lentera-panel mark.lentera-hl").wait_for(timeout=TIMEOUT)
    for link in page.locator("[data-testid=bot] a, #lentera-panel a").all():
        assert not (link.get_attribute("href") or "").lower().startswith("javascript:")
    page.locator("#lentera-comment textarea").fill("<script>alert('comment')</script>")
    page.locator("#lentera-helpful").click()
    page.locator("#lentera-status").get_by_text("your feedback was saved").first.wait_for(
        timeout=TIMEOUT
    )
    named = tmp_path / "<img src=x onerror=alert('name')>.txt"
    named.write_text("Village councils keep a register of migrant children.")
    page.get_by_role("tab", name="Library").click()
    page.locator("#lentera-upload input[type=file]").set_input_files(str(named))
    page.locator("#lentera-upload-go").click()
    page.wait_for_function(
        "() => document.querySelector('#lentera-upload-result textarea').value.includes('✓')",
        timeout=TIMEOUT,
    )
    page.wait_for_timeout(500)  # give an injected handler the chance to fire
    assert page.dialogs == []
    for injected in ("#t-inj", "#q-inj", "#a-inj"):
        assert page.locator(injected).count() == 0
    assert page.locator("[data-testid=bot] img, #lentera-panel img, #lentera-docs img").count() == 0


def test_labels_follow_an_indonesian_browser(browser: Any, app: RunningApp) -> None:
    context = browser.new_context(locale="id-ID")
    try:
        page = context.new_page()
        page.goto(app.url)
        page.get_by_role("tab", name="Perpustakaan").wait_for(timeout=TIMEOUT)
        assert page.locator("#lentera-ask").inner_text().strip() == "Tanya"
    finally:
        context.close()
