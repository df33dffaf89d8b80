"""The chat page: ``build_app(engine, library, settings, ingest=None) -> gr.Blocks``.

Nothing lives at module level: the engine, library and feedback store are handed in, and each
browser session keeps its conversation in its own ``gr.State``. Every event has an ``api_name``
so ``gradio_client`` can drive exactly what the browser drives.

Gradio 6 takes css / head / i18n / auth as ``launch()`` arguments; ``LenteraBlocks`` carries
the page's own values for them, so a plain ``demo.launch(...)`` serves the complete page.
"""

from pathlib import Path
from typing import Any

import gradio as gr

from core.protocols import DocumentLibrary, QuestionAnswerer
from core.settings import Settings
from ui.accounts import Access, AccountStore
from ui.chat import ChatHandlers
from ui.feedback import FeedbackStore
from ui.labels import EXAMPLE_QUESTIONS, build_i18n, text
from ui.library_tab import IngestFn, LibraryHandlers
from ui.render import render_panel

STATIC_DIR = Path(__file__).parent


class LenteraBlocks(gr.Blocks):
    """A ``gr.Blocks`` whose ``launch()`` defaults to the page's css, script, labels, login,
    address and upload limit; explicit arguments still win."""

    launch_defaults: dict[str, Any]

    def launch(self, *args: Any, **kwargs: Any) -> Any:
        return super().launch(*args, **{**self.launch_defaults, **kwargs})


def page_access(settings: Settings) -> Access:
    """Who may log in and what each may do: the users file, or the single login of settings."""
    ui = settings.ui
    single = None
    if ui.auth_user and ui.auth_password is not None:
        single = (ui.auth_user, ui.auth_password.get_secret_value())
    return Access(AccountStore(settings.users_file), single)


def launch_defaults(settings: Settings, i18n: Any, access: Access) -> dict[str, Any]:
    ui = settings.ui
    script = (STATIC_DIR / "lentera.js").read_text(encoding="utf-8")
    options: dict[str, Any] = {
        "server_name": ui.host,
        "server_port": ui.port,
        "css": (STATIC_DIR / "lentera.css").read_text(encoding="utf-8"),
        "head": f"<script>{script}</script>",
        # Gradio's own limit guards the server against huge bodies; the per-file limit is
        # checked by the upload handler so that one large file gets a result line instead of
        # failing the whole batch.
        "max_file_size": f"{max(2 * ui.max_upload_mb, ui.max_upload_mb + 10)}mb",
        "ssr_mode": False,
        "share": False,
        "i18n": i18n,
    }
    if access.login_required:
        options["auth"] = access.guard().login
    return options


def build_app(
    engine: QuestionAnswerer,
    library: DocumentLibrary,
    settings: Settings,
    ingest: IngestFn | None = None,
) -> gr.Blocks:
    """The page for one engine and library; ``ingest(paths, progress)`` enables uploads."""
    fixed = settings.ui.language
    i18n = build_i18n()

    def label(key: str) -> Any:
        # A fixed language is rendered on the server; "auto" lets the browser pick.
        return text(key, fixed) if fixed in ("en", "id") else i18n(key)

    access = page_access(settings)
    chat = ChatHandlers(engine, FeedbackStore(settings.feedback_dir), fixed)
    lib = LibraryHandlers(
        library, ingest, settings.uploads_dir, settings.ui.max_upload_mb, fixed, access
    )
    documents = lib.sources()
    panel_start = render_panel(None, 0, None, fixed if fixed in ("en", "id") else "en")

    with LenteraBlocks(title="Lentera", analytics_enabled=False) as demo:
        turns = gr.State([])
        gr.Markdown("# Lentera")
        gr.Markdown(label("tagline"))
        with gr.Tabs():
            with gr.Tab(label("tab_chat"), id="chat"):
                with gr.Row(equal_height=False):
                    with gr.Column(scale=3):
                        chatbot = gr.Chatbot(
                            label=label("chat"),
                            height=520,
                            latex_delimiters=[],
                            examples=[{"text": q} for q in EXAMPLE_QUESTIONS],
                            elem_id="lentera-chat",
                            buttons=["copy"],
                        )
                        with gr.Row():
                            question = gr.Textbox(
                                label=label("question"),
                                placeholder=label("question_placeholder"),
                                scale=5,
                                elem_id="lentera-question",
                            )
                            ask_btn = gr.Button(
                                label("ask"), variant="primary", scale=1, elem_id="lentera-ask"
                            )
                        restrict = gr.Dropdown(
                            choices=documents,
                            multiselect=True,
                            # API callers skip the page's load event that fills the choices;
                            # unknown names are harmless (they match no document).
                            allow_custom_value=True,
                            label=label("restrict"),
                            info=label("restrict_info"),
                            elem_id="lentera-restrict",
                        )
                        with gr.Row():
                            comment = gr.Textbox(
                                label=label("feedback_comment"), scale=3, elem_id="lentera-comment"
                            )
                            helpful = gr.Button(label("helpful"), elem_id="lentera-helpful")
                            unhelpful = gr.Button(label("unhelpful"), elem_id="lentera-unhelpful")
                        status = gr.Markdown(elem_id="lentera-status")
                        new_btn = gr.Button(label("new_conversation"), elem_id="lentera-new")
                    with gr.Column(scale=2):
                        panel = gr.HTML(
                            panel_start,
                            label=label("sources_panel"),
                            show_label=True,
                            container=True,
                            elem_id="lentera-panel",
                        )
                pick = gr.Textbox(visible="hidden", elem_id="lentera-cite-pick")
                go = gr.Button("show", visible="hidden", elem_id="lentera-cite-go")
                answer_json = gr.JSON(visible=False)
            with gr.Tab(label("tab_library"), id="library"):
                table = gr.Dataframe(
                    label=label("documents"), interactive=False, elem_id="lentera-docs"
                )
                files = gr.File(
                    label=label("upload"),
                    # No file_types: Gradio would then reject the whole batch for one wrong
                    # file; the handler checks each file and reports it on its own line.
                    file_count="multiple",
                    elem_id="lentera-upload",
                )
                upload_btn = gr.Button(
                    label("upload_button"), variant="primary", elem_id="lentera-upload-go"
                )
                result = gr.Textbox(
                    label=label("upload_result"),
                    lines=4,
                    interactive=False,
                    elem_id="lentera-upload-result",
                )
                with gr.Row():
                    remove_choice = gr.Dropdown(
                        choices=documents,
                        allow_custom_value=True,
                        label=label("remove_choice"),
                        elem_id="lentera-remove-choice",
                    )
                    remove_btn = gr.Button(
                        label("remove_button"), variant="stop", elem_id="lentera-remove"
                    )

        chat_outputs = [chatbot, turns, question, panel, answer_json]
        ask_inputs = [question, restrict, turns]
        ask_btn.click(chat.ask, ask_inputs, chat_outputs, api_name="ask", concurrency_limit=4)
        question.submit(
            chat.ask, ask_inputs, chat_outputs, api_visibility="undocumented", concurrency_limit=4
        )
        chatbot.example_select(_example_text, None, question, api_visibility="undocumented").then(
            chat.ask, ask_inputs, chat_outputs, api_visibility="undocumented", concurrency_limit=4
        )
        go.click(
            chat.show_citation,
            [pick, turns],
            panel,
            js="(pick, turns) => [window.lenteraPick || pick, turns]",
            api_name="show_citation",
            concurrency_limit=None,
        )
        new_btn.click(chat.new_conversation, None, chat_outputs, api_name="new_conversation")
        rate_outputs = [comment, status]
        helpful.click(chat.rate_helpful, [comment, turns], rate_outputs, api_name="rate_helpful")
        unhelpful.click(
            chat.rate_unhelpful, [comment, turns], rate_outputs, api_name="rate_unhelpful"
        )
        chatbot.like(chat.on_like, [comment, turns], rate_outputs, api_visibility="undocumented")

        lib_outputs = [table, restrict, remove_choice]
        demo.load(lib.refresh, [restrict], lib_outputs, api_name="refresh_library")
        demo.load(
            lib.controls,
            None,
            [files, upload_btn, remove_choice, remove_btn],
            api_visibility="undocumented",
        )
        upload_btn.click(
            lib.upload, [files, restrict], [result, *lib_outputs], api_name="upload"
        ).then(_clear, None, files, api_visibility="undocumented")
        remove_btn.click(
            lib.remove,
            [remove_choice, restrict],
            [result, *lib_outputs],
            api_name="remove_document",
        )
    demo.launch_defaults = launch_defaults(settings, i18n, access)
    return demo


def _example_text(data: gr.SelectData) -> str:
    value = data.value
    return str(value.get("text", "")) if isinstance(value, dict) else str(value)


def _clear() -> None:
    return None
